// Conv and ConvTranspose beyond the ONNX node tests: hand-computed cases and identities that pin
// down odd geometries (non-square kernels, asymmetric pads, dilation with stride, groups other
// than 1 and C, 1-D/3-D), plus the error paths.

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

struct ConvOptions {
  ConvOptions& Strides(std::vector<int64_t> v) {
    strides = std::move(v);
    return *this;
  }
  ConvOptions& Dilations(std::vector<int64_t> v) {
    dilations = std::move(v);
    return *this;
  }
  ConvOptions& Pads(std::vector<int64_t> v) {
    pads = std::move(v);
    return *this;
  }
  ConvOptions& Group(int64_t v) {
    group = v;
    return *this;
  }
  ConvOptions& AutoPad(std::string v) {
    auto_pad = std::move(v);
    return *this;
  }
  ConvOptions& OutputPadding(std::vector<int64_t> v) {
    output_padding = std::move(v);
    return *this;
  }
  ConvOptions& OutputShape(std::vector<int64_t> v) {
    output_shape = std::move(v);
    return *this;
  }

  std::vector<int64_t> strides;
  std::vector<int64_t> dilations;
  std::vector<int64_t> pads;
  int64_t group = 1;
  std::string auto_pad;
  std::vector<int64_t> output_padding;
  std::vector<int64_t> output_shape;
};

Attributes ConvAttributes(const ConvOptions& o) {
  Attributes a;
  if (!o.strides.empty()) a.SetInts("strides", o.strides);
  if (!o.dilations.empty()) a.SetInts("dilations", o.dilations);
  if (!o.pads.empty()) a.SetInts("pads", o.pads);
  if (o.group != 1) a.SetInt("group", o.group);
  if (!o.auto_pad.empty()) a.SetString("auto_pad", o.auto_pad);
  if (!o.output_padding.empty()) a.SetInts("output_padding", o.output_padding);
  if (!o.output_shape.empty()) a.SetInts("output_shape", o.output_shape);
  return a;
}

HostTensor Conv(const HostTensor& x, const HostTensor& w, const ConvOptions& o,
                const HostTensor& b = nn_test::Absent()) {
  std::vector<HostTensor> inputs = {x, w};
  if (b.dtype != DType::kUndefined) inputs.push_back(b);
  auto y = RunNode1("Conv", 11, ConvAttributes(o), inputs);
  EXPECT_TRUE(y.ok()) << y.status();
  return y.ok() ? *y : HostTensor();
}

HostTensor ConvTranspose(const HostTensor& x, const HostTensor& w, const ConvOptions& o) {
  auto y = RunNode1("ConvTranspose", 11, ConvAttributes(o), {x, w});
  EXPECT_TRUE(y.ok()) << y.status();
  return y.ok() ? *y : HostTensor();
}

HostTensor Random(Shape shape, uint32_t seed) {
  return Tensor<float>(shape, RandomFloats(NumElements(shape), seed));
}

// Channels [begin, end) of an (N, C, ...) float tensor (or of W's dimension 0 when n == 1).
HostTensor Channels(const HostTensor& t, int64_t begin, int64_t end) {
  const int64_t n = t.shape[0];
  const int64_t c = t.shape[1];
  const int64_t inner = NumElements(Shape(t.shape.begin() + 2, t.shape.end()));
  std::vector<float> all = t.values<float>();
  std::vector<float> out;
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = begin; j < end; ++j) {
      out.insert(out.end(), all.begin() + (i * c + j) * inner,
                 all.begin() + (i * c + j + 1) * inner);
    }
  }
  Shape shape = t.shape;
  shape[1] = end - begin;
  return Tensor<float>(shape, out);
}

// Rows [begin, end) of dimension 0.
HostTensor Rows(const HostTensor& t, int64_t begin, int64_t end) {
  const int64_t inner = NumElements(Shape(t.shape.begin() + 1, t.shape.end()));
  std::vector<float> all = t.values<float>();
  Shape shape = t.shape;
  shape[0] = end - begin;
  return Tensor<float>(shape,
                       std::vector<float>(all.begin() + begin * inner, all.begin() + end * inner));
}

void ExpectSameValues(const HostTensor& got, const HostTensor& want) {
  ASSERT_EQ(got.shape, want.shape);
  std::vector<float> g = got.values<float>();
  std::vector<float> w = want.values<float>();
  for (size_t i = 0; i < g.size(); ++i) ASSERT_FLOAT_EQ(g[i], w[i]) << "element " << i;
}

double Dot(const HostTensor& a, const HostTensor& b) {
  std::vector<float> x = a.values<float>();
  std::vector<float> y = b.values<float>();
  EXPECT_EQ(x.size(), y.size());
  double sum = 0;
  for (size_t i = 0; i < x.size() && i < y.size(); ++i) sum += double{x[i]} * double{y[i]};
  return sum;
}

TEST(NnConv, HandComputed1DDilatedStridedAsymmetricPads) {
  // Padded x (positions -1..6): 0 1 2 3 4 5 0 0; taps at start and start + 2.
  HostTensor x = Tensor<float>({1, 1, 5}, {1, 2, 3, 4, 5});
  HostTensor w = Tensor<float>({1, 1, 2}, {1, 10});
  HostTensor b = Tensor<float>({1}, {0.5f});
  HostTensor y = Conv(x, w, ConvOptions().Strides({2}).Dilations({2}).Pads({1, 2}), b);
  EXPECT_EQ(y.shape, (Shape{1, 1, 3}));
  EXPECT_THAT(y.values<float>(), ElementsAre(20.5f, 42.5f, 4.5f));
}

TEST(NnConv, HandComputed2DNonSquareKernel) {
  // 3x4 input, 2x3 kernel of ones except one 2: every output sums its window plus one extra.
  HostTensor x = Tensor<float>({1, 1, 3, 4}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  HostTensor w = Tensor<float>({1, 1, 2, 3}, {1, 1, 1, 1, 1, 2});
  HostTensor y = Conv(x, w, {});
  EXPECT_EQ(y.shape, (Shape{1, 1, 2, 2}));
  // (0,0): 1+2+3+5+6+2*7 = 31; (0,1): 2+3+4+6+7+2*8 = 38; (1,0): 5+6+7+9+10+2*11 = 59;
  // (1,1): 6+7+8+10+11+2*12 = 66.
  EXPECT_THAT(y.values<float>(), ElementsAre(31, 38, 59, 66));
}

// group g convolution == g independent convolutions on the channel slices.
class NnConvGroups : public ::testing::TestWithParam<std::vector<int64_t>> {};

TEST_P(NnConvGroups, EqualsPerGroupConvolutions) {
  const int64_t c = GetParam()[0];
  const int64_t m = GetParam()[1];
  const int64_t group = GetParam()[2];
  HostTensor x = Random({2, c, 7, 5}, 1);
  HostTensor w = Random({m, c / group, 3, 2}, 2);
  HostTensor b = Random({m}, 3);
  ConvOptions o = ConvOptions().Strides({2, 1}).Dilations({1, 2}).Pads({1, 0, 2, 1}).Group(group);
  HostTensor y = Conv(x, w, o, b);
  ASSERT_EQ(y.shape, (Shape{2, m, 4, 4}));
  ConvOptions single = o;
  single.group = 1;
  const int64_t cg = c / group;
  const int64_t mg = m / group;
  for (int64_t g = 0; g < group; ++g) {
    HostTensor part = Conv(Channels(x, g * cg, (g + 1) * cg), Rows(w, g * mg, (g + 1) * mg), single,
                           Rows(b, g * mg, (g + 1) * mg));
    ExpectSameValues(Channels(y, g * mg, (g + 1) * mg), part);
  }
}

// {C, M, group}: groups not equal to C, depthwise, depthwise with multiplier.
INSTANTIATE_TEST_SUITE_P(Shapes, NnConvGroups,
                         ::testing::Values(std::vector<int64_t>{6, 9, 3},
                                           std::vector<int64_t>{4, 4, 4},
                                           std::vector<int64_t>{3, 6, 3},
                                           std::vector<int64_t>{4, 2, 2}));

TEST(NnConv, DilationEqualsZeroStuffedKernel) {
  HostTensor x = Random({1, 3, 11, 13}, 4);
  HostTensor w = Random({4, 3, 2, 3}, 5);
  // Dilations (2, 3): the 2x3 kernel spread over 3x7 with zeros in between.
  std::vector<float> stuffed(4 * 3 * 3 * 7, 0.0f);
  std::vector<float> wv = w.values<float>();
  for (int64_t oc = 0; oc < 12; ++oc) {
    for (int64_t i = 0; i < 2; ++i) {
      for (int64_t j = 0; j < 3; ++j) stuffed[oc * 21 + i * 2 * 7 + j * 3] = wv[oc * 6 + i * 3 + j];
    }
  }
  ConvOptions o = ConvOptions().Strides({2, 3}).Pads({0, 2, 1, 1});
  ConvOptions dilated = o;
  dilated.dilations = {2, 3};
  ExpectSameValues(Conv(x, w, dilated), Conv(x, Tensor<float>({4, 3, 3, 7}, stuffed), o));
}

TEST(NnConv, StrideEqualsSubsampledUnitStride) {
  HostTensor x = Random({2, 2, 10, 9}, 6);
  HostTensor w = Random({3, 2, 3, 2}, 7);
  ConvOptions unit = ConvOptions().Dilations({1, 2}).Pads({2, 1, 0, 1});
  ConvOptions strided = unit;
  strided.strides = {3, 2};
  HostTensor full = Conv(x, w, unit);
  HostTensor y = Conv(x, w, strided);
  ASSERT_EQ(full.shape, (Shape{2, 3, 10, 9}));
  ASSERT_EQ(y.shape, (Shape{2, 3, 4, 5}));
  std::vector<float> f = full.values<float>();
  std::vector<float> s = y.values<float>();
  for (int64_t p = 0; p < 6; ++p) {
    for (int64_t i = 0; i < 4; ++i) {
      for (int64_t j = 0; j < 5; ++j) {
        ASSERT_FLOAT_EQ(s[(p * 4 + i) * 5 + j], f[(p * 10 + i * 3) * 9 + j * 2]);
      }
    }
  }
}

TEST(NnConv, AsymmetricPadsEqualExplicitPad) {
  HostTensor x = Random({1, 2, 6, 5}, 8);
  HostTensor w = Random({2, 2, 3, 4}, 9);
  Attributes pad;
  pad.SetString("mode", "constant");
  auto padded = RunNode1("Pad", 13, pad, {x, Tensor<int64_t>({8}, {0, 0, 2, 0, 0, 0, 1, 3})});
  ASSERT_TRUE(padded.ok()) << padded.status();
  ConvOptions o = ConvOptions().Strides({2, 2}).Dilations({2, 1});
  ConvOptions padded_conv = o;
  padded_conv.pads = {2, 0, 1, 3};
  ExpectSameValues(Conv(x, w, padded_conv), Conv(*padded, w, o));
}

TEST(NnConv, AutoPadEqualsExplicitPads) {
  HostTensor x = Random({1, 1, 7, 6}, 10);
  HostTensor w = Random({2, 1, 4, 3}, 11);
  // H: in 7, stride 2, kernel 4 -> out 4, total pad 3*2 + 4 - 7 = 3.
  // W: in 6, stride 3, dilation 2, kernel 3 (extent 5) -> out 2, total pad 3 + 5 - 6 = 2.
  ConvOptions base = ConvOptions().Strides({2, 3}).Dilations({1, 2});
  ConvOptions upper = base, lower = base, valid = base, explicit_upper = base,
              explicit_lower = base;
  upper.auto_pad = "SAME_UPPER";
  lower.auto_pad = "SAME_LOWER";
  valid.auto_pad = "VALID";
  explicit_upper.pads = {1, 1, 2, 1};
  explicit_lower.pads = {2, 1, 1, 1};
  HostTensor y_upper = Conv(x, w, upper);
  EXPECT_EQ(y_upper.shape, (Shape{1, 2, 4, 2}));
  ExpectSameValues(y_upper, Conv(x, w, explicit_upper));
  ExpectSameValues(Conv(x, w, lower), Conv(x, w, explicit_lower));
  HostTensor y_valid = Conv(x, w, valid);
  EXPECT_EQ(y_valid.shape, (Shape{1, 2, 2, 1}));
  ExpectSameValues(y_valid, Conv(x, w, base));
}

TEST(NnConv, ThreeDWithUnitDepthKernelEqualsPerSlice2D) {
  HostTensor x = Random({1, 2, 3, 5, 4}, 12);
  HostTensor w = Random({3, 2, 1, 3, 2}, 13);
  HostTensor y = Conv(x, w, ConvOptions().Strides({1, 2, 1}).Pads({0, 1, 0, 0, 0, 1}));
  ASSERT_EQ(y.shape, (Shape{1, 3, 3, 2, 4}));
  HostTensor w2 = Tensor<float>({3, 2, 3, 2}, w.values<float>());
  std::vector<float> xv = x.values<float>();
  std::vector<float> yv = y.values<float>();
  for (int64_t d = 0; d < 3; ++d) {
    std::vector<float> slice;
    for (int64_t c = 0; c < 2; ++c) {
      slice.insert(slice.end(), xv.begin() + (c * 3 + d) * 20, xv.begin() + (c * 3 + d + 1) * 20);
    }
    HostTensor y2 = Conv(Tensor<float>({1, 2, 5, 4}, slice), w2,
                         ConvOptions().Strides({2, 1}).Pads({1, 0, 0, 1}));
    ASSERT_EQ(y2.shape, (Shape{1, 3, 2, 4}));
    std::vector<float> y2v = y2.values<float>();
    for (int64_t m = 0; m < 3; ++m) {
      for (int64_t i = 0; i < 8; ++i) {
        ASSERT_FLOAT_EQ(yv[(m * 3 + d) * 8 + i], y2v[m * 8 + i]);
      }
    }
  }
}

TEST(NnConv, Float64) {
  HostTensor x = Tensor<double>({1, 1, 2, 2}, {1, 2, 3, 4});
  HostTensor w = Tensor<double>({1, 1, 1, 1}, {0.5});
  HostTensor b = Tensor<double>({1}, {1});
  auto y = RunNode1("Conv", 11, Attributes(), {x, w, b});
  ASSERT_TRUE(y.ok()) << y.status();
  EXPECT_EQ(y->dtype, DType::kF64);
  EXPECT_THAT(y->values<double>(), ElementsAre(1.5, 2, 2.5, 3));
}

TEST(NnConvTranspose, HandComputed1D) {
  HostTensor x = Tensor<float>({1, 1, 2}, {1, 2});
  HostTensor w = Tensor<float>({1, 1, 3}, {1, 10, 100});
  EXPECT_THAT(ConvTranspose(x, w, ConvOptions().Strides({2})).values<float>(),
              ElementsAre(1, 10, 102, 20, 200));
  EXPECT_THAT(ConvTranspose(x, w, ConvOptions().Strides({2}).Pads({1, 1})).values<float>(),
              ElementsAre(10, 102, 20));
  EXPECT_THAT(ConvTranspose(x, w, ConvOptions().Strides({2}).OutputPadding({1})).values<float>(),
              ElementsAre(1, 10, 102, 20, 200, 0));
  EXPECT_THAT(ConvTranspose(x, w, ConvOptions().Strides({2}).Dilations({2})).values<float>(),
              ElementsAre(1, 0, 12, 0, 120, 0, 200));
  // output_shape 6 > the full 5: total padding -1 split with floor division, -1 at the end.
  EXPECT_THAT(ConvTranspose(x, w, ConvOptions().Strides({2}).OutputShape({6})).values<float>(),
              ElementsAre(1, 10, 102, 20, 200, 0));
  // output_shape 7: total padding -2, one extra position on each side.
  EXPECT_THAT(ConvTranspose(x, w, ConvOptions().Strides({2}).OutputShape({7})).values<float>(),
              ElementsAre(0, 1, 10, 102, 20, 200, 0));
  // output_shape 4 < 5: total padding 1, cut at the beginning unless SAME_UPPER.
  EXPECT_THAT(ConvTranspose(x, w, ConvOptions().Strides({2}).OutputShape({4})).values<float>(),
              ElementsAre(10, 102, 20, 200));
  EXPECT_THAT(ConvTranspose(x, w, ConvOptions().Strides({2}).AutoPad("SAME_UPPER")).values<float>(),
              ElementsAre(1, 10, 102, 20));
  EXPECT_THAT(ConvTranspose(x, w, ConvOptions().Strides({2}).AutoPad("SAME_LOWER")).values<float>(),
              ElementsAre(10, 102, 20, 200));
}

// ConvTranspose is the adjoint of Conv with the same W: <Conv(x), y> == <x, ConvTranspose(y)>,
// for any groups, strides, dilations and pads, once output_padding restores x's shape.
TEST(NnConvTranspose, IsTheAdjointOfConv) {
  HostTensor x = Random({2, 4, 7, 6}, 14);
  HostTensor w = Random({6, 2, 3, 2}, 15);
  ConvOptions o = ConvOptions().Strides({2, 3}).Dilations({2, 1}).Pads({1, 0, 2, 1}).Group(2);
  HostTensor cx = Conv(x, w, o);
  ASSERT_EQ(cx.shape, (Shape{2, 6, 3, 2}));
  HostTensor y = Random(cx.shape, 16);
  ConvOptions t = o;
  t.output_padding = {1, 2};
  HostTensor ty = ConvTranspose(y, w, t);
  ASSERT_EQ(ty.shape, x.shape);
  EXPECT_NEAR(Dot(cx, y), Dot(x, ty), 1e-4);
}

TEST(NnConvTranspose, IsTheAdjointOfConv3D) {
  HostTensor x = Random({1, 3, 5, 4, 7}, 17);
  HostTensor w = Random({3, 1, 2, 3, 2}, 18);
  ConvOptions o =
      ConvOptions().Strides({2, 1, 2}).Dilations({1, 1, 2}).Pads({0, 1, 1, 1, 0, 0}).Group(3);
  HostTensor cx = Conv(x, w, o);
  ASSERT_EQ(cx.shape, (Shape{1, 3, 3, 3, 3}));
  HostTensor y = Random(cx.shape, 19);
  ConvOptions t = o;
  t.output_padding = {0, 0, 1};
  HostTensor ty = ConvTranspose(y, w, t);
  ASSERT_EQ(ty.shape, x.shape);
  EXPECT_NEAR(Dot(cx, y), Dot(x, ty), 1e-4);
}

TEST(NnConvTranspose, BiasAndGroups) {
  HostTensor x = Tensor<float>({1, 2, 1, 1}, {1, 2});
  // Two groups of one input channel each, two outputs per group, 1x1 kernels.
  HostTensor w = Tensor<float>({2, 2, 1, 1}, {1, 2, 3, 4});
  HostTensor b = Tensor<float>({4}, {10, 20, 30, 40});
  Attributes a;
  a.SetInt("group", 2);
  auto y = RunNode1("ConvTranspose", 11, a, {x, w, b});
  ASSERT_TRUE(y.ok()) << y.status();
  EXPECT_EQ(y->shape, (Shape{1, 4, 1, 1}));
  EXPECT_THAT(y->values<float>(), ElementsAre(11, 22, 36, 48));
}

absl::Status ConvError(const HostTensor& x, const HostTensor& w, const Attributes& a,
                       const std::string& op = "Conv") {
  return RunNode1(op, 11, a, {x, w}).status();
}

TEST(NnConv, Errors) {
  HostTensor x = Random({1, 4, 5, 5}, 20);
  Attributes none;
  absl::Status s = ConvError(x, Random({8, 3, 3}, 21), none);
  EXPECT_EQ(ErrorCodeOf(s), ErrorCode::kInvalidModel);
  EXPECT_THAT(s.message(), HasSubstr("input 1 'W' has shape (8,3,3) but Conv needs rank 4"));

  Attributes group3;
  group3.SetInt("group", 3);
  EXPECT_THAT(ConvError(x, Random({3, 1, 3, 3}, 22), group3).message(),
              HasSubstr("with group 3 needs W dimension 1 = C / group = 4 / 3"));
  Attributes group2;
  group2.SetInt("group", 2);
  EXPECT_THAT(ConvError(x, Random({3, 2, 3, 3}, 22), group2).message(),
              HasSubstr("3 output channels, not a multiple of group 2"));

  Attributes kernel_shape;
  kernel_shape.SetInts("kernel_shape", {3, 2});
  EXPECT_THAT(ConvError(x, Random({2, 4, 3, 3}, 23), kernel_shape).message(),
              HasSubstr("attribute 'kernel_shape' [3,2] does not match W's spatial shape"));

  Attributes auto_pad;
  auto_pad.SetString("auto_pad", "SAME");
  EXPECT_THAT(ConvError(x, Random({2, 4, 3, 3}, 24), auto_pad).message(),
              HasSubstr("attribute 'auto_pad' is 'SAME'"));

  Attributes pads;
  pads.SetInts("pads", {1, 1});
  EXPECT_THAT(ConvError(x, Random({2, 4, 3, 3}, 25), pads).message(),
              HasSubstr("attribute 'pads' [1,1] has 2 values, expected 4"));
  pads.SetInts("pads", {1, -1, 1, 1});
  EXPECT_THAT(ConvError(x, Random({2, 4, 3, 3}, 25), pads).message(),
              HasSubstr("must be non-negative"));

  Attributes strides;
  strides.SetInts("strides", {1, 0});
  EXPECT_THAT(ConvError(x, Random({2, 4, 3, 3}, 26), strides).message(),
              HasSubstr("attribute 'strides' [1,0] must be positive"));

  Attributes dilations;
  dilations.SetInts("dilations", {3, 3});
  EXPECT_THAT(ConvError(x, Random({2, 4, 3, 3}, 27), dilations).message(),
              HasSubstr("smaller than the dilated kernel extent 7"));

  EXPECT_THAT(
      ConvError(x, Tensor<double>({2, 4, 1, 1}, std::vector<double>(8, 1.0)), none).message(),
      HasSubstr("input 1 'W' has type float64, expected float32"));

  auto bias = RunNode1("Conv", 11, none, {x, Random({2, 4, 1, 1}, 28), Random({3}, 29)});
  EXPECT_THAT(bias.status().message(), HasSubstr("input 2 'B' has shape (3), expected (2)"));

  EXPECT_THAT(ConvError(Random({4, 5}, 30), Random({4, 5}, 31), none).message(),
              HasSubstr("input 0 'X' has shape (4,5) but needs rank >= 3"));
}

TEST(NnConvTranspose, Errors) {
  HostTensor x = Random({1, 4, 5, 5}, 32);
  Attributes none;
  EXPECT_THAT(ConvError(x, Random({3, 2, 3, 3}, 33), none, "ConvTranspose").message(),
              HasSubstr("needs W dimension 0 = C = 4"));
  Attributes output_shape;
  output_shape.SetInts("output_shape", {10, 10, 10});
  EXPECT_THAT(ConvError(x, Random({4, 2, 3, 3}, 34), output_shape, "ConvTranspose").message(),
              HasSubstr("attribute 'output_shape' [10,10,10] has 3 values for 2 spatial"));
  Attributes output_padding;
  output_padding.SetInts("output_padding", {1});
  EXPECT_THAT(ConvError(x, Random({4, 2, 3, 3}, 35), output_padding, "ConvTranspose").message(),
              HasSubstr("attribute 'output_padding' [1] has 1 values for 2 spatial"));
  Attributes pads;
  pads.SetInts("pads", {4, 4, 4, 4});
  EXPECT_THAT(ConvError(x, Random({4, 2, 3, 3}, 36), pads, "ConvTranspose").message(),
              HasSubstr("gives output size -1"));
}

}  // namespace
}  // namespace hb_dnn::kernels
