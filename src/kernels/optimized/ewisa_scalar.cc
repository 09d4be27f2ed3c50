// Portable row functions (one float per step; the compiler may vectorize them for the baseline
// target). Compiled with baseline flags.

#include <cmath>
#include <cstdint>
#include <cstring>

#include "src/kernels/optimized/ew_isa.h"
#include "src/kernels/optimized/ew_isa_impl.h"

namespace hb_dnn::kernels::optimized::ew {
namespace {

// The policy of ew_isa_impl.h over plain floats. Internal linkage keeps its instantiations apart
// from the SIMD units'.
struct ScalarPolicy {
  using F = float;
  using M = bool;
  static constexpr int kWidth = 1;
  static F Splat(float x) { return x; }
  static F Load(const float* p) { return *p; }
  static void Store(float* p, F v) { *p = v; }
  static F Select(M m, F a, F b) { return m ? a : b; }
  static M Or(M a, M b) { return a || b; }
  static M And(M a, M b) { return a && b; }
  static F Fma(F a, F b, F c) { return a * b + c; }
  static F Floor(F x) { return std::floor(x); }
  static M IsNan(F x) { return x != x; }
  static F Pow2(F n) {
    const uint32_t bits = static_cast<uint32_t>(static_cast<int32_t>(n) + 127) << 23;
    float result;
    std::memcpy(&result, &bits, sizeof(result));
    return result;
  }
  static F Even(const float* p) { return p[0]; }
};

}  // namespace

void InitEwScalar(EwConfig* config) {
  impl::Init<ScalarPolicy>(IsaLevel::kScalar, "scalar", config);
}

}  // namespace hb_dnn::kernels::optimized::ew
