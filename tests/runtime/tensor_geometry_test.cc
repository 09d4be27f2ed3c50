#include "src/runtime/tensor_geometry.h"

#include "gtest/gtest.h"
#include "src/base/status.h"

namespace hb_dnn::runtime {
namespace {

using V = std::vector<int32_t>;

TensorGeometry Compute(March march, fb::DataType type, fb::Layout layout, V shape, bool bpu) {
  absl::StatusOr<TensorGeometry> g = ComputeGeometry(march, type, layout, shape, bpu);
  EXPECT_TRUE(g.ok()) << g.status();
  return g.ok() ? *g : TensorGeometry{};
}

TEST(TensorGeometry, Nv12AlignsWidthTo16WithZeroStrides) {
  // The vendor's observed X3 alignment: 1x3x773x329 NV12 -> 1x3x773x336.
  TensorGeometry g = Compute(March::kBernoulli2, fb::DataType::IMG_NV12, fb::Layout::NCHW,
                             {1, 3, 774, 330}, true);
  EXPECT_EQ(g.aligned_shape, (V{1, 3, 774, 336}));
  EXPECT_EQ(g.stride, (V{0, 0, 0, 0}));
  EXPECT_EQ(g.aligned_byte_size, 774 * 336 * 3 / 2);
}

TEST(TensorGeometry, Nv12AlreadyAlignedIsHxWx1_5) {
  TensorGeometry g = Compute(March::kBayes, fb::DataType::IMG_NV12, fb::Layout::NCHW,
                             {1, 3, 640, 640}, true);
  EXPECT_EQ(g.aligned_byte_size, 614400);  // as hrt_model_exec reports for a 640x640 NV12 input
}

TEST(TensorGeometry, GrayAlignsWidth) {
  TensorGeometry g = Compute(March::kBernoulli2, fb::DataType::IMG_Y, fb::Layout::NCHW,
                             {1, 1, 721, 1836}, true);
  EXPECT_EQ(g.aligned_shape, (V{1, 1, 721, 1840}));
  EXPECT_EQ(g.aligned_byte_size, 721 * 1840);
}

TEST(TensorGeometry, RgbIsCompact) {
  TensorGeometry g = Compute(March::kBernoulli2, fb::DataType::IMG_RGB, fb::Layout::NHWC,
                             {1, 5, 7, 3}, true);
  EXPECT_EQ(g.aligned_shape, (V{1, 5, 7, 3}));
  EXPECT_EQ(g.stride, (V{105, 21, 3, 1}));
  EXPECT_EQ(g.aligned_byte_size, 105);
}

TEST(TensorGeometry, CpuSideTensorsAreCompact) {
  TensorGeometry g = Compute(March::kBernoulli2, fb::DataType::F32, fb::Layout::NHWC,
                             {1, 80, 80, 80}, false);
  EXPECT_EQ(g.aligned_shape, (V{1, 80, 80, 80}));
  EXPECT_EQ(g.stride, (V{2048000, 25600, 320, 4}));  // the X5 log's compact F32 strides
  EXPECT_EQ(g.aligned_byte_size, 2048000);
}

TEST(TensorGeometry, Bernoulli2RowBursts) {
  struct Case {
    int c;
    fb::DataType type;
    int aligned_c;
  } cases[] = {
      {1, fb::DataType::S8, 16},    {3, fb::DataType::S8, 16},    {17, fb::DataType::S8, 32},
      {33, fb::DataType::S8, 64},   {100, fb::DataType::S8, 128}, {200, fb::DataType::S8, 256},
      {256, fb::DataType::S8, 256}, {257, fb::DataType::S8, 272}, {300, fb::DataType::S8, 320},
      {85, fb::DataType::S32, 96},  {1000, fb::DataType::S32, 1024}, {5, fb::DataType::S16, 8},
  };
  for (const Case& c : cases) {
    TensorGeometry g =
        Compute(March::kBernoulli2, c.type, fb::Layout::NHWC, {1, 2, 3, c.c}, true);
    EXPECT_EQ(g.aligned_shape[3], c.aligned_c) << "C=" << c.c << " " << fb::EnumNameDataType(c.type);
    int elem = ElementSize(c.type);
    EXPECT_EQ(g.stride, (V{2 * 3 * c.aligned_c * elem, 3 * c.aligned_c * elem, c.aligned_c * elem, elem}));
  }
  // NCHW pads W instead.
  TensorGeometry g = Compute(March::kBernoulli2, fb::DataType::S8, fb::Layout::NCHW, {1, 8, 5, 7}, true);
  EXPECT_EQ(g.aligned_shape, (V{1, 8, 5, 16}));
  // bayes keeps feature maps compact.
  g = Compute(March::kBayes, fb::DataType::S8, fb::Layout::NHWC, {1, 2, 3, 5}, true);
  EXPECT_EQ(g.aligned_shape, (V{1, 2, 3, 5}));
}

TEST(TensorGeometry, Rejections) {
  auto code = [](absl::StatusOr<TensorGeometry> g) { return ErrorCodeOf(g.status()); };
  EXPECT_EQ(code(ComputeGeometry(March::kBernoulli2, fb::DataType::F32, fb::Layout::NCHW, {}, false)),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(code(ComputeGeometry(March::kBernoulli2, fb::DataType::F32, fb::Layout::NCHW,
                                 {1, 2, 3, 4, 5, 6, 7, 8, 9}, false)),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(code(ComputeGeometry(March::kBernoulli2, fb::DataType::F32, fb::Layout::NCHW, {1, 0, 3}, false)),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(code(ComputeGeometry(March::kBernoulli2, fb::DataType::F32, fb::Layout::NCHW,
                                 {1, 65536, 65536}, false)),
            ErrorCode::kInvalidArgument);
  // Odd NV12 sizes, wrong channel count, wrong layout.
  EXPECT_FALSE(ComputeGeometry(March::kBernoulli2, fb::DataType::IMG_NV12, fb::Layout::NCHW, {1, 3, 5, 8}, true).ok());
  EXPECT_FALSE(ComputeGeometry(March::kBernoulli2, fb::DataType::IMG_NV12, fb::Layout::NCHW, {1, 1, 4, 8}, true).ok());
  EXPECT_FALSE(ComputeGeometry(March::kBernoulli2, fb::DataType::IMG_NV12, fb::Layout::NHWC, {1, 4, 8, 3}, true).ok());
  EXPECT_FALSE(ComputeGeometry(March::kBernoulli2, static_cast<fb::DataType>(42), fb::Layout::NCHW, {1}, true).ok());
}

TEST(TensorGeometry, ParseMarch) {
  EXPECT_EQ(*ParseMarch("BERNOULLI2"), March::kBernoulli2);
  EXPECT_EQ(*ParseMarch("bayes"), March::kBayes);
  EXPECT_FALSE(ParseMarch("bayes-e").ok());
}

}  // namespace
}  // namespace hb_dnn::runtime
