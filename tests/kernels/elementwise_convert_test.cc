// Hand-written tests of Cast, QuantizeLinear and DequantizeLinear: exact float16 rounding,
// the integer conversion rules, round-half-to-even and saturation, per-axis parameters, and
// error paths.

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/error_code.h"
#include "src/base/status.h"
#include "tests/kernels/elementwise_test_util.h"

namespace hb_dnn::testing {
namespace {

using kernels::Attributes;
using kernels::DType;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// ONNX TensorProto.DataType values used as Cast's `to`.
constexpr int64_t kOnnxFloat = 1;
constexpr int64_t kOnnxUint8 = 2;
constexpr int64_t kOnnxInt8 = 3;
constexpr int64_t kOnnxInt32 = 6;
constexpr int64_t kOnnxString = 8;
constexpr int64_t kOnnxBool = 9;
constexpr int64_t kOnnxFloat16 = 10;
constexpr int64_t kOnnxDouble = 11;

Attributes To(int64_t onnx_type) {
  Attributes attributes;
  attributes.SetInt("to", onnx_type);
  return attributes;
}

TEST(ElementwiseCastTest, FloatToFloat16RoundsToNearestEven) {
  const float kInf = std::numeric_limits<float>::infinity();
  std::vector<float> x = {
      1.0f,
      1.0f + 1.0f / 2048,  // halfway between 1 and 1+2^-10: ties to even (1.0)
      1.0f + 3.0f / 2048,  // halfway, odd below: rounds up to 1+2^-9
      65504.0f,            // largest half
      65519.0f,            // rounds down to 65504
      65520.0f,            // tie at the top: rounds to even, which overflows
      -kInf,
      std::ldexp(1.0f, -24),  // smallest subnormal
      std::ldexp(1.0f, -25),  // tie between 0 and the smallest subnormal: 0
      std::ldexp(3.0f, -26),  // above the tie: smallest subnormal
      std::ldexp(1023.0f, -24) + std::ldexp(1.0f, -25),  // rounds up into the smallest normal
      -0.0f,
  };
  auto out = RunKernel1("Cast", 13, To(kOnnxFloat16), {F32({12}, x)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->dtype, DType::kF16);
  EXPECT_THAT(out->Values<uint16_t>(), ElementsAre(0x3c00, 0x3c00, 0x3c02, 0x7bff, 0x7bff, 0x7c00,
                                                   0xfc00, 0x0001, 0x0000, 0x0001, 0x0400, 0x8000));
}

TEST(ElementwiseCastTest, Float16ToFloatIsExactIncludingSpecials) {
  auto out = RunKernel1(
      "Cast", 13, To(kOnnxFloat),
      {TestTensor::Of<uint16_t>(DType::kF16, {5}, {0x0001, 0x7bff, 0xc000, 0x7c00, 0x7e00})});
  ASSERT_TRUE(out.ok()) << out.status();
  std::vector<float> y = out->Values<float>();
  EXPECT_EQ(y[0], std::ldexp(1.0f, -24));
  EXPECT_EQ(y[1], 65504.0f);
  EXPECT_EQ(y[2], -2.0f);
  EXPECT_EQ(y[3], std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(y[4]));
}

TEST(ElementwiseCastTest, FloatToIntegerTruncatesAndSaturates) {
  auto out =
      RunKernel1("Cast", 13, To(kOnnxInt8), {F32({6}, {2.9f, -2.9f, 300.0f, -300.0f, NAN, -0.5f})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->dtype, DType::kI8);
  EXPECT_THAT(out->Values<int8_t>(), ElementsAre(2, -2, 127, -128, 0, 0));
  auto u8 = RunKernel1("Cast", 13, To(kOnnxUint8), {F32({3}, {-1.0f, 255.5f, 1e10f})});
  ASSERT_TRUE(u8.ok()) << u8.status();
  EXPECT_THAT(u8->Values<uint8_t>(), ElementsAre(0, 255, 255));
}

TEST(ElementwiseCastTest, IntegerToIntegerKeepsLowBits) {
  auto out = RunKernel1("Cast", 13, To(kOnnxInt8),
                        {TestTensor::Of<int16_t>(DType::kI16, {3}, {200, -129, 256})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(out->Values<int8_t>(), ElementsAre(-56, 127, 0));
  auto wide = RunKernel1("Cast", 13, To(kOnnxInt32), {I64({1}, {(int64_t{1} << 32) + 7})});
  ASSERT_TRUE(wide.ok()) << wide.status();
  EXPECT_THAT(wide->Values<int32_t>(), ElementsAre(7));
}

TEST(ElementwiseCastTest, BoolConversions) {
  auto to_bool = RunKernel1("Cast", 9, To(kOnnxBool), {F32({4}, {0.0f, -0.0f, 0.25f, NAN})});
  ASSERT_TRUE(to_bool.ok()) << to_bool.status();
  EXPECT_EQ(to_bool->dtype, DType::kBool);
  EXPECT_THAT(to_bool->Values<uint8_t>(), ElementsAre(0, 0, 1, 1));
  auto from_bool = RunKernel1("Cast", 9, To(kOnnxDouble), {Bool({2}, {1, 0})});
  ASSERT_TRUE(from_bool.ok()) << from_bool.status();
  EXPECT_THAT(from_bool->Values<double>(), ElementsAre(1.0, 0.0));
}

TEST(ElementwiseCastTest, SameTypeCopies) {
  auto out = RunKernel1("Cast", 13, To(kOnnxFloat), {F32({2, 1}, {1.5f, -2.0f})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->shape, (kernels::Shape{2, 1}));
  EXPECT_THAT(out->Values<float>(), ElementsAre(1.5f, -2.0f));
}

TEST(ElementwiseCastTest, RejectsUnsupportedOrMissingTarget) {
  auto string = RunKernel1("Cast", 13, To(kOnnxString), {F32({1}, {1})});
  ASSERT_FALSE(string.ok());
  EXPECT_EQ(ErrorCodeOf(string.status()), ErrorCode::kInvalidModel);
  EXPECT_THAT(string.status().message(),
              HasSubstr("Cast attribute 'to' = 8 (string) is not a supported element type"));
  auto missing = RunKernel1("Cast", 13, {}, {F32({1}, {1})});
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("Cast needs attribute 'to'"));
}

TEST(ElementwiseQuantizeTest, RoundsHalfToEvenAndSaturates) {
  std::vector<float> x = {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 1000.0f, -1000.0f, 0.49f};
  auto out =
      RunKernel1("QuantizeLinear", 13, {},
                 {F32({8}, x), F32({}, {1.0f}), TestTensor::Of<int8_t>(DType::kI8, {}, {0})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->dtype, DType::kI8);
  EXPECT_THAT(out->Values<int8_t>(), ElementsAre(0, 2, 2, 0, -2, 127, -128, 0));
}

TEST(ElementwiseQuantizeTest, DefaultsToUint8WithZeroPointZero) {
  auto out = RunKernel1("QuantizeLinear", 10, {}, {F32({3}, {-1.0f, 3.0f, 600.0f}), F32({}, {2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->dtype, DType::kU8);
  EXPECT_THAT(out->Values<uint8_t>(), ElementsAre(0, 2, 255));
}

TEST(ElementwiseQuantizeTest, PerAxisOnAxisZeroWithRunTimeParameters) {
  // x (2,3), axis 0: row r uses scale[r] and zero_point[r].
  Attributes attributes;
  attributes.SetInt("axis", 0);
  auto out = RunKernel1("QuantizeLinear", 13, attributes,
                        {F32({2, 3}, {1, 2, 3, 1, 2, 3}), F32({2}, {1.0f, 0.5f}).RunTime(),
                         TestTensor::Of<uint8_t>(DType::kU8, {2}, {10, 20}).RunTime()});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(out->Values<uint8_t>(), ElementsAre(11, 12, 13, 22, 24, 26));
}

TEST(ElementwiseQuantizeTest, PerAxisNeedsOpset13) {
  auto out = RunKernel1("QuantizeLinear", 10, {}, {F32({1, 2}, {1, 2}), F32({2}, {1.0f, 0.5f})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("input 1 'y_scale' of QuantizeLinear has shape (2) but must be a scalar "
                        "before opset 13 (node has 10)"));
}

TEST(ElementwiseQuantizeTest, RejectsScaleOfWrongLength) {
  auto out = RunKernel1("QuantizeLinear", 13, {}, {F32({1, 2}, {1, 2}), F32({3}, {1, 1, 1})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("input 1 'y_scale' of QuantizeLinear has 3 entries but input dimension 1 "
                        "(axis) has size 2"));
}

TEST(ElementwiseQuantizeTest, RejectsBadAxis) {
  Attributes attributes;
  attributes.SetInt("axis", 2);
  auto out = RunKernel1("QuantizeLinear", 13, attributes, {F32({1, 2}, {1, 2}), F32({2}, {1, 1})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("attribute 'axis' 2 is outside [-2, 2)"));
}

TEST(ElementwiseDequantizeTest, PerAxisInt8) {
  Attributes attributes;
  attributes.SetInt("axis", -1);
  auto out = RunKernel1("DequantizeLinear", 13, attributes,
                        {TestTensor::Of<int8_t>(DType::kI8, {2, 2}, {-128, 127, 0, 1}),
                         F32({2}, {0.5f, 2.0f}), TestTensor::Of<int8_t>(DType::kI8, {2}, {0, 1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->dtype, DType::kF32);
  EXPECT_THAT(out->Values<float>(), ElementsAre(-64.0f, 252.0f, 0.0f, 0.0f));
}

TEST(ElementwiseDequantizeTest, Int32WithoutZeroPoint) {
  auto out = RunKernel1("DequantizeLinear", 10, {}, {I32({2}, {-1000, 7}), F32({}, {0.25f})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(out->Values<float>(), ElementsAre(-250.0f, 1.75f));
}

TEST(ElementwiseDequantizeTest, RejectsZeroPointOfOtherType) {
  auto out = RunKernel1("DequantizeLinear", 13, {},
                        {TestTensor::Of<int8_t>(DType::kI8, {1}, {1}), F32({}, {1.0f}),
                         TestTensor::Of<uint8_t>(DType::kU8, {}, {0})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("input 2 'x_zero_point' of DequantizeLinear has type uint8 but input 0 "
                        "'x' of DequantizeLinear has type int8"));
}

}  // namespace
}  // namespace hb_dnn::testing
