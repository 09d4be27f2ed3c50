#ifndef HB_DNN_TOOLS_HRT_MODEL_EXEC_INFER_COMMAND_H_
#define HB_DNN_TOOLS_HRT_MODEL_EXEC_INFER_COMMAND_H_

#include "absl/status/status.h"
#include "tools/hrt_model_exec/exec_options.h"
#include "tools/hrt_model_exec/packed_models.h"

namespace hb_dnn::tools {

// `infer`: runs --frame_count inferences of one model on --input_file, one at a time, printing
// each frame's latency; then dumps the inputs and outputs of the last frame with --enable_dump
// (model_infer_input_<i>_<name> / model_infer_output_<i>_<name>, .bin or .txt) and prints the
// top-5 classes with --enable_cls_post_process.
absl::Status RunInfer(const ExecOptions& options, const PackedModels& models);

}  // namespace hb_dnn::tools

#endif  // HB_DNN_TOOLS_HRT_MODEL_EXEC_INFER_COMMAND_H_
