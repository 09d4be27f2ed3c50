// Reference kernels of one-input elementwise ops (activations, math functions, Not) and Clip.

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <type_traits>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/reference/elementwise_kernels.h"
#include "src/kernels/reference/elementwise_util.h"

namespace hb_dnn::kernels::elementwise {
namespace {

struct UnaryOpInfo {
  const char* name;
  const char* input_name;  // as in the ONNX operator spec
  TypeSet types;
};

UnaryOpInfo InfoOf(UnaryOp op) {
  switch (op) {
    case UnaryOp::kRelu: return {"Relu", "X", kSignedTypes};
    case UnaryOp::kLeakyRelu: return {"LeakyRelu", "X", kFloatTypes};
    case UnaryOp::kSigmoid: return {"Sigmoid", "X", kFloatTypes};
    case UnaryOp::kHardSigmoid: return {"HardSigmoid", "X", kFloatTypes};
    case UnaryOp::kHardSwish: return {"HardSwish", "X", kFloatTypes};
    case UnaryOp::kTanh: return {"Tanh", "input", kFloatTypes};
    case UnaryOp::kElu: return {"Elu", "X", kFloatTypes};
    case UnaryOp::kSqrt: return {"Sqrt", "X", kFloatTypes};
    case UnaryOp::kExp: return {"Exp", "input", kFloatTypes};
    case UnaryOp::kLog: return {"Log", "input", kFloatTypes};
    case UnaryOp::kErf: return {"Erf", "input", kFloatTypes};
    case UnaryOp::kAbs: return {"Abs", "X", kNumericTypes};
    case UnaryOp::kNeg: return {"Neg", "X", kSignedTypes};
    case UnaryOp::kReciprocal: return {"Reciprocal", "X", kFloatTypes};
    case UnaryOp::kFloor: return {"Floor", "X", kFloatTypes};
    case UnaryOp::kCeil: return {"Ceil", "X", kFloatTypes};
    case UnaryOp::kNot: return {"Not", "X", kBoolTypes};
  }
  return {"?", "X", kFloatTypes};
}

// Clamp that lets NaN through (std::min/max would replace it by a bound).
template <typename T>
T ClampKeepNan(T v, T lo, T hi) {
  if (v < lo) return lo;
  if (v > hi) return hi;
  return v;
}

// The float-only ops. `alpha` and `beta` are the op's attributes (unused by most).
template <typename T>
T ApplyFloatOp(UnaryOp op, T x, T alpha, T beta) {
  switch (op) {
    case UnaryOp::kRelu: return x < T(0) ? T(0) : x;
    case UnaryOp::kLeakyRelu: return x < T(0) ? alpha * x : x;
    case UnaryOp::kSigmoid:
      // Written so that exp never overflows: exp(-|x|) is in (0, 1].
      if (x >= T(0)) return T(1) / (T(1) + std::exp(-x));
      return std::exp(x) / (T(1) + std::exp(x));
    case UnaryOp::kHardSigmoid: return ClampKeepNan(alpha * x + beta, T(0), T(1));
    case UnaryOp::kHardSwish: return x * ClampKeepNan(x / T(6) + T(0.5), T(0), T(1));
    case UnaryOp::kTanh: return std::tanh(x);
    case UnaryOp::kElu: return x < T(0) ? alpha * std::expm1(x) : x;
    case UnaryOp::kSqrt: return std::sqrt(x);
    case UnaryOp::kExp: return std::exp(x);
    case UnaryOp::kLog: return std::log(x);
    case UnaryOp::kErf: return std::erf(x);
    case UnaryOp::kAbs: return std::fabs(x);
    case UnaryOp::kNeg: return -x;
    case UnaryOp::kReciprocal: return T(1) / x;
    case UnaryOp::kFloor: return std::floor(x);
    case UnaryOp::kCeil: return std::ceil(x);
    case UnaryOp::kNot: break;
  }
  return x;
}

// Relu, Abs and Neg on integers; arithmetic wraps (Abs/Neg of the most negative value give
// itself, as in two's complement).
template <typename T>
T ApplyIntegerOp(UnaryOp op, T x) {
  if constexpr (std::is_signed_v<T>) {
    switch (op) {
      case UnaryOp::kRelu: return x < T(0) ? T(0) : x;
      case UnaryOp::kAbs: return x < T(0) ? WrapSub(T(0), x) : x;
      case UnaryOp::kNeg: return WrapSub(T(0), x);
      default: break;
    }
  }
  return x;  // Abs of unsigned; other ops never reach here (Prepare checks types)
}

class UnaryKernel : public OpKernel {
 public:
  UnaryKernel(UnaryOp op, float alpha, float beta) : op_(op), alpha_(alpha), beta_(beta) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    UnaryOpInfo info = InfoOf(op_);
    HB_RETURN_IF_ERROR(CheckInputCount(inputs, 1, 1, info.name));
    HB_RETURN_IF_ERROR(CheckType(inputs[0], info.types, info.name, 0, info.input_name));
    dtype_ = inputs[0].dtype;
    *outputs = {TensorInfo{dtype_, inputs[0].shape, nullptr}};
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const ConstTensorView& in = inputs[0];
    const TensorView& out = outputs[0];
    int64_t n = in.num_elements();
    if (op_ == UnaryOp::kNot) {
      const uint8_t* x = in.as<uint8_t>();
      uint8_t* y = out.as<uint8_t>();
      for (int64_t i = 0; i < n; ++i) y[i] = x[i] == 0 ? 1 : 0;
      return absl::OkStatus();
    }
    return VisitNumeric(dtype_, [&](auto tag) {
      using T = typename decltype(tag)::type;
      const T* x = in.as<T>();
      T* y = out.as<T>();
      if constexpr (std::is_floating_point_v<T>) {
        T alpha = static_cast<T>(alpha_);
        T beta = static_cast<T>(beta_);
        for (int64_t i = 0; i < n; ++i) y[i] = ApplyFloatOp(op_, x[i], alpha, beta);
      } else {
        for (int64_t i = 0; i < n; ++i) y[i] = ApplyIntegerOp(op_, x[i]);
      }
      return absl::OkStatus();
    });
  }

 private:
  const UnaryOp op_;
  const float alpha_;
  const float beta_;
  DType dtype_ = DType::kUndefined;
};

// Clip. Opsets 6-10 take the bounds as float attributes; from 11 they are optional inputs of
// the input's type (read at run time, they need not be constants). With min > max every
// element becomes max, as the spec says.
class ClipKernel : public OpKernel {
 public:
  ClipKernel(int opset, float min_attr, float max_attr)
      : bounds_are_inputs_(opset >= 11), min_attr_(min_attr), max_attr_(max_attr) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    if (bounds_are_inputs_) {
      HB_RETURN_IF_ERROR(CheckInputCount(inputs, 1, 3, "Clip"));
      HB_RETURN_IF_ERROR(CheckType(inputs[0], kNumericTypes, "Clip", 0, "input"));
      static const char* const kNames[] = {"input", "min", "max"};
      for (int i = 1; i < static_cast<int>(inputs.size()); ++i) {
        if (!inputs[i].present()) continue;
        HB_RETURN_IF_ERROR(CheckSameType(inputs, 0, kNames[0], i, kNames[i], "Clip"));
        if (inputs[i].num_elements() != 1) {
          return KernelError(InputName("Clip", i, kNames[i]), " has shape ",
                             ShapeString(inputs[i].shape), " but must be a scalar");
        }
      }
    } else {
      HB_RETURN_IF_ERROR(CheckInputCount(inputs, 1, 1, "Clip"));
      HB_RETURN_IF_ERROR(CheckType(inputs[0], kFloatTypes, "Clip", 0, "input"));
    }
    dtype_ = inputs[0].dtype;
    *outputs = {TensorInfo{dtype_, inputs[0].shape, nullptr}};
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    return VisitNumeric(dtype_, [&](auto tag) {
      using T = typename decltype(tag)::type;
      T lo = std::numeric_limits<T>::lowest();
      T hi = std::numeric_limits<T>::max();
      if (bounds_are_inputs_) {
        if (inputs.size() > 1 && inputs[1].present()) lo = inputs[1].as<T>()[0];
        if (inputs.size() > 2 && inputs[2].present()) hi = inputs[2].as<T>()[0];
      } else {
        lo = static_cast<T>(min_attr_);
        hi = static_cast<T>(max_attr_);
      }
      const T* x = inputs[0].as<T>();
      T* y = outputs[0].as<T>();
      int64_t n = inputs[0].num_elements();
      // max first, then min: min > max yields max everywhere.
      for (int64_t i = 0; i < n; ++i) {
        T v = x[i] < lo ? lo : x[i];
        y[i] = v > hi ? hi : v;
      }
      return absl::OkStatus();
    });
  }

 private:
  const bool bounds_are_inputs_;
  const float min_attr_;
  const float max_attr_;
  DType dtype_ = DType::kUndefined;
};

}  // namespace

KernelOrError CreateUnaryKernel(UnaryOp op, const KernelCreateArgs& args) {
  float alpha = 0;
  float beta = 0;
  switch (op) {
    case UnaryOp::kLeakyRelu: {
      HB_ASSIGN_OR_RETURN(alpha, args.attributes.GetFloat("alpha", 0.01f));
      break;
    }
    case UnaryOp::kHardSigmoid: {
      HB_ASSIGN_OR_RETURN(alpha, args.attributes.GetFloat("alpha", 0.2f));
      HB_ASSIGN_OR_RETURN(beta, args.attributes.GetFloat("beta", 0.5f));
      break;
    }
    case UnaryOp::kElu: {
      HB_ASSIGN_OR_RETURN(alpha, args.attributes.GetFloat("alpha", 1.0f));
      break;
    }
    default: break;
  }
  return std::make_unique<UnaryKernel>(op, alpha, beta);
}

KernelOrError Clip::Create(const KernelCreateArgs& args) {
  float min_attr = std::numeric_limits<float>::lowest();
  float max_attr = std::numeric_limits<float>::max();
  if (args.opset_version < 11) {
    HB_ASSIGN_OR_RETURN(min_attr, args.attributes.GetFloat("min", min_attr));
    HB_ASSIGN_OR_RETURN(max_attr, args.attributes.GetFloat("max", max_attr));
  }
  return std::make_unique<ClipKernel>(args.opset_version, min_attr, max_attr);
}

}  // namespace hb_dnn::kernels::elementwise
