#ifndef HB_DNN_SRC_KERNELS_INT8_LUT_FUNCTION_H_
#define HB_DNN_SRC_KERNELS_INT8_LUT_FUNCTION_H_

// The element-wise functions the BPU evaluates through lookup tables: the Lut op's 256-entry
// table and the 4096-entry table of a Conv/Gemm with a fused function (docs/int8_numerics.md).
// A function may carry an affine map after it, which the table absorbs:
//   g(x) = f(x) * post_mul + post_add
// with f one of (ONNX definitions; alpha/beta are HardSigmoid's, defaults 0.2 / 0.5):
//   Sigmoid      1 / (1 + exp(-x))
//   HardSigmoid  max(0, min(1, alpha * x + beta))
//   HardSwish    x * max(0, min(1, x / 6 + 0.5))
//   SiLU         x / (1 + exp(-x))
//   Tanh         tanh(x)
// Tables are built in double at Prepare: entry = sat_int8(rne(g(x) / y_scale)), then clamped to
// the fused activation bounds.

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/kernels/attributes.h"
#include "src/kernels/int8/requantize.h"

namespace hb_dnn::kernels::int8 {

enum class LutFunction { kSigmoid, kHardSigmoid, kHardSwish, kSilu, kTanh };

struct LutSpec {
  LutFunction function = LutFunction::kSigmoid;
  double alpha = 0.2;
  double beta = 0.5;
  double post_mul = 1.0;
  double post_add = 0.0;

  // g(x) in double.
  double Evaluate(double x) const;
  // sat_int8(rne(g(x) / y_scale)) clamped to `bounds`.
  int8_t Entry(double x, double y_scale, QuantBounds bounds) const;
};

// Reads `<prefix>function` (required), `<prefix>alpha`, `<prefix>beta`, `<prefix>post_mul` and
// `<prefix>post_add` (finite floats). kInvalidModel naming the attribute otherwise.
absl::StatusOr<LutSpec> ReadLutSpec(const Attributes& attributes, absl::string_view prefix);

}  // namespace hb_dnn::kernels::int8

#endif  // HB_DNN_SRC_KERNELS_INT8_LUT_FUNCTION_H_
