// Hand-written tests of Softmax/LogSoftmax, the Reduce* ops and ArgMax/ArgMin: the opset-13
// semantic changes, multi-axis and empty reductions, integer types, NaN, and error paths.

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
using ::testing::FloatNear;
using ::testing::HasSubstr;
using ::testing::Pointwise;

constexpr float kNan = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

Attributes Axis(int64_t axis) {
  Attributes attributes;
  attributes.SetInt("axis", axis);
  return attributes;
}

TEST(ElementwiseSoftmaxTest, Opset11CoercesTo2DWhileOpset13UsesOneAxis) {
  // x (2,2,2) all zeros except one element; axis 1.
  TestTensor x = F32({2, 2, 2}, {0, 0, 0, std::log(5.0f), 0, 0, 0, 0});
  auto old = RunKernel1("Softmax", 11, Axis(1), {x});
  ASSERT_TRUE(old.ok()) << old.status();
  // Opset 11: each batch's 4 elements form one row: exp = {1,1,1,5}, sum 8.
  EXPECT_THAT(old->Values<float>(),
              Pointwise(FloatNear(1e-6), std::vector<float>{0.125f, 0.125f, 0.125f, 0.625f, 0.25f,
                                                            0.25f, 0.25f, 0.25f}));
  auto now = RunKernel1("Softmax", 13, Axis(1), {x});
  ASSERT_TRUE(now.ok()) << now.status();
  // Opset 13: pairs along axis 1: (x[0,0,k], x[0,1,k]); k=1 has exp {1,5}.
  EXPECT_THAT(now->Values<float>(),
              Pointwise(FloatNear(1e-6), std::vector<float>{0.5f, 1.0f / 6, 0.5f, 5.0f / 6, 0.5f,
                                                            0.5f, 0.5f, 0.5f}));
}

TEST(ElementwiseSoftmaxTest, DefaultAxisChangesAtOpset13) {
  // Zeros of shape (1,2,2): opset 12's default axis 1 normalizes the 4 trailing elements
  // together (log 1/4 each); opset 13's default -1 normalizes pairs (log 1/2 each).
  TestTensor x = F32({1, 2, 2}, {0, 0, 0, 0});
  auto v12 = RunKernel1("LogSoftmax", 12, {}, {x});
  auto v13 = RunKernel1("LogSoftmax", 13, {}, {x});
  ASSERT_TRUE(v12.ok()) << v12.status();
  ASSERT_TRUE(v13.ok()) << v13.status();
  EXPECT_THAT(v12->Values<float>(),
              Pointwise(FloatNear(1e-6), std::vector<float>(4, -std::log(4.0f))));
  EXPECT_THAT(v13->Values<float>(),
              Pointwise(FloatNear(1e-6), std::vector<float>(4, -std::log(2.0f))));
}

TEST(ElementwiseSoftmaxTest, LogSoftmaxOfHugeValuesIsFinite) {
  auto out = RunKernel1("LogSoftmax", 13, {}, {F32({3}, {1e30f, 1e30f, 0.0f})});
  ASSERT_TRUE(out.ok()) << out.status();
  std::vector<float> y = out->Values<float>();
  EXPECT_NEAR(y[0], -std::log(2.0f), 1e-6);
  EXPECT_NEAR(y[1], -std::log(2.0f), 1e-6);
  EXPECT_EQ(y[2], -1e30f);
}

TEST(ElementwiseSoftmaxTest, RejectsBadAxisAndType) {
  auto axis = RunKernel1("Softmax", 13, Axis(3), {F32({2, 2}, {0, 0, 0, 0})});
  ASSERT_FALSE(axis.ok());
  EXPECT_EQ(ErrorCodeOf(axis.status()), ErrorCode::kInvalidModel);
  EXPECT_THAT(axis.status().message(), HasSubstr("attribute 'axis' 3 is outside [-2, 2)"));
  auto type = RunKernel1("Softmax", 13, {}, {I32({2}, {0, 0})});
  ASSERT_FALSE(type.ok());
  EXPECT_THAT(type.status().message(), HasSubstr("input 0 'input' of Softmax has type int32"));
}

Attributes ReduceAttributes(std::vector<int64_t> axes, int64_t keepdims) {
  Attributes attributes;
  if (!axes.empty()) attributes.SetInts("axes", std::move(axes));
  attributes.SetInt("keepdims", keepdims);
  return attributes;
}

std::vector<float> Iota(int n) {
  std::vector<float> v(n);
  for (int i = 0; i < n; ++i) v[i] = static_cast<float>(i);
  return v;
}

TEST(ElementwiseReduceTest, NonAdjacentAxesWithoutKeepdims) {
  // (2,3,4) summed over axes 0 and 2 -> (3)
  auto out = RunKernel1("ReduceSum", 11, ReduceAttributes({0, -1}, 0), {F32({2, 3, 4}, Iota(24))});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->shape, (kernels::Shape{3}));
  // j: sum over i,k of (12i + 4j + k) = 8*4j + (0+12)*4 + 2*(0+1+2+3)
  EXPECT_THAT(out->Values<float>(), ElementsAre(60.0f, 92.0f, 124.0f));
}

TEST(ElementwiseReduceTest, MeanKeepsDims) {
  auto out = RunKernel1("ReduceMean", 13, ReduceAttributes({1}, 1), {F32({2, 3, 1}, Iota(6))});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->shape, (kernels::Shape{2, 1, 1}));
  EXPECT_THAT(out->Values<float>(), ElementsAre(1.0f, 4.0f));
}

TEST(ElementwiseReduceTest, AllAxesWithoutKeepdimsGivesScalar) {
  auto out = RunKernel1("ReduceProd", 13, ReduceAttributes({}, 0), {I64({2, 2}, {1, 2, 3, -4})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(out->shape.empty());
  EXPECT_THAT(out->Values<int64_t>(), ElementsAre(-24));
}

TEST(ElementwiseReduceTest, IntegerMeanTruncates) {
  auto out = RunKernel1("ReduceMean", 13, ReduceAttributes({1}, 0), {I32({2, 2}, {1, 2, -1, -2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(out->Values<int32_t>(), ElementsAre(1, -1));
}

TEST(ElementwiseReduceTest, MaxPropagatesNanAndMinWorksOnInt8) {
  auto max = RunKernel1("ReduceMax", 13, ReduceAttributes({1}, 0),
                        {F32({2, 3}, {1, kNan, 3, -1, -5, -2})});
  ASSERT_TRUE(max.ok()) << max.status();
  std::vector<float> y = max->Values<float>();
  EXPECT_TRUE(std::isnan(y[0]));
  EXPECT_EQ(y[1], -1.0f);
  auto min = RunKernel1("ReduceMin", 12, ReduceAttributes({0}, 1),
                        {TestTensor::Of<int8_t>(DType::kI8, {2, 2}, {5, -128, 127, 0})});
  ASSERT_TRUE(min.ok()) << min.status();
  EXPECT_EQ(min->shape, (kernels::Shape{1, 2}));
  EXPECT_THAT(min->Values<int8_t>(), ElementsAre(5, -128));
}

TEST(ElementwiseReduceTest, EmptyReductions) {
  TestTensor x = F32({2, 0}, {});
  auto sum = RunKernel1("ReduceSum", 11, ReduceAttributes({1}, 0), {x});
  ASSERT_TRUE(sum.ok()) << sum.status();
  EXPECT_THAT(sum->Values<float>(), ElementsAre(0.0f, 0.0f));
  auto prod = RunKernel1("ReduceProd", 11, ReduceAttributes({1}, 0), {x});
  ASSERT_TRUE(prod.ok()) << prod.status();
  EXPECT_THAT(prod->Values<float>(), ElementsAre(1.0f, 1.0f));
  auto max = RunKernel1("ReduceMax", 11, ReduceAttributes({1}, 0), {x});
  ASSERT_TRUE(max.ok()) << max.status();
  EXPECT_THAT(max->Values<float>(), ElementsAre(-kInf, -kInf));
}

TEST(ElementwiseReduceTest, ReduceSum13TakesAxesInput) {
  Attributes attributes;
  attributes.SetInt("keepdims", 0);
  auto out = RunKernel1("ReduceSum", 13, attributes, {F32({2, 3}, Iota(6)), I64({1}, {-2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->shape, (kernels::Shape{3}));
  EXPECT_THAT(out->Values<float>(), ElementsAre(3.0f, 5.0f, 7.0f));
}

TEST(ElementwiseReduceTest, ReduceSum13WithoutAxesReducesAllOrIsANoop) {
  auto all = RunKernel1("ReduceSum", 13, {}, {F32({2, 3}, Iota(6))});
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->shape, (kernels::Shape{1, 1}));
  EXPECT_THAT(all->Values<float>(), ElementsAre(15.0f));

  Attributes noop;
  noop.SetInt("noop_with_empty_axes", 1);
  auto same = RunKernel1("ReduceSum", 13, noop, {F32({2, 3}, Iota(6)), I64({0}, {})});
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ(same->shape, (kernels::Shape{2, 3}));
  EXPECT_EQ(same->Values<float>(), Iota(6));
}

TEST(ElementwiseReduceTest, ReduceSum13NeedsConstantAxes) {
  auto out = RunKernel1("ReduceSum", 13, {}, {F32({2, 3}, Iota(6)), I64({1}, {0}).RunTime()});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(ErrorCodeOf(out.status()), ErrorCode::kInvalidModel);
  EXPECT_THAT(out.status().message(),
              HasSubstr("input 1 'axes' of ReduceSum must be a constant (dynamic shapes are not "
                        "supported)"));
}

TEST(ElementwiseReduceTest, ReduceSum11RejectsAxesInput) {
  auto out = RunKernel1("ReduceSum", 11, {}, {F32({2, 3}, Iota(6)), I64({1}, {0})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("ReduceSum takes 1 inputs, got 2"));
}

TEST(ElementwiseReduceTest, RejectsRepeatedAndOutOfRangeAxes) {
  auto repeated =
      RunKernel1("ReduceMean", 13, ReduceAttributes({1, -1}, 1), {F32({2, 3}, Iota(6))});
  ASSERT_FALSE(repeated.ok());
  EXPECT_THAT(repeated.status().message(),
              HasSubstr("ReduceMean attribute 'axes' names axis -1 twice"));
  auto range = RunKernel1("ReduceMax", 13, ReduceAttributes({2}, 1), {F32({2, 3}, Iota(6))});
  ASSERT_FALSE(range.ok());
  EXPECT_THAT(range.status().message(), HasSubstr("attribute 'axes' 2 is outside [-2, 2)"));
}

TEST(ElementwiseArgReduceTest, TiesPickFirstOrLastIndex) {
  TestTensor x = F32({2, 3}, {1, 5, 5, 2, 2, 0});
  Attributes first = Axis(1);
  auto a = RunKernel1("ArgMax", 13, first, {x});
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->dtype, DType::kI64);
  EXPECT_EQ(a->shape, (kernels::Shape{2, 1}));
  EXPECT_THAT(a->Values<int64_t>(), ElementsAre(1, 0));
  Attributes last = Axis(1);
  last.SetInt("select_last_index", 1);
  last.SetInt("keepdims", 0);
  auto b = RunKernel1("ArgMax", 12, last, {x});
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->shape, (kernels::Shape{2}));
  EXPECT_THAT(b->Values<int64_t>(), ElementsAre(2, 1));
}

TEST(ElementwiseArgReduceTest, ArgMinOnAxisZeroOfIntegers) {
  auto out = RunKernel1("ArgMin", 11, Axis(-2), {I32({3, 2}, {4, -1, 2, -1, 3, -7})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->shape, (kernels::Shape{1, 2}));
  EXPECT_THAT(out->Values<int64_t>(), ElementsAre(1, 2));
}

TEST(ElementwiseArgReduceTest, NanWins) {
  auto out = RunKernel1("ArgMin", 13, {}, {F32({3}, {1, kNan, -3})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(out->Values<int64_t>(), ElementsAre(1));
}

TEST(ElementwiseArgReduceTest, RejectsBadAxisAndEmptyAxis) {
  auto axis = RunKernel1("ArgMax", 13, Axis(-3), {F32({2, 2}, {0, 0, 0, 0})});
  ASSERT_FALSE(axis.ok());
  EXPECT_THAT(axis.status().message(), HasSubstr("attribute 'axis' -3 is outside [-2, 2)"));
  auto empty = RunKernel1("ArgMax", 13, Axis(1), {F32({2, 0}, {})});
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.status().message(), HasSubstr("the axis is empty"));
}

}  // namespace
}  // namespace hb_dnn::testing
