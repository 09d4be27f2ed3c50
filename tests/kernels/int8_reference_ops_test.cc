// The int8 reference kernels of hb_dnn.bpu other than Conv/Gemm/MatMul (docs/int8_numerics.md):
// pooling, Add/Mul with broadcasting, Concat, Resize and Lut, against hand-computed values and
// independent formulations of the contract; their error paths; and the ONNX-domain data-movement
// ops (Reshape, Flatten, Transpose, Identity) on int8 tensors.

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/status.h"
#include "tests/kernels/int8_test_util.h"

namespace hb_dnn::kernels {
namespace {

using int8_test::AsInts;
using int8_test::ErrorOf;
using int8_test::MustRun;
using int8_test::RandomInt8;
using int8_test::RoundHalfEven;
using int8_test::RuleRequantize;
using int8_test::SaturateInt8;
using nn_test::HostTensor;
using nn_test::Tensor;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

Attributes XyScales(float x_scale, float y_scale) {
  Attributes a;
  a.SetFloat("x_scale", x_scale);
  a.SetFloat("y_scale", y_scale);
  return a;
}

HostTensor Iota3x3() { return Tensor<int8_t>({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}); }

// ---- pooling --------------------------------------------------------------------------------

TEST(Int8MaxPool, PadsStridesCeilMode) {
  HostTensor x = Tensor<int8_t>({1, 1, 3, 3}, {-128, -5, 3, 7, -100, -128, 0, 2, -1});
  Attributes a;
  a.SetInts("kernel_shape", {2, 2});
  a.SetInts("strides", {2, 2});
  a.SetInt("ceil_mode", 1);
  HostTensor y = MustRun("MaxPool", a, {x});
  EXPECT_EQ(y.shape, (Shape{1, 1, 2, 2}));
  EXPECT_THAT(AsInts(y), ElementsAre(7, 3, 2, -1));
  // Padding never wins, even over -128.
  Attributes padded;
  padded.SetInts("kernel_shape", {2, 2});
  padded.SetInts("pads", {1, 1, 0, 0});
  HostTensor all_min = Tensor<int8_t>({1, 1, 2, 2}, {-128, -128, -128, -128});
  EXPECT_THAT(AsInts(MustRun("MaxPool", padded, {all_min})), ElementsAre(-128, -128, -128, -128));
  // Dilation 2 picks the corners of a 3x3 window.
  Attributes dilated;
  dilated.SetInts("kernel_shape", {2, 2});
  dilated.SetInts("dilations", {2, 2});
  EXPECT_THAT(AsInts(MustRun("MaxPool", dilated, {Iota3x3()})), ElementsAre(9));
}

TEST(Int8AveragePool, HandComputedCountsAndTies) {
  Attributes a = XyScales(1.0f, 1.0f);
  a.SetInts("kernel_shape", {2, 2});
  a.SetInts("strides", {2, 2});
  a.SetInt("ceil_mode", 1);
  // Windows {1,2,4,5} {3,6} {7,8} {9}: 12/4, 9/2 = 4.5 -> 4, 15/2 = 7.5 -> 8, 9/1.
  EXPECT_THAT(AsInts(MustRun("AveragePool", a, {Iota3x3()})), ElementsAre(3, 4, 8, 9));

  Attributes b = XyScales(1.0f, 1.0f);
  b.SetInts("kernel_shape", {3, 3});
  b.SetInts("strides", {3, 3});
  b.SetInts("pads", {1, 1, 1, 1});
  b.SetInt("ceil_mode", 1);
  b.SetInt("count_include_pad", 1);
  // Padded extent is [-1, 4); the ceil_mode window [2, 5) counts input 2 and pad 3, not 4:
  // 12/9 -> 1, 9/6 = 1.5 -> 2, 15/6 = 2.5 -> 2, 9/4 = 2.25 -> 2.
  EXPECT_THAT(AsInts(MustRun("AveragePool", b, {Iota3x3()})), ElementsAre(1, 2, 2, 2));
  b.SetInt("count_include_pad", 0);
  EXPECT_THAT(AsInts(MustRun("AveragePool", b, {Iota3x3()})), ElementsAre(3, 4, 8, 9));
}

// AveragePool written independently: sums and counts per window, then the rule with
// M = x_scale / (y_scale * count).
void CheckAveragePool(Shape shape, std::vector<int64_t> kernel, std::vector<int64_t> strides,
                      std::vector<int64_t> pads, bool ceil_mode, bool include_pad, uint32_t seed) {
  SCOPED_TRACE(::testing::Message()
               << ShapeString(shape) << " ceil " << ceil_mode << " include " << include_pad);
  const float x_scale = 0.037f;
  const float y_scale = 0.029f;
  std::vector<int8_t> x = RandomInt8(NumElements(shape), seed);
  Attributes a = XyScales(x_scale, y_scale);
  a.SetInts("kernel_shape", kernel);
  a.SetInts("strides", strides);
  a.SetInts("pads", pads);
  a.SetInt("ceil_mode", ceil_mode);
  a.SetInt("count_include_pad", include_pad);
  HostTensor y = MustRun("AveragePool", a, {Tensor<int8_t>(shape, x)});
  const int64_t h = shape[2], w = shape[3];
  auto out_size = [&](int64_t in, int d) {
    const int64_t span = in + pads[d] + pads[d + 2] - kernel[d];
    int64_t out = (ceil_mode ? (span + strides[d] - 1) / strides[d] : span / strides[d]) + 1;
    if (ceil_mode && (out - 1) * strides[d] >= in + pads[d]) --out;
    return out;
  };
  const int64_t oh = out_size(h, 0), ow = out_size(w, 1);
  ASSERT_EQ(y.shape, (Shape{shape[0], shape[1], oh, ow}));
  std::vector<int> got = AsInts(y);
  size_t i = 0;
  for (int64_t plane = 0; plane < shape[0] * shape[1]; ++plane) {
    for (int64_t r = 0; r < oh; ++r) {
      for (int64_t c = 0; c < ow; ++c, ++i) {
        int32_t sum = 0;
        int count = 0;
        for (int64_t u = r * strides[0] - pads[0]; u < r * strides[0] - pads[0] + kernel[0]; ++u) {
          for (int64_t v = c * strides[1] - pads[1]; v < c * strides[1] - pads[1] + kernel[1];
               ++v) {
            if (u >= 0 && u < h && v >= 0 && v < w) {
              sum += x[(plane * h + u) * w + v];
              ++count;
            } else if (include_pad && u >= -pads[0] && u < h + pads[2] && v >= -pads[1] &&
                       v < w + pads[3]) {
              ++count;
            }
          }
        }
        ASSERT_EQ(got[i], RuleRequantize(sum, x_scale, 1.0, static_cast<double>(y_scale) * count))
            << "plane " << plane << " (" << r << "," << c << ")";
      }
    }
  }
}

TEST(Int8AveragePool, MatchesIndependentFormulation) {
  CheckAveragePool({2, 3, 7, 6}, {3, 3}, {2, 2}, {1, 1, 1, 1}, false, false, 1);
  CheckAveragePool({1, 2, 7, 6}, {3, 3}, {2, 2}, {1, 1, 1, 1}, false, true, 2);
  CheckAveragePool({1, 2, 8, 7}, {3, 2}, {3, 2}, {0, 1, 2, 0}, true, true, 3);
  CheckAveragePool({1, 2, 8, 7}, {3, 2}, {3, 2}, {0, 1, 2, 0}, true, false, 4);
}

TEST(Int8GlobalAveragePool, SumThenRule) {
  std::vector<int8_t> x = RandomInt8(2 * 3 * 5 * 4, 5);
  HostTensor y =
      MustRun("GlobalAveragePool", XyScales(0.05f, 0.01f), {Tensor<int8_t>({2, 3, 5, 4}, x)});
  EXPECT_EQ(y.shape, (Shape{2, 3, 1, 1}));
  std::vector<int> got = AsInts(y);
  for (int plane = 0; plane < 6; ++plane) {
    int32_t sum = 0;
    for (int i = 0; i < 20; ++i) sum += x[plane * 20 + i];
    EXPECT_EQ(got[plane], RuleRequantize(sum, 0.05f, 1.0, 0.01f * 20.0));
  }
  // 2x2 plane of {1, 1, 1, 2}: 5/4 = 1.25; {1, 1, 2, 2}: 1.5 -> 2; {1, 2, 2, 2}: 1.75 -> 2;
  // {2, 2, 2, 4}: 2.5 -> 2.
  HostTensor ties = Tensor<int8_t>({1, 4, 2, 2}, {1, 1, 1, 2, 1, 1, 2, 2, 1, 2, 2, 2, 2, 2, 2, 4});
  EXPECT_THAT(AsInts(MustRun("GlobalAveragePool", XyScales(1.0f, 1.0f), {ties})),
              ElementsAre(1, 2, 2, 2));
}

TEST(Int8Pool, Errors) {
  Attributes no_kernel = XyScales(1.0f, 1.0f);
  EXPECT_THAT(ErrorOf("AveragePool", no_kernel, {Iota3x3()}),
              HasSubstr("AveragePool: attribute 'kernel_shape' is []"));
  Attributes avg;
  avg.SetInts("kernel_shape", {2, 2});
  EXPECT_THAT(ErrorOf("AveragePool", avg, {Iota3x3()}),
              HasSubstr("AveragePool: attribute 'x_scale' (a scale) is required"));
  avg.SetFloat("x_scale", 1.0f);
  EXPECT_THAT(ErrorOf("AveragePool", avg, {Iota3x3()}),
              HasSubstr("AveragePool: attribute 'y_scale' (a scale) is required"));
  Attributes max;
  max.SetInts("kernel_shape", {2, 2});
  HostTensor f = Tensor<float>({1, 1, 3, 3}, std::vector<float>(9, 0.0f));
  EXPECT_THAT(ErrorOf("MaxPool", max, {f}),
              HasSubstr("MaxPool: input 0 'X' has type float32, expected int8"));
  EXPECT_THAT(ErrorOf("MaxPool", max, {Tensor<int8_t>({1, 9}, std::vector<int8_t>(9, 0))}),
              HasSubstr("needs rank 4"));
  max.SetString("auto_pad", "SAME_UPPER");
  EXPECT_THAT(ErrorOf("MaxPool", max, {Iota3x3()}), HasSubstr("'auto_pad' must be NOTSET"));
  EXPECT_THAT(ErrorOf("GlobalAveragePool", XyScales(1.0f, 1.0f),
                      {Tensor<int8_t>({2, 3}, std::vector<int8_t>(6, 0))}),
              HasSubstr("GlobalAveragePool: input 0 'X' has shape (2,3)"));
}

// ---- Add / Mul ------------------------------------------------------------------------------

Attributes AbScales(float a_scale, float b_scale, float y_scale) {
  Attributes a;
  a.SetFloat("a_scale", a_scale);
  a.SetFloat("b_scale", b_scale);
  a.SetFloat("y_scale", y_scale);
  return a;
}

int RuleAdd(int a, int b, float a_scale, float b_scale, float y_scale, int q_min = -128,
            int q_max = 127) {
  const float ma = static_cast<float>(static_cast<double>(a_scale) / y_scale);
  const float mb = static_cast<float>(static_cast<double>(b_scale) / y_scale);
  volatile float pa = static_cast<float>(a) * ma;
  volatile float pb = static_cast<float>(b) * mb;
  volatile float sum = pa + pb;
  int q = SaturateInt8(RoundHalfEven(sum));
  return q < q_min ? q_min : (q > q_max ? q_max : q);
}

TEST(Int8Add, HandComputedTiesAndSaturation) {
  HostTensor a = Tensor<int8_t>({6}, {1, 3, -1, -3, 127, -128});
  HostTensor b = Tensor<int8_t>({6}, {0, 0, 0, 0, 127, -128});
  // Ma = Mb = 0.5: 0.5 -> 0, 1.5 -> 2, -0.5 -> -0, -1.5 -> -2, 127 and -128 exactly.
  EXPECT_THAT(AsInts(MustRun("Add", AbScales(0.5f, 0.5f, 1.0f), {a, b})),
              ElementsAre(0, 2, 0, -2, 127, -128));
  // Ma = Mb = 1: sums saturate.
  EXPECT_THAT(AsInts(MustRun("Add", AbScales(1.0f, 1.0f, 1.0f), {a, b})),
              ElementsAre(1, 3, -1, -3, 127, -128));
  Attributes relu6 = AbScales(0.1f, 0.1f, 0.1f);
  relu6.SetFloat("activation_min", 0.0f);
  relu6.SetFloat("activation_max", 6.0f);
  EXPECT_THAT(AsInts(MustRun("Add", relu6, {a, b})), ElementsAre(1, 3, 0, 0, 60, 0));
}

TEST(Int8Add, BroadcastMatchesRule) {
  const float a_scale = 0.031f, b_scale = 0.017f, y_scale = 0.043f;
  std::vector<int8_t> a = RandomInt8(2 * 3 * 4, 31);
  std::vector<int8_t> b = RandomInt8(3 * 1, 32);
  HostTensor y = MustRun("Add", AbScales(a_scale, b_scale, y_scale),
                         {Tensor<int8_t>({2, 3, 4}, a), Tensor<int8_t>({3, 1}, b)});
  EXPECT_EQ(y.shape, (Shape{2, 3, 4}));
  std::vector<int> got = AsInts(y);
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 3; ++j) {
      for (int k = 0; k < 4; ++k) {
        const int idx = (i * 3 + j) * 4 + k;
        EXPECT_EQ(got[idx], RuleAdd(a[idx], b[j], a_scale, b_scale, y_scale)) << idx;
        const double exact =
            (a[idx] * static_cast<double>(a_scale) + b[j] * static_cast<double>(b_scale)) / y_scale;
        EXPECT_LE(std::fabs(got[idx] - exact), 0.5 + 1e-5);
      }
    }
  }
  // Both sides broadcast: [2,1] + [1,3] -> [2,3], scalar-like [1] on the left.
  HostTensor y2 = MustRun("Add", AbScales(1.0f, 1.0f, 1.0f),
                          {Tensor<int8_t>({2, 1}, {10, 20}), Tensor<int8_t>({1, 3}, {1, 2, 3})});
  EXPECT_EQ(y2.shape, (Shape{2, 3}));
  EXPECT_THAT(AsInts(y2), ElementsAre(11, 12, 13, 21, 22, 23));
  HostTensor y3 = MustRun("Add", AbScales(1.0f, 1.0f, 1.0f),
                          {Tensor<int8_t>({1}, {5}), Tensor<int8_t>({2, 2}, {1, 2, 3, 4})});
  EXPECT_THAT(AsInts(y3), ElementsAre(6, 7, 8, 9));
}

TEST(Int8Mul, ExactProductThenRule) {
  const float a_scale = 0.02f, b_scale = 0.05f, y_scale = 0.013f;
  std::vector<int8_t> a = RandomInt8(12, 41);
  std::vector<int8_t> b = RandomInt8(4, 42);
  HostTensor y = MustRun("Mul", AbScales(a_scale, b_scale, y_scale),
                         {Tensor<int8_t>({3, 4}, a), Tensor<int8_t>({4}, b)});
  std::vector<int> got = AsInts(y);
  for (int i = 0; i < 12; ++i) {
    EXPECT_EQ(got[i], RuleRequantize(a[i] * b[i % 4], a_scale, b_scale, y_scale)) << i;
  }
  // M = 0.25: 2*1 = 2 -> 0.5 -> 0; 2*3 = 6 -> 1.5 -> 2; -128*-128 saturates.
  EXPECT_THAT(
      AsInts(MustRun("Mul", AbScales(0.5f, 0.5f, 1.0f),
                     {Tensor<int8_t>({3}, {2, 2, -128}), Tensor<int8_t>({3}, {1, 3, -128})})),
      ElementsAre(0, 2, 127));
  Attributes relu = AbScales(1.0f, 1.0f, 1.0f);
  relu.SetFloat("activation_min", 0.0f);
  EXPECT_THAT(
      AsInts(MustRun("Mul", relu, {Tensor<int8_t>({2}, {-3, 3}), Tensor<int8_t>({2}, {2, 2})})),
      ElementsAre(0, 6));
}

TEST(Int8Eltwise, Errors) {
  HostTensor a = Tensor<int8_t>({2, 3}, std::vector<int8_t>(6, 1));
  Attributes no_b;
  no_b.SetFloat("a_scale", 1.0f);
  no_b.SetFloat("y_scale", 1.0f);
  EXPECT_THAT(ErrorOf("Add", no_b, {a, a}),
              HasSubstr("Add: attribute 'b_scale' (a scale) is required"));
  EXPECT_THAT(ErrorOf("Mul", AbScales(1.0f, 1.0f, 1.0f), {a, Tensor<int8_t>({4}, {1, 2, 3, 4})}),
              HasSubstr("Mul: shapes (2,3) and (4) cannot be broadcast together"));
  EXPECT_THAT(ErrorOf("Add", AbScales(1.0f, 1.0f, 1.0f), {a, Tensor<int32_t>({3}, {1, 2, 3})}),
              HasSubstr("Add: input 1 'B' has type int32, expected int8"));
  EXPECT_THAT(ErrorOf("Add", AbScales(1.0f, std::nanf(""), 1.0f), {a, a}),
              HasSubstr("Add: attribute 'b_scale' is nan; a scale must be positive and finite"));
}

// ---- Concat ---------------------------------------------------------------------------------

TEST(Int8Concat, CopiesMatchingScalesRequantizesOthers) {
  Attributes a;
  a.SetInt("axis", 1);
  a.SetFloats("x_scales", {0.1f, 0.05f, 0.4f});
  a.SetFloat("y_scale", 0.1f);
  HostTensor x0 = Tensor<int8_t>({2, 1}, {-128, 127});
  HostTensor x1 = Tensor<int8_t>({2, 2}, {5, 7, -5, -3});  // M = 0.5: ties
  HostTensor x2 = Tensor<int8_t>({2, 1}, {40, -33});       // M = 4: saturates
  HostTensor y = MustRun("Concat", a, {x0, x1, x2});
  EXPECT_EQ(y.shape, (Shape{2, 4}));
  EXPECT_THAT(AsInts(y), ElementsAre(-128, 2, 4, 127, 127, -2, -2, -128));
  // Negative axis, differing scales against the rule.
  Attributes b;
  b.SetInt("axis", -3);
  b.SetFloats("x_scales", {0.013f, 0.029f});
  b.SetFloat("y_scale", 0.021f);
  std::vector<int8_t> p = RandomInt8(1 * 2 * 3, 51);
  std::vector<int8_t> q = RandomInt8(2 * 2 * 3, 52);
  HostTensor z = MustRun("Concat", b, {Tensor<int8_t>({1, 2, 3}, p), Tensor<int8_t>({2, 2, 3}, q)});
  EXPECT_EQ(z.shape, (Shape{3, 2, 3}));
  std::vector<int> got = AsInts(z);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(got[i], RuleRequantize(p[i], 0.013f, 1.0, 0.021f));
  for (int i = 0; i < 12; ++i) EXPECT_EQ(got[6 + i], RuleRequantize(q[i], 0.029f, 1.0, 0.021f));
}

TEST(Int8Concat, Errors) {
  HostTensor x = Tensor<int8_t>({2, 2}, {1, 2, 3, 4});
  Attributes a;
  a.SetInt("axis", 0);
  a.SetFloats("x_scales", {1.0f});
  a.SetFloat("y_scale", 1.0f);
  EXPECT_THAT(
      ErrorOf("Concat", a, {x, x}),
      HasSubstr("Concat: attribute 'x_scales' has 1 scales for 2 inputs; expected one per input"));
  a.SetFloats("x_scales", {1.0f, 1.0f});
  EXPECT_THAT(ErrorOf("Concat", a, {x, Tensor<int8_t>({2, 3}, std::vector<int8_t>(6, 0))}),
              HasSubstr("Concat: input 1 has shape (2,3) but input 0 has shape (2,2); they may "
                        "differ only along axis 0"));
  EXPECT_THAT(ErrorOf("Concat", a, {x, Tensor<uint8_t>({2, 2}, {1, 2, 3, 4})}),
              HasSubstr("Concat: input 1 has type uint8, expected int8"));
  a.SetInt("axis", 2);
  EXPECT_THAT(ErrorOf("Concat", a, {x, x}), HasSubstr("Concat: attribute 'axis'"));
  Attributes no_y;
  no_y.SetInt("axis", 0);
  no_y.SetFloats("x_scales", {1.0f, 1.0f});
  EXPECT_THAT(ErrorOf("Concat", no_y, {x, x}),
              HasSubstr("Concat: attribute 'y_scale' (a scale) is required"));
}

// ---- Resize ---------------------------------------------------------------------------------

Attributes ResizeAttributes(const std::string& mode, const std::string& coordinate,
                            std::vector<int64_t> sizes, float x_scale = 1.0f,
                            float y_scale = 1.0f) {
  Attributes a = XyScales(x_scale, y_scale);
  a.SetString("mode", mode);
  a.SetString("coordinate_transformation_mode", coordinate);
  a.SetInts("sizes", std::move(sizes));
  return a;
}

TEST(Int8Resize, NearestModes) {
  HostTensor x = Tensor<int8_t>({1, 1, 1, 3}, {10, 20, 30});
  // asymmetric x2: sources 0, 0.5, 1, 1.5, 2, 2.5.
  Attributes a = ResizeAttributes("nearest", "asymmetric", {1, 1, 1, 6});
  a.SetString("nearest_mode", "round_prefer_floor");
  EXPECT_THAT(AsInts(MustRun("Resize", a, {x})), ElementsAre(10, 10, 20, 20, 30, 30));
  a.SetString("nearest_mode", "round_prefer_ceil");
  EXPECT_THAT(AsInts(MustRun("Resize", a, {x})), ElementsAre(10, 20, 20, 30, 30, 30));
  a.SetString("nearest_mode", "floor");
  EXPECT_THAT(AsInts(MustRun("Resize", a, {x})), ElementsAre(10, 10, 20, 20, 30, 30));
  a.SetString("nearest_mode", "ceil");
  EXPECT_THAT(AsInts(MustRun("Resize", a, {x})), ElementsAre(10, 20, 20, 30, 30, 30));
  // half_pixel x2: sources -0.25, 0.25, 0.75, 1.25, 1.75, 2.25 (clamped).
  Attributes h = ResizeAttributes("nearest", "half_pixel", {1, 1, 1, 6});
  EXPECT_THAT(AsInts(MustRun("Resize", h, {x})), ElementsAre(10, 10, 20, 20, 30, 30));
  // align_corners 3 -> 5: sources 0, 0.5, 1, 1.5, 2 with round_prefer_floor.
  Attributes c = ResizeAttributes("nearest", "align_corners", {1, 1, 1, 5});
  EXPECT_THAT(AsInts(MustRun("Resize", c, {x})), ElementsAre(10, 10, 20, 20, 30));
  // pytorch_half_pixel to one element: source 0.
  Attributes p = ResizeAttributes("nearest", "pytorch_half_pixel", {1, 1, 1, 1});
  EXPECT_THAT(AsInts(MustRun("Resize", p, {x})), ElementsAre(10));
  // Different scales requantize: M = 0.25, 10 -> 2.5 -> 2, 30 -> 7.5 -> 8.
  Attributes r = ResizeAttributes("nearest", "asymmetric", {1, 1, 1, 3}, 0.5f, 2.0f);
  EXPECT_THAT(AsInts(MustRun("Resize", r, {x})), ElementsAre(2, 5, 8));
}

TEST(Int8Resize, LinearHandComputed) {
  HostTensor x = Tensor<int8_t>({1, 1, 2, 2}, {0, 40, 80, 120});
  // align_corners 2 -> 3: sources 0, 0.5, 1 on both axes.
  Attributes a = ResizeAttributes("linear", "align_corners", {1, 1, 3, 3});
  EXPECT_THAT(AsInts(MustRun("Resize", a, {x})), ElementsAre(0, 20, 40, 40, 60, 80, 80, 100, 120));
  // half_pixel 2 -> 4: sources -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
  Attributes h = ResizeAttributes("linear", "half_pixel", {1, 1, 1, 4});
  HostTensor row = Tensor<int8_t>({1, 1, 1, 2}, {0, 40});
  EXPECT_THAT(AsInts(MustRun("Resize", h, {row})), ElementsAre(0, 10, 30, 40));
  // With M = 0.5 the 10 and 30 become ties: 5 -> 5, 15 -> 15; odd steps: {0, 2} -> 0.5, 1.5.
  Attributes m = ResizeAttributes("linear", "half_pixel", {1, 1, 1, 4}, 1.0f, 2.0f);
  EXPECT_THAT(AsInts(MustRun("Resize", m, {Tensor<int8_t>({1, 1, 1, 2}, {0, 4})})),
              ElementsAre(0, 0, 2, 2));  // 0, 0.5 -> 0, 1.5 -> 2, 2
  // pytorch_half_pixel and asymmetric downsampling.
  Attributes d = ResizeAttributes("linear", "asymmetric", {1, 1, 1, 2});
  EXPECT_THAT(AsInts(MustRun("Resize", d, {Tensor<int8_t>({1, 1, 1, 4}, {0, 10, 20, 30})})),
              ElementsAre(0, 20));
  Attributes pt = ResizeAttributes("linear", "pytorch_half_pixel", {1, 1, 1, 2});
  // sources (o + 0.5) * 2 - 0.5 = 0.5, 2.5: 5, 25.
  EXPECT_THAT(AsInts(MustRun("Resize", pt, {Tensor<int8_t>({1, 1, 1, 4}, {0, 10, 20, 30})})),
              ElementsAre(5, 25));
}

// Linear Resize written from the contract's text, for every coordinate mode.
TEST(Int8Resize, LinearMatchesContractFormula) {
  const Shape in = {2, 3, 5, 4};
  const int64_t oh = 7, ow = 9;
  std::vector<int8_t> x = RandomInt8(NumElements(in), 61);
  const float x_scale = 0.07f, y_scale = 0.05f;
  const float m = static_cast<float>(static_cast<double>(x_scale) / y_scale);
  for (const char* mode : {"half_pixel", "asymmetric", "align_corners", "pytorch_half_pixel"}) {
    SCOPED_TRACE(mode);
    const std::string coordinate = mode;
    auto source = [&](int64_t o, int64_t n_in, int64_t n_out, int64_t* i0, int64_t* i1, float* f) {
      const double scale = static_cast<double>(n_out) / n_in;
      double s = 0;
      if (coordinate == "half_pixel" || coordinate == "pytorch_half_pixel") {
        s = (o + 0.5) / scale - 0.5;
      } else if (coordinate == "asymmetric") {
        s = o / scale;
      } else {
        s = n_out == 1 ? 0.0 : o * static_cast<double>(n_in - 1) / (n_out - 1);
      }
      s = std::min(std::max(s, 0.0), static_cast<double>(n_in - 1));
      *i0 = static_cast<int64_t>(std::floor(s));
      *i1 = std::min(*i0 + 1, n_in - 1);
      *f = static_cast<float>(s - std::floor(s));
    };
    HostTensor y =
        MustRun("Resize", ResizeAttributes("linear", mode, {2, 3, oh, ow}, x_scale, y_scale),
                {Tensor<int8_t>(in, x)});
    ASSERT_EQ(y.shape, (Shape{2, 3, oh, ow}));
    std::vector<int> got = AsInts(y);
    size_t i = 0;
    for (int64_t plane = 0; plane < 6; ++plane) {
      const int8_t* src = x.data() + plane * in[2] * in[3];
      for (int64_t r = 0; r < oh; ++r) {
        int64_t y0, y1;
        float fy;
        source(r, in[2], oh, &y0, &y1, &fy);
        for (int64_t c = 0; c < ow; ++c, ++i) {
          int64_t x0, x1;
          float fx;
          source(c, in[3], ow, &x0, &x1, &fx);
          volatile float top = (1.0f - fx) * static_cast<float>(src[y0 * in[3] + x0]);
          top = top + fx * static_cast<float>(src[y0 * in[3] + x1]);
          volatile float bottom = (1.0f - fx) * static_cast<float>(src[y1 * in[3] + x0]);
          bottom = bottom + fx * static_cast<float>(src[y1 * in[3] + x1]);
          volatile float lhs = (1.0f - fy) * top;
          volatile float rhs = fy * bottom;
          volatile float v = lhs + rhs;
          volatile float scaled = v * m;
          ASSERT_EQ(got[i], SaturateInt8(RoundHalfEven(scaled))) << plane << " " << r << "," << c;
        }
      }
    }
  }
}

TEST(Int8Resize, Errors) {
  HostTensor x = Tensor<int8_t>({1, 2, 2, 2}, std::vector<int8_t>(8, 1));
  EXPECT_THAT(ErrorOf("Resize", ResizeAttributes("cubic", "half_pixel", {1, 2, 4, 4}), {x}),
              HasSubstr("Resize: attribute 'mode' is 'cubic'"));
  EXPECT_THAT(
      ErrorOf("Resize", ResizeAttributes("linear", "tf_crop_and_resize", {1, 2, 4, 4}), {x}),
      HasSubstr("attribute 'coordinate_transformation_mode' is 'tf_crop_and_resize'"));
  EXPECT_THAT(ErrorOf("Resize", ResizeAttributes("linear", "half_pixel", {1, 3, 4, 4}), {x}),
              HasSubstr("Resize: attribute 'sizes' is [1,3,4,4] but input 0 'X' (1,2,2,2) needs"));
  Attributes no_sizes = XyScales(1.0f, 1.0f);
  EXPECT_THAT(ErrorOf("Resize", no_sizes, {x}), HasSubstr("Resize: attribute 'sizes'"));
  Attributes bad_nearest = ResizeAttributes("nearest", "half_pixel", {1, 2, 4, 4});
  bad_nearest.SetString("nearest_mode", "up");
  EXPECT_THAT(ErrorOf("Resize", bad_nearest, {x}), HasSubstr("attribute 'nearest_mode' is 'up'"));
  Attributes no_scale;
  no_scale.SetInts("sizes", {1, 2, 4, 4});
  EXPECT_THAT(ErrorOf("Resize", no_scale, {x}),
              HasSubstr("Resize: attribute 'x_scale' (a scale) is required"));
}

// ---- Lut ------------------------------------------------------------------------------------

// Every input byte through the Lut against f from its formula: T[q] = sat(rne(f(q * xs) / ys)).
void CheckLut(const std::string& function, const std::function<double(double)>& f, float x_scale,
              float y_scale, const Attributes& extra = Attributes()) {
  SCOPED_TRACE(function);
  Attributes a = extra;
  a.SetString("function", function);
  a.SetFloat("x_scale", x_scale);
  a.SetFloat("y_scale", y_scale);
  std::vector<int8_t> all;
  for (int q = -128; q <= 127; ++q) all.push_back(static_cast<int8_t>(q));
  std::vector<int> got = AsInts(MustRun("Lut", a, {Tensor<int8_t>({2, 128}, all)}));
  ASSERT_EQ(got.size(), 256u);
  int distinct = 0;
  for (int q = -128; q <= 127; ++q) {
    const double real = f(q * static_cast<double>(x_scale));
    EXPECT_EQ(got[q + 128], SaturateInt8(RoundHalfEven(real / y_scale))) << "q = " << q;
    if (q > -128 && got[q + 128] != got[q + 127]) ++distinct;
  }
  EXPECT_GT(distinct, 10);
}

TEST(Int8Lut, EveryFunctionMatchesItsFormula) {
  CheckLut(
      "Sigmoid", [](double x) { return 1.0 / (1.0 + std::exp(-x)); }, 0.05f, 1.0f / 128);
  CheckLut(
      "Tanh", [](double x) { return std::tanh(x); }, 0.03f, 1.0f / 127);
  CheckLut(
      "SiLU", [](double x) { return x / (1.0 + std::exp(-x)); }, 0.06f, 0.05f);
  CheckLut(
      "HardSwish", [](double x) { return x * std::min(1.0, std::max(0.0, x / 6.0 + 0.5)); }, 0.05f,
      0.04f);
  CheckLut(
      "HardSigmoid",
      [](double x) {
        return std::min(1.0,
                        std::max(0.0, static_cast<double>(0.2f) * x + static_cast<double>(0.5f)));
      },
      0.05f, 1.0f / 127);
  Attributes ab;
  ab.SetFloat("alpha", 0.25f);
  ab.SetFloat("beta", 0.375f);
  CheckLut(
      "HardSigmoid", [](double x) { return std::min(1.0, std::max(0.0, 0.25 * x + 0.375)); }, 0.03f,
      1.0f / 127, ab);
  // An affine map after the function (a learnable affine block absorbed by the converter).
  Attributes affine;
  affine.SetFloat("post_mul", -1.25f);
  affine.SetFloat("post_add", 0.5f);
  CheckLut(
      "SiLU", [](double x) { return x / (1.0 + std::exp(-x)) * -1.25 + 0.5; }, 0.06f, 0.05f,
      affine);
}

TEST(Int8Lut, TiesAndSaturation) {
  // HardSigmoid with alpha 0.25, beta 0: f(q) = q / 4 clipped to [0, 1]; y_scale 1/2 gives q / 2
  // (ties at odd q: 1 -> 0.5 -> 0, 3 -> 1.5 -> 2) and at most 2. Tanh onto a fine grid
  // (y_scale 1/512) saturates at both ends.
  Attributes a;
  a.SetString("function", "HardSigmoid");
  a.SetFloat("alpha", 0.25f);
  a.SetFloat("beta", 0.0f);
  a.SetFloat("x_scale", 1.0f);
  a.SetFloat("y_scale", 0.5f);
  EXPECT_THAT(AsInts(MustRun("Lut", a, {Tensor<int8_t>({6}, {-1, 0, 1, 3, 4, 100})})),
              ElementsAre(0, 0, 0, 2, 2, 2));
  Attributes t;
  t.SetString("function", "Tanh");
  t.SetFloat("x_scale", 0.1f);
  t.SetFloat("y_scale", 1.0f / 512);
  EXPECT_THAT(AsInts(MustRun("Lut", t, {Tensor<int8_t>({3}, {-128, 0, 127})})),
              ElementsAre(-128, 0, 127));
}

TEST(Int8Lut, Errors) {
  HostTensor x = Tensor<int8_t>({2}, {1, 2});
  Attributes a = XyScales(1.0f, 1.0f);
  EXPECT_THAT(ErrorOf("Lut", a, {x}), HasSubstr("Lut: attribute 'function' is required"));
  a.SetString("function", "Gelu");
  EXPECT_THAT(ErrorOf("Lut", a, {x}), HasSubstr("Lut: attribute 'function' is 'Gelu', expected"));
  Attributes b;
  b.SetString("function", "Tanh");
  b.SetFloat("x_scale", 1.0f);
  EXPECT_THAT(ErrorOf("Lut", b, {x}), HasSubstr("Lut: attribute 'y_scale' (a scale) is required"));
  b.SetFloat("y_scale", 1.0f);
  EXPECT_THAT(ErrorOf("Lut", b, {Tensor<uint8_t>({2}, {1, 2})}),
              HasSubstr("Lut: input 0 'X' has type uint8, expected int8"));
  b.SetFloat("post_mul", std::numeric_limits<float>::infinity());
  EXPECT_THAT(ErrorOf("Lut", b, {x}), HasSubstr("Lut: attribute 'post_mul' is inf; it must be finite"));
}

// ---- ONNX-domain data movement on int8 ------------------------------------------------------

TEST(Int8OnnxDataMovement, ReshapeFlattenTransposeIdentity) {
  std::vector<int8_t> v = {-128, -1, 0, 1, 2, 127};
  HostTensor x = Tensor<int8_t>({1, 2, 3}, v, /*constant=*/false);
  auto run = [](const std::string& op, int opset, const Attributes& a,
                const std::vector<HostTensor>& inputs) {
    absl::StatusOr<HostTensor> y = nn_test::RunNode1(op, opset, a, inputs);
    EXPECT_TRUE(y.ok()) << op << ": " << y.status();
    return y.ok() ? *y : HostTensor();
  };
  HostTensor reshaped = run("Reshape", 14, Attributes(), {x, Tensor<int64_t>({2}, {3, -1})});
  EXPECT_EQ(reshaped.dtype, DType::kI8);
  EXPECT_EQ(reshaped.shape, (Shape{3, 2}));
  EXPECT_THAT(reshaped.values<int8_t>(), ElementsAreArray(v));
  Attributes axis;
  axis.SetInt("axis", 2);
  HostTensor flat = run("Flatten", 13, axis, {x});
  EXPECT_EQ(flat.dtype, DType::kI8);
  EXPECT_EQ(flat.shape, (Shape{2, 3}));
  Attributes perm;
  perm.SetInts("perm", {0, 2, 1});
  HostTensor t = run("Transpose", 13, perm, {x});
  EXPECT_EQ(t.dtype, DType::kI8);
  EXPECT_EQ(t.shape, (Shape{1, 3, 2}));
  EXPECT_THAT(t.values<int8_t>(), ElementsAre(-128, 1, -1, 2, 0, 127));
  HostTensor id = run("Identity", 13, Attributes(), {x});
  EXPECT_EQ(id.dtype, DType::kI8);
  EXPECT_THAT(id.values<int8_t>(), ElementsAreArray(v));
}

}  // namespace
}  // namespace hb_dnn::kernels
