// Selection of the microkernel variants: every variant compiled in is initialized once, and a
// request for an ISA level gets the best variant at or below both that level and the
// hardware's. The only place (with cpu_features) where kernels consult the CPU.

#include <array>

#include "src/base/cpu_features.h"
#include "src/kernels/ukernels/f32_dwconv.h"
#include "src/kernels/ukernels/f32_gemm.h"
#include "src/kernels/ukernels/s8_gemm.h"

namespace hb_dnn::kernels::ukernels {
namespace {

constexpr int kLevels = kNumIsaLevels;

template <typename Config>
struct Variants {
  std::array<Config, kLevels> configs;
  std::array<bool, kLevels> present = {};

  const Config& Get(IsaLevel level) const {
    int want = static_cast<int>(level);
    want = want < static_cast<int>(HardwareIsaLevel()) ? want
                                                       : static_cast<int>(HardwareIsaLevel());
    for (int l = want; l > 0; --l) {
      if (present[l]) return configs[l];
    }
    return configs[0];
  }
};

const Variants<F32GemmConfig>& GemmVariants() {
  static const Variants<F32GemmConfig>* variants = [] {
    auto* v = new Variants<F32GemmConfig>();
#define HB_DNN_F32_GEMM_VARIANT(level, suffix)                          \
  InitF32Gemm##suffix(&v->configs[static_cast<int>(IsaLevel::level)]); \
  v->present[static_cast<int>(IsaLevel::level)] = true;
#include "src/kernels/ukernels/f32_gemm.inc"
#undef HB_DNN_F32_GEMM_VARIANT
    return v;
  }();
  return *variants;
}

const Variants<F32DwConvConfig>& DwConvVariants() {
  static const Variants<F32DwConvConfig>* variants = [] {
    auto* v = new Variants<F32DwConvConfig>();
#define HB_DNN_F32_DWCONV_VARIANT(level, suffix)                          \
  InitF32DwConv##suffix(&v->configs[static_cast<int>(IsaLevel::level)]); \
  v->present[static_cast<int>(IsaLevel::level)] = true;
#include "src/kernels/ukernels/f32_dwconv.inc"
#undef HB_DNN_F32_DWCONV_VARIANT
    return v;
  }();
  return *variants;
}

const Variants<S8GemmConfig>& S8GemmVariants() {
  static const Variants<S8GemmConfig>* variants = [] {
    auto* v = new Variants<S8GemmConfig>();
#define HB_DNN_S8_GEMM_VARIANT(level, suffix)                          \
  InitS8Gemm##suffix(&v->configs[static_cast<int>(IsaLevel::level)]); \
  v->present[static_cast<int>(IsaLevel::level)] = true;
#include "src/kernels/ukernels/s8_gemm.inc"
#undef HB_DNN_S8_GEMM_VARIANT
    return v;
  }();
  return *variants;
}

}  // namespace

const F32GemmConfig& GetF32GemmConfig(IsaLevel level) { return GemmVariants().Get(level); }

const F32GemmConfig& ActiveF32GemmConfig() {
  static const F32GemmConfig& config = GetF32GemmConfig(ActiveIsaLevel());
  return config;
}

const F32DwConvConfig& GetF32DwConvConfig(IsaLevel level) { return DwConvVariants().Get(level); }

const F32DwConvConfig& ActiveF32DwConvConfig() {
  static const F32DwConvConfig& config = GetF32DwConvConfig(ActiveIsaLevel());
  return config;
}

const S8GemmConfig& GetS8GemmConfig(IsaLevel level) { return S8GemmVariants().Get(level); }

}  // namespace hb_dnn::kernels::ukernels
