#ifndef HB_DNN_SRC_KERNELS_UKERNELS_S8_GEMM_IMPL_H_
#define HB_DNN_SRC_KERNELS_UKERNELS_S8_GEMM_IMPL_H_

// Portable pieces of the int8 microkernels shared by the per-ISA translation units
// (s8_gemm_<isa>.cc). Everything here is a template on the including unit's `Policy`, a type in
// that unit's unnamed namespace, so each unit gets its own instantiations compiled with its own
// flags (an inline function shared by units with different -m flags could be linked from the
// wrong one). Policy provides:
//   using Elem = ...;                // packed element type: uint8_t (raw bytes) or int16_t
//   static constexpr int kKr = ...;  // K group
//   static constexpr int kDwVector = ...;  // output columns per depthwise vector
//   static void Widen(const int8_t* src, int64_t count, int64_t stride, int32_t* out);
//     // out[i] = src[i * stride] for i < count, reading no byte past src[(count - 1) * stride]

#include <cstdint>

#include "src/kernels/ukernels/s8_gemm.h"

namespace hb_dnn::kernels::ukernels::s8_impl {

// S8PackFn, element by element (any strides). Bytes are stored as (x + offset) mod 256, so that
// offset 128 turns int8 into the unsigned x + 128.
template <typename Policy>
void PackGeneric(const S8Matrix& x, int64_t k, int64_t n0, int64_t nc, int width, int offset,
                 void* dst) {
  using Elem = typename Policy::Elem;
  constexpr int kKr = Policy::kKr;
  Elem* out = static_cast<Elem*>(dst);
  const int64_t kgroups = (k + kKr - 1) / kKr;
  for (int64_t p = 0; p < nc; p += width) {
    const int64_t cols = nc - p < width ? nc - p : width;
    for (int64_t g = 0; g < kgroups; ++g) {
      for (int j = 0; j < width; ++j) {
        const int8_t* column = x.base + (n0 + p + j) * x.col_stride;
        for (int q = 0; q < kKr; ++q) {
          const int64_t kk = g * kKr + q;
          const int value = (j < cols && kk < k) ? column[kk * x.row_stride] : 0;
          *out++ = static_cast<Elem>(static_cast<Elem>(value + offset));
        }
      }
    }
  }
}

// S8DwFillFn: the padded, stride_w-phased int32 copy of one plane (S8DwLayout), zeros outside
// the input.
template <typename Policy>
void DwFill(const Conv2dGeometry& g, const int8_t* x, int32_t* scratch) {
  const S8DwLayout l = S8DwLayout::Of(g, Policy::kDwVector);
  const int64_t sw = g.stride_w;
  // Phase-major, so that the phase's input range (two divisions) is computed once per plane.
  for (int64_t q = 0; q < sw; ++q) {
    // Phase entry i is padded column i * sw + q, input column ix = i * sw + q - pad_left;
    // entries [lo, hi) fall inside the input.
    const int64_t first = g.pad_left - q;
    int64_t lo = first <= 0 ? 0 : (first + sw - 1) / sw;
    int64_t hi = g.in_w + first <= 0 ? 0 : (g.in_w + first + sw - 1) / sw;
    lo = lo < l.phase_length ? lo : l.phase_length;
    hi = hi < l.phase_length ? hi : l.phase_length;
    hi = hi > lo ? hi : lo;
    for (int64_t r = 0; r < l.rows; ++r) {
      int32_t* out = scratch + r * l.row_stride + q * l.phase_length;
      const int64_t iy = r - g.pad_top;
      if (iy < 0 || iy >= g.in_h) {
        for (int64_t i = 0; i < l.phase_length; ++i) out[i] = 0;
        continue;
      }
      for (int64_t i = 0; i < lo; ++i) out[i] = 0;
      Policy::Widen(x + iy * g.in_w + lo * sw - first, hi - lo, sw, out + lo);
      for (int64_t i = hi; i < l.phase_length; ++i) out[i] = 0;
    }
  }
}

// Per tap t = ky * kernel_w + kx: where its input run starts in the dw_fill scratch, relative
// to the output row's first padded row (`taps` <= kMaxS8DwTaps).
template <typename Policy>
void DwTapOffsets(const Conv2dGeometry& g, const S8DwLayout& l, int64_t* offsets) {
  for (int64_t ky = 0; ky < g.kernel_h; ++ky) {
    for (int64_t kx = 0; kx < g.kernel_w; ++kx) {
      // Divisions are slow next to a small plane's work: stride 1 needs none.
      const int64_t dx = kx * g.dilation_w;
      const int64_t phase = g.stride_w == 1 ? 0 : dx % g.stride_w;
      const int64_t column = g.stride_w == 1 ? dx : dx / g.stride_w;
      offsets[ky * g.kernel_w + kx] =
          ky * g.dilation_h * l.row_stride + phase * l.phase_length + column;
    }
  }
}

}  // namespace hb_dnn::kernels::ukernels::s8_impl

#endif  // HB_DNN_SRC_KERNELS_UKERNELS_S8_GEMM_IMPL_H_
