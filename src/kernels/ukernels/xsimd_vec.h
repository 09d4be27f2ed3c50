#ifndef HB_DNN_SRC_KERNELS_UKERNELS_XSIMD_VEC_H_
#define HB_DNN_SRC_KERNELS_UKERNELS_XSIMD_VEC_H_

// Small xsimd helpers shared by the per-ISA microkernel units (included only by them; every
// function is a template on the xsimd arch, so each unit's instantiations are its own).

#include <type_traits>

#include "xsimd/xsimd.hpp"

namespace hb_dnn::kernels::ukernels::xsimd_vec {

// x * y + z, fused. xsimd 8.1 implements fma natively for fma3<avx2> but emulates it with a
// separate multiply and add for avx512f, so AVX-512 goes through the intrinsic.
template <class Arch>
inline xsimd::batch<float, Arch> MulAdd(const xsimd::batch<float, Arch>& x,
                                        const xsimd::batch<float, Arch>& y,
                                        const xsimd::batch<float, Arch>& z) {
#if defined(__AVX512F__)
  if constexpr (std::is_base_of_v<xsimd::avx512f, Arch> || std::is_same_v<xsimd::avx512f, Arch>) {
    return xsimd::batch<float, Arch>(_mm512_fmadd_ps(x, y, z));
  }
#endif
  return xsimd::fma(x, y, z);
}

// The vector policy of f32_dwconv_impl.h over xsimd::batch<float, Arch>.
template <class Arch>
struct Policy {
  using T = xsimd::batch<float, Arch>;
  static constexpr int kWidth = static_cast<int>(T::size);
  static T Splat(float x) { return T(x); }
  static T Load(const float* p) { return T::load_unaligned(p); }
  static void Store(float* p, const T& v) { v.store_unaligned(p); }
  static T MulAdd(const T& x, const T& y, const T& z) { return xsimd_vec::MulAdd<Arch>(x, y, z); }
  static T Min(const T& a, const T& b) { return xsimd::min(a, b); }
  static T Max(const T& a, const T& b) { return xsimd::max(a, b); }
  // p[0], p[2], ..., p[2 * kWidth - 2]: xsimd 8.1 has no deinterleave, so per ISA.
  static T Even(const float* p) {
#if defined(__AVX512F__)
    if constexpr (kWidth == 16) {
      const __m512i index = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26,
                                              28, 30);
      return T(_mm512_permutex2var_ps(_mm512_loadu_ps(p), index, _mm512_loadu_ps(p + 16)));
    }
#endif
#if defined(__AVX2__)
    if constexpr (kWidth == 8) {
      const __m256 pairs = _mm256_shuffle_ps(_mm256_loadu_ps(p), _mm256_loadu_ps(p + 8),
                                             _MM_SHUFFLE(2, 0, 2, 0));
      return T(_mm256_castpd_ps(
          _mm256_permute4x64_pd(_mm256_castps_pd(pairs), _MM_SHUFFLE(3, 1, 2, 0))));
    }
#endif
    alignas(64) float even[kWidth];
    for (int i = 0; i < kWidth; ++i) even[i] = p[2 * i];
    return T::load_aligned(even);
  }

  // Transposes the kWidth x kWidth matrix whose row i is rows[i], in place. Always inlined so
  // that the rows stay in registers.
  __attribute__((always_inline)) static void Transpose(T* rows) {
#if defined(__AVX512F__)
    if constexpr (kWidth == 16) {
      __m512 r[16];
      __m512 t[16];
#pragma GCC unroll 16
      for (int i = 0; i < 16; ++i) r[i] = rows[i];
      // 2x2 blocks of pairs, then 4x4 blocks within each 128-bit lane, then the lanes.
#pragma GCC unroll 8
      for (int i = 0; i < 8; ++i) {
        t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
      }
#pragma GCC unroll 4
      for (int i = 0; i < 4; ++i) {
        r[4 * i] = _mm512_shuffle_ps(t[4 * i], t[4 * i + 2], 0x44);
        r[4 * i + 1] = _mm512_shuffle_ps(t[4 * i], t[4 * i + 2], 0xee);
        r[4 * i + 2] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0x44);
        r[4 * i + 3] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0xee);
      }
#pragma GCC unroll 4
      for (int i = 0; i < 4; ++i) {
        t[i] = _mm512_shuffle_f32x4(r[i], r[i + 4], 0x88);
        t[i + 4] = _mm512_shuffle_f32x4(r[i], r[i + 4], 0xdd);
        t[i + 8] = _mm512_shuffle_f32x4(r[i + 8], r[i + 12], 0x88);
        t[i + 12] = _mm512_shuffle_f32x4(r[i + 8], r[i + 12], 0xdd);
      }
#pragma GCC unroll 8
      for (int i = 0; i < 8; ++i) {
        rows[i] = T(_mm512_shuffle_f32x4(t[i], t[i + 8], 0x88));
        rows[i + 8] = T(_mm512_shuffle_f32x4(t[i], t[i + 8], 0xdd));
      }
      return;
    }
#endif
#if defined(__AVX2__)
    if constexpr (kWidth == 8) {
      __m256 t[8];
      __m256 u[8];
#pragma GCC unroll 4
      for (int i = 0; i < 4; ++i) {
        t[2 * i] = _mm256_unpacklo_ps(rows[2 * i], rows[2 * i + 1]);
        t[2 * i + 1] = _mm256_unpackhi_ps(rows[2 * i], rows[2 * i + 1]);
      }
#pragma GCC unroll 2
      for (int i = 0; i < 2; ++i) {
        u[4 * i] = _mm256_shuffle_ps(t[4 * i], t[4 * i + 2], 0x44);
        u[4 * i + 1] = _mm256_shuffle_ps(t[4 * i], t[4 * i + 2], 0xee);
        u[4 * i + 2] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0x44);
        u[4 * i + 3] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0xee);
      }
#pragma GCC unroll 4
      for (int i = 0; i < 4; ++i) {
        rows[i] = T(_mm256_permute2f128_ps(u[i], u[i + 4], 0x20));
        rows[i + 4] = T(_mm256_permute2f128_ps(u[i], u[i + 4], 0x31));
      }
      return;
    }
#endif
    alignas(64) float m[kWidth * kWidth];
    for (int i = 0; i < kWidth; ++i) rows[i].store_aligned(m + i * kWidth);
    for (int i = 0; i < kWidth; ++i) {
      alignas(64) float column[kWidth];
      for (int j = 0; j < kWidth; ++j) column[j] = m[j * kWidth + i];
      rows[i] = T::load_aligned(column);
    }
  }
};

}  // namespace hb_dnn::kernels::ukernels::xsimd_vec

#endif  // HB_DNN_SRC_KERNELS_UKERNELS_XSIMD_VEC_H_
