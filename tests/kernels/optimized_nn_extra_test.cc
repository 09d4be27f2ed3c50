// The optimized ConvTranspose, BatchNormalization and Resize kernels (optimized/ew_*.cc) against
// the reference kernels: ConvTranspose with strides 1-3, pads, output_padding, dilations,
// groups, bias or none, auto_pad and output_shape, constant and run-time weights, for every ISA
// level this CPU runs; BatchNormalization with random parameters, constant or not; Resize up
// and down by scales and by sizes, nearest in every nearest_mode and linear, in every covered
// coordinate mode; the reference fallbacks; and the ONNX node tests through the registry.

#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "src/base/cpu_features.h"
#include "src/base/parallel_for.h"
#include "src/base/status_macros.h"
#include "src/kernels/op_registry.h"
#include "src/kernels/optimized/ew_kernels.h"
#include "src/kernels/reference/nn_kernels.h"
#include "tests/kernels/onnx_node_runner.h"
#include "tests/kernels/optimized_test_util.h"

namespace hb_dnn::kernels {
namespace {

using optimized_test::Absent;
using optimized_test::Input;
using optimized_test::IsaLevelsToTest;
using optimized_test::Near;
using optimized_test::Output;
using optimized_test::PrepareAndRun;
using optimized_test::RandomInput;

// Runs `reference` and `fast` on `inputs`; both must succeed and agree within rtol/atol.
::testing::AssertionResult SameAsReference(OpKernel* reference, OpKernel* fast,
                                           const std::vector<Input>& inputs, double rtol,
                                           double atol) {
  auto expected = PrepareAndRun(reference, inputs);
  auto actual = PrepareAndRun(fast, inputs);
  if (!expected.ok()) return ::testing::AssertionFailure() << "reference: " << expected.status();
  if (!actual.ok()) return ::testing::AssertionFailure() << "optimized: " << actual.status();
  return Near(*expected, *actual, rtol, atol);
}

// ---------------------------------------------------------------------------------------------
// ConvTranspose.

struct ConvTransposeCase {
  std::string name;
  Shape x;
  Shape w;
  bool bias = true;
  int64_t group = 1;
  std::vector<int64_t> strides;
  std::vector<int64_t> pads;
  std::vector<int64_t> dilations;
  std::vector<int64_t> output_padding;
  std::vector<int64_t> output_shape;
  std::string auto_pad;

  ConvTransposeCase(std::string n, Shape x_shape, Shape w_shape)
      : name(std::move(n)), x(std::move(x_shape)), w(std::move(w_shape)) {}
  ConvTransposeCase& NoBias() { bias = false; return *this; }
  ConvTransposeCase& Group(int64_t v) { group = v; return *this; }
  ConvTransposeCase& Strides(std::vector<int64_t> v) { strides = std::move(v); return *this; }
  ConvTransposeCase& Pads(std::vector<int64_t> v) { pads = std::move(v); return *this; }
  ConvTransposeCase& Dilations(std::vector<int64_t> v) { dilations = std::move(v); return *this; }
  ConvTransposeCase& OutputPadding(std::vector<int64_t> v) {
    output_padding = std::move(v);
    return *this;
  }
  ConvTransposeCase& OutputShape(std::vector<int64_t> v) {
    output_shape = std::move(v);
    return *this;
  }
  ConvTransposeCase& AutoPad(std::string v) { auto_pad = std::move(v); return *this; }
};

std::vector<ConvTransposeCase> ConvTransposeCases() {
  using C = ConvTransposeCase;
  return {
      C("s1_k3", {1, 3, 7, 9}, {3, 4, 3, 3}),
      C("s1_k3_pads", {1, 3, 7, 9}, {3, 4, 3, 3}).Pads({1, 1, 1, 1}).NoBias(),
      C("ppocr_s2_k2", {1, 24, 20, 20}, {24, 24, 2, 2}).Strides({2, 2}),
      C("ppocr_s2_k2_one_output", {1, 24, 40, 40}, {24, 1, 2, 2}).Strides({2, 2}),
      C("s2_k3_pads_output_padding", {2, 5, 6, 7}, {5, 3, 3, 3})
          .Strides({2, 2})
          .Pads({1, 0, 1, 2})
          .OutputPadding({1, 1}),
      C("s2_k4_pads", {1, 4, 9, 6}, {4, 3, 4, 4}).Strides({2, 2}).Pads({1, 1, 1, 1}),
      C("s3_k4_asymmetric_pads", {1, 4, 5, 6}, {4, 2, 4, 4}).Strides({3, 3}).Pads({1, 2, 0, 1}),
      C("s3_k2_gaps", {1, 3, 5, 5}, {3, 2, 2, 2}).Strides({3, 3}).NoBias(),
      C("s3_output_padding", {1, 2, 4, 5}, {2, 3, 3, 3}).Strides({3, 3}).OutputPadding({2, 1}),
      C("mixed_strides", {1, 2, 5, 9}, {2, 3, 3, 5}).Strides({3, 1}).Pads({0, 2, 1, 0}),
      C("dilations", {1, 3, 8, 7}, {3, 5, 3, 2}).Dilations({2, 3}).Strides({1, 2}),
      C("dilations_pads", {1, 3, 6, 6}, {3, 2, 3, 3}).Dilations({2, 2}).Pads({2, 1, 1, 2}),
      C("groups", {1, 6, 9, 8}, {6, 2, 3, 3}).Group(3).Strides({2, 2}).Pads({1, 1, 1, 1}),
      C("depthwise", {2, 4, 6, 6}, {4, 1, 3, 3}).Group(4).Strides({2, 2}).NoBias(),
      C("same_upper", {1, 3, 7, 8}, {3, 2, 3, 3}).Strides({2, 2}).AutoPad("SAME_UPPER"),
      C("same_lower", {1, 3, 7, 8}, {3, 2, 3, 3}).Strides({2, 2}).AutoPad("SAME_LOWER"),
      C("valid", {1, 3, 5, 4}, {3, 2, 3, 3}).Strides({2, 2}).Pads({1, 1, 1, 1}).AutoPad("VALID"),
      C("output_shape", {1, 3, 7, 8}, {3, 2, 3, 3}).Strides({2, 2}).OutputShape({14, 16}),
      C("output_shape_extended", {1, 3, 7, 8}, {3, 2, 3, 3}).Strides({2, 2}).OutputShape(
          {1, 4, 17, 20}),
      C("many_channel_blocks", {1, 40, 9, 11}, {40, 48, 3, 3}).Strides({2, 2}),
      C("many_row_chunks_s1", {1, 8, 70, 50}, {8, 32, 3, 3}).Pads({1, 1, 1, 1}),
      C("many_row_chunks_tall_kernel", {1, 4, 90, 40}, {4, 40, 7, 3})
          .Strides({2, 1})
          .Dilations({3, 1}),
      C("single_pixel", {1, 5, 1, 1}, {5, 3, 2, 2}).Strides({2, 2}),
      C("exact_cover_k3_s3", {1, 3, 5, 4}, {3, 2, 3, 3}).Strides({3, 3}),
      C("exact_cover_k1_s1", {2, 4, 3, 5}, {4, 3, 1, 1}).NoBias(),
      C("exact_cover_mixed", {1, 3, 4, 6}, {3, 5, 3, 2}).Strides({3, 2}).NoBias(),
      C("exact_cover_blocks_and_chunks", {1, 8, 120, 30}, {8, 40, 2, 2}).Strides({2, 2}),
      C("exact_cover_groups", {2, 6, 7, 5}, {6, 4, 2, 2}).Strides({2, 2}).Group(2),
      C("k2_s2_padded", {1, 3, 6, 5}, {3, 2, 2, 2}).Strides({2, 2}).Pads({1, 0, 0, 1}),
      C("k2_s2_output_padding", {1, 3, 6, 5}, {3, 2, 2, 2}).Strides({2, 2}).OutputPadding(
          {1, 0}),
      C("one_d_fallback", {1, 3, 10}, {3, 2, 3}).Strides({2}),
  };
}

Attributes ConvTransposeAttributes(const ConvTransposeCase& c) {
  Attributes a;
  if (c.group != 1) a.SetInt("group", c.group);
  if (!c.strides.empty()) a.SetInts("strides", c.strides);
  if (!c.pads.empty()) a.SetInts("pads", c.pads);
  if (!c.dilations.empty()) a.SetInts("dilations", c.dilations);
  if (!c.output_padding.empty()) a.SetInts("output_padding", c.output_padding);
  if (!c.output_shape.empty()) a.SetInts("output_shape", c.output_shape);
  if (!c.auto_pad.empty()) a.SetString("auto_pad", c.auto_pad);
  return a;
}

TEST(OptimizedConvTransposeTest, MatchesReference) {
  for (const ConvTransposeCase& c : ConvTransposeCases()) {
    const Attributes attributes = ConvTransposeAttributes(c);
    const KernelCreateArgs args{attributes, 11, c.bias ? 3 : 2, 1};
    for (IsaLevel isa : IsaLevelsToTest()) {
      for (bool constant_weights : {true, false}) {
        SCOPED_TRACE(c.name + " " + IsaLevelName(isa) +
                     (constant_weights ? " constant W" : " run-time W"));
        std::vector<Input> inputs = {RandomInput(c.x, 1), RandomInput(c.w, 2, constant_weights)};
        if (c.bias) inputs.push_back(RandomInput({c.w[1] * c.group}, 3, true));
        auto reference = nn::CreateConvTransposeKernel(args);
        auto fast = optimized::CreateEwConvTransposeKernel(args, isa);
        ASSERT_TRUE(reference.ok()) << reference.status();
        ASSERT_TRUE(fast.ok()) << fast.status();
        EXPECT_TRUE(SameAsReference(reference->get(), fast->get(), inputs, 1e-4, 1e-4));
      }
    }
  }
}

// The tasks of one ConvTranspose run on several threads; the result must not depend on it.
TEST(OptimizedConvTransposeTest, ThreadCountDoesNotChangeTheResult) {
  const ConvTransposeCase c =
      ConvTransposeCase("threads", {2, 16, 33, 29}, {16, 8, 3, 3}).Strides({2, 2}).Pads(
          {1, 1, 1, 1});
  const Attributes attributes = ConvTransposeAttributes(c);
  const KernelCreateArgs args{attributes, 11, 3, 1};
  const std::vector<Input> inputs = {RandomInput(c.x, 4), RandomInput(c.w, 5, true),
                                     RandomInput({8}, 6, true)};
  auto serial_kernel = optimized::CreateEwConvTransposeKernel(args, ActiveIsaLevel());
  auto parallel_kernel = optimized::CreateEwConvTransposeKernel(args, ActiveIsaLevel());
  ASSERT_TRUE(serial_kernel.ok() && parallel_kernel.ok());
  absl::StatusOr<Output> serial;
  {
    ScopedParallelismLimit limit(1);
    serial = PrepareAndRun(serial_kernel->get(), inputs);
  }
  auto parallel = PrepareAndRun(parallel_kernel->get(), inputs);
  ASSERT_TRUE(serial.ok() && parallel.ok());
  EXPECT_TRUE(Near(*serial, *parallel, 0, 0));
}

TEST(OptimizedConvTransposeTest, SameErrorsAsReference) {
  Attributes bad_group;
  bad_group.SetInt("group", 0);
  const KernelCreateArgs bad_args{bad_group, 11, 2, 1};
  auto reference = nn::CreateConvTransposeKernel(bad_args);
  auto fast = optimized::CreateEwConvTransposeKernel(bad_args, ActiveIsaLevel());
  ASSERT_FALSE(reference.ok());
  EXPECT_EQ(fast.status(), reference.status());

  Attributes attributes;
  attributes.SetInts("output_padding", {1});
  const KernelCreateArgs args{attributes, 11, 2, 1};
  auto reference2 = nn::CreateConvTransposeKernel(args);
  auto fast2 = optimized::CreateEwConvTransposeKernel(args, ActiveIsaLevel());
  ASSERT_TRUE(reference2.ok() && fast2.ok());
  std::vector<TensorInfo> outputs;
  const std::vector<TensorInfo> wrong_padding = {{DType::kF32, {1, 2, 4, 4}, nullptr},
                                                 {DType::kF32, {2, 3, 3, 3}, nullptr}};
  const absl::Status expected = (*reference2)->Prepare(wrong_padding, &outputs);
  EXPECT_FALSE(expected.ok());
  EXPECT_EQ((*fast2)->Prepare(wrong_padding, &outputs), expected);
  const std::vector<TensorInfo> wrong_channels = {{DType::kF32, {1, 2, 4, 4}, nullptr},
                                                  {DType::kF32, {3, 3, 3, 3}, nullptr}};
  EXPECT_EQ((*fast2)->Prepare(wrong_channels, &outputs),
            (*reference2)->Prepare(wrong_channels, &outputs));
}

// ---------------------------------------------------------------------------------------------
// BatchNormalization.

// scale, B, mean and a positive var for `channels` channels.
std::vector<Input> BatchNormParameters(int64_t channels, uint32_t seed, bool constant) {
  std::vector<Input> params = {RandomInput({channels}, seed, constant),
                               RandomInput({channels}, seed + 1, constant),
                               RandomInput({channels}, seed + 2, constant),
                               RandomInput({channels}, seed + 3, constant)};
  for (float& v : params[3].values) v = std::fabs(v) + 0.05f;
  return params;
}

TEST(OptimizedBatchNormalizationTest, MatchesReference) {
  const std::vector<Shape> shapes = {{2, 5, 7, 9}, {1, 3, 1, 1},  {1, 64, 40, 40},
                                     {4, 6},       {2, 3, 11},    {1, 2, 3, 4, 5},
                                     {1, 1, 17, 3}, {3, 7, 160, 33}};
  for (int opset : {7, 9, 15}) {
    for (float epsilon : {1e-5f, 1e-3f}) {
      Attributes attributes;
      attributes.SetFloat("epsilon", epsilon);
      const KernelCreateArgs args{attributes, opset, 5, 1};
      for (const Shape& shape : shapes) {
        for (bool constant : {true, false}) {
          SCOPED_TRACE(ShapeString(shape) + " opset " + std::to_string(opset) +
                       (constant ? " constant" : " run-time"));
          std::vector<Input> inputs = {RandomInput(shape, 7)};
          for (Input& p : BatchNormParameters(shape[1], 11, constant)) {
            inputs.push_back(std::move(p));
          }
          auto reference = nn::CreateBatchNormalizationKernel(args);
          auto fast = optimized::CreateEwBatchNormalizationKernel(args);
          ASSERT_TRUE(reference.ok() && fast.ok());
          EXPECT_TRUE(SameAsReference(reference->get(), fast->get(), inputs, 1e-5, 1e-5));
        }
      }
    }
  }
}

// BatchNormalization-7 with spatial = 0 (parameters shaped like X without N) delegates.
TEST(OptimizedBatchNormalizationTest, NonSpatialDelegates) {
  Attributes attributes;
  attributes.SetInt("spatial", 0);
  const KernelCreateArgs args{attributes, 7, 5, 1};
  const Shape shape = {2, 3, 4, 5};
  std::vector<Input> inputs = {RandomInput(shape, 1)};
  for (uint32_t i = 0; i < 4; ++i) inputs.push_back(RandomInput({3, 4, 5}, 2 + i, true));
  for (float& v : inputs[4].values) v = std::fabs(v) + 0.05f;
  auto reference = nn::CreateBatchNormalizationKernel(args);
  auto fast = optimized::CreateEwBatchNormalizationKernel(args);
  ASSERT_TRUE(reference.ok() && fast.ok());
  EXPECT_TRUE(SameAsReference(reference->get(), fast->get(), inputs, 0, 0));
}

TEST(OptimizedBatchNormalizationTest, SameErrorsAsReference) {
  Attributes training;
  training.SetInt("training_mode", 1);
  const KernelCreateArgs training_args{training, 14, 5, 1};
  auto reference = nn::CreateBatchNormalizationKernel(training_args);
  auto fast = optimized::CreateEwBatchNormalizationKernel(training_args);
  ASSERT_FALSE(reference.ok());
  EXPECT_EQ(fast.status(), reference.status());

  const Attributes attributes;
  const KernelCreateArgs args{attributes, 15, 5, 1};
  auto reference2 = nn::CreateBatchNormalizationKernel(args);
  auto fast2 = optimized::CreateEwBatchNormalizationKernel(args);
  ASSERT_TRUE(reference2.ok() && fast2.ok());
  std::vector<TensorInfo> outputs;
  std::vector<TensorInfo> wrong_params = {{DType::kF32, {1, 3, 2, 2}, nullptr}};
  for (int i = 0; i < 4; ++i) wrong_params.push_back({DType::kF32, {4}, nullptr});
  const absl::Status expected = (*reference2)->Prepare(wrong_params, &outputs);
  EXPECT_FALSE(expected.ok());
  EXPECT_EQ((*fast2)->Prepare(wrong_params, &outputs), expected);
}

// ---------------------------------------------------------------------------------------------
// Resize.

// Runs a Resize kernel (opset >= 11 input layout unless `legacy`) on X with constant scales or
// sizes, whichever is non-empty.
absl::StatusOr<Output> RunResize(OpKernel* kernel, const Input& x,
                                 const std::vector<float>& scales,
                                 const std::vector<int64_t>& sizes, bool legacy) {
  // The operand shapes follow the vectors given (a wrong length is what error tests exercise).
  const Shape scales_shape = {static_cast<int64_t>(scales.size())};
  const Shape sizes_shape = {static_cast<int64_t>(sizes.size())};
  std::vector<TensorInfo> infos = {{DType::kF32, x.shape, nullptr}};
  std::vector<ConstTensorView> views = {{x.values.data(), DType::kF32, x.shape}};
  if (legacy) {
    infos.push_back({DType::kF32, scales_shape, scales.data()});
    views.push_back({scales.data(), DType::kF32, scales_shape});
  } else {
    infos.emplace_back();
    views.emplace_back();
    if (sizes.empty()) {
      infos.push_back({DType::kF32, scales_shape, scales.data()});
      views.push_back({scales.data(), DType::kF32, scales_shape});
    } else {
      infos.emplace_back();
      views.emplace_back();
      infos.push_back({DType::kI64, sizes_shape, sizes.data()});
      views.push_back({sizes.data(), DType::kI64, sizes_shape});
    }
  }
  std::vector<TensorInfo> out_infos;
  HB_RETURN_IF_ERROR(kernel->Prepare(infos, &out_infos));
  Output out;
  out.shape = out_infos[0].shape;
  out.values.assign(static_cast<size_t>(NumElements(out.shape)), -12345.0f);
  HB_RETURN_IF_ERROR(kernel->Run(views, {{out.values.data(), DType::kF32, out.shape}}));
  return out;
}

// Equal bit patterns (nearest only selects input values).
::testing::AssertionResult Identical(const Output& expected, const Output& actual) {
  if (expected.shape != actual.shape) {
    return ::testing::AssertionFailure() << "shape " << ShapeString(actual.shape)
                                         << ", expected " << ShapeString(expected.shape);
  }
  for (size_t i = 0; i < expected.values.size(); ++i) {
    if (std::memcmp(&expected.values[i], &actual.values[i], sizeof(float)) != 0) {
      return ::testing::AssertionFailure() << "element " << i << " of "
                                           << expected.values.size() << ": " << actual.values[i]
                                           << " vs expected " << expected.values[i];
    }
  }
  return ::testing::AssertionSuccess();
}

struct ResizeCase {
  std::string name;
  Shape x;
  std::vector<float> scales;
  std::vector<int64_t> sizes;
};

std::vector<ResizeCase> ResizeCases() {
  return {
      {"up2", {1, 3, 7, 5}, {1, 1, 2, 2}, {}},
      {"up3", {2, 2, 4, 6}, {1, 1, 3, 3}, {}},
      {"down2", {1, 3, 9, 10}, {1, 1, 0.5f, 0.5f}, {}},
      {"mixed_fractional", {1, 2, 11, 7}, {1, 1, 1.7f, 0.6f}, {}},
      {"down_odd", {1, 2, 13, 17}, {1, 1, 0.3f, 0.45f}, {}},
      {"identity", {1, 2, 5, 6}, {1, 1, 1, 1}, {}},
      {"sizes_up", {1, 3, 7, 5}, {}, {1, 3, 17, 9}},
      {"sizes_down", {2, 3, 16, 21}, {}, {2, 3, 5, 8}},
      {"sizes_to_one", {1, 2, 6, 7}, {}, {1, 2, 1, 1}},
      {"from_one", {1, 2, 1, 1}, {}, {1, 2, 4, 3}},
      {"single_row", {1, 4, 1, 9}, {1, 1, 2, 2}, {}},
      {"ppocr_fpn_up2_threaded", {1, 32, 40, 40}, {1, 1, 2, 2}, {}},
      {"ppocr_fpn_up8", {1, 8, 20, 20}, {1, 1, 8, 8}, {}},
      {"channel_scale_fallback", {1, 2, 4, 4}, {1, 2, 2, 2}, {}},
      {"rank3_fallback", {2, 5, 6}, {1, 1, 2}, {}},
  };
}

TEST(OptimizedResizeTest, NearestMatchesReferenceExactly) {
  for (const char* coordinate : {"half_pixel", "pytorch_half_pixel", "align_corners",
                                 "asymmetric", "tf_half_pixel_for_nn"}) {
    for (const char* nearest : {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"}) {
      Attributes attributes;
      attributes.SetString("mode", "nearest");
      attributes.SetString("coordinate_transformation_mode", coordinate);
      attributes.SetString("nearest_mode", nearest);
      const KernelCreateArgs args{attributes, 13, 4, 1};
      for (const ResizeCase& c : ResizeCases()) {
        SCOPED_TRACE(c.name + " " + coordinate + " " + nearest);
        const Input x = RandomInput(c.x, 9);
        auto reference = nn::CreateResizeKernel(args);
        auto fast = optimized::CreateEwResizeKernel(args);
        ASSERT_TRUE(reference.ok() && fast.ok());
        auto expected = RunResize(reference->get(), x, c.scales, c.sizes, false);
        auto actual = RunResize(fast->get(), x, c.scales, c.sizes, false);
        ASSERT_TRUE(expected.ok()) << expected.status();
        ASSERT_TRUE(actual.ok()) << actual.status();
        EXPECT_TRUE(Identical(*expected, *actual));
      }
    }
  }
}

TEST(OptimizedResizeTest, LinearMatchesReference) {
  for (const char* coordinate : {"half_pixel", "pytorch_half_pixel", "align_corners",
                                 "asymmetric", "tf_half_pixel_for_nn"}) {
    Attributes attributes;
    attributes.SetString("mode", "linear");
    attributes.SetString("coordinate_transformation_mode", coordinate);
    const KernelCreateArgs args{attributes, 13, 4, 1};
    for (const ResizeCase& c : ResizeCases()) {
      SCOPED_TRACE(c.name + " " + coordinate);
      const Input x = RandomInput(c.x, 10);
      auto reference = nn::CreateResizeKernel(args);
      auto fast = optimized::CreateEwResizeKernel(args);
      ASSERT_TRUE(reference.ok() && fast.ok());
      auto expected = RunResize(reference->get(), x, c.scales, c.sizes, false);
      auto actual = RunResize(fast->get(), x, c.scales, c.sizes, false);
      ASSERT_TRUE(expected.ok()) << expected.status();
      ASSERT_TRUE(actual.ok()) << actual.status();
      EXPECT_TRUE(Near(*expected, *actual, 1e-5, 1e-6));
    }
  }
}

// Resize-10: asymmetric coordinates, nearest rounds down, scales is input 1.
TEST(OptimizedResizeTest, Resize10MatchesReference) {
  for (const char* mode : {"nearest", "linear"}) {
    Attributes attributes;
    attributes.SetString("mode", mode);
    const KernelCreateArgs args{attributes, 10, 2, 1};
    for (const ResizeCase& c : ResizeCases()) {
      if (c.scales.empty()) continue;
      SCOPED_TRACE(c.name + " " + mode);
      const Input x = RandomInput(c.x, 12);
      auto reference = nn::CreateResizeKernel(args);
      auto fast = optimized::CreateEwResizeKernel(args);
      ASSERT_TRUE(reference.ok() && fast.ok());
      auto expected = RunResize(reference->get(), x, c.scales, {}, true);
      auto actual = RunResize(fast->get(), x, c.scales, {}, true);
      ASSERT_TRUE(expected.ok()) << expected.status();
      ASSERT_TRUE(actual.ok()) << actual.status();
      EXPECT_TRUE(Near(*expected, *actual, 1e-5, 1e-6));
    }
  }
}

// Cubic, tf_crop_and_resize and exclude_outside run on the reference kernel.
TEST(OptimizedResizeTest, UncoveredAttributesDelegate) {
  std::vector<Attributes> cases(3);
  cases[0].SetString("mode", "cubic");
  cases[1].SetString("mode", "linear");
  cases[1].SetString("coordinate_transformation_mode", "tf_crop_and_resize");
  cases[1].SetFloat("extrapolation_value", 7.0f);
  cases[2].SetString("mode", "linear");
  cases[2].SetInt("exclude_outside", 1);
  for (const Attributes& attributes : cases) {
    const KernelCreateArgs args{attributes, 13, 4, 1};
    const Input x = RandomInput({1, 2, 5, 7}, 13);
    auto reference = nn::CreateResizeKernel(args);
    auto fast = optimized::CreateEwResizeKernel(args);
    ASSERT_TRUE(reference.ok() && fast.ok());
    auto expected = RunResize(reference->get(), x, {1, 1, 1.5f, 0.7f}, {}, false);
    auto actual = RunResize(fast->get(), x, {1, 1, 1.5f, 0.7f}, {}, false);
    ASSERT_TRUE(expected.ok() && actual.ok());
    EXPECT_TRUE(Identical(*expected, *actual));
  }
}

TEST(OptimizedResizeTest, SameErrorsAsReference) {
  Attributes bad_mode;
  bad_mode.SetString("mode", "bilinear");
  const KernelCreateArgs bad_args{bad_mode, 13, 4, 1};
  auto reference = nn::CreateResizeKernel(bad_args);
  auto fast = optimized::CreateEwResizeKernel(bad_args);
  ASSERT_FALSE(reference.ok());
  EXPECT_EQ(fast.status(), reference.status());

  const Attributes attributes;
  const KernelCreateArgs args{attributes, 13, 4, 1};
  auto reference2 = nn::CreateResizeKernel(args);
  auto fast2 = optimized::CreateEwResizeKernel(args);
  ASSERT_TRUE(reference2.ok() && fast2.ok());
  const Input x = RandomInput({1, 2, 3, 3}, 1);
  const absl::Status expected =
      RunResize(reference2->get(), x, {1, 1, 2}, {}, false).status();
  EXPECT_FALSE(expected.ok());
  EXPECT_EQ(RunResize(fast2->get(), x, {1, 1, 2}, {}, false).status(), expected);
}

// ---------------------------------------------------------------------------------------------
// Through the registry.

TEST(OptimizedNnExtraTest, RegistryPrefersOptimized) {
  for (const auto& [op, version] : std::vector<std::pair<const char*, int>>{
           {"ConvTranspose", 11}, {"BatchNormalization", 7}, {"BatchNormalization", 9},
           {"BatchNormalization", 15}, {"Resize", 10}, {"Resize", 11}, {"Resize", 13}}) {
    auto registration = OpRegistry::Builtin().Find("", op, version, /*prefer_optimized=*/true);
    ASSERT_TRUE(registration.ok()) << op << " " << version;
    EXPECT_EQ((*registration)->variant, KernelVariant::kOptimized) << op << " " << version;
  }
}

// Training-mode BatchNormalization is rejected by both variants (nn_onnx_test.cc checks it).
bool IsTrainingModeTest(const std::string& name) {
  return name.find("training_mode") != std::string::npos;
}

TEST(OptimizedNnExtraTest, OnnxNodeTests) {
  for (const char* op : {"ConvTranspose", "BatchNormalization", "Resize"}) {
    const std::vector<std::string> tests = testing::OnnxNodeTestsForOp(op);
    EXPECT_FALSE(tests.empty()) << op;
    for (const std::string& t : tests) {
      if (IsTrainingModeTest(t)) continue;
      EXPECT_TRUE(testing::RunOnnxNodeTest(t, 1e-3, 1e-7, /*prefer_optimized=*/true)) << t;
    }
  }
}

}  // namespace
}  // namespace hb_dnn::kernels
