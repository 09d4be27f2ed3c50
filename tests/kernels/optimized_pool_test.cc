// The optimized MaxPool and GlobalAveragePool kernels against the reference kernels, for every
// ISA level this CPU runs: kernels 1-3 and wider, strides 1-3, symmetric and asymmetric pads,
// ceil_mode, auto_pad, windows that cover only padding, NaN and signed zeros, planes large
// enough to be split over threads, the reference fallback (Indices output, dilations, 1-D,
// other types), and the ONNX node tests through the registry.

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/base/cpu_features.h"
#include "src/kernels/op_registry.h"
#include "src/kernels/optimized/ew_kernels.h"
#include "src/kernels/reference/nn_kernels.h"
#include "tests/kernels/onnx_node_runner.h"
#include "tests/kernels/optimized_test_util.h"

namespace hb_dnn::kernels {
namespace {

using optimized_test::Input;
using optimized_test::IsaLevelsToTest;
using optimized_test::Near;
using optimized_test::Output;
using optimized_test::PrepareAndRun;
using optimized_test::RandomInput;

// Equal bit patterns or both NaN (MaxPool only selects input values).
::testing::AssertionResult Identical(const Output& expected, const Output& actual) {
  if (expected.shape != actual.shape) {
    return ::testing::AssertionFailure() << "shape " << ShapeString(actual.shape)
                                         << ", expected " << ShapeString(expected.shape);
  }
  for (size_t i = 0; i < expected.values.size(); ++i) {
    const float e = expected.values[i];
    const float a = actual.values[i];
    if (std::isnan(e) && std::isnan(a)) continue;
    if (std::memcmp(&e, &a, sizeof(float)) != 0) {
      return ::testing::AssertionFailure() << "element " << i << " of "
                                           << expected.values.size() << ": " << a
                                           << " vs expected " << e;
    }
  }
  return ::testing::AssertionSuccess();
}

struct PoolCase {
  std::string name;
  Shape x;
  std::vector<int64_t> kernel;
  std::vector<int64_t> strides;
  std::vector<int64_t> pads;
  std::vector<int64_t> dilations;
  bool ceil_mode = false;
  std::string auto_pad;
};

struct Case : PoolCase {
  Case(std::string n, Shape x_shape, std::vector<int64_t> k) {
    name = std::move(n);
    x = std::move(x_shape);
    kernel = std::move(k);
  }
  Case& Strides(std::vector<int64_t> v) { strides = std::move(v); return *this; }
  Case& Pads(std::vector<int64_t> v) { pads = std::move(v); return *this; }
  Case& Dilations(std::vector<int64_t> v) { dilations = std::move(v); return *this; }
  Case& Ceil() { ceil_mode = true; return *this; }
  Case& AutoPad(std::string v) { auto_pad = std::move(v); return *this; }
};

std::vector<PoolCase> MaxPoolCases() {
  return {
      Case("k2_s2", {1, 3, 16, 16}, {2, 2}).Strides({2, 2}),
      Case("k2_s2_odd", {2, 3, 17, 37}, {2, 2}).Strides({2, 2}),
      Case("k3_s2_squeezenet_ceil", {1, 5, 55, 55}, {3, 3}).Strides({2, 2}).Ceil(),
      Case("k3_s2_ceil_even", {1, 4, 56, 58}, {3, 3}).Strides({2, 2}).Ceil(),
      Case("k3_s2_p1_resnet", {1, 4, 112, 112}, {3, 3}).Strides({2, 2}).Pads({1, 1, 1, 1}),
      Case("k3_s1_p1", {1, 3, 19, 41}, {3, 3}).Pads({1, 1, 1, 1}),
      Case("k3_s1_valid", {1, 2, 9, 70}, {3, 3}),
      Case("k5_s1_p2_yolo_sppf", {1, 4, 10, 10}, {5, 5}).Pads({2, 2, 2, 2}),
      Case("asymmetric_pads", {1, 3, 15, 33}, {3, 2}).Strides({2, 1}).Pads({0, 1, 2, 1}),
      Case("k1", {1, 3, 7, 9}, {1, 1}),
      Case("k1_s2", {1, 3, 7, 9}, {1, 1}).Strides({2, 2}),
      Case("stride3", {1, 3, 31, 47}, {3, 3}).Strides({3, 3}).Pads({1, 1, 1, 1}),
      Case("wide_kernel", {1, 2, 6, 40}, {2, 7}).Strides({1, 2}).Pads({0, 3, 1, 3}),
      Case("kernel_wider_than_input_padded", {1, 2, 3, 3}, {4, 4}).Pads({1, 1, 1, 1}),
      Case("pads_cover_windows", {1, 2, 5, 5}, {3, 3}).Pads({2, 2, 2, 2}),
      Case("ceil_padded", {1, 2, 10, 11}, {3, 3}).Strides({2, 2}).Pads({1, 1, 1, 1}).Ceil(),
      Case("same_upper", {1, 3, 13, 14}, {3, 3}).Strides({2, 2}).AutoPad("SAME_UPPER"),
      Case("same_lower", {1, 3, 13, 14}, {2, 2}).Strides({2, 2}).AutoPad("SAME_LOWER"),
      Case("tiny", {1, 1, 1, 1}, {1, 1}),
      Case("single_column", {1, 2, 9, 1}, {2, 1}),
      Case("large_threaded", {2, 64, 56, 57}, {3, 3}).Strides({2, 2}).Ceil(),
      Case("dilated_fallback", {1, 2, 12, 12}, {2, 2}).Dilations({2, 2}),
      Case("one_d_fallback", {1, 3, 25}, {3}).Strides({2}),
  };
}

Attributes PoolAttributes(const PoolCase& c) {
  Attributes a;
  a.SetInts("kernel_shape", c.kernel);
  if (!c.strides.empty()) a.SetInts("strides", c.strides);
  if (!c.pads.empty()) a.SetInts("pads", c.pads);
  if (!c.dilations.empty()) a.SetInts("dilations", c.dilations);
  if (c.ceil_mode) a.SetInt("ceil_mode", 1);
  if (!c.auto_pad.empty()) a.SetString("auto_pad", c.auto_pad);
  return a;
}

// Random values with NaNs, signed zeros and ties sprinkled in.
Input PoolInput(const Shape& shape, uint32_t seed) {
  Input input = RandomInput(shape, seed);
  for (size_t i = 0; i < input.values.size(); ++i) {
    if (i % 97 == 5) input.values[i] = std::numeric_limits<float>::quiet_NaN();
    if (i % 13 == 2) input.values[i] = -0.0f;
    if (i % 13 == 3) input.values[i] = 0.0f;
    if (i % 11 == 4) input.values[i] = 0.5f;
  }
  return input;
}

TEST(OptimizedPoolTest, MaxPoolMatchesReferenceExactly) {
  for (const PoolCase& c : MaxPoolCases()) {
    const Attributes attributes = PoolAttributes(c);
    const KernelCreateArgs args{attributes, 12, 1, 1};
    for (IsaLevel isa : IsaLevelsToTest()) {
      SCOPED_TRACE(c.name + " " + IsaLevelName(isa));
      for (uint32_t seed : {1u, 2u}) {
        const std::vector<Input> inputs = {seed == 1 ? PoolInput(c.x, seed)
                                                     : RandomInput(c.x, seed)};
        auto reference = nn::CreateMaxPoolKernel(args);
        auto fast = optimized::CreatePoolMaxPoolKernel(args, isa);
        ASSERT_TRUE(reference.ok()) << reference.status();
        ASSERT_TRUE(fast.ok()) << fast.status();
        auto expected = PrepareAndRun(reference->get(), inputs);
        auto actual = PrepareAndRun(fast->get(), inputs);
        ASSERT_TRUE(expected.ok()) << expected.status();
        ASSERT_TRUE(actual.ok()) << actual.status();
        EXPECT_TRUE(Identical(*expected, *actual));
      }
    }
  }
}

// With the Indices output the optimized kernel runs the reference one.
TEST(OptimizedPoolTest, MaxPoolIndicesDelegates) {
  Attributes attributes;
  attributes.SetInts("kernel_shape", {2, 2});
  attributes.SetInts("strides", {2, 2});
  const KernelCreateArgs args{attributes, 12, 1, 2};
  auto fast = optimized::CreatePoolMaxPoolKernel(args, ActiveIsaLevel());
  ASSERT_TRUE(fast.ok());
  std::vector<TensorInfo> outputs;
  ASSERT_TRUE((*fast)->Prepare({{DType::kF32, {1, 1, 2, 4}, nullptr}}, &outputs).ok());
  ASSERT_EQ(outputs.size(), 2u);
  const std::vector<float> x = {1, 5, 2, 3, 4, 0, 8, 7};
  std::vector<float> y(2);
  std::vector<int64_t> indices(2);
  ASSERT_TRUE((*fast)
                  ->Run({{x.data(), DType::kF32, {1, 1, 2, 4}}},
                        {{y.data(), DType::kF32, {1, 1, 1, 2}},
                         {indices.data(), DType::kI64, {1, 1, 1, 2}}})
                  .ok());
  EXPECT_EQ(y, (std::vector<float>{5, 8}));
  EXPECT_EQ(indices, (std::vector<int64_t>{1, 6}));
}

TEST(OptimizedPoolTest, MaxPoolSameErrorsAsReference) {
  Attributes no_kernel;
  const KernelCreateArgs args{no_kernel, 12, 1, 1};
  auto reference = nn::CreateMaxPoolKernel(args);
  auto fast = optimized::CreatePoolMaxPoolKernel(args, ActiveIsaLevel());
  ASSERT_FALSE(reference.ok());
  EXPECT_EQ(fast.status(), reference.status());

  Attributes attributes;
  attributes.SetInts("kernel_shape", {5, 5});
  const KernelCreateArgs ok_args{attributes, 12, 1, 1};
  auto reference2 = nn::CreateMaxPoolKernel(ok_args);
  auto fast2 = optimized::CreatePoolMaxPoolKernel(ok_args, ActiveIsaLevel());
  ASSERT_TRUE(reference2.ok() && fast2.ok());
  std::vector<TensorInfo> outputs;
  const std::vector<TensorInfo> small = {{DType::kF32, {1, 1, 3, 3}, nullptr}};
  const absl::Status expected = (*reference2)->Prepare(small, &outputs);
  EXPECT_FALSE(expected.ok());
  EXPECT_EQ((*fast2)->Prepare(small, &outputs), expected);
  const std::vector<TensorInfo> rank3 = {{DType::kF32, {1, 3, 3}, nullptr}};
  EXPECT_EQ((*fast2)->Prepare(rank3, &outputs), (*reference2)->Prepare(rank3, &outputs));
}

TEST(OptimizedPoolTest, GlobalAveragePoolMatchesReference) {
  const std::vector<Shape> shapes = {{1, 5, 7, 7},  {2, 3, 1, 1},  {1, 4, 13},
                                     {1, 1, 3, 5},  {1, 512, 7, 7}, {2, 64, 40, 40}};
  const Attributes attributes;
  const KernelCreateArgs args{attributes, 1, 1, 1};
  for (const Shape& shape : shapes) {
    SCOPED_TRACE(ShapeString(shape));
    const std::vector<Input> inputs = {RandomInput(shape, 3)};
    auto reference = nn::CreateGlobalAveragePoolKernel(args);
    auto fast = optimized::CreatePoolGlobalAveragePoolKernel(args);
    ASSERT_TRUE(reference.ok() && fast.ok());
    auto expected = PrepareAndRun(reference->get(), inputs);
    auto actual = PrepareAndRun(fast->get(), inputs);
    ASSERT_TRUE(expected.ok()) << expected.status();
    ASSERT_TRUE(actual.ok()) << actual.status();
    EXPECT_TRUE(Near(*expected, *actual, 1e-6, 1e-9));
  }
}

TEST(OptimizedPoolTest, RegistryPrefersOptimized) {
  for (const char* op : {"MaxPool", "GlobalAveragePool"}) {
    auto registration = OpRegistry::Builtin().Find("", op, 12, /*prefer_optimized=*/true);
    ASSERT_TRUE(registration.ok()) << op;
    EXPECT_EQ((*registration)->variant, KernelVariant::kOptimized) << op;
  }
}

TEST(OptimizedPoolTest, OnnxNodeTests) {
  for (const char* op : {"MaxPool", "GlobalAveragePool"}) {
    const std::vector<std::string> tests = testing::OnnxNodeTestsForOp(op);
    EXPECT_FALSE(tests.empty()) << op;
    for (const std::string& t : tests) {
      EXPECT_TRUE(testing::RunOnnxNodeTest(t, 1e-3, 1e-7, /*prefer_optimized=*/true)) << t;
    }
  }
}

}  // namespace
}  // namespace hb_dnn::kernels
