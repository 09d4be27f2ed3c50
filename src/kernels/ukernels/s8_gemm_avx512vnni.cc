// AVX-512 VNNI int8 variant: 8 x 32 tiles (16 zmm int32 accumulators), vpdpbusd on K groups of
// 4 bytes. vpdpbusd multiplies unsigned by signed bytes, so activations are packed as x + 128
// (x ^ 0x80) and the kernels subtract 128 * sum(w) per output channel through the bias: exact
// integer arithmetic. Depthwise: int32 planes times (w, 0) int16 pairs with vpdpwssd. Compiled
// with -march=x86-64-v4 -mavx512vnni -ffp-contract=off; chosen only on CPUs with VNNI.

#include <immintrin.h>

#include <cstdint>

#include "src/kernels/ukernels/s8_dw_blocked_impl.h"
#include "src/kernels/ukernels/s8_gemm.h"
#include "src/kernels/ukernels/s8_gemm_impl.h"

namespace hb_dnn::kernels::ukernels {
namespace {

constexpr int kMr = 8;
constexpr int kNr = 32;
constexpr int kKr = 4;

struct VnniPolicy {
  using Elem = uint8_t;
  static constexpr int kKr = 4;
  static constexpr int kDwVector = 16;
  static void Widen(const int8_t* src, int64_t count, int64_t stride, int32_t* out) {
    int64_t i = 0;
    if (stride == 1) {
      for (; i < count; i += 16) {
        const int64_t n = count - i < 16 ? count - i : 16;
        const __mmask16 mask = static_cast<__mmask16>(n >= 16 ? 0xffff : (1u << n) - 1);
        _mm512_mask_storeu_epi32(out + i, mask,
                                 _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(mask, src + i)));
      }
      return;
    }
    if (stride == 2) {
      // 16 int16 (odd byte << 8 | even byte) -> the even bytes, sign-extended to int32.
      for (; i < count; i += 16) {
        const int64_t n = count - i < 16 ? count - i : 16;
        const int64_t bytes = 2 * n - 1;
        const __mmask32 load_mask =
            static_cast<__mmask32>(bytes >= 32 ? 0xffffffffu : (1u << bytes) - 1);
        const __m512i pairs =
            _mm512_cvtepi16_epi32(_mm256_maskz_loadu_epi8(load_mask, src + 2 * i));
        const __mmask16 mask = static_cast<__mmask16>(n >= 16 ? 0xffff : (1u << n) - 1);
        _mm512_mask_storeu_epi32(out + i, mask,
                                 _mm512_srai_epi32(_mm512_slli_epi32(pairs, 24), 24));
      }
      return;
    }
    for (; i < count; ++i) out[i] = src[i * stride];
  }

  static __m128i Load16(const int8_t* p, int64_t avail) {
    if (avail >= 16) return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    return _mm_maskz_loadu_epi8(static_cast<__mmask16>((1u << avail) - 1), p);
  }
  static void StoreEntry(__m256i pairs, int32_t* entry) {
    _mm512_storeu_si512(entry, _mm512_cvtepi8_epi16(pairs));
  }
  static void StoreBytes(__m128i v, int64_t n, int8_t* dst) {
    _mm_mask_storeu_epi8(dst, static_cast<__mmask16>((1u << n) - 1), v);
  }
  static void ComputeRows(const S8DwBlockArgs& a, const int32_t* entries, void* out);
};

// acc += vpdpbusd(u8 a, s8 b). GCC copies the accumulator of the intrinsic into a fresh
// register every step (16 extra moves per K group in the 8 x 32 tile); the asm ties it.
inline __m512i Dpbusd(__m512i acc, __m512i a, __m512i b) {
#if defined(__GNUC__)
  __asm__("vpdpbusd %2, %1, %0" : "+v"(acc) : "v"(a), "v"(b));
  return acc;
#else
  return _mm512_dpbusd_epi32(acc, a, b);
#endif
}

__mmask16 LaneMask(int64_t count) {
  if (count >= 16) return 0xffff;
  if (count <= 0) return 0;
  return static_cast<__mmask16>((1u << count) - 1);
}

// Stores 16 int32 sums (lanes under `mask`) as int32 or requantized int8 to out[j * col_stride].
// `multiplier`: the lanes' multipliers.
void StoreVector(__m512i sum, __m512 multiplier, __mmask16 mask, int count, const S8GemmTile& tile,
                 int64_t at) {
  if (tile.int32_output) {
    int32_t* out = static_cast<int32_t*>(tile.out) + at;
    if (tile.out_col_stride == 1) {
      _mm512_mask_storeu_epi32(out, mask, sum);
    } else {
      alignas(64) int32_t values[16];
      _mm512_store_si512(values, sum);
      for (int j = 0; j < count; ++j) out[j * tile.out_col_stride] = values[j];
    }
    return;
  }
  __m512 scaled = _mm512_mul_ps(_mm512_cvtepi32_ps(sum), multiplier);
  // Clamping before rounding equals clamping after it: the bounds are integers and rounding is
  // monotonic.
  scaled = _mm512_max_ps(scaled, _mm512_set1_ps(static_cast<float>(tile.q_min)));
  scaled = _mm512_min_ps(scaled, _mm512_set1_ps(static_cast<float>(tile.q_max)));
  const __m128i bytes = _mm512_cvtepi32_epi8(_mm512_cvtps_epi32(scaled));
  int8_t* out = static_cast<int8_t*>(tile.out) + at;
  if (tile.out_col_stride == 1) {
    _mm_mask_storeu_epi8(out, mask, bytes);
  } else {
    alignas(16) int8_t values[16];
    _mm_store_si128(reinterpret_cast<__m128i*>(values), bytes);
    for (int j = 0; j < count; ++j) out[j * tile.out_col_stride] = values[j];
  }
}

template <int kRows, S8Orientation kOrientation>
void Ukernel(int64_t kgroups, const void* r, const void* v, const S8GemmTile& tile) {
  constexpr bool kWeightsInRows = kOrientation == S8Orientation::kWeightsInRows;
  const auto* rp = static_cast<const uint8_t*>(r);
  const auto* vp = static_cast<const uint8_t*>(v);
  __m512i acc0[kRows];
  __m512i acc1[kRows];
#pragma GCC unroll 16
  for (int i = 0; i < kRows; ++i) {
    acc0[i] = _mm512_setzero_si512();
    acc1[i] = _mm512_setzero_si512();
  }
  for (int64_t k = 0; k < kgroups; ++k) {
    const __m512i v0 = _mm512_loadu_si512(vp);
    const __m512i v1 = _mm512_loadu_si512(vp + 64);
#pragma GCC unroll 16
    for (int i = 0; i < kRows; ++i) {
      const __m512i b = _mm512_set1_epi32(_mm_cvtsi128_si32(_mm_loadu_si32(rp + i * kKr)));
      if constexpr (kWeightsInRows) {
        acc0[i] = Dpbusd(acc0[i], v0, b);
        acc1[i] = Dpbusd(acc1[i], v1, b);
      } else {
        acc0[i] = Dpbusd(acc0[i], b, v0);
        acc1[i] = Dpbusd(acc1[i], b, v1);
      }
    }
    rp += kMr * kKr;
    vp += kNr * kKr;
  }
  const __mmask16 mask0 = LaneMask(tile.cols);
  const __mmask16 mask1 = LaneMask(tile.cols - 16);
  const int count0 = tile.cols < 16 ? tile.cols : 16;
  const int count1 = tile.cols - count0;
#pragma GCC unroll 16
  for (int i = 0; i < kRows; ++i) {
    const int64_t row_at = i * tile.out_row_stride;
    if constexpr (kWeightsInRows) {
      const __m512i bias = _mm512_set1_epi32(tile.bias[i]);
      const __m512 multiplier =
          tile.int32_output ? _mm512_setzero_ps() : _mm512_set1_ps(tile.multiplier[i]);
      StoreVector(_mm512_add_epi32(acc0[i], bias), multiplier, mask0, count0, tile, row_at);
      if (count1 > 0) {
        StoreVector(_mm512_add_epi32(acc1[i], bias), multiplier, mask1, count1, tile,
                    row_at + 16 * tile.out_col_stride);
      }
    } else {
      const __m512i bias0 = _mm512_maskz_loadu_epi32(mask0, tile.bias);
      const __m512 multiplier0 = tile.int32_output
                                     ? _mm512_setzero_ps()
                                     : _mm512_maskz_loadu_ps(mask0, tile.multiplier);
      StoreVector(_mm512_add_epi32(acc0[i], bias0), multiplier0, mask0, count0, tile, row_at);
      if (count1 > 0) {
        const __m512i bias1 = _mm512_maskz_loadu_epi32(mask1, tile.bias + 16);
        const __m512 multiplier1 = tile.int32_output
                                       ? _mm512_setzero_ps()
                                       : _mm512_maskz_loadu_ps(mask1, tile.multiplier + 16);
        StoreVector(_mm512_add_epi32(acc1[i], bias1), multiplier1, mask1, count1, tile,
                    row_at + 16 * tile.out_col_stride);
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

// Interleaves 4 rows of 16 bytes into 16 groups of 4 (one per column), xor `flip`.
void Interleave4x16(const int8_t* r0, const int8_t* r1, const int8_t* r2, const int8_t* r3,
                    __m128i flip, uint8_t* out) {
  const __m128i a = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(r0)), flip);
  const __m128i b = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(r1)), flip);
  const __m128i c = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(r2)), flip);
  const __m128i d = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(r3)), flip);
  const __m128i ab_lo = _mm_unpacklo_epi8(a, b);
  const __m128i ab_hi = _mm_unpackhi_epi8(a, b);
  const __m128i cd_lo = _mm_unpacklo_epi8(c, d);
  const __m128i cd_hi = _mm_unpackhi_epi8(c, d);
  auto* o = reinterpret_cast<__m128i*>(out);
  _mm_storeu_si128(o + 0, _mm_unpacklo_epi16(ab_lo, cd_lo));
  _mm_storeu_si128(o + 1, _mm_unpackhi_epi16(ab_lo, cd_lo));
  _mm_storeu_si128(o + 2, _mm_unpacklo_epi16(ab_hi, cd_hi));
  _mm_storeu_si128(o + 3, _mm_unpackhi_epi16(ab_hi, cd_hi));
}

// S8PackFn with fast paths for contiguous columns (im2col matrices, NCHW inputs) and contiguous
// K (row-major activations and weights).
void Pack(const S8Matrix& x, int64_t k, int64_t n0, int64_t nc, int width, int offset,
          void* dst) {
  const uint8_t flip = static_cast<uint8_t>(offset);
  const int64_t kgroups = (k + kKr - 1) / kKr;
  if (x.col_stride == 1 && width % 16 == 0) {
    alignas(16) static const int8_t kZeros[16] = {};
    const __m128i flip_v = _mm_set1_epi8(static_cast<char>(flip));
    auto* out = static_cast<uint8_t*>(dst);
    for (int64_t p = 0; p < nc; p += width) {
      const int64_t cols = nc - p < width ? nc - p : width;
      for (int64_t g = 0; g < kgroups; ++g) {
        const int8_t* rows[kKr];
        for (int q = 0; q < kKr; ++q) {
          const int64_t kk = g * kKr + q;
          rows[q] = kk < k ? x.base + kk * x.row_stride + n0 + p : nullptr;
        }
        for (int j = 0; j < width; j += 16) {
          if (j + 16 <= cols) {
            const int8_t* r[kKr];
            for (int q = 0; q < kKr; ++q) r[q] = rows[q] != nullptr ? rows[q] + j : kZeros;
            Interleave4x16(r[0], r[1], r[2], r[3], flip_v, out);
          } else {
            for (int jj = j; jj < j + 16; ++jj) {
              for (int q = 0; q < kKr; ++q) {
                const int value = (jj < cols && rows[q] != nullptr) ? rows[q][jj] : 0;
                out[(jj - j) * kKr + q] = static_cast<uint8_t>(value ^ flip);
              }
            }
          }
          out += 16 * kKr;
        }
      }
    }
    return;
  }
  if (x.row_stride == 1) {
    const uint32_t flip4 = 0x01010101u * flip;
    auto* out = static_cast<uint8_t*>(dst);
    const int64_t full = k / kKr;
    for (int64_t p = 0; p < nc; p += width) {
      const int64_t cols = nc - p < width ? nc - p : width;
      for (int64_t g = 0; g < kgroups; ++g) {
        for (int j = 0; j < width; ++j) {
          uint32_t word = 0;
          if (j < cols) {
            const int8_t* src = x.base + (n0 + p + j) * x.col_stride + g * kKr;
            if (g < full) {
              word = static_cast<uint32_t>(_mm_cvtsi128_si32(_mm_loadu_si32(src)));
            } else {
              for (int q = 0; q < k - g * kKr; ++q) {
                word |= static_cast<uint32_t>(static_cast<uint8_t>(src[q])) << (8 * q);
              }
            }
          }
          word ^= flip4;
          _mm_storeu_si32(out, _mm_cvtsi32_si128(static_cast<int>(word)));
          out += kKr;
        }
      }
    }
    return;
  }
  s8_impl::PackGeneric<VnniPolicy>(x, k, n0, nc, width, offset, dst);
}

void DwPlane(const Conv2dGeometry& g, const int32_t* scratch, const int8_t* w,
             const S8DwPlaneParams& params, void* y) {
  const S8DwLayout l = S8DwLayout::Of(g, VnniPolicy::kDwVector);
  S8GemmTile tile;
  tile.int32_output = params.int32_output;
  tile.q_min = params.q_min;
  tile.q_max = params.q_max;
  tile.out = y;
  tile.out_col_stride = 1;
  const __m512 multiplier = _mm512_set1_ps(params.multiplier);
  const __m512i bias = _mm512_set1_epi32(params.bias);
  const int taps = static_cast<int>(g.kernel_h * g.kernel_w);
  int64_t offsets[kMaxS8DwTaps];
  s8_impl::DwTapOffsets<VnniPolicy>(g, l, offsets);
  // (w, 0) int16 pairs: vpdpwssd then adds x * w + (sign of x) * 0 per int32 lane.
  int32_t pairs[kMaxS8DwTaps];
  for (int t = 0; t < taps; ++t) pairs[t] = static_cast<uint16_t>(w[t]);
  for (int64_t oy = 0; oy < g.out_h; ++oy) {
    const int32_t* top = scratch + oy * g.stride_h * l.row_stride;
    int64_t ox = 0;
    for (; ox + 32 <= g.out_w; ox += 32) {
      __m512i acc0 = bias;
      __m512i acc1 = bias;
      for (int t = 0; t < taps; ++t) {
        const int32_t* p = top + offsets[t] + ox;
        const __m512i wv = _mm512_set1_epi32(pairs[t]);
        acc0 = _mm512_dpwssd_epi32(acc0, _mm512_loadu_si512(p), wv);
        acc1 = _mm512_dpwssd_epi32(acc1, _mm512_loadu_si512(p + 16), wv);
      }
      StoreVector(acc0, multiplier, 0xffff, 16, tile, oy * g.out_w + ox);
      StoreVector(acc1, multiplier, 0xffff, 16, tile, oy * g.out_w + ox + 16);
    }
    for (; ox < g.out_w; ox += 16) {
      __m512i acc = bias;
      for (int t = 0; t < taps; ++t) {
        acc = _mm512_dpwssd_epi32(acc, _mm512_loadu_si512(top + offsets[t] + ox),
                                  _mm512_set1_epi32(pairs[t]));
      }
      const int64_t count = g.out_w - ox < 16 ? g.out_w - ox : 16;
      StoreVector(acc, multiplier, LaneMask(count), static_cast<int>(count), tile,
                  oy * g.out_w + ox);
    }
  }
}

// acc += vpdpwssd(a, b) (int16 pairs), the accumulator tied as in Dpbusd.
inline __m512i Dpwssd(__m512i acc, __m512i a, __m512i b) {
#if defined(__GNUC__)
  __asm__("vpdpwssd %2, %1, %0" : "+v"(acc) : "v"(a), "v"(b));
  return acc;
#else
  return _mm512_dpwssd_epi32(acc, a, b);
#endif
}

// The output rows of a channel-blocked depthwise task. kKh / kPairs: the plan's kernel_h and
// pairs when known at compile time (the weights then stay in registers), 0 otherwise.
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
  const __m512i bias = _mm512_loadu_si512(a.bias);
  const __m512 multiplier = int32_output ? _mm512_setzero_ps() : _mm512_loadu_ps(a.multiplier);
  const __m512 q_min = _mm512_set1_ps(static_cast<float>(a.q_min));
  const __m512 q_max = _mm512_set1_ps(static_cast<float>(a.q_max));
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
    __m512i wv[kKh > 0 ? kKh * kPairs : 1];
    if constexpr (kKh > 0) {
#pragma GCC unroll 16
      for (int i = 0; i < kKh * kPairs; ++i) wv[i] = _mm512_loadu_si512(w + i * kS8DwBlock);
    }
    for (int64_t i = 0; i < band; ++i) {
      const int32_t* top = entries + i * band_step;
      for (int64_t ox = start; ox < out_w; ox += step) {
        const int32_t* column = top + ((ox * stride_w + shift) >> 1) * kS8DwBlock;
        __m512i acc = bias;
#pragma GCC unroll 8
        for (int64_t ky = 0; ky < kh; ++ky) {
#pragma GCC unroll 8
          for (int64_t p = 0; p < pairs; ++p) {
            __m512i weights;
            if constexpr (kKh > 0) {
              weights = wv[ky * kPairs + p];
            } else {
              weights = _mm512_loadu_si512(w + (ky * pairs + p) * kS8DwBlock);
            }
            acc = Dpwssd(acc, _mm512_loadu_si512(column + ky * row_step + p * kS8DwBlock),
                         weights);
          }
        }
        const int64_t at = (i * out_w + ox) * kS8DwBlock;
        if (int32_output) {
          _mm512_storeu_si512(static_cast<int32_t*>(out) + at, acc);
        } else {
          __m512 scaled = _mm512_mul_ps(_mm512_cvtepi32_ps(acc), multiplier);
          scaled = _mm512_min_ps(_mm512_max_ps(scaled, q_min), q_max);
          _mm_storeu_si128(reinterpret_cast<__m128i*>(static_cast<int8_t*>(out) + at),
                           _mm512_cvtepi32_epi8(_mm512_cvtps_epi32(scaled)));
        }
      }
    }
  }
}

void VnniPolicy::ComputeRows(const S8DwBlockArgs& a, const int32_t* entries, void* out) {
  const int64_t kh = a.plan->g.kernel_h;
  const int64_t pairs = a.plan->pairs;
  if (kh == 3 && pairs == 2) return DwBlockRows<3, 2>(a, entries, out);
  if (kh == 5 && pairs == 3) return DwBlockRows<5, 3>(a, entries, out);
  DwBlockRows<0, 0>(a, entries, out);
}

}  // namespace

void InitS8GemmAvx512Vnni(S8GemmConfig* config) {
  config->isa = IsaLevel::kAvx512Vnni;
  config->name = "avx512vnni_8x32";
  config->mr = kMr;
  config->nr = kNr;
  config->kr = kKr;
  config->elem_size = 1;
  config->activation_offset = 128;
  FillRows<kMr>(config);
  config->pack = &Pack;
  config->dw_fill = &s8_impl::DwFill<VnniPolicy>;
  config->dw_plane = &DwPlane;
  config->dw_vector = VnniPolicy::kDwVector;
  config->dw_block = &s8_impl::DwBlock<VnniPolicy>;
}

}  // namespace hb_dnn::kernels::ukernels
