// Image inputs of hrt_model_exec (tools/hrt_model_exec/image_input.h): decoding, resizing and
// conversion to the model's image type, checked on images written here.
#include "tools/hrt_model_exec/image_input.h"

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

// jpeglib.h uses FILE and size_t without declaring them: it must follow <cstdio>.
#include <jpeglib.h>
#include <png.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/test_models.h"
#include "tools/hrt_model_exec/tensor_file.h"

namespace hb_dnn::tools {
namespace {

using ::testing::HasSubstr;

void WritePng(const std::string& path, int width, int height, const std::vector<uint8_t>& rgb) {
  png_image png;
  std::memset(&png, 0, sizeof(png));
  png.version = PNG_IMAGE_VERSION;
  png.width = static_cast<png_uint_32>(width);
  png.height = static_cast<png_uint_32>(height);
  png.format = PNG_FORMAT_RGB;
  ASSERT_TRUE(png_image_write_to_file(&png, path.c_str(), 0, rgb.data(), 0, nullptr))
      << png.message;
}

void WriteJpeg(const std::string& path, int width, int height, const std::vector<uint8_t>& rgb) {
  FILE* file = std::fopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  jpeg_compress_struct info;
  jpeg_error_mgr error;
  info.err = jpeg_std_error(&error);
  jpeg_create_compress(&info);
  jpeg_stdio_dest(&info, file);
  info.image_width = static_cast<JDIMENSION>(width);
  info.image_height = static_cast<JDIMENSION>(height);
  info.input_components = 3;
  info.in_color_space = JCS_RGB;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, 100, TRUE);
  jpeg_start_compress(&info, TRUE);
  while (info.next_scanline < info.image_height) {
    JSAMPROW row =
        const_cast<uint8_t*>(rgb.data()) + static_cast<size_t>(info.next_scanline) * width * 3;
    jpeg_write_scanlines(&info, &row, 1);
  }
  jpeg_finish_compress(&info);
  jpeg_destroy_compress(&info);
  std::fclose(file);
}

hbDNNTensorProperties ImageInput(int32_t type, int32_t layout, int h, int w) {
  hbDNNTensorProperties p;
  std::memset(&p, 0, sizeof(p));
  p.tensorType = type;
  p.tensorLayout = layout;
  p.validShape.numDimensions = 4;
  bool nhwc = layout == HB_DNN_LAYOUT_NHWC;
  int32_t dims[4] = {1, nhwc ? h : 3, nhwc ? w : h, nhwc ? 3 : w};
  for (int i = 0; i < 4; ++i) p.validShape.dimensionSize[i] = dims[i];
  p.alignedShape = p.validShape;
  p.alignedByteSize = type == HB_DNN_IMG_TYPE_NV12 ? h * w * 3 / 2 : h * w * 3;
  return p;
}

const std::vector<uint8_t> kQuad = {255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255};

TEST(ImageInput, DecodesPngExactly) {
  std::string path = testing::TempPath("quad.png");
  WritePng(path, 2, 2, kQuad);
  absl::StatusOr<RgbImage> image = DecodeImage(path);
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_EQ(image->width, 2);
  EXPECT_EQ(image->height, 2);
  EXPECT_EQ(image->pixels, kQuad);
}

TEST(ImageInput, DecodesJpegWithinCompressionError) {
  std::string path = testing::TempPath("flat.jpg");
  std::vector<uint8_t> flat;
  for (int i = 0; i < 16 * 8; ++i) flat.insert(flat.end(), {200, 100, 50});
  WriteJpeg(path, 16, 8, flat);
  absl::StatusOr<RgbImage> image = DecodeImage(path);
  ASSERT_TRUE(image.ok()) << image.status();
  ASSERT_EQ(image->width, 16);
  ASSERT_EQ(image->height, 8);
  for (size_t i = 0; i < flat.size(); ++i) EXPECT_NEAR(image->pixels[i], flat[i], 3) << i;
}

TEST(ImageInput, CorruptFilesAreErrorsNotCrashes) {
  std::string jpeg = testing::TempPath("bad.jpg");
  std::string png = testing::TempPath("bad.png");
  testing::WriteBytes(jpeg, "not a jpeg at all");
  testing::WriteBytes(png, "not a png either");
  EXPECT_THAT(std::string(DecodeImage(jpeg).status().message()), HasSubstr("JPEG '"));
  EXPECT_THAT(std::string(DecodeImage(png).status().message()), HasSubstr("PNG '"));
  EXPECT_THAT(std::string(DecodeImage("/nonexistent.jpg").status().message()),
              HasSubstr("cannot open image '/nonexistent.jpg'"));
}

TEST(ImageInput, Nv12IsTheYPlaneThenAveragedUv) {
  RgbImage image{2, 2, kQuad};
  absl::StatusOr<std::string> bytes =
      ImageToInputBytes(image, ImageInput(HB_DNN_IMG_TYPE_NV12, HB_DNN_LAYOUT_NCHW, 2, 2), "in");
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  ASSERT_EQ(bytes->size(), 6u);
  // Y = 0.299 R + 0.587 G + 0.114 B.
  EXPECT_EQ(static_cast<uint8_t>((*bytes)[0]), 76);
  EXPECT_EQ(static_cast<uint8_t>((*bytes)[1]), 150);
  EXPECT_EQ(static_cast<uint8_t>((*bytes)[2]), 29);
  EXPECT_EQ(static_cast<uint8_t>((*bytes)[3]), 255);
  // U = mean((B - Y) * 0.564 + 128), V = mean((R - Y) * 0.713 + 128) over the 2x2 block.
  double u = ((0 - 76.245) + (0 - 149.685) + (255 - 29.07) + 0) * 0.564 / 4 + 128;
  double v = ((255 - 76.245) + (0 - 149.685) + (0 - 29.07) + 0) * 0.713 / 4 + 128;
  EXPECT_NEAR(static_cast<uint8_t>((*bytes)[4]), u, 1);
  EXPECT_NEAR(static_cast<uint8_t>((*bytes)[5]), v, 1);
}

TEST(ImageInput, RgbAndBgrFollowTheLayout) {
  RgbImage image{2, 2, kQuad};
  absl::StatusOr<std::string> nhwc =
      ImageToInputBytes(image, ImageInput(HB_DNN_IMG_TYPE_RGB, HB_DNN_LAYOUT_NHWC, 2, 2), "in");
  ASSERT_TRUE(nhwc.ok()) << nhwc.status();
  EXPECT_EQ(std::vector<uint8_t>(nhwc->begin(), nhwc->end()), kQuad);
  absl::StatusOr<std::string> nchw =
      ImageToInputBytes(image, ImageInput(HB_DNN_IMG_TYPE_BGR, HB_DNN_LAYOUT_NCHW, 2, 2), "in");
  ASSERT_TRUE(nchw.ok()) << nchw.status();
  // Planar B, G, R.
  std::vector<uint8_t> planar = {0, 0, 255, 255, 0, 255, 0, 255, 255, 0, 0, 255};
  EXPECT_EQ(std::vector<uint8_t>(nchw->begin(), nchw->end()), planar);
}

TEST(ImageInput, ResizesBilinearlyToTheInputSize) {
  RgbImage flat{3, 5, std::vector<uint8_t>(3 * 5 * 3, 90)};
  RgbImage resized = ResizeBilinear(flat, 8, 6);
  EXPECT_EQ(resized.width, 8);
  EXPECT_EQ(resized.height, 6);
  EXPECT_EQ(resized.pixels, std::vector<uint8_t>(8 * 6 * 3, 90));
  // A horizontal ramp 0, 255 upscaled to 4: centres at -0.25, 0.25, 0.75, 1.25 (clamped).
  RgbImage ramp{2, 1, {0, 0, 0, 255, 255, 255}};
  RgbImage wide = ResizeBilinear(ramp, 4, 1);
  EXPECT_EQ(wide.pixels[0], 0);
  EXPECT_EQ(wide.pixels[3], 64);
  EXPECT_EQ(wide.pixels[6], 191);
  EXPECT_EQ(wide.pixels[9], 255);
}

TEST(ImageInput, ReadInputFileTurnsAnImageIntoCompactInputData) {
  std::string path = testing::TempPath("in.png");
  WritePng(path, 2, 2, kQuad);
  hbDNNTensorProperties nv12 = ImageInput(HB_DNN_IMG_TYPE_NV12, HB_DNN_LAYOUT_NCHW, 4, 4);
  nv12.alignedShape.dimensionSize[3] = 16;  // padded rows: the image data is passed compact
  nv12.alignedByteSize = 4 * 16 * 3 / 2;
  absl::StatusOr<InputData> data = ReadInputFile(path, nv12, "input 0 'data'");
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(data->bytes.size(), 24u);
  EXPECT_TRUE(data->compact);

  hbDNNTensorProperties features = ImageInput(HB_DNN_TENSOR_TYPE_F32, HB_DNN_LAYOUT_NCHW, 2, 2);
  absl::StatusOr<InputData> rejected = ReadInputFile(path, features, "input 0 'x'");
  EXPECT_THAT(std::string(rejected.status().message()),
              HasSubstr("input 0 'x': an image file can feed only"));
}

}  // namespace
}  // namespace hb_dnn::tools
