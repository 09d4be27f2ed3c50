#ifndef HB_DNN_SRC_KERNELS_UKERNELS_F32_DWCONV_IMPL_H_
#define HB_DNN_SRC_KERNELS_UKERNELS_F32_DWCONV_IMPL_H_

// The depthwise plane kernel (method in f32_dwconv.h) written once over a vector policy `Vec`:
//   using T = ...;                  a register of kWidth floats
//   static constexpr int kWidth;
//   static T Splat(float);
//   static T Load(const float*); static void Store(float*, T);   (unaligned)
//   static T MulAdd(T x, T y, T z);                              (x * y + z)
//   static T Min(T, T); static T Max(T, T);
//   static T Even(const float* p);          p[0], p[2], ..., p[2 * kWidth - 2]
// Only the per-ISA units include this, each with its own policy type, so instantiations of
// different units never share a symbol (see f32_pack_impl.h); helpers here are templates on the
// policy for the same reason.

#include <cstdint>

#include "src/kernels/ukernels/f32_dwconv.h"

namespace hb_dnn::kernels::ukernels::dwconv_impl {

// Vectors per register block: independent accumulators hide the FMA latency.
inline constexpr int kBlockVectors = 4;

template <class Vec>
inline int64_t Min64(int64_t a, int64_t b) {
  return a < b ? a : b;
}

template <class Vec>
inline int64_t Max64(int64_t a, int64_t b) {
  return a > b ? a : b;
}

// Ceiling division for b > 0 and any sign of a.
template <class Vec>
inline int64_t CeilDiv64(int64_t a, int64_t b) {
  return a >= 0 ? (a + b - 1) / b : -((-a) / b);
}

template <class Vec>
inline void ZeroFill(float* dst, int64_t n) {
  constexpr int kW = Vec::kWidth;
  const typename Vec::T zero = Vec::Splat(0.0f);
  int64_t i = 0;
  for (; i + kW <= n; i += kW) Vec::Store(dst + i, zero);
  for (; i < n; ++i) dst[i] = 0.0f;
}

// Writes the sub-planes of `input` into scratch (layout in f32_dwconv.h).
template <class Vec>
void FillSubplanes(const Conv2dGeometry& g, const DwConvLayout<Vec>& l,
                   const float* __restrict input, float* __restrict scratch) {
  const int64_t sh = g.stride_h;
  const int64_t sw = g.stride_w;
  const int64_t rows = g.out_h + l.row_shift;
  const int64_t ls = l.row_length;
  constexpr int kW = Vec::kWidth;
  // Sub-planes some tap reads (all of them for unusually large strides).
  constexpr int64_t kMaxTrackedPhases = 256;
  bool used[kMaxTrackedPhases] = {};
  const bool all = sh * sw > kMaxTrackedPhases;
  for (int64_t ky = 0; ky < g.kernel_h && !all; ++ky) {
    for (int64_t kx = 0; kx < g.kernel_w; ++kx) {
      used[(ky * g.dilation_h % sh) * sw + kx * g.dilation_w % sw] = true;
    }
  }
  for (int64_t qy = 0; qy < sh; ++qy) {
    for (int64_t qx = 0; qx < sw; ++qx) {
      if (!all && !used[qy * sw + qx]) continue;
      float* __restrict sub = scratch + (qy * sw + qx) * l.subplane;
      // Columns c read input column c * sw + qx - pad_left: valid for c_lo <= c < c_hi.
      const int64_t c_lo = Min64<Vec>(ls, Max64<Vec>(0, CeilDiv64<Vec>(g.pad_left - qx, sw)));
      const int64_t c_hi =
          Max64<Vec>(c_lo, Min64<Vec>(ls, CeilDiv64<Vec>(g.in_w + g.pad_left - qx, sw)));
      for (int64_t r = 0; r < rows; ++r) {
        float* __restrict dst = sub + r * ls;
        const int64_t iy = r * sh + qy - g.pad_top;
        if (iy < 0 || iy >= g.in_h) {
          ZeroFill<Vec>(dst, ls);
          continue;
        }
        for (int64_t c = 0; c < c_lo; ++c) dst[c] = 0.0f;
        if (c_hi > c_lo) {
          const float* src = input + iy * g.in_w + c_lo * sw + qx - g.pad_left;
          float* out = dst + c_lo;
          const int64_t n = c_hi - c_lo;
          if (sw == 1) {
            int64_t c = 0;
            for (; c + kW <= n; c += kW) Vec::Store(out + c, Vec::Load(src + c));
            for (; c < n; ++c) out[c] = src[c];
          } else if (sw == 2) {
            // Only the phase qx of each pair is kept; the deinterleave reads 2 * kW floats, so
            // stop while that stays inside the row.
            const int64_t start = c_lo * sw + qx - g.pad_left;  // input column of out[0]
            int64_t c = 0;
            for (; c + kW <= n && start + 2 * (c + kW) <= g.in_w; c += kW) {
              Vec::Store(out + c, Vec::Even(src + 2 * c));
            }
            for (; c < n; ++c) out[c] = src[2 * c];
          } else {
            for (int64_t c = 0; c < n; ++c) out[c] = src[c * sw];
          }
        }
        for (int64_t c = c_hi; c < ls; ++c) dst[c] = 0.0f;
      }
      // The overrun read by the last vectors (outputs past the plane, dropped later).
      ZeroFill<Vec>(sub + rows * ls, l.subplane - rows * ls);
    }
  }
}

// acc[v] = bias + sum over taps of weight * tap run, for kVectors vectors at flat index p.
// kTaps: the tap count when fixed at compile time (loop unrolled), 0 for `taps`.
template <class Vec, int kTaps, int kVectors>
inline void Block(const float* const* tap_base, const typename Vec::T* weights,
                  const float* weight_values, int64_t taps, int64_t p, typename Vec::T bias,
                  typename Vec::T* acc) {
  using T = typename Vec::T;
  constexpr int kW = Vec::kWidth;
#pragma GCC unroll 4
  for (int v = 0; v < kVectors; ++v) acc[v] = bias;
  if constexpr (kTaps > 0) {
#pragma GCC unroll 25
    for (int t = 0; t < kTaps; ++t) {
      const float* src = tap_base[t] + p;
#pragma GCC unroll 4
      for (int v = 0; v < kVectors; ++v) {
        acc[v] = Vec::MulAdd(weights[t], Vec::Load(src + v * kW), acc[v]);
      }
    }
  } else {
    for (int64_t t = 0; t < taps; ++t) {
      const T w = Vec::Splat(weight_values[t]);
      const float* src = tap_base[t] + p;
#pragma GCC unroll 4
      for (int v = 0; v < kVectors; ++v) acc[v] = Vec::MulAdd(w, Vec::Load(src + v * kW), acc[v]);
    }
  }
}

template <class Vec, int kVectors>
inline void StoreBlock(float* dst, typename Vec::T* acc, bool clamp, typename Vec::T lo,
                       typename Vec::T hi) {
  constexpr int kW = Vec::kWidth;
#pragma GCC unroll 4
  for (int v = 0; v < kVectors; ++v) {
    if (clamp) acc[v] = Vec::Min(Vec::Max(acc[v], lo), hi);
    Vec::Store(dst + v * kW, acc[v]);
  }
}

template <class Vec, int kTaps>
void Planes(const Conv2dGeometry& g, const float* input, int64_t outputs, const float* weights,
            const float* bias, float* output, float* scratch, const F32DwConvParams& params) {
  using T = typename Vec::T;
  constexpr int kW = Vec::kWidth;
  constexpr int kTile = kW * kBlockVectors;
  const DwConvLayout<Vec> l = DwConvLayout<Vec>::Of(g, kTile);
  FillSubplanes<Vec>(g, l, input, scratch);
  float* chunk_buffer = scratch + l.subplanes * l.subplane;

  const int64_t taps = g.kernel_h * g.kernel_w;
  const float* tap_base[kMaxDwTaps];
  for (int64_t ky = 0; ky < g.kernel_h; ++ky) {
    for (int64_t kx = 0; kx < g.kernel_w; ++kx) {
      const int64_t dy = ky * g.dilation_h;
      const int64_t dx = kx * g.dilation_w;
      const int64_t sub = (dy % g.stride_h) * g.stride_w + dx % g.stride_w;
      tap_base[ky * g.kernel_w + kx] = scratch + sub * l.subplane +
                                       (dy / g.stride_h) * l.row_length + dx / g.stride_w;
    }
  }
  const T lo = Vec::Splat(params.min);
  const T hi = Vec::Splat(params.max);
  const int64_t out_plane = g.out_h * g.out_w;

  for (int64_t j = 0; j < outputs; ++j) {
    const float* w = weights + j * taps;
    T w_splat[kTaps > 0 ? kTaps : 1];
    if constexpr (kTaps > 0) {
#pragma GCC unroll 25
      for (int t = 0; t < kTaps; ++t) w_splat[t] = Vec::Splat(w[t]);
    }
    const T b = Vec::Splat(bias != nullptr ? bias[j] : 0.0f);
    float* out = output + j * out_plane;
    for (int64_t oy0 = 0; oy0 < g.out_h; oy0 += l.chunk_rows) {
      const int64_t rows = Min64<Vec>(l.chunk_rows, g.out_h - oy0);
      const int64_t p0 = oy0 * l.row_length;
      const int64_t count = rows * l.row_length;
      const int64_t full = count / kTile * kTile;
      T acc[kBlockVectors];
      for (int64_t i = 0; i < full; i += kTile) {
        Block<Vec, kTaps, kBlockVectors>(tap_base, w_splat, w, taps, p0 + i, b, acc);
        StoreBlock<Vec, kBlockVectors>(chunk_buffer + i, acc, params.clamp, lo, hi);
      }
      // The rest: up to kBlockVectors vectors, the last one partly past the chunk.
      switch ((count - full + kW - 1) / kW) {
        case 1:
          Block<Vec, kTaps, 1>(tap_base, w_splat, w, taps, p0 + full, b, acc);
          StoreBlock<Vec, 1>(chunk_buffer + full, acc, params.clamp, lo, hi);
          break;
        case 2:
          Block<Vec, kTaps, 2>(tap_base, w_splat, w, taps, p0 + full, b, acc);
          StoreBlock<Vec, 2>(chunk_buffer + full, acc, params.clamp, lo, hi);
          break;
        case 3:
          Block<Vec, kTaps, 3>(tap_base, w_splat, w, taps, p0 + full, b, acc);
          StoreBlock<Vec, 3>(chunk_buffer + full, acc, params.clamp, lo, hi);
          break;
        case 4:
          Block<Vec, kTaps, 4>(tap_base, w_splat, w, taps, p0 + full, b, acc);
          StoreBlock<Vec, 4>(chunk_buffer + full, acc, params.clamp, lo, hi);
          break;
        default:
          break;
      }
      // Drop the junk columns: flat row r holds output row oy0 + r in its first out_w floats.
      // Whole vectors may spill into the following output rows of the plane, which are written
      // after; they must not pass the plane's end.
      for (int64_t r = 0; r < rows; ++r) {
        const float* src = chunk_buffer + r * l.row_length;
        float* dst = out + (oy0 + r) * g.out_w;
        const int64_t room = (g.out_h - oy0 - r) * g.out_w;
        int64_t x = 0;
        for (; x < g.out_w && x + kW <= room; x += kW) Vec::Store(dst + x, Vec::Load(src + x));
        for (; x < g.out_w; ++x) dst[x] = src[x];
      }
    }
  }
}

// Pixels per register block of the channel-blocked form: enough accumulators to cover the FMA
// latency, few enough to leave registers for the weights of a 3x3 kernel.
template <class Vec>
constexpr int BlockedPixels() {
  return Vec::kWidth >= 16 ? 8 : 4;
}

// acc[r] = bias + sum over taps of w[t] * pixel vector, for kPixels output pixels starting at
// padded pixel index `origin`, consecutive outputs `step` pixels apart.
// acc[r] = bias + sum over taps of w[t] * the tap's pixel vector, for kPixels output pixels
// whose window origins (padded pixel indices) are origin[r]. Fixed-size kernels (kTaps > 0)
// take their weight vectors from registers (`w`), others load them from `w_mem` per tap.
template <class Vec, int kTaps, int kPixels>
inline void BlockedPixelsRun(const float* padded, const int64_t* tap_offset,
                             const typename Vec::T* w, const float* w_mem, int64_t taps,
                             const int64_t* origin, typename Vec::T bias, typename Vec::T* acc) {
  using T = typename Vec::T;
  constexpr int kW = Vec::kWidth;
  const float* base[kPixels];
#pragma GCC unroll 8
  for (int r = 0; r < kPixels; ++r) {
    acc[r] = bias;
    base[r] = padded + origin[r] * kW;
  }
  const int64_t n = kTaps > 0 ? kTaps : taps;
#pragma GCC unroll 25
  for (int64_t t = 0; t < n; ++t) {
    const int64_t offset = tap_offset[t] * kW;
    const T wt = kTaps > 0 ? w[t] : Vec::Load(w_mem + t * kW);
#pragma GCC unroll 8
    for (int r = 0; r < kPixels; ++r) acc[r] = Vec::MulAdd(wt, Vec::Load(base[r] + offset), acc[r]);
  }
}

// Computes kPixels consecutive output pixels (row-major over the plane) starting at flat index
// q, whose output coordinates are (oy, ox), into out_block; advances (oy, ox) past them.
template <class Vec, int kTaps, int kPixels>
inline void BlockedOutputs(const Conv2dGeometry& g, int64_t pw, const float* padded,
                           const int64_t* tap_offset, const typename Vec::T* w,
                           const float* w_mem, int64_t taps, typename Vec::T bias, bool clamp,
                           typename Vec::T lo, typename Vec::T hi, int64_t q, int64_t* oy,
                           int64_t* ox, float* out_block) {
  using T = typename Vec::T;
  constexpr int kW = Vec::kWidth;
  int64_t origin[kPixels];
#pragma GCC unroll 8
  for (int r = 0; r < kPixels; ++r) {
    origin[r] = *oy * g.stride_h * pw + *ox * g.stride_w;
    if (++*ox == g.out_w) {
      *ox = 0;
      ++*oy;
    }
  }
  T acc[kPixels];
  BlockedPixelsRun<Vec, kTaps, kPixels>(padded, tap_offset, w, w_mem, taps, origin, bias, acc);
#pragma GCC unroll 8
  for (int r = 0; r < kPixels; ++r) {
    if (clamp) acc[r] = Vec::Min(Vec::Max(acc[r], lo), hi);
    Vec::Store(out_block + (q + r) * kW, acc[r]);
  }
}

template <class Vec, int kTaps>
void ChannelBlock(const Conv2dGeometry& g, const float* const* inputs, int lanes,
                  const float* weights, const float* bias, float* output, float* scratch,
                  const F32DwConvParams& params) {
  using T = typename Vec::T;
  constexpr int kW = Vec::kWidth;
  constexpr int kPixels = BlockedPixels<Vec>();
  const DwConvBlockedLayout<Vec> l = DwConvBlockedLayout<Vec>::Of(g, kW);
  float* padded = scratch;
  float* out_block = scratch + l.input;
  float* w_block = out_block + l.output;
  const int64_t taps = g.kernel_h * g.kernel_w;
  const int64_t pw = l.padded_w;
  const T zero = Vec::Splat(0.0f);

  // Weights and bias per lane; lanes past `lanes` get zeros.
  for (int64_t t = 0; t < taps; ++t) {
    for (int i = 0; i < kW; ++i) w_block[t * kW + i] = i < lanes ? weights[i * taps + t] : 0.0f;
  }
  alignas(64) float bias_lanes[kW];
  for (int i = 0; i < kW; ++i) bias_lanes[i] = bias != nullptr && i < lanes ? bias[i] : 0.0f;

  // Zero the padding pixels: rows above and below the input, columns left and right of it.
  const int64_t top = Min64<Vec>(g.pad_top, l.padded_h);
  const int64_t bottom = Min64<Vec>(l.padded_h, Max64<Vec>(top, g.pad_top + g.in_h));
  const int64_t left = Min64<Vec>(g.pad_left, pw);
  const int64_t right = Min64<Vec>(pw, Max64<Vec>(left, g.pad_left + g.in_w));
  for (int64_t y = 0; y < l.padded_h; ++y) {
    float* row = padded + y * pw * kW;
    if (y < top || y >= bottom) {
      for (int64_t x = 0; x < pw; ++x) Vec::Store(row + x * kW, zero);
      continue;
    }
    for (int64_t x = 0; x < left; ++x) Vec::Store(row + x * kW, zero);
    for (int64_t x = right; x < pw; ++x) Vec::Store(row + x * kW, zero);
  }

  // Transpose in: chunks of kW consecutive input pixels (row-major over the whole plane) become
  // kW pixel vectors, each stored at its padded position unless no output reads it.
  const int64_t in_pixels = g.in_h * g.in_w;
  int64_t iy = 0;
  int64_t ix = 0;
  auto place = [&](int64_t y, int64_t x) -> float* {
    const int64_t py = y + g.pad_top;
    const int64_t px = x + g.pad_left;
    return py < l.padded_h && px < pw ? padded + (py * pw + px) * kW : nullptr;
  };
  int64_t p = 0;
  for (; p + kW <= in_pixels; p += kW) {
    T rows[kW];
#pragma GCC unroll 16
    for (int i = 0; i < kW; ++i) rows[i] = Vec::Load(inputs[i] + p);
    Vec::Transpose(rows);
#pragma GCC unroll 16
    for (int j = 0; j < kW; ++j) {
      if (float* dst = place(iy, ix)) Vec::Store(dst, rows[j]);
      if (++ix == g.in_w) {
        ix = 0;
        ++iy;
      }
    }
  }
  for (; p < in_pixels; ++p) {
    if (float* dst = place(iy, ix)) {
      for (int i = 0; i < kW; ++i) dst[i] = inputs[i][p];
    }
    if (++ix == g.in_w) {
      ix = 0;
      ++iy;
    }
  }

  // Compute, kPixels output pixels at a time in row-major order across rows.
  int64_t tap_offset[kMaxDwTaps];
  T w[kTaps > 0 ? kTaps : 1];
  for (int64_t ky = 0; ky < g.kernel_h; ++ky) {
    for (int64_t kx = 0; kx < g.kernel_w; ++kx) {
      tap_offset[ky * g.kernel_w + kx] = ky * g.dilation_h * pw + kx * g.dilation_w;
    }
  }
  if constexpr (kTaps > 0) {
    for (int t = 0; t < kTaps; ++t) w[t] = Vec::Load(w_block + t * kW);
  }
  const T b = Vec::Load(bias_lanes);
  const T lo = Vec::Splat(params.min);
  const T hi = Vec::Splat(params.max);
  const int64_t out_pixels = g.out_h * g.out_w;
  int64_t oy = 0;
  int64_t ox = 0;
  int64_t q = 0;
  for (; q + kPixels <= out_pixels; q += kPixels) {
    BlockedOutputs<Vec, kTaps, kPixels>(g, pw, padded, tap_offset, w, w_block, taps, b,
                                        params.clamp, lo, hi, q, &oy, &ox, out_block);
  }
  for (; q < out_pixels; ++q) {
    BlockedOutputs<Vec, kTaps, 1>(g, pw, padded, tap_offset, w, w_block, taps, b, params.clamp,
                                  lo, hi, q, &oy, &ox, out_block);
  }

  // Transpose out: chunks of kW output pixels become kW runs of one channel each.
  q = 0;
  for (; q + kW <= out_pixels; q += kW) {
    T rows[kW];
#pragma GCC unroll 16
    for (int j = 0; j < kW; ++j) rows[j] = Vec::Load(out_block + (q + j) * kW);
    Vec::Transpose(rows);
    for (int i = 0; i < lanes; ++i) Vec::Store(output + i * out_pixels + q, rows[i]);
  }
  for (; q < out_pixels; ++q) {
    for (int i = 0; i < lanes; ++i) output[i * out_pixels + q] = out_block[q * kW + i];
  }
}

// The F32DwConvFn: unrolled 3x3 and 5x5, generic otherwise.
template <class Vec>
void PlanesDispatch(const Conv2dGeometry& g, const float* input, int64_t outputs,
                    const float* weights, const float* bias, float* output, float* scratch,
                    const F32DwConvParams& params) {
  const int64_t taps = g.kernel_h * g.kernel_w;
  if (taps == 9) {
    Planes<Vec, 9>(g, input, outputs, weights, bias, output, scratch, params);
  } else if (taps == 25) {
    Planes<Vec, 25>(g, input, outputs, weights, bias, output, scratch, params);
  } else {
    Planes<Vec, 0>(g, input, outputs, weights, bias, output, scratch, params);
  }
}

// The F32DwConvBlockFn: unrolled 3x3, generic otherwise.
template <class Vec>
void ChannelBlockDispatch(const Conv2dGeometry& g, const float* const* inputs, int lanes,
                          const float* weights, const float* bias, float* output, float* scratch,
                          const F32DwConvParams& params) {
  if (g.kernel_h * g.kernel_w == 9) {
    ChannelBlock<Vec, 9>(g, inputs, lanes, weights, bias, output, scratch, params);
  } else {
    ChannelBlock<Vec, 0>(g, inputs, lanes, weights, bias, output, scratch, params);
  }
}

template <class Vec>
void FillPolyphase(const Conv2dGeometry& g, const float* input, float* dst) {
  FillSubplanes<Vec>(g, DwConvLayout<Vec>::Of(g, Vec::kWidth * kBlockVectors), input, dst);
}

template <class Vec>
void Init(IsaLevel isa, const char* name, F32DwConvConfig* config) {
  config->isa = isa;
  config->name = name;
  config->tile = Vec::kWidth * kBlockVectors;
  config->planes = &PlanesDispatch<Vec>;
  config->fill_polyphase = &FillPolyphase<Vec>;
  config->block = Vec::kWidth;
  config->channel_block = &ChannelBlockDispatch<Vec>;
}

}  // namespace hb_dnn::kernels::ukernels::dwconv_impl

#endif  // HB_DNN_SRC_KERNELS_UKERNELS_F32_DWCONV_IMPL_H_
