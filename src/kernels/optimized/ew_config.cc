// Selection of the elementwise row-function variants: every variant compiled in is initialized
// once; a request for a level gets the best variant at or below it and the hardware's level.

#include <array>

#include "src/base/cpu_features.h"
#include "src/kernels/optimized/ew_isa.h"

namespace hb_dnn::kernels::optimized::ew {
namespace {

constexpr int kLevels = kNumIsaLevels;

struct EwVariants {
  std::array<EwConfig, kLevels> configs;
  std::array<bool, kLevels> present = {};
};

const EwVariants& Variants() {
  static const EwVariants* variants = [] {
    auto* v = new EwVariants();
    InitEwScalar(&v->configs[static_cast<int>(IsaLevel::kScalar)]);
    v->present[static_cast<int>(IsaLevel::kScalar)] = true;
#if HB_DNN_HAVE_X86_ISAS
    InitEwAvx2(&v->configs[static_cast<int>(IsaLevel::kAvx2)]);
    v->present[static_cast<int>(IsaLevel::kAvx2)] = true;
    InitEwAvx512(&v->configs[static_cast<int>(IsaLevel::kAvx512)]);
    v->present[static_cast<int>(IsaLevel::kAvx512)] = true;
#endif
    return v;
  }();
  return *variants;
}

}  // namespace

const EwConfig& GetEwConfig(IsaLevel level) {
  const EwVariants& v = Variants();
  int want = static_cast<int>(level);
  const int hardware = static_cast<int>(HardwareIsaLevel());
  if (want > hardware) want = hardware;
  for (int l = want; l > 0; --l) {
    if (v.present[l]) return v.configs[l];
  }
  return v.configs[0];
}

}  // namespace hb_dnn::kernels::optimized::ew
