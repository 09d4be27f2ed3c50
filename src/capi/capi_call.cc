#include "src/capi/capi_call.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace hb_dnn::capi {

int32_t Finish(const char* function, const absl::Status& status, ErrorCode fallback) {
  // Success leaves the detail alone (errno-like): it describes the last *failing* call.
  if (status.ok()) return 0;
  std::string detail = absl::StrCat(function, ": ", status.message());
  SetLastErrorDetail(detail);
  HB_LOG(Error) << detail;
  return static_cast<int32_t>(ErrorCodeOf(status, fallback));
}

absl::Status CheckNotNull(const void* pointer, const char* name, ErrorCode code) {
  if (pointer != nullptr) return absl::OkStatus();
  return Errorf(code, name, " is null");
}

}  // namespace hb_dnn::capi
