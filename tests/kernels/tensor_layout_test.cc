// Hand-written tests of the tensor group's layout kernels (reshape family, Concat/Split, Slice,
// Transpose, DepthToSpace/SpaceToDepth, Expand, Tile): odd shapes and dtypes the ONNX node tests
// miss, the attribute forms of old opsets, and failure paths.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/kernels/kernel_util.h"
#include "tests/kernels/tensor_test_util.h"

namespace hb_dnn::testing {
namespace {

using kernels::Attributes;
using kernels::DType;
using kernels::Shape;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

std::string ErrorOf(const absl::StatusOr<OpRun>& run) {
  return run.ok() ? std::string("(ok)") : std::string(run.status().message());
}

// ---- Reshape family ----

TEST(ReshapeTest, CopiesZeroAndInfersMinusOne) {
  auto run = RunOp("Reshape", 13, {}, {Iota<float>({2, 3, 4}), Const<int64_t>({2}, {0, -1})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outputs[0].shape, (Shape{2, 12}));
  EXPECT_EQ(run->outputs[0].values<float>(), Iota<float>({24}).values<float>());
}

TEST(ReshapeTest, AllowZeroKeepsLiteralZero) {
  Attributes attrs;
  attrs.SetInt("allowzero", 1);
  auto run = RunOp("Reshape", 14, attrs, {Iota<float>({0, 3}), Const<int64_t>({2}, {3, 0})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outputs[0].shape, (Shape{3, 0}));
  // Without allowzero the 0 copies input dimension 1 (3): 9 elements from 0.
  auto copied = RunOp("Reshape", 14, {}, {Iota<float>({0, 3}), Const<int64_t>({2}, {3, 0})});
  EXPECT_THAT(ErrorOf(copied), HasSubstr("has 0 elements"));
}

TEST(ReshapeTest, Errors) {
  EXPECT_THAT(ErrorOf(RunOp("Reshape", 13, {},
                            {Iota<float>({6}), Const<int64_t>({2}, {-1, -1})})),
              HasSubstr("more than one -1"));
  EXPECT_THAT(ErrorOf(RunOp("Reshape", 13, {}, {Iota<float>({6}), Const<int64_t>({2}, {4, 2})})),
              HasSubstr("input (6) has 6 elements but shape (4,2)"));
  EXPECT_THAT(ErrorOf(RunOp("Reshape", 13, {},
                            {Iota<float>({6}), MakeTensor<int64_t>({2}, {3, 2})})),
              HasSubstr("input 1 'shape' must be a constant"));
  EXPECT_THAT(ErrorOf(RunOp("Reshape", 13, {}, {Iota<float>({6}), Const<int64_t>({1}, {-2})})),
              HasSubstr("invalid dimension -2"));
  Attributes attrs;
  attrs.SetInt("allowzero", 1);
  EXPECT_THAT(ErrorOf(RunOp("Reshape", 14, attrs,
                            {Iota<float>({0, 2}), Const<int64_t>({2}, {0, -1})})),
              HasSubstr("both 0 and -1"));
  EXPECT_THAT(ErrorOf(RunOp("Reshape", 4, {}, {Iota<float>({6}), Const<int64_t>({1}, {6})})),
              HasSubstr("version 4 is not supported"));
}

TEST(FlattenTest, AxisAtBothEnds) {
  Attributes attrs;
  attrs.SetInt("axis", 3);
  auto run = RunOp("Flatten", 11, attrs, {Iota<int16_t>({2, 3, 4})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outputs[0].shape, (Shape{24, 1}));
  attrs.SetInt("axis", 0);
  run = RunOp("Flatten", 11, attrs, {Iota<int16_t>({2, 3, 4})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outputs[0].shape, (Shape{1, 24}));
  EXPECT_EQ(run->outputs[0].values<int16_t>(), Iota<int16_t>({24}).values<int16_t>());
  attrs.SetInt("axis", -4);
  EXPECT_THAT(ErrorOf(RunOp("Flatten", 11, attrs, {Iota<float>({2, 3, 4})})),
              HasSubstr("'axis' -4 is outside [-3, 3]"));
}

TEST(SqueezeTest, AttributeFormBeforeOpset13) {
  Attributes attrs;
  attrs.SetInts("axes", {-1});
  auto run = RunOp("Squeeze", 11, attrs, {Iota<float>({1, 3, 1})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outputs[0].shape, (Shape{1, 3}));
  run = RunOp("Squeeze", 11, {}, {Iota<float>({1, 3, 1})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outputs[0].shape, (Shape{3}));
}

TEST(SqueezeTest, InputFormAndErrors) {
  auto run = RunOp("Squeeze", 13, {}, {Iota<float>({1, 1}), Omitted()});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outputs[0].shape, (Shape{}));
  EXPECT_THAT(ErrorOf(RunOp("Squeeze", 13, {}, {Iota<float>({1, 3}), Const<int64_t>({1}, {1})})),
              HasSubstr("axis 1 of input (1,3) has size 3, not 1"));
  EXPECT_THAT(ErrorOf(RunOp("Squeeze", 13, {}, {Iota<float>({1, 3}), Const<int64_t>({1}, {2})})),
              HasSubstr("axis 2 is outside [-2, 2)"));
  EXPECT_THAT(ErrorOf(RunOp("Squeeze", 13, {},
                            {Iota<float>({1, 3}), Const<int64_t>({2}, {0, -2})})),
              HasSubstr("duplicates"));
}

TEST(UnsqueezeTest, BothForms) {
  Attributes attrs;
  attrs.SetInts("axes", {0, -1});
  auto run = RunOp("Unsqueeze", 11, attrs, {Iota<uint8_t>({3})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outputs[0].shape, (Shape{1, 3, 1}));
  EXPECT_THAT(run->outputs[0].values<uint8_t>(), ElementsAre(0, 1, 2));
  run = RunOp("Unsqueeze", 13, {}, {Iota<float>({}), Const<int64_t>({1}, {0})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outputs[0].shape, (Shape{1}));
  EXPECT_THAT(ErrorOf(RunOp("Unsqueeze", 11, {}, {Iota<float>({3})})),
              HasSubstr("'axes' is required"));
  EXPECT_THAT(ErrorOf(RunOp("Unsqueeze", 13, {}, {Iota<float>({3}), Omitted()})),
              HasSubstr("required input 1 is missing"));
  attrs.SetInts("axes", {1, 1});
  EXPECT_THAT(ErrorOf(RunOp("Unsqueeze", 11, attrs, {Iota<float>({3})})),
              HasSubstr("duplicates"));
}

TEST(IdentityTest, CopiesAnyDtype) {
  auto run = RunOp("Identity", 16, {}, {MakeTensor<uint8_t>({3}, {1, 0, 1}, false, DType::kBool)});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outputs[0].dtype, DType::kBool);
  EXPECT_THAT(run->outputs[0].values<uint8_t>(), ElementsAre(1, 0, 1));
}

// ---- Concat / Split ----

TEST(ConcatTest, Int64WithEmptyInput) {
  Attributes attrs;
  attrs.SetInt("axis", -1);
  auto run = RunOp("Concat", 13, attrs,
                   {Iota<int64_t>({2, 0}), Iota<int64_t>({2, 3}),
                    MakeTensor<int64_t>({2, 1}, {100, 200})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outputs[0].shape, (Shape{2, 4}));
  EXPECT_THAT(run->outputs[0].values<int64_t>(), ElementsAre(0, 1, 2, 100, 3, 4, 5, 200));
}

TEST(ConcatTest, Errors) {
  Attributes attrs;
  attrs.SetInt("axis", 1);
  EXPECT_THAT(ErrorOf(RunOp("Concat", 13, attrs, {Iota<float>({2, 3}), Iota<float>({3, 3})})),
              HasSubstr("input 1 has shape (3,3) but input 0 has (2,3)"));
  EXPECT_THAT(ErrorOf(RunOp("Concat", 13, attrs, {Iota<float>({2, 3}), Iota<int32_t>({2, 3})})),
              HasSubstr("input 1 has type int32 but input 0 has float32"));
  attrs.SetInt("axis", 2);
  EXPECT_THAT(ErrorOf(RunOp("Concat", 13, attrs, {Iota<float>({2, 3})})),
              HasSubstr("'axis' 2 is outside [-2, 2)"));
  EXPECT_THAT(ErrorOf(RunOp("Concat", 13, {}, {Iota<float>({2, 3})})),
              HasSubstr("'axis' is required"));
}

TEST(SplitTest, AttributeFormBeforeOpset13) {
  Attributes attrs;
  attrs.SetInt("axis", -1);
  attrs.SetInts("split", {1, 3});
  auto run = RunOp("Split", 11, attrs, {Iota<float>({2, 4})}, 2);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outputs[0].shape, (Shape{2, 1}));
  EXPECT_THAT(run->outputs[0].values<float>(), ElementsAre(0, 4));
  EXPECT_EQ(run->outputs[1].shape, (Shape{2, 3}));
  EXPECT_THAT(run->outputs[1].values<float>(), ElementsAre(1, 2, 3, 5, 6, 7));
}

TEST(SplitTest, EqualPartsAndZeroSizedPart) {
  auto run = RunOp("Split", 13, {}, {Iota<int32_t>({6})}, 3);
  ASSERT_TRUE(run.ok()) << run.status();
  for (int i = 0; i < 3; ++i) {
    EXPECT_THAT(run->outputs[i].values<int32_t>(), ElementsAre(2 * i, 2 * i + 1));
  }
  run = RunOp("Split", 13, {}, {Iota<int32_t>({2}), Const<int64_t>({2}, {0, 2})}, 2);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outputs[0].shape, (Shape{0}));
  EXPECT_THAT(run->outputs[1].values<int32_t>(), ElementsAre(0, 1));
}

TEST(SplitTest, Errors) {
  EXPECT_THAT(ErrorOf(RunOp("Split", 13, {}, {Iota<float>({5})}, 2)),
              HasSubstr("cannot be split into 2 equal parts"));
  EXPECT_THAT(ErrorOf(RunOp("Split", 13, {}, {Iota<float>({5}), Const<int64_t>({2}, {2, 2})}, 2)),
              HasSubstr("sums to 4 but axis 0 of input (5) has size 5"));
  EXPECT_THAT(ErrorOf(RunOp("Split", 13, {}, {Iota<float>({5}), Const<int64_t>({1}, {5})}, 2)),
              HasSubstr("has 1 entries but the node has 2 outputs"));
}

// ---- Slice ----

// Indices an axis of size `dim` yields for start/end/step after the spec's adjustment and
// clamping, listed by walking from start towards end.
std::vector<int64_t> SliceIndices(int64_t dim, int64_t start, int64_t end, int64_t step) {
  if (start < 0) start += dim;
  if (end < 0) end += dim;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, dim);
    end = std::clamp<int64_t>(end, 0, dim);
  } else {
    start = std::clamp<int64_t>(start, 0, dim - 1);
    end = std::clamp<int64_t>(end, -1, dim - 1);
  }
  std::vector<int64_t> indices;
  for (int64_t i = start; step > 0 ? i < end : i > end; i += step) indices.push_back(i);
  return indices;
}

TEST(SliceTest, MatchesIndexWalkOnRandomSlices) {
  std::mt19937 rng(7);
  auto uniform = [&rng](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  for (int iteration = 0; iteration < 300; ++iteration) {
    Shape shape(static_cast<size_t>(uniform(1, 4)));
    for (int64_t& d : shape) d = uniform(1, 5);
    const int64_t rank = static_cast<int64_t>(shape.size());
    std::vector<int64_t> axes(shape.size());
    std::iota(axes.begin(), axes.end(), 0);
    std::shuffle(axes.begin(), axes.end(), rng);
    axes.resize(static_cast<size_t>(uniform(1, rank)));
    std::vector<int64_t> starts, ends, steps;
    std::vector<std::vector<int64_t>> picks(shape.size());
    for (size_t d = 0; d < shape.size(); ++d) {
      picks[d].resize(static_cast<size_t>(shape[d]));
      std::iota(picks[d].begin(), picks[d].end(), 0);
    }
    for (int64_t& axis : axes) {
      const int64_t dim = shape[axis];
      int64_t step = uniform(1, 3) * (uniform(0, 1) ? 1 : -1);
      int64_t start = uniform(-dim - 2, dim + 2);
      int64_t end = uniform(0, 5) == 0 ? (step > 0 ? kMax : kMin) : uniform(-dim - 2, dim + 2);
      picks[axis] = SliceIndices(dim, start, end, step);
      starts.push_back(start);
      ends.push_back(end);
      steps.push_back(step);
      if (uniform(0, 1)) axis -= rank;  // negative axes are accepted too
    }
    const int64_t n = static_cast<int64_t>(axes.size());
    auto run = RunOp("Slice", 13, {},
                     {Iota<int32_t>(shape), Const<int64_t>({n}, starts), Const<int64_t>({n}, ends),
                      Const<int64_t>({n}, axes), Const<int64_t>({n}, steps)});
    ASSERT_TRUE(run.ok()) << run.status();
    Shape expected_shape;
    for (const auto& p : picks) expected_shape.push_back(static_cast<int64_t>(p.size()));
    ASSERT_EQ(run->outputs[0].shape, expected_shape) << "input " << kernels::ShapeString(shape);
    // Expected values: the input element at the picked coordinates, row-major over the output.
    std::vector<int32_t> expected;
    const std::vector<int64_t> strides = kernels::Strides(shape);
    std::vector<size_t> at(shape.size(), 0);
    for (int64_t i = 0; i < kernels::NumElements(expected_shape); ++i) {
      int64_t offset = 0;
      for (size_t d = 0; d < shape.size(); ++d) offset += picks[d][at[d]] * strides[d];
      expected.push_back(static_cast<int32_t>(offset));
      for (size_t d = shape.size(); d-- > 0;) {
        if (++at[d] < picks[d].size()) break;
        at[d] = 0;
      }
    }
    EXPECT_EQ(run->outputs[0].values<int32_t>(), expected)
        << "input " << kernels::ShapeString(shape);
  }
}

TEST(SliceTest, ClampsPerSpec) {
  auto slice = [](int64_t start, int64_t end, int64_t step) {
    return RunOp("Slice", 13, {},
                 {Iota<float>({5}), Const<int64_t>({1}, {start}), Const<int64_t>({1}, {end}),
                  Omitted(), Const<int64_t>({1}, {step})});
  };
  auto run = slice(kMax, kMin, -1);  // whole axis reversed
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_THAT(run->outputs[0].values<float>(), ElementsAre(4, 3, 2, 1, 0));
  run = slice(-100, -100, -1);  // both clamp: start to 0, end to -1 -> element 0 (spec, not numpy)
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_THAT(run->outputs[0].values<float>(), ElementsAre(0));
  run = slice(7, 1, 1);  // start clamps to 5: empty
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outputs[0].shape, (Shape{0}));
  run = slice(1, kMax, kMax);  // a huge step takes one element
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_THAT(run->outputs[0].values<float>(), ElementsAre(1));
  run = slice(3, kMin, kMin);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_THAT(run->outputs[0].values<float>(), ElementsAre(3));
}

TEST(SliceTest, AttributeFormBeforeOpset10) {
  Attributes attrs;
  attrs.SetInts("starts", {1, -2});
  attrs.SetInts("ends", {kMax, -1});
  attrs.SetInts("axes", {1, 0});
  auto run = RunOp("Slice", 9, attrs, {Iota<double>({3, 4})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outputs[0].shape, (Shape{1, 3}));
  EXPECT_THAT(run->outputs[0].values<double>(), ElementsAre(5, 6, 7));
  EXPECT_THAT(ErrorOf(RunOp("Slice", 9, {}, {Iota<double>({3, 4})})),
              HasSubstr("'starts' and 'ends' are required"));
}

TEST(SliceTest, Errors) {
  auto slice = [](TestTensor starts, TestTensor ends, TestTensor axes, TestTensor steps) {
    return RunOp("Slice", 13, {}, {Iota<float>({4, 4}), starts, ends, axes, steps});
  };
  EXPECT_THAT(ErrorOf(slice(Const<int64_t>({1}, {0}), Const<int64_t>({1}, {2}), Omitted(),
                            Const<int64_t>({1}, {0}))),
              HasSubstr("'steps' (0) has a 0"));
  EXPECT_THAT(ErrorOf(slice(Const<int64_t>({2}, {0, 0}), Const<int64_t>({2}, {2, 2}),
                            Const<int64_t>({2}, {1, -1}), Omitted())),
              HasSubstr("duplicates"));
  EXPECT_THAT(ErrorOf(slice(Const<int64_t>({1}, {0}), Const<int64_t>({2}, {2, 2}), Omitted(),
                            Omitted())),
              HasSubstr("differ in length"));
  EXPECT_THAT(ErrorOf(slice(Const<int64_t>({1}, {0}), Const<int64_t>({1}, {2}),
                            Const<int64_t>({1}, {2}), Omitted())),
              HasSubstr("axis 2 is outside [-2, 2)"));
  EXPECT_THAT(ErrorOf(slice(MakeTensor<int64_t>({1}, {0}), Const<int64_t>({1}, {2}), Omitted(),
                            Omitted())),
              HasSubstr("input 1 'starts' must be a constant"));
  EXPECT_THAT(ErrorOf(slice(Const<float>({1}, {0}), Const<int64_t>({1}, {2}), Omitted(),
                            Omitted())),
              HasSubstr("has type float32, expected int32 or int64"));
}

// ---- Transpose / DepthToSpace / SpaceToDepth ----

TEST(TransposeTest, MatchesNaiveOnRandomShapes) {
  std::mt19937 rng(11);
  for (int iteration = 0; iteration < 100; ++iteration) {
    Shape shape(static_cast<size_t>(rng() % 5 + 1));
    for (int64_t& d : shape) d = static_cast<int64_t>(rng() % 4 + 1);
    std::vector<int64_t> perm(shape.size());
    std::iota(perm.begin(), perm.end(), 0);
    std::shuffle(perm.begin(), perm.end(), rng);
    Attributes attrs;
    attrs.SetInts("perm", perm);
    auto run = RunOp("Transpose", 13, attrs, {Iota<int16_t>(shape)});
    ASSERT_TRUE(run.ok()) << run.status();
    const Shape& out = run->outputs[0].shape;
    const std::vector<int64_t> in_strides = kernels::Strides(shape);
    const std::vector<int64_t> out_strides = kernels::Strides(out);
    const std::vector<int16_t> got = run->outputs[0].values<int16_t>();
    for (int64_t i = 0; i < kernels::NumElements(out); ++i) {
      int64_t source = 0;
      for (size_t d = 0; d < out.size(); ++d) {
        source += (i / out_strides[d]) % out[d] * in_strides[perm[d]];
      }
      ASSERT_EQ(got[i], source) << "shape " << kernels::ShapeString(shape) << " perm "
                                << kernels::ShapeString(perm) << " at " << i;
    }
  }
}

TEST(TransposeTest, DefaultReversesAndBadPermFails) {
  auto run = RunOp("Transpose", 1, {}, {Iota<float>({2, 3})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outputs[0].shape, (Shape{3, 2}));
  EXPECT_THAT(run->outputs[0].values<float>(), ElementsAre(0, 3, 1, 4, 2, 5));
  Attributes attrs;
  attrs.SetInts("perm", {0, 0});
  EXPECT_THAT(ErrorOf(RunOp("Transpose", 13, attrs, {Iota<float>({2, 3})})),
              HasSubstr("'perm' (0,0) is not a permutation"));
}

TEST(DepthToSpaceTest, ModesOnNonSquareInput) {
  Attributes attrs;
  attrs.SetInt("blocksize", 2);
  // C = 8 = 2 output channels * 2 * 2; H = 1, W = 2.
  auto dcr = RunOp("DepthToSpace", 11, attrs, {Iota<float>({1, 8, 1, 2})});
  ASSERT_TRUE(dcr.ok()) << dcr.status();
  EXPECT_EQ(dcr->outputs[0].shape, (Shape{1, 2, 2, 4}));
  // DCR: out[c][h*2+bh][w*2+bw] = in[(bh*2+bw)*2+c][h][w].
  EXPECT_THAT(dcr->outputs[0].values<float>(),
              ElementsAre(0, 4, 1, 5, 8, 12, 9, 13, 2, 6, 3, 7, 10, 14, 11, 15));
  attrs.SetString("mode", "CRD");
  auto crd = RunOp("DepthToSpace", 13, attrs, {Iota<float>({1, 8, 1, 2})});
  ASSERT_TRUE(crd.ok()) << crd.status();
  // CRD: out[c][h*2+bh][w*2+bw] = in[c*4+bh*2+bw][h][w].
  EXPECT_THAT(crd->outputs[0].values<float>(),
              ElementsAre(0, 2, 1, 3, 4, 6, 5, 7, 8, 10, 9, 11, 12, 14, 13, 15));
  attrs.SetString("mode", "XYZ");
  EXPECT_THAT(ErrorOf(RunOp("DepthToSpace", 13, attrs, {Iota<float>({1, 8, 1, 2})})),
              HasSubstr("'mode' is 'XYZ'"));
}

TEST(DepthToSpaceTest, InvertsSpaceToDepth) {
  Attributes attrs;
  attrs.SetInt("blocksize", 3);
  auto s2d = RunOp("SpaceToDepth", 13, attrs, {Iota<uint8_t>({2, 2, 3, 6})});
  ASSERT_TRUE(s2d.ok()) << s2d.status();
  EXPECT_EQ(s2d->outputs[0].shape, (Shape{2, 18, 1, 2}));
  TestTensor depth = s2d->outputs[0];
  auto d2s = RunOp("DepthToSpace", 13, attrs, {depth});
  ASSERT_TRUE(d2s.ok()) << d2s.status();
  EXPECT_EQ(d2s->outputs[0].shape, (Shape{2, 2, 3, 6}));
  EXPECT_EQ(d2s->outputs[0].values<uint8_t>(), Iota<uint8_t>({72}).values<uint8_t>());
}

TEST(DepthToSpaceTest, Errors) {
  Attributes attrs;
  attrs.SetInt("blocksize", 2);
  EXPECT_THAT(ErrorOf(RunOp("DepthToSpace", 13, attrs, {Iota<float>({1, 6, 1, 1})})),
              HasSubstr("C not divisible by blocksize^2 4"));
  EXPECT_THAT(ErrorOf(RunOp("SpaceToDepth", 13, attrs, {Iota<float>({1, 1, 3, 2})})),
              HasSubstr("not divisible by blocksize 2"));
  EXPECT_THAT(ErrorOf(RunOp("SpaceToDepth", 13, attrs, {Iota<float>({1, 2, 2})})),
              HasSubstr("expected rank 4"));
  attrs.SetInt("blocksize", 0);
  EXPECT_THAT(ErrorOf(RunOp("SpaceToDepth", 13, attrs, {Iota<float>({1, 1, 2, 2})})),
              HasSubstr("'blocksize' 0 must be positive"));
}

// ---- Expand / Tile ----

TEST(ExpandTest, BroadcastsBothWays) {
  auto run = RunOp("Expand", 13, {},
                   {MakeTensor<int64_t>({3, 1}, {7, 8, 9}), Const<int64_t>({3}, {2, 1, 2})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outputs[0].shape, (Shape{2, 3, 2}));
  EXPECT_THAT(run->outputs[0].values<int64_t>(), ElementsAre(7, 7, 8, 8, 9, 9, 7, 7, 8, 8, 9, 9));
  EXPECT_THAT(ErrorOf(RunOp("Expand", 13, {}, {Iota<float>({3}), Const<int64_t>({1}, {2})})),
              HasSubstr("cannot be broadcast"));
}

TEST(TileTest, RepeatsIncludingZero) {
  auto run = RunOp("Tile", 13, {},
                   {MakeTensor<uint8_t>({2, 1}, {1, 0}, false, DType::kBool),
                    Const<int64_t>({2}, {2, 3})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outputs[0].dtype, DType::kBool);
  EXPECT_EQ(run->outputs[0].shape, (Shape{4, 3}));
  EXPECT_THAT(run->outputs[0].values<uint8_t>(), ElementsAre(1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0));
  run = RunOp("Tile", 13, {}, {Iota<float>({2, 2}), Const<int64_t>({2}, {0, 2})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outputs[0].shape, (Shape{0, 4}));
  EXPECT_THAT(ErrorOf(RunOp("Tile", 13, {}, {Iota<float>({2, 2}), Const<int64_t>({1}, {2})})),
              HasSubstr("has 1 entries but input 0 (2,2) has rank 2"));
  EXPECT_THAT(ErrorOf(RunOp("Tile", 13, {}, {Iota<float>({2}), Const<int64_t>({1}, {-1})})),
              HasSubstr("negative count"));
}

}  // namespace
}  // namespace hb_dnn::testing
