#ifndef HB_DNN_TOOLS_HRT_MODEL_EXEC_TRACE_WRITER_H_
#define HB_DNN_TOOLS_HRT_MODEL_EXEC_TRACE_WRITER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tools/hrt_model_exec/exec_options.h"
#include "tools/hrt_model_exec/perf_runner.h"

namespace hb_dnn::tools {

// Writes a Chrome-trace JSON file (chrome://tracing, ui.perfetto.dev) of a perf run:
// - one process per model (pid = model index + 1) with one track per perf thread, holding a
//   complete event per task from submit to end (args: frame, priority, core, fc_count, bpu_us);
// - a "BPU" process with one track per core, holding the task's BPU occupancy: the bpu_ns
//   before its end on the core its function-calls ran on (exact when its FCs ran back to back).
// Timestamps are µs on the simulator's clock, relative to the first submission.
absl::Status WriteTrace(const std::string& path, const PerfRunResult& result,
                        const std::vector<ModelRunOptions>& models, const std::string& clock);

}  // namespace hb_dnn::tools

#endif  // HB_DNN_TOOLS_HRT_MODEL_EXEC_TRACE_WRITER_H_
