#ifndef HB_DNN_SRC_KERNELS_UKERNELS_F32_PACK_IMPL_H_
#define HB_DNN_SRC_KERNELS_UKERNELS_F32_PACK_IMPL_H_

// Panel packers (the layout f32_gemm.h describes) as plain C++ templates, instantiated by each
// per-ISA translation unit so that the copies vectorize with that unit's instruction set.
//
// Only the per-ISA .cc files include this. Every template takes the ISA tag `Isa` first so the
// instantiations of different units have different symbols: identical symbols compiled with
// different -m flags would be merged by the linker and could run AVX-512 code on a CPU without
// it. For the same reason this header calls no non-template inline function of another header
// (std::memcpy of a constant size is expanded inline; the explicit copies matter because GCC
// does not vectorize these loops across the possible aliasing).

#include <cstdint>
#include <cstring>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include "src/kernels/ukernels/f32_gemm.h"

namespace hb_dnn::kernels::ukernels::pack_impl {

template <class Isa>
inline int64_t MinI(int64_t a, int64_t b) {
  return a < b ? a : b;
}

template <class Isa>
inline int64_t MaxI(int64_t a, int64_t b) {
  return a > b ? a : b;
}

// Ceiling division for b > 0 and any sign of a.
template <class Isa>
inline int64_t CeilDiv(int64_t a, int64_t b) {
  return a >= 0 ? (a + b - 1) / b : -((-a) / b);
}

// Panels of width kW from a strided matrix.
template <class Isa, int kW>
void PackMatrix(const F32StridedMatrix& x, int64_t k0, int64_t kc, int64_t n0, int64_t nc,
                float* __restrict dst) {
  const int64_t panels = (nc + kW - 1) / kW;
  for (int64_t p = 0; p < panels; ++p) {
    const int64_t cols = MinI<Isa>(kW, nc - p * kW);
    const float* src = x.base + k0 * x.row_stride + (n0 + p * kW) * x.col_stride;
    float* out = dst + p * kc * kW;
    if (x.col_stride == 1 && cols == kW) {
      for (int64_t k = 0; k < kc; ++k) {
        const float* __restrict row = src + k * x.row_stride;
        std::memcpy(out + k * kW, row, kW * sizeof(float));
      }
    } else if (x.col_stride == 1) {
      for (int64_t k = 0; k < kc; ++k) {
        const float* __restrict row = src + k * x.row_stride;
        std::memcpy(out + k * kW, row, cols * sizeof(float));
        for (int64_t j = cols; j < kW; ++j) out[k * kW + j] = 0.0f;
      }
    } else {
      // Column-contiguous sources (a transposed operand): read each column along k.
      for (int64_t j = 0; j < cols; ++j) {
        const float* __restrict col = src + j * x.col_stride;
        for (int64_t k = 0; k < kc; ++k) out[k * kW + j] = col[k * x.row_stride];
      }
      for (int64_t k = 0; k < kc; ++k) {
        for (int64_t j = cols; j < kW; ++j) out[k * kW + j] = 0.0f;
      }
    }
  }
}

// Most rows one PackIm2Col call takes at a time (the driver's K slices are shorter).
inline constexpr int64_t kMaxIm2ColRows = 1024;

// For each of `rows` matrix rows kk: copies n floats (n <= kW) from row[kk] + source to
// dst + kk * kW (a run of a panel). AVX-512 units use masked moves with the mask computed once
// (the masked load stays within the run); others memcpy.
template <class Isa, int kW>
inline void CopyRuns(float* __restrict dst, const float* const* row, int64_t source,
                     int64_t rows, int64_t n) {
#if defined(__AVX512F__)
  const int64_t whole = n / 16;
  const __mmask16 mask = static_cast<__mmask16>((1u << (n % 16)) - 1);
  for (int64_t kk = 0; kk < rows; ++kk) {
    const float* src = row[kk] + source;
    float* out = dst + kk * kW;
    for (int64_t i = 0; i < whole; ++i) _mm512_storeu_ps(out + 16 * i, _mm512_loadu_ps(src + 16 * i));
    if (mask != 0) {
      _mm512_mask_storeu_ps(out + 16 * whole, mask, _mm512_maskz_loadu_ps(mask, src + 16 * whole));
    }
  }
#else
  for (int64_t kk = 0; kk < rows; ++kk) {
    std::memcpy(dst + kk * kW, row[kk] + source, n * sizeof(float));
  }
#endif
}

// Panels of width kW from the polyphase im2col matrix of `g`. A panel's columns split into runs
// within output rows, the same for every matrix row; each run is a contiguous copy.
template <class Isa, int kW>
void PackIm2Col(const PolyphaseIm2Col& g, int64_t k0, int64_t kc, int64_t n0, int64_t nc,
                float* __restrict dst) {
  struct Run {
    int64_t column;  // within the panel
    int64_t length;
    int64_t source;  // flat offset oy * row_length + ox
  };
  const int64_t taps = g.kernel_h * g.kernel_w;
  const int64_t panels = (nc + kW - 1) / kW;
  // Offsets of kernel rows and columns within a channel's sub-planes (tables when the kernel
  // is not unusually large, so rows need no divisions).
  constexpr int64_t kMaxTable = 64;
  const bool tables = g.kernel_h <= kMaxTable && g.kernel_w <= kMaxTable;
  int64_t y_offset[kMaxTable];
  int64_t x_offset[kMaxTable];
  auto y_of = [&](int64_t ky) {
    const int64_t dy = ky * g.dilation_h;
    return (dy % g.stride_h) * g.stride_w * g.subplane_stride + (dy / g.stride_h) * g.row_length;
  };
  auto x_of = [&](int64_t kx) {
    const int64_t dx = kx * g.dilation_w;
    return (dx % g.stride_w) * g.subplane_stride + dx / g.stride_w;
  };
  if (tables) {
    for (int64_t ky = 0; ky < g.kernel_h; ++ky) y_offset[ky] = y_of(ky);
    for (int64_t kx = 0; kx < g.kernel_w; ++kx) x_offset[kx] = x_of(kx);
  }
  for (int64_t kb = 0; kb < kc; kb += kMaxIm2ColRows) {
    const int64_t rows = MinI<Isa>(kMaxIm2ColRows, kc - kb);
    const float* row[kMaxIm2ColRows];
    int64_t c = (k0 + kb) / taps;
    int64_t ky = (k0 + kb) % taps / g.kernel_w;
    int64_t kx = (k0 + kb) % g.kernel_w;
    for (int64_t kk = 0; kk < rows; ++kk) {
      row[kk] = g.buffer + c * g.channel_stride + (tables ? y_offset[ky] : y_of(ky)) +
                (tables ? x_offset[kx] : x_of(kx));
      if (++kx == g.kernel_w) {
        kx = 0;
        if (++ky == g.kernel_h) {
          ky = 0;
          ++c;
        }
      }
    }
    for (int64_t p = 0; p < panels; ++p) {
      const int64_t first = n0 + p * kW;
      const int64_t cols = MinI<Isa>(kW, n0 + nc - first);
      Run runs[kW];
      int runs_count = 0;
      for (int64_t j = 0; j < cols;) {
        const int64_t n = first + j;
        const int64_t ox = n % g.out_w;
        const int64_t length = MinI<Isa>(cols - j, g.out_w - ox);
        runs[runs_count++] = {j, length, n / g.out_w * g.row_length + ox};
        j += length;
      }
      float* __restrict out = dst + (p * kc + kb) * kW;
      if (runs_count == 1 && cols == kW) {
        const int64_t source = runs[0].source;
        for (int64_t kk = 0; kk < rows; ++kk) {
          std::memcpy(out + kk * kW, row[kk] + source, kW * sizeof(float));
        }
        continue;
      }
      // Run by run, the same copy for every matrix row.
      for (int r = 0; r < runs_count; ++r) {
        CopyRuns<Isa, kW>(out + runs[r].column, row, runs[r].source, rows, runs[r].length);
      }
      if (cols < kW) {
        for (int64_t kk = 0; kk < rows; ++kk) {
          for (int64_t j = cols; j < kW; ++j) out[kk * kW + j] = 0.0f;
        }
      }
    }
  }
}

// F32PackMatrixFn / F32PackIm2ColFn for a config whose widths are kMr and kNr.
template <class Isa, int kMr, int kNr>
void PackMatrixFor(const F32StridedMatrix& x, int64_t k0, int64_t kc, int64_t n0, int64_t nc,
                   int width, float* dst) {
  if (width == kNr) {
    PackMatrix<Isa, kNr>(x, k0, kc, n0, nc, dst);
  } else {
    PackMatrix<Isa, kMr>(x, k0, kc, n0, nc, dst);
  }
}

template <class Isa, int kMr, int kNr>
void PackIm2ColFor(const PolyphaseIm2Col& g, int64_t k0, int64_t kc, int64_t n0, int64_t nc,
                   int width, float* dst) {
  if (width == kNr) {
    PackIm2Col<Isa, kNr>(g, k0, kc, n0, nc, dst);
  } else {
    PackIm2Col<Isa, kMr>(g, k0, kc, n0, nc, dst);
  }
}


}  // namespace hb_dnn::kernels::ukernels::pack_impl

#endif  // HB_DNN_SRC_KERNELS_UKERNELS_F32_PACK_IMPL_H_
