#ifndef HB_DNN_SRC_BASE_STATUS_H_
#define HB_DNN_SRC_BASE_STATUS_H_

#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "src/base/error_code.h"

namespace hb_dnn {

// Internals report failures as absl::Status. A status made by Error() also carries the precise
// public ErrorCode as a payload, so the C boundary can return e.g. HB_DNN_INVALID_PACKED_DNN_HANDLE
// rather than a generic "invalid argument"; the absl code is chosen to match the class.
absl::Status Error(ErrorCode code, absl::string_view message);

// Error() with the message concatenated from `parts` (absl::StrCat rules).
template <typename... Parts>
absl::Status Errorf(ErrorCode code, const Parts&... parts) {
  return Error(code, absl::StrCat(parts...));
}

// The public code carried by `status`: kOk for OK, the payload when present, otherwise a code
// derived from the absl code (`fallback` for codes with no natural mapping).
ErrorCode ErrorCodeOf(const absl::Status& status, ErrorCode fallback = ErrorCode::kInvalidArgument);

// "0x7f12..." for messages that name a handle or address.
std::string PointerString(const void* pointer);

}  // namespace hb_dnn

#endif  // HB_DNN_SRC_BASE_STATUS_H_
