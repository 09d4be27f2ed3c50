// The optimized Gemm and MatMul kernels against the reference kernels, for every ISA level this
// CPU runs: sizes around the tile and block sizes, transposes, alpha/beta and every C
// broadcast, constant (prepacked) and run-time operands, MatMul batch folding and broadcasting.
// Plus the ONNX node tests through the registry.

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

using optimized_test::Absent;
using optimized_test::Input;
using optimized_test::IsaLevelsToTest;
using optimized_test::Near;
using optimized_test::PrepareAndRun;
using optimized_test::RandomInput;

constexpr double kRtol = 1e-5;
double Atol(int64_t k) { return 1e-6 * std::sqrt(static_cast<double>(k)) + 1e-6; }

struct GemmCase {
  std::string name;
  int64_t m, n, k;
  bool trans_a = false;
  bool trans_b = false;
  float alpha = 1.0f;
  float beta = 1.0f;
  Shape c;          // empty: no C
  bool has_c = false;
  bool constant_a = false;
  bool constant_b = true;
};

GemmCase G(std::string name, int64_t m, int64_t n, int64_t k) {
  GemmCase c;
  c.name = std::move(name);
  c.m = m;
  c.n = n;
  c.k = k;
  return c;
}

GemmCase WithC(GemmCase g, Shape c, float beta = 1.0f) {
  g.c = std::move(c);
  g.has_c = true;
  g.beta = beta;
  return g;
}

GemmCase Trans(GemmCase g, bool a, bool b) {
  g.trans_a = a;
  g.trans_b = b;
  return g;
}

GemmCase Operands(GemmCase g, bool constant_a, bool constant_b) {
  g.constant_a = constant_a;
  g.constant_b = constant_b;
  return g;
}

std::vector<GemmCase> GemmCases() {
  std::vector<GemmCase> cases = {
      G("one", 1, 1, 1),
      G("odd", 7, 13, 5),
      G("fc_batch1", 1, 1000, 512),
      G("fc_batch3", 3, 1000, 1280),
      G("square64", 64, 64, 64),
      G("k_blocked", 100, 37, 700),
      G("tall", 257, 33, 31),
      G("wide", 9, 1025, 17),
      Trans(G("trans_a", 17, 40, 23), true, false),
      Trans(G("trans_b", 17, 40, 23), false, true),
      Trans(G("trans_both", 33, 19, 350), true, true),
      WithC(G("c_matrix", 19, 21, 11), {19, 21}),
      WithC(G("c_row", 19, 21, 11), {21}),
      WithC(G("c_row_2d", 19, 21, 11), {1, 21}),
      WithC(G("c_column", 19, 21, 11), {19, 1}),
      WithC(G("c_scalar", 19, 21, 11), {1}),
      WithC(G("c_scalar_2d", 19, 21, 11), {1, 1}),
      WithC(G("beta_half", 19, 40, 11), {19, 40}, 0.5f),
      WithC(G("beta_zero", 19, 40, 11), {19, 40}, 0.0f),
      Operands(G("runtime_b", 23, 45, 67), false, false),
      Operands(G("constant_a", 23, 45, 67), true, false),
      Operands(G("both_constant", 23, 45, 67), true, true),
      Operands(Trans(G("runtime_b_trans", 23, 45, 400), true, true), false, false),
  };
  GemmCase alpha = WithC(Trans(G("all_attributes", 31, 29, 47), true, true), {1, 29}, 0.25f);
  alpha.alpha = 0.75f;
  cases.push_back(alpha);
  return cases;
}

struct GemmParam {
  GemmCase gemm;
  IsaLevel isa;
  int threads;
};

std::vector<GemmParam> GemmParams() {
  std::vector<GemmParam> params;
  for (const GemmCase& c : GemmCases()) {
    for (IsaLevel isa : IsaLevelsToTest()) {
      params.push_back({c, isa, 0});
      params.push_back({c, isa, 1});
    }
  }
  return params;
}

class OptimizedGemmTest : public ::testing::TestWithParam<GemmParam> {};

TEST_P(OptimizedGemmTest, MatchesReference) {
  const GemmParam& p = GetParam();
  const GemmCase& g = p.gemm;
  Attributes attributes;
  attributes.SetFloat("alpha", g.alpha);
  attributes.SetFloat("beta", g.beta);
  attributes.SetInt("transA", g.trans_a);
  attributes.SetInt("transB", g.trans_b);
  const KernelCreateArgs args{attributes, 13, g.has_c ? 3 : 2, 1};
  Shape a_shape = g.trans_a ? Shape{g.k, g.m} : Shape{g.m, g.k};
  Shape b_shape = g.trans_b ? Shape{g.n, g.k} : Shape{g.k, g.n};
  std::vector<Input> inputs = {RandomInput(a_shape, 11, g.constant_a),
                               RandomInput(b_shape, 12, g.constant_b)};
  if (g.has_c) inputs.push_back(RandomInput(g.c, 13, true));

  auto reference = nn::CreateGemmKernel(args);
  ASSERT_TRUE(reference.ok());
  auto expected = PrepareAndRun(reference->get(), inputs);
  ASSERT_TRUE(expected.ok()) << expected.status();
  std::unique_ptr<ScopedParallelismLimit> limit;
  if (p.threads > 0) limit = std::make_unique<ScopedParallelismLimit>(p.threads);
  auto kernel = optimized::CreateGemmKernelForIsa(args, p.isa);
  ASSERT_TRUE(kernel.ok());
  auto actual = PrepareAndRun(kernel->get(), inputs);
  ASSERT_TRUE(actual.ok()) << actual.status();
  EXPECT_TRUE(Near(*expected, *actual, kRtol, Atol(g.k)));
}

INSTANTIATE_TEST_SUITE_P(Cases, OptimizedGemmTest, ::testing::ValuesIn(GemmParams()),
                         [](const ::testing::TestParamInfo<GemmParam>& info) {
                           return info.param.gemm.name + "_" + IsaLevelName(info.param.isa) +
                                  (info.param.threads == 1 ? "_1thread" : "");
                         });

TEST(OptimizedGemm, OmittedOptionalC) {
  const KernelCreateArgs args{Attributes(), 13, 3, 1};
  const std::vector<Input> inputs = {RandomInput({5, 7}, 1), RandomInput({7, 9}, 2, true),
                                     Absent()};
  auto reference = nn::CreateGemmKernel(args);
  auto kernel = optimized::CreateGemmKernel(args);
  ASSERT_TRUE(reference.ok() && kernel.ok());
  auto expected = PrepareAndRun(reference->get(), inputs);
  auto actual = PrepareAndRun(kernel->get(), inputs);
  ASSERT_TRUE(expected.ok() && actual.ok());
  EXPECT_TRUE(Near(*expected, *actual, kRtol, Atol(7)));
}

struct MatMulCase {
  std::string name;
  Shape a;
  Shape b;
  bool constant_b = true;
};

std::vector<MatMulCase> MatMulCases() {
  return {
      {"2d", {13, 29}, {29, 7}},
      {"2d_runtime_b", {13, 29}, {29, 7}, false},
      {"vector_a", {29}, {29, 33}},
      {"vector_b", {13, 29}, {29}},
      {"vectors", {29}, {29}},
      {"batch_folded", {3, 5, 17}, {17, 40}},
      {"batch_folded_runtime_b", {2, 3, 5, 17}, {17, 40}, false},
      {"batched", {4, 9, 16}, {4, 16, 11}},
      {"batched_runtime", {4, 9, 16}, {4, 16, 11}, false},
      {"broadcast", {2, 1, 6, 10}, {3, 10, 5}},
      {"broadcast_b_batch", {7, 10}, {3, 10, 5}},
      {"large", {2, 130, 300}, {2, 300, 70}},
  };
}

struct MatMulParam {
  MatMulCase matmul;
  IsaLevel isa;
  int threads;
};

std::vector<MatMulParam> MatMulParams() {
  std::vector<MatMulParam> params;
  for (const MatMulCase& c : MatMulCases()) {
    for (IsaLevel isa : IsaLevelsToTest()) {
      params.push_back({c, isa, 0});
      params.push_back({c, isa, 1});
    }
  }
  return params;
}

class OptimizedMatMulTest : public ::testing::TestWithParam<MatMulParam> {};

TEST_P(OptimizedMatMulTest, MatchesReference) {
  const MatMulParam& p = GetParam();
  const KernelCreateArgs args{Attributes(), 13, 2, 1};
  const std::vector<Input> inputs = {RandomInput(p.matmul.a, 21),
                                     RandomInput(p.matmul.b, 22, p.matmul.constant_b)};
  auto reference = nn::CreateMatMulKernel(args);
  ASSERT_TRUE(reference.ok());
  auto expected = PrepareAndRun(reference->get(), inputs);
  ASSERT_TRUE(expected.ok()) << expected.status();
  std::unique_ptr<ScopedParallelismLimit> limit;
  if (p.threads > 0) limit = std::make_unique<ScopedParallelismLimit>(p.threads);
  auto kernel = optimized::CreateMatMulKernelForIsa(args, p.isa);
  ASSERT_TRUE(kernel.ok());
  auto actual = PrepareAndRun(kernel->get(), inputs);
  ASSERT_TRUE(actual.ok()) << actual.status();
  EXPECT_TRUE(Near(*expected, *actual, kRtol, Atol(p.matmul.a.back())));
}

INSTANTIATE_TEST_SUITE_P(Cases, OptimizedMatMulTest, ::testing::ValuesIn(MatMulParams()),
                         [](const ::testing::TestParamInfo<MatMulParam>& info) {
                           return info.param.matmul.name + "_" +
                                  IsaLevelName(info.param.isa) +
                                  (info.param.threads == 1 ? "_1thread" : "");
                         });

TEST(OptimizedGemmRegistry, PreferOptimizedPicksTheOptimizedVariant) {
  const OpRegistry& registry = OpRegistry::Builtin();
  for (const char* op : {"Gemm", "MatMul"}) {
    for (int version : {9, 13, 17}) {
      auto optimized = registry.Find("", op, version, /*prefer_optimized=*/true);
      ASSERT_TRUE(optimized.ok()) << op << " " << version;
      EXPECT_EQ((*optimized)->variant, KernelVariant::kOptimized);
      auto reference = registry.Find("", op, version, /*prefer_optimized=*/false);
      ASSERT_TRUE(reference.ok());
      EXPECT_EQ((*reference)->variant, KernelVariant::kReference);
    }
  }
}

TEST(OptimizedGemmOnnx, GemmNodeTests) {
  const std::vector<std::string> tests = testing::OnnxNodeTestsForOp("Gemm");
  EXPECT_FALSE(tests.empty());
  for (const std::string& t : tests) {
    EXPECT_TRUE(testing::RunOnnxNodeTest(t, 1e-3, 1e-7, /*prefer_optimized=*/true));
  }
}

TEST(OptimizedGemmOnnx, MatMulNodeTests) {
  const std::vector<std::string> tests = testing::OnnxNodeTestsForOp("MatMul");
  EXPECT_FALSE(tests.empty());
  for (const std::string& t : tests) {
    EXPECT_TRUE(testing::RunOnnxNodeTest(t, 1e-3, 1e-7, /*prefer_optimized=*/true));
  }
}

}  // namespace
}  // namespace hb_dnn::kernels
