#include "tools/hrt_model_exec/image_input.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <cstring>

// jpeglib.h uses FILE and size_t without declaring them: it must follow <cstdio>.
#include <jpeglib.h>
#include <png.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tools/hrt_model_exec/type_names.h"

namespace hb_dnn::tools {
namespace {

struct JpegError {
  jpeg_error_mgr manager;
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

// Replaces libjpeg's default handler, which would exit() the process.
void JpegErrorExit(j_common_ptr info) {
  auto* error = reinterpret_cast<JpegError*>(info->err);
  (*info->err->format_message)(info, error->message);
  longjmp(error->jump, 1);
}

// Decodes into `image`; returns false with `error->message` set on failure. No C++ object with
// a destructor lives in this frame across setjmp.
bool DecodeJpegFile(FILE* file, RgbImage* image, JpegError* error) {
  jpeg_decompress_struct info;
  info.err = jpeg_std_error(&error->manager);
  error->manager.error_exit = JpegErrorExit;
  if (setjmp(error->jump) != 0) {
    jpeg_destroy_decompress(&info);
    return false;
  }
  jpeg_create_decompress(&info);
  jpeg_stdio_src(&info, file);
  jpeg_read_header(&info, TRUE);
  info.out_color_space = JCS_RGB;
  jpeg_start_decompress(&info);
  image->width = static_cast<int>(info.output_width);
  image->height = static_cast<int>(info.output_height);
  image->pixels.resize(static_cast<size_t>(image->width) * image->height * 3);
  while (info.output_scanline < info.output_height) {
    JSAMPROW row =
        image->pixels.data() + static_cast<size_t>(info.output_scanline) * image->width * 3;
    jpeg_read_scanlines(&info, &row, 1);
  }
  jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
  return true;
}

absl::StatusOr<RgbImage> DecodeJpeg(const std::string& path) {
  FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("cannot open image '", path, "': ", std::strerror(errno)));
  }
  RgbImage image;
  JpegError error{};
  bool ok = DecodeJpegFile(file, &image, &error);
  std::fclose(file);
  if (!ok) return absl::InvalidArgumentError(absl::StrCat("JPEG '", path, "': ", error.message));
  return image;
}

absl::StatusOr<RgbImage> DecodePng(const std::string& path) {
  png_image png;
  std::memset(&png, 0, sizeof(png));
  png.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&png, path.c_str())) {
    return absl::InvalidArgumentError(absl::StrCat("PNG '", path, "': ", png.message));
  }
  png.format = PNG_FORMAT_RGB;
  RgbImage image;
  image.width = static_cast<int>(png.width);
  image.height = static_cast<int>(png.height);
  image.pixels.resize(PNG_IMAGE_SIZE(png));
  if (!png_image_finish_read(&png, nullptr, image.pixels.data(), 0, nullptr)) {
    std::string message = png.message;
    png_image_free(&png);
    return absl::InvalidArgumentError(absl::StrCat("PNG '", path, "': ", message));
  }
  return image;
}

uint8_t Saturate(double value) {
  return static_cast<uint8_t>(std::clamp(std::lround(value), 0L, 255L));
}

// BT.601 full range, as OpenCV's COLOR_RGB2YUV.
void RgbToYuv(const uint8_t* rgb, double* y, double* u, double* v) {
  double r = rgb[0];
  double g = rgb[1];
  double b = rgb[2];
  *y = 0.299 * r + 0.587 * g + 0.114 * b;
  *u = (b - *y) * 0.564 + 128.0;
  *v = (r - *y) * 0.713 + 128.0;
}

}  // namespace

absl::StatusOr<RgbImage> DecodeImage(const std::string& path) {
  std::string lower = absl::AsciiStrToLower(path);
  if (absl::EndsWith(lower, ".png")) return DecodePng(path);
  return DecodeJpeg(path);
}

RgbImage ResizeBilinear(const RgbImage& image, int width, int height) {
  RgbImage out;
  out.width = width;
  out.height = height;
  out.pixels.resize(static_cast<size_t>(width) * height * 3);
  double sx = static_cast<double>(image.width) / width;
  double sy = static_cast<double>(image.height) / height;
  for (int y = 0; y < height; ++y) {
    double fy = std::max((y + 0.5) * sy - 0.5, 0.0);
    int y0 = std::min(static_cast<int>(fy), image.height - 1);
    int y1 = std::min(y0 + 1, image.height - 1);
    double wy = fy - y0;
    for (int x = 0; x < width; ++x) {
      double fx = std::max((x + 0.5) * sx - 0.5, 0.0);
      int x0 = std::min(static_cast<int>(fx), image.width - 1);
      int x1 = std::min(x0 + 1, image.width - 1);
      double wx = fx - x0;
      for (int c = 0; c < 3; ++c) {
        auto at = [&](int yy, int xx) {
          return static_cast<double>(
              image.pixels[(static_cast<size_t>(yy) * image.width + xx) * 3 + c]);
        };
        double top = at(y0, x0) * (1 - wx) + at(y0, x1) * wx;
        double bottom = at(y1, x0) * (1 - wx) + at(y1, x1) * wx;
        out.pixels[(static_cast<size_t>(y) * width + x) * 3 + c] =
            Saturate(top * (1 - wy) + bottom * wy);
      }
    }
  }
  return out;
}

absl::StatusOr<std::string> ImageToInputBytes(const RgbImage& image,
                                              const hbDNNTensorProperties& properties,
                                              absl::string_view what) {
  const hbDNNTensorShape& shape = properties.validShape;
  int32_t type = properties.tensorType;
  bool image_type = type == HB_DNN_IMG_TYPE_Y || type == HB_DNN_IMG_TYPE_NV12 ||
                    type == HB_DNN_IMG_TYPE_YUV444 || type == HB_DNN_IMG_TYPE_RGB ||
                    type == HB_DNN_IMG_TYPE_BGR;
  if (!image_type || shape.numDimensions != 4 || shape.dimensionSize[0] != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        what,
        ": an image file can feed only a 1xCxHxW / 1xHxWxC image input (Y, NV12, YUV444, "
        "RGB, BGR); this input is ",
        TensorTypeName(type), "; pass a .bin or .txt tensor"));
  }
  bool nhwc = properties.tensorLayout == HB_DNN_LAYOUT_NHWC;
  int height = shape.dimensionSize[nhwc ? 1 : 2];
  int width = shape.dimensionSize[nhwc ? 2 : 3];
  RgbImage resized = ResizeBilinear(image, width, height);
  size_t pixels = static_cast<size_t>(width) * height;
  std::vector<double> y(pixels);
  std::vector<double> u(pixels);
  std::vector<double> v(pixels);
  for (size_t i = 0; i < pixels; ++i) RgbToYuv(&resized.pixels[i * 3], &y[i], &u[i], &v[i]);

  std::string bytes;
  if (type == HB_DNN_IMG_TYPE_Y || type == HB_DNN_IMG_TYPE_NV12) {
    for (double value : y) bytes += static_cast<char>(Saturate(value));
    if (type == HB_DNN_IMG_TYPE_Y) return bytes;
    for (int row = 0; row < height; row += 2) {
      for (int col = 0; col < width; col += 2) {
        double su = 0;
        double sv = 0;
        int n = 0;
        for (int dy = 0; dy < 2 && row + dy < height; ++dy) {
          for (int dx = 0; dx < 2 && col + dx < width; ++dx) {
            size_t i = static_cast<size_t>(row + dy) * width + col + dx;
            su += u[i];
            sv += v[i];
            ++n;
          }
        }
        bytes += static_cast<char>(Saturate(su / n));
        bytes += static_cast<char>(Saturate(sv / n));
      }
    }
    return bytes;
  }
  // Three channels: the order of the type, planar (NCHW) or interleaved (NHWC).
  auto channel = [&](size_t i, int c) -> uint8_t {
    if (type == HB_DNN_IMG_TYPE_YUV444) return Saturate(c == 0 ? y[i] : c == 1 ? u[i] : v[i]);
    int source = type == HB_DNN_IMG_TYPE_BGR ? 2 - c : c;
    return resized.pixels[i * 3 + static_cast<size_t>(source)];
  };
  if (nhwc) {
    for (size_t i = 0; i < pixels; ++i) {
      for (int c = 0; c < 3; ++c) bytes += static_cast<char>(channel(i, c));
    }
  } else {
    for (int c = 0; c < 3; ++c) {
      for (size_t i = 0; i < pixels; ++i) bytes += static_cast<char>(channel(i, c));
    }
  }
  return bytes;
}

}  // namespace hb_dnn::tools
