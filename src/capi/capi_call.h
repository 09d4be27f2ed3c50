#ifndef HB_DNN_SRC_CAPI_CAPI_CALL_H_
#define HB_DNN_SRC_CAPI_CAPI_CALL_H_

#include <cstdint>
#include <exception>
#include <new>
#include <utility>

#include "absl/status/status.h"
#include "src/base/error_code.h"
#include "src/base/last_error.h"
#include "src/base/logging.h"
#include "src/base/status.h"

namespace hb_dnn::capi {

// Turns an internal status into the public int32 return value of `function`: 0 on success
// (the last-error detail is kept); otherwise the status's ErrorCode, with "<function>: <message>" logged at error level and stored
// as the thread's last-error detail (hbDNNGetLastErrorDetail).
int32_t Finish(const char* function, const absl::Status& status,
               ErrorCode fallback = ErrorCode::kInvalidArgument);

// Runs `body` (returning absl::Status) as the whole of a public function. Nothing escapes the C
// boundary: std::bad_alloc becomes `oom_code`, any other exception `fallback`.
template <typename Body>
int32_t Call(const char* function, ErrorCode fallback, ErrorCode oom_code, Body&& body) noexcept {
  try {
    return Finish(function, std::forward<Body>(body)(), fallback);
  } catch (const std::bad_alloc&) {
    return Finish(function, Error(oom_code, "out of memory"), fallback);
  } catch (const std::exception& e) {
    return Finish(function, Errorf(fallback, "internal error: ", e.what()), fallback);
  } catch (...) {
    return Finish(function, Error(fallback, "internal error: unknown exception"), fallback);
  }
}

// For hbDNN* functions.
template <typename Body>
int32_t DnnCall(const char* function, Body&& body) noexcept {
  return Call(function, ErrorCode::kInvalidArgument, ErrorCode::kOutOfMemory,
              std::forward<Body>(body));
}

// For hbSys* functions: their failures are hbSysStatus codes.
template <typename Body>
int32_t SysCall(const char* function, Body&& body) noexcept {
  return Call(function, ErrorCode::kSysInvalidArgument, ErrorCode::kSysOutOfMemory,
              std::forward<Body>(body));
}

// Status for a required pointer argument that is null: "<name> is null".
absl::Status CheckNotNull(const void* pointer, const char* name,
                          ErrorCode code = ErrorCode::kInvalidArgument);

}  // namespace hb_dnn::capi

#endif  // HB_DNN_SRC_CAPI_CAPI_CALL_H_
