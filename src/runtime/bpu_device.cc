#include "src/runtime/bpu_device.h"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "src/base/logging.h"
#include "src/base/status.h"
#include "src/base/status_macros.h"
#include "src/bpu/device_factory.h"

namespace hb_dnn::runtime {
namespace {

std::mutex& DeviceMutex() {
  static std::mutex* mutex = new std::mutex();
  return *mutex;
}

// Never destroyed at exit: completion callbacks of tasks still in flight may run then.
std::unique_ptr<bpu::Device>& DeviceSlot() {
  static auto* slot = new std::unique_ptr<bpu::Device>();
  return *slot;
}

std::unique_ptr<scheduler::Scheduler>& SchedulerSlot() {
  static auto* slot = new std::unique_ptr<scheduler::Scheduler>();
  return *slot;
}

// Requires DeviceMutex().
scheduler::Scheduler& SchedulerLocked() {
  std::unique_ptr<scheduler::Scheduler>& slot = SchedulerSlot();
  if (slot == nullptr) {
    std::vector<std::string> warnings;
    scheduler::Options options = scheduler::OptionsFromEnv(&warnings);
    for (const std::string& w : warnings) HB_LOG(Warning) << w;
    slot = std::make_unique<scheduler::Scheduler>(options, &SteadyClock::Instance());
    if (DeviceSlot() != nullptr) slot->AttachDevice(DeviceSlot().get());
  }
  return *slot;
}

}  // namespace

scheduler::Scheduler& TaskScheduler() {
  std::lock_guard<std::mutex> lock(DeviceMutex());
  return SchedulerLocked();
}

absl::StatusOr<bpu::Device*> AcquireBpuDevice(const std::string& model_march) {
  std::lock_guard<std::mutex> lock(DeviceMutex());
  std::unique_ptr<bpu::Device>& device = DeviceSlot();
  if (device == nullptr) {
    HB_ASSIGN_OR_RETURN(bpu::DeviceOptions options, bpu::DeviceOptionsFromEnv(model_march));
    HB_ASSIGN_OR_RETURN(device, bpu::CreateDevice(options));
    SchedulerLocked().AttachDevice(device.get());
  }
  absl::StatusOr<const bpu::MarchProfile*> wanted = bpu::FindMarchProfile(model_march);
  if (!wanted.ok() || *wanted != &device->profile()) {
    return Errorf(ErrorCode::kIncompatibleModel, "[BPU_PLAT]Incompatible Platform: the model is "
                  "compiled for march '", model_march, "' but the BPU is ",
                  device->profile().march, " (", device->profile().chip,
                  "); set HB_DNN_SIM_PLATFORM or convert the model for this march");
  }
  return device.get();
}

absl::Status SetBpuFaults(const std::string& spec) {
  std::lock_guard<std::mutex> lock(DeviceMutex());
  if (DeviceSlot() == nullptr) {
    return Error(ErrorCode::kApiUseError,
                 "the simulated BPU starts with the first model that has BPU segments; load one "
                 "before installing faults");
  }
  return bpu::SetDeviceFaults(*DeviceSlot(), spec);
}

}  // namespace hb_dnn::runtime
