// QLinearConv, QLinearMatMul, ConvInteger and MatMulInteger beyond the ONNX node tests (which
// cover uint8 with per-tensor parameters): int8 and mixed operand types, per-channel weight
// scales and zero points, exact ties, saturation, and the error paths.

#include <cmath>
#include <cstdint>
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

HostTensor F32(Shape shape, std::vector<float> v) { return Tensor<float>(shape, v); }

HostTensor MustRun(const std::string& op, const Attributes& a,
                   const std::vector<HostTensor>& inputs) {
  absl::StatusOr<HostTensor> y = RunNode1(op, 13, a, inputs);
  EXPECT_TRUE(y.ok()) << y.status();
  return y.ok() ? *y : HostTensor();
}

std::string ErrorOf(const std::string& op, const Attributes& a,
                    const std::vector<HostTensor>& inputs) {
  absl::StatusOr<HostTensor> y = RunNode1(op, 13, a, inputs);
  if (y.ok()) return "(ok)";
  EXPECT_EQ(ErrorCodeOf(y.status()), ErrorCode::kInvalidModel);
  return std::string(y.status().message());
}

// Ties to even and saturation of the requantization, uint8 and int8 outputs.
TEST(QLinearMatMulTest, RoundsHalfToEvenAndSaturates) {
  HostTensor a = Tensor<uint8_t>({6, 1}, {1, 3, 5, 7, 255, 0});
  HostTensor b = Tensor<uint8_t>({1, 1}, {1});
  // a_scale * b_scale / y_scale = 0.5; a_zero_point 0, y_zero_point 10.
  HostTensor y = MustRun("QLinearMatMul", {},
                         {a, F32({}, {0.5f}), Tensor<uint8_t>({}, {0}), b, F32({}, {1.0f}),
                          Tensor<uint8_t>({}, {0}), F32({}, {1.0f}), Tensor<uint8_t>({}, {10})});
  EXPECT_EQ(y.dtype, DType::kU8);
  // 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, 3.5 -> 4, 127.5 -> 128 (+10 = 138), 0.
  EXPECT_THAT(y.values<uint8_t>(), ElementsAre(10, 12, 12, 14, 138, 10));
  // a_zero_point 200: (a - 200) * 0.5 is negative; uint8 output with zero point 10 saturates at 0.
  HostTensor low = MustRun("QLinearMatMul", {},
                           {a, F32({}, {0.5f}), Tensor<uint8_t>({}, {200}), b, F32({}, {1.0f}),
                            Tensor<uint8_t>({}, {0}), F32({}, {1.0f}), Tensor<uint8_t>({}, {10})});
  // (1-200)/2 = -99.5 -> -100 + 10 < 0; (255-200)/2 = 27.5 -> 28 + 10.
  EXPECT_THAT(low.values<uint8_t>(), ElementsAre(0, 0, 0, 0, 38, 0));
  // int8 operands, int8 output, per-column b parameters.
  HostTensor ai = Tensor<int8_t>({2, 2}, {-128, 127, 5, -5});
  HostTensor bi = Tensor<int8_t>({2, 2}, {1, -1, 2, 3});
  HostTensor yi =
      MustRun("QLinearMatMul", {},
              {ai, F32({}, {1.0f}), Tensor<int8_t>({}, {0}), bi, F32({2}, {1.0f, 0.25f}),
               Tensor<int8_t>({2}, {0, 1}), F32({}, {1.0f}), Tensor<int8_t>({}, {-1})});
  // Column 0 (scale 1, zp 0): -128 + 254 = 126 -> 125; 5 - 10 = -5 -> -6.
  // Column 1 (scale 0.25, zp 1): (-128 * -2 + 127 * 2) = 510 -> 127.5 -> 128 - 1 = 127;
  // (5 * -2 + -5 * 2) = -20 -> -5 - 1 = -6.
  EXPECT_EQ(yi.dtype, DType::kI8);
  EXPECT_THAT(yi.values<int8_t>(), ElementsAre(125, 127, -6, -6));
}

TEST(MatMulIntegerTest, PerRowAndPerColumnZeroPointsMixedTypes) {
  HostTensor a = Tensor<uint8_t>({2, 3}, {1, 2, 3, 200, 100, 0});
  HostTensor b = Tensor<int8_t>({3, 2}, {-1, 2, 3, -4, 5, 6});
  HostTensor a_zp = Tensor<uint8_t>({2}, {1, 100});
  HostTensor b_zp = Tensor<int8_t>({2}, {0, -2});
  HostTensor y = MustRun("MatMulInteger", {}, {a, b, a_zp, b_zp});
  EXPECT_EQ(y.dtype, DType::kI32);
  // Row 0 minus 1: (0, 1, 2); row 1 minus 100: (100, 0, -100).
  // Column 0: (-1, 3, 5); column 1 plus 2: (4, -2, 8).
  EXPECT_THAT(y.values<int32_t>(), ElementsAre(13, 14, -600, -400));
  // Batched with broadcasting and 1-D B.
  HostTensor a3 = Tensor<int8_t>({2, 1, 2}, {1, 2, -3, 4});
  HostTensor v = Tensor<int8_t>({2}, {5, -6});
  HostTensor y3 = MustRun("MatMulInteger", {}, {a3, v});
  EXPECT_EQ(y3.shape, (Shape{2, 1}));
  EXPECT_THAT(y3.values<int32_t>(), ElementsAre(-7, -39));
}

// QLinearConv against its definition written out in the test, int8, per-channel w parameters,
// groups, padding, stride and bias.
TEST(QLinearConvTest, Int8PerChannelMatchesDefinition) {
  const int64_t n = 1, c = 4, h = 5, w = 5, m = 4, group = 2, k = 3;
  std::vector<int8_t> x(n * c * h * w), wt(m * (c / group) * k * k);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<int8_t>((i * 37) % 256 - 128);
  for (size_t i = 0; i < wt.size(); ++i) wt[i] = static_cast<int8_t>((i * 53 + 11) % 256 - 128);
  const std::vector<float> w_scale = {0.002f, 0.003f, 0.0025f, 0.004f};
  const std::vector<int8_t> w_zp = {0, 3, -2, 1};
  const std::vector<int32_t> bias = {100, -2000, 0, 777};
  const float x_scale = 0.05f, y_scale = 0.7f;
  const int8_t x_zp = -3, y_zp = 5;
  Attributes attrs;
  attrs.SetInt("group", group);
  attrs.SetInts("pads", {1, 1, 1, 1});
  attrs.SetInts("strides", {2, 1});
  HostTensor y = MustRun(
      "QLinearConv", attrs,
      {Tensor<int8_t>({n, c, h, w}, x), F32({}, {x_scale}), Tensor<int8_t>({}, {x_zp}),
       Tensor<int8_t>({m, c / group, k, k}, wt), F32({m}, w_scale), Tensor<int8_t>({m}, w_zp),
       F32({}, {y_scale}), Tensor<int8_t>({}, {y_zp}), Tensor<int32_t>({m}, bias)});
  const int64_t oh = 3, ow = 5;
  ASSERT_EQ(y.shape, (Shape{n, m, oh, ow}));
  std::vector<int8_t> got = y.values<int8_t>();
  int saturated = 0;
  for (int64_t o = 0; o < m; ++o) {
    const int64_t g = o / (m / group);
    const float multiplier = x_scale * w_scale[o] / y_scale;
    for (int64_t r = 0; r < oh; ++r) {
      for (int64_t s = 0; s < ow; ++s) {
        int64_t acc = bias[o];
        for (int64_t cc = 0; cc < c / group; ++cc) {
          for (int64_t i = 0; i < k; ++i) {
            for (int64_t j = 0; j < k; ++j) {
              const int64_t ih = r * 2 - 1 + i, iw = s - 1 + j;
              if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
              const int xv = x[((g * (c / group) + cc) * h + ih) * w + iw] - x_zp;
              const int wv = wt[((o * (c / group) + cc) * k + i) * k + j] - w_zp[o];
              acc += xv * wv;
            }
          }
        }
        double q = std::nearbyint(static_cast<double>(acc) * multiplier) + y_zp;
        q = q < -128 ? -128 : (q > 127 ? 127 : q);
        if (q == -128 || q == 127) ++saturated;
        EXPECT_EQ(got[(o * oh + r) * ow + s], static_cast<int8_t>(q)) << o << " " << r << "," << s;
      }
    }
  }
  EXPECT_LT(saturated, m * oh * ow);
}

TEST(ConvIntegerTest, PerChannelWeightZeroPointMixedTypes) {
  // 1x1x3 input, two 1x1x2 filters (1-D conv), uint8 x with zero point 10, int8 w with per-channel
  // zero points {0, -1}, pad 1 at the end.
  HostTensor x = Tensor<uint8_t>({1, 1, 3}, {10, 12, 20});
  HostTensor w = Tensor<int8_t>({2, 1, 2}, {1, 2, -1, 0});
  Attributes attrs;
  attrs.SetInts("pads", {0, 1});
  HostTensor y = MustRun("ConvInteger", attrs,
                         {x, w, Tensor<uint8_t>({}, {10}), Tensor<int8_t>({2}, {0, -1})});
  EXPECT_EQ(y.dtype, DType::kI32);
  EXPECT_EQ(y.shape, (Shape{1, 2, 3}));
  // Shifted x: (0, 2, 10); filter 0: (1, 2) -> 4, 22, 10; filter 1 shifted: (0, 1) -> 2, 10, 0.
  EXPECT_THAT(y.values<int32_t>(), ElementsAre(4, 22, 10, 2, 10, 0));
}

TEST(QLinearOpsTest, Errors) {
  HostTensor x = Tensor<uint8_t>({1, 1, 3, 3}, std::vector<uint8_t>(9, 1));
  HostTensor w = Tensor<uint8_t>({2, 1, 2, 2}, std::vector<uint8_t>(8, 1));
  HostTensor zp = Tensor<uint8_t>({}, {0});
  HostTensor one = F32({}, {1.0f});
  EXPECT_THAT(ErrorOf("QLinearConv", {}, {x, one, zp, w, F32({3}, {1, 1, 1}), zp, one, zp}),
              HasSubstr("QLinearConv: input 4 'w_scale' has shape (3) but must be a scalar or "
                        "have shape (2)"));
  EXPECT_THAT(ErrorOf("QLinearConv", {}, {x, one, Tensor<int8_t>({}, {0}), w, one, zp, one, zp}),
              HasSubstr("QLinearConv: input 2 'x_zero_point' has type int8, expected uint8"));
  EXPECT_THAT(ErrorOf("QLinearConv", {},
                      {Tensor<float>({1, 1, 3, 3}, std::vector<float>(9, 0.0f)), one, zp, w, one,
                       zp, one, zp}),
              HasSubstr("QLinearConv: input 0 'x' has type float32, expected uint8 or int8"));
  EXPECT_THAT(
      ErrorOf("QLinearConv", {}, {x, one, zp, w, one, zp, one, zp, Tensor<int32_t>({1}, {0})}),
      HasSubstr("QLinearConv: input 8 'B' has shape (1), expected (2)"));
  EXPECT_THAT(
      ErrorOf("ConvInteger", {}, {x, Tensor<uint8_t>({2, 2, 2, 2}, std::vector<uint8_t>(16, 1))}),
      HasSubstr("ConvInteger: input 1 'w' has shape (2,2,2,2) but x (1,1,3,3) with group 1"));
  HostTensor a = Tensor<uint8_t>({2, 3}, std::vector<uint8_t>(6, 1));
  EXPECT_THAT(
      ErrorOf("MatMulInteger", {}, {a, Tensor<uint8_t>({2, 2}, {1, 2, 3, 4})}),
      HasSubstr("MatMulInteger: a (2,3) and b (2,2) have different inner dimensions 3 and 2"));
  EXPECT_THAT(
      ErrorOf("MatMulInteger", {},
              {a, Tensor<uint8_t>({3, 2}, std::vector<uint8_t>(6, 1)),
               Tensor<uint8_t>({3}, {1, 2, 3})}),
      HasSubstr("input 2 'a_zero_point' has shape (3) but must be a scalar or have shape (2)"));
  EXPECT_THAT(
      ErrorOf("QLinearMatMul", {},
              {a, one, zp, Tensor<uint8_t>({3, 2}, std::vector<uint8_t>(6, 1)), one, zp, one}),
      HasSubstr("QLinearMatMul: expected inputs a, a_scale"));
}

}  // namespace
}  // namespace hb_dnn::kernels
