#ifndef HB_DNN_TOOLS_HRT_MODEL_EXEC_PROFILER_LOG_H_
#define HB_DNN_TOOLS_HRT_MODEL_EXEC_PROFILER_LOG_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tools/hrt_model_exec/perf_runner.h"

namespace hb_dnn::tools {

// The figures of the first profiler.log document (perf_result and running_condition).
struct PerfSummary {
  double fps = 0;
  double average_latency_ms = 0;
  double run_time_ms = 0;
  int core_id = 0;
  int64_t frame_count = 0;
  int thread_num = 0;
  std::string model_name;  // comma-separated for several models
};

// Writes `directory`/profiler.log in the board's shape: a JSON document with perf_result and
// running_condition, a line `***`, then a JSON document with chip_latency, model_latency and
// task_latency, each entry {avg_time, max_time, min_time} in ms, computed per frame from the
// simulator's task timings (BPU time, the rest of the task's latency, submit-to-end latency).
// Creates `directory` if it does not exist.
absl::Status WriteProfilerLog(const std::string& directory, const PerfSummary& summary,
                              const PerfRunResult& result,
                              const std::vector<std::string>& model_names);

}  // namespace hb_dnn::tools

#endif  // HB_DNN_TOOLS_HRT_MODEL_EXEC_PROFILER_LOG_H_
