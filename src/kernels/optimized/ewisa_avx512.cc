// AVX-512 row functions (16 floats per vector). Compiled with -march=x86-64-v4.

#include <immintrin.h>

#include <cstdint>

#include "src/kernels/optimized/ew_isa.h"
#include "src/kernels/optimized/ew_isa_impl.h"
#include "xsimd/xsimd.hpp"

namespace hb_dnn::kernels::optimized::ew {
namespace {

// The policy of ew_isa_impl.h over xsimd's AVX-512 batches; intrinsics where xsimd 8.1 has no
// single-instruction form (its avx512f fma is a separate multiply and add). Internal linkage
// keeps its instantiations in this unit.
struct Avx512Policy {
  using F = xsimd::batch<float, xsimd::avx512f>;
  using M = xsimd::batch_bool<float, xsimd::avx512f>;
  static constexpr int kWidth = 16;
  static F Splat(float x) { return F(x); }
  static F Load(const float* p) { return F::load_unaligned(p); }
  static void Store(float* p, const F& v) { v.store_unaligned(p); }
  static F Select(const M& m, const F& a, const F& b) { return xsimd::select(m, a, b); }
  static M Or(const M& a, const M& b) { return a | b; }
  static M And(const M& a, const M& b) { return a & b; }
  static F Fma(const F& a, const F& b, const F& c) { return F(_mm512_fmadd_ps(a, b, c)); }
  static F Floor(const F& x) {
    return F(_mm512_roundscale_ps(x, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC));
  }
  static M IsNan(const F& x) { return M(_mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q)); }
  static F Pow2(const F& n) {
    const __m512i biased = _mm512_add_epi32(_mm512_cvttps_epi32(n), _mm512_set1_epi32(127));
    return F(_mm512_castsi512_ps(_mm512_slli_epi32(biased, 23)));
  }
  static F Even(const float* p) {
    const __m512i index =
        _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    return F(_mm512_permutex2var_ps(_mm512_loadu_ps(p), index, _mm512_loadu_ps(p + 16)));
  }
};

}  // namespace

void InitEwAvx512(EwConfig* config) {
  impl::Init<Avx512Policy>(IsaLevel::kAvx512, "avx512", config);
}

}  // namespace hb_dnn::kernels::optimized::ew
