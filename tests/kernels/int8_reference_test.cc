// The int8 reference kernels of hb_dnn.bpu (docs/int8_numerics.md): Conv, Gemm and MatMul
// against hand-computed values, an independent integer formulation bit for bit, and a double
// formulation from dequantized values (which may differ only by the rule's rounding); plus the
// error paths.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/kernels/int8_test_util.h"

namespace hb_dnn::kernels {
namespace {

using int8_test::AsInts;
using int8_test::ErrorOf;
using int8_test::MustRun;
using int8_test::RandomInt8;
using int8_test::RuleRequantize;
using nn_test::HostTensor;
using nn_test::Tensor;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

Attributes Scales(float x_scale, std::vector<float> w_scale, float y_scale) {
  Attributes a;
  a.SetFloat("x_scale", x_scale);
  a.SetFloats("w_scale", std::move(w_scale));
  a.SetFloat("y_scale", y_scale);
  return a;
}

// ---- Gemm -----------------------------------------------------------------------------------

TEST(Int8Gemm, RoundsHalfToEven) {
  // M = 0.5: the accumulators 1, 3, 5, 7 and their negations are exact .5 ties.
  HostTensor a = Tensor<int8_t>({8, 1}, {1, 3, 5, 7, -1, -3, -5, -7});
  HostTensor b = Tensor<int8_t>({1, 1}, {1});
  HostTensor y = MustRun("Gemm", Scales(1.0f, {0.5f}, 1.0f), {a, b});
  EXPECT_EQ(y.dtype, DType::kI8);
  EXPECT_EQ(y.shape, (Shape{8, 1}));
  EXPECT_THAT(AsInts(y), ElementsAre(0, 2, 2, 4, 0, -2, -2, -4));
}

TEST(Int8Gemm, Saturates) {
  HostTensor a = Tensor<int8_t>({2, 2}, {127, 127, -128, 127});
  HostTensor b = Tensor<int8_t>({2, 2}, {127, -128, 127, -128});
  // Accumulators: [32258, -32512], [-127, 128]; M = 0.5.
  HostTensor y = MustRun("Gemm", Scales(0.25f, {1.0f}, 0.5f), {a, b});
  EXPECT_THAT(AsInts(y), ElementsAre(127, -128, -64, 64));
}

TEST(Int8Gemm, BiasTransBPerChannelScales) {
  HostTensor a = Tensor<int8_t>({2, 3}, {1, 2, 3, -4, 5, -6});
  // transB: B is [N, K] = [2, 3].
  HostTensor b = Tensor<int8_t>({2, 3}, {1, 0, -1, 2, 2, 2});
  HostTensor c = Tensor<int32_t>({2}, {10, -3});
  Attributes attrs = Scales(0.5f, {0.25f, 1.0f}, 1.0f);
  attrs.SetInt("transB", 1);
  // Accumulators: row 0: 1 - 3 + 10 = 8, 2 + 4 + 6 - 3 = 9; row 1: -4 + 6 + 10 = 12,
  // -8 + 10 - 12 - 3 = -13. Multipliers 0.125 and 0.5.
  HostTensor y = MustRun("Gemm", attrs, {a, b, c});
  EXPECT_THAT(AsInts(y), ElementsAre(1, 4, 2, -6));  // 1.0, 4.5 -> 4, 1.5 -> 2, -6.5 -> -6

  attrs.SetInt("output_type", 32);
  HostTensor acc = MustRun("Gemm", attrs, {a, b, c});
  EXPECT_EQ(acc.dtype, DType::kI32);
  EXPECT_THAT(AsInts(acc), ElementsAre(8, 9, 12, -13));
}

TEST(Int8Gemm, ActivationBounds) {
  HostTensor a = Tensor<int8_t>({5, 1}, {-100, -1, 0, 50, 100});
  HostTensor b = Tensor<int8_t>({1, 1}, {1});
  Attributes relu = Scales(0.1f, {1.0f}, 0.1f);
  relu.SetFloat("activation_min", 0.0f);
  EXPECT_THAT(AsInts(MustRun("Gemm", relu, {a, b})), ElementsAre(0, 0, 0, 50, 100));
  Attributes relu6 = relu;
  relu6.SetFloat("activation_max", 6.0f);  // q_max = rne(6 / 0.1) = 60
  EXPECT_THAT(AsInts(MustRun("Gemm", relu6, {a, b})), ElementsAre(0, 0, 0, 50, 60));
  Attributes clip = Scales(0.1f, {1.0f}, 0.1f);
  clip.SetFloat("activation_min", -0.25f);  // rne(-2.5) = -2
  clip.SetFloat("activation_max", 0.35f);   // 0.35f / 0.1f in double is just below 3.5
  std::vector<int> got = AsInts(MustRun("Gemm", clip, {a, b}));
  const double q_max = std::nearbyint(static_cast<double>(0.35f) / static_cast<double>(0.1f));
  EXPECT_THAT(got, ElementsAre(-2, -1, 0, static_cast<int>(q_max), static_cast<int>(q_max)));
}

// Independent integer GEMM + the rule, and the double formulation.
void CheckGemmAgainstFormulations(int64_t m, int64_t k, int64_t n, bool trans_b, bool bias,
                                  uint32_t seed) {
  std::vector<int8_t> a = RandomInt8(m * k, seed);
  std::vector<int8_t> b = RandomInt8(k * n, seed + 1);
  std::vector<int32_t> c(static_cast<size_t>(n));
  for (int64_t j = 0; j < n; ++j) c[j] = static_cast<int32_t>((j * 7919) % 4001) - 2000;
  std::vector<float> w_scale(static_cast<size_t>(n));
  for (int64_t j = 0; j < n; ++j) w_scale[j] = 0.002f + 0.0007f * static_cast<float>(j % 5);
  const float x_scale = 0.031f;
  const float y_scale = 0.047f * static_cast<float>(k) / 16.0f;
  Attributes attrs = Scales(x_scale, w_scale, y_scale);
  if (trans_b) attrs.SetInt("transB", 1);
  std::vector<HostTensor> inputs = {Tensor<int8_t>({m, k}, a),
                                    Tensor<int8_t>(trans_b ? Shape{n, k} : Shape{k, n}, b)};
  if (bias) inputs.push_back(Tensor<int32_t>({n}, c));
  std::vector<int> y = AsInts(MustRun("Gemm", attrs, inputs));
  ASSERT_EQ(static_cast<int64_t>(y.size()), m * n);
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      int32_t acc = bias ? c[j] : 0;
      double real = bias ? c[j] * static_cast<double>(x_scale) * w_scale[j] : 0.0;
      for (int64_t p = 0; p < k; ++p) {
        const int8_t bv = trans_b ? b[j * k + p] : b[p * n + j];
        acc += a[i * k + p] * bv;
        real +=
            (a[i * k + p] * static_cast<double>(x_scale)) * (bv * static_cast<double>(w_scale[j]));
      }
      const int got = y[i * n + j];
      EXPECT_EQ(got, RuleRequantize(acc, x_scale, w_scale[j], y_scale)) << i << "," << j;
      const double exact = real / y_scale;
      const double clamped = exact < -128 ? -128 : (exact > 127 ? 127 : exact);
      EXPECT_LE(std::fabs(got - clamped), 0.5 + 1e-5 * std::fabs(exact) + 1e-9) << i << "," << j;
    }
  }
}

TEST(Int8Gemm, MatchesIndependentFormulations) {
  CheckGemmAgainstFormulations(5, 16, 7, false, true, 11);
  CheckGemmAgainstFormulations(3, 33, 9, true, true, 12);
  CheckGemmAgainstFormulations(4, 64, 3, true, false, 13);
}

TEST(Int8Gemm, Errors) {
  HostTensor a = Tensor<int8_t>({2, 3}, std::vector<int8_t>(6, 1));
  HostTensor b = Tensor<int8_t>({3, 4}, std::vector<int8_t>(12, 1));
  Attributes ok = Scales(1.0f, {1.0f}, 1.0f);
  Attributes no_x;
  no_x.SetFloats("w_scale", {1.0f});
  no_x.SetFloat("y_scale", 1.0f);
  EXPECT_THAT(ErrorOf("Gemm", no_x, {a, b}),
              HasSubstr("Gemm: attribute 'x_scale' (a scale) is required"));
  EXPECT_THAT(ErrorOf("Gemm", Scales(1.0f, {1.0f, 2.0f}, 1.0f), {a, b}),
              HasSubstr("Gemm: attribute 'w_scale' has 2 scales; expected 1 or 4"));
  EXPECT_THAT(ErrorOf("Gemm", Scales(1.0f, {1.0f}, -2.0f), {a, b}),
              HasSubstr("attribute 'y_scale' is -2; a scale must be positive and finite"));
  EXPECT_THAT(ErrorOf("Gemm", Scales(1.0f, {0.0f}, 1.0f), {a, b}),
              HasSubstr("attribute 'w_scale' [0] is 0"));
  HostTensor a_f32 = Tensor<float>({2, 3}, std::vector<float>(6, 1.0f));
  EXPECT_THAT(ErrorOf("Gemm", ok, {a_f32, b}),
              HasSubstr("Gemm: input 0 'A' has type float32, expected int8"));
  HostTensor b_bad = Tensor<int8_t>({4, 3}, std::vector<int8_t>(12, 1));
  EXPECT_THAT(ErrorOf("Gemm", ok, {a, b_bad}),
              HasSubstr("Gemm: input 1 'B' has shape (4,3) but A (2,3) needs [3, N]"));
  HostTensor c_bad = Tensor<int32_t>({3}, {1, 2, 3});
  EXPECT_THAT(ErrorOf("Gemm", ok, {a, b, c_bad}),
              HasSubstr("Gemm: input 2 'C' has shape (3), expected (4)"));
  HostTensor c_i8 = Tensor<int8_t>({4}, {1, 2, 3, 4});
  EXPECT_THAT(ErrorOf("Gemm", ok, {a, b, c_i8}),
              HasSubstr("input 2 'C' has type int8, expected int32"));
  Attributes type16 = ok;
  type16.SetInt("output_type", 16);
  EXPECT_THAT(ErrorOf("Gemm", type16, {a, b}),
              HasSubstr("attribute 'output_type' is 16; expected 8 (int8) or 32 (int32)"));
  Attributes trans_a = ok;
  trans_a.SetInt("transA", 1);
  EXPECT_THAT(ErrorOf("Gemm", trans_a, {a, b}), HasSubstr("attribute 'transA' is 1"));
  Attributes act32 = ok;
  act32.SetInt("output_type", 32);
  act32.SetFloat("activation_min", 0.0f);
  EXPECT_THAT(ErrorOf("Gemm", act32, {a, b}), HasSubstr("need output_type 8"));
  Attributes no_y = Attributes();
  no_y.SetFloat("x_scale", 1.0f);
  no_y.SetFloats("w_scale", {1.0f});
  EXPECT_THAT(ErrorOf("Gemm", no_y, {a, b}),
              HasSubstr("attribute 'y_scale' (a scale) is required"));
  no_y.SetInt("output_type", 32);
  EXPECT_EQ(ErrorOf("Gemm", no_y, {a, b}), "(ok)");
}

// ---- MatMul ---------------------------------------------------------------------------------

TEST(Int8MatMul, BatchedAEqualsRowsOfGemm) {
  const int64_t k = 6;
  const int64_t n = 5;
  std::vector<int8_t> a = RandomInt8(2 * 3 * k, 21);
  std::vector<int8_t> b = RandomInt8(k * n, 22);
  Attributes attrs = Scales(0.02f, {0.01f, 0.02f, 0.03f, 0.04f, 0.05f}, 0.1f);
  HostTensor y =
      MustRun("MatMul", attrs, {Tensor<int8_t>({2, 3, k}, a), Tensor<int8_t>({k, n}, b)});
  EXPECT_EQ(y.shape, (Shape{2, 3, n}));
  HostTensor g = MustRun("Gemm", attrs, {Tensor<int8_t>({6, k}, a), Tensor<int8_t>({k, n}, b)});
  EXPECT_EQ(AsInts(y), AsInts(g));
  attrs.SetInt("output_type", 32);
  std::vector<int> acc =
      AsInts(MustRun("MatMul", attrs, {Tensor<int8_t>({2, 3, k}, a), Tensor<int8_t>({k, n}, b)}));
  for (int64_t r = 0; r < 6; ++r) {
    for (int64_t j = 0; j < n; ++j) {
      int expected = 0;
      for (int64_t p = 0; p < k; ++p) expected += a[r * k + p] * b[p * n + j];
      EXPECT_EQ(acc[r * n + j], expected);
    }
  }
}

TEST(Int8MatMul, Errors) {
  Attributes ok = Scales(1.0f, {1.0f}, 1.0f);
  HostTensor a = Tensor<int8_t>({2, 2, 3}, std::vector<int8_t>(12, 1));
  EXPECT_THAT(
      ErrorOf("MatMul", ok, {a, Tensor<int8_t>({2, 3, 4}, std::vector<int8_t>(24, 1))}),
      HasSubstr("MatMul: input 1 'B' has shape (2,3,4) but A (2,2,3) needs a 2-D B [3, N]"));
  EXPECT_THAT(
      ErrorOf("MatMul", ok, {Tensor<int8_t>({3}, {1, 2, 3}), Tensor<int8_t>({3, 1}, {1, 2, 3})}),
      HasSubstr("needs rank >= 2"));
  EXPECT_THAT(ErrorOf("MatMul", Scales(1.0f, {1.0f, 1.0f, 1.0f}, 1.0f),
                      {a, Tensor<int8_t>({3, 2}, std::vector<int8_t>(6, 1))}),
              HasSubstr("MatMul: attribute 'w_scale' has 3 scales; expected 1 or 2"));
}

// ---- Conv -----------------------------------------------------------------------------------

struct ConvCase {
  Shape x;  // N, C, H, W
  Shape w;  // M, C/group, kh, kw
  int64_t group = 1;
  std::vector<int64_t> strides = {1, 1};
  std::vector<int64_t> dilations = {1, 1};
  std::vector<int64_t> pads = {0, 0, 0, 0};
  bool bias = true;
  bool per_channel = true;
};

struct ConvData {
  std::vector<int8_t> x;
  std::vector<int8_t> w;
  std::vector<int32_t> b;
  std::vector<float> w_scale;
  Attributes attrs;
  std::vector<HostTensor> inputs;
};

ConvData MakeConv(const ConvCase& c, uint32_t seed) {
  ConvData d;
  d.x = RandomInt8(NumElements(c.x), seed);
  d.w = RandomInt8(NumElements(c.w), seed + 100);
  const int64_t m = c.w[0];
  for (int64_t i = 0; i < m; ++i) {
    d.b.push_back(static_cast<int32_t>((i * 2654435761u) % 20001) - 10000);
    d.w_scale.push_back(c.per_channel ? 0.001f * static_cast<float>(1 + i % 7) : 0.003f);
  }
  const int64_t depth = c.w[1] * c.w[2] * c.w[3];
  d.attrs = Scales(0.05f, c.per_channel ? d.w_scale : std::vector<float>{0.003f},
                   0.0021f * static_cast<float>(depth));
  d.attrs.SetInt("group", c.group);
  d.attrs.SetInts("strides", c.strides);
  d.attrs.SetInts("dilations", c.dilations);
  d.attrs.SetInts("pads", c.pads);
  d.attrs.SetInts("kernel_shape", {c.w[2], c.w[3]});
  d.inputs = {Tensor<int8_t>(c.x, d.x), Tensor<int8_t>(c.w, d.w)};
  if (c.bias) d.inputs.push_back(Tensor<int32_t>({m}, d.b));
  return d;
}

// Accumulators of the convolution, written independently (with explicit zero padding).
std::vector<int32_t> ConvAccumulators(const ConvCase& c, const ConvData& d, Shape* y_shape) {
  const int64_t n = c.x[0], ci = c.x[1], h = c.x[2], w = c.x[3];
  const int64_t m = c.w[0], cg = c.w[1], kh = c.w[2], kw = c.w[3];
  const int64_t ph = h + c.pads[0] + c.pads[2];
  const int64_t pw = w + c.pads[1] + c.pads[3];
  std::vector<int32_t> padded(static_cast<size_t>(n * ci * ph * pw), 0);
  for (int64_t i = 0; i < n * ci; ++i) {
    for (int64_t y = 0; y < h; ++y) {
      for (int64_t x = 0; x < w; ++x) {
        padded[(i * ph + y + c.pads[0]) * pw + x + c.pads[1]] = d.x[(i * h + y) * w + x];
      }
    }
  }
  const int64_t oh = (ph - c.dilations[0] * (kh - 1) - 1) / c.strides[0] + 1;
  const int64_t ow = (pw - c.dilations[1] * (kw - 1) - 1) / c.strides[1] + 1;
  *y_shape = {n, m, oh, ow};
  std::vector<int32_t> acc;
  const int64_t mg = m / c.group;
  for (int64_t b = 0; b < n; ++b) {
    for (int64_t o = 0; o < m; ++o) {
      const int64_t g = o / mg;
      for (int64_t y = 0; y < oh; ++y) {
        for (int64_t x = 0; x < ow; ++x) {
          int32_t s = c.bias ? d.b[o] : 0;
          for (int64_t cc = 0; cc < cg; ++cc) {
            const int64_t plane = b * ci + g * cg + cc;
            for (int64_t i = 0; i < kh; ++i) {
              for (int64_t j = 0; j < kw; ++j) {
                const int64_t py = y * c.strides[0] + i * c.dilations[0];
                const int64_t px = x * c.strides[1] + j * c.dilations[1];
                s += padded[(plane * ph + py) * pw + px] * d.w[((o * cg + cc) * kh + i) * kw + j];
              }
            }
          }
          acc.push_back(s);
        }
      }
    }
  }
  return acc;
}

void CheckConv(const ConvCase& c, uint32_t seed) {
  SCOPED_TRACE(::testing::Message()
               << "X " << ShapeString(c.x) << " W " << ShapeString(c.w) << " group " << c.group);
  ConvData d = MakeConv(c, seed);
  Shape y_shape;
  std::vector<int32_t> acc = ConvAccumulators(c, d, &y_shape);
  HostTensor y = MustRun("Conv", d.attrs, d.inputs);
  ASSERT_EQ(y.shape, y_shape);
  ASSERT_EQ(y.dtype, DType::kI8);
  std::vector<int> got = AsInts(y);
  const double x_scale = 0.05f;
  const double y_scale = d.attrs.GetFloat("y_scale", 0).value();
  const int64_t inner = y_shape[2] * y_shape[3];
  int saturated = 0;
  for (size_t i = 0; i < acc.size(); ++i) {
    const int64_t o = (static_cast<int64_t>(i) / inner) % y_shape[1];
    const double ws = c.per_channel ? d.w_scale[o] : 0.003f;
    ASSERT_EQ(got[i], RuleRequantize(acc[i], x_scale, ws, y_scale)) << "element " << i;
    // Dequantized real arithmetic: sum of (x * x_scale) * (w * w_scale) is acc * x_scale *
    // w_scale up to double rounding; the int8 result is its rounding onto the y grid.
    const double exact = acc[i] * x_scale * ws / y_scale;
    const double clamped = exact < -128 ? -128 : (exact > 127 ? 127 : exact);
    EXPECT_LE(std::fabs(got[i] - clamped), 0.5 + 1e-5 * std::fabs(exact)) << "element " << i;
    if (got[i] == 127 || got[i] == -128) ++saturated;
  }
  EXPECT_LT(saturated, static_cast<int>(acc.size()));

  d.attrs.SetInt("output_type", 32);
  HostTensor y32 = MustRun("Conv", d.attrs, d.inputs);
  ASSERT_EQ(y32.dtype, DType::kI32);
  EXPECT_THAT(y32.values<int32_t>(), ElementsAreArray(acc));
}

TEST(Int8Conv, PlainAndPadded) {
  CheckConv({{1, 3, 6, 7}, {4, 3, 3, 3}}, 1);
  CheckConv({{2, 3, 5, 5}, {2, 3, 3, 3}, 1, {1, 1}, {1, 1}, {1, 1, 1, 1}}, 2);
  CheckConv({{1, 2, 5, 6}, {3, 2, 2, 3}, 1, {1, 1}, {1, 1}, {0, 2, 1, 0}, false, false}, 3);
}

TEST(Int8Conv, StridesAndDilations) {
  CheckConv({{1, 4, 9, 8}, {5, 4, 3, 3}, 1, {2, 2}, {1, 1}, {1, 1, 1, 1}}, 4);
  CheckConv({{1, 2, 9, 10}, {3, 2, 3, 2}, 1, {1, 2}, {2, 3}, {2, 0, 1, 3}}, 5);
  CheckConv({{1, 3, 7, 7}, {2, 3, 1, 1}, 1, {3, 2}}, 6);
}

TEST(Int8Conv, GroupsAndDepthwise) {
  CheckConv({{1, 6, 5, 5}, {4, 3, 3, 3}, 2, {1, 1}, {1, 1}, {1, 1, 1, 1}}, 7);
  CheckConv({{2, 8, 6, 6}, {8, 1, 3, 3}, 8, {2, 2}, {1, 1}, {1, 1, 1, 1}}, 8);
  CheckConv({{1, 4, 7, 7}, {8, 1, 3, 3}, 4, {1, 1}, {2, 2}, {2, 2, 2, 2}}, 9);  // multiplier 2
}

TEST(Int8Conv, PerTensorWeightScale) {
  CheckConv({{1, 3, 5, 5}, {4, 3, 3, 3}, 1, {1, 1}, {1, 1}, {1, 1, 1, 1}, true, false}, 10);
}

TEST(Int8Conv, HandComputedWithRelu6) {
  // One 2x2 input, 2x2 kernel of ones, padding 1 on the left/top: outputs are partial sums.
  HostTensor x = Tensor<int8_t>({1, 1, 2, 2}, {10, 20, 30, 40});
  HostTensor w = Tensor<int8_t>({1, 1, 2, 2}, {1, 1, 1, 1});
  HostTensor b = Tensor<int32_t>({1}, {-25});
  Attributes a = Scales(0.1f, {1.0f}, 0.2f);  // M = 0.5
  a.SetInts("pads", {1, 1, 0, 0});
  a.SetFloat("activation_min", 0.0f);
  a.SetFloat("activation_max", 6.0f);  // q_max = 30
  // Accumulators: 10-25, 30-25, 40-25, 100-25 = -15, 5, 15, 75 -> -7.5, 2.5, 7.5, 37.5.
  HostTensor y = MustRun("Conv", a, {x, w, b});
  EXPECT_EQ(y.shape, (Shape{1, 1, 2, 2}));
  EXPECT_THAT(AsInts(y), ElementsAre(0, 2, 8, 30));
}

TEST(Int8Conv, HandComputedFusedFunction) {
  // 1x1 conv, one input channel, two output channels (w 1 and 3) with biases 0 and -5. x_scale
  // 0.5, w_scale 1, lut_x_scale 0.25: the 12-bit grid index is acc * 2 (exact), saturating at
  // -2048 / 2047. HardSigmoid alpha 0.25 beta 0.5 then * 2 - 0.5, onto y_scale 0.125.
  HostTensor x = Tensor<int8_t>({1, 1, 1, 4}, {-4, 0, 3, 127});
  HostTensor w = Tensor<int8_t>({2, 1, 1, 1}, {1, 3});
  HostTensor b = Tensor<int32_t>({2}, {0, -5});
  Attributes a = Scales(0.5f, {1.0f}, 0.125f);
  a.SetString("lut_function", "HardSigmoid");
  a.SetFloat("lut_x_scale", 0.25f);
  a.SetFloat("lut_alpha", 0.25f);
  a.SetFloat("lut_beta", 0.5f);
  a.SetFloat("lut_post_mul", 2.0f);
  a.SetFloat("lut_post_add", -0.5f);
  auto g = [](double v) { return std::min(1.0, std::max(0.0, 0.25 * v + 0.5)) * 2.0 - 0.5; };
  std::vector<int> want;
  for (int32_t c : {0, 1}) {
    for (int32_t xv : {-4, 0, 3, 127}) {
      const int32_t acc = xv * (c == 0 ? 1 : 3) + (c == 0 ? 0 : -5);
      // The function's input is acc * 0.5 (real), exactly on the grid of 0.25.
      want.push_back(static_cast<int>(std::nearbyint(g(acc * 0.5) / 0.125)));
    }
  }
  HostTensor y = MustRun("Conv", a, {x, w, b});
  EXPECT_THAT(AsInts(y), ElementsAreArray(want));
  // x = 3 in channel 0: acc 3, input 1.5, g = 0.875 * 2 - 0.5 = 1.25, 10 output steps.
  EXPECT_EQ(AsInts(y)[2], 10);
  // A fine grid saturates: lut_x_scale 1e-3 puts acc 3 (1.5) at 1500 but acc 127 (63.5) beyond
  // 2047, where the input reads as 2.047.
  a.SetFloat("lut_x_scale", 1e-3f);
  a.SetString("lut_function", "Tanh");
  HostTensor tiny = MustRun("Conv", a, {x, w, b});
  EXPECT_EQ(AsInts(tiny)[3],
            static_cast<int>(std::nearbyint(
                (std::tanh(2047 * static_cast<double>(1e-3f)) * 2.0 - 0.5) / 0.125)));
}

TEST(Int8Conv, Errors) {
  HostTensor x = Tensor<int8_t>({1, 4, 5, 5}, std::vector<int8_t>(100, 1));
  HostTensor w = Tensor<int8_t>({2, 4, 3, 3}, std::vector<int8_t>(72, 1));
  Attributes ok = Scales(1.0f, {1.0f}, 1.0f);
  EXPECT_EQ(ErrorOf("Conv", ok, {x, w}), "(ok)");
  Attributes missing;
  missing.SetFloat("x_scale", 1.0f);
  missing.SetFloat("y_scale", 1.0f);
  EXPECT_THAT(ErrorOf("Conv", missing, {x, w}),
              HasSubstr("Conv: attribute 'w_scale' (scales) is required"));
  EXPECT_THAT(ErrorOf("Conv", Scales(1.0f, {1.0f, 1.0f, 1.0f}, 1.0f), {x, w}),
              HasSubstr("Conv: attribute 'w_scale' has 3 scales; expected 1 or 2"));
  HostTensor x_u8 = Tensor<uint8_t>({1, 4, 5, 5}, std::vector<uint8_t>(100, 1));
  EXPECT_THAT(ErrorOf("Conv", ok, {x_u8, w}),
              HasSubstr("Conv: input 0 'X' has type uint8, expected int8"));
  HostTensor w_bad = Tensor<int8_t>({2, 3, 3, 3}, std::vector<int8_t>(54, 1));
  EXPECT_THAT(ErrorOf("Conv", ok, {x, w_bad}),
              HasSubstr("Conv: input 1 'W' has shape (2,3,3,3) but X (1,4,5,5) with group 1 "
                        "needs W dimension 1 = C / group = 4 / 1"));
  HostTensor w_rank3 = Tensor<int8_t>({2, 4, 9}, std::vector<int8_t>(72, 1));
  EXPECT_THAT(ErrorOf("Conv", ok, {x, w_rank3}), HasSubstr("input 1 'W' has shape (2,4,9)"));
  Attributes grouped = ok;
  grouped.SetInt("group", 3);
  EXPECT_THAT(ErrorOf("Conv", grouped, {x, w}), HasSubstr("with group 3"));
  HostTensor b_bad = Tensor<int32_t>({3}, {1, 2, 3});
  EXPECT_THAT(ErrorOf("Conv", ok, {x, w, b_bad}),
              HasSubstr("Conv: input 2 'B' has shape (3), expected (2)"));
  Attributes same = ok;
  same.SetString("auto_pad", "SAME_UPPER");
  EXPECT_THAT(ErrorOf("Conv", same, {x, w}), HasSubstr("attribute 'auto_pad' must be NOTSET"));
  Attributes kernel = ok;
  kernel.SetInts("kernel_shape", {2, 2});
  EXPECT_THAT(ErrorOf("Conv", kernel, {x, w}),
              HasSubstr("attribute 'kernel_shape' [2,2] does not match W's spatial shape"));
  Attributes bad_bounds = ok;
  bad_bounds.SetFloat("activation_min", 6.0f);
  bad_bounds.SetFloat("activation_max", 0.0f);
  EXPECT_THAT(ErrorOf("Conv", bad_bounds, {x, w}), HasSubstr("do not form a range"));
  Attributes fn = ok;
  fn.SetString("lut_function", "SiLU");
  EXPECT_THAT(ErrorOf("Conv", fn, {x, w}),
              HasSubstr("Conv: attribute 'lut_x_scale' (a scale) is required"));
  fn.SetFloat("lut_x_scale", 0.0f);
  EXPECT_THAT(ErrorOf("Conv", fn, {x, w}), HasSubstr("Conv: attribute 'lut_x_scale' is 0"));
  fn.SetFloat("lut_x_scale", 0.01f);
  EXPECT_EQ(ErrorOf("Conv", fn, {x, w}), "(ok)");
  fn.SetFloat("lut_post_add", std::nanf(""));
  EXPECT_THAT(ErrorOf("Conv", fn, {x, w}),
              HasSubstr("Conv: attribute 'lut_post_add' is nan; it must be finite"));
  Attributes fn_name = ok;
  fn_name.SetString("lut_function", "Gelu");
  fn_name.SetFloat("lut_x_scale", 0.01f);
  EXPECT_THAT(ErrorOf("Conv", fn_name, {x, w}),
              HasSubstr("Conv: attribute 'lut_function' is 'Gelu', expected Sigmoid"));
  Attributes fn_int32 = ok;
  fn_int32.SetInt("output_type", 32);
  fn_int32.SetString("lut_function", "SiLU");
  EXPECT_THAT(ErrorOf("Conv", fn_int32, {x, w}),
              HasSubstr("Conv: attribute 'lut_function' needs output_type 8"));
}

}  // namespace
}  // namespace hb_dnn::kernels
