#ifndef HB_DNN_SRC_KERNELS_REFERENCE_NN_UTIL_H_
#define HB_DNN_SRC_KERNELS_REFERENCE_NN_UTIL_H_

// Helpers shared by the nn reference kernels (conv, pool, gemm, norm, resize, pad): sliding-window
// geometry (kernel, strides, dilations, pads, auto_pad) and element access by dtype. They live in
// namespace nn, apart from other kernel groups' helpers. The window geometry is public so that
// optimized conv/pool kernels compute exactly the same output shapes and paddings as the
// reference ones they are tested against.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "src/kernels/attributes.h"
#include "src/kernels/tensor.h"
#include "src/kernels/ukernels/conv2d_geometry.h"

namespace hb_dnn::kernels::nn {

// Most spatial dimensions a window op (conv, pool) or Resize/Pad handles; Run keeps per-dimension
// counters in fixed arrays of this size instead of allocating.
inline constexpr int kNnMaxRank = 8;

// ONNX auto_pad.
enum class AutoPad { kNotSet, kSameUpper, kSameLower, kValid };

// The window attributes as written in the node; empty vectors mean "absent" (defaults apply
// once the number of spatial dimensions is known).
struct WindowAttributes {
  AutoPad auto_pad = AutoPad::kNotSet;
  std::vector<int64_t> kernel_shape;
  std::vector<int64_t> strides;
  std::vector<int64_t> dilations;
  std::vector<int64_t> pads;  // [begin_0, ..., begin_{n-1}, end_0, ..., end_{n-1}]
};

// Reads auto_pad, kernel_shape, strides, dilations and pads; `op` prefixes error messages.
absl::StatusOr<WindowAttributes> ReadWindowAttributes(const Attributes& attributes, const char* op);

// The resolved geometry over n spatial dimensions. pad_begin/pad_end are the effective paddings
// (from auto_pad when it is set); output holds the output spatial sizes.
struct WindowGeometry {
  std::vector<int64_t> kernel;
  std::vector<int64_t> strides;
  std::vector<int64_t> dilations;
  std::vector<int64_t> pad_begin;
  std::vector<int64_t> pad_end;
  std::vector<int64_t> output;

  size_t rank() const { return kernel.size(); }
};

// Geometry of a forward sliding window (Conv, MaxPool, AveragePool) over `input` spatial sizes
// with window `kernel`. Output size per dimension, with e = dilation * (kernel - 1) + 1:
//   NOTSET: floor((in + pad_begin + pad_end - e) / stride) + 1, or with ceil_mode the ceiling,
//           minus one when the last window would start past the input and its begin padding
//           (such windows cover only end padding; later ONNX versions state this explicitly);
//   VALID:  as NOTSET with zero pads;
//   SAME_*: ceil(in / stride), total padding max(0, (out - 1) * stride + e - in) split evenly,
//           the odd element at the end (SAME_UPPER) or the beginning (SAME_LOWER).
// Errors name `op` and the values: wrong attribute lengths, non-positive kernel/stride/dilation,
// negative pads, or an input smaller than the window.
absl::StatusOr<WindowGeometry> ComputeWindowGeometry(const WindowAttributes& attributes,
                                                     const std::vector<int64_t>& input,
                                                     const std::vector<int64_t>& kernel,
                                                     bool ceil_mode, const char* op);

// Checks the common attribute lengths and values (strides/dilations/pads sized for `rank`
// spatial dimensions and positive / non-negative) and fills the defaults; used by the forward
// window geometry and by ConvTranspose.
absl::Status ResolveWindowDefaults(const WindowAttributes& attributes, size_t rank, const char* op,
                                   std::vector<int64_t>* strides, std::vector<int64_t>* dilations,
                                   std::vector<int64_t>* pad_begin, std::vector<int64_t>* pad_end);

// The attribute 'group' of a convolution (default 1); error unless it is >= 1.
absl::StatusOr<int64_t> ReadConvGroup(const Attributes& attributes, const char* op);

// The shapes of a prepared convolution: X (batch, in_channels, input...), W (out_channels,
// in_channels / group, kernel...) for Conv (ConvTranspose's W is (in_channels, out_channels /
// group, kernel...)), Y (batch, out_channels, output...).
struct ConvPlan {
  int64_t batch = 0;
  int64_t in_channels = 0;
  int64_t out_channels = 0;
  int64_t group = 1;
  std::vector<int64_t> input;
  std::vector<int64_t> output;
  std::vector<int64_t> kernel;
  std::vector<int64_t> strides;
  std::vector<int64_t> dilations;
  std::vector<int64_t> pad_begin;
  bool has_bias = false;

  int64_t channels_per_group() const { return in_channels / group; }
  int64_t outputs_per_group() const { return out_channels / group; }
  Shape OutputShape() const;
};

// The sizes of a Conv of `x` by `w` (has_bias false, output and window unset). No checks: X and
// W must have the same rank >= 3.
ConvPlan ConvPlanOf(const TensorInfo& x, const TensorInfo& w, int64_t group);

// Error unless the attribute kernel_shape is absent or equals W's spatial shape `kernel`.
absl::Status CheckConvKernelShape(const char* op, const WindowAttributes& window,
                                  const std::vector<int64_t>& kernel, const TensorInfo& w);

// Error unless W's dimension 1 is C / group and M a multiple of group (positive when
// `require_outputs`; the message then says so).
absl::Status CheckConvGroups(const char* op, const TensorInfo& x, const TensorInfo& w,
                             const ConvPlan& plan, bool require_outputs);

// Sets plan->output, strides, dilations and pad_begin: the forward window (no ceil_mode) over
// plan->input and plan->kernel.
absl::Status ResolveConvWindow(const char* op, const WindowAttributes& window, ConvPlan* plan);

// The 2-D window the convolution microkernels take, of a 1-D (height 1) or 2-D plan.
ukernels::Conv2dGeometry Conv2dView(const ConvPlan& plan);

// Error unless `tensor` has one of `allowed` dtypes; the message names `op`, `what`
// ("input 0 'X'") and the dtypes accepted.
absl::Status CheckDType(const char* op, const TensorInfo& tensor, const char* what,
                        std::initializer_list<DType> allowed);

// Error unless `tensor` has exactly `dtype` (inputs that must match X).
absl::Status CheckSameDType(const char* op, const TensorInfo& tensor, const char* what,
                            DType dtype);

// Error unless `tensor` has exactly `shape`.
absl::Status CheckShape(const char* op, const TensorInfo& tensor, const char* what,
                        const Shape& shape);

// "[1,2,3]", for attribute values in messages.
std::string IntsString(const std::vector<int64_t>& values);

// Element `i` of a float32 or float64 tensor, widened.
inline double LoadReal(const void* data, DType dtype, int64_t i) {
  return dtype == DType::kF64 ? static_cast<const double*>(data)[i]
                              : static_cast<double>(static_cast<const float*>(data)[i]);
}

// `value` converted to `dtype` (float types round, integer types truncate toward zero and then
// wrap like a C++ conversion through int64, bool is value != 0), as DTypeSize(dtype) raw bytes.
// Error for float16, which the nn kernels only move as raw bytes.
absl::StatusOr<std::string> ScalarBytes(DType dtype, double value, const char* op,
                                        const char* what);

// Row-major iteration helper: advances `index` (the counters of `shape`, last fastest) by one.
// Returns false after the last index (all counters wrap to 0).
inline bool NextIndex(const int64_t* shape, size_t rank, int64_t* index) {
  for (size_t d = rank; d-- > 0;) {
    if (++index[d] < shape[d]) return true;
    index[d] = 0;
  }
  return false;
}

}  // namespace hb_dnn::kernels::nn

#endif  // HB_DNN_SRC_KERNELS_REFERENCE_NN_UTIL_H_
