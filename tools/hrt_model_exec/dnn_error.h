#ifndef HB_DNN_TOOLS_HRT_MODEL_EXEC_DNN_ERROR_H_
#define HB_DNN_TOOLS_HRT_MODEL_EXEC_DNN_ERROR_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace hb_dnn::tools {

// Turns a failing libdnn status code into an absl::Status whose message names the call `what`,
// the code, its description and the calling thread's last-error detail. OK when `code` is 0.
absl::Status DnnStatus(int32_t code, absl::string_view what);

}  // namespace hb_dnn::tools

#endif  // HB_DNN_TOOLS_HRT_MODEL_EXEC_DNN_ERROR_H_
