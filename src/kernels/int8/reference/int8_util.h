#ifndef HB_DNN_SRC_KERNELS_INT8_REFERENCE_INT8_UTIL_H_
#define HB_DNN_SRC_KERNELS_INT8_REFERENCE_INT8_UTIL_H_

// Helpers shared by the int8 reference kernels: input checks and the output stage of the
// accumulating ops (Conv, Gemm, MatMul).

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "src/kernels/attributes.h"
#include "src/kernels/int8/requantize.h"
#include "src/kernels/tensor.h"

namespace hb_dnn::kernels::int8 {

// `status` (an error of the requantize.h readers, which do not know the op) with "`op`: "
// prefixed to its message; OK stays OK.
absl::Status WithOp(const char* op, const absl::Status& status);

// Error unless `tensor` is int8; names `op`, `what` ("input 0 'X'") and the type found.
absl::Status CheckInt8(const char* op, const TensorInfo& tensor, const char* what);

// Error unless `op` got between `min_inputs` and `max_inputs` inputs with the first `min_inputs`
// present.
absl::Status CheckInputCount(const char* op, const std::vector<TensorInfo>& inputs,
                             size_t min_inputs, size_t max_inputs);

// The output stage of Conv, Gemm and MatMul, read from x_scale, w_scale (1 or `channels`
// values), y_scale, activation_min/activation_max and output_type. For output_type 32 the
// accumulators are stored as they are, so y_scale is not needed and activation bounds (which live
// on the int8 grid of y_scale) are rejected.
//
// A fused function (attributes lut_function, lut_alpha, lut_beta, lut_post_mul, lut_post_add of
// lut_function.h and lut_x_scale, output_type 8): the accumulator goes to the 12-bit grid of
// lut_x_scale (FunctionTableIndex with multiplier x_scale * w_scale / lut_x_scale), then through a
// 4096-entry table T[i] = g((i - 2048) * lut_x_scale) on the int8 grid of y_scale, clamped to the
// activation bounds. The function's input is never rounded to int8.
struct AccumulatorOutput {
  int output_type = 8;
  std::vector<float> multipliers;  // per output channel; output_type 8 only
  QuantBounds bounds;
  std::vector<int8_t> table;  // fused function only, indexed by FunctionTableIndex

  bool fused() const { return !table.empty(); }

  // Channel `channel`'s accumulator as int8 (output_type 8).
  int8_t Int8Of(int32_t acc, int64_t channel) const {
    if (fused()) {
      return table[static_cast<size_t>(FunctionTableIndex(acc, multipliers[channel]))];
    }
    return Requantize(acc, multipliers[channel], bounds);
  }

  // Stores channel `channel`'s accumulator as element `index` of `out` (int8 or int32).
  void Store(int32_t acc, int64_t channel, void* out, int64_t index) const {
    if (output_type == 32) {
      static_cast<int32_t*>(out)[index] = acc;
    } else {
      static_cast<int8_t*>(out)[index] = Int8Of(acc, channel);
    }
  }
  DType dtype() const { return output_type == 32 ? DType::kI32 : DType::kI8; }
};

absl::StatusOr<AccumulatorOutput> ReadAccumulatorOutput(const char* op,
                                                        const Attributes& attributes,
                                                        int64_t channels);

// The int32 sum of int32 terms with two's-complement wrap-around, as the SIMD kernels' 32-bit
// lanes compute it (the contract keeps real sums in range; this only makes overflow defined).
inline int32_t WrapInt32(int64_t value) {
  return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(value)));
}

}  // namespace hb_dnn::kernels::int8

#endif  // HB_DNN_SRC_KERNELS_INT8_REFERENCE_INT8_UTIL_H_
