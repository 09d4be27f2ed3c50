#ifndef HB_DNN_SRC_KERNELS_UKERNELS_F32_GEMM_XSIMD_H_
#define HB_DNN_SRC_KERNELS_UKERNELS_F32_GEMM_XSIMD_H_

// The fp32 GEMM microkernel written once over xsimd batches. Included only by the per-ISA
// translation units, each compiled with its ISA's flags, which instantiate it for their arch
// (different archs give different symbols; see f32_pack_impl.h on why that matters).
//
// Register blocking: kRows x kNv vector accumulators stay in registers for the whole K loop;
// each k loads kNv vectors of the B panel row and broadcasts kRows scalars of the A panel, each
// broadcast feeding kNv FMAs.

#include <cstdint>

#include "src/kernels/ukernels/f32_gemm.h"
#include "src/kernels/ukernels/xsimd_vec.h"
#include "xsimd/xsimd.hpp"

namespace hb_dnn::kernels::ukernels::gemm_impl {

template <class Arch, int kRows, int kMr, int kNv>
void GemmTile(int64_t kc, const float* __restrict a, const float* __restrict b, int64_t ldb,
              float* __restrict c, int64_t ldc, const F32GemmParams& params) {
  using V = xsimd::batch<float, Arch>;
  constexpr int kW = static_cast<int>(V::size);
  V acc[kRows][kNv];
#pragma GCC unroll 16
  for (int i = 0; i < kRows; ++i) {
#pragma GCC unroll 4
    for (int v = 0; v < kNv; ++v) acc[i][v] = V(0.0f);
  }
  for (int64_t k = 0; k < kc; ++k) {
    V bv[kNv];
#pragma GCC unroll 4
    for (int v = 0; v < kNv; ++v) bv[v] = V::load_unaligned(b + v * kW);
#pragma GCC unroll 16
    for (int i = 0; i < kRows; ++i) {
      const V ai(a[i]);
#pragma GCC unroll 4
      for (int v = 0; v < kNv; ++v) acc[i][v] = xsimd_vec::MulAdd<Arch>(ai, bv[v], acc[i][v]);
    }
    a += kMr;
    b += ldb;
  }

  const V alpha(params.alpha);
  const V beta(params.beta);
  const V lo(params.min);
  const V hi(params.max);
  const bool scale = params.alpha != 1.0f;
#pragma GCC unroll 16
  for (int i = 0; i < kRows; ++i) {
    float* ci = c + i * ldc;
    const float* bias_i =
        params.bias != nullptr ? params.bias + i * params.bias_row_stride : nullptr;
#pragma GCC unroll 4
    for (int v = 0; v < kNv; ++v) {
      V r = acc[i][v];
      if (params.accumulate) r += V::load_unaligned(ci + v * kW);
      if (params.finalize) {
        if (scale) r *= alpha;
        if (bias_i != nullptr) {
          const V bias = params.bias_col_stride != 0 ? V::load_unaligned(bias_i + v * kW)
                                                     : V(*bias_i);
          r = xsimd_vec::MulAdd<Arch>(bias, beta, r);
        }
        if (params.clamp) r = xsimd::min(xsimd::max(r, lo), hi);
      }
      r.store_unaligned(ci + v * kW);
    }
  }
}

// F32TransposeStoreFn: kW x kW blocks transposed in registers.
template <class Arch>
void TransposeStore(const float* c, int64_t ldc, int64_t rows, int64_t cols, float* out,
                    int64_t out_stride, const F32GemmParams& params) {
  using Vec = xsimd_vec::Policy<Arch>;
  using V = typename Vec::T;
  constexpr int kW = Vec::kWidth;
  const V alpha(params.alpha);
  const V lo(params.min);
  const V hi(params.max);
  const bool scale = params.alpha != 1.0f;
  for (int64_t i0 = 0; i0 < rows; i0 += kW) {
    const int64_t block_rows = rows - i0 < kW ? rows - i0 : kW;
    for (int64_t j0 = 0; j0 < cols; j0 += kW) {
      const int64_t block_cols = cols - j0 < kW ? cols - j0 : kW;
      V v[kW];
#pragma GCC unroll 16
      for (int r = 0; r < kW; ++r) {
        v[r] = r < block_rows ? V::load_unaligned(c + (i0 + r) * ldc + j0) : V(0.0f);
      }
      Vec::Transpose(v);
      for (int64_t j = 0; j < block_cols; ++j) {
        V r = v[j];
        if (scale) r *= alpha;
        if (params.bias != nullptr) {
          r = xsimd_vec::MulAdd<Arch>(V(params.bias[(j0 + j) * params.bias_col_stride]),
                                      V(params.beta), r);
        }
        if (params.clamp) r = xsimd::min(xsimd::max(r, lo), hi);
        float* dst = out + (j0 + j) * out_stride + i0;
        if (block_rows == kW) {
          r.store_unaligned(dst);
        } else {
          alignas(64) float tail[kW];
          r.store_aligned(tail);
          for (int64_t i = 0; i < block_rows; ++i) dst[i] = tail[i];
        }
      }
    }
  }
}

// Fills config->ukernel[1..kMr] with GemmTile<Arch, rows, kMr, kNv>.
template <class Arch, int kMr, int kNv, int kRows = kMr>
void FillUkernels(F32GemmConfig* config) {
  config->ukernel[kRows] = &GemmTile<Arch, kRows, kMr, kNv>;
  if constexpr (kRows > 1) FillUkernels<Arch, kMr, kNv, kRows - 1>(config);
}

}  // namespace hb_dnn::kernels::ukernels::gemm_impl

#endif  // HB_DNN_SRC_KERNELS_UKERNELS_F32_GEMM_XSIMD_H_
