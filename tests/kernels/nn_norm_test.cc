// BatchNormalization, InstanceNormalization and LRN beyond the ONNX node tests: hand-computed
// values, BatchNormalization's version forms (spatial=0 at opset 7, mixed parameter types at 15),
// an even LRN size, and the rejected training mode.

#include <cmath>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/status.h"
#include "tests/kernels/nn_test_util.h"

namespace hb_dnn::kernels {
namespace {

using nn_test::HostTensor;
using nn_test::RunNode;
using nn_test::RunNode1;
using nn_test::Tensor;
using ::testing::ElementsAre;
using ::testing::FloatEq;
using ::testing::HasSubstr;
using ::testing::Pointwise;

TEST(NnBatchNormalization, HandComputed) {
  HostTensor x = Tensor<float>({2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  HostTensor scale = Tensor<float>({2}, {2, 0.5f});
  HostTensor bias = Tensor<float>({2}, {1, -1});
  HostTensor mean = Tensor<float>({2}, {2, 4});
  HostTensor var = Tensor<float>({2}, {4, 0.25f});
  Attributes a;
  a.SetFloat("epsilon", 0.0f);
  auto y = RunNode1("BatchNormalization", 15, a, {x, scale, bias, mean, var});
  ASSERT_TRUE(y.ok()) << y.status();
  // Channel 0: (x - 2) / 2 * 2 + 1 = x - 1; channel 1: (x - 4) / 0.5 * 0.5 - 1 = x - 5.
  EXPECT_THAT(y->values<float>(), ElementsAre(0, 1, -2, -1, 4, 5, 2, 3));
}

TEST(NnBatchNormalization, MixedParameterTypesAtOpset15) {
  HostTensor x = Tensor<float>({1, 1, 2}, {1, 3});
  HostTensor d1 = Tensor<double>({1}, {1});
  HostTensor mean = Tensor<double>({1}, {1});
  HostTensor var = Tensor<double>({1}, {4});
  Attributes a;
  a.SetFloat("epsilon", 0.0f);
  auto y = RunNode1("BatchNormalization", 15, a, {x, d1, d1, mean, var});
  ASSERT_TRUE(y.ok()) << y.status();
  EXPECT_EQ(y->dtype, DType::kF32);
  EXPECT_THAT(y->values<float>(), ElementsAre(1, 2));
}

TEST(NnBatchNormalization, NonSpatialAtOpset7) {
  // spatial=0: one parameter per (C, L) position.
  HostTensor x = Tensor<float>({2, 1, 2}, {1, 2, 3, 4});
  HostTensor ones = Tensor<float>({1, 2}, {1, 1});
  HostTensor zeros = Tensor<float>({1, 2}, {0, 0});
  HostTensor mean = Tensor<float>({1, 2}, {1, 2});
  Attributes a;
  a.SetInt("spatial", 0);
  a.SetFloat("epsilon", 0.0f);
  auto y = RunNode1("BatchNormalization", 7, a, {x, ones, zeros, mean, ones});
  ASSERT_TRUE(y.ok()) << y.status();
  EXPECT_THAT(y->values<float>(), ElementsAre(0, 0, 2, 2));
}

TEST(NnBatchNormalization, Errors) {
  HostTensor x = Tensor<float>({1, 2, 2}, {1, 2, 3, 4});
  HostTensor p = Tensor<float>({2}, {1, 1});
  Attributes training;
  training.SetInt("training_mode", 1);
  absl::Status s = RunNode1("BatchNormalization", 15, training, {x, p, p, p, p}).status();
  EXPECT_EQ(ErrorCodeOf(s), ErrorCode::kInvalidModel);
  EXPECT_THAT(s.message(), HasSubstr("'training_mode' = 1 is not supported"));
  EXPECT_THAT(RunNode("BatchNormalization", 9, Attributes(), {x, p, p, p, p}, 5).status().message(),
              HasSubstr("5 outputs request training-mode statistics"));
  EXPECT_THAT(
      RunNode1("BatchNormalization", 15, Attributes(), {x, p, p, p, Tensor<float>({3}, {1, 1, 1})})
          .status()
          .message(),
      HasSubstr("input 4 'input_var' has shape (3), expected (2)"));
}

TEST(NnInstanceNormalization, HandComputed) {
  // Channel 0: mean 2.5, variance 1.25; channel 1 constant: variance 0 -> only epsilon.
  HostTensor x = Tensor<float>({1, 2, 4}, {1, 2, 3, 4, 7, 7, 7, 7});
  Attributes a;
  a.SetFloat("epsilon", 0.25f);
  auto y = RunNode1("InstanceNormalization", 6, a,
                    {x, Tensor<float>({2}, {2, 3}), Tensor<float>({2}, {1, 5})});
  ASSERT_TRUE(y.ok()) << y.status();
  const float inv = 1.0f / std::sqrt(1.5f);
  EXPECT_THAT(y->values<float>(),
              Pointwise(FloatEq(), std::vector<float>{1 - 3 * inv, 1 - inv, 1 + inv, 1 + 3 * inv, 5,
                                                      5, 5, 5}));
  EXPECT_THAT(RunNode1("InstanceNormalization", 6, a,
                       {x, Tensor<float>({3}, {2, 3, 4}), Tensor<float>({2}, {1, 5})})
                  .status()
                  .message(),
              HasSubstr("input 1 'scale' has shape (3), expected (2)"));
}

TEST(NnLrn, EvenAndOddSizes) {
  HostTensor x = Tensor<float>({1, 3, 1}, {1, 2, 3});
  Attributes a;
  a.SetFloat("alpha", 1.0f);
  a.SetFloat("beta", 1.0f);
  a.SetFloat("bias", 1.0f);
  // size 2: channels c and c + 1; alpha / size = 0.5.
  a.SetInt("size", 2);
  auto even = RunNode1("LRN", 13, a, {x});
  ASSERT_TRUE(even.ok()) << even.status();
  EXPECT_THAT(even->values<float>(),
              Pointwise(FloatEq(), {1 / (1 + 0.5f * 5), 2 / (1 + 0.5f * 13), 3 / (1 + 0.5f * 9)}));
  // size 3: channels c - 1 .. c + 1; alpha / size = 1/3.
  a.SetInt("size", 3);
  auto odd = RunNode1("LRN", 13, a, {x});
  ASSERT_TRUE(odd.ok()) << odd.status();
  EXPECT_THAT(odd->values<float>(),
              Pointwise(FloatEq(), {1 / (1 + 5.0f / 3), 2 / (1 + 14.0f / 3), 3 / (1 + 13.0f / 3)}));
  Attributes no_size;
  EXPECT_THAT(RunNode1("LRN", 13, no_size, {x}).status().message(),
              HasSubstr("LRN: attribute 'size' is required"));
}

}  // namespace
}  // namespace hb_dnn::kernels
