#ifndef HB_DNN_TOOLS_HRT_MODEL_EXEC_PERF_RUNNER_H_
#define HB_DNN_TOOLS_HRT_MODEL_EXEC_PERF_RUNNER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "hb_dnn/hb_dnn.h"
#include "tools/hrt_model_exec/exec_options.h"
#include "tools/hrt_model_exec/tensor_file.h"

namespace hb_dnn::tools {

// One model of a perf run.
struct PerfModel {
  ModelRunOptions run;
  hbDNNHandle_t handle = nullptr;
  std::vector<InputData> inputs;  // empty: random inputs
};

// One finished frame. Times are on the simulator's clock (hbDNNSimGetTaskTiming): the host's
// monotonic clock, or the virtual clock with HB_DNN_SIM_TIMING=virtual.
struct FrameRecord {
  int model = 0;   // index into the run's models
  int thread = 0;  // index over all threads of the run
  int64_t frame = 0;
  int64_t submit_ns = 0;
  int64_t end_ns = 0;
  int64_t latency_ns = 0;
  int64_t bpu_ns = 0;
  int32_t fc_count = 0;
  int32_t core = -1;
};

struct PerfRunResult {
  std::vector<FrameRecord> records;  // in completion order
  int thread_count = 0;
  int64_t first_submit_ns = 0;
  int64_t last_end_ns = 0;
  double wall_ms = 0;  // host wall time of the run
};

// Runs the threads of every model: each thread owns its tensors and submits one inference at a
// time until its model has run `frame_count` frames, or until `duration_ms` (> 0) of simulator
// time has passed. A model with fps > 0 paces its submissions on the host clock.
// `on_frame` is called for each finished frame, serialized (never concurrently).
class PerfRunner {
 public:
  PerfRunner(std::vector<PerfModel> models, int core_id, int frame_count, int64_t duration_ms)
      : models_(std::move(models)),
        core_id_(core_id),
        frame_count_(frame_count),
        duration_ms_(duration_ms) {}

  absl::StatusOr<PerfRunResult> Run(const std::function<void(const FrameRecord&)>& on_frame);

 private:
  std::vector<PerfModel> models_;
  int core_id_;
  int frame_count_;
  int64_t duration_ms_;
};

}  // namespace hb_dnn::tools

#endif  // HB_DNN_TOOLS_HRT_MODEL_EXEC_PERF_RUNNER_H_
