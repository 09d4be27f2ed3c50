// Resize and Upsample beyond the single-node ONNX tests: the two-node tf_half_pixel_for_nn test,
// the legacy forms (Resize-10, Upsample-7/9), nearest on integer types, N-linear on 1-D and 3-D
// tensors, and the error paths (non-constant scales, conflicting inputs, bad attributes).

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/status.h"
#include "tests/kernels/nn_test_util.h"
#include "tests/kernels/onnx_node_runner.h"
#include "tools/onnx_import/onnx_proto_util.h"

namespace hb_dnn::kernels {
namespace {

using nn_test::Absent;
using nn_test::HostTensor;
using nn_test::RunNode1;
using nn_test::Tensor;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::FloatEq;
using ::testing::HasSubstr;
using ::testing::Pointwise;

HostTensor FromFile(const std::string& path) {
  auto decoded = onnx_import::ReadTensorFile(path);
  EXPECT_TRUE(decoded.ok()) << decoded.status();
  HostTensor t;
  if (decoded.ok()) {
    t.dtype = decoded->dtype;
    t.shape = decoded->shape;
    t.bytes = decoded->bytes;
  }
  return t;
}

// The node test is Constant(roi), Constant(scales), Resize: not a single-node graph, so the
// runner skips it; here the constants are the empty tensors the graph builds.
TEST(NnResize, TfHalfPixelForNnNodeTest) {
  const std::string dir = std::string(testing::kOnnxNodeTestRoot) +
                          "test_resize_downsample_sizes_nearest_tf_half_pixel_for_nn/"
                          "test_data_set_0/";
  HostTensor x = FromFile(dir + "input_0.pb");
  HostTensor sizes = FromFile(dir + "input_1.pb");
  HostTensor expected = FromFile(dir + "output_0.pb");
  Attributes a;
  a.SetString("coordinate_transformation_mode", "tf_half_pixel_for_nn");
  a.SetString("mode", "nearest");
  HostTensor empty = Tensor<float>({0}, {});
  auto y = RunNode1("Resize", 11, a, {x, empty, empty, sizes});
  ASSERT_TRUE(y.ok()) << y.status();
  EXPECT_EQ(y->shape, expected.shape);
  EXPECT_THAT(y->values<float>(), ElementsAreArray(expected.values<float>()));
}

TEST(NnResize, Opset10IsAsymmetricWithFloorNearest) {
  HostTensor x = Tensor<float>({1, 4}, {1, 2, 3, 4});
  HostTensor scales = Tensor<float>({2}, {1, 1.5f});
  Attributes nearest;
  auto y = RunNode1("Resize", 10, nearest, {x, scales});
  ASSERT_TRUE(y.ok()) << y.status();
  EXPECT_EQ(y->shape, (Shape{1, 6}));
  // x_original = 0, 2/3, 4/3, 2, 8/3, 10/3.
  EXPECT_THAT(y->values<float>(), ElementsAre(1, 1, 2, 3, 3, 4));
  Attributes linear;
  linear.SetString("mode", "linear");
  auto z = RunNode1("Resize", 10, linear, {x, scales});
  ASSERT_TRUE(z.ok()) << z.status();
  EXPECT_THAT(z->values<float>(),
              Pointwise(FloatEq(), {1.0f, 5.0f / 3, 7.0f / 3, 3.0f, 11.0f / 3, 4.0f}));
}

TEST(NnUpsample, AttributeAndInputScales) {
  HostTensor x = Tensor<float>({1, 1, 2}, {1, 2});
  Attributes seven;
  seven.SetFloats("scales", {1, 1, 2});
  auto y7 = RunNode1("Upsample", 7, seven, {x});
  ASSERT_TRUE(y7.ok()) << y7.status();
  EXPECT_THAT(y7->values<float>(), ElementsAre(1, 1, 2, 2));
  Attributes linear;
  linear.SetString("mode", "linear");
  auto y9 = RunNode1("Upsample", 9, linear, {x, Tensor<float>({3}, {1, 1, 2})});
  ASSERT_TRUE(y9.ok()) << y9.status();
  EXPECT_THAT(y9->values<float>(), ElementsAre(1, 1.5f, 2, 2));
}

TEST(NnResize, NearestOnIntegerTypes) {
  Attributes a;
  a.SetString("coordinate_transformation_mode", "asymmetric");
  a.SetString("nearest_mode", "round_prefer_ceil");
  // 3 -> 4: scale 4/3, x_original = 0, 0.75, 1.5, 2.25 -> 0, 1, 2, 2.
  auto u8 = RunNode1(
      "Resize", 13, a,
      {Tensor<uint8_t>({3}, {10, 20, 255}), Absent(), Absent(), Tensor<int64_t>({1}, {4})});
  ASSERT_TRUE(u8.ok()) << u8.status();
  EXPECT_THAT(u8->values<uint8_t>(), ElementsAre(10, 20, 255, 255));
  auto i64 = RunNode1(
      "Resize", 13, a,
      {Tensor<int64_t>({3}, {-5, 1LL << 40, 7}), Absent(), Absent(), Tensor<int64_t>({1}, {4})});
  ASSERT_TRUE(i64.ok()) << i64.status();
  EXPECT_THAT(i64->values<int64_t>(), ElementsAre(-5, 1LL << 40, 7, 7));
}

TEST(NnResize, LinearReproducesLinearFunctions3D) {
  // f(z, y, x) = z + 2y + 4x on a 2x2x2 grid, resized to 3x3x3 with align_corners: every output
  // is f at the half-integer source coordinates.
  std::vector<float> values;
  for (int z = 0; z < 2; ++z) {
    for (int y = 0; y < 2; ++y) {
      for (int x = 0; x < 2; ++x) values.push_back(static_cast<float>(z + 2 * y + 4 * x));
    }
  }
  Attributes a;
  a.SetString("mode", "linear");
  a.SetString("coordinate_transformation_mode", "align_corners");
  auto y = RunNode1("Resize", 13, a,
                    {Tensor<float>({1, 1, 2, 2, 2}, values), Absent(), Absent(),
                     Tensor<int64_t>({5}, {1, 1, 3, 3, 3})});
  ASSERT_TRUE(y.ok()) << y.status();
  ASSERT_EQ(y->shape, (Shape{1, 1, 3, 3, 3}));
  std::vector<float> want;
  for (int z = 0; z < 3; ++z) {
    for (int yy = 0; yy < 3; ++yy) {
      for (int x = 0; x < 3; ++x) want.push_back(0.5f * z + yy + 2.0f * x);
    }
  }
  EXPECT_THAT(y->values<float>(), Pointwise(FloatEq(), want));
}

TEST(NnResize, Opset11ScalesWithEmptyRoi) {
  Attributes a;
  a.SetString("mode", "linear");
  // half_pixel, scale 2: x_original = -0.25, 0.25, 0.75, 1.25 -> clamped at the edges.
  auto y = RunNode1("Resize", 11, a,
                    {Tensor<float>({2}, {0, 4}), Tensor<float>({0}, {}), Tensor<float>({1}, {2})});
  ASSERT_TRUE(y.ok()) << y.status();
  EXPECT_THAT(y->values<float>(), ElementsAre(0, 1, 3, 4));
}

TEST(NnResize, CropAndResizeNearestExtrapolates) {
  Attributes a;
  a.SetString("coordinate_transformation_mode", "tf_crop_and_resize");
  a.SetFloat("extrapolation_value", 99);
  // roi [-0.5, 1.5] over 3 elements, 4 outputs: x_original = -1 + 4/3 * i = -1, 1/3, 5/3, 3;
  // the first and last are outside [0, 2].
  auto y = RunNode1("Resize", 13, a,
                    {Tensor<uint8_t>({3}, {1, 2, 3}), Tensor<float>({2}, {-0.5f, 1.5f}), Absent(),
                     Tensor<int64_t>({1}, {4})});
  ASSERT_TRUE(y.ok()) << y.status();
  EXPECT_THAT(y->values<uint8_t>(), ElementsAre(99, 1, 3, 99));
}

TEST(NnResize, Errors) {
  HostTensor x = Tensor<float>({1, 4}, {1, 2, 3, 4});
  HostTensor runtime_scales = Tensor<float>({2}, {1, 2}, /*constant=*/false);
  absl::Status s = RunNode1("Resize", 13, Attributes(), {x, Absent(), runtime_scales}).status();
  EXPECT_EQ(ErrorCodeOf(s), ErrorCode::kInvalidModel);
  EXPECT_THAT(s.message(), HasSubstr("input 2 'scales' must be a constant"));
  EXPECT_THAT(RunNode1("Resize", 13, Attributes(),
                       {x, Absent(), Tensor<float>({2}, {1, 2}), Tensor<int64_t>({2}, {1, 8})})
                  .status()
                  .message(),
              HasSubstr("only one of input 2 'scales' and input 3 'sizes' may be given"));
  EXPECT_THAT(RunNode1("Resize", 13, Attributes(), {x, Absent(), Tensor<float>({1}, {2})})
                  .status()
                  .message(),
              HasSubstr("scales [2] has 1 values for input of shape (1,4)"));
  EXPECT_THAT(RunNode1("Resize", 13, Attributes(), {x, Absent(), Tensor<float>({2}, {1, 0})})
                  .status()
                  .message(),
              HasSubstr("must be positive"));
  EXPECT_THAT(RunNode1("Resize", 13, Attributes(), {x}).status().message(),
              HasSubstr("one of input 2 'scales' and input 3 'sizes' is required"));
  Attributes cubic;
  cubic.SetString("mode", "cubic");
  EXPECT_THAT(RunNode1("Resize", 10, cubic, {x, Tensor<float>({2}, {1, 2})}).status().message(),
              HasSubstr("attribute 'mode' is 'cubic', expected nearest, linear"));
  Attributes coordinate;
  coordinate.SetString("coordinate_transformation_mode", "corners");
  EXPECT_THAT(RunNode1("Resize", 13, coordinate, {x, Absent(), Tensor<float>({2}, {1, 2})})
                  .status()
                  .message(),
              HasSubstr("attribute 'coordinate_transformation_mode' is 'corners'"));
  Attributes linear;
  linear.SetString("mode", "linear");
  EXPECT_THAT(RunNode1("Resize", 13, linear,
                       {Tensor<int32_t>({2}, {1, 2}), Absent(), Tensor<float>({1}, {2})})
                  .status()
                  .message(),
              HasSubstr("input 0 'X' has type int32, expected float32 or float64"));
}

}  // namespace
}  // namespace hb_dnn::kernels
