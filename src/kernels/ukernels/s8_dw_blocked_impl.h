#ifndef HB_DNN_SRC_KERNELS_UKERNELS_S8_DW_BLOCKED_IMPL_H_
#define HB_DNN_SRC_KERNELS_UKERNELS_S8_DW_BLOCKED_IMPL_H_

// The transposes and the band loop of the channel-blocked depthwise convolution
// (S8DwBlockedPlan), shared by the AVX2 and AVX-512 VNNI translation units (it needs AVX2).
// Templates on the including unit's Policy (see s8_gemm_impl.h for why), which provides:
//   static __m128i Load16(const int8_t* p, int64_t avail);
//     // 16 bytes at p; only the first min(avail, 16) may be read, the others are unspecified
//   static void StoreEntry(__m256i pairs, int32_t* entry);
//     // 16 int8 pairs (lane-major) sign-extended to the 16 int16 pairs of one entry
//   static void StoreBytes(__m128i v, int64_t n, int8_t* dst);  // the first n <= 16 bytes
//   static void ComputeRows(const S8DwBlockArgs& a, const int32_t* entries, void* out);
//     // the band's outputs from its transposed rows, out [oy - oy_begin][ox][lane] (int8 or
//     // int32)

#if !defined(__AVX2__)
#error "s8_dw_blocked_impl.h needs AVX2"
#endif

#include <immintrin.h>

#include <cstdint>

#include "src/kernels/ukernels/s8_gemm.h"

namespace hb_dnn::kernels::ukernels::s8_impl {

// Transposes 16 rows of 8 int16 (rows l and l + 8 in the low and high half of rows[l]) into 8
// vectors of 16 int16, vector k holding element k of rows 0..15.
inline void Transpose16x8Words(const __m256i (&rows)[8], __m256i (&out)[8]) {
  __m256i a[8];
  __m256i b[8];
  for (int i = 0; i < 4; ++i) {
    a[2 * i] = _mm256_unpacklo_epi16(rows[2 * i], rows[2 * i + 1]);
    a[2 * i + 1] = _mm256_unpackhi_epi16(rows[2 * i], rows[2 * i + 1]);
  }
  for (int i = 0; i < 2; ++i) {
    b[4 * i] = _mm256_unpacklo_epi32(a[4 * i], a[4 * i + 2]);
    b[4 * i + 1] = _mm256_unpackhi_epi32(a[4 * i], a[4 * i + 2]);
    b[4 * i + 2] = _mm256_unpacklo_epi32(a[4 * i + 1], a[4 * i + 3]);
    b[4 * i + 3] = _mm256_unpackhi_epi32(a[4 * i + 1], a[4 * i + 3]);
  }
  for (int i = 0; i < 4; ++i) {
    out[2 * i] = _mm256_unpacklo_epi64(b[i], b[i + 4]);
    out[2 * i + 1] = _mm256_unpackhi_epi64(b[i], b[i + 4]);
  }
}

// Transposes 16 x 16 bytes in place.
inline void Transpose16x16Bytes(__m128i (&v)[16]) {
  __m128i a[16];
  for (int i = 0; i < 8; ++i) {
    a[2 * i] = _mm_unpacklo_epi8(v[2 * i], v[2 * i + 1]);
    a[2 * i + 1] = _mm_unpackhi_epi8(v[2 * i], v[2 * i + 1]);
  }
  // a[2i + h]: rows 2i, 2i + 1, columns 8h.. (as 16-bit pairs).
  __m128i b[16];
  for (int i = 0; i < 4; ++i) {
    for (int h = 0; h < 2; ++h) {
      b[4 * i + 2 * h] = _mm_unpacklo_epi16(a[4 * i + h], a[4 * i + 2 + h]);
      b[4 * i + 2 * h + 1] = _mm_unpackhi_epi16(a[4 * i + h], a[4 * i + 2 + h]);
    }
  }
  // b[4i + q]: rows 4i..4i+3, columns 4q..4q+3.
  __m128i c[16];
  for (int i = 0; i < 2; ++i) {
    for (int q = 0; q < 4; ++q) {
      c[8 * i + 2 * q] = _mm_unpacklo_epi32(b[8 * i + q], b[8 * i + 4 + q]);
      c[8 * i + 2 * q + 1] = _mm_unpackhi_epi32(b[8 * i + q], b[8 * i + 4 + q]);
    }
  }
  // c[8i + k]: rows 8i..8i+7, columns 2k, 2k + 1.
  for (int k = 0; k < 8; ++k) {
    v[2 * k] = _mm_unpacklo_epi64(c[k], c[8 + k]);
    v[2 * k + 1] = _mm_unpackhi_epi64(c[k], c[8 + k]);
  }
}

// Zeros `count` entries (inline: a call costs more than a small plane's few entries).
inline void ZeroEntries(int32_t* entries, int64_t count) {
  const __m256i zero = _mm256_setzero_si256();
  auto* p = reinterpret_cast<__m256i*>(entries);
  for (int64_t i = 0; i < count * (kS8DwBlock / 8); ++i) _mm256_storeu_si256(p + i, zero);
}

// Transposed input row `iy` (any integer: rows outside the input are zeros) into `entries`.
template <typename Policy>
void DwBlockBuildRow(const S8DwBlockArgs& a, int64_t iy, int32_t* entries) {
  const S8DwBlockedPlan& plan = *a.plan;
  const Conv2dGeometry& g = plan.g;
  const int64_t n = plan.row_pairs;
  if (iy < 0 || iy >= g.in_h) {
    ZeroEntries(entries, n);
    return;
  }
  // Entries [lo, hi) hold input columns; entry hi - 1 only its low half when in_w is odd.
  const int64_t lo = plan.pad_cols / 2 < n ? plan.pad_cols / 2 : n;
  const int64_t hi_all = (plan.pad_cols + g.in_w + 1) / 2;
  const int64_t hi = hi_all < n ? hi_all : n;
  ZeroEntries(entries, lo);
  alignas(16) static const int8_t kZeros[16] = {};
  const int64_t plane = g.in_h * g.in_w;
  for (int64_t j = lo; j < hi; j += 8) {
    const int64_t ix = 2 * j - plan.pad_cols;
    const int64_t at = iy * g.in_w + ix;
    const __m128i zero = _mm_load_si128(reinterpret_cast<const __m128i*>(kZeros));
    __m256i rows[8];
    for (int l = 0; l < 8; ++l) {
      const __m128i r0 = a.src[l] != nullptr ? Policy::Load16(a.src[l] + at, plane - at) : zero;
      const __m128i r1 =
          a.src[l + 8] != nullptr ? Policy::Load16(a.src[l + 8] + at, plane - at) : zero;
      rows[l] = _mm256_inserti128_si256(_mm256_castsi128_si256(r0), r1, 1);
    }
    __m256i cols[8];
    Transpose16x8Words(rows, cols);
    const int64_t count = hi - j < 8 ? hi - j : 8;
    for (int k = 0; k < count; ++k) Policy::StoreEntry(cols[k], entries + (j + k) * kS8DwBlock);
  }
  if (hi < n) ZeroEntries(entries + hi * kS8DwBlock, n - hi);
  // The high half of the last entry read past the row when in_w is odd.
  if (hi == hi_all && hi > lo && (plan.pad_cols + g.in_w) % 2 == 1) {
    int32_t* last = entries + (hi - 1) * kS8DwBlock;
    const __m256i keep = _mm256_set1_epi32(0xffff);
    for (int h = 0; h < 2; ++h) {
      __m256i* p = reinterpret_cast<__m256i*>(last + 8 * h);
      _mm256_storeu_si256(p, _mm256_and_si256(_mm256_loadu_si256(p), keep));
    }
  }
}

// Writes `count` outputs [pos][lane] of the band into the lanes' planes from element `offset`.
template <typename Policy>
void DwBlockStoreOutputs(const S8DwBlockArgs& a, const void* y, int64_t count, int64_t offset) {
  if (a.int32_output) {
    const auto* values = static_cast<const int32_t*>(y);
    for (int l = 0; l < kS8DwBlock; ++l) {
      if (a.dst[l] == nullptr) continue;
      int32_t* out = static_cast<int32_t*>(a.dst[l]) + offset;
      for (int64_t i = 0; i < count; ++i) out[i] = values[i * kS8DwBlock + l];
    }
    return;
  }
  const auto* bytes = static_cast<const int8_t*>(y);
  for (int64_t i = 0; i < count; i += 16) {
    // Rows past `count` read the scratch's slack; their bytes are not stored.
    __m128i v[16];
    for (int k = 0; k < 16; ++k) {
      v[k] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + (i + k) * kS8DwBlock));
    }
    Transpose16x16Bytes(v);
    const int64_t n = count - i < 16 ? count - i : 16;
    for (int l = 0; l < kS8DwBlock; ++l) {
      if (a.dst[l] == nullptr) continue;
      int8_t* out = static_cast<int8_t*>(a.dst[l]) + offset + i;
      if (n == 16) {
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out), v[l]);
      } else {
        Policy::StoreBytes(v[l], n, out);
      }
    }
  }
}

// S8DwBlockFn.
template <typename Policy>
void DwBlock(const S8DwBlockArgs& a) {
  const S8DwBlockedPlan& plan = *a.plan;
  const Conv2dGeometry& g = plan.g;
  const int64_t band = a.oy_end - a.oy_begin;
  const int64_t rows = plan.BandRows(band);
  const int64_t row_size = plan.row_pairs * kS8DwBlock;
  auto* entries = static_cast<int32_t*>(a.scratch);
  const int64_t first_row = a.oy_begin * g.stride_h - g.pad_top;
  for (int64_t r = 0; r < rows; ++r) {
    DwBlockBuildRow<Policy>(a, first_row + r, entries + r * row_size);
  }
  int32_t* y = entries + rows * row_size;
  Policy::ComputeRows(a, entries, y);
  DwBlockStoreOutputs<Policy>(a, y, band * g.out_w, a.oy_begin * g.out_w);
}

}  // namespace hb_dnn::kernels::ukernels::s8_impl

#endif  // HB_DNN_SRC_KERNELS_UKERNELS_S8_DW_BLOCKED_IMPL_H_
