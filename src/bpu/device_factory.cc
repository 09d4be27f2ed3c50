#include "src/bpu/device_factory.h"

#include "src/base/env.h"
#include "src/base/status.h"
#include "src/base/status_macros.h"
#include "src/bpu/null/null_device.h"
#include "src/bpu/sim/fault_plan.h"
#include "src/bpu/sim/sim_device.h"

namespace hb_dnn::bpu {

absl::StatusOr<DeviceOptions> DeviceOptionsFromEnv(const std::string& default_march) {
  DeviceOptions options;
  options.march = default_march;
  if (std::optional<std::string> v = GetEnv("HB_DNN_SIM_BACKEND"); v && !v->empty()) {
    if (*v != "sim" && *v != "null") {
      return Errorf(ErrorCode::kInvalidArgument, "HB_DNN_SIM_BACKEND '", *v,
                    "' is not one of sim, null");
    }
    options.backend = *v;
  }
  if (std::optional<std::string> v = GetEnv("HB_DNN_SIM_PLATFORM"); v && !v->empty()) {
    absl::StatusOr<const MarchProfile*> profile = FindMarchProfile(*v);
    if (!profile.ok()) {
      return Errorf(ErrorCode::kInvalidArgument, "HB_DNN_SIM_PLATFORM: ",
                    profile.status().message());
    }
    options.march = (*profile)->march;
  }
  if (std::optional<std::string> v = GetEnv("HB_DNN_SIM_TIMING"); v && !v->empty()) {
    HB_ASSIGN_OR_RETURN(options.timing, ParseTimingMode(*v));
  }
  if (std::optional<std::string> v = GetEnv("HB_DNN_SIM_FAULTS")) options.faults = *v;
  return options;
}

absl::StatusOr<std::unique_ptr<Device>> CreateDevice(const DeviceOptions& options) {
  HB_ASSIGN_OR_RETURN(const MarchProfile* profile, FindMarchProfile(options.march));
  if (options.backend == "null") return std::unique_ptr<Device>(new NullDevice(profile));
  if (options.backend != "sim") {
    return Errorf(ErrorCode::kInvalidArgument, "unknown BPU backend '", options.backend, "'");
  }
  SimDevice::Options sim;
  sim.profile = profile;
  sim.timing = options.timing;
  absl::StatusOr<FaultPlan> faults = FaultPlan::Parse(options.faults);
  if (!faults.ok()) {
    return Errorf(ErrorCode::kInvalidArgument, "HB_DNN_SIM_FAULTS: ", faults.status().message());
  }
  sim.faults = *std::move(faults);
  HB_ASSIGN_OR_RETURN(std::unique_ptr<SimDevice> device, SimDevice::Create(std::move(sim)));
  return std::unique_ptr<Device>(std::move(device));
}

absl::Status SetDeviceFaults(Device& device, const std::string& spec) {
  auto* sim = dynamic_cast<SimDevice*>(&device);
  if (sim == nullptr) {
    return Errorf(ErrorCode::kApiUseError, "the '", device.backend_name(),
                  "' BPU backend has no fault injection");
  }
  HB_ASSIGN_OR_RETURN(FaultPlan plan, FaultPlan::Parse(spec));
  sim->SetFaults(std::move(plan));
  return absl::OkStatus();
}

}  // namespace hb_dnn::bpu
