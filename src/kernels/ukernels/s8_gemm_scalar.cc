// Portable int8 variant: 4 x 8 tiles over bytes (kr 1), plain int32 loops, the rule applied by
// int8::Requantize itself. Compiled with baseline flags and -ffp-contract=off.

#include <cstdint>

#include "src/kernels/int8/requantize.h"
#include "src/kernels/ukernels/s8_gemm.h"
#include "src/kernels/ukernels/s8_gemm_impl.h"

namespace hb_dnn::kernels::ukernels {
namespace {

constexpr int kMr = 4;
constexpr int kNr = 8;

struct ScalarPolicy {
  using Elem = uint8_t;
  static constexpr int kKr = 1;
  static constexpr int kDwVector = 1;
  static void Widen(const int8_t* src, int64_t count, int64_t stride, int32_t* out) {
    for (int64_t i = 0; i < count; ++i) out[i] = src[i * stride];
  }
};

// Sums wrap modulo 2^32 like the SIMD variants' lanes (unsigned arithmetic: no overflow UB).
int32_t Wrap(uint32_t value) { return static_cast<int32_t>(value); }

void StoreTile(const uint32_t (&acc)[kMr][kNr], int rows, bool channel_per_row,
               const S8GemmTile& tile) {
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < tile.cols; ++j) {
      const int channel = channel_per_row ? i : j;
      const int32_t sum = Wrap(acc[i][j] + static_cast<uint32_t>(tile.bias[channel]));
      const int64_t at = i * tile.out_row_stride + j * tile.out_col_stride;
      if (tile.int32_output) {
        static_cast<int32_t*>(tile.out)[at] = sum;
      } else {
        static_cast<int8_t*>(tile.out)[at] =
            int8::Requantize(sum, tile.multiplier[channel], {tile.q_min, tile.q_max});
      }
    }
  }
}

template <int kRows, S8Orientation kOrientation>
void Ukernel(int64_t kgroups, const void* r, const void* v, const S8GemmTile& tile) {
  const auto* rp = static_cast<const int8_t*>(r);
  const auto* vp = static_cast<const int8_t*>(v);
  uint32_t acc[kMr][kNr] = {};
  for (int64_t k = 0; k < kgroups; ++k) {
    for (int i = 0; i < kRows; ++i) {
      const int32_t a = rp[i];
      for (int j = 0; j < kNr; ++j) acc[i][j] += static_cast<uint32_t>(a * vp[j]);
    }
    rp += kMr;
    vp += kNr;
  }
  StoreTile(acc, kRows, kOrientation == S8Orientation::kWeightsInRows, tile);
}

template <int kRows>
void FillRows(S8GemmConfig* config) {
  if constexpr (kRows > 0) {
    config->ukernel[0][kRows] = &Ukernel<kRows, S8Orientation::kWeightsInRows>;
    config->ukernel[1][kRows] = &Ukernel<kRows, S8Orientation::kWeightsInColumns>;
    FillRows<kRows - 1>(config);
  }
}

void DwPlane(const Conv2dGeometry& g, const int32_t* scratch, const int8_t* w,
             const S8DwPlaneParams& params, void* y) {
  const S8DwLayout l = S8DwLayout::Of(g, ScalarPolicy::kDwVector);
  for (int64_t oy = 0; oy < g.out_h; ++oy) {
    for (int64_t ox = 0; ox < g.out_w; ++ox) {
      uint32_t sum = static_cast<uint32_t>(params.bias);
      for (int64_t ky = 0; ky < g.kernel_h; ++ky) {
        const int32_t* row = scratch + (oy * g.stride_h + ky * g.dilation_h) * l.row_stride;
        for (int64_t kx = 0; kx < g.kernel_w; ++kx) {
          const int64_t dx = kx * g.dilation_w;
          const int32_t x = row[(dx % g.stride_w) * l.phase_length + dx / g.stride_w + ox];
          sum += static_cast<uint32_t>(w[ky * g.kernel_w + kx] * x);
        }
      }
      const int32_t acc = Wrap(sum);
      const int64_t at = oy * g.out_w + ox;
      if (params.int32_output) {
        static_cast<int32_t*>(y)[at] = acc;
      } else {
        static_cast<int8_t*>(y)[at] =
            int8::Requantize(acc, params.multiplier, {params.q_min, params.q_max});
      }
    }
  }
}

}  // namespace

void InitS8GemmScalar(S8GemmConfig* config) {
  config->isa = IsaLevel::kScalar;
  config->name = "scalar_4x8";
  config->mr = kMr;
  config->nr = kNr;
  config->kr = ScalarPolicy::kKr;
  config->elem_size = 1;
  config->activation_offset = 0;
  FillRows<kMr>(config);
  config->pack = &s8_impl::PackGeneric<ScalarPolicy>;
  config->dw_fill = &s8_impl::DwFill<ScalarPolicy>;
  config->dw_plane = &DwPlane;
  config->dw_vector = ScalarPolicy::kDwVector;
}

}  // namespace hb_dnn::kernels::ukernels
