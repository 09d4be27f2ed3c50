#include "tools/hrt_model_exec/infer_task.h"

#include <chrono>

#include "hb_dnn/hb_dnn.h"
#include "hb_dnn/hb_sys.h"
#include "tools/hrt_model_exec/dnn_error.h"

namespace hb_dnn::tools {

int32_t BpuCoreOf(int core_id) {
  switch (core_id) {
    case 1:
      return HB_BPU_CORE_0;
    case 2:
      return HB_BPU_CORE_1;
    default:
      return HB_BPU_CORE_ANY;
  }
}

absl::Status InferOnce(ModelTensors& tensors, int32_t bpu_core, int32_t priority,
                       hbDNNSimTaskTiming* timing) {
  hbDNNInferCtrlParam control;
  HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&control);
  control.bpuCoreId = bpu_core;
  control.priority = priority;
  hbDNNTaskHandle_t task = nullptr;
  hbDNNTensor* outputs = tensors.outputs().data();
  auto host_start = std::chrono::steady_clock::now();
  absl::Status status =
      DnnStatus(hbDNNInfer(&task, &outputs, tensors.inputs().data(), tensors.model(), &control),
                "hbDNNInfer");
  if (!status.ok()) return status;
  status = DnnStatus(hbDNNWaitTaskDone(task, 0), "hbDNNWaitTaskDone");
  if (status.ok()) {
    status = DnnStatus(hbDNNSimGetTaskTiming(task, timing), "hbDNNSimGetTaskTiming");
  }
  auto host_end = std::chrono::steady_clock::now();
  if (status.ok() && timing->submitNs == 0 && timing->endNs == 0) {
    // No simulated BPU clock (a model without BPU segments): use the host's monotonic clock.
    timing->submitNs =
        std::chrono::duration_cast<std::chrono::nanoseconds>(host_start.time_since_epoch()).count();
    timing->endNs =
        std::chrono::duration_cast<std::chrono::nanoseconds>(host_end.time_since_epoch()).count();
    timing->latencyNs = timing->endNs - timing->submitNs;
  }
  absl::Status release = DnnStatus(hbDNNReleaseTask(task), "hbDNNReleaseTask");
  if (!status.ok()) return status;
  if (!release.ok()) return release;
  return tensors.InvalidateOutputs();
}

}  // namespace hb_dnn::tools
