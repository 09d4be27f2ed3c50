// int8 Lut reference kernel (hb_dnn.bpu): a 256-entry table built at Prepare in double,
//   T[q] = sat(rne(g(q * x_scale) / y_scale)),
// with g a function of lut_function.h (attributes function, alpha, beta, post_mul, post_add).
// Run is one table look-up per element.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/int8/lut_function.h"
#include "src/kernels/int8/reference/int8_kernels.h"
#include "src/kernels/int8/reference/int8_util.h"
#include "src/kernels/int8/requantize.h"
#include "src/kernels/kernel_util.h"

namespace hb_dnn::kernels::int8 {
namespace {

constexpr char kOp[] = "Lut";

class Int8LutKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    const Attributes& attributes = args.attributes;
    absl::StatusOr<LutSpec> spec = ReadLutSpec(attributes, "");
    HB_RETURN_IF_ERROR(WithOp(kOp, spec.status()));
    absl::StatusOr<float> x_scale = ReadScale(attributes, "x_scale");
    HB_RETURN_IF_ERROR(WithOp(kOp, x_scale.status()));
    absl::StatusOr<float> y_scale = ReadScale(attributes, "y_scale");
    HB_RETURN_IF_ERROR(WithOp(kOp, y_scale.status()));
    auto kernel = std::make_unique<Int8LutKernel>();
    for (int q = -128; q <= 127; ++q) {
      kernel->table_[static_cast<uint8_t>(q)] =
          spec->Entry(q * static_cast<double>(*x_scale), *y_scale, QuantBounds());
    }
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(CheckInputCount(kOp, inputs, 1, 1));
    HB_RETURN_IF_ERROR(CheckInt8(kOp, inputs[0], "input 0 'X'"));
    outputs->assign(1, TensorInfo{DType::kI8, inputs[0].shape, nullptr});
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const int8_t* x = inputs[0].as<int8_t>();
    int8_t* y = outputs[0].as<int8_t>();
    const int64_t n = inputs[0].num_elements();
    for (int64_t i = 0; i < n; ++i) y[i] = table_[static_cast<uint8_t>(x[i])];
    return absl::OkStatus();
  }

 private:
  std::array<int8_t, 256> table_{};  // indexed by the input's byte
};

}  // namespace

KernelOrError CreateInt8LutReference(const KernelCreateArgs& args) {
  return Int8LutKernel::Create(args);
}

}  // namespace hb_dnn::kernels::int8
