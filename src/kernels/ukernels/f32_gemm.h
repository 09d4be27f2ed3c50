#ifndef HB_DNN_SRC_KERNELS_UKERNELS_F32_GEMM_H_
#define HB_DNN_SRC_KERNELS_UKERNELS_F32_GEMM_H_

// fp32 GEMM microkernels and panel packers, one set per ISA level, selected once per process
// (GetF32GemmConfig). Single-threaded; the blocked, parallel driver is
// kernels/optimized/gemm_driver.h.
//
// Packed layout ("panels"): a logical matrix X with K rows and N columns, cut into panels of
// `width` consecutive columns; panel p holds X[k][p * width + j] at [k * width + j] for every k
// of the packed K range and j < width, columns past N zero-filled. The GEMM C = A * B reads A as
// panels of A^T (width mr: mr rows of A interleaved per k) and B as panels of B (width nr).

#include <cstdint>

#include "src/base/cpu_features.h"

namespace hb_dnn::kernels::ukernels {

// Most rows any microkernel tile has (sizes fixed arrays of per-row-count kernels).
inline constexpr int kMaxGemmMr = 16;

// What a microkernel does with its tile after the K loop. With `accumulate` the tile's current
// contents (raw sums of earlier K blocks) are added first; with `finalize` the result becomes
//   clamp(alpha * sum + beta * bias[i * bias_row_stride + j * bias_col_stride], min, max)
// where bias is optional, bias_col_stride is 0 (one value per row) or 1 (a row of values), and
// clamping happens only when `clamp` is set. Without `finalize` the raw sum is stored.
struct F32GemmParams {
  bool accumulate = false;
  bool finalize = true;
  bool clamp = false;
  float alpha = 1.0f;
  float beta = 1.0f;
  const float* bias = nullptr;  // already offset to the tile's (0, 0)
  int64_t bias_row_stride = 0;
  int64_t bias_col_stride = 0;
  float min = 0.0f;
  float max = 0.0f;
};

// Computes one tile of `rows` (the kernel's row count, 1..mr) by nr columns:
//   sum[i][j] = sum over k < kc of a[k * mr + i] * b[k * ldb + j]
// `a` is an A panel (stride mr per k, whatever `rows` is), `b` has nr readable floats per row
// (a B panel has ldb == nr). Writes the tile to c (row stride ldc, nr columns) as F32GemmParams
// says. kc >= 1. No alignment required.
using F32GemmUkernelFn = void (*)(int64_t kc, const float* a, const float* b, int64_t ldb,
                                  float* c, int64_t ldc, const F32GemmParams& params);

// A logical matrix X (K x N) as base[k * row_stride + n * col_stride].
struct F32StridedMatrix {
  const float* base = nullptr;
  int64_t row_stride = 0;
  int64_t col_stride = 0;
};

// Packs rows [k0, k0 + kc) and columns [n0, n0 + nc) of `x` into ceil(nc / width) panels of
// kc x width at dst (consecutive panels kc * width floats apart), zero-filling past column nc.
// `width` is the config's mr or nr.
using F32PackMatrixFn = void (*)(const F32StridedMatrix& x, int64_t k0, int64_t kc, int64_t n0,
                                 int64_t nc, int width, float* dst);

// The im2col matrix of a 2-D convolution (one image, one group), read from its "polyphase"
// input: each channel's input with its zero padding materialized, split by stride into
// stride_h x stride_w sub-planes whose rows all have `row_length` floats (sub-plane (qy, qx)
// row r column c = padded input (r * stride_h + qy, c * stride_w + qx); the depthwise kernels'
// layout, f32_dwconv.h). The matrix has K = channels * kernel_h * kernel_w rows (channel-major,
// then ky, then kx) and N = out_h * out_w columns (output positions n = oy * out_w + ox).
// Element (k, n) is then
//   row_k[oy * row_length + ox],  row_k = buffer + channel * channel_stride +
//       ((dy % stride_h) * stride_w + dx % stride_w) * subplane_stride +
//       (dy / stride_h) * row_length + dx / stride_w
// with dy = ky * dilation_h and dx = kx * dilation_w: every run of positions within an output
// row is a contiguous copy, so packing needs no bounds checks.
struct PolyphaseIm2Col {
  const float* buffer = nullptr;
  int64_t channel_stride = 0;
  int64_t subplane_stride = 0;
  int64_t row_length = 0;
  int64_t out_w = 0;
  int64_t kernel_h = 1;
  int64_t kernel_w = 1;
  int64_t stride_h = 1;
  int64_t stride_w = 1;
  int64_t dilation_h = 1;
  int64_t dilation_w = 1;
};

// Packs rows [k0, k0 + kc) and columns [n0, n0 + nc) of the matrix `g` describes as panels,
// like F32PackMatrixFn.
using F32PackIm2ColFn = void (*)(const PolyphaseIm2Col& g, int64_t k0, int64_t kc, int64_t n0,
                                 int64_t nc, int width, float* dst);

// Writes a block of C transposed with the epilogue: for i < rows, j < cols
//   out[j * out_stride + i] = clamp(alpha * c[i * ldc + j] + beta * bias[j * bias_col_stride],
//                                   min, max)
// taking alpha, beta, bias (null: none; its row stride must be 0), clamp, min and max from
// `params`. c must be readable to the next multiple of 16 columns (its rows are whole panels).
using F32TransposeStoreFn = void (*)(const float* c, int64_t ldc, int64_t rows, int64_t cols,
                                     float* out, int64_t out_stride,
                                     const F32GemmParams& params);

struct F32GemmConfig {
  IsaLevel isa = IsaLevel::kScalar;
  const char* name = "";
  int mr = 0;  // tile rows, <= kMaxGemmMr
  int nr = 0;  // tile columns, a multiple of the vector width
  // ukernel[r] computes tiles of r rows, for 1 <= r <= mr.
  F32GemmUkernelFn ukernel[kMaxGemmMr + 1] = {};
  F32PackMatrixFn pack_matrix = nullptr;
  F32PackIm2ColFn pack_im2col = nullptr;
  F32TransposeStoreFn transpose_store = nullptr;
};

// The configuration for the best variant compiled in at or below `level` (scalar always is).
// Thread-safe; the reference lives for the process.
const F32GemmConfig& GetF32GemmConfig(IsaLevel level);

// GetF32GemmConfig(ActiveIsaLevel()).
const F32GemmConfig& ActiveF32GemmConfig();

// Per-ISA initializers (f32_gemm_<isa>.cc), listed in f32_gemm.inc.
#define HB_DNN_F32_GEMM_VARIANT(level, suffix) void InitF32Gemm##suffix(F32GemmConfig* config);
#include "src/kernels/ukernels/f32_gemm.inc"
#undef HB_DNN_F32_GEMM_VARIANT

}  // namespace hb_dnn::kernels::ukernels

#endif  // HB_DNN_SRC_KERNELS_UKERNELS_F32_GEMM_H_
