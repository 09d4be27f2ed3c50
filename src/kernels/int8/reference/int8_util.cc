#include "src/kernels/int8/reference/int8_util.h"

#include "src/base/status.h"
#include "src/base/status_macros.h"
#include "src/kernels/int8/lut_function.h"

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
  const bool fused = attributes.Has("lut_function");
  if (out.output_type == 32) {
    if (attributes.Has("activation_min") || attributes.Has("activation_max")) {
      return Errorf(ErrorCode::kInvalidModel, op,
                    ": attributes 'activation_min'/'activation_max' need output_type 8; "
                    "output_type 32 stores the accumulators unclamped");
    }
    if (fused) {
      return Errorf(ErrorCode::kInvalidModel, op,
                    ": attribute 'lut_function' needs output_type 8; output_type 32 stores the "
                    "accumulators without a function");
    }
    return out;
  }
  absl::StatusOr<float> y_scale = ReadScale(attributes, "y_scale");
  HB_RETURN_IF_ERROR(WithOp(op, y_scale.status()));
  absl::StatusOr<QuantBounds> bounds = ReadBounds(attributes, *y_scale);
  HB_RETURN_IF_ERROR(WithOp(op, bounds.status()));
  out.bounds = *bounds;
  // The grid the accumulator is rounded to: the output's, or the fused function's input.
  float grid_scale = *y_scale;
  if (fused) {
    absl::StatusOr<LutSpec> spec = ReadLutSpec(attributes, "lut_");
    HB_RETURN_IF_ERROR(WithOp(op, spec.status()));
    absl::StatusOr<float> lut_x_scale = ReadScale(attributes, "lut_x_scale");
    HB_RETURN_IF_ERROR(WithOp(op, lut_x_scale.status()));
    grid_scale = *lut_x_scale;
    out.table.resize(static_cast<size_t>(kFunctionTableSize));
    for (int32_t i = 0; i < kFunctionTableSize; ++i) {
      out.table[static_cast<size_t>(i)] = spec->Entry(
          (i - kFunctionGridHalf) * static_cast<double>(grid_scale), *y_scale, out.bounds);
    }
  }
  out.multipliers.resize(static_cast<size_t>(channels));
  for (int64_t c = 0; c < channels; ++c) {
    out.multipliers[c] = Multiplier(*x_scale, (*w_scale)[c], grid_scale);
  }
  return out;
}

}  // namespace hb_dnn::kernels::int8
