// Hand-written tests of the tensor group's indexed and constant-producing kernels (Gather,
// GatherElements, ScatterElements/Scatter, Shape, Size, ConstantOfShape, Range, TopK): odd shapes
// and dtypes, prepare-time constant outputs, and failure paths.

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/kernels/tensor_test_util.h"

namespace hb_dnn::testing {
namespace {

using kernels::AttributeTensor;
using kernels::Attributes;
using kernels::DType;
using kernels::Shape;
using ::testing::ElementsAre;
using ::testing::Each;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string ErrorOf(const absl::StatusOr<OpRun>& run) {
  return run.ok() ? std::string("(ok)") : std::string(run.status().message());
}

// The values of the constant output `i` that Prepare published (empty when it published none).
template <typename T>
std::vector<T> FoldedValues(const OpRun& run, size_t i = 0) {
  const kernels::TensorInfo& info = run.infos[i];
  if (info.data == nullptr) return {};
  const T* data = info.as<T>();
  return std::vector<T>(data, data + info.num_elements());
}

// ---- Gather ----

TEST(GatherTest, AxisOneWithNegativeInt32Indices) {
  Attributes attrs;
  attrs.SetInt("axis", 1);
  auto run = RunOp("Gather", 13, attrs,
                   {Iota<float>({2, 3}), MakeTensor<int32_t>({2}, {2, -3})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outputs[0].shape, (Shape{2, 2}));
  EXPECT_THAT(run->outputs[0].values<float>(), ElementsAre(2, 0, 5, 3));
}

TEST(GatherTest, ScalarIndexDropsTheAxis) {
  auto run = RunOp("Gather", 11, {}, {Iota<int64_t>({3, 2}), MakeTensor<int64_t>({}, {1})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outputs[0].shape, (Shape{2}));
  EXPECT_THAT(run->outputs[0].values<int64_t>(), ElementsAre(2, 3));
}

TEST(GatherTest, Errors) {
  EXPECT_THAT(ErrorOf(RunOp("Gather", 13, {}, {Iota<float>({3}), Const<int64_t>({1}, {3})})),
              HasSubstr("Gather: index 3 is outside [-3, 3)"));
  EXPECT_THAT(ErrorOf(RunOp("Gather", 13, {}, {Iota<float>({3}), MakeTensor<int64_t>({1}, {-4})})),
              HasSubstr("Gather: index -4 is outside [-3, 3)"));
  EXPECT_THAT(ErrorOf(RunOp("Gather", 13, {}, {Iota<float>({3}), MakeTensor<float>({1}, {0})})),
              HasSubstr("input 1 'indices' has type float32"));
  EXPECT_THAT(ErrorOf(RunOp("Gather", 13, {}, {Iota<float>({}), MakeTensor<int64_t>({1}, {0})})),
              HasSubstr("is a scalar"));
}

// ---- GatherElements / ScatterElements ----

TEST(GatherElementsTest, IndicesSmallerThanData) {
  auto run = RunOp("GatherElements", 13, {},
                   {Iota<float>({3, 3}), MakeTensor<int64_t>({1, 2}, {2, -1})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outputs[0].shape, (Shape{1, 2}));
  EXPECT_THAT(run->outputs[0].values<float>(), ElementsAre(6, 7));
  Attributes attrs;
  attrs.SetInt("axis", 1);
  run = RunOp("GatherElements", 13, attrs,
              {Iota<uint16_t>({3, 3}), MakeTensor<int32_t>({2, 1}, {1, 0})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_THAT(run->outputs[0].values<uint16_t>(), ElementsAre(1, 3));
}

TEST(GatherElementsTest, Errors) {
  Attributes attrs;
  attrs.SetInt("axis", 1);
  EXPECT_THAT(ErrorOf(RunOp("GatherElements", 13, attrs,
                            {Iota<float>({3, 3}), MakeTensor<int64_t>({4, 1}, {0, 0, 0, 0})})),
              HasSubstr("exceeds input 0 'data' (3,3) on axis 0"));
  EXPECT_THAT(ErrorOf(RunOp("GatherElements", 13, attrs,
                            {Iota<float>({3, 3}), MakeTensor<int64_t>({3}, {0, 0, 0})})),
              HasSubstr("but input 0 'data' has rank 2"));
  EXPECT_THAT(ErrorOf(RunOp("GatherElements", 13, attrs,
                            {Iota<float>({3, 3}), MakeTensor<int64_t>({1, 1}, {3})})),
              HasSubstr("GatherElements: index 3 is outside [-3, 3)"));
}

TEST(ScatterElementsTest, Reductions) {
  Attributes attrs;
  attrs.SetInt("axis", 1);
  attrs.SetString("reduction", "mul");
  auto run = RunOp("ScatterElements", 16, attrs,
                   {MakeTensor<float>({1, 5}, {1, 2, 3, 4, 5}), MakeTensor<int64_t>({1, 2}, {1, 1}),
                    MakeTensor<float>({1, 2}, {2, 3})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_THAT(run->outputs[0].values<float>(), ElementsAre(1, 12, 3, 4, 5));
  attrs.SetString("reduction", "add");
  run = RunOp("ScatterElements", 16, attrs,
              {MakeTensor<int32_t>({1, 3}, {1, 2, 3}), MakeTensor<int32_t>({1, 2}, {-1, 0}),
               MakeTensor<int32_t>({1, 2}, {10, 20})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_THAT(run->outputs[0].values<int32_t>(), ElementsAre(21, 2, 13));
}

TEST(ScatterElementsTest, LastDuplicateWinsWithoutReduction) {
  Attributes attrs;
  attrs.SetInt("axis", 1);
  auto run = RunOp("Scatter", 10, attrs,
                   {MakeTensor<uint8_t>({1, 3}, {1, 1, 1}, false, DType::kBool),
                    MakeTensor<int64_t>({1, 2}, {2, 2}),
                    MakeTensor<uint8_t>({1, 2}, {0, 1}, false, DType::kBool)});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_THAT(run->outputs[0].values<uint8_t>(), ElementsAre(1, 1, 1));
}

TEST(ScatterElementsTest, Errors) {
  Attributes attrs;
  attrs.SetString("reduction", "max");
  EXPECT_THAT(ErrorOf(RunOp("ScatterElements", 16, attrs,
                            {Iota<float>({3}), MakeTensor<int64_t>({1}, {0}), Iota<float>({1})})),
              HasSubstr("'reduction' is 'max', expected none, add or mul"));
  attrs.SetString("reduction", "add");
  EXPECT_THAT(ErrorOf(RunOp("ScatterElements", 16, attrs,
                            {MakeTensor<uint8_t>({1}, {0}, false, DType::kBool),
                             MakeTensor<int64_t>({1}, {0}),
                             MakeTensor<uint8_t>({1}, {0}, false, DType::kBool)})),
              HasSubstr("reduction is not supported for type bool"));
  EXPECT_THAT(ErrorOf(RunOp("ScatterElements", 13, {},
                            {Iota<float>({3}), MakeTensor<int64_t>({1}, {0}), Iota<float>({2})})),
              HasSubstr("input 2 'updates' is float32 (2)"));
  EXPECT_THAT(ErrorOf(RunOp("ScatterElements", 13, {},
                            {Iota<float>({3}), MakeTensor<int64_t>({1}, {5}), Iota<float>({1})})),
              HasSubstr("ScatterElements: index 5 is outside [-3, 3)"));
}

// ---- GatherND / ScatterND ----

TEST(GatherNdTest, BatchDimsAndPartialTuples) {
  Attributes attrs;
  attrs.SetInt("batch_dims", 1);
  // data (2,2,3); per batch one 1-entry tuple selecting a row of 3.
  auto run = RunOp("GatherND", 12, attrs,
                   {Iota<int16_t>({2, 2, 3}), MakeTensor<int32_t>({2, 1}, {1, -2})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outputs[0].shape, (Shape{2, 3}));
  EXPECT_THAT(run->outputs[0].values<int16_t>(), ElementsAre(3, 4, 5, 6, 7, 8));
  run = RunOp("GatherND", 11, {},
              {Iota<float>({2, 3}), MakeTensor<int64_t>({2, 2}, {1, 2, 0, -1})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outputs[0].shape, (Shape{2}));
  EXPECT_THAT(run->outputs[0].values<float>(), ElementsAre(5, 2));
}

TEST(GatherNdTest, Errors) {
  EXPECT_THAT(ErrorOf(RunOp("GatherND", 13, {},
                            {Iota<float>({2, 3}), MakeTensor<int64_t>({1, 3}, {0, 0, 0})})),
              HasSubstr("has tuples of 3 entries; input 0 'data' (2,3) allows 1..2"));
  EXPECT_THAT(ErrorOf(RunOp("GatherND", 13, {},
                            {Iota<float>({2, 3}), Const<int64_t>({1, 2}, {0, 3})})),
              HasSubstr("GatherND: index 3 is outside [-3, 3)"));
  Attributes attrs;
  attrs.SetInt("batch_dims", 1);
  EXPECT_THAT(ErrorOf(RunOp("GatherND", 13, attrs,
                            {Iota<float>({2, 3}), MakeTensor<int64_t>({3, 1}, {0, 0, 0})})),
              HasSubstr("batch dimension 0 differs"));
}

TEST(ScatterNdTest, BlocksAndReduction) {
  auto run = RunOp("ScatterND", 13, {},
                   {Iota<float>({3, 2}), MakeTensor<int64_t>({2, 1}, {2, 0}),
                    MakeTensor<float>({2, 2}, {10, 11, 12, 13})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_THAT(run->outputs[0].values<float>(), ElementsAre(12, 13, 2, 3, 10, 11));
  Attributes attrs;
  attrs.SetString("reduction", "add");
  run = RunOp("ScatterND", 16, attrs,
              {Iota<int64_t>({3}), MakeTensor<int64_t>({2, 1}, {1, 1}),
               MakeTensor<int64_t>({2}, {10, 20})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_THAT(run->outputs[0].values<int64_t>(), ElementsAre(0, 31, 2));
  EXPECT_THAT(ErrorOf(RunOp("ScatterND", 13, {},
                            {Iota<float>({3, 2}), MakeTensor<int64_t>({2, 1}, {2, 0}),
                             Iota<float>({2})})),
              HasSubstr("input 2 'updates' is float32 (2), expected float32 (2,2)"));
}

// ---- Shape / Size / ConstantOfShape / Range: outputs published at prepare time ----

TEST(ShapeTest, PublishesValuesAtPrepare) {
  auto run = RunOp("Shape", 13, {}, {Iota<float>({2, 3, 4, 5})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->infos[0].dtype, DType::kI64);
  EXPECT_THAT(FoldedValues<int64_t>(*run), ElementsAre(2, 3, 4, 5));
  EXPECT_THAT(run->outputs[0].values<int64_t>(), ElementsAre(2, 3, 4, 5));
}

TEST(ShapeTest, StartAndEndClamp) {
  Attributes attrs;
  attrs.SetInt("start", -3);
  attrs.SetInt("end", -1);
  auto run = RunOp("Shape", 15, attrs, {Iota<float>({2, 3, 4, 5})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_THAT(run->outputs[0].values<int64_t>(), ElementsAre(3, 4));
  attrs.SetInt("start", 10);
  run = RunOp("Shape", 15, attrs, {Iota<float>({2, 3})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->infos[0].shape, (Shape{0}));
  EXPECT_NE(run->infos[0].data, nullptr);  // an empty constant is still a constant
}

TEST(SizeTest, PublishesScalar) {
  auto run = RunOp("Size", 13, {}, {Iota<uint8_t>({2, 0, 3})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->infos[0].shape, (Shape{}));
  EXPECT_THAT(FoldedValues<int64_t>(*run), ElementsAre(0));
  run = RunOp("Size", 13, {}, {Iota<uint8_t>({2, 3})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_THAT(run->outputs[0].values<int64_t>(), ElementsAre(6));
}

TEST(ConstantOfShapeTest, DefaultIsFloatZero) {
  auto run = RunOp("ConstantOfShape", 9, {}, {Const<int64_t>({2}, {2, 3})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->infos[0].dtype, DType::kF32);
  EXPECT_THAT(FoldedValues<float>(*run), ElementsAre(0, 0, 0, 0, 0, 0));
  EXPECT_THAT(run->outputs[0].values<float>(), Each(0.0f));
}

TEST(ConstantOfShapeTest, ValueAttributeSetsTypeAndEmptyShapeGivesScalar) {
  Attributes attrs;
  int32_t seven = 7;
  attrs.SetTensor("value", AttributeTensor{DType::kI32, {1},
                                           std::string(reinterpret_cast<char*>(&seven), 4)});
  auto run = RunOp("ConstantOfShape", 9, attrs, {Const<int64_t>({0}, {})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->infos[0].dtype, DType::kI32);
  EXPECT_EQ(run->infos[0].shape, (Shape{}));
  EXPECT_THAT(run->outputs[0].values<int32_t>(), ElementsAre(7));
}

TEST(ConstantOfShapeTest, LargeOutputIsNotFoldedButStillRuns) {
  Attributes attrs;
  float one = 1;
  attrs.SetTensor("value", AttributeTensor{DType::kF32, {1},
                                           std::string(reinterpret_cast<char*>(&one), 4)});
  auto run = RunOp("ConstantOfShape", 9, attrs, {Const<int64_t>({2}, {1024, 300})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->infos[0].data, nullptr);
  EXPECT_THAT(run->outputs[0].values<float>(), Each(1.0f));
}

TEST(ConstantOfShapeTest, Errors) {
  EXPECT_THAT(ErrorOf(RunOp("ConstantOfShape", 9, {}, {MakeTensor<int64_t>({1}, {2})})),
              HasSubstr("input 0 'input' must be a constant"));
  EXPECT_THAT(ErrorOf(RunOp("ConstantOfShape", 9, {}, {Const<int64_t>({1}, {-2})})),
              HasSubstr("negative dimension"));
  Attributes attrs;
  attrs.SetTensor("value", AttributeTensor{DType::kF32, {2}, std::string(8, '\0')});
  EXPECT_THAT(ErrorOf(RunOp("ConstantOfShape", 9, attrs, {Const<int64_t>({1}, {2})})),
              HasSubstr("'value' must hold one element, got float32 (2)"));
}

TEST(RangeTest, IntegerAndFloat) {
  auto run = RunOp("Range", 11, {},
                   {Const<int64_t>({}, {10}), Const<int64_t>({}, {4}), Const<int64_t>({}, {-3})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_THAT(FoldedValues<int64_t>(*run), ElementsAre(10, 7));
  EXPECT_THAT(run->outputs[0].values<int64_t>(), ElementsAre(10, 7));
  run = RunOp("Range", 11, {},
              {Const<float>({}, {0}), Const<float>({}, {1}), Const<float>({}, {0.25f})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_THAT(run->outputs[0].values<float>(), ElementsAre(0, 0.25f, 0.5f, 0.75f));
  run = RunOp("Range", 11, {},
              {Const<int16_t>({}, {5}), Const<int16_t>({}, {5}), Const<int16_t>({}, {1})});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->infos[0].shape, (Shape{0}));
}

TEST(RangeTest, Errors) {
  EXPECT_THAT(ErrorOf(RunOp("Range", 11, {},
                            {Const<int32_t>({}, {0}), Const<int32_t>({}, {4}),
                             Const<int32_t>({}, {0})})),
              HasSubstr("input 2 'delta' is 0"));
  EXPECT_THAT(ErrorOf(RunOp("Range", 11, {},
                            {Const<int32_t>({}, {0}), MakeTensor<int32_t>({}, {4}),
                             Const<int32_t>({}, {1})})),
              HasSubstr("input 1 'limit' must be a constant"));
  EXPECT_THAT(ErrorOf(RunOp("Range", 11, {},
                            {Const<int32_t>({}, {0}), Const<int64_t>({}, {4}),
                             Const<int32_t>({}, {1})})),
              HasSubstr("input 1 'limit' has type int64 but input 0 'start' has int32"));
  EXPECT_THAT(ErrorOf(RunOp("Range", 11, {},
                            {Const<float>({}, {0}), Const<float>({}, {INFINITY}),
                             Const<float>({}, {1})})),
              HasSubstr("is not a usable length"));
  EXPECT_THAT(ErrorOf(RunOp("Range", 11, {},
                            {Const<uint8_t>({}, {0}), Const<uint8_t>({}, {4}),
                             Const<uint8_t>({}, {1})})),
              HasSubstr("type uint8 is not supported"));
}

// ---- TopK ----

TEST(TopKTest, TiesKeepLowerIndexFirst) {
  auto run = RunOp("TopK", 11, {},
                   {MakeTensor<float>({4}, {3, 1, 3, 2}), Const<int64_t>({1}, {2})}, 2);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_THAT(run->outputs[0].values<float>(), ElementsAre(3, 3));
  EXPECT_THAT(run->outputs[1].values<int64_t>(), ElementsAre(0, 2));
}

TEST(TopKTest, NanRanksHighest) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  auto run = RunOp("TopK", 11, {},
                   {MakeTensor<float>({4}, {nan, 1, 0, 5}), Const<int64_t>({1}, {2})}, 2);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_TRUE(std::isnan(run->outputs[0].values<float>()[0]));
  EXPECT_THAT(run->outputs[1].values<int64_t>(), ElementsAre(0, 3));
  Attributes attrs;
  attrs.SetInt("largest", 0);
  run = RunOp("TopK", 11, attrs,
              {MakeTensor<float>({4}, {nan, 1, 0, 5}), Const<int64_t>({1}, {3})}, 2);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_THAT(run->outputs[0].values<float>(), ElementsAre(0, 1, 5));
  EXPECT_THAT(run->outputs[1].values<int64_t>(), ElementsAre(2, 1, 3));
}

TEST(TopKTest, OuterAxisOnInt32) {
  Attributes attrs;
  attrs.SetInt("axis", 0);
  auto run = RunOp("TopK", 11, attrs,
                   {MakeTensor<int32_t>({3, 2}, {1, 6, 5, 2, 3, 4}), Const<int64_t>({1}, {2})}, 2);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outputs[0].shape, (Shape{2, 2}));
  EXPECT_THAT(run->outputs[0].values<int32_t>(), ElementsAre(5, 6, 3, 4));
  EXPECT_THAT(run->outputs[1].values<int64_t>(), ElementsAre(1, 0, 2, 2));
}

TEST(TopKTest, AttributeKBeforeOpset10AndKZero) {
  Attributes attrs;
  attrs.SetInt("k", 1);
  auto run = RunOp("TopK", 1, attrs, {MakeTensor<double>({2, 2}, {1, 2, 4, 3})}, 2);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_THAT(run->outputs[0].values<double>(), ElementsAre(2, 4));
  EXPECT_THAT(run->outputs[1].values<int64_t>(), ElementsAre(1, 0));
  run = RunOp("TopK", 11, {}, {Iota<float>({2, 3}), Const<int64_t>({1}, {0})}, 2);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->outputs[0].shape, (Shape{2, 0}));
  EXPECT_THAT(run->outputs[1].values<int64_t>(), IsEmpty());
}

TEST(TopKTest, Errors) {
  EXPECT_THAT(ErrorOf(RunOp("TopK", 11, {}, {Iota<float>({3}), Const<int64_t>({1}, {4})}, 2)),
              HasSubstr("k = 4 is outside [0, 3]"));
  EXPECT_THAT(ErrorOf(RunOp("TopK", 11, {}, {Iota<float>({3}), MakeTensor<int64_t>({1}, {1})}, 2)),
              HasSubstr("input 1 'K' must be a constant"));
  EXPECT_THAT(ErrorOf(RunOp("TopK", 9, {}, {Iota<float>({3})}, 2)),
              HasSubstr("attribute 'k' is required"));
  EXPECT_THAT(ErrorOf(RunOp("TopK", 11, {},
                            {MakeTensor<uint8_t>({1}, {0}, false, DType::kBool),
                             Const<int64_t>({1}, {1})},
                            2)),
              HasSubstr("unsupported type bool"));
}

}  // namespace
}  // namespace hb_dnn::testing
