#ifndef HB_DNN_SRC_KERNELS_OPTIMIZED_EW_ISA_H_
#define HB_DNN_SRC_KERNELS_OPTIMIZED_EW_ISA_H_

// fp32 row functions of the optimized elementwise and pooling kernels, one variant per ISA level
// (ewisa_<isa>.cc, compiled with that level's flags), selected at run time (GetEwConfig). The
// kernels (ew_*.cc, pool_*.cc) do shapes, broadcasting and threading and call these on
// contiguous runs.
//
// Semantics match the reference kernels element by element:
// - Relu, LeakyRelu, Clip, Add, Sub, Mul, Div and the MaxPool rows compute exactly what the
//   reference computes (same comparisons and single IEEE operations; NaN and signed zeros
//   included).
// - HardSigmoid and HardSwish may differ by one rounding (the compiler may fuse a multiply and
//   an add on FMA targets).
// - Sigmoid and Tanh use a polynomial exp (Cephes expf); they stay within a few ulp of the
//   reference's std::exp / std::tanh (measured bound in optimized_ew_test.cc).

#include <cstdint>

#include "src/base/cpu_features.h"

namespace hb_dnn::kernels::optimized::ew {

enum class UnaryOp : int {
  kRelu = 0,
  kLeakyRelu,
  kClip,
  kSigmoid,
  kHardSigmoid,
  kHardSwish,
  kTanh,
};
inline constexpr int kNumUnaryOps = 7;

// The per-op constants: alpha/beta of LeakyRelu and HardSigmoid, lo/hi of Clip.
struct UnaryParams {
  float alpha = 0.0f;
  float beta = 0.0f;
  float lo = 0.0f;
  float hi = 0.0f;
};

// y[i] = op(x[i]) for i < n. x and y may be the same array.
using UnaryFn = void (*)(const float* x, float* y, int64_t n, const UnaryParams& params);

enum class BinaryOp : int { kAdd = 0, kSub, kMul, kDiv };
inline constexpr int kNumBinaryOps = 4;

// How the two operands of a binary run are read.
enum class BinaryMode : int {
  kVectorVector = 0,  // y[i] = a[i] op b[i]
  kVectorScalar,      // y[i] = a[i] op b[0]
  kScalarVector,      // y[i] = a[0] op b[i]
};
inline constexpr int kNumBinaryModes = 3;

using BinaryFn = void (*)(const float* a, const float* b, float* y, int64_t n);

// One output row of a 2-D MaxPool whose windows lie horizontally inside the input: for
// ox < out_count, y[ox] = max over r < rows, kx < kernel_w of row_ptrs[r][ox * stride + kx]
// (NaN if any element is NaN; ties keep the first element in row-major window order, as the
// reference does). rows >= 1, and every read stays within row_ptrs[r][0 .. (out_count - 1) *
// stride + kernel_w).
using MaxPoolRowFn = void (*)(const float* const* row_ptrs, int rows, int64_t kernel_w,
                              int64_t stride, float* y, int64_t out_count);

struct EwConfig {
  IsaLevel isa = IsaLevel::kScalar;
  const char* name = "";
  UnaryFn unary[kNumUnaryOps] = {};
  BinaryFn binary[kNumBinaryOps][kNumBinaryModes] = {};
  MaxPoolRowFn max_pool_row = nullptr;
};

// The best variant at or below both `level` and the hardware's level.
const EwConfig& GetEwConfig(IsaLevel level);

void InitEwScalar(EwConfig* config);
#if HB_DNN_HAVE_X86_ISAS
void InitEwAvx2(EwConfig* config);
void InitEwAvx512(EwConfig* config);
#endif

}  // namespace hb_dnn::kernels::optimized::ew

#endif  // HB_DNN_SRC_KERNELS_OPTIMIZED_EW_ISA_H_
