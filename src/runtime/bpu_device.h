#ifndef HB_DNN_SRC_RUNTIME_BPU_DEVICE_H_
#define HB_DNN_SRC_RUNTIME_BPU_DEVICE_H_

#include <string>

#include "absl/status/statusor.h"
#include "src/bpu/device.h"
#include "src/scheduler/scheduler.h"

namespace hb_dnn::runtime {

// The process's BPU. Created when the first model with BPU segments loads, from the environment
// (HB_DNN_SIM_BACKEND, HB_DNN_SIM_PLATFORM, HB_DNN_SIM_TIMING, HB_DNN_SIM_FAULTS); its march is
// HB_DNN_SIM_PLATFORM's or, when that is unset, the first such model's. Lives until process exit
// (tasks may still complete during exit).
//
// A model compiled for another march gets kIncompatibleModel, as on a board. A bad environment
// value gets kInvalidArgument naming the variable.
absl::StatusOr<bpu::Device*> AcquireBpuDevice(const std::string& model_march);

// The process's task scheduler, created at first use from HB_MAX_TASK_NUM and BPLAT_CORELIMIT
// (read once; bad values are logged and replaced by the defaults). The BPU device is attached to it
// when it is created. Lives until process exit.
scheduler::Scheduler& TaskScheduler();

// Installs a fault plan (bpu::FaultPlan syntax) on the device. kApiUseError when there is no
// device yet or it is not the simulator; kInvalidArgument for a bad spec.
absl::Status SetBpuFaults(const std::string& spec);

}  // namespace hb_dnn::runtime

#endif  // HB_DNN_SRC_RUNTIME_BPU_DEVICE_H_
