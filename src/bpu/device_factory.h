#ifndef HB_DNN_SRC_BPU_DEVICE_FACTORY_H_
#define HB_DNN_SRC_BPU_DEVICE_FACTORY_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "src/bpu/device.h"
#include "src/bpu/timing_mode.h"

namespace hb_dnn::bpu {

struct DeviceOptions {
  std::string backend = "sim";        // HB_DNN_SIM_BACKEND: sim | null
  std::string march = "bernoulli2";   // HB_DNN_SIM_PLATFORM, else the first BPU model's march
  TimingMode timing = TimingMode::kOff;  // HB_DNN_SIM_TIMING
  std::string faults;                 // HB_DNN_SIM_FAULTS (sim only)
};

// The options from the environment; `default_march` is used when HB_DNN_SIM_PLATFORM is unset.
// kInvalidArgument naming the variable for an unknown backend, platform or timing mode.
absl::StatusOr<DeviceOptions> DeviceOptionsFromEnv(const std::string& default_march);

// The only place that knows the concrete backends.
absl::StatusOr<std::unique_ptr<Device>> CreateDevice(const DeviceOptions& options);

// Installs a fault plan (FaultPlan syntax) on a simulated device; kInvalidArgument for a bad
// spec, kApiUseError for a backend without fault injection.
absl::Status SetDeviceFaults(Device& device, const std::string& spec);

}  // namespace hb_dnn::bpu

#endif  // HB_DNN_SRC_BPU_DEVICE_FACTORY_H_
