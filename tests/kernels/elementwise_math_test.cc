// Hand-written tests of the elementwise group's unary and broadcasting kernels: cases the ONNX
// node tests miss (odd broadcast shapes, integer edge cases, NaN, old opsets) and error paths.

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

constexpr float kNan = std::numeric_limits<float>::quiet_NaN();

TEST(ElementwiseUnaryTest, ReluOnIntegersAndNanPropagation) {
  auto ints =
      RunKernel1("Relu", 14, {}, {TestTensor::Of<int8_t>(DType::kI8, {4}, {-128, -1, 0, 127})});
  ASSERT_TRUE(ints.ok()) << ints.status();
  EXPECT_THAT(ints->Values<int8_t>(), ElementsAre(0, 0, 0, 127));

  auto floats = RunKernel1("Relu", 14, {}, {F32({3}, {kNan, -2.0f, 3.0f})});
  ASSERT_TRUE(floats.ok()) << floats.status();
  std::vector<float> y = floats->Values<float>();
  EXPECT_TRUE(std::isnan(y[0]));
  EXPECT_EQ(y[1], 0.0f);
  EXPECT_EQ(y[2], 3.0f);
}

TEST(ElementwiseUnaryTest, SigmoidStaysFiniteForLargeMagnitudes) {
  auto out = RunKernel1("Sigmoid", 13, {}, {F32({4}, {-1000.0f, -20.0f, 0.0f, 1000.0f})});
  ASSERT_TRUE(out.ok()) << out.status();
  std::vector<float> y = out->Values<float>();
  EXPECT_EQ(y[0], 0.0f);
  EXPECT_NEAR(y[1], 2.0611537e-9f, 1e-15);
  EXPECT_EQ(y[2], 0.5f);
  EXPECT_EQ(y[3], 1.0f);
}

TEST(ElementwiseUnaryTest, AbsAndNegOfMostNegativeIntegerWrap) {
  auto abs = RunKernel1("Abs", 13, {}, {I32({3}, {std::numeric_limits<int32_t>::min(), -5, 7})});
  ASSERT_TRUE(abs.ok()) << abs.status();
  EXPECT_THAT(abs->Values<int32_t>(), ElementsAre(std::numeric_limits<int32_t>::min(), 5, 7));
  auto neg = RunKernel1("Neg", 13, {}, {I64({2}, {std::numeric_limits<int64_t>::min(), 3})});
  ASSERT_TRUE(neg.ok()) << neg.status();
  EXPECT_THAT(neg->Values<int64_t>(), ElementsAre(std::numeric_limits<int64_t>::min(), -3));
}

TEST(ElementwiseUnaryTest, ScalarInputKeepsRankZero) {
  auto out = RunKernel1("Exp", 13, {}, {F32({}, {0.0f})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(out->shape.empty());
  EXPECT_THAT(out->Values<float>(), ElementsAre(1.0f));
}

TEST(ElementwiseUnaryTest, HardSwishMatchesDefinition) {
  auto out = RunKernel1("HardSwish", 14, {}, {F32({5}, {-4.0f, -3.0f, 0.0f, 1.5f, 3.0f})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(out->Values<float>(), ElementsAre(-0.0f, -0.0f, 0.0f, 1.5f * 0.75f, 3.0f));
}

TEST(ElementwiseUnaryTest, NotInvertsBools) {
  auto out = RunKernel1("Not", 1, {}, {Bool({3}, {0, 1, 0})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->dtype, DType::kBool);
  EXPECT_THAT(out->Values<uint8_t>(), ElementsAre(1, 0, 1));
}

TEST(ElementwiseUnaryTest, RejectsWrongInputType) {
  auto out = RunKernel1("Sqrt", 13, {}, {I32({2}, {1, 4})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(ErrorCodeOf(out.status()), ErrorCode::kInvalidModel);
  EXPECT_THAT(out.status().message(),
              HasSubstr("input 0 'X' of Sqrt has type int32, expected one of: float32, float64"));
}

TEST(ElementwiseUnaryTest, RejectsWrongAttributeKind) {
  Attributes attributes;
  attributes.SetInt("alpha", 2);
  auto out = RunKernel1("LeakyRelu", 16, attributes, {F32({1}, {1.0f})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("attribute 'alpha' is int, expected float"));
}

TEST(ElementwiseClipTest, Opset6TakesAttributes) {
  Attributes attributes;
  attributes.SetFloat("min", -1.0f);
  attributes.SetFloat("max", 2.0f);
  auto out = RunKernel1("Clip", 6, attributes, {F32({4}, {-3.0f, 0.5f, 5.0f, kNan})});
  ASSERT_TRUE(out.ok()) << out.status();
  std::vector<float> y = out->Values<float>();
  EXPECT_EQ(y[0], -1.0f);
  EXPECT_EQ(y[1], 0.5f);
  EXPECT_EQ(y[2], 2.0f);
  EXPECT_TRUE(std::isnan(y[3]));
}

TEST(ElementwiseClipTest, Opset6RejectsBoundInputs) {
  auto out = RunKernel1("Clip", 6, {}, {F32({1}, {1.0f}), F32({}, {0.0f})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("Clip takes 1 inputs, got 2"));
}

TEST(ElementwiseClipTest, MinAboveMaxGivesMax) {
  auto out =
      RunKernel1("Clip", 13, {}, {F32({3}, {-5.0f, 0.0f, 5.0f}), F32({}, {2.0f}), F32({}, {1.0f})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(out->Values<float>(), ElementsAre(1.0f, 1.0f, 1.0f));
}

TEST(ElementwiseClipTest, BoundsMayBeRunTimeValuesAndOmitted) {
  auto out = RunKernel1("Clip", 12, {},
                        {I64({3}, {-5, 0, 5}), TestTensor::Absent(), I64({1}, {3}).RunTime()});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(out->Values<int64_t>(), ElementsAre(-5, 0, 3));
}

TEST(ElementwiseClipTest, RejectsNonScalarBoundAndTypeMismatch) {
  auto shape = RunKernel1("Clip", 13, {}, {F32({2}, {1, 2}), F32({2}, {0, 0})});
  ASSERT_FALSE(shape.ok());
  EXPECT_THAT(shape.status().message(),
              HasSubstr("input 1 'min' of Clip has shape (2) but must be a scalar"));
  auto type = RunKernel1("Clip", 13, {}, {F32({2}, {1, 2}), I64({}, {0})});
  ASSERT_FALSE(type.ok());
  EXPECT_THAT(type.status().message(), HasSubstr("input 1 'min' of Clip has type int64"));
}

TEST(ElementwiseBinaryTest, BroadcastsBothWaysOnOddShapes) {
  // (2,1,3) + (4,1) -> (2,4,3)
  std::vector<float> a = {0, 1, 2, 10, 11, 12};
  std::vector<float> b = {100, 200, 300, 400};
  auto out = RunKernel1("Add", 14, {}, {F32({2, 1, 3}, a), F32({4, 1}, b)});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->shape, (kernels::Shape{2, 4, 3}));
  std::vector<float> y = out->Values<float>();
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 4; ++j) {
      for (int k = 0; k < 3; ++k) {
        EXPECT_EQ(y[(i * 4 + j) * 3 + k], a[i * 3 + k] + b[j]) << i << j << k;
      }
    }
  }
}

TEST(ElementwiseBinaryTest, ScalarWithEmptyTensor) {
  auto out = RunKernel1("Mul", 14, {}, {F32({0, 3}, {}), F32({}, {2.0f})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->shape, (kernels::Shape{0, 3}));
}

TEST(ElementwiseBinaryTest, IntegerArithmeticWrapsAndDivisionIsDefined) {
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
  constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
  auto add = RunKernel1("Add", 14, {}, {I32({2}, {kMax, kMin}), I32({2}, {1, -1})});
  ASSERT_TRUE(add.ok()) << add.status();
  EXPECT_THAT(add->Values<int32_t>(), ElementsAre(kMin, kMax));
  auto div = RunKernel1("Div", 14, {}, {I32({4}, {-7, 7, kMin, 5}), I32({4}, {2, 0, -1, -2})});
  ASSERT_TRUE(div.ok()) << div.status();
  EXPECT_THAT(div->Values<int32_t>(), ElementsAre(-3, 0, kMin, -2));
  auto mul = RunKernel1("Mul", 14, {},
                        {TestTensor::Of<uint16_t>(DType::kU16, {1}, {65535}),
                         TestTensor::Of<uint16_t>(DType::kU16, {1}, {65535})});
  ASSERT_TRUE(mul.ok()) << mul.status();
  EXPECT_THAT(mul->Values<uint16_t>(), ElementsAre(1));
}

TEST(ElementwiseBinaryTest, IntegerPowIsExact) {
  auto out =
      RunKernel1("Pow", 15, {}, {I64({5}, {3, 2, -1, -1, 5}), I64({5}, {39, 62, 3, -4, -1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(out->Values<int64_t>(),
              ElementsAre(4052555153018976267LL, int64_t{1} << 62, -1, 1, 0));
}

TEST(ElementwiseBinaryTest, PowKeepsBaseType) {
  auto out = RunKernel1("Pow", 12, {}, {I32({2}, {2, 9}), F32({2}, {0.5f, 0.5f})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->dtype, DType::kI32);
  EXPECT_THAT(out->Values<int32_t>(), ElementsAre(1, 3));
}

TEST(ElementwiseBinaryTest, ComparisonsWithNan) {
  auto out = RunKernel1("GreaterOrEqual", 16, {}, {F32({3}, {kNan, 1.0f, 2.0f}), F32({}, {1.0f})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->dtype, DType::kBool);
  EXPECT_THAT(out->Values<uint8_t>(), ElementsAre(0, 1, 1));
}

TEST(ElementwiseBinaryTest, EqualOnBools) {
  auto out = RunKernel1("Equal", 11, {}, {Bool({2, 2}, {0, 1, 1, 0}), Bool({2}, {1, 1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(out->Values<uint8_t>(), ElementsAre(0, 1, 1, 0));
}

TEST(ElementwiseBinaryTest, RejectsIncompatibleShapes) {
  auto out = RunKernel1("Sub", 14, {}, {F32({2, 3}, {1, 2, 3, 4, 5, 6}), F32({2}, {1, 2})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(ErrorCodeOf(out.status()), ErrorCode::kInvalidModel);
  EXPECT_THAT(out.status().message(),
              HasSubstr("Sub: shapes (2,3) and (2) cannot be broadcast together"));
}

TEST(ElementwiseBinaryTest, RejectsMixedTypes) {
  auto out = RunKernel1("Add", 14, {}, {F32({1}, {1}), I32({1}, {1})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("input 1 'B' of Add has type int32 but input 0 'A' of Add has type "
                        "float32"));
}

TEST(ElementwiseBinaryTest, RejectsWrongInputCount) {
  auto out = RunKernel1("And", 7, {}, {Bool({1}, {1})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("And takes 2 inputs, got 1"));
}

TEST(ElementwisePReluTest, SlopePerChannel) {
  // Slope (2,1,1) over X (1,2,2,2): channel c uses slope[c].
  auto out =
      RunKernel1("PRelu", 9, {},
                 {F32({1, 2, 2, 2}, {-1, 1, -2, 2, -1, 1, -2, 2}), F32({2, 1, 1}, {0.5f, 3.0f})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->shape, (kernels::Shape{1, 2, 2, 2}));
  EXPECT_THAT(out->Values<float>(), ElementsAre(-0.5f, 1, -1, 2, -3, 1, -6, 2));
}

TEST(ElementwisePReluTest, RejectsSlopeThatWouldGrowTheOutput) {
  auto out = RunKernel1("PRelu", 16, {}, {F32({3}, {1, 2, 3}), F32({2, 3}, {1, 2, 3, 4, 5, 6})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("input 1 'slope' of PRelu has shape (2,3), which does not broadcast to "
                        "X's shape (3)"));
}

TEST(ElementwiseWhereTest, ThreeWayBroadcast) {
  // condition (2,1), X (3), Y scalar -> (2,3)
  auto out =
      RunKernel1("Where", 16, {}, {Bool({2, 1}, {1, 0}), I64({3}, {1, 2, 3}), I64({}, {-9})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->shape, (kernels::Shape{2, 3}));
  EXPECT_THAT(out->Values<int64_t>(), ElementsAre(1, 2, 3, -9, -9, -9));
}

TEST(ElementwiseWhereTest, CopiesFloat16Bits) {
  auto out =
      RunKernel1("Where", 9, {},
                 {Bool({2}, {0, 1}), TestTensor::Of<uint16_t>(DType::kF16, {2}, {0x3c00, 0x4000}),
                  TestTensor::Of<uint16_t>(DType::kF16, {2}, {0xbc00, 0xc000})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->dtype, DType::kF16);
  EXPECT_THAT(out->Values<uint16_t>(), ElementsAre(0xbc00, 0x4000));
}

TEST(ElementwiseWhereTest, RejectsNonBoolCondition) {
  auto out = RunKernel1("Where", 16, {}, {F32({1}, {1}), F32({1}, {1}), F32({1}, {2})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("input 0 'condition' of Where has type float32"));
}

TEST(ElementwiseRegistryTest, VersionsOutsideTheRangesAreRejected) {
  auto out = RunKernel1("HardSwish", 13, {}, {F32({1}, {1})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(ErrorCodeOf(out.status()), ErrorCode::kInvalidModel);
}

}  // namespace
}  // namespace hb_dnn::testing
