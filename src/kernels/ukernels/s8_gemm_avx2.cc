// AVX2 int8 variant: 4 x 16 tiles (8 ymm int32 accumulators). Operands are packed sign-extended
// to int16 in K pairs and multiplied with vpmaddwd, whose int32 pair sums are exact (vpmaddubsw
// would saturate its int16 pair sums). Depthwise: int32 planes times (w, 0) int16 pairs with
// vpmaddwd. Compiled with -mavx2 -mfma -ffp-contract=off.

#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "src/kernels/ukernels/s8_dw_blocked_impl.h"
#include "src/kernels/ukernels/s8_gemm.h"
#include "src/kernels/ukernels/s8_gemm_impl.h"

namespace hb_dnn::kernels::ukernels {
namespace {

constexpr int kMr = 4;
constexpr int kNr = 16;
constexpr int kKr = 2;

struct Avx2Policy {
  using Elem = int16_t;
  static constexpr int kKr = 2;
  static constexpr int kDwVector = 8;
  static void Widen(const int8_t* src, int64_t count, int64_t stride, int32_t* out) {
    int64_t i = 0;
    if (stride == 1) {
      for (; i + 8 <= count; i += 8) {
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i),
                            _mm256_cvtepi8_epi32(_mm_loadl_epi64(
                                reinterpret_cast<const __m128i*>(src + i))));
      }
    }
    for (; i < count; ++i) out[i] = src[i * stride];
  }

  static __m128i Load16(const int8_t* p, int64_t avail) {
    if (avail >= 16) return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    alignas(16) int8_t bytes[16] = {};
    std::memcpy(bytes, p, static_cast<size_t>(avail));
    return _mm_load_si128(reinterpret_cast<const __m128i*>(bytes));
  }
  static void StoreEntry(__m256i pairs, int32_t* entry) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(entry),
                        _mm256_cvtepi8_epi16(_mm256_castsi256_si128(pairs)));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(entry + 8),
                        _mm256_cvtepi8_epi16(_mm256_extracti128_si256(pairs, 1)));
  }
  static void StoreBytes(__m128i v, int64_t n, int8_t* dst) {
    alignas(16) int8_t bytes[16];
    _mm_store_si128(reinterpret_cast<__m128i*>(bytes), v);
    std::memcpy(dst, bytes, static_cast<size_t>(n));
  }
  static void ComputeRows(const S8DwBlockArgs& a, const int32_t* entries, void* out);
};

// Lanes j < count set.
__m256i LaneMask(int64_t count) {
  const int c = count > 8 ? 8 : (count < 0 ? 0 : static_cast<int>(count));
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(c), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// Stores 8 int32 sums (the first `count` lanes) as int32 or requantized int8 to
// out[j * col_stride].
void StoreVector(__m256i sum, __m256 multiplier, int count, const S8GemmTile& tile, int64_t at) {
  if (tile.int32_output) {
    int32_t* out = static_cast<int32_t*>(tile.out) + at;
    if (tile.out_col_stride == 1) {
      if (count == 8) {
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), sum);
      } else {
        _mm256_maskstore_epi32(out, LaneMask(count), sum);
      }
    } else {
      alignas(32) int32_t values[8];
      _mm256_store_si256(reinterpret_cast<__m256i*>(values), sum);
      for (int j = 0; j < count; ++j) out[j * tile.out_col_stride] = values[j];
    }
    return;
  }
  __m256 scaled = _mm256_mul_ps(_mm256_cvtepi32_ps(sum), multiplier);
  // Clamping before rounding equals clamping after it: the bounds are integers and rounding is
  // monotonic.
  scaled = _mm256_max_ps(scaled, _mm256_set1_ps(static_cast<float>(tile.q_min)));
  scaled = _mm256_min_ps(scaled, _mm256_set1_ps(static_cast<float>(tile.q_max)));
  const __m256i q = _mm256_cvtps_epi32(scaled);
  const __m128i words = _mm_packs_epi32(_mm256_castsi256_si128(q), _mm256_extracti128_si256(q, 1));
  const __m128i bytes = _mm_packs_epi16(words, words);
  int8_t* out = static_cast<int8_t*>(tile.out) + at;
  if (tile.out_col_stride == 1 && count == 8) {
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out), bytes);
    return;
  }
  alignas(16) int8_t values[16];
  _mm_store_si128(reinterpret_cast<__m128i*>(values), bytes);
  for (int j = 0; j < count; ++j) out[j * tile.out_col_stride] = values[j];
}

template <int kRows, S8Orientation kOrientation>
void Ukernel(int64_t kgroups, const void* r, const void* v, const S8GemmTile& tile) {
  const auto* rp = static_cast<const int16_t*>(r);
  const auto* vp = static_cast<const int16_t*>(v);
  __m256i acc0[kRows];
  __m256i acc1[kRows];
#pragma GCC unroll 16
  for (int i = 0; i < kRows; ++i) {
    acc0[i] = _mm256_setzero_si256();
    acc1[i] = _mm256_setzero_si256();
  }
  for (int64_t k = 0; k < kgroups; ++k) {
    const __m256i v0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(vp));
    const __m256i v1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(vp + 16));
#pragma GCC unroll 16
    for (int i = 0; i < kRows; ++i) {
      const __m256i b = _mm256_set1_epi32(_mm_cvtsi128_si32(_mm_loadu_si32(rp + i * kKr)));
      acc0[i] = _mm256_add_epi32(acc0[i], _mm256_madd_epi16(v0, b));
      acc1[i] = _mm256_add_epi32(acc1[i], _mm256_madd_epi16(v1, b));
    }
    rp += kMr * kKr;
    vp += kNr * kKr;
  }
  const int count0 = tile.cols < 8 ? tile.cols : 8;
  const int count1 = tile.cols - count0;
  const __m256i mask0 = LaneMask(count0);
  const __m256i mask1 = LaneMask(count1);
#pragma GCC unroll 16
  for (int i = 0; i < kRows; ++i) {
    const int64_t row_at = i * tile.out_row_stride;
    if constexpr (kOrientation == S8Orientation::kWeightsInRows) {
      const __m256i bias = _mm256_set1_epi32(tile.bias[i]);
      const __m256 multiplier =
          tile.int32_output ? _mm256_setzero_ps() : _mm256_set1_ps(tile.multiplier[i]);
      StoreVector(_mm256_add_epi32(acc0[i], bias), multiplier, count0, tile, row_at);
      if (count1 > 0) {
        StoreVector(_mm256_add_epi32(acc1[i], bias), multiplier, count1, tile,
                    row_at + 8 * tile.out_col_stride);
      }
    } else {
      const __m256i bias0 = _mm256_maskload_epi32(tile.bias, mask0);
      const __m256 multiplier0 =
          tile.int32_output ? _mm256_setzero_ps() : _mm256_maskload_ps(tile.multiplier, mask0);
      StoreVector(_mm256_add_epi32(acc0[i], bias0), multiplier0, count0, tile, row_at);
      if (count1 > 0) {
        const __m256i bias1 = _mm256_maskload_epi32(tile.bias + 8, mask1);
        const __m256 multiplier1 = tile.int32_output
                                       ? _mm256_setzero_ps()
                                       : _mm256_maskload_ps(tile.multiplier + 8, mask1);
        StoreVector(_mm256_add_epi32(acc1[i], bias1), multiplier1, count1, tile,
                    row_at + 8 * tile.out_col_stride);
      }
    }
  }
}

template <int kRows>
void FillRows(S8GemmConfig* config) {
  if constexpr (kRows > 0) {
    config->ukernel[0][kRows] = &Ukernel<kRows, S8Orientation::kWeightsInRows>;
    config->ukernel[1][kRows] = &Ukernel<kRows, S8Orientation::kWeightsInColumns>;
    FillRows<kRows - 1>(config);
  }
}

// S8PackFn with a fast path for contiguous columns (im2col matrices, NCHW inputs).
void Pack(const S8Matrix& x, int64_t k, int64_t n0, int64_t nc, int width, int offset,
          void* dst) {
  if (x.col_stride != 1 || width % 8 != 0 || offset != 0) {
    s8_impl::PackGeneric<Avx2Policy>(x, k, n0, nc, width, offset, dst);
    return;
  }
  alignas(16) static const int8_t kZeros[8] = {};
  auto* out = static_cast<int16_t*>(dst);
  const int64_t kgroups = (k + kKr - 1) / kKr;
  for (int64_t p = 0; p < nc; p += width) {
    const int64_t cols = nc - p < width ? nc - p : width;
    for (int64_t g = 0; g < kgroups; ++g) {
      const int8_t* r0 = x.base + 2 * g * x.row_stride + n0 + p;
      const int8_t* r1 = 2 * g + 1 < k ? r0 + x.row_stride : nullptr;
      for (int j = 0; j < width; j += 8) {
        if (j + 8 <= cols) {
          const __m128i a =
              _mm_cvtepi8_epi16(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(r0 + j)));
          const __m128i b = _mm_cvtepi8_epi16(_mm_loadl_epi64(
              reinterpret_cast<const __m128i*>(r1 != nullptr ? r1 + j : kZeros)));
          _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm_unpacklo_epi16(a, b));
          _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 8), _mm_unpackhi_epi16(a, b));
        } else {
          for (int jj = j; jj < j + 8; ++jj) {
            out[(jj - j) * 2] = jj < cols ? r0[jj] : 0;
            out[(jj - j) * 2 + 1] = (jj < cols && r1 != nullptr) ? r1[jj] : 0;
          }
        }
        out += 16;
      }
    }
  }
}

void DwPlane(const Conv2dGeometry& g, const int32_t* scratch, const int8_t* w,
             const S8DwPlaneParams& params, void* y) {
  const S8DwLayout l = S8DwLayout::Of(g, Avx2Policy::kDwVector);
  S8GemmTile tile;
  tile.int32_output = params.int32_output;
  tile.q_min = params.q_min;
  tile.q_max = params.q_max;
  tile.out = y;
  tile.out_col_stride = 1;
  const __m256 multiplier = _mm256_set1_ps(params.multiplier);
  const __m256i bias = _mm256_set1_epi32(params.bias);
  const int taps = static_cast<int>(g.kernel_h * g.kernel_w);
  int64_t offsets[kMaxS8DwTaps];
  s8_impl::DwTapOffsets<Avx2Policy>(g, l, offsets);
  // (w, 0) int16 pairs: vpmaddwd then gives x * w + (sign of x) * 0 per int32 lane.
  int32_t pairs[kMaxS8DwTaps];
  for (int t = 0; t < taps; ++t) pairs[t] = static_cast<uint16_t>(w[t]);
  for (int64_t oy = 0; oy < g.out_h; ++oy) {
    const int32_t* top = scratch + oy * g.stride_h * l.row_stride;
    for (int64_t ox = 0; ox < g.out_w; ox += 8) {
      __m256i acc = bias;
      for (int t = 0; t < taps; ++t) {
        const __m256i xv =
            _mm256_loadu_si256(reinterpret_cast<const __m256i*>(top + offsets[t] + ox));
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(xv, _mm256_set1_epi32(pairs[t])));
      }
      const int64_t count = g.out_w - ox < 8 ? g.out_w - ox : 8;
      StoreVector(acc, multiplier, static_cast<int>(count), tile, oy * g.out_w + ox);
    }
  }
}

// Requantizes 8 int32 lanes to int32 lanes in [q_min, q_max].
__m256i RequantizeLanes(__m256i acc, __m256 multiplier, __m256 q_min, __m256 q_max) {
  __m256 scaled = _mm256_mul_ps(_mm256_cvtepi32_ps(acc), multiplier);
  scaled = _mm256_min_ps(_mm256_max_ps(scaled, q_min), q_max);
  return _mm256_cvtps_epi32(scaled);
}

// The output rows of a channel-blocked depthwise task (lanes 0-7 and 8-15 in two vectors).
// kKh / kPairs: the plan's kernel_h and pairs when known at compile time, 0 otherwise.
template <int kKh, int kPairs>
void DwBlockRows(const S8DwBlockArgs& a, const int32_t* entries, void* out) {
  const S8DwBlockedPlan& plan = *a.plan;
  const Conv2dGeometry& g = plan.g;
  const int64_t kh = kKh > 0 ? kKh : g.kernel_h;
  const int64_t pairs = kPairs > 0 ? kPairs : plan.pairs;
  const int64_t row_size = plan.row_pairs * kS8DwBlock;
  const int64_t row_step = g.dilation_h * row_size;
  const int64_t band = a.oy_end - a.oy_begin;
  const bool int32_output = a.int32_output;
  const __m256i bias0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a.bias));
  const __m256i bias1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a.bias + 8));
  const __m256 multiplier0 = int32_output ? _mm256_setzero_ps() : _mm256_loadu_ps(a.multiplier);
  const __m256 multiplier1 =
      int32_output ? _mm256_setzero_ps() : _mm256_loadu_ps(a.multiplier + 8);
  const __m256 q_min = _mm256_set1_ps(static_cast<float>(a.q_min));
  const __m256 q_max = _mm256_set1_ps(static_cast<float>(a.q_max));
  const int64_t shift = plan.pad_cols - g.pad_left;
  // Locals: the int8 stores below may alias anything, so fields would be reloaded.
  const int64_t out_w = g.out_w;
  const int64_t stride_w = g.stride_w;
  const int64_t band_step = g.stride_h * row_size;
  // Odd strides alternate the parity of the first column; each parity has its weights.
  const int64_t step = stride_w % 2 == 1 ? 2 : 1;
  for (int64_t start = 0; start < step && start < out_w; ++start) {
    const int64_t parity = (start * stride_w + shift) & 1;
    const int32_t* w = a.weights + parity * kh * pairs * kS8DwBlock;
    for (int64_t i = 0; i < band; ++i) {
      const int32_t* top = entries + i * band_step;
      for (int64_t ox = start; ox < out_w; ox += step) {
        const int32_t* column = top + ((ox * stride_w + shift) >> 1) * kS8DwBlock;
        __m256i acc0 = bias0;
        __m256i acc1 = bias1;
#pragma GCC unroll 8
        for (int64_t ky = 0; ky < kh; ++ky) {
#pragma GCC unroll 8
          for (int64_t p = 0; p < pairs; ++p) {
            const auto* e =
                reinterpret_cast<const __m256i*>(column + ky * row_step + p * kS8DwBlock);
            const auto* wp = reinterpret_cast<const __m256i*>(w + (ky * pairs + p) * kS8DwBlock);
            acc0 = _mm256_add_epi32(
                acc0, _mm256_madd_epi16(_mm256_loadu_si256(e), _mm256_loadu_si256(wp)));
            acc1 = _mm256_add_epi32(
                acc1, _mm256_madd_epi16(_mm256_loadu_si256(e + 1), _mm256_loadu_si256(wp + 1)));
          }
        }
        const int64_t at = (i * out_w + ox) * kS8DwBlock;
        if (int32_output) {
          auto* o = reinterpret_cast<__m256i*>(static_cast<int32_t*>(out) + at);
          _mm256_storeu_si256(o, acc0);
          _mm256_storeu_si256(o + 1, acc1);
        } else {
          const __m256i q0 = RequantizeLanes(acc0, multiplier0, q_min, q_max);
          const __m256i q1 = RequantizeLanes(acc1, multiplier1, q_min, q_max);
          const __m128i w0 =
              _mm_packs_epi32(_mm256_castsi256_si128(q0), _mm256_extracti128_si256(q0, 1));
          const __m128i w1 =
              _mm_packs_epi32(_mm256_castsi256_si128(q1), _mm256_extracti128_si256(q1, 1));
          _mm_storeu_si128(reinterpret_cast<__m128i*>(static_cast<int8_t*>(out) + at),
                           _mm_packs_epi16(w0, w1));
        }
      }
    }
  }
}

void Avx2Policy::ComputeRows(const S8DwBlockArgs& a, const int32_t* entries, void* out) {
  const int64_t kh = a.plan->g.kernel_h;
  const int64_t pairs = a.plan->pairs;
  if (kh == 3 && pairs == 2) return DwBlockRows<3, 2>(a, entries, out);
  DwBlockRows<0, 0>(a, entries, out);
}

}  // namespace

void InitS8GemmAvx2(S8GemmConfig* config) {
  config->isa = IsaLevel::kAvx2;
  config->name = "avx2_4x16";
  config->mr = kMr;
  config->nr = kNr;
  config->kr = kKr;
  config->elem_size = 2;
  config->activation_offset = 0;
  FillRows<kMr>(config);
  config->pack = &Pack;
  config->dw_fill = &s8_impl::DwFill<Avx2Policy>;
  config->dw_plane = &DwPlane;
  config->dw_vector = Avx2Policy::kDwVector;
  config->dw_block = &s8_impl::DwBlock<Avx2Policy>;
}

}  // namespace hb_dnn::kernels::ukernels
