#include "src/runtime/tensor_geometry.h"

#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "src/base/status.h"
#include "src/base/status_macros.h"

namespace hb_dnn::runtime {
namespace {

constexpr int64_t kMaxBytes = std::numeric_limits<int32_t>::max();

std::string ShapeString(const std::vector<int32_t>& shape) {
  return absl::StrCat("(", absl::StrJoin(shape, ","), ")");
}

// Rounds a row of `bytes` up to the BPU's burst sizes: 16, 32, 64, 128, 256, then whole 256-byte
// blocks plus one of those for the remainder.
int64_t AlignRowBytes(int64_t bytes) {
  int64_t blocks = bytes / 256;
  int64_t rest = bytes % 256;
  if (rest == 0) return bytes;
  for (int64_t step : {16, 32, 64, 128, 256}) {
    if (rest <= step) return blocks * 256 + step;
  }
  return (blocks + 1) * 256;
}

absl::Status CheckImageShape(fb::DataType type, fb::Layout layout,
                             const std::vector<int32_t>& shape) {
  bool gray = type == fb::DataType::IMG_Y;
  bool nv12 = type == fb::DataType::IMG_NV12 || type == fb::DataType::IMG_NV12_SEPARATE;
  if (shape.size() != 4 || shape[0] != 1) {
    return Errorf(ErrorCode::kInvalidArgument, "image tensor shape ", ShapeString(shape),
                  " must be 4-D with N = 1");
  }
  if ((gray || nv12) && layout != fb::Layout::NCHW) {
    return Errorf(ErrorCode::kInvalidArgument, fb::EnumNameDataType(type),
                  " tensors must use layout NCHW");
  }
  int channels = layout == fb::Layout::NHWC ? shape[3] : shape[1];
  int expected = gray ? 1 : 3;
  if (channels != expected) {
    return Errorf(ErrorCode::kInvalidArgument, fb::EnumNameDataType(type), " tensor shape ",
                  ShapeString(shape), " must have ", expected, " channel(s)");
  }
  if (nv12 && (shape[2] % 2 != 0 || shape[3] % 2 != 0)) {
    return Errorf(ErrorCode::kInvalidArgument, "NV12 tensor shape ", ShapeString(shape),
                  " needs even H and W");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<March> ParseMarch(absl::string_view name) {
  std::string lower = absl::AsciiStrToLower(name);
  if (lower == "bernoulli2") return March::kBernoulli2;
  if (lower == "bayes") return March::kBayes;
  return Errorf(ErrorCode::kInvalidArgument, "unknown march '", name,
                "' (expected bernoulli2 or bayes)");
}

const char* MarchName(March march) {
  return march == March::kBernoulli2 ? "bernoulli2" : "bayes";
}

int ElementSize(fb::DataType type) {
  switch (type) {
    case fb::DataType::S8:
    case fb::DataType::U8:
    case fb::DataType::BOOL:
      return 1;
    case fb::DataType::F16:
    case fb::DataType::S16:
    case fb::DataType::U16:
      return 2;
    case fb::DataType::F32:
    case fb::DataType::S32:
    case fb::DataType::U32:
      return 4;
    case fb::DataType::F64:
    case fb::DataType::S64:
    case fb::DataType::U64:
      return 8;
    default:
      return 0;
  }
}

bool IsImageType(fb::DataType type) {
  return static_cast<int>(type) >= static_cast<int>(fb::DataType::IMG_Y) &&
         static_cast<int>(type) <= static_cast<int>(fb::DataType::IMG_BGR);
}

bool IsValidDataType(int value) {
  return (value >= static_cast<int>(fb::DataType::IMG_Y) &&
          value <= static_cast<int>(fb::DataType::U64)) ||
         value == static_cast<int>(fb::DataType::BOOL);
}

bool IsValidLayout(int value) {
  return value == static_cast<int>(fb::Layout::NHWC) ||
         value == static_cast<int>(fb::Layout::NHCW_NATIVE) ||
         value == static_cast<int>(fb::Layout::NCHW) || value == static_cast<int>(fb::Layout::NONE);
}

std::vector<int64_t> ImageTensorShape(fb::DataType type, const std::vector<int32_t>& valid_shape) {
  std::vector<int64_t> shape(valid_shape.begin(), valid_shape.end());
  bool nv12 = type == fb::DataType::IMG_NV12 || type == fb::DataType::IMG_NV12_SEPARATE;
  if (nv12 && shape.size() == 4) return {shape[0], shape[2] * 3 / 2, shape[3]};
  return shape;
}

absl::StatusOr<TensorGeometry> GeometryOfAlignedShape(fb::DataType type,
                                                      const std::vector<int32_t>& aligned_shape) {
  if (aligned_shape.empty() || aligned_shape.size() > kMaxDimensions) {
    return Errorf(ErrorCode::kInvalidArgument, "shape ", ShapeString(aligned_shape), " has rank ",
                  aligned_shape.size(), ", expected 1..", kMaxDimensions);
  }
  int64_t elements = 1;
  for (int32_t d : aligned_shape) {
    if (d < 1) {
      return Errorf(ErrorCode::kInvalidArgument, "shape ", ShapeString(aligned_shape),
                    " has a dimension < 1");
    }
    elements *= d;
    if (elements > kMaxBytes) {
      return Errorf(ErrorCode::kInvalidArgument, "shape ", ShapeString(aligned_shape),
                    " exceeds 2^31-1 elements");
    }
  }
  TensorGeometry geometry;
  geometry.aligned_shape = aligned_shape;
  geometry.stride.assign(aligned_shape.size(), 0);
  if (IsImageType(type)) {
    // Image sizes: Y and NV12 are planar with a 16-aligned row (W), NV12 adds a half-height
    // interleaved UV plane; RGB/BGR/YUV444 are 3 bytes per pixel.
    if (aligned_shape.size() != 4) {
      return Errorf(ErrorCode::kInvalidArgument, "image shape ", ShapeString(aligned_shape),
                    " is not 4-D");
    }
    int64_t hw = static_cast<int64_t>(aligned_shape[2]) * aligned_shape[3];
    int64_t bytes = 0;
    switch (type) {
      case fb::DataType::IMG_Y: bytes = hw; break;
      case fb::DataType::IMG_NV12:
      case fb::DataType::IMG_NV12_SEPARATE: bytes = hw * 3 / 2; break;
      default:
        bytes = elements;
        // Packed 3-channel images have meaningful element strides.
        for (int i = 3, step = 1; i >= 0; --i) {
          geometry.stride[i] = step;
          step *= aligned_shape[i];
        }
        break;
    }
    geometry.aligned_byte_size = static_cast<int32_t>(bytes);
    return geometry;
  }
  int element_size = ElementSize(type);
  if (element_size == 0) {
    // 4-bit types: two elements per byte, strides are not whole bytes below the last dimension.
    geometry.aligned_byte_size = static_cast<int32_t>((elements + 1) / 2);
    return geometry;
  }
  int64_t step = element_size;
  for (int i = static_cast<int>(aligned_shape.size()) - 1; i >= 0; --i) {
    geometry.stride[i] = static_cast<int32_t>(step);
    step *= aligned_shape[i];
    if (step > kMaxBytes) {
      return Errorf(ErrorCode::kInvalidArgument, "shape ", ShapeString(aligned_shape),
                    " exceeds 2^31-1 bytes");
    }
  }
  geometry.aligned_byte_size = static_cast<int32_t>(step);
  return geometry;
}

absl::StatusOr<TensorGeometry> ComputeGeometry(March march, fb::DataType type, fb::Layout layout,
                                               const std::vector<int32_t>& valid_shape,
                                               bool bpu_side) {
  if (!IsValidDataType(static_cast<int>(type))) {
    return Errorf(ErrorCode::kInvalidArgument, "data type ", static_cast<int>(type),
                  " is not a hbDNNDataType");
  }
  // Validates rank, dimensions and size before any alignment arithmetic.
  HB_RETURN_IF_ERROR(GeometryOfAlignedShape(type, valid_shape).status());
  std::vector<int32_t> aligned = valid_shape;
  if (IsImageType(type)) {
    HB_RETURN_IF_ERROR(CheckImageShape(type, layout, valid_shape));
    bool planar = type == fb::DataType::IMG_Y || type == fb::DataType::IMG_NV12 ||
                  type == fb::DataType::IMG_NV12_SEPARATE;
    if (planar) aligned[3] = static_cast<int32_t>((static_cast<int64_t>(aligned[3]) + 15) / 16 * 16);
  } else if (bpu_side && march == March::kBernoulli2 && valid_shape.size() == 4) {
    // The innermost dimension is the row the BPU bursts over: C for NHWC, W for NCHW.
    int element_size = ElementSize(type);
    bool row_major_4d = layout == fb::Layout::NHWC || layout == fb::Layout::NCHW;
    if (element_size > 0 && row_major_4d) {
      int64_t row = AlignRowBytes(static_cast<int64_t>(valid_shape[3]) * element_size);
      aligned[3] = static_cast<int32_t>(row / element_size);
    }
  }
  return GeometryOfAlignedShape(type, aligned);
}

}  // namespace hb_dnn::runtime
