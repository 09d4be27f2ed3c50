// Pad beyond the ONNX node tests: reflection past the opposite edge, negative pads (cropping)
// combined with edge/reflect, the run-time constant_value input, the opset-2 attribute form,
// integer types and the error paths.

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/status.h"
#include "tests/kernels/nn_test_util.h"

namespace hb_dnn::kernels {
namespace {

using nn_test::HostTensor;
using nn_test::RunNode1;
using nn_test::Tensor;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Attributes Mode(const std::string& mode) {
  Attributes a;
  a.SetString("mode", mode);
  return a;
}

HostTensor Pads(std::vector<int64_t> pads) {
  const int64_t n = static_cast<int64_t>(pads.size());
  return Tensor<int64_t>({n}, pads);
}

TEST(NnPad, ReflectBeyondTheOppositeEdge) {
  auto y = RunNode1("Pad", 13, Mode("reflect"), {Tensor<float>({3}, {1, 2, 3}), Pads({5, 4})});
  ASSERT_TRUE(y.ok()) << y.status();
  EXPECT_THAT(y->values<float>(), ElementsAre(2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3));
}

TEST(NnPad, ReflectOfASingleElementRepeatsIt) {
  auto y = RunNode1("Pad", 13, Mode("reflect"), {Tensor<float>({1}, {5}), Pads({2, 1})});
  ASSERT_TRUE(y.ok()) << y.status();
  EXPECT_THAT(y->values<float>(), ElementsAre(5, 5, 5, 5));
}

TEST(NnPad, NegativePadsCropBeforeEdgeAndReflect) {
  // Crop row 0 and column 2, then pad one column in front and one row at the end.
  HostTensor x = Tensor<float>({3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  auto edge = RunNode1("Pad", 13, Mode("edge"), {x, Pads({-1, 1, 1, -1})});
  ASSERT_TRUE(edge.ok()) << edge.status();
  EXPECT_EQ(edge->shape, (Shape{3, 3}));
  EXPECT_THAT(edge->values<float>(), ElementsAre(4, 4, 5, 7, 7, 8, 7, 7, 8));
  auto reflect =
      RunNode1("Pad", 13, Mode("reflect"), {Tensor<float>({4}, {1, 2, 3, 4}), Pads({-1, 2})});
  ASSERT_TRUE(reflect.ok()) << reflect.status();
  EXPECT_THAT(reflect->values<float>(), ElementsAre(2, 3, 4, 3, 2));
  auto constant = RunNode1("Pad", 13, Mode("constant"), {x, Pads({1, -2, -2, 0})});
  ASSERT_TRUE(constant.ok()) << constant.status();
  EXPECT_EQ(constant->shape, (Shape{2, 1}));
  EXPECT_THAT(constant->values<float>(), ElementsAre(0, 3));
}

TEST(NnPad, RunTimeConstantValue) {
  HostTensor value = Tensor<int32_t>({}, {7}, /*constant=*/false);
  auto y =
      RunNode1("Pad", 11, Mode("constant"), {Tensor<int32_t>({2}, {1, 2}), Pads({1, 1}), value});
  ASSERT_TRUE(y.ok()) << y.status();
  EXPECT_EQ(y->dtype, DType::kI32);
  EXPECT_THAT(y->values<int32_t>(), ElementsAre(7, 1, 2, 7));
}

TEST(NnPad, Opset2AttributeForm) {
  Attributes a;
  a.SetInts("pads", {0, 1, 0, 0});
  a.SetFloat("value", 1.5f);
  auto y = RunNode1("Pad", 2, a, {Tensor<float>({2, 1}, {3, 4})});
  ASSERT_TRUE(y.ok()) << y.status();
  EXPECT_EQ(y->shape, (Shape{2, 2}));
  EXPECT_THAT(y->values<float>(), ElementsAre(1.5f, 3, 1.5f, 4));
  Attributes edge;
  edge.SetString("mode", "edge");
  edge.SetInts("pads", {2, 0});
  auto u8 = RunNode1("Pad", 2, edge, {Tensor<uint8_t>({2}, {9, 8})});
  ASSERT_TRUE(u8.ok()) << u8.status();
  EXPECT_THAT(u8->values<uint8_t>(), ElementsAre(9, 9, 9, 8));
}

TEST(NnPad, Errors) {
  HostTensor x = Tensor<float>({2, 2}, {1, 2, 3, 4});
  HostTensor runtime_pads = Tensor<int64_t>({4}, {1, 1, 1, 1}, /*constant=*/false);
  absl::Status s = RunNode1("Pad", 13, Mode("constant"), {x, runtime_pads}).status();
  EXPECT_EQ(ErrorCodeOf(s), ErrorCode::kInvalidModel);
  EXPECT_THAT(s.message(), HasSubstr("Pad: input 1 'pads' must be a constant"));
  EXPECT_THAT(RunNode1("Pad", 13, Mode("constant"), {x, Pads({1, 1})}).status().message(),
              HasSubstr("pads [1,1] has 2 values, expected 4 for data of shape (2,2)"));
  EXPECT_THAT(RunNode1("Pad", 13, Mode("wrap"), {x, Pads({1, 1, 1, 1})}).status().message(),
              HasSubstr("attribute 'mode' is 'wrap'"));
  EXPECT_THAT(RunNode1("Pad", 13, Mode("constant"), {x, Pads({-2, 0, -1, 0})}).status().message(),
              HasSubstr("crop dimension 0 of size 2 below zero"));
  EXPECT_THAT(RunNode1("Pad", 13, Mode("edge"), {x, Pads({-2, 0, 1, 0})}).status().message(),
              HasSubstr("mode 'edge' cannot pad dimension 0 which is empty"));
  EXPECT_THAT(
      RunNode1("Pad", 13, Mode("constant"), {x, Pads({1, 1, 1, 1}), Tensor<double>({}, {1.0})})
          .status()
          .message(),
      HasSubstr("input 2 'constant_value' has type float64, expected float32"));
  EXPECT_THAT(RunNode1("Pad", 2, Attributes(), {x}).status().message(),
              HasSubstr("Pad: attribute 'pads' is required"));
}

}  // namespace
}  // namespace hb_dnn::kernels
