#ifndef HB_DNN_TOOLS_HRT_MODEL_EXEC_INFER_TASK_H_
#define HB_DNN_TOOLS_HRT_MODEL_EXEC_INFER_TASK_H_

#include <cstdint>

#include "absl/status/status.h"
#include "hb_dnn/hb_dnn_sim.h"
#include "tools/hrt_model_exec/model_tensors.h"

namespace hb_dnn::tools {

// Core selection of --core_id (0 any, 1 core0, 2 core1) as an hbBPUCore value.
int32_t BpuCoreOf(int core_id);

// Runs one inference of `tensors`' model synchronously as a board application does:
// hbDNNInfer, hbDNNWaitTaskDone, then the task's timing on the simulator's clock
// (hbDNNSimGetTaskTiming) into `timing`, hbDNNReleaseTask, and invalidates the outputs. When the
// simulator reports no clock (all zero: a model without BPU segments), `timing` holds the host's
// monotonic submit and end times around hbDNNInfer / hbDNNWaitTaskDone instead.
// The inputs must already be flushed.
absl::Status InferOnce(ModelTensors& tensors, int32_t bpu_core, int32_t priority,
                       hbDNNSimTaskTiming* timing);

}  // namespace hb_dnn::tools

#endif  // HB_DNN_TOOLS_HRT_MODEL_EXEC_INFER_TASK_H_
