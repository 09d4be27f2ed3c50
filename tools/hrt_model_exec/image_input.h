#ifndef HB_DNN_TOOLS_HRT_MODEL_EXEC_IMAGE_INPUT_H_
#define HB_DNN_TOOLS_HRT_MODEL_EXEC_IMAGE_INPUT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "hb_dnn/hb_dnn.h"

namespace hb_dnn::tools {

// An 8-bit RGB image, row-major, 3 bytes per pixel.
struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;
};

// Decodes a JPEG (.jpg/.jpeg) or PNG (.png) file to RGB. Errors name the file and the decoder's
// message; a corrupt file never aborts the process.
absl::StatusOr<RgbImage> DecodeImage(const std::string& path);

// Bilinear resize (pixel centres aligned, as OpenCV's INTER_LINEAR).
RgbImage ResizeBilinear(const RgbImage& image, int width, int height);

// The valid data, without padding, of an image-type input described by `properties`, made from
// `image` resized to the input's H x W: NV12 (Y plane then interleaved UV, 2x2 averaged), Y,
// YUV444, RGB or BGR, planar for NCHW and interleaved for NHWC. Colour conversion uses the
// BT.601 full-range equations of OpenCV's RGB2YUV. Non-image tensor types are an error naming
// `what`.
absl::StatusOr<std::string> ImageToInputBytes(const RgbImage& image,
                                              const hbDNNTensorProperties& properties,
                                              absl::string_view what);

}  // namespace hb_dnn::tools

#endif  // HB_DNN_TOOLS_HRT_MODEL_EXEC_IMAGE_INPUT_H_
