#include "tools/hb_mapper/cpu_fallback.h"

#include <map>

#include "src/base/status_macros.h"

namespace hb_dnn::mapper {

absl::StatusOr<CpuPrefixChoice> ChooseCpuPrefix(
    double target, int32_t max_prefix,
    const std::function<absl::StatusOr<double>(int32_t)>& cosine_of) {
  CpuPrefixChoice choice;
  std::map<int32_t, double> seen;
  auto evaluate = [&](int32_t prefix) -> absl::StatusOr<double> {
    auto it = seen.find(prefix);
    if (it != seen.end()) return it->second;
    HB_ASSIGN_OR_RETURN(double cosine, cosine_of(prefix));
    ++choice.evaluations;
    seen[prefix] = cosine;
    return cosine;
  };
  HB_ASSIGN_OR_RETURN(choice.cosine_before, evaluate(0));
  choice.cosine_after = choice.cosine_before;
  choice.reached = choice.cosine_before >= target;
  if (choice.reached || max_prefix <= 0) return choice;
  HB_ASSIGN_OR_RETURN(double at_max, evaluate(max_prefix));
  if (at_max < target) {
    for (const auto& [prefix, cosine] : seen) {
      if (cosine > choice.cosine_after) {
        choice.prefix = prefix;
        choice.cosine_after = cosine;
      }
    }
    return choice;
  }
  // Invariant: `low` misses the target, `high` reaches it.
  int32_t low = 0, high = max_prefix;
  while (high - low > 1) {
    const int32_t mid = low + (high - low) / 2;
    HB_ASSIGN_OR_RETURN(double cosine, evaluate(mid));
    (cosine >= target ? high : low) = mid;
  }
  choice.prefix = high;
  choice.cosine_after = seen[high];
  choice.reached = true;
  return choice;
}

}  // namespace hb_dnn::mapper
