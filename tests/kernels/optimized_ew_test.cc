// The optimized elementwise kernels (Relu, LeakyRelu, Clip, Sigmoid, HardSigmoid, HardSwish,
// Tanh, Add, Sub, Mul, Div) against the reference kernels, for every ISA level this CPU runs:
// lengths around the vector widths, special values (NaN, infinities, signed zeros), broadcast
// patterns (same shape, scalars, per-channel planes, row vectors, two-sided), tensors large
// enough to be split over threads, the reference fallback for other element types, identical
// errors, the exp approximation's error over a dense sweep, and the ONNX node tests through the
// registry.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/base/cpu_features.h"
#include "src/kernels/op_registry.h"
#include "src/kernels/optimized/ew_isa.h"
#include "src/kernels/optimized/ew_kernels.h"
#include "src/kernels/reference/elementwise_kernels.h"
#include "tests/kernels/onnx_node_runner.h"
#include "tests/kernels/optimized_test_util.h"

namespace hb_dnn::kernels {
namespace {

using optimized::ew::BinaryOp;
using optimized::ew::UnaryOp;
using optimized_test::Input;
using optimized_test::IsaLevelsToTest;
using optimized_test::Output;
using optimized_test::PrepareAndRun;
using optimized_test::RandomInput;

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNan = std::numeric_limits<float>::quiet_NaN();

// Equal bit patterns, or both NaN: the fast paths that do the reference's arithmetic must
// reproduce it exactly, signed zeros included.
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

// Within atol + rtol * |expected|, or equal (infinities), or both NaN.
::testing::AssertionResult Close(const Output& expected, const Output& actual, double rtol,
                                 double atol) {
  if (expected.shape != actual.shape) {
    return ::testing::AssertionFailure() << "shape " << ShapeString(actual.shape)
                                         << ", expected " << ShapeString(expected.shape);
  }
  for (size_t i = 0; i < expected.values.size(); ++i) {
    const double e = expected.values[i];
    const double a = actual.values[i];
    if (a == e || (std::isnan(e) && std::isnan(a))) continue;
    if (!(std::fabs(a - e) <= atol + rtol * std::fabs(e))) {
      return ::testing::AssertionFailure() << "element " << i << " of "
                                           << expected.values.size() << ": " << a
                                           << " vs expected " << e;
    }
  }
  return ::testing::AssertionSuccess();
}

// Values in [-scale, scale) with the special ones sprinkled in.
Input SpecialInput(Shape shape, uint32_t seed, float scale) {
  Input input = RandomInput(std::move(shape), seed);
  const float specials[] = {0.0f, -0.0f, kNan, kInf, -kInf, 1e-40f, -1e-40f, 88.0f, -88.0f,
                            100.0f, -100.0f, 3.0f, -3.0f, 6.0f, -6.0f};
  for (size_t i = 0; i < input.values.size(); ++i) {
    input.values[i] *= scale;
    if (i % 7 == 3) input.values[i] = specials[(i / 7) % (sizeof(specials) / sizeof(float))];
  }
  return input;
}

elementwise::UnaryOp ReferenceUnary(UnaryOp op) {
  switch (op) {
    case UnaryOp::kRelu: return elementwise::UnaryOp::kRelu;
    case UnaryOp::kLeakyRelu: return elementwise::UnaryOp::kLeakyRelu;
    case UnaryOp::kSigmoid: return elementwise::UnaryOp::kSigmoid;
    case UnaryOp::kHardSigmoid: return elementwise::UnaryOp::kHardSigmoid;
    case UnaryOp::kHardSwish: return elementwise::UnaryOp::kHardSwish;
    case UnaryOp::kTanh: return elementwise::UnaryOp::kTanh;
    case UnaryOp::kClip: break;
  }
  return elementwise::UnaryOp::kRelu;
}

std::unique_ptr<OpKernel> ReferenceUnaryKernel(UnaryOp op, const KernelCreateArgs& args) {
  auto kernel = op == UnaryOp::kClip ? elementwise::Clip::Create(args)
                                     : elementwise::CreateUnaryKernel(ReferenceUnary(op), args);
  EXPECT_TRUE(kernel.ok()) << kernel.status();
  return kernel.ok() ? std::move(*kernel) : nullptr;
}

struct UnaryCase {
  std::string name;
  UnaryOp op;
  Attributes attributes;
  int opset = 13;
  std::vector<Input> extra_inputs;  // Clip's bounds
};

std::vector<UnaryCase> UnaryCases() {
  std::vector<UnaryCase> cases;
  cases.push_back({"relu", UnaryOp::kRelu, {}, 14, {}});
  Attributes leaky;
  leaky.SetFloat("alpha", 0.1f);
  cases.push_back({"leaky_relu", UnaryOp::kLeakyRelu, leaky, 6, {}});
  cases.push_back({"leaky_relu_default", UnaryOp::kLeakyRelu, {}, 16, {}});
  cases.push_back({"sigmoid", UnaryOp::kSigmoid, {}, 13, {}});
  cases.push_back({"tanh", UnaryOp::kTanh, {}, 13, {}});
  Attributes hard_sigmoid;
  hard_sigmoid.SetFloat("alpha", 0.3f);
  hard_sigmoid.SetFloat("beta", 0.4f);
  cases.push_back({"hard_sigmoid", UnaryOp::kHardSigmoid, hard_sigmoid, 6, {}});
  cases.push_back({"hard_swish", UnaryOp::kHardSwish, {}, 14, {}});
  Attributes clip6;
  clip6.SetFloat("min", 0.0f);
  clip6.SetFloat("max", 6.0f);
  cases.push_back({"clip_attributes", UnaryOp::kClip, clip6, 6, {}});
  cases.push_back({"clip_attributes_default", UnaryOp::kClip, {}, 6, {}});
  auto scalar = [](float v) {
    Input input;
    input.shape = {};
    input.values = {v};
    return input;
  };
  cases.push_back({"clip_inputs", UnaryOp::kClip, {}, 13, {scalar(0.0f), scalar(6.0f)}});
  cases.push_back({"clip_min_only", UnaryOp::kClip, {}, 11, {scalar(-0.5f)}});
  cases.push_back(
      {"clip_max_only", UnaryOp::kClip, {}, 12, {optimized_test::Absent(), scalar(0.25f)}});
  cases.push_back({"clip_min_above_max", UnaryOp::kClip, {}, 13, {scalar(1.0f), scalar(-1.0f)}});
  cases.push_back({"clip_no_bounds", UnaryOp::kClip, {}, 13, {}});
  return cases;
}

bool IsTranscendental(UnaryOp op) { return op == UnaryOp::kSigmoid || op == UnaryOp::kTanh; }

TEST(OptimizedEwTest, UnaryMatchesReference) {
  const std::vector<Shape> shapes = {{1},  {7},      {8},        {15},           {16},
                                     {17}, {31},     {33},       {3, 5, 7},      {2, 16, 9, 9},
                                     {},   {0, 4},   {1, 24, 57, 59}};
  for (const UnaryCase& c : UnaryCases()) {
    const int num_inputs = 1 + static_cast<int>(c.extra_inputs.size());
    const KernelCreateArgs args{c.attributes, c.opset, num_inputs, 1};
    for (IsaLevel isa : IsaLevelsToTest()) {
      for (size_t s = 0; s < shapes.size(); ++s) {
        SCOPED_TRACE(c.name + " " + IsaLevelName(isa) + " " + ShapeString(shapes[s]));
        std::vector<Input> inputs = {SpecialInput(shapes[s], static_cast<uint32_t>(s), 8.0f)};
        inputs.insert(inputs.end(), c.extra_inputs.begin(), c.extra_inputs.end());
        std::unique_ptr<OpKernel> reference = ReferenceUnaryKernel(c.op, args);
        auto fast = optimized::CreateEwUnaryKernel(c.op, args, isa);
        ASSERT_TRUE(fast.ok()) << fast.status();
        auto expected = PrepareAndRun(reference.get(), inputs);
        auto actual = PrepareAndRun(fast->get(), inputs);
        ASSERT_TRUE(expected.ok()) << expected.status();
        ASSERT_TRUE(actual.ok()) << actual.status();
        if (IsTranscendental(c.op)) {
          EXPECT_TRUE(Close(*expected, *actual, 1e-6, 1e-37));
        } else if (c.op == UnaryOp::kHardSigmoid || c.op == UnaryOp::kHardSwish) {
          // FMA targets may fuse alpha * x + beta.
          EXPECT_TRUE(Close(*expected, *actual, 2e-7, 1e-7));
        } else {
          EXPECT_TRUE(Identical(*expected, *actual));
        }
      }
    }
  }
}

// Distance in units in the last place of `expected` (subnormal spacing below the normal range).
double UlpError(float actual, float expected) {
  if (actual == expected) return 0;
  const double spacing =
      std::max(static_cast<double>(std::nextafter(std::fabs(expected), kInf)) -
                   std::fabs(expected),
               static_cast<double>(std::numeric_limits<float>::denorm_min()));
  return std::fabs(static_cast<double>(actual) - expected) / spacing;
}

// Sweeps Sigmoid and Tanh over [-120, 120] (dense near 0, where Tanh switches branches) and
// bounds the error against the reference (std::exp / std::tanh). Measured on Zen 4: 2 ulp for
// both at every level (Sigmoid at x = -4.1462, Tanh at x = -0.9644).
TEST(OptimizedEwTest, TranscendentalUlpError) {
  std::vector<float> x;
  for (int i = -600000; i <= 600000; ++i) x.push_back(static_cast<float>(i) * 2e-4f);
  for (int i = -120000; i <= 120000; ++i) x.push_back(static_cast<float>(i) * 1e-3f);
  for (int i = 1; i < 2000; ++i) {
    x.push_back(std::ldexp(1.0f, -i % 140));
    x.push_back(-std::ldexp(1.3f, -i % 140));
  }
  const Shape shape = {static_cast<int64_t>(x.size())};
  Input input;
  input.shape = shape;
  input.values = x;
  for (UnaryOp op : {UnaryOp::kSigmoid, UnaryOp::kTanh}) {
    const Attributes attributes;
    const KernelCreateArgs args{attributes, 13, 1, 1};
    std::unique_ptr<OpKernel> reference = ReferenceUnaryKernel(op, args);
    auto expected = PrepareAndRun(reference.get(), {input});
    ASSERT_TRUE(expected.ok());
    for (IsaLevel isa : IsaLevelsToTest()) {
      const optimized::ew::EwConfig& config = optimized::ew::GetEwConfig(isa);
      std::vector<float> y(x.size());
      config.unary[static_cast<int>(op)](x.data(), y.data(), static_cast<int64_t>(x.size()), {});
      double worst = 0;
      size_t worst_index = 0;
      for (size_t i = 0; i < x.size(); ++i) {
        const double error = UlpError(y[i], expected->values[i]);
        if (error > worst) {
          worst = error;
          worst_index = i;
        }
      }
      std::printf("%s %s: max error %.2f ulp at x = %.9g (%.9g vs %.9g)\n",
                  op == UnaryOp::kSigmoid ? "Sigmoid" : "Tanh", config.name, worst,
                  x[worst_index], y[worst_index], expected->values[worst_index]);
      EXPECT_LE(worst, 3.0) << config.name;
    }
  }
}

struct BinaryCase {
  std::string name;
  Shape a;
  Shape b;
};

std::vector<BinaryCase> BinaryCases() {
  return {
      {"same_1", {1}, {1}},
      {"same_odd", {37}, {37}},
      {"same_4d", {1, 3, 17, 19}, {1, 3, 17, 19}},
      {"scalar_b_rank0", {5, 33}, {}},
      {"scalar_b_one", {2, 3, 7}, {1}},
      {"scalar_a", {1}, {4, 9, 11}},
      {"channel_b", {1, 16, 13, 15}, {16, 1, 1}},
      {"channel_a", {1, 24, 1, 1}, {2, 24, 9, 7}},
      {"row_b", {3, 5, 19}, {19}},
      {"row_a", {1, 19}, {6, 19}},
      {"column_b", {4, 23, 9}, {4, 23, 1}},
      {"two_sided", {2, 1, 7, 1}, {1, 5, 1, 9}},
      {"outer_broadcast", {3, 1, 6}, {3, 4, 6}},
      {"both_one_element", {1, 1}, {1}},
      {"empty", {0, 3}, {3}},
      {"large_same", {1, 32, 80, 80}, {1, 32, 80, 80}},
      {"large_channel", {1, 64, 40, 41}, {1, 64, 1, 1}},
      {"large_scalar", {1, 16, 100, 101}, {}},
  };
}

TEST(OptimizedEwTest, BinaryMatchesReferenceExactly) {
  const BinaryOp ops[] = {BinaryOp::kAdd, BinaryOp::kSub, BinaryOp::kMul, BinaryOp::kDiv};
  const elementwise::BinaryOp reference_ops[] = {
      elementwise::BinaryOp::kAdd, elementwise::BinaryOp::kSub, elementwise::BinaryOp::kMul,
      elementwise::BinaryOp::kDiv};
  const Attributes attributes;
  const KernelCreateArgs args{attributes, 14, 2, 1};
  for (int o = 0; o < 4; ++o) {
    for (IsaLevel isa : IsaLevelsToTest()) {
      for (const BinaryCase& c : BinaryCases()) {
        SCOPED_TRACE(c.name + " op " + std::to_string(o) + " " + IsaLevelName(isa));
        const std::vector<Input> inputs = {SpecialInput(c.a, 11, 4.0f),
                                           SpecialInput(c.b, 12, 4.0f)};
        auto reference = elementwise::CreateBinaryKernel(reference_ops[o], args);
        auto fast = optimized::CreateEwBinaryKernel(ops[o], args, isa);
        ASSERT_TRUE(reference.ok() && fast.ok());
        auto expected = PrepareAndRun(reference->get(), inputs);
        auto actual = PrepareAndRun(fast->get(), inputs);
        ASSERT_TRUE(expected.ok()) << expected.status();
        ASSERT_TRUE(actual.ok()) << actual.status();
        EXPECT_TRUE(Identical(*expected, *actual));
      }
    }
  }
}

TEST(OptimizedEwTest, SameErrorsAsReference) {
  const Attributes attributes;
  const KernelCreateArgs args{attributes, 14, 2, 1};
  auto reference = elementwise::CreateBinaryKernel(elementwise::BinaryOp::kMul, args);
  auto fast = optimized::CreateEwBinaryKernel(BinaryOp::kMul, args, ActiveIsaLevel());
  ASSERT_TRUE(reference.ok() && fast.ok());
  const std::vector<TensorInfo> inputs = {{DType::kF32, {2, 3}, nullptr},
                                          {DType::kF32, {4}, nullptr}};
  std::vector<TensorInfo> outputs;
  const absl::Status expected = (*reference)->Prepare(inputs, &outputs);
  const absl::Status actual = (*fast)->Prepare(inputs, &outputs);
  EXPECT_FALSE(expected.ok());
  EXPECT_EQ(actual, expected);

  const std::vector<TensorInfo> mixed = {{DType::kF32, {2}, nullptr},
                                         {DType::kI32, {2}, nullptr}};
  EXPECT_EQ((*fast)->Prepare(mixed, &outputs), (*reference)->Prepare(mixed, &outputs));

  const KernelCreateArgs clip_args{attributes, 13, 2, 1};
  auto clip = optimized::CreateEwUnaryKernel(UnaryOp::kClip, clip_args, ActiveIsaLevel());
  ASSERT_TRUE(clip.ok());
  const std::vector<TensorInfo> bad_bound = {{DType::kF32, {4}, nullptr},
                                             {DType::kF32, {2}, nullptr}};
  EXPECT_EQ((*clip)->Prepare(bad_bound, &outputs),
            ReferenceUnaryKernel(UnaryOp::kClip, clip_args)->Prepare(bad_bound, &outputs));
}

// Types other than float32 run the wrapped reference kernel.
TEST(OptimizedEwTest, OtherTypesDelegateToReference) {
  const Attributes attributes;
  const KernelCreateArgs args{attributes, 14, 2, 1};
  auto fast = optimized::CreateEwBinaryKernel(BinaryOp::kAdd, args, ActiveIsaLevel());
  ASSERT_TRUE(fast.ok());
  const std::vector<int32_t> a = {1, -2, 3, 2147483647};
  const std::vector<int32_t> b = {10};
  std::vector<TensorInfo> outputs;
  ASSERT_TRUE((*fast)->Prepare({{DType::kI32, {4}, nullptr}, {DType::kI32, {1}, nullptr}},
                               &outputs)
                  .ok());
  EXPECT_EQ(outputs[0].dtype, DType::kI32);
  std::vector<int32_t> y(4);
  ASSERT_TRUE((*fast)
                  ->Run({{a.data(), DType::kI32, {4}}, {b.data(), DType::kI32, {1}}},
                        {{y.data(), DType::kI32, {4}}})
                  .ok());
  EXPECT_EQ(y, (std::vector<int32_t>{11, 8, 13, -2147483639}));

  const KernelCreateArgs relu_args{attributes, 14, 1, 1};
  auto relu = optimized::CreateEwUnaryKernel(UnaryOp::kRelu, relu_args, ActiveIsaLevel());
  ASSERT_TRUE(relu.ok());
  ASSERT_TRUE((*relu)->Prepare({{DType::kF64, {3}, nullptr}}, &outputs).ok());
  const std::vector<double> x = {-1.5, 0.0, 2.5};
  std::vector<double> z(3);
  ASSERT_TRUE(
      (*relu)->Run({{x.data(), DType::kF64, {3}}}, {{z.data(), DType::kF64, {3}}}).ok());
  EXPECT_EQ(z, (std::vector<double>{0.0, 0.0, 2.5}));
}

TEST(OptimizedEwTest, RegistryPrefersOptimized) {
  for (const char* op : {"Relu", "LeakyRelu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh",
                         "Clip", "Add", "Sub", "Mul", "Div"}) {
    auto registration = OpRegistry::Builtin().Find("", op, 14, /*prefer_optimized=*/true);
    ASSERT_TRUE(registration.ok()) << op;
    EXPECT_EQ((*registration)->variant, KernelVariant::kOptimized) << op;
  }
  auto clip6 = OpRegistry::Builtin().Find("", "Clip", 6, true);
  ASSERT_TRUE(clip6.ok());
  EXPECT_EQ((*clip6)->variant, KernelVariant::kOptimized);
}

TEST(OptimizedEwTest, OnnxNodeTests) {
  for (const char* op : {"Relu", "LeakyRelu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh",
                         "Clip", "Add", "Sub", "Mul", "Div"}) {
    const std::vector<std::string> tests = testing::OnnxNodeTestsForOp(op);
    EXPECT_FALSE(tests.empty()) << op;
    for (const std::string& t : tests) {
      EXPECT_TRUE(testing::RunOnnxNodeTest(t, 1e-3, 1e-7, /*prefer_optimized=*/true)) << t;
    }
  }
}

}  // namespace
}  // namespace hb_dnn::kernels
