// int8 Concat reference kernel (hb_dnn.bpu): inputs whose scale equals y_scale are copied, the
// others requantized element by element with M = x_scale_i / y_scale (no activation bounds).

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/int8/reference/int8_kernels.h"
#include "src/kernels/int8/reference/int8_util.h"
#include "src/kernels/int8/requantize.h"
#include "src/kernels/kernel_util.h"

namespace hb_dnn::kernels::int8 {
namespace {

constexpr char kOp[] = "Concat";

class Int8ConcatKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<Int8ConcatKernel>();
    if (!args.attributes.Has("axis")) {
      return KernelError(kOp, ": attribute 'axis' is required");
    }
    HB_ASSIGN_OR_RETURN(kernel->axis_, args.attributes.GetInt("axis", 0));
    if (args.num_inputs < 1) return KernelError(kOp, ": expected at least 1 input, got 0");
    if (args.attributes.Has("x_scales")) {
      HB_ASSIGN_OR_RETURN(std::vector<float> listed, args.attributes.GetFloats("x_scales"));
      if (listed.size() != static_cast<size_t>(args.num_inputs)) {
        return KernelError(kOp, ": attribute 'x_scales' has ", listed.size(), " scales for ",
                           args.num_inputs, " inputs; expected one per input");
      }
    }
    absl::StatusOr<std::vector<float>> x_scales =
        ReadScales(args.attributes, "x_scales", args.num_inputs);
    HB_RETURN_IF_ERROR(WithOp(kOp, x_scales.status()));
    absl::StatusOr<float> y_scale = ReadScale(args.attributes, "y_scale");
    HB_RETURN_IF_ERROR(WithOp(kOp, y_scale.status()));
    for (float x_scale : *x_scales) {
      kernel->copy_.push_back(x_scale == *y_scale);
      kernel->multipliers_.push_back(Multiplier(x_scale, 1.0, *y_scale));
    }
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    if (inputs.size() != copy_.size()) {
      return KernelError(kOp, ": got ", inputs.size(), " inputs but 'x_scales' has ",
                         copy_.size(), " scales");
    }
    HB_RETURN_IF_ERROR(CheckInputCount(kOp, inputs, inputs.size(), inputs.size()));
    const Shape& first = inputs[0].shape;
    const int64_t rank = static_cast<int64_t>(first.size());
    HB_ASSIGN_OR_RETURN(int64_t axis, NormalizeAxis(axis_, rank, "Concat: attribute 'axis'"));
    Shape y_shape = first;
    y_shape[axis] = 0;
    outer_ = NumElements(Shape(first.begin(), first.begin() + axis));
    const int64_t inner = NumElements(Shape(first.begin() + axis + 1, first.end()));
    blocks_.clear();
    for (size_t i = 0; i < inputs.size(); ++i) {
      const TensorInfo& x = inputs[i];
      const std::string what = "input " + std::to_string(i);
      HB_RETURN_IF_ERROR(CheckInt8(kOp, x, what.c_str()));
      bool same = x.shape.size() == first.size();
      for (int64_t d = 0; same && d < rank; ++d) same = d == axis || x.shape[d] == first[d];
      if (!same) {
        return KernelError(kOp, ": ", what, " has shape ", ShapeString(x.shape),
                           " but input 0 has shape ", ShapeString(first),
                           "; they may differ only along axis ", axis);
      }
      y_shape[axis] += x.shape[axis];
      blocks_.push_back(x.shape[axis] * inner);
    }
    row_ = y_shape[axis] * inner;
    outputs->assign(1, TensorInfo{DType::kI8, y_shape, nullptr});
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    int8_t* y = outputs[0].as<int8_t>();
    int64_t column = 0;
    for (size_t i = 0; i < inputs.size(); ++i) {
      const int8_t* x = inputs[i].as<int8_t>();
      const int64_t block = blocks_[i];
      for (int64_t o = 0; o < outer_; ++o) {
        int8_t* dst = y + o * row_ + column;
        const int8_t* src = x + o * block;
        if (copy_[i]) {
          if (block > 0) std::memcpy(dst, src, static_cast<size_t>(block));
        } else {
          for (int64_t j = 0; j < block; ++j) {
            dst[j] = Requantize(src[j], multipliers_[i], QuantBounds());
          }
        }
      }
      column += block;
    }
    return absl::OkStatus();
  }

 private:
  int64_t axis_ = 0;
  std::vector<bool> copy_;
  std::vector<float> multipliers_;
  int64_t outer_ = 0;
  int64_t row_ = 0;              // output elements per outer index
  std::vector<int64_t> blocks_;  // input i's elements per outer index
};

}  // namespace

KernelOrError CreateInt8ConcatReference(const KernelCreateArgs& args) {
  return Int8ConcatKernel::Create(args);
}

}  // namespace hb_dnn::kernels::int8
