// Helpers shared by the elementwise group's reference kernels: element-type sets and dispatch,
// input-count/type checks with the contract's error messages, broadcast index mapping, and
// the integer arithmetic and conversion rules the kernels agree on.
#ifndef HB_DNN_SRC_KERNELS_REFERENCE_ELEMENTWISE_UTIL_H_
#define HB_DNN_SRC_KERNELS_REFERENCE_ELEMENTWISE_UTIL_H_

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/status/status.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/tensor.h"

namespace hb_dnn::kernels::elementwise {

// A set of element types an op accepts, for validation and messages.
class TypeSet {
 public:
  constexpr TypeSet(std::initializer_list<DType> types) {
    for (DType t : types) bits_ |= Bit(t);
  }
  constexpr bool Contains(DType type) const { return (bits_ & Bit(type)) != 0; }
  // "float32, float64" for messages.
  std::string ToString() const;

 private:
  static constexpr uint32_t Bit(DType type) { return 1u << static_cast<uint32_t>(type); }
  uint32_t bits_ = 0;
};

inline constexpr TypeSet kFloatTypes = {DType::kF32, DType::kF64};
inline constexpr TypeSet kSignedTypes = {DType::kF32, DType::kF64, DType::kI8,
                                         DType::kI16, DType::kI32, DType::kI64};
inline constexpr TypeSet kNumericTypes = {DType::kF32, DType::kF64, DType::kI8, DType::kI16,
                                          DType::kI32, DType::kI64, DType::kU8, DType::kU16,
                                          DType::kU32, DType::kU64};
inline constexpr TypeSet kBoolTypes = {DType::kBool};

// "input 1 'B' of Add" style description used in every message.
std::string InputName(const char* op, int index, const char* name);

// Error unless `inputs` has between `min_count` and `max_count` entries and the first
// `min_count` are present (later ones are optional).
absl::Status CheckInputCount(const std::vector<TensorInfo>& inputs, int min_count, int max_count,
                             const char* op);

// Error naming the input unless its type is in `allowed`.
absl::Status CheckType(const TensorInfo& input, const TypeSet& allowed, const char* op, int index,
                       const char* name);

// Error naming both inputs unless they have the same type.
absl::Status CheckSameType(const std::vector<TensorInfo>& inputs, int a, const char* a_name, int b,
                           const char* b_name, const char* op);

template <typename T>
struct TypeTag {
  using type = T;
};

// Calls `fn(TypeTag<T>{})` with the C++ type of `type` and returns its status; types outside
// the visited set are internal errors (Prepare rejects them before Run gets there).
template <typename Fn>
absl::Status VisitFloat(DType type, Fn&& fn) {
  switch (type) {
    case DType::kF32: return fn(TypeTag<float>{});
    case DType::kF64: return fn(TypeTag<double>{});
    default: break;
  }
  return absl::InternalError(std::string("unexpected element type ") + DTypeName(type));
}

template <typename Fn>
absl::Status VisitSigned(DType type, Fn&& fn) {
  switch (type) {
    case DType::kI8: return fn(TypeTag<int8_t>{});
    case DType::kI16: return fn(TypeTag<int16_t>{});
    case DType::kI32: return fn(TypeTag<int32_t>{});
    case DType::kI64: return fn(TypeTag<int64_t>{});
    default: break;
  }
  return VisitFloat(type, fn);
}

template <typename Fn>
absl::Status VisitNumeric(DType type, Fn&& fn) {
  switch (type) {
    case DType::kU8: return fn(TypeTag<uint8_t>{});
    case DType::kU16: return fn(TypeTag<uint16_t>{});
    case DType::kU32: return fn(TypeTag<uint32_t>{});
    case DType::kU64: return fn(TypeTag<uint64_t>{});
    default: break;
  }
  return VisitSigned(type, fn);
}

// Maps the flat index of an element of a broadcast output to the flat offset of the input
// element it reads (ONNX multidirectional broadcasting). Computed per element from the index
// alone, so Run needs no scratch state.
class BroadcastIndexer {
 public:
  BroadcastIndexer() = default;
  BroadcastIndexer(const Shape& in, const Shape& out);

  int64_t Offset(int64_t out_index) const {
    if (same_shape_) return out_index;
    int64_t offset = 0;
    for (int d = static_cast<int>(out_shape_.size()) - 1; d >= 0; --d) {
      offset += (out_index % out_shape_[d]) * in_strides_[d];
      out_index /= out_shape_[d];
    }
    return offset;
  }

 private:
  bool same_shape_ = true;
  Shape out_shape_;
  std::vector<int64_t> in_strides_;
};

// Integer arithmetic wraps modulo 2^bits (two's complement), as ONNX runtimes do, instead of
// the undefined behaviour of signed overflow in C++; floats use plain IEEE arithmetic.
template <typename T>
T WrapAdd(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    return static_cast<T>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
  } else {
    return a + b;
  }
}

template <typename T>
T WrapSub(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    return static_cast<T>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
  } else {
    return a - b;
  }
}

template <typename T>
T WrapMul(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    return static_cast<T>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
  } else {
    return a * b;
  }
}

// Float to integer conversion: truncation toward zero for values in range. ONNX leaves
// out-of-range and NaN undefined; we saturate to the type's limits and map NaN to 0 so the
// reference stays deterministic and free of C++ undefined behaviour.
template <typename To>
To SaturatingFloatToInt(double v) {
  static_assert(std::is_integral_v<To>);
  if (std::isnan(v)) return 0;
  const double lowest = static_cast<double>(std::numeric_limits<To>::lowest());
  const double upper_exclusive = std::ldexp(1.0, std::numeric_limits<To>::digits);
  if (v <= lowest) return std::numeric_limits<To>::lowest();
  if (v >= upper_exclusive) return std::numeric_limits<To>::max();
  return static_cast<To>(v);
}

// Round half to even without depending on the floating-point environment's rounding mode.
double RoundHalfToEven(double v);

}  // namespace hb_dnn::kernels::elementwise

#endif  // HB_DNN_SRC_KERNELS_REFERENCE_ELEMENTWISE_UTIL_H_
