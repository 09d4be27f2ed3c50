// Reference kernel of Cast between every DType (the ONNX opset 6-18 rules, no `saturate`).
//
// Conversion rules (ONNX Cast spec; where it says "undefined" we pick a deterministic rule):
// - float -> float: round to nearest even, +/-inf when out of range (float16 too);
// - float -> integer: truncation toward zero; out of range saturates and NaN gives 0 (ONNX:
//   undefined);
// - integer -> integer: keep the low bits (two's complement wrap), e.g. int16 200 -> int8 -56;
// - integer -> float: nearest representable value;
// - anything -> bool: 0 (and -0.0) is false, everything else (NaN included) true;
// - bool -> anything: 0 or 1.

#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <type_traits>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/reference/elementwise_kernels.h"
#include "src/kernels/reference/elementwise_util.h"

namespace hb_dnn::kernels::elementwise {
namespace {

// Storage types for the two DTypes that have no arithmetic C++ type of their own.
struct Float16 {
  uint16_t bits;
};
struct Bool8 {
  uint8_t value;
};

double HalfToDouble(uint16_t h) {
  int sign = (h >> 15) & 1;
  int exponent = (h >> 10) & 0x1f;
  int mantissa = h & 0x3ff;
  double magnitude;
  if (exponent == 0x1f) {
    magnitude = mantissa == 0 ? INFINITY : NAN;
  } else if (exponent == 0) {
    magnitude = std::ldexp(static_cast<double>(mantissa), -24);  // subnormal
  } else {
    magnitude = std::ldexp(static_cast<double>(mantissa + 0x400), exponent - 25);
  }
  return sign ? -magnitude : magnitude;
}

// Round to nearest even; every step before the final RoundHalfToEven is exact in double.
uint16_t DoubleToHalf(double v) {
  uint16_t sign = std::signbit(v) ? 0x8000 : 0;
  double a = std::fabs(v);
  if (std::isnan(v)) return sign | 0x7e00;
  // 65520 is halfway between the largest half (65504) and 2^16; the tie rounds to the even
  // candidate, 2^16, which overflows.
  if (a >= 65520.0) return sign | 0x7c00;
  if (a < std::ldexp(1.0, -14)) {
    // Subnormal (or zero) in half: units of 2^-24. A result of 0x400 is the smallest normal,
    // whose bit pattern is exactly that.
    return sign | static_cast<uint16_t>(RoundHalfToEven(std::ldexp(a, 24)));
  }
  int exp2;
  std::frexp(a, &exp2);  // a = f * 2^exp2, f in [0.5, 1)
  int unbiased = exp2 - 1;
  double mantissa = RoundHalfToEven((std::ldexp(a, -unbiased) - 1.0) * 1024.0);
  // A mantissa rounded up to 1024 carries into the exponent, which the addition does.
  return sign | static_cast<uint16_t>(((unbiased + 15) << 10) + static_cast<int>(mantissa));
}

template <typename To, typename From>
To ConvertElement(From v) {
  if constexpr (std::is_same_v<From, Float16>) {
    return ConvertElement<To>(HalfToDouble(v.bits));
  } else if constexpr (std::is_same_v<From, Bool8>) {
    return ConvertElement<To>(static_cast<uint8_t>(v.value != 0 ? 1 : 0));
  } else if constexpr (std::is_same_v<To, Bool8>) {
    return Bool8{static_cast<uint8_t>(v != From(0) ? 1 : 0)};
  } else if constexpr (std::is_same_v<To, Float16>) {
    // Exact for every float source; an integer too large for double exactly is far beyond
    // half's range, so its rounding to double cannot change the result.
    return Float16{DoubleToHalf(static_cast<double>(v))};
  } else if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
    return SaturatingFloatToInt<To>(static_cast<double>(v));
  } else {
    return static_cast<To>(v);
  }
}

template <typename Fn>
absl::Status VisitAll(DType type, Fn&& fn) {
  switch (type) {
    case DType::kF16: return fn(TypeTag<Float16>{});
    case DType::kBool: return fn(TypeTag<Bool8>{});
    default: break;
  }
  return VisitNumeric(type, fn);
}

// The DType of an ONNX TensorProto.DataType value, or kUndefined for types we do not run.
DType DTypeFromOnnx(int64_t onnx_type) {
  switch (onnx_type) {
    case 1: return DType::kF32;
    case 2: return DType::kU8;
    case 3: return DType::kI8;
    case 4: return DType::kU16;
    case 5: return DType::kI16;
    case 6: return DType::kI32;
    case 7: return DType::kI64;
    case 9: return DType::kBool;
    case 10: return DType::kF16;
    case 11: return DType::kF64;
    case 12: return DType::kU32;
    case 13: return DType::kU64;
    default: return DType::kUndefined;
  }
}

const char* OnnxTypeName(int64_t onnx_type) {
  switch (onnx_type) {
    case 8: return "string";
    case 14: return "complex64";
    case 15: return "complex128";
    case 16: return "bfloat16";
    default: return "unknown";
  }
}

class CastKernel : public OpKernel {
 public:
  explicit CastKernel(DType to) : to_(to) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(CheckInputCount(inputs, 1, 1, "Cast"));
    from_ = inputs[0].dtype;
    *outputs = {TensorInfo{to_, inputs[0].shape, nullptr}};
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    int64_t n = inputs[0].num_elements();
    if (from_ == to_) {
      std::memcpy(outputs[0].data, inputs[0].data, static_cast<size_t>(n) * DTypeSize(to_));
      return absl::OkStatus();
    }
    return VisitAll(from_, [&](auto from_tag) {
      using From = typename decltype(from_tag)::type;
      return VisitAll(to_, [&](auto to_tag) {
        using To = typename decltype(to_tag)::type;
        const From* x = inputs[0].as<From>();
        To* y = outputs[0].as<To>();
        for (int64_t i = 0; i < n; ++i) y[i] = ConvertElement<To>(x[i]);
        return absl::OkStatus();
      });
    });
  }

 private:
  const DType to_;
  DType from_ = DType::kUndefined;
};

}  // namespace

KernelOrError Cast::Create(const KernelCreateArgs& args) {
  if (!args.attributes.Has("to")) return KernelError("Cast needs attribute 'to'");
  HB_ASSIGN_OR_RETURN(int64_t onnx_type, args.attributes.GetInt("to", 0));
  DType to = DTypeFromOnnx(onnx_type);
  if (to == DType::kUndefined) {
    return KernelError("Cast attribute 'to' = ", onnx_type, " (", OnnxTypeName(onnx_type),
                       ") is not a supported element type");
  }
  return std::make_unique<CastKernel>(to);
}

}  // namespace hb_dnn::kernels::elementwise
