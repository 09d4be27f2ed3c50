// The hb_dnn::Preprocess reference kernel against hand-computed values (BT.601 full range).

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/kernels/op_registry.h"
#include "src/kernels/reference/preprocess.h"

namespace hb_dnn::kernels {
namespace {

using ::testing::HasSubstr;

struct Config {
  Config(std::string rt_type, std::string rt_layout, std::string train_type,
         std::string train_layout, std::string norm_type = "no_preprocess",
         std::vector<float> mean_value = {}, std::vector<float> scale_value = {})
      : rt(std::move(rt_type)),
        layout_rt(std::move(rt_layout)),
        train(std::move(train_type)),
        layout_train(std::move(train_layout)),
        norm(std::move(norm_type)),
        mean(std::move(mean_value)),
        scale(std::move(scale_value)) {}
  std::string rt, layout_rt, train, layout_train, norm;
  std::vector<float> mean, scale;
};

absl::StatusOr<std::unique_ptr<OpKernel>> Create(const Config& c) {
  Attributes a;
  a.SetString(kAttrInputTypeRt, c.rt);
  a.SetString(kAttrInputLayoutRt, c.layout_rt);
  a.SetString(kAttrInputTypeTrain, c.train);
  a.SetString(kAttrInputLayoutTrain, c.layout_train);
  a.SetString(kAttrNormType, c.norm);
  if (!c.mean.empty()) a.SetFloats(kAttrMeanValue, c.mean);
  if (!c.scale.empty()) a.SetFloats(kAttrScaleValue, c.scale);
  KernelCreateArgs args{a, kPreprocessVersion, 1, 1};
  return OpRegistry::Builtin().Create(kHbDnnDomain, kPreprocessOp, args);
}

// Runs the kernel on a uint8 input; returns the output and its shape.
std::vector<float> RunPreprocess(const Config& c, const std::vector<uint8_t>& input,
                                 const Shape& shape, Shape* out_shape = nullptr) {
  absl::StatusOr<std::unique_ptr<OpKernel>> kernel = Create(c);
  EXPECT_TRUE(kernel.ok()) << kernel.status();
  if (!kernel.ok()) return {};
  std::vector<TensorInfo> outputs;
  absl::Status prepared = (*kernel)->Prepare({{DType::kU8, shape, nullptr}}, &outputs);
  EXPECT_TRUE(prepared.ok()) << prepared;
  if (!prepared.ok()) return {};
  std::vector<float> out(static_cast<size_t>(NumElements(outputs[0].shape)));
  absl::Status ran = (*kernel)->Run({{input.data(), DType::kU8, shape}},
                                    {{out.data(), DType::kF32, outputs[0].shape}});
  EXPECT_TRUE(ran.ok()) << ran;
  if (out_shape != nullptr) *out_shape = outputs[0].shape;
  return out;
}

void ExpectNear(const std::vector<float>& actual, const std::vector<float>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) EXPECT_NEAR(actual[i], expected[i], 1e-3) << i;
}

// 2x4 NV12: Y rows {100,110,120,130}, {140,150,160,170}; UV pairs (150,90) and (128,128).
const std::vector<uint8_t> kNv12 = {100, 110, 120, 130, 140, 150, 160, 170, 150, 90, 128, 128};

TEST(PreprocessKernelTest, Nv12ToRgbNchw) {
  Shape shape;
  std::vector<float> out = RunPreprocess({"nv12", "", "rgb", "NCHW"}, kNv12, {1, 3, 4}, &shape);
  EXPECT_EQ(shape, (Shape{1, 3, 2, 4}));
  // Columns 0-1 use U=150, V=90: R = Y - 53.276, G = Y + 19.566176, B = Y + 38.984.
  // Columns 2-3 use U=V=128: R = G = B = Y.
  ExpectNear(out, {46.724f,     56.724f,     120, 130, 86.724f,     96.724f,     160, 170,    // R
                   119.566176f, 129.566176f, 120, 130, 159.566176f, 169.566176f, 160, 170,    // G
                   138.984f,    148.984f,    120, 130, 178.984f,    188.984f,    160, 170});  // B
}

TEST(PreprocessKernelTest, Nv12ToYuv444NhwcAndGray) {
  std::vector<float> yuv = RunPreprocess({"nv12", "", "yuv444", "NHWC"}, kNv12, {1, 3, 4});
  ExpectNear(yuv, {100, 150, 90, 110, 150, 90, 120, 128, 128, 130, 128, 128,
                   140, 150, 90, 150, 150, 90, 160, 128, 128, 170, 128, 128});
  std::vector<float> gray = RunPreprocess({"nv12", "", "gray", "NCHW"}, kNv12, {1, 3, 4});
  ExpectNear(gray, {100, 110, 120, 130, 140, 150, 160, 170});
}

TEST(PreprocessKernelTest, Nv12ToBgrClampsTo255) {
  // Y=250, V=255: R = 250 + 1.402 * 127 = 428.05 -> 255; B = 250 + 1.772 * 0 = 250.
  std::vector<float> out =
      RunPreprocess({"nv12", "", "bgr", "NHWC"}, {250, 250, 250, 250, 128, 255}, {1, 3, 2});
  // G = 250 - 0.714136 * 127 = 159.30473.
  ExpectNear(out, {250, 159.30473f, 255, 250, 159.30473f, 255, 250, 159.30473f, 255, 250,
                   159.30473f, 255});
}

TEST(PreprocessKernelTest, RgbBgrSwapAndLayouts) {
  // One row of two pixels, NHWC rgb: (10,20,30), (40,50,60).
  std::vector<uint8_t> rgb = {10, 20, 30, 40, 50, 60};
  ExpectNear(RunPreprocess({"rgb", "NHWC", "bgr", "NCHW"}, rgb, {1, 1, 2, 3}),
             {30, 60, 20, 50, 10, 40});
  ExpectNear(RunPreprocess({"bgr", "NHWC", "rgb", "NHWC"}, rgb, {1, 1, 2, 3}),
             {30, 20, 10, 60, 50, 40});
  // NCHW rt input: planes R={10,40}, G={20,50}, B={30,60}.
  std::vector<uint8_t> planar = {10, 40, 20, 50, 30, 60};
  ExpectNear(RunPreprocess({"rgb", "NCHW", "rgb", "NHWC"}, planar, {1, 3, 1, 2}),
             {10, 20, 30, 40, 50, 60});
}

TEST(PreprocessKernelTest, Yuv444AndRgbConversions) {
  // yuv444 (100, 150, 90) -> rgb as in the NV12 case.
  ExpectNear(RunPreprocess({"yuv444", "NHWC", "rgb", "NHWC"}, {100, 150, 90}, {1, 1, 1, 3}),
             {46.724f, 119.566176f, 138.984f});
  // Grey RGB is Y = value, U = V = 128.
  ExpectNear(RunPreprocess({"rgb", "NHWC", "yuv444", "NHWC"}, {77, 77, 77}, {1, 1, 1, 3}),
             {77, 128, 128});
  // rgb -> gray: 0.299 * 100 + 0.587 * 50 + 0.114 * 200 = 82.05.
  ExpectNear(RunPreprocess({"rgb", "NHWC", "gray", "NCHW"}, {100, 50, 200}, {1, 1, 1, 3}),
             {82.05f});
  ExpectNear(RunPreprocess({"gray", "NCHW", "gray", "NHWC"}, {3, 4}, {1, 1, 1, 2}), {3, 4});
}

TEST(PreprocessKernelTest, Normalization) {
  std::vector<uint8_t> rgb = {10, 20, 30, 40, 50, 60};
  Config mean_scale{"rgb", "NHWC", "rgb", "NCHW", "data_mean_and_scale", {1, 2, 3}, {0.5f, 1, 2}};
  ExpectNear(RunPreprocess(mean_scale, rgb, {1, 1, 2, 3}), {4.5f, 19.5f, 18, 48, 54, 114});
  Config mean{"rgb", "NHWC", "rgb", "NHWC", "data_mean", {10}, {}};
  ExpectNear(RunPreprocess(mean, rgb, {1, 1, 2, 3}), {0, 10, 20, 30, 40, 50});
  Config scale{"gray", "NHWC", "gray", "NHWC", "data_scale", {}, {0.25f}};
  ExpectNear(RunPreprocess(scale, {8, 16}, {1, 1, 2, 1}), {2, 4});
}

TEST(PreprocessKernelTest, FeaturemapAppliesOnlyTheNorm) {
  Config c{"featuremap", "NCHW", "featuremap", "NCHW", "data_mean_and_scale", {1, 2}, {2, 3}};
  absl::StatusOr<std::unique_ptr<OpKernel>> kernel = Create(c);
  ASSERT_TRUE(kernel.ok()) << kernel.status();
  Shape shape = {1, 2, 1, 2};
  std::vector<TensorInfo> outputs;
  ASSERT_TRUE((*kernel)->Prepare({{DType::kF32, shape, nullptr}}, &outputs).ok());
  std::vector<float> in = {1, 2, 3, 4}, out(4);
  ASSERT_TRUE(
      (*kernel)->Run({{in.data(), DType::kF32, shape}}, {{out.data(), DType::kF32, shape}}).ok());
  ExpectNear(out, {0, 2, 3, 6});
}

TEST(PreprocessKernelTest, Errors) {
  EXPECT_THAT(Create({"gray", "NCHW", "rgb", "NCHW"}).status().message(),
              HasSubstr("cannot convert input_type_rt 'gray' to input_type_train 'rgb'"));
  EXPECT_THAT(Create({"nv12", "", "nv12", "NCHW"}).status().message(),
              HasSubstr("attribute 'input_type_train' is 'nv12'"));
  EXPECT_THAT(Create({"rgb", "HWC", "rgb", "NCHW"}).status().message(),
              HasSubstr("attribute 'input_layout_rt' is 'HWC', expected NHWC or NCHW"));
  EXPECT_THAT(Create({"rgb", "NHWC", "rgb", "NCHW", "data_mean"}).status().message(),
              HasSubstr("norm_type 'data_mean' needs attribute 'mean_value'"));
  absl::StatusOr<std::unique_ptr<OpKernel>> kernel = Create({"nv12", "", "rgb", "NCHW"});
  ASSERT_TRUE(kernel.ok());
  std::vector<TensorInfo> outputs;
  EXPECT_THAT((*kernel)->Prepare({{DType::kU8, {1, 4, 4}, nullptr}}, &outputs).message(),
              HasSubstr("nv12 needs (N, H*3/2, W) with H and W even"));
  EXPECT_THAT((*kernel)->Prepare({{DType::kF32, {1, 3, 4}, nullptr}}, &outputs).message(),
              HasSubstr("image inputs are uint8"));
  kernel = Create({"rgb", "NHWC", "rgb", "NCHW", "data_mean", {1, 2}});
  ASSERT_TRUE(kernel.ok());
  EXPECT_THAT((*kernel)->Prepare({{DType::kU8, {1, 2, 2, 3}, nullptr}}, &outputs).message(),
              HasSubstr("attribute 'mean_value' has 2 values [1, 2] for 3 channels"));
}

}  // namespace
}  // namespace hb_dnn::kernels
