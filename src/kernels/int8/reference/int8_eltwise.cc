// int8 Add and Mul reference kernels (hb_dnn.bpu) with ONNX multidirectional broadcasting:
//   Add: y = rule(float(a) * Ma + float(b) * Mb), Ma = a_scale / y_scale, Mb = b_scale / y_scale
//        (two single-precision products, then one add; this file is built with
//        -ffp-contract=off so they are never fused);
//   Mul: y = rule(a * b) with M = a_scale * b_scale / y_scale.
// Both clamp to the activation bounds.

#include <cstdint>
#include <memory>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/int8/reference/int8_kernels.h"
#include "src/kernels/int8/reference/int8_util.h"
#include "src/kernels/int8/requantize.h"
#include "src/kernels/kernel_util.h"

namespace hb_dnn::kernels::int8 {
namespace {

constexpr int kMaxRank = 8;

enum class BinaryOp { kAdd, kMul };

class Int8BinaryKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args, BinaryOp op) {
    const char* name = op == BinaryOp::kAdd ? "Add" : "Mul";
    auto kernel = std::make_unique<Int8BinaryKernel>();
    kernel->op_ = op;
    absl::StatusOr<float> a_scale = ReadScale(args.attributes, "a_scale");
    HB_RETURN_IF_ERROR(WithOp(name, a_scale.status()));
    absl::StatusOr<float> b_scale = ReadScale(args.attributes, "b_scale");
    HB_RETURN_IF_ERROR(WithOp(name, b_scale.status()));
    absl::StatusOr<float> y_scale = ReadScale(args.attributes, "y_scale");
    HB_RETURN_IF_ERROR(WithOp(name, y_scale.status()));
    absl::StatusOr<QuantBounds> bounds = ReadBounds(args.attributes, *y_scale);
    HB_RETURN_IF_ERROR(WithOp(name, bounds.status()));
    kernel->bounds_ = *bounds;
    if (op == BinaryOp::kAdd) {
      kernel->multiplier_a_ = Multiplier(*a_scale, 1.0, *y_scale);
      kernel->multiplier_b_ = Multiplier(*b_scale, 1.0, *y_scale);
    } else {
      kernel->multiplier_a_ = Multiplier(*a_scale, *b_scale, *y_scale);
    }
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    const char* name = op_ == BinaryOp::kAdd ? "Add" : "Mul";
    HB_RETURN_IF_ERROR(CheckInputCount(name, inputs, 2, 2));
    HB_RETURN_IF_ERROR(CheckInt8(name, inputs[0], "input 0 'A'"));
    HB_RETURN_IF_ERROR(CheckInt8(name, inputs[1], "input 1 'B'"));
    absl::StatusOr<Shape> shape = BroadcastShapes(inputs[0].shape, inputs[1].shape);
    HB_RETURN_IF_ERROR(WithOp(name, shape.status()));
    if (shape->size() > kMaxRank) {
      return KernelError(name, ": output shape ", ShapeString(*shape), " has rank ",
                         shape->size(), "; at most ", kMaxRank, " is supported");
    }
    shape_ = *shape;
    a_strides_ = BroadcastStrides(inputs[0].shape, shape_);
    b_strides_ = BroadcastStrides(inputs[1].shape, shape_);
    outputs->assign(1, TensorInfo{DType::kI8, shape_, nullptr});
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const int8_t* a = inputs[0].as<int8_t>();
    const int8_t* b = inputs[1].as<int8_t>();
    int8_t* y = outputs[0].as<int8_t>();
    const int64_t n = NumElements(shape_);
    const size_t rank = shape_.size();
    int64_t index[kMaxRank] = {};
    int64_t a_offset = 0;
    int64_t b_offset = 0;
    for (int64_t i = 0; i < n; ++i) {
      if (op_ == BinaryOp::kAdd) {
        const float sum = static_cast<float>(a[a_offset]) * multiplier_a_ +
                          static_cast<float>(b[b_offset]) * multiplier_b_;
        y[i] = SaturateRounded(sum, bounds_);
      } else {
        y[i] = Requantize(static_cast<int32_t>(a[a_offset]) * b[b_offset], multiplier_a_, bounds_);
      }
      for (size_t d = rank; d-- > 0;) {
        a_offset += a_strides_[d];
        b_offset += b_strides_[d];
        if (++index[d] < shape_[d]) break;
        a_offset -= a_strides_[d] * shape_[d];
        b_offset -= b_strides_[d] * shape_[d];
        index[d] = 0;
      }
    }
    return absl::OkStatus();
  }

 private:
  BinaryOp op_ = BinaryOp::kAdd;
  float multiplier_a_ = 1.0f;  // Mul: the product's multiplier
  float multiplier_b_ = 1.0f;
  QuantBounds bounds_;
  Shape shape_;
  std::vector<int64_t> a_strides_;
  std::vector<int64_t> b_strides_;
};

}  // namespace

KernelOrError CreateInt8AddReference(const KernelCreateArgs& args) {
  return Int8BinaryKernel::Create(args, BinaryOp::kAdd);
}

KernelOrError CreateInt8MulReference(const KernelCreateArgs& args) {
  return Int8BinaryKernel::Create(args, BinaryOp::kMul);
}

}  // namespace hb_dnn::kernels::int8
