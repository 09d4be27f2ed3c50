// Pooling beyond the ONNX node tests: ceil_mode (including the dropped window that would start in
// the end padding), dilation with stride and asymmetric pads, Indices in both storage orders with
// several planes, count_include_pad, global pools, integer MaxPool and the error paths.

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/status.h"
#include "tests/kernels/nn_test_util.h"

namespace hb_dnn::kernels {
namespace {

using nn_test::HostTensor;
using nn_test::RandomFloats;
using nn_test::RunNode;
using nn_test::RunNode1;
using nn_test::Tensor;
using ::testing::ElementsAre;
using ::testing::FloatEq;
using ::testing::HasSubstr;
using ::testing::Pointwise;

Attributes PoolAttributes(std::vector<int64_t> kernel, std::vector<int64_t> strides = {},
                          std::vector<int64_t> pads = {}, int64_t ceil_mode = 0) {
  Attributes a;
  a.SetInts("kernel_shape", std::move(kernel));
  if (!strides.empty()) a.SetInts("strides", std::move(strides));
  if (!pads.empty()) a.SetInts("pads", std::move(pads));
  if (ceil_mode != 0) a.SetInt("ceil_mode", ceil_mode);
  return a;
}

const std::vector<float> kSignal = {3, 1, 4, 1, 5, 9, 2, 6};

TEST(NnMaxPool, CeilModeAddsAPartialWindow) {
  HostTensor x = Tensor<float>({1, 1, 8}, kSignal);
  auto floor = RunNode("MaxPool", 12, PoolAttributes({3}, {2}), {x}, 2);
  ASSERT_TRUE(floor.ok()) << floor.status();
  EXPECT_THAT((*floor)[0].values<float>(), ElementsAre(4, 5, 9));
  auto ceil = RunNode("MaxPool", 12, PoolAttributes({3}, {2}, {}, 1), {x}, 2);
  ASSERT_TRUE(ceil.ok()) << ceil.status();
  EXPECT_THAT((*ceil)[0].values<float>(), ElementsAre(4, 5, 9, 6));
  EXPECT_THAT((*ceil)[1].values<int64_t>(), ElementsAre(2, 4, 5, 7));
}

TEST(NnMaxPool, CeilModeDropsAWindowStartingInTheEndPadding) {
  // span 8 + 1 - 2 = 7: ceil gives 5 windows, but the fifth would start at 8 (end padding).
  HostTensor x = Tensor<float>({1, 1, 8}, kSignal);
  auto y = RunNode1("MaxPool", 12, PoolAttributes({2}, {2}, {0, 1}, 1), {x});
  ASSERT_TRUE(y.ok()) << y.status();
  EXPECT_THAT(y->values<float>(), ElementsAre(3, 4, 9, 6));
}

TEST(NnMaxPool, DilationStrideAsymmetricPads) {
  // extent 3, windows start at -1, 2, 5 and read start and start + 2.
  HostTensor x = Tensor<float>({1, 1, 8}, kSignal);
  Attributes a = PoolAttributes({2}, {3}, {1, 2});
  a.SetInts("dilations", {2});
  auto y = RunNode("MaxPool", 12, a, {x}, 2);
  ASSERT_TRUE(y.ok()) << y.status();
  EXPECT_THAT((*y)[0].values<float>(), ElementsAre(1, 5, 9));
  EXPECT_THAT((*y)[1].values<int64_t>(), ElementsAre(1, 4, 5));
}

TEST(NnMaxPool, IndicesInBothStorageOrders) {
  const std::vector<float> plane = {1, 8, 3, 2, 5, 4, 7, 6, 9, 0, 11, 10};
  std::vector<float> values = plane;
  for (float v : plane) values.push_back(-v);
  HostTensor x = Tensor<float>({1, 2, 3, 4}, values);
  Attributes a = PoolAttributes({2, 2}, {2, 2}, {}, 1);
  auto row_major = RunNode("MaxPool", 12, a, {x}, 2);
  ASSERT_TRUE(row_major.ok()) << row_major.status();
  EXPECT_EQ((*row_major)[0].shape, (Shape{1, 2, 2, 2}));
  EXPECT_THAT((*row_major)[0].values<float>(), ElementsAre(8, 7, 9, 11, -1, -2, 0, -10));
  EXPECT_THAT((*row_major)[1].values<int64_t>(), ElementsAre(1, 6, 8, 10, 12, 15, 21, 23));
  a.SetInt("storage_order", 1);
  auto column_major = RunNode("MaxPool", 12, a, {x}, 2);
  ASSERT_TRUE(column_major.ok()) << column_major.status();
  EXPECT_THAT((*column_major)[1].values<int64_t>(), ElementsAre(3, 7, 2, 8, 12, 21, 17, 23));
}

TEST(NnMaxPool, NaNPropagates) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  auto y =
      RunNode("MaxPool", 12, PoolAttributes({2}), {Tensor<float>({1, 1, 4}, {1, nan, 3, 2})}, 2);
  ASSERT_TRUE(y.ok()) << y.status();
  std::vector<float> values = (*y)[0].values<float>();
  EXPECT_TRUE(std::isnan(values[0]));
  EXPECT_TRUE(std::isnan(values[1]));
  EXPECT_EQ(values[2], 3);
  EXPECT_THAT((*y)[1].values<int64_t>(), ElementsAre(1, 1, 2));
}

TEST(NnMaxPool, IntegerTypes) {
  auto u8 =
      RunNode1("MaxPool", 12, PoolAttributes({2}), {Tensor<uint8_t>({1, 1, 4}, {200, 7, 255, 0})});
  ASSERT_TRUE(u8.ok()) << u8.status();
  EXPECT_THAT(u8->values<uint8_t>(), ElementsAre(200, 255, 255));
  auto i8 = RunNode1("MaxPool", 12, PoolAttributes({2}),
                     {Tensor<int8_t>({1, 1, 4}, {-128, -100, -3, -4})});
  ASSERT_TRUE(i8.ok()) << i8.status();
  EXPECT_THAT(i8->values<int8_t>(), ElementsAre(-100, -3, -3));
}

TEST(NnAveragePool, CountIncludePadWithCeilMode) {
  // Windows start at -2, 0, 2, 4; the last one covers 4, 5 (end padding) and 6 (beyond it).
  HostTensor x = Tensor<float>({1, 1, 5}, {1, 2, 3, 4, 5});
  Attributes a = PoolAttributes({3}, {2}, {2, 1}, 1);
  auto excluded = RunNode1("AveragePool", 11, a, {x});
  ASSERT_TRUE(excluded.ok()) << excluded.status();
  EXPECT_THAT(excluded->values<float>(), ElementsAre(1, 2, 4, 5));
  a.SetInt("count_include_pad", 1);
  auto included = RunNode1("AveragePool", 11, a, {x});
  ASSERT_TRUE(included.ok()) << included.status();
  EXPECT_THAT(included->values<float>(), Pointwise(FloatEq(), {1.0f / 3, 2.0f, 4.0f, 2.5f}));
}

TEST(NnAveragePool, CountIncludePadEqualsDepthwiseBoxFilter) {
  const int64_t c = 3;
  HostTensor x = Tensor<float>({2, c, 7, 6}, RandomFloats(2 * c * 42, 1));
  Attributes a = PoolAttributes({3, 2}, {2, 3}, {1, 0, 2, 1});
  a.SetInt("count_include_pad", 1);
  auto pooled = RunNode1("AveragePool", 11, a, {x});
  ASSERT_TRUE(pooled.ok()) << pooled.status();
  Attributes conv;
  conv.SetInts("strides", {2, 3});
  conv.SetInts("pads", {1, 0, 2, 1});
  conv.SetInt("group", c);
  auto filtered = RunNode1("Conv", 11, conv,
                           {x, Tensor<float>({c, 1, 3, 2}, std::vector<float>(c * 6, 1.0f / 6))});
  ASSERT_TRUE(filtered.ok()) << filtered.status();
  ASSERT_EQ(pooled->shape, filtered->shape);
  std::vector<float> p = pooled->values<float>(), f = filtered->values<float>();
  for (size_t i = 0; i < p.size(); ++i) EXPECT_NEAR(p[i], f[i], 1e-6) << i;
}

TEST(NnGlobalPool, AverageAndMax) {
  HostTensor x = Tensor<float>({1, 2, 3}, {1, 5, 3, -4, -2, -9});
  auto avg = RunNode1("GlobalAveragePool", 1, Attributes(), {x});
  ASSERT_TRUE(avg.ok()) << avg.status();
  EXPECT_EQ(avg->shape, (Shape{1, 2, 1}));
  EXPECT_THAT(avg->values<float>(), ElementsAre(3, -5));
  auto max = RunNode1("GlobalMaxPool", 1, Attributes(), {x});
  ASSERT_TRUE(max.ok()) << max.status();
  EXPECT_THAT(max->values<float>(), ElementsAre(5, -2));
}

TEST(NnPool, Errors) {
  HostTensor x = Tensor<float>({1, 1, 4, 4}, std::vector<float>(16, 0.0f));
  absl::Status s = RunNode1("MaxPool", 12, Attributes(), {x}).status();
  EXPECT_EQ(ErrorCodeOf(s), ErrorCode::kInvalidModel);
  EXPECT_THAT(s.message(), HasSubstr("MaxPool: attribute 'kernel_shape' is required"));
  EXPECT_THAT(RunNode1("AveragePool", 11, PoolAttributes({2}), {x}).status().message(),
              HasSubstr("input 0 'X' has shape (1,1,4,4) but a 1-D kernel_shape needs rank 3"));
  EXPECT_THAT(RunNode1("MaxPool", 12, PoolAttributes({2, 2}, {1}), {x}).status().message(),
              HasSubstr("attribute 'strides' [1] has 1 values for 2 spatial dimensions"));
  EXPECT_THAT(RunNode1("MaxPool", 12, PoolAttributes({5, 2}), {x}).status().message(),
              HasSubstr("smaller than the dilated kernel extent 5"));
  Attributes order = PoolAttributes({2, 2});
  order.SetInt("storage_order", 2);
  EXPECT_THAT(RunNode1("MaxPool", 12, order, {x}).status().message(),
              HasSubstr("attribute 'storage_order' is 2"));
  EXPECT_THAT(RunNode1("AveragePool", 11, PoolAttributes({2, 2}),
                       {Tensor<uint8_t>({1, 1, 2, 2}, {1, 2, 3, 4})})
                  .status()
                  .message(),
              HasSubstr("input 0 'X' has type uint8, expected float32 or float64"));
}

}  // namespace
}  // namespace hb_dnn::kernels
