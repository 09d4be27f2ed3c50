#ifndef HB_DNN_SRC_BPU_SIM_FAULT_PLAN_H_
#define HB_DNN_SRC_BPU_SIM_FAULT_PLAN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hb_dnn::bpu {

// Faults the simulated BPU injects, for testing how applications and the runtime react.
//
// Spec (HB_DNN_SIM_FAULTS or hbDNNSimSetFaults): faults separated by ';', fields by ':'.
//   error[:fc=N][:core=K]            the FC fails with a device error (kRunTaskFailed)
//   timeout[:fc=N][:core=K][:after_us=T]
//                                    the FC hangs until the core's watchdog (the profile's, or T
//                                    us) fires; reported as kTimeout
//   slow:core=K[:factor=F][:fc=N]    FCs on core K take F (default 4) times their modelled time
// `fc=N` selects the N-th FC (from 1) that starts, after the plan is installed, among those the
// fault's `core` filter admits; without `fc` a fault hits every such FC. `core` defaults to any.
// Example: "error:fc=3;slow:core=1:factor=2".
struct Fault {
  enum class Kind { kError, kTimeout, kSlow };
  Kind kind = Kind::kError;
  int64_t fc = 0;         // 0 = every matching FC
  int core = -1;          // -1 = any core
  double factor = 4.0;    // kSlow
  int64_t after_ns = 0;   // kTimeout: 0 = the profile's watchdog
};

// What happens to one FC.
struct FaultDecision {
  bool error = false;
  bool timeout = false;
  int64_t timeout_after_ns = 0;  // 0 = the profile's watchdog
  double slow_factor = 1.0;
};

class FaultPlan {
 public:
  // kInvalidArgument naming the offending fault and field.
  static absl::StatusOr<FaultPlan> Parse(absl::string_view spec);

  FaultPlan() = default;
  explicit FaultPlan(std::vector<Fault> faults);

  bool empty() const { return faults_.empty(); }

  // Called once per FC as it starts on `core`, in start order; not thread-safe (the device calls
  // it under its lock).
  FaultDecision OnFcStart(int core);

 private:
  std::vector<Fault> faults_;
  std::vector<int64_t> seen_;  // per fault: FCs its filter admitted so far
};

}  // namespace hb_dnn::bpu

#endif  // HB_DNN_SRC_BPU_SIM_FAULT_PLAN_H_
