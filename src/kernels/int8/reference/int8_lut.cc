// int8 Lut reference kernel (hb_dnn.bpu): a 256-entry table built at Prepare in double,
//   T[q] = sat(rne(f(q * x_scale) / y_scale)),
// with f one of (ONNX definitions; alpha/beta are HardSigmoid's, defaults 0.2 / 0.5):
//   Sigmoid      1 / (1 + exp(-x))
//   HardSigmoid  max(0, min(1, alpha * x + beta))
//   HardSwish    x * max(0, min(1, x / 6 + 0.5))
//   SiLU         x / (1 + exp(-x))
//   Tanh         tanh(x)
// Run is one table look-up per element.

#include <array>
#include <cmath>
#include <cstdint>
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

constexpr char kOp[] = "Lut";

enum class LutFunction { kSigmoid, kHardSigmoid, kHardSwish, kSilu, kTanh };

double Evaluate(LutFunction function, double x, double alpha, double beta) {
  switch (function) {
    case LutFunction::kSigmoid:
      return 1.0 / (1.0 + std::exp(-x));
    case LutFunction::kHardSigmoid:
      return std::fmax(0.0, std::fmin(1.0, alpha * x + beta));
    case LutFunction::kHardSwish:
      return x * std::fmax(0.0, std::fmin(1.0, x / 6.0 + 0.5));
    case LutFunction::kSilu:
      return x / (1.0 + std::exp(-x));
    case LutFunction::kTanh:
      return std::tanh(x);
  }
  return 0.0;
}

class Int8LutKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    const Attributes& attributes = args.attributes;
    if (!attributes.Has("function")) {
      return KernelError(kOp, ": attribute 'function' is required");
    }
    HB_ASSIGN_OR_RETURN(std::string name, attributes.GetString("function", ""));
    LutFunction function;
    if (name == "Sigmoid") {
      function = LutFunction::kSigmoid;
    } else if (name == "HardSigmoid") {
      function = LutFunction::kHardSigmoid;
    } else if (name == "HardSwish") {
      function = LutFunction::kHardSwish;
    } else if (name == "SiLU") {
      function = LutFunction::kSilu;
    } else if (name == "Tanh") {
      function = LutFunction::kTanh;
    } else {
      return KernelError(kOp, ": attribute 'function' is '", name,
                         "', expected Sigmoid, HardSigmoid, HardSwish, SiLU or Tanh");
    }
    HB_ASSIGN_OR_RETURN(float alpha, attributes.GetFloat("alpha", 0.2f));
    HB_ASSIGN_OR_RETURN(float beta, attributes.GetFloat("beta", 0.5f));
    absl::StatusOr<float> x_scale = ReadScale(attributes, "x_scale");
    HB_RETURN_IF_ERROR(WithOp(kOp, x_scale.status()));
    absl::StatusOr<float> y_scale = ReadScale(attributes, "y_scale");
    HB_RETURN_IF_ERROR(WithOp(kOp, y_scale.status()));
    auto kernel = std::make_unique<Int8LutKernel>();
    for (int q = -128; q <= 127; ++q) {
      const double real = Evaluate(function, q * static_cast<double>(*x_scale), alpha, beta);
      const double scaled = std::nearbyint(real / static_cast<double>(*y_scale));
      kernel->table_[static_cast<uint8_t>(q)] =
          static_cast<int8_t>(scaled < -128.0 ? -128 : (scaled > 127.0 ? 127 : scaled));
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
