#ifndef HB_DNN_SRC_RUNTIME_TENSOR_GEOMETRY_H_
#define HB_DNN_SRC_RUNTIME_TENSOR_GEOMETRY_H_

#include <cstdint>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"
#include "hbm_generated.h"

namespace hb_dnn::runtime {

// The one place that decides how a model input/output is laid out in memory: alignedShape, the
// byte strides and alignedByteSize. The converter (through the model builder) and the loader's
// validation both call it, so a file and the runtime cannot disagree.

inline constexpr int kMaxDimensions = 8;  // HB_DNN_TENSOR_MAX_DIMENSIONS

enum class March { kBernoulli2, kBayes };

// "bernoulli2" / "bayes" (case-insensitive); error naming the value otherwise.
absl::StatusOr<March> ParseMarch(absl::string_view name);
const char* MarchName(March march);

// Bytes per element; 0 for the 4-bit types (two per byte) and for image types, whose size is
// not per element.
int ElementSize(fb::DataType type);
bool IsImageType(fb::DataType type);
bool IsValidDataType(int value);
bool IsValidLayout(int value);

struct TensorGeometry {
  std::vector<int32_t> aligned_shape;
  std::vector<int32_t> stride;  // bytes; all zero for NV12 / NV12_SEPARATE / Y
  int32_t aligned_byte_size = 0;
};

// Geometry of a tensor whose valid shape is `valid_shape`.
// `bpu_side` = the tensor is read or written by a BPU segment, so the march's alignment applies;
// feature maps produced or consumed by CPU code are compact (alignedShape == validShape), as on
// the board where a model ending in a CPU op returns unpadded outputs. Y/NV12 images always get
// their 16-aligned rows: they are camera buffers whatever consumes them.
//
// bernoulli2 rules (our reading of the vendor's alignment FAQ, see docs/model_format.md):
//   Y / NV12 / NV12_SEPARATE (NCHW, C = 1 or 3): W rounded up to 16; strides 0;
//     alignedByteSize = H*W16 (Y) or H*W16*3/2 (NV12).
//   RGB / BGR / YUV444: compact.
//   Other 4-D NHWC: C*elem bytes rounded up to the next of 16, 32, 64, 128, 256, then 256*k +
//     {16, 32, 64, 128, 256}; NCHW: the same rule applied to W*elem bytes.
//   Rank != 4: compact.
// bayes: images W rounded to 16 as above; everything else compact.
// Errors: rank outside 1..8, a dimension < 1, an image type with an odd H/W (NV12) or a shape
// that is not (1, 1|3, H, W) NCHW, a size over 2^31-1 bytes.
absl::StatusOr<TensorGeometry> ComputeGeometry(March march, fb::DataType type, fb::Layout layout,
                                               const std::vector<int32_t>& valid_shape,
                                               bool bpu_side);

// The graph tensor (uint8, compact) that holds a model input of image type `type` with validShape
// `valid_shape`: NV12 / NV12_SEPARATE (N, 3, H, W) -> (N, H*3/2, W), the H rows of Y followed by
// the H/2 rows of interleaved UV; Y, RGB, BGR and YUV444 keep the valid shape. The C API copies
// the caller's (possibly 16-aligned) rows into it; the model's Preprocess node reads it.
std::vector<int64_t> ImageTensorShape(fb::DataType type, const std::vector<int32_t>& valid_shape);

// Byte strides and size implied by an aligned shape (what the loader checks stored values
// against). Image types give zero strides and the image byte size.
absl::StatusOr<TensorGeometry> GeometryOfAlignedShape(fb::DataType type,
                                                      const std::vector<int32_t>& aligned_shape);

}  // namespace hb_dnn::runtime

#endif  // HB_DNN_SRC_RUNTIME_TENSOR_GEOMETRY_H_
