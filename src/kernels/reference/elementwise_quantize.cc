// Reference kernels of QuantizeLinear and DequantizeLinear (opsets 10-18 semantics):
//   quantize:   y = saturate(round_half_to_even(x / scale) + zero_point)
//   dequantize: y = (x - zero_point) * scale
// Per tensor (scale has one element) or, from opset 13, per axis: a 1-D scale (and zero point)
// with one entry per index of input dimension `axis` (default 1). Scale and zero point are read
// at run time, so they need not be constants.

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/reference/elementwise_kernels.h"
#include "src/kernels/reference/elementwise_util.h"

namespace hb_dnn::kernels::elementwise {
namespace {

// Where each element finds its scale: element i uses entry (i / inner) % channels, which is
// entry 0 for per-tensor parameters (channels = 1).
struct ChannelLayout {
  int64_t channels = 1;
  int64_t inner = 1;

  int64_t ChannelOf(int64_t index) const { return (index / inner) % channels; }
};

// Validates scale (input 1) and zero point (input 2) against the data (input 0) and returns how
// elements map to their parameters.
absl::StatusOr<ChannelLayout> ResolveLayout(const std::vector<TensorInfo>& inputs, int opset,
                                            int64_t axis, const char* op, const char* scale_name,
                                            const char* zero_name) {
  const TensorInfo& data = inputs[0];
  const TensorInfo& scale = inputs[1];
  HB_RETURN_IF_ERROR(CheckType(scale, TypeSet{DType::kF32}, op, 1, scale_name));
  bool has_zero_point = inputs.size() > 2 && inputs[2].present();
  if (has_zero_point && inputs[2].num_elements() != scale.num_elements()) {
    return KernelError(InputName(op, 2, zero_name), " has shape ", ShapeString(inputs[2].shape),
                       " but ", scale_name, " has shape ", ShapeString(scale.shape),
                       "; they must have as many elements");
  }
  ChannelLayout layout;
  if (scale.num_elements() == 1 && scale.shape.size() <= 1) return layout;  // per tensor
  if (opset < 13 || scale.shape.size() != 1) {
    return KernelError(InputName(op, 1, scale_name), " has shape ", ShapeString(scale.shape),
                       " but must be a scalar",
                       opset < 13 ? absl::StrCat(" before opset 13 (node has ", opset, ")")
                                  : std::string(" or a 1-D tensor for per-axis quantization"));
  }
  int64_t rank = static_cast<int64_t>(data.shape.size());
  HB_ASSIGN_OR_RETURN(int64_t a, NormalizeAxis(axis, rank, "attribute 'axis'"));
  if (scale.shape[0] != data.shape[a]) {
    return KernelError(InputName(op, 1, scale_name), " has ", scale.shape[0],
                       " entries but input dimension ", a, " (axis) has size ", data.shape[a]);
  }
  layout.channels = data.shape[a];
  for (int64_t d = a + 1; d < rank; ++d) layout.inner *= data.shape[d];
  return layout;
}

template <typename Q>
Q QuantizeValue(float x, float scale, int32_t zero_point) {
  // Division (not multiplication by 1/scale) as in the ONNX reference; NaN quantizes to the
  // zero point so that the result is defined.
  double scaled = static_cast<double>(x / scale);
  double rounded = std::isnan(scaled) ? 0.0 : RoundHalfToEven(scaled);
  double value = rounded + zero_point;
  double lo = std::numeric_limits<Q>::lowest();
  double hi = std::numeric_limits<Q>::max();
  return static_cast<Q>(value < lo ? lo : (value > hi ? hi : value));
}

class QuantizeLinearKernel : public OpKernel {
 public:
  QuantizeLinearKernel(int opset, int64_t axis) : opset_(opset), axis_(axis) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(CheckInputCount(inputs, 2, 3, "QuantizeLinear"));
    HB_RETURN_IF_ERROR(
        CheckType(inputs[0], TypeSet{DType::kF32, DType::kI32}, "QuantizeLinear", 0, "x"));
    out_type_ = DType::kU8;
    if (inputs.size() > 2 && inputs[2].present()) {
      HB_RETURN_IF_ERROR(CheckType(inputs[2], TypeSet{DType::kU8, DType::kI8}, "QuantizeLinear", 2,
                                   "y_zero_point"));
      out_type_ = inputs[2].dtype;
    }
    HB_ASSIGN_OR_RETURN(
        layout_, ResolveLayout(inputs, opset_, axis_, "QuantizeLinear", "y_scale", "y_zero_point"));
    in_type_ = inputs[0].dtype;
    *outputs = {TensorInfo{out_type_, inputs[0].shape, nullptr}};
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    if (out_type_ == DType::kU8) {
      Quantize<uint8_t>(inputs, outputs[0]);
    } else {
      Quantize<int8_t>(inputs, outputs[0]);
    }
    return absl::OkStatus();
  }

 private:
  template <typename Q>
  void Quantize(const std::vector<ConstTensorView>& inputs, const TensorView& out) const {
    const float* scale = inputs[1].as<float>();
    const Q* zero_point = inputs.size() > 2 && inputs[2].present() ? inputs[2].as<Q>() : nullptr;
    Q* y = out.as<Q>();
    int64_t n = inputs[0].num_elements();
    for (int64_t i = 0; i < n; ++i) {
      float x = in_type_ == DType::kF32 ? inputs[0].as<float>()[i]
                                        : static_cast<float>(inputs[0].as<int32_t>()[i]);
      int64_t c = layout_.ChannelOf(i);
      int32_t zp = zero_point != nullptr ? zero_point[c] : 0;
      y[i] = QuantizeValue<Q>(x, scale[c], zp);
    }
  }

  const int opset_;
  const int64_t axis_;
  DType in_type_ = DType::kUndefined;
  DType out_type_ = DType::kUndefined;
  ChannelLayout layout_;
};

class DequantizeLinearKernel : public OpKernel {
 public:
  DequantizeLinearKernel(int opset, int64_t axis) : opset_(opset), axis_(axis) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(CheckInputCount(inputs, 2, 3, "DequantizeLinear"));
    HB_RETURN_IF_ERROR(CheckType(inputs[0], TypeSet{DType::kU8, DType::kI8, DType::kI32},
                                 "DequantizeLinear", 0, "x"));
    if (inputs.size() > 2 && inputs[2].present()) {
      HB_RETURN_IF_ERROR(CheckSameType(inputs, 0, "x", 2, "x_zero_point", "DequantizeLinear"));
    }
    HB_ASSIGN_OR_RETURN(layout_, ResolveLayout(inputs, opset_, axis_, "DequantizeLinear", "x_scale",
                                               "x_zero_point"));
    in_type_ = inputs[0].dtype;
    *outputs = {TensorInfo{DType::kF32, inputs[0].shape, nullptr}};
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    switch (in_type_) {
      case DType::kU8: Dequantize<uint8_t>(inputs, outputs[0]); break;
      case DType::kI8: Dequantize<int8_t>(inputs, outputs[0]); break;
      case DType::kI32: Dequantize<int32_t>(inputs, outputs[0]); break;
      default: return absl::InternalError("DequantizeLinear: unexpected input type");
    }
    return absl::OkStatus();
  }

 private:
  template <typename Q>
  void Dequantize(const std::vector<ConstTensorView>& inputs, const TensorView& out) const {
    const Q* x = inputs[0].as<Q>();
    const float* scale = inputs[1].as<float>();
    const Q* zero_point = inputs.size() > 2 && inputs[2].present() ? inputs[2].as<Q>() : nullptr;
    float* y = out.as<float>();
    int64_t n = inputs[0].num_elements();
    for (int64_t i = 0; i < n; ++i) {
      int64_t c = layout_.ChannelOf(i);
      int64_t zp = zero_point != nullptr ? zero_point[c] : 0;
      y[i] = static_cast<float>(static_cast<int64_t>(x[i]) - zp) * scale[c];
    }
  }

  const int opset_;
  const int64_t axis_;
  DType in_type_ = DType::kUndefined;
  ChannelLayout layout_;
};

}  // namespace

KernelOrError QuantizeLinear::Create(const KernelCreateArgs& args) {
  HB_ASSIGN_OR_RETURN(int64_t axis, args.attributes.GetInt("axis", 1));
  return std::make_unique<QuantizeLinearKernel>(args.opset_version, axis);
}

KernelOrError DequantizeLinear::Create(const KernelCreateArgs& args) {
  HB_ASSIGN_OR_RETURN(int64_t axis, args.attributes.GetInt("axis", 1));
  return std::make_unique<DequantizeLinearKernel>(args.opset_version, axis);
}

}  // namespace hb_dnn::kernels::elementwise
