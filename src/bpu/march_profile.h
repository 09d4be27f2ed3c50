#ifndef HB_DNN_SRC_BPU_MARCH_PROFILE_H_
#define HB_DNN_SRC_BPU_MARCH_PROFILE_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hb_dnn::bpu {

// What the simulator and the converter assume about one BPU generation. The numbers and the
// reasoning behind each are in docs/simulated_bpu.md ("March profiles"); the table lives in
// march_profile.cc and nowhere else.
struct MarchProfile {
  const char* march;     // as in the model file and the converter's YAML: "bernoulli2"
  const char* platform;  // HB_DNN_SIM_PLATFORM spelling: "BERNOULLI2"
  const char* chip;      // "X3"
  int cores;
  double macs_per_ns;     // sustained int8 multiply-accumulates per ns, one core
  double bytes_per_ns;    // sustained DDR bandwidth one core sees, bytes per ns
  int64_t fc_overhead_ns; // fixed cost per FC: driver, interrupt, register programming
  int64_t fc_watchdog_ns; // an FC running longer than this is reported as timed out
};

const std::vector<MarchProfile>& MarchProfiles();

// By march ("bernoulli2", "bayes") or platform name ("BERNOULLI2", "BAYES"), case-insensitive.
// kInvalidArgument naming the known ones otherwise.
absl::StatusOr<const MarchProfile*> FindMarchProfile(absl::string_view name);

// The modelled execution time of a piece of work on one core: the larger of its compute time
// and its memory time (a roofline), rounded up to whole nanoseconds. Excludes fc_overhead_ns.
int64_t ModelledDurationNs(const MarchProfile& profile, uint64_t macs, uint64_t bytes);

}  // namespace hb_dnn::bpu

#endif  // HB_DNN_SRC_BPU_MARCH_PROFILE_H_
