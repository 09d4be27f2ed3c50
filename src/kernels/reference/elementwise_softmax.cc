// Reference kernels of Softmax and LogSoftmax.
//
// Opsets 1-12 coerce the input to 2-D [prod(shape[:axis]), prod(shape[axis:])] (axis default 1)
// and normalize each row over all trailing dimensions together; opset 13 normalizes along the
// single dimension `axis` (default -1). Both are computed in double with the row maximum
// subtracted first, so large inputs do not overflow.

#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/reference/elementwise_kernels.h"
#include "src/kernels/reference/elementwise_util.h"

namespace hb_dnn::kernels::elementwise {
namespace {

class SoftmaxKernel : public OpKernel {
 public:
  SoftmaxKernel(bool log, int opset, int64_t axis)
      : log_(log), single_axis_(opset >= 13), axis_(axis) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    const char* name = log_ ? "LogSoftmax" : "Softmax";
    HB_RETURN_IF_ERROR(CheckInputCount(inputs, 1, 1, name));
    HB_RETURN_IF_ERROR(CheckType(inputs[0], kFloatTypes, name, 0, "input"));
    const Shape& shape = inputs[0].shape;
    int64_t rank = static_cast<int64_t>(shape.size());
    HB_ASSIGN_OR_RETURN(int64_t axis, NormalizeAxis(axis_, rank, "attribute 'axis'"));
    outer_ = 1;
    axis_size_ = 1;
    inner_ = 1;
    for (int64_t d = 0; d < rank; ++d) {
      if (d < axis) {
        outer_ *= shape[d];
      } else if (d == axis || !single_axis_) {
        axis_size_ *= shape[d];
      } else {
        inner_ *= shape[d];
      }
    }
    dtype_ = inputs[0].dtype;
    *outputs = {TensorInfo{dtype_, shape, nullptr}};
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    return VisitFloat(dtype_, [&](auto tag) {
      using T = typename decltype(tag)::type;
      const T* x = inputs[0].as<T>();
      T* y = outputs[0].as<T>();
      for (int64_t o = 0; o < outer_; ++o) {
        for (int64_t j = 0; j < inner_; ++j) {
          int64_t base = o * axis_size_ * inner_ + j;
          double max = -INFINITY;
          for (int64_t k = 0; k < axis_size_; ++k) {
            max = std::fmax(max, static_cast<double>(x[base + k * inner_]));
          }
          double sum = 0;
          for (int64_t k = 0; k < axis_size_; ++k) {
            sum += std::exp(static_cast<double>(x[base + k * inner_]) - max);
          }
          double log_sum = std::log(sum);
          for (int64_t k = 0; k < axis_size_; ++k) {
            double shifted = static_cast<double>(x[base + k * inner_]) - max;
            y[base + k * inner_] =
                static_cast<T>(log_ ? shifted - log_sum : std::exp(shifted) / sum);
          }
        }
      }
      return absl::OkStatus();
    });
  }

 private:
  const bool log_;
  const bool single_axis_;
  const int64_t axis_;
  DType dtype_ = DType::kUndefined;
  int64_t outer_ = 1;
  int64_t axis_size_ = 1;
  int64_t inner_ = 1;
};

}  // namespace

KernelOrError CreateSoftmaxKernel(bool log, const KernelCreateArgs& args) {
  int64_t default_axis = args.opset_version >= 13 ? -1 : 1;
  HB_ASSIGN_OR_RETURN(int64_t axis, args.attributes.GetInt("axis", default_axis));
  return std::make_unique<SoftmaxKernel>(log, args.opset_version, axis);
}

}  // namespace hb_dnn::kernels::elementwise
