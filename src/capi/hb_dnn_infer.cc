// Task functions of hb_dnn.h and the task extensions of hb_dnn_sim.h. A task runs its model's CPU
// segments on the runtime's worker pool and its BPU function-calls on the simulated BPU. ROI
// inference and resize are not available yet: those calls fail with HB_DNN_API_USE_ERROR and say
// so.

#include <vector>

#include "hb_dnn/hb_dnn.h"
#include "hb_dnn/hb_dnn_sim.h"
#include "src/base/status.h"
#include "src/base/status_macros.h"
#include "src/capi/capi_call.h"
#include "src/capi/handles.h"
#include "src/runtime/bpu_device.h"
#include "src/runtime/infer_task.h"
#include "src/runtime/task_registry.h"

using hb_dnn::ErrorCode;
using hb_dnn::Errorf;
using hb_dnn::capi::CheckNotNull;
using hb_dnn::capi::DnnCall;
using hb_dnn::runtime::TaskRegistry;

namespace {

// Inferences one `more` batch may hold (the vendor's limit).
constexpr size_t kMaxBatchSize = 255;

int32_t NotAvailable(const char* function, const char* what) {
  return DnnCall(function, [&]() -> absl::Status {
    return Errorf(ErrorCode::kApiUseError, what,
                  " is not available yet in this hb_dnn release (it arrives with the simulated "
                  "BPU and the scheduler)");
  });
}

std::vector<int32_t> Dims(const hbDNNTensorShape& shape) {
  int32_t n = shape.numDimensions;
  if (n < 0) n = 0;
  if (n > HB_DNN_TENSOR_MAX_DIMENSIONS) n = HB_DNN_TENSOR_MAX_DIMENSIONS;
  return std::vector<int32_t>(shape.dimensionSize, shape.dimensionSize + n);
}

hb_dnn::runtime::CallerTensor CallerOf(const hbDNNTensor& t) {
  hb_dnn::runtime::CallerTensor c;
  c.tensor_type = t.properties.tensorType;
  c.valid_shape = Dims(t.properties.validShape);
  c.aligned_shape = Dims(t.properties.alignedShape);
  c.phy_addr = t.sysMem[0].phyAddr;
  c.vir_addr = t.sysMem[0].virAddr;
  c.mem_size = t.sysMem[0].memSize;
  return c;
}

absl::Status CheckCtrlParam(const hbDNNInferCtrlParam& p) {
  if (p.priority < HB_DNN_PRIORITY_LOWEST || p.priority > HB_DNN_PRIORITY_HIGHEST) {
    return Errorf(ErrorCode::kInvalidArgument, "inferCtrlParam.priority ", p.priority,
                  " is outside [0, 255]");
  }
  if (p.bpuCoreId == (HB_BPU_CORE_0 | HB_BPU_CORE_1)) {
    return Errorf(ErrorCode::kInvalidArgument, "inferCtrlParam.bpuCoreId ", p.bpuCoreId,
                  " (both cores) is only meaningful for dual-core models (core_num: 2), which "
                  "this runtime does not run; use HB_BPU_CORE_ANY (0) to let it pick a core");
  }
  if (p.bpuCoreId != HB_BPU_CORE_ANY && p.bpuCoreId != HB_BPU_CORE_0 &&
      p.bpuCoreId != HB_BPU_CORE_1) {
    return Errorf(ErrorCode::kInvalidArgument, "inferCtrlParam.bpuCoreId ", p.bpuCoreId,
                  " is not HB_BPU_CORE_ANY (0), HB_BPU_CORE_0 (1) or HB_BPU_CORE_1 (2)");
  }
  if (p.more != 0 && p.more != 1) {
    return Errorf(ErrorCode::kInvalidArgument, "inferCtrlParam.more ", p.more,
                  " is neither 0 nor 1");
  }
  return absl::OkStatus();
}

}  // namespace

extern "C" {

int32_t hbDNNInfer(hbDNNTaskHandle_t* taskHandle, hbDNNTensor** output, hbDNNTensor const* input,
                   hbDNNHandle_t dnnHandle, hbDNNInferCtrlParam* inferCtrlParam) {
  return DnnCall("hbDNNInfer", [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckNotNull(taskHandle, "taskHandle"));
    HB_ASSIGN_OR_RETURN(auto model, hb_dnn::capi::ModelFromHandle(dnnHandle));
    HB_RETURN_IF_ERROR(CheckNotNull(inferCtrlParam, "inferCtrlParam"));
    HB_RETURN_IF_ERROR(CheckCtrlParam(*inferCtrlParam));
    // `more` batching: a non-null *taskHandle names an open batch to append to.
    std::shared_ptr<hb_dnn::runtime::InferTask> batch;
    if (*taskHandle != nullptr) {
      HB_ASSIGN_OR_RETURN(batch, TaskRegistry::Instance().FindOpen(*taskHandle));
      if (batch->batch_size() >= kMaxBatchSize) {
        return Errorf(ErrorCode::kTaskBatchSizeExceedLimit, "task ",
                      hb_dnn::PointerString(*taskHandle), " already holds ", kMaxBatchSize,
                      " inferences, the most one `more` batch may hold");
      }
    }
    HB_RETURN_IF_ERROR(CheckNotNull(input, "input"));
    HB_RETURN_IF_ERROR(CheckNotNull(output, "output"));
    HB_RETURN_IF_ERROR(CheckNotNull(*output, "*output"));
    if (model->program() == nullptr) return model->program_status();
    std::vector<hb_dnn::runtime::TensorBinding> inputs, outputs;
    for (size_t i = 0; i < model->inputs().size(); ++i) {
      HB_ASSIGN_OR_RETURN(auto binding,
                          hb_dnn::runtime::BindTensor(model->inputs()[i], true, i, CallerOf(input[i])));
      inputs.push_back(std::move(binding));
    }
    for (size_t i = 0; i < model->outputs().size(); ++i) {
      HB_ASSIGN_OR_RETURN(auto binding, hb_dnn::runtime::BindTensor(model->outputs()[i], false, i,
                                                                   CallerOf((*output)[i])));
      outputs.push_back(std::move(binding));
    }
    auto* device = model->bpu_device();
    const bool more = inferCtrlParam->more != 0;
    if (batch != nullptr) {
      // The batch keeps the priority, customId and core of its first submission.
      batch->Append(std::move(model), std::move(inputs), std::move(outputs), device);
      if (!more) HB_RETURN_IF_ERROR(TaskRegistry::Instance().Seal(*taskHandle));
      return absl::OkStatus();
    }
    hb_dnn::runtime::InferOptions options;
    options.priority = inferCtrlParam->priority;
    options.core_mask = inferCtrlParam->bpuCoreId;
    options.custom_id = inferCtrlParam->customId;
    auto task = std::make_shared<hb_dnn::runtime::InferTask>(
        std::move(model), std::move(inputs), std::move(outputs), options, device,
        &hb_dnn::runtime::TaskScheduler());
    HB_ASSIGN_OR_RETURN(void* handle,
                        TaskRegistry::Instance().Submit(std::move(task), dnnHandle, more));
    *taskHandle = handle;
    return absl::OkStatus();
  });
}

int32_t hbDNNRoiInfer(hbDNNTaskHandle_t*, hbDNNTensor**, hbDNNTensor const*, hbDNNRoi*, int32_t,
                      hbDNNHandle_t, hbDNNInferCtrlParam*) {
  return NotAvailable("hbDNNRoiInfer", "ROI inference (resizer-input models)");
}

int32_t hbDNNResize(hbDNNTaskHandle_t*, hbDNNTensor*, hbDNNTensor const*, hbDNNRoi const*,
                    hbDNNResizeCtrlParam*) {
  return NotAvailable("hbDNNResize", "BPU resize");
}

int32_t hbDNNSetTaskDoneCb(hbDNNTaskHandle_t taskHandle, hbDNNTaskDoneCb cb, void* userdata) {
  return DnnCall("hbDNNSetTaskDoneCb", [&]() -> absl::Status {
    HB_ASSIGN_OR_RETURN(auto task, TaskRegistry::Instance().Find(taskHandle));
    task->SetCallback(cb, userdata, taskHandle);
    return absl::OkStatus();
  });
}

int32_t hbDNNWaitTaskDone(hbDNNTaskHandle_t taskHandle, int32_t timeout) {
  return DnnCall("hbDNNWaitTaskDone", [&]() -> absl::Status {
    HB_ASSIGN_OR_RETURN(auto task, TaskRegistry::Instance().Find(taskHandle));
    return task->Wait(timeout);
  });
}

int32_t hbDNNReleaseTask(hbDNNTaskHandle_t taskHandle) {
  return DnnCall("hbDNNReleaseTask", [&]() -> absl::Status {
    return TaskRegistry::Instance().Release(taskHandle);
  });
}

int32_t hbDNNSimGetTaskTiming(hbDNNTaskHandle_t taskHandle, hbDNNSimTaskTiming* timing) {
  return DnnCall("hbDNNSimGetTaskTiming", [&]() -> absl::Status {
    HB_ASSIGN_OR_RETURN(auto task, TaskRegistry::Instance().Find(taskHandle));
    HB_RETURN_IF_ERROR(CheckNotNull(timing, "timing"));
    if (!task->done()) {
      return Errorf(ErrorCode::kApiUseError, "task ", hb_dnn::PointerString(taskHandle),
                    " has not completed yet; wait for it with hbDNNWaitTaskDone first");
    }
    hb_dnn::runtime::TaskTiming t = task->timing();
    timing->submitNs = t.submit_ns;
    timing->endNs = t.end_ns;
    timing->latencyNs = t.end_ns - t.submit_ns;
    timing->bpuNs = t.bpu_ns;
    timing->fcCount = t.fc_count;
    timing->bpuCoreId = t.core;
    return absl::OkStatus();
  });
}

int32_t hbDNNSimSetFaults(char const* spec) {
  return DnnCall("hbDNNSimSetFaults", [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckNotNull(spec, "spec"));
    return hb_dnn::runtime::SetBpuFaults(spec);
  });
}

}  // extern "C"
