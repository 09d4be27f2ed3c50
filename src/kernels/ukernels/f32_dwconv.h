#ifndef HB_DNN_SRC_KERNELS_UKERNELS_F32_DWCONV_H_
#define HB_DNN_SRC_KERNELS_UKERNELS_F32_DWCONV_H_

// fp32 depthwise 2-D convolution of NCHW channel planes, one variant per ISA level, selected
// once per process (GetF32DwConvConfig). Any kernel size, stride, dilation and padding; 3x3 and
// 5x5 have unrolled instantiations.
//
// Method ("flat polyphase"): the input plane is copied into scratch with its zero padding
// materialized and split by stride into stride_h x stride_w sub-planes; sub-plane (qy, qx) row r
// column c holds padded(r * stride_h + qy, c * stride_w + qx). All sub-planes have rows of
// `row_length` = out_w + the largest column shift, so every tap is a constant shift of the flat
// output index p = oy * row_length + ox:
//   y(oy, ox) = bias + sum over taps of w(ky, kx) * sub(qy, qx)[p + ry * row_length + rx]
// with ky * dilation_h = ry * stride_h + qy and kx * dilation_w = rx * stride_w + qx. The flat
// outputs are computed a few vectors at a time (full lanes even for 7x7 planes), in chunks of
// rows into scratch, and each chunk's row_length - out_w junk columns are dropped when copying
// it to the output.

#include <cstddef>
#include <cstdint>

#include "src/base/cpu_features.h"
#include "src/kernels/ukernels/conv2d_geometry.h"

namespace hb_dnn::kernels::ukernels {

// Most taps (kernel_h * kernel_w) the plane kernels take; callers route bigger kernels
// elsewhere.
inline constexpr int kMaxDwTaps = 1024;

// Most channels of a channel block (the widest vector).
inline constexpr int kMaxDwBlock = 16;

// Output post-processing: y = clamp(sum + bias, min, max), clamping only when `clamp`.
struct F32DwConvParams {
  bool clamp = false;
  float min = 0.0f;
  float max = 0.0f;
};

// Computes `outputs` output planes (out_h x out_w each, consecutive at `output`) from the one
// input plane (in_h x in_w) at `input`: output plane j uses the kernel_h x kernel_w weights at
// weights + j * kernel_h * kernel_w and bias[j] (bias may be null). `scratch` holds
// DwConvLayout<>::Of(g, tile).total floats (tile = the config's `tile`), 64-byte aligned.
using F32DwConvFn = void (*)(const Conv2dGeometry& g, const float* input, int64_t outputs,
                             const float* weights, const float* bias, float* output,
                             float* scratch, const F32DwConvParams& params);

// The channel-blocked form, for small planes where rows are shorter than a few vectors: a block
// of up to `block` (the vector width) output channels is transposed to pixel-major order
// (one vector = one pixel's channels) with its padding materialized, computed one vector per
// pixel, and transposed back. Lane l (< lanes) computes output plane l at output + l * out_h *
// out_w from input plane inputs[l] (block pointers, all readable; lanes past `lanes` are
// ignored) with the weights at weights + l * kernel_h * kernel_w and bias[l] (bias may be null).
// `scratch` holds DwConvBlockedLayout<>::Of(g, block).total floats, 64-byte aligned.
using F32DwConvBlockFn = void (*)(const Conv2dGeometry& g, const float* const* inputs, int lanes,
                                  const float* weights, const float* bias, float* output,
                                  float* scratch, const F32DwConvParams& params);

// Writes the sub-planes of one input plane (the flat form's scratch layout, DwConvLayout<>::Of(g,
// tile)) to `dst`, skipping sub-planes no tap reads. The convolution GEMM path uses it to build
// its polyphase input (ukernels::PolyphaseIm2Col).
using F32FillPolyphaseFn = void (*)(const Conv2dGeometry& g, const float* input, float* dst);

struct F32DwConvConfig {
  IsaLevel isa = IsaLevel::kScalar;
  const char* name = "";
  int tile = 0;  // flat outputs per register block
  F32DwConvFn planes = nullptr;
  F32FillPolyphaseFn fill_polyphase = nullptr;
  int block = 0;  // channels per channel block (the vector width)
  F32DwConvBlockFn channel_block = nullptr;
};

// The scratch layout of a channel block, in floats (a template for the reason given at
// DwConvLayout below).
template <class Unit = void>
struct DwConvBlockedLayout {
  int64_t padded_h = 0;  // padded input rows the outputs read
  int64_t padded_w = 0;
  int64_t input = 0;     // padded_h * padded_w pixels of `block` floats
  int64_t output = 0;    // out_h * out_w pixels of `block` floats
  int64_t weights = 0;   // taps vectors
  int64_t total = 0;

  static DwConvBlockedLayout Of(const Conv2dGeometry& g, int block) {
    DwConvBlockedLayout l;
    l.padded_h = (g.out_h - 1) * g.stride_h + (g.kernel_h - 1) * g.dilation_h + 1;
    l.padded_w = (g.out_w - 1) * g.stride_w + (g.kernel_w - 1) * g.dilation_w + 1;
    l.input = l.padded_h * l.padded_w * block;
    l.output = g.out_h * g.out_w * block;
    l.weights = g.kernel_h * g.kernel_w * block;
    l.total = l.input + l.output + l.weights;
    return l;
  }
};

// The scratch layout of one input plane (flat form), in floats. A template only so that every per-ISA unit
// computing it gets its own instantiation (see f32_pack_impl.h); callers use the default.
template <class Unit = void>
struct DwConvLayout {
  int64_t row_shift = 0;     // largest tap row shift ry
  int64_t col_shift = 0;     // largest tap column shift rx
  int64_t row_length = 0;    // of every sub-plane row and of the flat output rows
  int64_t flat_outputs = 0;  // out_h * row_length
  int64_t subplanes = 0;     // stride_h * stride_w
  int64_t subplane = 0;      // floats per sub-plane, with the read overrun of the last vectors
  int64_t chunk_rows = 0;    // flat output rows computed per chunk
  int64_t chunk = 0;         // floats of the chunk buffer (after the sub-planes)
  int64_t total = 0;

  static DwConvLayout Of(const Conv2dGeometry& g, int tile) {
    // Flat outputs per chunk: enough to amortize the loop, small enough to stay in L1.
    constexpr int64_t kChunkFloats = 2048;
    DwConvLayout l;
    l.row_shift = (g.kernel_h - 1) * g.dilation_h / g.stride_h;
    l.col_shift = (g.kernel_w - 1) * g.dilation_w / g.stride_w;
    l.row_length = g.out_w + l.col_shift;
    l.flat_outputs = g.out_h * l.row_length;
    l.subplanes = g.stride_h * g.stride_w;
    const int64_t flat_round = (l.flat_outputs + tile - 1) / tile * tile;
    l.subplane = flat_round + l.row_shift * l.row_length + l.col_shift;
    l.chunk_rows = kChunkFloats / l.row_length > 0 ? kChunkFloats / l.row_length : 1;
    if (l.chunk_rows > g.out_h) l.chunk_rows = g.out_h;
    l.chunk = (l.chunk_rows * l.row_length + tile - 1) / tile * tile;
    l.total = l.subplanes * l.subplane + l.chunk;
    return l;
  }
};

const F32DwConvConfig& GetF32DwConvConfig(IsaLevel level);
const F32DwConvConfig& ActiveF32DwConvConfig();

#define HB_DNN_F32_DWCONV_VARIANT(level, suffix) \
  void InitF32DwConv##suffix(F32DwConvConfig* config);
#include "src/kernels/ukernels/f32_dwconv.inc"
#undef HB_DNN_F32_DWCONV_VARIANT

}  // namespace hb_dnn::kernels::ukernels

#endif  // HB_DNN_SRC_KERNELS_UKERNELS_F32_DWCONV_H_
