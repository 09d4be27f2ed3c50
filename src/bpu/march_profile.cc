#include "src/bpu/march_profile.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/match.h"
#include "src/base/status.h"

namespace hb_dnn::bpu {

const std::vector<MarchProfile>& MarchProfiles() {
  // Assumptions (docs/simulated_bpu.md): sustained compute = the vendor's per-core int8 rating x
  // 40 % utilization; sustained bandwidth = 60 % of the DDR interface's peak; FC overhead from
  // the scheduler reference's calibration (about 1.5 % of a 1 ms FC).
  static const std::vector<MarchProfile>* profiles = new std::vector<MarchProfile>{
      // X3: 5 TOPS (equivalent) over 2 cores -> 2.5 TOPS = 1250 MAC/ns per core; x 0.4 = 500.
      // LPDDR4 32-bit at 2666 MT/s = 10.7 GB/s peak; x 0.6 = 6.4 B/ns.
      {"bernoulli2", "BERNOULLI2", "X3", 2, 500.0, 6.4, 15000, 1000000000},
      // J5: 128 TOPS over 2 cores -> 64 TOPS = 32000 MAC/ns per core; x 0.4 = 12800.
      // LPDDR4X 2 x 32-bit at 4266 MT/s = 34 GB/s peak; x 0.6 = 20.5 B/ns.
      {"bayes", "BAYES", "J5", 2, 12800.0, 20.5, 10000, 1000000000},
  };
  return *profiles;
}

absl::StatusOr<const MarchProfile*> FindMarchProfile(absl::string_view name) {
  for (const MarchProfile& p : MarchProfiles()) {
    if (absl::EqualsIgnoreCase(name, p.march) || absl::EqualsIgnoreCase(name, p.platform)) {
      return &p;
    }
  }
  return Errorf(ErrorCode::kInvalidArgument, "unknown BPU march '", name,
                "'; known: bernoulli2 (X3), bayes (J5)");
}

int64_t ModelledDurationNs(const MarchProfile& profile, uint64_t macs, uint64_t bytes) {
  double compute = static_cast<double>(macs) / profile.macs_per_ns;
  double memory = static_cast<double>(bytes) / profile.bytes_per_ns;
  return static_cast<int64_t>(std::ceil(std::max(compute, memory)));
}

}  // namespace hb_dnn::bpu
