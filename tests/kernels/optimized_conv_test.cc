// The optimized Conv kernel against the reference kernel, for every ISA level this CPU runs, on
// geometries that exercise every path: pointwise GEMM, im2col GEMM (normal and transposed
// orientation, with and without K blocking), groups, the depthwise kernel (strides, dilations,
// multipliers, odd kernels), 1-D convolutions, auto_pad, batches, non-constant weights, and the
// reference fallback (3-D). Plus the ONNX node tests through the registry.

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/base/cpu_features.h"
#include "src/base/parallel_for.h"
#include "src/kernels/op_registry.h"
#include "src/kernels/optimized/optimized_kernels.h"
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

struct ConvCase {
  std::string name;
  Shape x;  // N, C, spatial...
  int64_t out_channels = 1;
  std::vector<int64_t> kernel;
  std::vector<int64_t> strides;
  std::vector<int64_t> dilations;
  std::vector<int64_t> pads;
  int64_t group = 1;
  std::string auto_pad;
  bool bias = true;
  bool constant_weights = true;
};

// Builder shorthand: Case(name, x, M, kernel).Strides(...)...
struct Case : ConvCase {
  Case(std::string n, Shape x_shape, int64_t m, std::vector<int64_t> k) {
    name = std::move(n);
    x = std::move(x_shape);
    out_channels = m;
    kernel = std::move(k);
  }
  Case& Strides(std::vector<int64_t> v) { strides = std::move(v); return *this; }
  Case& Dilations(std::vector<int64_t> v) { dilations = std::move(v); return *this; }
  Case& Pads(std::vector<int64_t> v) { pads = std::move(v); return *this; }
  Case& Group(int64_t v) { group = v; return *this; }
  Case& AutoPad(std::string v) { auto_pad = std::move(v); return *this; }
  Case& NoBias() { bias = false; return *this; }
  Case& RuntimeWeights() { constant_weights = false; return *this; }
};

std::vector<ConvCase> Cases() {
  return {
      // Pointwise (1x1, stride 1): the input is the GEMM's B matrix.
      Case("pointwise_odd", {1, 16, 13, 13}, 24, {1, 1}),
      Case("pointwise_expand", {1, 16, 28, 28}, 96, {1, 1}),
      Case("pointwise_tiny", {1, 1, 1, 1}, 1, {1, 1}),
      Case("pointwise_small_hw_transposed", {1, 96, 7, 7}, 160, {1, 1}),
      Case("pointwise_deep_k_blocks", {1, 700, 5, 9}, 37, {1, 1}),
      Case("pointwise_stride2", {1, 32, 14, 14}, 64, {1, 1}).Strides({2, 2}),
      Case("pointwise_padded", {1, 8, 6, 5}, 9, {1, 1}).Pads({1, 0, 0, 2}),
      // im2col GEMM.
      Case("first_conv_s2", {1, 3, 224, 224}, 32, {3, 3}).Strides({2, 2}).Pads({1, 1, 1, 1}),
      Case("k3_s1_p1", {1, 3, 37, 37}, 32, {3, 3}).Pads({1, 1, 1, 1}),
      Case("k3_c64_k_blocked", {1, 64, 28, 28}, 64, {3, 3}).Pads({1, 1, 1, 1}),
      Case("k3_small_hw_transposed", {1, 256, 7, 7}, 40, {3, 3}).Pads({1, 1, 1, 1}),
      Case("resnet_last", {1, 512, 7, 7}, 512, {3, 3}).Pads({1, 1, 1, 1}),
      Case("k5_s1_p2", {1, 6, 19, 17}, 11, {5, 5}).Pads({2, 2, 2, 2}),
      Case("k7_s2_p3", {1, 3, 40, 40}, 16, {7, 7}).Strides({2, 2}).Pads({3, 3, 3, 3}),
      Case("dilated", {1, 5, 21, 23}, 7, {3, 3}).Dilations({2, 2}).Pads({2, 2, 2, 2}),
      Case("dilation_stride_mix", {1, 4, 25, 19}, 9, {3, 2}).Dilations({2, 3}).Strides({2, 1}),
      Case("asymmetric_pads", {1, 4, 11, 10}, 6, {3, 3}).Pads({0, 1, 2, 1}),
      Case("non_square_kernel", {1, 3, 15, 16}, 5, {1, 5}).Pads({0, 2, 0, 2}),
      Case("no_bias", {1, 8, 9, 9}, 8, {3, 3}).NoBias(),
      Case("batch3", {3, 6, 10, 11}, 10, {3, 3}).Pads({1, 1, 1, 1}),
      Case("runtime_weights", {2, 5, 9, 8}, 7, {3, 3}).Pads({1, 1, 1, 1}).RuntimeWeights(),
      Case("runtime_weights_transposed", {1, 64, 5, 5}, 48, {3, 3}).RuntimeWeights(),
      Case("same_upper", {1, 3, 10, 9}, 4, {4, 3}).Strides({2, 2}).AutoPad("SAME_UPPER"),
      Case("same_lower", {1, 3, 10, 9}, 4, {4, 3}).Strides({2, 2}).AutoPad("SAME_LOWER"),
      Case("valid", {1, 3, 10, 9}, 4, {3, 3}).Strides({2, 2}).AutoPad("VALID"),
      // Groups.
      Case("group2", {1, 8, 12, 12}, 12, {3, 3}).Group(2).Pads({1, 1, 1, 1}),
      Case("group4_batch2", {2, 16, 9, 7}, 8, {3, 3}).Group(4),
      Case("group_big", {1, 64, 14, 14}, 64, {3, 3}).Group(2).Pads({1, 1, 1, 1}),
      // Depthwise.
      Case("dw3_s1", {1, 32, 17, 19}, 32, {3, 3}).Group(32).Pads({1, 1, 1, 1}),
      Case("dw3_s2_even", {1, 16, 16, 16}, 16, {3, 3}).Group(16).Strides({2, 2}).Pads({1, 1, 1, 1}),
      Case("dw3_s2_odd", {1, 16, 15, 15}, 16, {3, 3}).Group(16).Strides({2, 2}).Pads({1, 1, 1, 1}),
      Case("dw3_wide_row", {1, 4, 5, 131}, 4, {3, 3}).Group(4).Pads({1, 1, 1, 1}),
      Case("dw3_tiny", {1, 3, 1, 1}, 3, {3, 3}).Group(3).Pads({1, 1, 1, 1}),
      Case("dw5_s2", {2, 8, 20, 21}, 8, {5, 5}).Group(8).Strides({2, 2}).Pads({2, 2, 2, 2}),
      Case("dw7", {1, 4, 14, 14}, 4, {7, 7}).Group(4).Pads({3, 3, 3, 3}),
      Case("dw_dilated", {1, 6, 18, 18}, 6, {3, 3}).Group(6).Dilations({2, 3}).Pads({2, 3, 2, 3}),
      Case("dw_multiplier2", {1, 8, 11, 12}, 16, {3, 3}).Group(8).Pads({1, 1, 1, 1}),
      Case("dw_stride3_asym", {1, 5, 23, 29}, 5, {3, 5}).Group(5).Strides({3, 3}).Pads({0, 2, 1, 1}),
      Case("dw_no_bias_no_pad", {1, 7, 9, 10}, 7, {3, 3}).Group(7).NoBias(),
      Case("dw_single_channel", {1, 1, 12, 12}, 4, {3, 3}).Pads({1, 1, 1, 1}),
      Case("dw_runtime_weights", {1, 8, 10, 10}, 8, {3, 3}).Group(8).RuntimeWeights(),
      // Depthwise, wide rows (the flat form; the cases above take the channel-blocked one).
      Case("dw3_s2_wide", {1, 6, 9, 141}, 6, {3, 3}).Group(6).Strides({2, 2}).Pads({1, 1, 1, 1}),
      Case("dw5_wide_dilated", {1, 3, 8, 150}, 3, {5, 5}).Group(3).Dilations({2, 2}).Pads({4, 4, 4, 4}),
      Case("dw_wide_multiplier", {1, 4, 6, 100}, 8, {3, 3}).Group(4).Pads({1, 1, 1, 1}),
      Case("dw_wide_stride_h", {2, 5, 11, 97}, 5, {3, 3}).Group(5).Strides({2, 1}).Pads({0, 1, 2, 1}),
      Case("dw7_wide", {1, 2, 9, 80}, 2, {7, 7}).Group(2).Pads({3, 3, 3, 3}).NoBias(),
      // 1-D.
      Case("conv1d", {2, 5, 33}, 7, {3}).Strides({2}).Pads({1, 1}),
      Case("conv1d_depthwise", {1, 6, 40}, 6, {5}).Group(6).Pads({2, 2}),
      // 3-D: the reference fallback.
      Case("conv3d_fallback", {1, 2, 5, 6, 7}, 3, {3, 3, 3}).Pads({1, 1, 1, 1, 1, 1}),
  };
}

Attributes ConvAttributes(const ConvCase& c) {
  Attributes a;
  if (!c.strides.empty()) a.SetInts("strides", c.strides);
  if (!c.dilations.empty()) a.SetInts("dilations", c.dilations);
  if (!c.pads.empty()) a.SetInts("pads", c.pads);
  if (c.group != 1) a.SetInt("group", c.group);
  if (!c.auto_pad.empty()) a.SetString("auto_pad", c.auto_pad);
  a.SetInts("kernel_shape", c.kernel);
  return a;
}

std::vector<Input> ConvInputs(const ConvCase& c) {
  Shape w = {c.out_channels, c.x[1] / c.group};
  w.insert(w.end(), c.kernel.begin(), c.kernel.end());
  std::vector<Input> inputs = {RandomInput(c.x, 1), RandomInput(w, 2, c.constant_weights)};
  if (c.bias) inputs.push_back(RandomInput({c.out_channels}, 3, true));
  return inputs;
}

// fp32 sums in a different order than the reference's double sums.
constexpr double kRtol = 1e-5;
double Atol(const ConvCase& c) {
  int64_t k = c.x[1] / c.group;
  for (int64_t v : c.kernel) k *= v;
  return 1e-6 * std::sqrt(static_cast<double>(k)) + 1e-6;
}

struct ConvParam {
  ConvCase conv;
  IsaLevel isa;
  int threads;  // 0: the default
};

std::string ParamName(const ::testing::TestParamInfo<ConvParam>& info) {
  return info.param.conv.name + "_" + IsaLevelName(info.param.isa) +
         (info.param.threads == 1 ? "_1thread" : "");
}

std::vector<ConvParam> Params() {
  std::vector<ConvParam> params;
  for (const ConvCase& c : Cases()) {
    for (IsaLevel isa : IsaLevelsToTest()) {
      params.push_back({c, isa, 0});
      params.push_back({c, isa, 1});
    }
  }
  return params;
}

class OptimizedConvTest : public ::testing::TestWithParam<ConvParam> {};

TEST_P(OptimizedConvTest, MatchesReference) {
  const ConvParam& p = GetParam();
  const Attributes attributes = ConvAttributes(p.conv);
  const KernelCreateArgs args{attributes, 11, p.conv.bias ? 3 : 2, 1};
  const std::vector<Input> inputs = ConvInputs(p.conv);
  auto reference = nn::CreateConvKernel(args);
  ASSERT_TRUE(reference.ok()) << reference.status();
  auto expected = PrepareAndRun(reference->get(), inputs);
  ASSERT_TRUE(expected.ok()) << expected.status();

  std::unique_ptr<ScopedParallelismLimit> limit;
  if (p.threads > 0) limit = std::make_unique<ScopedParallelismLimit>(p.threads);
  auto kernel = optimized::CreateConvKernelForIsa(args, p.isa);
  ASSERT_TRUE(kernel.ok()) << kernel.status();
  auto actual = PrepareAndRun(kernel->get(), inputs);
  ASSERT_TRUE(actual.ok()) << actual.status();
  EXPECT_TRUE(Near(*expected, *actual, kRtol, Atol(p.conv)));

  // Prepare again (a kernel may be re-prepared) and run twice: results must not change.
  auto again = PrepareAndRun(kernel->get(), inputs);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->values, actual->values);
}

INSTANTIATE_TEST_SUITE_P(Cases, OptimizedConvTest, ::testing::ValuesIn(Params()), ParamName);

TEST(OptimizedConvFusion, ClampsOutput) {
  for (const ConvCase& c :
       {ConvCase(Case("gemm", {1, 8, 9, 9}, 8, {3, 3}).Pads({1, 1, 1, 1})),
        ConvCase(Case("gemm_transposed", {1, 64, 5, 5}, 48, {3, 3}).Pads({1, 1, 1, 1})),
        ConvCase(Case("pointwise", {1, 8, 9, 9}, 24, {1, 1})),
        ConvCase(Case("dw_blocked", {1, 8, 9, 9}, 8, {3, 3}).Group(8)),
        ConvCase(Case("dw_flat", {1, 4, 5, 100}, 4, {3, 3}).Group(4).Pads({1, 1, 1, 1})),
        ConvCase(Case("ref3d", {1, 2, 4, 4, 4}, 2, {3, 3, 3}))}) {
    SCOPED_TRACE(c.name);
    const Attributes attributes = ConvAttributes(c);
    const KernelCreateArgs args{attributes, 11, 3, 1};
    const std::vector<Input> inputs = ConvInputs(c);
    auto reference = nn::CreateConvKernel(args);
    ASSERT_TRUE(reference.ok());
    auto expected = PrepareAndRun(reference->get(), inputs);
    ASSERT_TRUE(expected.ok());
    for (float& v : expected->values) v = std::min(std::max(v, 0.0f), 0.5f);
    auto kernel = optimized::CreateConvKernel(args);
    ASSERT_TRUE(kernel.ok());
    ASSERT_TRUE(optimized::SetConvFusedActivation(kernel->get(), {0.0f, 0.5f}));
    auto actual = PrepareAndRun(kernel->get(), inputs);
    ASSERT_TRUE(actual.ok()) << actual.status();
    EXPECT_TRUE(Near(*expected, *actual, kRtol, Atol(c)));
  }
  auto gemm = optimized::CreateGemmKernel({Attributes(), 13, 2, 1});
  ASSERT_TRUE(gemm.ok());
  EXPECT_FALSE(optimized::SetConvFusedActivation(gemm->get(), {0.0f, 6.0f}));
}

TEST(OptimizedConvRegistry, PreferOptimizedPicksTheOptimizedVariant) {
  const OpRegistry& registry = OpRegistry::Builtin();
  for (int version : {1, 11, 17}) {
    auto optimized = registry.Find("", "Conv", version, /*prefer_optimized=*/true);
    ASSERT_TRUE(optimized.ok());
    EXPECT_EQ((*optimized)->variant, KernelVariant::kOptimized);
    auto reference = registry.Find("", "Conv", version, /*prefer_optimized=*/false);
    ASSERT_TRUE(reference.ok());
    EXPECT_EQ((*reference)->variant, KernelVariant::kReference);
  }
}

TEST(OptimizedConvRegistry, ErrorsMatchTheReference) {
  Attributes attributes;
  attributes.SetInt("group", 3);
  const KernelCreateArgs args{attributes, 11, 2, 1};
  auto reference = nn::CreateConvKernel(args);
  auto kernel = optimized::CreateConvKernel(args);
  ASSERT_TRUE(reference.ok() && kernel.ok());
  const std::vector<Input> inputs = {RandomInput({1, 4, 5, 5}, 1),
                                     RandomInput({2, 2, 3, 3}, 2, true)};
  auto expected = PrepareAndRun(reference->get(), inputs);
  auto actual = PrepareAndRun(kernel->get(), inputs);
  ASSERT_FALSE(expected.ok());
  ASSERT_FALSE(actual.ok());
  EXPECT_EQ(actual.status(), expected.status());
}

TEST(OptimizedConvOnnx, NodeTests) {
  const std::vector<std::string> tests = testing::OnnxNodeTestsForOp("Conv");
  EXPECT_FALSE(tests.empty());
  for (const std::string& t : tests) {
    EXPECT_TRUE(testing::RunOnnxNodeTest(t, 1e-3, 1e-7, /*prefer_optimized=*/true));
  }
}

}  // namespace
}  // namespace hb_dnn::kernels
