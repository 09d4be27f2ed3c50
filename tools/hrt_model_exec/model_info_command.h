#ifndef HB_DNN_TOOLS_HRT_MODEL_EXEC_MODEL_INFO_COMMAND_H_
#define HB_DNN_TOOLS_HRT_MODEL_EXEC_MODEL_INFO_COMMAND_H_

#include "absl/status/status.h"
#include "tools/hrt_model_exec/exec_options.h"
#include "tools/hrt_model_exec/packed_models.h"

namespace hb_dnn::tools {

// `model_info`: prints every model of `models` (or those named by --model_name) in the board
// tool's format, or as JSON with --json. `load_ms` is the load time to report.
absl::Status RunModelInfo(const ExecOptions& options, const PackedModels& models, double load_ms);

}  // namespace hb_dnn::tools

#endif  // HB_DNN_TOOLS_HRT_MODEL_EXEC_MODEL_INFO_COMMAND_H_
