// Gemm and MatMul beyond the ONNX node tests: every transpose/C-broadcast combination against a
// naive formula, numpy batch broadcasting with 1-D operands, integer types and the error paths.

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
using nn_test::RunNode1;
using nn_test::Tensor;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

HostTensor Random(Shape shape, uint32_t seed) {
  return Tensor<float>(shape, RandomFloats(NumElements(shape), seed));
}

struct GemmCase {
  bool trans_a;
  bool trans_b;
  Shape c_shape;  // {-1}: no C
};

class NnGemm : public ::testing::TestWithParam<GemmCase> {};

TEST_P(NnGemm, MatchesNaiveFormula) {
  const GemmCase& param = GetParam();
  const int64_t m = 3, k = 5, n = 4;
  HostTensor a = Random(param.trans_a ? Shape{k, m} : Shape{m, k}, 1);
  HostTensor b = Random(param.trans_b ? Shape{n, k} : Shape{k, n}, 2);
  const bool has_c = param.c_shape != Shape{-1};
  HostTensor c = has_c ? Random(param.c_shape, 3) : nn_test::Absent();
  Attributes attributes;
  attributes.SetFloat("alpha", 0.5f);
  attributes.SetFloat("beta", 2.0f);
  attributes.SetInt("transA", param.trans_a);
  attributes.SetInt("transB", param.trans_b);
  std::vector<HostTensor> inputs = {a, b};
  if (has_c) inputs.push_back(c);
  auto y = RunNode1("Gemm", 13, attributes, inputs);
  ASSERT_TRUE(y.ok()) << y.status();
  ASSERT_EQ(y->shape, (Shape{m, n}));
  std::vector<float> av = a.values<float>(), bv = b.values<float>(), cv = c.values<float>();
  std::vector<float> yv = y->values<float>();
  // C right-aligned against (M, N); size-1 dimensions repeat.
  Shape c2 = has_c ? param.c_shape : Shape{};
  while (c2.size() < 2) c2.insert(c2.begin(), 1);
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      double sum = 0;
      for (int64_t l = 0; l < k; ++l) {
        const double av_il = param.trans_a ? av[l * m + i] : av[i * k + l];
        const double bv_lj = param.trans_b ? bv[j * k + l] : bv[l * n + j];
        sum += av_il * bv_lj;
      }
      double want = 0.5 * sum;
      if (has_c) want += 2.0 * cv[(c2[0] == 1 ? 0 : i) * c2[1] + (c2[1] == 1 ? 0 : j)];
      EXPECT_NEAR(yv[i * n + j], want, 1e-5) << i << "," << j;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, NnGemm,
                         ::testing::Values(GemmCase{false, false, {-1}},
                                           GemmCase{true, false, {3, 4}}, GemmCase{false, true, {}},
                                           GemmCase{true, true, {1}}, GemmCase{false, false, {4}},
                                           GemmCase{true, false, {3, 1}},
                                           GemmCase{false, true, {1, 4}},
                                           GemmCase{true, true, {1, 1}}));

TEST(NnGemm, Float64) {
  HostTensor a = Tensor<double>({1, 2}, {1, 2});
  HostTensor b = Tensor<double>({2, 1}, {3, 4});
  auto y = RunNode1("Gemm", 11, Attributes(), {a, b});
  ASSERT_TRUE(y.ok()) << y.status();
  EXPECT_EQ(y->dtype, DType::kF64);
  EXPECT_THAT(y->values<double>(), ElementsAre(11));
}

TEST(NnGemm, Errors) {
  absl::Status s =
      RunNode1("Gemm", 13, Attributes(), {Random({2, 3}, 4), Random({4, 2}, 5)}).status();
  EXPECT_EQ(ErrorCodeOf(s), ErrorCode::kInvalidModel);
  EXPECT_THAT(s.message(), HasSubstr("have different inner dimensions 3 and 4"));
  EXPECT_THAT(
      RunNode1("Gemm", 13, Attributes(), {Random({2, 3}, 4), Random({3, 4}, 5), Random({2, 3}, 6)})
          .status()
          .message(),
      HasSubstr("input 2 'C' has shape (2,3) which does not broadcast to the output (2,4)"));
  EXPECT_THAT(RunNode1("Gemm", 13, Attributes(), {Random({1, 2, 3}, 4), Random({3, 4}, 5)})
                  .status()
                  .message(),
              HasSubstr("input 0 'A' has shape (1,2,3) but needs rank 2"));
}

TEST(NnMatMul, VectorOperands) {
  auto dot = RunNode1("MatMul", 13, Attributes(),
                      {Tensor<float>({3}, {1, 2, 3}), Tensor<float>({3}, {4, 5, 6})});
  ASSERT_TRUE(dot.ok()) << dot.status();
  EXPECT_EQ(dot->shape, Shape{});
  EXPECT_THAT(dot->values<float>(), ElementsAre(32));

  // (2) x (2, 2, 3): the vector is a row, its dimension dropped -> (2, 3).
  auto row = RunNode1("MatMul", 13, Attributes(),
                      {Tensor<float>({2}, {1, 10}),
                       Tensor<float>({2, 2, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})});
  ASSERT_TRUE(row.ok()) << row.status();
  EXPECT_EQ(row->shape, (Shape{2, 3}));
  EXPECT_THAT(row->values<float>(), ElementsAre(41, 52, 63, 107, 118, 129));

  // (2, 2, 3) x (3): the vector is a column -> (2, 2).
  auto column = RunNode1("MatMul", 13, Attributes(),
                         {Tensor<float>({2, 2, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}),
                          Tensor<float>({3}, {1, 0, -1})});
  ASSERT_TRUE(column.ok()) << column.status();
  EXPECT_EQ(column->shape, (Shape{2, 2}));
  EXPECT_THAT(column->values<float>(), ElementsAre(-2, -2, -2, -2));
}

TEST(NnMatMul, BroadcastBatches) {
  HostTensor a = Random({2, 1, 3, 4}, 7);
  HostTensor b = Random({5, 4, 2}, 8);
  auto y = RunNode1("MatMul", 13, Attributes(), {a, b});
  ASSERT_TRUE(y.ok()) << y.status();
  ASSERT_EQ(y->shape, (Shape{2, 5, 3, 2}));
  std::vector<float> av = a.values<float>(), bv = b.values<float>(), yv = y->values<float>();
  for (int64_t i = 0; i < 2; ++i) {
    for (int64_t j = 0; j < 5; ++j) {
      for (int64_t r = 0; r < 3; ++r) {
        for (int64_t c = 0; c < 2; ++c) {
          double sum = 0;
          for (int64_t l = 0; l < 4; ++l) {
            sum += double{av[(i * 3 + r) * 4 + l]} * double{bv[(j * 4 + l) * 2 + c]};
          }
          EXPECT_NEAR(yv[((i * 5 + j) * 3 + r) * 2 + c], sum, 1e-6);
        }
      }
    }
  }
}

TEST(NnMatMul, Integers) {
  auto y32 = RunNode1("MatMul", 13, Attributes(),
                      {Tensor<int32_t>({1, 2}, {2000000000, 3}), Tensor<int32_t>({2, 1}, {2, 5})});
  ASSERT_TRUE(y32.ok()) << y32.status();
  EXPECT_EQ(y32->dtype, DType::kI32);
  // 4e9 + 15 wraps modulo 2^32 like int32 arithmetic.
  EXPECT_THAT(y32->values<int32_t>(),
              ElementsAre(static_cast<int32_t>(4000000015LL - 4294967296LL)));
  auto y64 =
      RunNode1("MatMul", 13, Attributes(),
               {Tensor<int64_t>({2, 2}, {1, 2, 3, 4}), Tensor<int64_t>({2, 2}, {5, 6, 7, 8})});
  ASSERT_TRUE(y64.ok()) << y64.status();
  EXPECT_THAT(y64->values<int64_t>(), ElementsAre(19, 22, 43, 50));
}

TEST(NnMatMul, Errors) {
  absl::Status s =
      RunNode1("MatMul", 13, Attributes(), {Random({2, 3}, 9), Random({4, 2}, 10)}).status();
  EXPECT_EQ(ErrorCodeOf(s), ErrorCode::kInvalidModel);
  EXPECT_THAT(s.message(), HasSubstr("have different inner dimensions 3 and 4"));
  EXPECT_THAT(RunNode1("MatMul", 13, Attributes(), {Random({2, 3, 4}, 9), Random({3, 4, 5}, 10)})
                  .status()
                  .message(),
              HasSubstr("batch dimensions of A (2,3,4) and B (3,4,5) cannot be broadcast"));
  EXPECT_THAT(RunNode1("MatMul", 13, Attributes(),
                       {Random({2, 3}, 9), Tensor<double>({3, 2}, std::vector<double>(6, 1.0))})
                  .status()
                  .message(),
              HasSubstr("input 1 'B' has type float64, expected float32"));
}

}  // namespace
}  // namespace hb_dnn::kernels
