#include "src/kernels/int8/reference/int8_util.h"

#include "src/base/status.h"
#include "src/base/status_macros.h"

namespace hb_dnn::kernels::int8 {

absl::Status WithOp(const char* op, const absl::Status& status) {
  if (status.ok()) return status;
  return Errorf(ErrorCodeOf(status, ErrorCode::kInvalidModel), op, ": ", status.message());
}

absl::Status CheckInt8(const char* op, const TensorInfo& tensor, const char* what) {
  if (tensor.dtype == DType::kI8) return absl::OkStatus();
  return Errorf(ErrorCode::kInvalidModel, op, ": ", what, " has type ", DTypeName(tensor.dtype),
                ", expected int8");
}

absl::Status CheckInputCount(const char* op, const std::vector<TensorInfo>& inputs,
                             size_t min_inputs, size_t max_inputs) {
  bool ok = inputs.size() >= min_inputs && inputs.size() <= max_inputs;
  for (size_t i = 0; ok && i < min_inputs; ++i) ok = inputs[i].present();
  if (ok) return absl::OkStatus();
  if (min_inputs == max_inputs) {
    return Errorf(ErrorCode::kInvalidModel, op, ": expected ", min_inputs, " inputs, got ",
                  inputs.size());
  }
  return Errorf(ErrorCode::kInvalidModel, op, ": expected ", min_inputs, " to ", max_inputs,
                " inputs (the first ", min_inputs, " present), got ", inputs.size());
}

absl::StatusOr<AccumulatorOutput> ReadAccumulatorOutput(const char* op,
                                                        const Attributes& attributes,
                                                        int64_t channels) {
  AccumulatorOutput out;
  absl::StatusOr<int> output_type = ReadOutputType(attributes);
  HB_RETURN_IF_ERROR(WithOp(op, output_type.status()));
  out.output_type = *output_type;
  absl::StatusOr<float> x_scale = ReadScale(attributes, "x_scale");
  HB_RETURN_IF_ERROR(WithOp(op, x_scale.status()));
  absl::StatusOr<std::vector<float>> w_scale = ReadScales(attributes, "w_scale", channels);
  HB_RETURN_IF_ERROR(WithOp(op, w_scale.status()));
  if (out.output_type == 32) {
    if (attributes.Has("activation_min") || attributes.Has("activation_max")) {
      return Errorf(ErrorCode::kInvalidModel, op,
                    ": attributes 'activation_min'/'activation_max' need output_type 8; "
                    "output_type 32 stores the accumulators unclamped");
    }
    return out;
  }
  absl::StatusOr<float> y_scale = ReadScale(attributes, "y_scale");
  HB_RETURN_IF_ERROR(WithOp(op, y_scale.status()));
  absl::StatusOr<QuantBounds> bounds = ReadBounds(attributes, *y_scale);
  HB_RETURN_IF_ERROR(WithOp(op, bounds.status()));
  out.bounds = *bounds;
  out.multipliers.resize(static_cast<size_t>(channels));
  for (int64_t c = 0; c < channels; ++c) {
    out.multipliers[c] = Multiplier(*x_scale, (*w_scale)[c], *y_scale);
  }
  return out;
}

}  // namespace hb_dnn::kernels::int8
