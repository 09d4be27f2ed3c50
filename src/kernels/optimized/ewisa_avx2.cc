// AVX2 + FMA3 row functions (8 floats per vector). Compiled with -mavx2 -mfma.

#include <immintrin.h>

#include <cstdint>

#include "src/kernels/optimized/ew_isa.h"
#include "src/kernels/optimized/ew_isa_impl.h"
#include "xsimd/xsimd.hpp"

namespace hb_dnn::kernels::optimized::ew {
namespace {

// The policy of ew_isa_impl.h over xsimd's AVX2 batches; intrinsics where xsimd 8.1 has no
// single-instruction form. Internal linkage keeps its instantiations in this unit.
struct Avx2Policy {
  using F = xsimd::batch<float, xsimd::fma3<xsimd::avx2>>;
  using M = xsimd::batch_bool<float, xsimd::fma3<xsimd::avx2>>;
  static constexpr int kWidth = 8;
  static F Splat(float x) { return F(x); }
  static F Load(const float* p) { return F::load_unaligned(p); }
  static void Store(float* p, const F& v) { v.store_unaligned(p); }
  static F Select(const M& m, const F& a, const F& b) { return xsimd::select(m, a, b); }
  static M Or(const M& a, const M& b) { return a | b; }
  static M And(const M& a, const M& b) { return a & b; }
  static F Fma(const F& a, const F& b, const F& c) { return F(_mm256_fmadd_ps(a, b, c)); }
  static F Floor(const F& x) { return F(_mm256_floor_ps(x)); }
  static M IsNan(const F& x) { return M(_mm256_cmp_ps(x, x, _CMP_UNORD_Q)); }
  static F Pow2(const F& n) {
    const __m256i biased = _mm256_add_epi32(_mm256_cvttps_epi32(n), _mm256_set1_epi32(127));
    return F(_mm256_castsi256_ps(_mm256_slli_epi32(biased, 23)));
  }
  static F Even(const float* p) {
    const __m256 pairs =
        _mm256_shuffle_ps(_mm256_loadu_ps(p), _mm256_loadu_ps(p + 8), _MM_SHUFFLE(2, 0, 2, 0));
    return F(_mm256_castpd_ps(
        _mm256_permute4x64_pd(_mm256_castps_pd(pairs), _MM_SHUFFLE(3, 1, 2, 0))));
  }
};

}  // namespace

void InitEwAvx2(EwConfig* config) { impl::Init<Avx2Policy>(IsaLevel::kAvx2, "avx2", config); }

}  // namespace hb_dnn::kernels::optimized::ew
