// Reference kernels of two-input elementwise ops with multidirectional broadcasting
// (arithmetic, Pow, comparisons, And/Or), PRelu (unidirectional) and Where (three-way).

#include <cmath>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/reference/elementwise_kernels.h"
#include "src/kernels/reference/elementwise_util.h"

namespace hb_dnn::kernels::elementwise {
namespace {

enum class BinaryKind { kArithmetic, kPow, kCompare, kLogical };

struct BinaryOpInfo {
  const char* name;
  BinaryKind kind;
  TypeSet types;  // of both inputs (of A only for Pow)
};

BinaryOpInfo InfoOf(BinaryOp op) {
  constexpr TypeSet kNumericOrBool = {DType::kF32, DType::kF64, DType::kI8,  DType::kI16,
                                      DType::kI32, DType::kI64, DType::kU8,  DType::kU16,
                                      DType::kU32, DType::kU64, DType::kBool};
  switch (op) {
    case BinaryOp::kAdd: return {"Add", BinaryKind::kArithmetic, kNumericTypes};
    case BinaryOp::kSub: return {"Sub", BinaryKind::kArithmetic, kNumericTypes};
    case BinaryOp::kMul: return {"Mul", BinaryKind::kArithmetic, kNumericTypes};
    case BinaryOp::kDiv: return {"Div", BinaryKind::kArithmetic, kNumericTypes};
    case BinaryOp::kPow: return {"Pow", BinaryKind::kPow, kNumericTypes};
    case BinaryOp::kEqual: return {"Equal", BinaryKind::kCompare, kNumericOrBool};
    case BinaryOp::kGreater: return {"Greater", BinaryKind::kCompare, kNumericTypes};
    case BinaryOp::kLess: return {"Less", BinaryKind::kCompare, kNumericTypes};
    case BinaryOp::kGreaterOrEqual: return {"GreaterOrEqual", BinaryKind::kCompare, kNumericTypes};
    case BinaryOp::kLessOrEqual: return {"LessOrEqual", BinaryKind::kCompare, kNumericTypes};
    case BinaryOp::kAnd: return {"And", BinaryKind::kLogical, kBoolTypes};
    case BinaryOp::kOr: return {"Or", BinaryKind::kLogical, kBoolTypes};
  }
  return {"?", BinaryKind::kArithmetic, kNumericTypes};
}

// Integer division truncates toward zero (C++ and ONNX runtimes agree). Division by zero, which
// ONNX leaves undefined for integers, yields 0 here; INT_MIN / -1 wraps to INT_MIN.
template <typename T>
T Divide(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    if (b == 0) return 0;
    if constexpr (std::is_signed_v<T>) {
      if (b == T(-1)) return WrapSub(T(0), a);
    }
    return static_cast<T>(a / b);
  } else {
    return a / b;
  }
}

template <typename T>
T Arithmetic(BinaryOp op, T a, T b) {
  switch (op) {
    case BinaryOp::kAdd: return WrapAdd(a, b);
    case BinaryOp::kSub: return WrapSub(a, b);
    case BinaryOp::kMul: return WrapMul(a, b);
    case BinaryOp::kDiv: return Divide(a, b);
    default: break;
  }
  return a;
}

// Integer base, integer exponent: exact repeated squaring with wrapping multiplication. A
// negative exponent gives the truncated value of 1 / base^|e|: 1 or -1 for bases 1 and -1,
// 0 otherwise (also for base 0, where the result is undefined).
template <typename T, typename E>
T IntegerPower(T base, E exponent) {
  if constexpr (std::is_signed_v<E>) {
    if (exponent < 0) {
      if (base == T(1)) return T(1);
      if constexpr (std::is_signed_v<T>) {
        if (base == T(-1)) return exponent % 2 == 0 ? T(1) : T(-1);
      }
      return T(0);
    }
  }
  T result = T(1);
  auto remaining = static_cast<uint64_t>(exponent);
  while (remaining != 0) {
    if (remaining & 1) result = WrapMul(result, base);
    base = WrapMul(base, base);
    remaining >>= 1;
  }
  return result;
}

// Pow's output has the base's type (opset 12+ allows a different exponent type). Floating
// bases are computed in double and rounded once; integer bases with a floating exponent are
// computed in double and converted with the saturating float-to-int rule.
template <typename T, typename E>
T Power(T base, E exponent) {
  if constexpr (std::is_floating_point_v<T>) {
    return static_cast<T>(std::pow(static_cast<double>(base), static_cast<double>(exponent)));
  } else if constexpr (std::is_floating_point_v<E>) {
    return SaturatingFloatToInt<T>(
        std::pow(static_cast<double>(base), static_cast<double>(exponent)));
  } else {
    return IntegerPower(base, exponent);
  }
}

template <typename T>
bool Compare(BinaryOp op, T a, T b) {
  switch (op) {
    case BinaryOp::kEqual: return a == b;
    case BinaryOp::kGreater: return a > b;
    case BinaryOp::kLess: return a < b;
    case BinaryOp::kGreaterOrEqual: return a >= b;
    case BinaryOp::kLessOrEqual: return a <= b;
    default: break;
  }
  return false;
}

absl::StatusOr<Shape> BroadcastFor(const char* op, const Shape& a, const Shape& b) {
  absl::StatusOr<Shape> shape = BroadcastShapes(a, b);
  if (!shape.ok()) return KernelError(op, ": ", shape.status().message());
  return shape;
}

class BinaryKernel : public OpKernel {
 public:
  explicit BinaryKernel(BinaryOp op) : op_(op), info_(InfoOf(op)) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    const char* name = info_.name;
    HB_RETURN_IF_ERROR(CheckInputCount(inputs, 2, 2, name));
    HB_RETURN_IF_ERROR(CheckType(inputs[0], info_.types, name, 0, "A"));
    if (info_.kind == BinaryKind::kPow) {
      HB_RETURN_IF_ERROR(CheckType(inputs[1], kNumericTypes, name, 1, "B"));
    } else {
      HB_RETURN_IF_ERROR(CheckSameType(inputs, 0, "A", 1, "B", name));
    }
    HB_ASSIGN_OR_RETURN(Shape shape, BroadcastFor(name, inputs[0].shape, inputs[1].shape));
    a_type_ = inputs[0].dtype;
    b_type_ = inputs[1].dtype;
    a_index_ = BroadcastIndexer(inputs[0].shape, shape);
    b_index_ = BroadcastIndexer(inputs[1].shape, shape);
    bool bool_output = info_.kind == BinaryKind::kCompare || info_.kind == BinaryKind::kLogical;
    *outputs = {TensorInfo{bool_output ? DType::kBool : a_type_, shape, nullptr}};
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const ConstTensorView& a = inputs[0];
    const ConstTensorView& b = inputs[1];
    const TensorView& out = outputs[0];
    int64_t n = out.num_elements();
    switch (info_.kind) {
      case BinaryKind::kArithmetic:
        return VisitNumeric(a_type_, [&](auto tag) {
          using T = typename decltype(tag)::type;
          const T* x = a.as<T>();
          const T* y = b.as<T>();
          T* z = out.as<T>();
          for (int64_t i = 0; i < n; ++i) {
            z[i] = Arithmetic(op_, x[a_index_.Offset(i)], y[b_index_.Offset(i)]);
          }
          return absl::OkStatus();
        });
      case BinaryKind::kPow:
        return VisitNumeric(a_type_, [&](auto base_tag) {
          using T = typename decltype(base_tag)::type;
          return VisitNumeric(b_type_, [&](auto exponent_tag) {
            using E = typename decltype(exponent_tag)::type;
            const T* x = a.as<T>();
            const E* y = b.as<E>();
            T* z = out.as<T>();
            for (int64_t i = 0; i < n; ++i) {
              z[i] = Power(x[a_index_.Offset(i)], y[b_index_.Offset(i)]);
            }
            return absl::OkStatus();
          });
        });
      case BinaryKind::kCompare:
        if (a_type_ == DType::kBool) {  // Equal on bools
          const uint8_t* x = a.as<uint8_t>();
          const uint8_t* y = b.as<uint8_t>();
          uint8_t* z = out.as<uint8_t>();
          for (int64_t i = 0; i < n; ++i) {
            z[i] = (x[a_index_.Offset(i)] != 0) == (y[b_index_.Offset(i)] != 0) ? 1 : 0;
          }
          return absl::OkStatus();
        }
        return VisitNumeric(a_type_, [&](auto tag) {
          using T = typename decltype(tag)::type;
          const T* x = a.as<T>();
          const T* y = b.as<T>();
          uint8_t* z = out.as<uint8_t>();
          for (int64_t i = 0; i < n; ++i) {
            z[i] = Compare(op_, x[a_index_.Offset(i)], y[b_index_.Offset(i)]) ? 1 : 0;
          }
          return absl::OkStatus();
        });
      case BinaryKind::kLogical: {
        const uint8_t* x = a.as<uint8_t>();
        const uint8_t* y = b.as<uint8_t>();
        uint8_t* z = out.as<uint8_t>();
        bool is_and = op_ == BinaryOp::kAnd;
        for (int64_t i = 0; i < n; ++i) {
          bool p = x[a_index_.Offset(i)] != 0;
          bool q = y[b_index_.Offset(i)] != 0;
          z[i] = (is_and ? (p && q) : (p || q)) ? 1 : 0;
        }
        return absl::OkStatus();
      }
    }
    return absl::InternalError("unknown binary op kind");
  }

 private:
  const BinaryOp op_;
  const BinaryOpInfo info_;
  DType a_type_ = DType::kUndefined;
  DType b_type_ = DType::kUndefined;
  BroadcastIndexer a_index_;
  BroadcastIndexer b_index_;
};

// PRelu: y = x < 0 ? slope * x : x, with slope broadcast to X's shape (unidirectional: the
// output always has X's shape).
class PReluKernel : public OpKernel {
 public:
  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(CheckInputCount(inputs, 2, 2, "PRelu"));
    HB_RETURN_IF_ERROR(CheckType(inputs[0], kNumericTypes, "PRelu", 0, "X"));
    HB_RETURN_IF_ERROR(CheckSameType(inputs, 0, "X", 1, "slope", "PRelu"));
    const Shape& x_shape = inputs[0].shape;
    const Shape& slope_shape = inputs[1].shape;
    absl::StatusOr<Shape> shape = BroadcastShapes(x_shape, slope_shape);
    if (!shape.ok() || *shape != x_shape) {
      return KernelError(InputName("PRelu", 1, "slope"), " has shape ", ShapeString(slope_shape),
                         ", which does not broadcast to X's shape ", ShapeString(x_shape));
    }
    dtype_ = inputs[0].dtype;
    slope_index_ = BroadcastIndexer(slope_shape, x_shape);
    *outputs = {TensorInfo{dtype_, x_shape, nullptr}};
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    return VisitNumeric(dtype_, [&](auto tag) {
      using T = typename decltype(tag)::type;
      const T* x = inputs[0].as<T>();
      const T* slope = inputs[1].as<T>();
      T* y = outputs[0].as<T>();
      int64_t n = inputs[0].num_elements();
      for (int64_t i = 0; i < n; ++i) {
        y[i] = x[i] < T(0) ? WrapMul(slope[slope_index_.Offset(i)], x[i]) : x[i];
      }
      return absl::OkStatus();
    });
  }

 private:
  DType dtype_ = DType::kUndefined;
  BroadcastIndexer slope_index_;
};

// Where: y = condition ? X : Y, all three broadcast together. The values are only copied, so
// any element type works; the copy dispatches on the element size.
class WhereKernel : public OpKernel {
 public:
  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(CheckInputCount(inputs, 3, 3, "Where"));
    HB_RETURN_IF_ERROR(CheckType(inputs[0], kBoolTypes, "Where", 0, "condition"));
    HB_RETURN_IF_ERROR(CheckSameType(inputs, 1, "X", 2, "Y", "Where"));
    HB_ASSIGN_OR_RETURN(Shape xy_shape, BroadcastFor("Where", inputs[1].shape, inputs[2].shape));
    HB_ASSIGN_OR_RETURN(Shape shape, BroadcastFor("Where", inputs[0].shape, xy_shape));
    condition_index_ = BroadcastIndexer(inputs[0].shape, shape);
    x_index_ = BroadcastIndexer(inputs[1].shape, shape);
    y_index_ = BroadcastIndexer(inputs[2].shape, shape);
    element_size_ = DTypeSize(inputs[1].dtype);
    *outputs = {TensorInfo{inputs[1].dtype, shape, nullptr}};
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    switch (element_size_) {
      case 1: Select<uint8_t>(inputs, outputs[0]); break;
      case 2: Select<uint16_t>(inputs, outputs[0]); break;
      case 4: Select<uint32_t>(inputs, outputs[0]); break;
      case 8: Select<uint64_t>(inputs, outputs[0]); break;
      default: return absl::InternalError("Where: unexpected element size");
    }
    return absl::OkStatus();
  }

 private:
  template <typename Bits>
  void Select(const std::vector<ConstTensorView>& inputs, const TensorView& out) const {
    const uint8_t* condition = inputs[0].as<uint8_t>();
    const Bits* x = inputs[1].as<Bits>();
    const Bits* y = inputs[2].as<Bits>();
    Bits* z = out.as<Bits>();
    int64_t n = out.num_elements();
    for (int64_t i = 0; i < n; ++i) {
      z[i] = condition[condition_index_.Offset(i)] != 0 ? x[x_index_.Offset(i)]
                                                        : y[y_index_.Offset(i)];
    }
  }

  BroadcastIndexer condition_index_;
  BroadcastIndexer x_index_;
  BroadcastIndexer y_index_;
  size_t element_size_ = 0;
};

}  // namespace

KernelOrError CreateBinaryKernel(BinaryOp op, const KernelCreateArgs& args) {
  (void)args;
  return std::make_unique<BinaryKernel>(op);
}

KernelOrError PRelu::Create(const KernelCreateArgs& args) {
  (void)args;
  return std::make_unique<PReluKernel>();
}

KernelOrError Where::Create(const KernelCreateArgs& args) {
  (void)args;
  return std::make_unique<WhereKernel>();
}

}  // namespace hb_dnn::kernels::elementwise
