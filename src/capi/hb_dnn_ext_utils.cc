// Host-side data utilities of hb_dnn_ext.h: layout names, layout conversion (whole tensor, region,
// plane, channel vector, point), padding with shapes or byte strides, byte-order conversion and
// per-channel dequantization. They are pure functions of the caller's buffers: no model, device or
// global state is touched, so they are thread-safe.
//
// Decisions where the public sources are silent (sources: facts file §2.4/§5; HBDK's
// hbdk_layout.h / hbdk_type.h / hbdk_hbrt.h in HorizonRobotics/x2_applications
// external/x2_prebuilt/include/hbdk @ bda39a0, which document the hbrt* functions these wrap):
//  - HB_DNN_LAYOUT_NHCW_NATIVE is the untiled N,H,C,W order. hbdk_layout.h names a layout X_Y
//    where "X means in which order we loop through NHWC" and NATIVE means no tiling; its enum
//    comment "HNCW" for LAYOUT_ORDER_NHCW contradicts the name and the naming rule, and is taken
//    to be a typo.
//  - Region coordinates and sizes (hbDNNDimension) are in N,H,W,C order whatever the layouts, as
//    our header states; hbrt's hbrt_dimension_t / hbrt_roi_t are {n, h, w, c} structs. The ToNative
//    outputs are compact in NHWC order (hbrt's LAYOUT_NHWC_NATIVE), which for their regions is
//    also the NCHW order. HB_DNN_LAYOUT_NONE has no memory order and every conversion rejects it;
//    NHCW_NATIVE is accepted wherever NHWC and NCHW are.
//  - Element sizes: S8/U8 and the 8-bit image types Y, YUV444, RGB, BGR (stored one byte per
//    element in NHWC or NCHW) are 1 byte; F16/S16/U16 2; F32/S32/U32 4; F64/S64/U64 8. S4/U4 are
//    rejected everywhere: no source defines how 4-bit elements are packed. NV12 is accepted only
//    by a same-layout hbDNNConvertLayout (a plain copy of N*H*W*3/2 bytes, facts §5.3);
//    NV12_SEPARATE never, as its two planes live in two buffers.
//  - Byte order: hbDNNConvertEndianness reverses the order of all `size` bytes of the range, read
//    literally from its contract "convert the endianness in [input, input+size)" (the API carries
//    no element size, so the caller converts one value per call). The convertEndianness flag of
//    the layout conversions applies exactly that to every element (hbrtConvertLayout takes the
//    element type for the same purpose).
//  - Padding bytes written by the Add* functions are zero (rdk_x3_doc data_alignment.md: padding
//    values should be zero).
//  - Output may alias input exactly where every element keeps its byte offset (same-layout
//    whole-tensor conversion, byte-order conversion, padding between identical shapes,
//    dequantization of 4-byte integers); any other overlap is HB_DNN_INVALID_ARGUMENT.
//  - An empty tensor (a zero dimension) is valid and converts nothing; an empty region is not.
//  - hbDNNUnquantizeByScale takes ranks 1..8 and scales the innermost dimension (C of NHWC). It
//    is given no scale count, so a per-tensor scale must be replicated C times by the caller.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "hb_dnn/hb_dnn.h"
#include "hb_dnn/hb_dnn_ext.h"
#include "src/base/error_code.h"
#include "src/base/status.h"
#include "src/base/status_macros.h"
#include "src/capi/capi_call.h"

namespace {

using hb_dnn::ErrorCode;
using hb_dnn::capi::CheckNotNull;
using hb_dnn::capi::DnnCall;

constexpr int kRank4 = 4;
constexpr int kMaxRank = HB_DNN_TENSOR_MAX_DIMENSIONS;
// The largest element handled by the byte-order conversions (F64/S64/U64).
constexpr uint32_t kMaxSwapElementSize = 8;
// Byte counts and offsets are kept below this so that pointer arithmetic cannot overflow.
constexpr uint64_t kMaxByteCount =
    static_cast<uint64_t>(std::numeric_limits<std::ptrdiff_t>::max());

template <typename... Parts>
absl::Status InvalidArgument(const Parts&... parts) {
  return hb_dnn::Errorf(ErrorCode::kInvalidArgument, parts...);
}

// ---- data types -------------------------------------------------------------------------------

// "HB_DNN_TENSOR_TYPE_F32 (13)" for an hbDNNDataType value, else just the number.
std::string DescribeDataType(int32_t data_type) {
  static constexpr const char* kNames[] = {
      "HB_DNN_IMG_TYPE_Y",      "HB_DNN_IMG_TYPE_NV12",   "HB_DNN_IMG_TYPE_NV12_SEPARATE",
      "HB_DNN_IMG_TYPE_YUV444", "HB_DNN_IMG_TYPE_RGB",    "HB_DNN_IMG_TYPE_BGR",
      "HB_DNN_TENSOR_TYPE_S4",  "HB_DNN_TENSOR_TYPE_U4",  "HB_DNN_TENSOR_TYPE_S8",
      "HB_DNN_TENSOR_TYPE_U8",  "HB_DNN_TENSOR_TYPE_F16", "HB_DNN_TENSOR_TYPE_S16",
      "HB_DNN_TENSOR_TYPE_U16", "HB_DNN_TENSOR_TYPE_F32", "HB_DNN_TENSOR_TYPE_S32",
      "HB_DNN_TENSOR_TYPE_U32", "HB_DNN_TENSOR_TYPE_F64", "HB_DNN_TENSOR_TYPE_S64",
      "HB_DNN_TENSOR_TYPE_U64"};
  static_assert(sizeof(kNames) / sizeof(kNames[0]) == HB_DNN_TENSOR_TYPE_MAX);
  if (data_type < 0 || data_type >= HB_DNN_TENSOR_TYPE_MAX) return absl::StrCat(data_type);
  return absl::StrCat(kNames[data_type], " (", data_type, ")");
}

// Bytes per element of `data_type`; `param` names the argument in error messages.
absl::StatusOr<uint32_t> ElementSize(int32_t data_type, const char* param) {
  switch (data_type) {
    case HB_DNN_IMG_TYPE_Y:
    case HB_DNN_IMG_TYPE_YUV444:
    case HB_DNN_IMG_TYPE_RGB:
    case HB_DNN_IMG_TYPE_BGR:
    case HB_DNN_TENSOR_TYPE_S8:
    case HB_DNN_TENSOR_TYPE_U8:
      return 1;
    case HB_DNN_TENSOR_TYPE_F16:
    case HB_DNN_TENSOR_TYPE_S16:
    case HB_DNN_TENSOR_TYPE_U16:
      return 2;
    case HB_DNN_TENSOR_TYPE_F32:
    case HB_DNN_TENSOR_TYPE_S32:
    case HB_DNN_TENSOR_TYPE_U32:
      return 4;
    case HB_DNN_TENSOR_TYPE_F64:
    case HB_DNN_TENSOR_TYPE_S64:
    case HB_DNN_TENSOR_TYPE_U64:
      return 8;
    case HB_DNN_IMG_TYPE_NV12:
    case HB_DNN_IMG_TYPE_NV12_SEPARATE:
      return InvalidArgument(param, " ", DescribeDataType(data_type),
                             " is a two-plane image format without a per-element size");
    case HB_DNN_TENSOR_TYPE_S4:
    case HB_DNN_TENSOR_TYPE_U4:
      return InvalidArgument(param, " ", DescribeDataType(data_type),
                             " has 4-bit elements, which these utilities do not support");
    default:
      return InvalidArgument(param, " ", data_type, " is not an hbDNNDataType value");
  }
}

// ---- layouts ----------------------------------------------------------------------------------

// Logical axes; 4-D extents, coordinates and region sizes are indexed by them (N,H,W,C order).
enum Axis : int { kN = 0, kH = 1, kW = 2, kC = 3 };
using Dims4 = std::array<int64_t, kRank4>;

// The memory order of a layout: order[i] is the axis stored at position i, outermost first.
using AxisOrder = std::array<int, kRank4>;

absl::StatusOr<AxisOrder> AxisOrderOf(int32_t layout, const char* param) {
  switch (layout) {
    case HB_DNN_LAYOUT_NHWC:
      return AxisOrder{kN, kH, kW, kC};
    case HB_DNN_LAYOUT_NCHW:
      return AxisOrder{kN, kC, kH, kW};
    case HB_DNN_LAYOUT_NHCW_NATIVE:
      return AxisOrder{kN, kH, kC, kW};
    case HB_DNN_LAYOUT_NONE:
      return InvalidArgument(param, " HB_DNN_LAYOUT_NONE (255) has no memory order to convert");
    default:
      return InvalidArgument(param, " ", layout, " is not a layout value");
  }
}

// ---- shapes and sizes -------------------------------------------------------------------------

// Checks numDimensions (exactly `required_rank` when it is non-zero, else 1..8) and that no
// dimension is negative.
absl::Status CheckShape(const hbDNNTensorShape& shape, const char* param, int required_rank) {
  const int32_t rank = shape.numDimensions;
  if (rank < 1 || rank > kMaxRank) {
    return InvalidArgument(param, ".numDimensions ", rank, " is outside 1..", kMaxRank);
  }
  if (required_rank != 0 && rank != required_rank) {
    return InvalidArgument(param, ".numDimensions ", rank, " is not ", required_rank);
  }
  for (int32_t i = 0; i < rank; ++i) {
    if (shape.dimensionSize[i] < 0) {
      return InvalidArgument(param, ".dimensionSize[", i, "] ", shape.dimensionSize[i],
                             " is negative");
    }
  }
  return absl::OkStatus();
}

// a * b, failing with a message naming `what` when the product would exceed kMaxByteCount.
absl::StatusOr<uint64_t> CheckedMul(uint64_t a, uint64_t b, const char* what) {
  uint64_t product = 0;
  if (__builtin_mul_overflow(a, b, &product) || product > kMaxByteCount) {
    return InvalidArgument(what, " is too large for this host");
  }
  return product;
}

absl::StatusOr<uint64_t> ElementCount(const hbDNNTensorShape& shape, const char* param) {
  uint64_t count = 1;
  for (int32_t i = 0; i < shape.numDimensions; ++i) {
    HB_ASSIGN_OR_RETURN(count,
                        CheckedMul(count, static_cast<uint64_t>(shape.dimensionSize[i]), param));
  }
  return count;
}

// The logical N,H,W,C extents of a 4-D shape given in the order of `order`.
Dims4 LogicalExtent(const hbDNNTensorShape& shape, const AxisOrder& order) {
  Dims4 extent{};
  for (int i = 0; i < kRank4; ++i) extent[order[i]] = shape.dimensionSize[i];
  return extent;
}

bool RangesOverlap(const void* a, uint64_t a_bytes, const void* b, uint64_t b_bytes) {
  if (a_bytes == 0 || b_bytes == 0) return false;
  const auto a_begin = reinterpret_cast<uintptr_t>(a);
  const auto b_begin = reinterpret_cast<uintptr_t>(b);
  return a_begin < b_begin + b_bytes && b_begin < a_begin + a_bytes;
}

// Fails when output and input overlap, except for exact aliasing when `alias_ok`.
absl::Status CheckOverlap(const void* output, uint64_t output_bytes, const void* input,
                          uint64_t input_bytes, bool alias_ok) {
  if (alias_ok && output == input) return absl::OkStatus();
  if (RangesOverlap(output, output_bytes, input, input_bytes)) {
    return InvalidArgument("output (0x", absl::Hex(reinterpret_cast<uintptr_t>(output)), ", ",
                           output_bytes, " bytes) overlaps input (0x",
                           absl::Hex(reinterpret_cast<uintptr_t>(input)), ", ", input_bytes,
                           " bytes)");
  }
  return absl::OkStatus();
}

// ---- the copy loop ----------------------------------------------------------------------------

// A rank-`rank` index space walked in row-major order; element (i_0..i_{rank-1}) is read at byte
// offset sum(i_k * src_stride[k]) and written at sum(i_k * dst_stride[k]).
struct StridedCopy {
  int rank = 0;
  std::array<uint64_t, kMaxRank> extent{};
  std::array<int64_t, kMaxRank> src_stride{};
  std::array<int64_t, kMaxRank> dst_stride{};
  uint32_t element_size = 0;
  // Reverse the bytes of each element (element_size <= kMaxSwapElementSize).
  bool swap_bytes = false;
};

void CopyElement(uint8_t* dst, const uint8_t* src, uint32_t size, bool swap_bytes) {
  if (!swap_bytes) {
    if (dst != src) std::memcpy(dst, src, size);
    return;
  }
  uint8_t reversed[kMaxSwapElementSize];
  for (uint32_t k = 0; k < size; ++k) reversed[k] = src[size - 1 - k];
  std::memcpy(dst, reversed, size);
}

void RunStridedCopy(const StridedCopy& copy, uint8_t* dst, const uint8_t* src) {
  for (int k = 0; k < copy.rank; ++k) {
    if (copy.extent[k] == 0) return;
  }
  const int inner = copy.rank - 1;
  const uint64_t row_length = copy.extent[inner];
  const bool contiguous_row = !copy.swap_bytes && copy.src_stride[inner] == copy.element_size &&
                              copy.dst_stride[inner] == copy.element_size;
  std::array<uint64_t, kMaxRank> index{};
  while (true) {
    int64_t src_offset = 0;
    int64_t dst_offset = 0;
    for (int k = 0; k < inner; ++k) {
      src_offset += static_cast<int64_t>(index[k]) * copy.src_stride[k];
      dst_offset += static_cast<int64_t>(index[k]) * copy.dst_stride[k];
    }
    if (contiguous_row) {
      if (dst + dst_offset != src + src_offset) {
        std::memcpy(dst + dst_offset, src + src_offset, row_length * copy.element_size);
      }
    } else {
      for (uint64_t i = 0; i < row_length; ++i) {
        CopyElement(dst + dst_offset + static_cast<int64_t>(i) * copy.dst_stride[inner],
                    src + src_offset + static_cast<int64_t>(i) * copy.src_stride[inner],
                    copy.element_size, copy.swap_bytes);
      }
    }
    // Advance the odometer over the outer dimensions.
    int k = inner - 1;
    while (k >= 0 && ++index[k] == copy.extent[k]) index[k--] = 0;
    if (k < 0) return;
  }
}

// Compact row-major byte strides of `extent` (rank entries, innermost last).
std::array<int64_t, kMaxRank> CompactStrides(const std::array<uint64_t, kMaxRank>& extent, int rank,
                                             uint32_t element_size) {
  std::array<int64_t, kMaxRank> stride{};
  int64_t next = element_size;
  for (int k = rank - 1; k >= 0; --k) {
    stride[k] = next;
    next *= static_cast<int64_t>(extent[k]);
  }
  return stride;
}

// ---- layout conversion of a region ------------------------------------------------------------

// Copies the region [origin, origin + size) (logical N,H,W,C) of a tensor stored compact in
// `in_order` with logical extents `extent`, to a compact tensor of extent `size` stored in
// `out_order`. Validates buffer overlap; everything else is validated by the caller.
absl::Status ConvertRegion(void* output, const AxisOrder& out_order, const void* input,
                           const AxisOrder& in_order, const Dims4& extent, const Dims4& origin,
                           const Dims4& size, uint32_t element_size, bool swap_bytes) {
  // Element strides of each logical axis on both sides. Products fit: the caller has checked
  // the byte sizes of both tensors against kMaxByteCount.
  Dims4 in_stride{};
  Dims4 out_stride{};
  int64_t in_next = 1;
  int64_t out_next = 1;
  for (int i = kRank4 - 1; i >= 0; --i) {
    in_stride[in_order[i]] = in_next;
    in_next *= extent[in_order[i]];
    out_stride[out_order[i]] = out_next;
    out_next *= size[out_order[i]];
  }
  const uint64_t in_bytes = static_cast<uint64_t>(in_next) * element_size;
  const uint64_t out_bytes = static_cast<uint64_t>(out_next) * element_size;
  const bool whole = origin == Dims4{} && size == extent;
  HB_RETURN_IF_ERROR(
      CheckOverlap(output, out_bytes, input, in_bytes, whole && in_order == out_order));

  // Walk in output order so that writes are sequential.
  StridedCopy copy;
  copy.rank = kRank4;
  copy.element_size = element_size;
  copy.swap_bytes = swap_bytes && element_size > 1;
  int64_t src_base = 0;
  for (int i = 0; i < kRank4; ++i) {
    const int axis = out_order[i];
    copy.extent[i] = static_cast<uint64_t>(size[axis]);
    copy.src_stride[i] = in_stride[axis] * element_size;
    copy.dst_stride[i] = out_stride[axis] * element_size;
    src_base += origin[axis] * in_stride[axis] * element_size;
  }
  RunStridedCopy(copy, static_cast<uint8_t*>(output),
                 static_cast<const uint8_t*>(input) + src_base);
  return absl::OkStatus();
}

// Checks a 4-D tensor argument set shared by the region conversions and returns its logical
// extents; also checks that its byte size is representable.
absl::StatusOr<Dims4> CheckInputTensor(const void* input, const hbDNNTensorShape& input_shape,
                                       const AxisOrder& in_order, uint32_t element_size) {
  HB_RETURN_IF_ERROR(CheckNotNull(input, "input"));
  HB_RETURN_IF_ERROR(CheckShape(input_shape, "inputShape", kRank4));
  HB_ASSIGN_OR_RETURN(uint64_t count, ElementCount(input_shape, "inputShape"));
  HB_RETURN_IF_ERROR(CheckedMul(count, element_size, "inputShape byte size").status());
  return LogicalExtent(input_shape, in_order);
}

// Names of the four logical axes of a region argument, for error messages.
using AxisNames = std::array<const char*, kRank4>;
constexpr AxisNames kCoordNames = {"coord N", "coord H", "coord W", "coord C"};
constexpr AxisNames kSizeNames = {"size N", "size H", "size W", "size C"};
constexpr AxisNames kIndexNames = {"nIndex", "hIndex", "wIndex", "cIndex"};

// Checks that [origin, origin + size) is a non-empty region inside `extent`.
absl::Status CheckRegion(const Dims4& extent, const Dims4& origin, const Dims4& size,
                         const AxisNames& origin_names, const AxisNames& size_names) {
  for (int a = 0; a < kRank4; ++a) {
    if (origin[a] < 0 || origin[a] >= extent[a]) {
      return InvalidArgument(origin_names[a], " ", origin[a], " is outside 0..", extent[a] - 1,
                             " of the input");
    }
    if (size[a] < 1) {
      return InvalidArgument(size_names[a], " ", size[a], " is not positive");
    }
    if (size[a] > extent[a] - origin[a]) {
      return InvalidArgument(size_names[a], " ", size[a], " from ", origin_names[a], " ", origin[a],
                             " exceeds the input extent ", extent[a]);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Dims4> DimensionArgument(const hbDNNDimension& dimension, const char* param) {
  if (dimension.numDimensions != kRank4) {
    return InvalidArgument(param, ".numDimensions ", dimension.numDimensions, " is not 4");
  }
  return Dims4{dimension.dimensionSize[0], dimension.dimensionSize[1], dimension.dimensionSize[2],
               dimension.dimensionSize[3]};
}

// The shared body of the ToNative* functions: converts one region of the input to native
// (NHWC) order. Along the axes marked in `spans_input` the region covers the whole input (and
// `origin` is 0); along the others it is the single index `origin`. With at most one of H/W/C
// wider than 1, or only H and W, every native order gives the same bytes.
absl::Status ConvertToNative(void* output, const void* input, int32_t input_layout,
                             int32_t data_type, const hbDNNTensorShape& input_shape,
                             bool convert_endianness, const Dims4& origin,
                             const AxisNames& origin_names,
                             const std::array<bool, kRank4>& spans_input) {
  HB_RETURN_IF_ERROR(CheckNotNull(output, "output"));
  HB_ASSIGN_OR_RETURN(const AxisOrder in_order, AxisOrderOf(input_layout, "inputLayout"));
  HB_ASSIGN_OR_RETURN(const uint32_t element_size, ElementSize(data_type, "dataType"));
  HB_ASSIGN_OR_RETURN(const Dims4 extent,
                      CheckInputTensor(input, input_shape, in_order, element_size));
  Dims4 size{};
  for (int a = 0; a < kRank4; ++a) size[a] = spans_input[a] ? extent[a] : 1;
  HB_RETURN_IF_ERROR(CheckRegion(extent, origin, size, origin_names, kSizeNames));
  return ConvertRegion(output, AxisOrder{kN, kH, kW, kC}, input, in_order, extent, origin, size,
                       element_size, convert_endianness);
}

// ---- padding ----------------------------------------------------------------------------------

// Validates the arguments of the *PaddingWithStride functions and builds the copy from the
// strided side (src) to the compact side (dst); stores the strided side's byte extent
// (dim[0] * stride[0]) in `strided_bytes` and the compact side's in `compact_bytes`.
absl::StatusOr<StridedCopy> StridedPaddingCopy(uint32_t dim_num, const uint32_t* dim,
                                               const int32_t* stride, uint32_t element_size,
                                               uint64_t* strided_bytes, uint64_t* compact_bytes) {
  if (dim_num < 1 || dim_num > static_cast<uint32_t>(kMaxRank)) {
    return InvalidArgument("dimNum ", dim_num, " is outside 1..", kMaxRank);
  }
  HB_RETURN_IF_ERROR(CheckNotNull(dim, "dim"));
  HB_RETURN_IF_ERROR(CheckNotNull(stride, "stride"));
  if (element_size == 0) return InvalidArgument("elementSize is 0");

  const int rank = static_cast<int>(dim_num);
  StridedCopy copy;
  copy.rank = rank;
  copy.element_size = element_size;
  // Each stride must leave room for one whole index of the dimension inside it.
  uint64_t needed = element_size;
  for (int k = rank - 1; k >= 0; --k) {
    if (stride[k] < 0) {
      return InvalidArgument("stride[", k, "] ", stride[k], " is negative");
    }
    if (static_cast<uint64_t>(stride[k]) < needed) {
      if (k == rank - 1) {
        return InvalidArgument("stride[", k, "] ", stride[k], " is smaller than elementSize ",
                               needed);
      }
      return InvalidArgument("stride[", k, "] ", stride[k], " is smaller than dim[", k + 1,
                             "] * stride[", k + 1, "] = ", needed);
    }
    copy.extent[k] = dim[k];
    copy.src_stride[k] = stride[k];
    HB_ASSIGN_OR_RETURN(needed, CheckedMul(stride[k], dim[k], "dim * stride"));
  }
  *strided_bytes = needed;
  uint64_t count = 1;
  for (int k = 0; k < rank; ++k) {
    HB_ASSIGN_OR_RETURN(count, CheckedMul(count, dim[k], "prod(dim)"));
  }
  HB_ASSIGN_OR_RETURN(*compact_bytes, CheckedMul(count, element_size, "prod(dim) * elementSize"));
  // Compact strides fit: their largest value is below compact_bytes.
  copy.dst_stride = CompactStrides(copy.extent, rank, element_size);
  return copy;
}

// Validates the arguments of hbDNNAddPadding / hbDNNRemovePadding and builds the copy from the
// valid tensor (src) to the padded one (dst), both compact 4-D; stores their byte sizes.
absl::StatusOr<StridedCopy> ShapePaddingCopy(const hbDNNTensorShape& padded,
                                             const char* padded_name, const hbDNNTensorShape& valid,
                                             const char* valid_name, int32_t data_type,
                                             uint64_t* padded_bytes, uint64_t* valid_bytes) {
  HB_RETURN_IF_ERROR(CheckShape(padded, padded_name, kRank4));
  HB_RETURN_IF_ERROR(CheckShape(valid, valid_name, kRank4));
  HB_ASSIGN_OR_RETURN(const uint32_t element_size, ElementSize(data_type, "dataType"));
  for (int k = 0; k < kRank4; ++k) {
    if (padded.dimensionSize[k] < valid.dimensionSize[k]) {
      return InvalidArgument(padded_name, ".dimensionSize[", k, "] ", padded.dimensionSize[k],
                             " is smaller than ", valid_name, ".dimensionSize[", k, "] ",
                             valid.dimensionSize[k]);
    }
  }
  HB_ASSIGN_OR_RETURN(const uint64_t padded_count, ElementCount(padded, padded_name));
  HB_ASSIGN_OR_RETURN(*padded_bytes, CheckedMul(padded_count, element_size, padded_name));
  HB_ASSIGN_OR_RETURN(const uint64_t valid_count, ElementCount(valid, valid_name));
  HB_ASSIGN_OR_RETURN(*valid_bytes, CheckedMul(valid_count, element_size, valid_name));

  StridedCopy copy;
  copy.rank = kRank4;
  copy.element_size = element_size;
  std::array<uint64_t, kMaxRank> padded_extent{};
  for (int k = 0; k < kRank4; ++k) {
    copy.extent[k] = static_cast<uint64_t>(valid.dimensionSize[k]);
    padded_extent[k] = static_cast<uint64_t>(padded.dimensionSize[k]);
  }
  copy.src_stride = CompactStrides(copy.extent, kRank4, element_size);
  copy.dst_stride = CompactStrides(padded_extent, kRank4, element_size);
  return copy;
}

bool SameShape(const hbDNNTensorShape& a, const hbDNNTensorShape& b) {
  return std::equal(a.dimensionSize, a.dimensionSize + kRank4, b.dimensionSize);
}

// ---- dequantization ---------------------------------------------------------------------------

template <typename T>
void Dequantize(float* output, const void* input, uint64_t count, uint64_t channels,
                const float* scales) {
  const auto* q = static_cast<const T*>(input);
  uint64_t c = 0;
  for (uint64_t i = 0; i < count; ++i) {
    // Read before writing: with a 4-byte T, output may alias input element by element.
    const T value = q[i];
    output[i] = static_cast<float>(value) * scales[c];
    if (++c == channels) c = 0;
  }
}

}  // namespace

int32_t hbDNNGetLayoutName(char const** name, int32_t layout) {
  return DnnCall("hbDNNGetLayoutName", [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckNotNull(name, "name"));
    switch (layout) {
      case HB_DNN_LAYOUT_NHWC:
        *name = "HB_DNN_LAYOUT_NHWC";
        return absl::OkStatus();
      case HB_DNN_LAYOUT_NCHW:
        *name = "HB_DNN_LAYOUT_NCHW";
        return absl::OkStatus();
      case HB_DNN_LAYOUT_NHCW_NATIVE:
        *name = "HB_DNN_LAYOUT_NHCW_NATIVE";
        return absl::OkStatus();
      case HB_DNN_LAYOUT_NONE:
        *name = "HB_DNN_LAYOUT_NONE";
        return absl::OkStatus();
      default:
        return InvalidArgument("layout ", layout, " is not a layout value");
    }
  });
}

int32_t hbDNNConvertLayout(void* output, int32_t outputLayout, const void* input,
                           int32_t inputLayout, int32_t dataType, hbDNNTensorShape inputShape,
                           bool convertEndianness) {
  return DnnCall("hbDNNConvertLayout", [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckNotNull(output, "output"));
    HB_RETURN_IF_ERROR(CheckNotNull(input, "input"));
    HB_RETURN_IF_ERROR(CheckShape(inputShape, "inputShape", kRank4));
    HB_ASSIGN_OR_RETURN(const AxisOrder in_order, AxisOrderOf(inputLayout, "inputLayout"));
    HB_ASSIGN_OR_RETURN(const AxisOrder out_order, AxisOrderOf(outputLayout, "outputLayout"));
    const Dims4 extent = LogicalExtent(inputShape, in_order);
    HB_ASSIGN_OR_RETURN(const uint64_t count, ElementCount(inputShape, "inputShape"));

    if (dataType == HB_DNN_IMG_TYPE_NV12 && inputLayout == outputLayout) {
      // A same-layout NV12 "conversion" is a plain copy of its Y and interleaved UV planes.
      if (extent[kC] != 3 || extent[kH] % 2 != 0 || extent[kW] % 2 != 0) {
        return InvalidArgument(
            "inputShape of HB_DNN_IMG_TYPE_NV12 needs C == 3 and even H, W; got ",
            "N,H,W,C = ", extent[kN], ",", extent[kH], ",", extent[kW], ",", extent[kC]);
      }
      const uint64_t bytes = count / 2;  // N*H*W*3/2
      HB_RETURN_IF_ERROR(CheckOverlap(output, bytes, input, bytes, /*alias_ok=*/true));
      if (output != input && bytes != 0) std::memcpy(output, input, bytes);
      return absl::OkStatus();
    }
    HB_ASSIGN_OR_RETURN(const uint32_t element_size, ElementSize(dataType, "dataType"));
    HB_RETURN_IF_ERROR(CheckedMul(count, element_size, "inputShape byte size").status());
    return ConvertRegion(output, out_order, input, in_order, extent, Dims4{}, extent, element_size,
                         convertEndianness);
  });
}

int32_t hbDNNConvertLayoutRoi(void* output, int32_t outputLayout, const void* input,
                              int32_t inputLayout, int32_t dataType, hbDNNTensorShape inputShape,
                              bool convertEndianness, hbDNNDimension coord, hbDNNDimension size) {
  return DnnCall("hbDNNConvertLayoutRoi", [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckNotNull(output, "output"));
    HB_ASSIGN_OR_RETURN(const AxisOrder in_order, AxisOrderOf(inputLayout, "inputLayout"));
    HB_ASSIGN_OR_RETURN(const AxisOrder out_order, AxisOrderOf(outputLayout, "outputLayout"));
    HB_ASSIGN_OR_RETURN(const uint32_t element_size, ElementSize(dataType, "dataType"));
    HB_ASSIGN_OR_RETURN(const Dims4 extent,
                        CheckInputTensor(input, inputShape, in_order, element_size));
    HB_ASSIGN_OR_RETURN(const Dims4 origin, DimensionArgument(coord, "coord"));
    HB_ASSIGN_OR_RETURN(const Dims4 region_size, DimensionArgument(size, "size"));
    HB_RETURN_IF_ERROR(CheckRegion(extent, origin, region_size, kCoordNames, kSizeNames));
    return ConvertRegion(output, out_order, input, in_order, extent, origin, region_size,
                         element_size, convertEndianness);
  });
}

int32_t hbDNNConvertLayoutToNative1HW1(void* output, const void* input, int32_t inputLayout,
                                       int32_t dataType, hbDNNTensorShape inputShape,
                                       bool convertEndianness, uint32_t nIndex, uint32_t cIndex) {
  return DnnCall("hbDNNConvertLayoutToNative1HW1", [&]() -> absl::Status {
    return ConvertToNative(output, input, inputLayout, dataType, inputShape, convertEndianness,
                           Dims4{nIndex, 0, 0, cIndex}, kIndexNames, {false, true, true, false});
  });
}

int32_t hbDNNConvertLayoutToNative111C(void* output, const void* input, int32_t inputLayout,
                                       int32_t dataType, hbDNNTensorShape inputShape,
                                       bool convertEndianness, uint32_t nIndex, uint32_t hIndex,
                                       uint32_t wIndex) {
  return DnnCall("hbDNNConvertLayoutToNative111C", [&]() -> absl::Status {
    return ConvertToNative(output, input, inputLayout, dataType, inputShape, convertEndianness,
                           Dims4{nIndex, hIndex, wIndex, 0}, kIndexNames,
                           {false, false, false, true});
  });
}

int32_t hbDNNConvertLayoutToNative1111(void* output, const void* input, int32_t inputLayout,
                                       int32_t dataType, hbDNNTensorShape inputShape,
                                       bool convertEndianness, hbDNNDimension coord) {
  return DnnCall("hbDNNConvertLayoutToNative1111", [&]() -> absl::Status {
    HB_ASSIGN_OR_RETURN(const Dims4 origin, DimensionArgument(coord, "coord"));
    return ConvertToNative(output, input, inputLayout, dataType, inputShape, convertEndianness,
                           origin, kCoordNames, {false, false, false, false});
  });
}

int32_t hbDNNAddPaddingWithStride(void* output, void const* input, uint32_t dimNum,
                                  const uint32_t* dim, const int32_t* stride,
                                  uint32_t elementSize) {
  return DnnCall("hbDNNAddPaddingWithStride", [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckNotNull(output, "output"));
    HB_RETURN_IF_ERROR(CheckNotNull(input, "input"));
    uint64_t strided_bytes = 0;
    uint64_t compact_bytes = 0;
    HB_ASSIGN_OR_RETURN(StridedCopy copy, StridedPaddingCopy(dimNum, dim, stride, elementSize,
                                                             &strided_bytes, &compact_bytes));
    std::swap(copy.src_stride, copy.dst_stride);  // compact -> strided
    HB_RETURN_IF_ERROR(CheckOverlap(output, strided_bytes, input, compact_bytes,
                                    /*alias_ok=*/copy.src_stride == copy.dst_stride));
    if (output == input) return absl::OkStatus();  // compact strides: nothing to move or pad
    if (strided_bytes != 0) std::memset(output, 0, strided_bytes);
    RunStridedCopy(copy, static_cast<uint8_t*>(output), static_cast<const uint8_t*>(input));
    return absl::OkStatus();
  });
}

int32_t hbDNNRemovePaddingWithStride(void* output, void const* input, uint32_t dimNum,
                                     const uint32_t* dim, const int32_t* stride,
                                     uint32_t elementSize) {
  return DnnCall("hbDNNRemovePaddingWithStride", [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckNotNull(output, "output"));
    HB_RETURN_IF_ERROR(CheckNotNull(input, "input"));
    uint64_t strided_bytes = 0;
    uint64_t compact_bytes = 0;
    HB_ASSIGN_OR_RETURN(const StridedCopy copy, StridedPaddingCopy(dimNum, dim, stride, elementSize,
                                                                   &strided_bytes, &compact_bytes));
    HB_RETURN_IF_ERROR(CheckOverlap(output, compact_bytes, input, strided_bytes,
                                    /*alias_ok=*/copy.src_stride == copy.dst_stride));
    RunStridedCopy(copy, static_cast<uint8_t*>(output), static_cast<const uint8_t*>(input));
    return absl::OkStatus();
  });
}

int32_t hbDNNAddPadding(void* output, hbDNNTensorShape outputShape, void const* input,
                        hbDNNTensorShape inputShape, int32_t dataType) {
  return DnnCall("hbDNNAddPadding", [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckNotNull(output, "output"));
    HB_RETURN_IF_ERROR(CheckNotNull(input, "input"));
    uint64_t padded_bytes = 0;
    uint64_t valid_bytes = 0;
    HB_ASSIGN_OR_RETURN(const StridedCopy copy,
                        ShapePaddingCopy(outputShape, "outputShape", inputShape, "inputShape",
                                         dataType, &padded_bytes, &valid_bytes));
    HB_RETURN_IF_ERROR(CheckOverlap(output, padded_bytes, input, valid_bytes,
                                    /*alias_ok=*/SameShape(outputShape, inputShape)));
    if (output == input) return absl::OkStatus();
    if (padded_bytes != 0) std::memset(output, 0, padded_bytes);
    RunStridedCopy(copy, static_cast<uint8_t*>(output), static_cast<const uint8_t*>(input));
    return absl::OkStatus();
  });
}

int32_t hbDNNRemovePadding(void* output, hbDNNTensorShape outputShape, void const* input,
                           hbDNNTensorShape inputShape, int32_t dataType) {
  return DnnCall("hbDNNRemovePadding", [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckNotNull(output, "output"));
    HB_RETURN_IF_ERROR(CheckNotNull(input, "input"));
    uint64_t padded_bytes = 0;
    uint64_t valid_bytes = 0;
    HB_ASSIGN_OR_RETURN(StridedCopy copy,
                        ShapePaddingCopy(inputShape, "inputShape", outputShape, "outputShape",
                                         dataType, &padded_bytes, &valid_bytes));
    std::swap(copy.src_stride, copy.dst_stride);  // padded -> compact
    HB_RETURN_IF_ERROR(CheckOverlap(output, valid_bytes, input, padded_bytes,
                                    /*alias_ok=*/SameShape(outputShape, inputShape)));
    RunStridedCopy(copy, static_cast<uint8_t*>(output), static_cast<const uint8_t*>(input));
    return absl::OkStatus();
  });
}

int32_t hbDNNConvertEndianness(void* output, const void* input, uint32_t size) {
  return DnnCall("hbDNNConvertEndianness", [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckNotNull(output, "output"));
    HB_RETURN_IF_ERROR(CheckNotNull(input, "input"));
    HB_RETURN_IF_ERROR(CheckOverlap(output, size, input, size, /*alias_ok=*/true));
    auto* dst = static_cast<uint8_t*>(output);
    const auto* src = static_cast<const uint8_t*>(input);
    if (dst == src) {
      std::reverse(dst, dst + size);
    } else {
      std::reverse_copy(src, src + size, dst);
    }
    return absl::OkStatus();
  });
}

int32_t hbDNNUnquantizeByScale(float* output, int32_t inputDataType, hbDNNTensorShape inputShape,
                               const float* scales, const void* input) {
  return DnnCall("hbDNNUnquantizeByScale", [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckNotNull(output, "output"));
    HB_RETURN_IF_ERROR(CheckNotNull(scales, "scales"));
    HB_RETURN_IF_ERROR(CheckNotNull(input, "input"));
    // The channel axis is the innermost one: C of a 4-D NHWC tensor, the last dimension of any
    // other rank.
    HB_RETURN_IF_ERROR(CheckShape(inputShape, "inputShape", 0));
    uint32_t element_size = 0;
    switch (inputDataType) {
      case HB_DNN_TENSOR_TYPE_S8:
      case HB_DNN_TENSOR_TYPE_U8:
        element_size = 1;
        break;
      case HB_DNN_TENSOR_TYPE_S16:
      case HB_DNN_TENSOR_TYPE_U16:
        element_size = 2;
        break;
      case HB_DNN_TENSOR_TYPE_S32:
      case HB_DNN_TENSOR_TYPE_U32:
        element_size = 4;
        break;
      default:
        return InvalidArgument("inputDataType ", DescribeDataType(inputDataType),
                               " is not one of HB_DNN_TENSOR_TYPE_S8/U8/S16/U16/S32/U32");
    }
    HB_ASSIGN_OR_RETURN(const uint64_t count, ElementCount(inputShape, "inputShape"));
    HB_ASSIGN_OR_RETURN(const uint64_t output_bytes,
                        CheckedMul(count, sizeof(float), "inputShape float size"));
    HB_RETURN_IF_ERROR(CheckOverlap(output, output_bytes, input, count * element_size,
                                    /*alias_ok=*/element_size == sizeof(float)));
    const uint64_t channels =
        static_cast<uint64_t>(inputShape.dimensionSize[inputShape.numDimensions - 1]);
    if (count == 0) return absl::OkStatus();
    switch (inputDataType) {
      case HB_DNN_TENSOR_TYPE_S8:
        Dequantize<int8_t>(output, input, count, channels, scales);
        break;
      case HB_DNN_TENSOR_TYPE_U8:
        Dequantize<uint8_t>(output, input, count, channels, scales);
        break;
      case HB_DNN_TENSOR_TYPE_S16:
        Dequantize<int16_t>(output, input, count, channels, scales);
        break;
      case HB_DNN_TENSOR_TYPE_U16:
        Dequantize<uint16_t>(output, input, count, channels, scales);
        break;
      case HB_DNN_TENSOR_TYPE_S32:
        Dequantize<int32_t>(output, input, count, channels, scales);
        break;
      default:
        Dequantize<uint32_t>(output, input, count, channels, scales);
        break;
    }
    return absl::OkStatus();
  });
}
