#include "tests/kernels/tensor_compare.h"

#include <cmath>
#include <cstring>

namespace hb_dnn::testing {
namespace {

using kernels::DType;
using onnx_import::DecodedTensor;

// IEEE half -> float, for comparing float16 outputs.
float HalfToFloat(uint16_t h) {
  uint32_t sign = (h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1f;
  uint32_t mant = h & 0x3ff;
  uint32_t bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {
      exp = 127 - 15 + 1;
      while ((mant & 0x400) == 0) {
        mant <<= 1;
        --exp;
      }
      bits = sign | (exp << 23) | ((mant & 0x3ff) << 13);
    }
  } else if (exp == 31) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &bits, sizeof(f));
  return f;
}

bool IsFloat(DType t) { return t == DType::kF32 || t == DType::kF64 || t == DType::kF16; }

}  // namespace

double ValueAt(DType dtype, const void* data, int64_t i) {
  switch (dtype) {
    case DType::kF32: return static_cast<const float*>(data)[i];
    case DType::kF64: return static_cast<const double*>(data)[i];
    case DType::kF16: return HalfToFloat(static_cast<const uint16_t*>(data)[i]);
    case DType::kI8: return static_cast<const int8_t*>(data)[i];
    case DType::kU8: return static_cast<const uint8_t*>(data)[i];
    case DType::kBool: return static_cast<const uint8_t*>(data)[i];
    case DType::kI16: return static_cast<const int16_t*>(data)[i];
    case DType::kU16: return static_cast<const uint16_t*>(data)[i];
    case DType::kI32: return static_cast<const int32_t*>(data)[i];
    case DType::kU32: return static_cast<const uint32_t*>(data)[i];
    case DType::kI64: return static_cast<double>(static_cast<const int64_t*>(data)[i]);
    case DType::kU64: return static_cast<double>(static_cast<const uint64_t*>(data)[i]);
    case DType::kUndefined: break;
  }
  return 0;
}


::testing::AssertionResult CompareTensor(const std::string& what, const DecodedTensor& expected,
                                   DType dtype, const kernels::Shape& shape, const void* data,
                                   double rtol, double atol) {
  if (dtype != expected.dtype) {
    return ::testing::AssertionFailure() << what << ": dtype " << kernels::DTypeName(dtype)
                                         << ", expected " << kernels::DTypeName(expected.dtype);
  }
  if (shape != expected.shape) {
    return ::testing::AssertionFailure() << what << ": shape " << kernels::ShapeString(shape)
                                         << ", expected " << kernels::ShapeString(expected.shape);
  }
  int64_t n = kernels::NumElements(shape);
  int reported = 0;
  ::testing::AssertionResult result = ::testing::AssertionSuccess();
  for (int64_t i = 0; i < n; ++i) {
    double got = ValueAt(dtype, data, i);
    double want = ValueAt(dtype, expected.bytes.data(), i);
    bool ok;
    if (IsFloat(dtype)) {
      ok = (std::isnan(got) && std::isnan(want)) || got == want ||
           std::fabs(got - want) <= atol + rtol * std::fabs(want);
    } else if (dtype == DType::kI64 || dtype == DType::kU64) {
      ok = std::memcmp(static_cast<const char*>(data) + i * 8, expected.bytes.data() + i * 8, 8) == 0;
    } else {
      ok = got == want;
    }
    if (!ok) {
      if (reported == 0) result = ::testing::AssertionFailure() << what << ":";
      if (reported < 5) result << " [" << i << "] got " << got << " want " << want << ";";
      ++reported;
    }
  }
  if (reported > 5) result << " ... " << reported << " mismatches of " << n;
  return result;
}


}  // namespace hb_dnn::testing
