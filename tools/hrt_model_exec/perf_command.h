#ifndef HB_DNN_TOOLS_HRT_MODEL_EXEC_PERF_COMMAND_H_
#define HB_DNN_TOOLS_HRT_MODEL_EXEC_PERF_COMMAND_H_

#include "absl/status/status.h"
#include "tools/hrt_model_exec/exec_options.h"
#include "tools/hrt_model_exec/packed_models.h"

namespace hb_dnn::tools {

// `perf`: runs the models of `options` with their threads, printing the board's periodic
// "Frame count" lines (and a progress bar when stdout is a terminal), then the
// "Running condition / Perf result" block, per-model percentiles when several models ran,
// profiler.log (--profile_path) and the timeline (--trace_file). With --json, prints one JSON
// document instead of the text.
absl::Status RunPerf(const ExecOptions& options, const PackedModels& models);

}  // namespace hb_dnn::tools

#endif  // HB_DNN_TOOLS_HRT_MODEL_EXEC_PERF_COMMAND_H_
