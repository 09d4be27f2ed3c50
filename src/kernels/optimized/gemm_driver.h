#ifndef HB_DNN_SRC_KERNELS_OPTIMIZED_GEMM_DRIVER_H_
#define HB_DNN_SRC_KERNELS_OPTIMIZED_GEMM_DRIVER_H_

// The blocked, parallel fp32 GEMM driver over the microkernels of ukernels/f32_gemm.h:
//   C (m x n) = epilogue(A (m x k) * B (k x n))
// GotoBLAS-style: the problem is cut into (mc x nc) output blocks, the parallel tasks; each
// task walks k in kc-deep slices and sweeps the microkernel over its tiles, the epilogue fused
// into the last slice's stores. Operands that are constant (conv weights, a constant Gemm B)
// are packed once at Prepare with PackOperand; the others are packed per call into
// thread-local buffers, a micro-panel at a time right before its tiles (so the packed panel is
// still in L1 when the microkernel reads it), or read in place when that is cheaper
// (gemm_driver.cc has the blocking rules).

#include <cstdint>
#include <vector>

#include "src/kernels/ukernels/f32_gemm.h"

namespace hb_dnn::kernels::optimized {

// One GEMM operand, in the panel convention of f32_gemm.h: the A operand is described as the
// logical matrix A^T (k x m, panels of width mr), the B operand as B (k x n, width nr). Exactly
// one member is set.
struct GemmOperand {
  // Packed beforehand by PackOperand for all k rows (the config's width for this operand).
  const float* prepacked = nullptr;
  // Packed per task from a strided matrix or from the im2col matrix of a convolution.
  const ukernels::F32StridedMatrix* matrix = nullptr;
  const ukernels::PolyphaseIm2Col* im2col = nullptr;
};

// Where C goes. Element (i, j) is at data[i * stride + j], or with `transposed` at
// data[j * stride + i] (a convolution computed with output positions as GEMM rows writing NCHW).
struct GemmOutput {
  float* data = nullptr;
  int64_t stride = 0;
  bool transposed = false;
};

// C(i, j) = clamp(alpha * sum + beta * bias[i * bias_row_stride + j * bias_col_stride], min, max)
// with bias optional and bias_col_stride 0 or 1, clamping only when `clamp`.
struct GemmEpilogue {
  float alpha = 1.0f;
  float beta = 1.0f;
  const float* bias = nullptr;
  int64_t bias_row_stride = 0;
  int64_t bias_col_stride = 0;
  bool clamp = false;
  float min = 0.0f;
  float max = 0.0f;
};

// Floats PackOperand writes for an operand of `k` rows and `cols` columns at `width`.
int64_t PackedOperandSize(int64_t k, int64_t cols, int width);

// Packs all of `x` (k x cols) into `dst` (PackedOperandSize floats) at `width` (the config's mr
// for an A operand, nr for a B operand) for GemmOperand::prepacked.
void PackOperand(const ukernels::F32GemmConfig& config, const ukernels::F32StridedMatrix& x,
                 int64_t k, int64_t cols, int width, float* dst);

// Runs the GEMM with `config`'s microkernels; m, n, k >= 1. With `parallel` the output blocks
// are spread over ParallelFor (do not call it so from inside a ParallelFor body); without, it
// runs on the calling thread (for callers that parallelize over several GEMMs themselves).
// Operand pointers must stay valid for the call. Thread-safe: scratch is thread-local (grown on
// first use per thread and kept for the thread's lifetime, the only heap allocation), so
// concurrent calls are fine.
void RunGemm(const ukernels::F32GemmConfig& config, int64_t m, int64_t n, int64_t k,
             const GemmOperand& a, const GemmOperand& b, const GemmOutput& out,
             const GemmEpilogue& epilogue, bool parallel = true);

}  // namespace hb_dnn::kernels::optimized

#endif  // HB_DNN_SRC_KERNELS_OPTIMIZED_GEMM_DRIVER_H_
