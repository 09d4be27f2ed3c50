#ifndef HB_DNN_SRC_KERNELS_KERNEL_UTIL_H_
#define HB_DNN_SRC_KERNELS_KERNEL_UTIL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "src/base/status.h"
#include "src/kernels/op_kernel.h"
#include "src/kernels/tensor.h"

namespace hb_dnn::kernels {

// Kernel-side errors are model errors: kInvalidModel with the message as given.
template <typename... Parts>
absl::Status KernelError(const Parts&... parts) {
  return Errorf(ErrorCode::kInvalidModel, parts...);
}

// ONNX multidirectional (numpy) broadcasting of two shapes; error names both shapes.
absl::StatusOr<Shape> BroadcastShapes(const Shape& a, const Shape& b);

// `axis` in [-rank, rank) -> [0, rank); error names `what` and the values.
absl::StatusOr<int64_t> NormalizeAxis(int64_t axis, int64_t rank, const char* what);

// The values of a constant integer tensor (int32 or int64) known at prepare time; error if the
// tensor is not constant or not an integer type. `what` names it in messages ("input 1 'shape'").
absl::StatusOr<std::vector<int64_t>> ConstantInts(const TensorInfo& tensor, const char* what);
absl::StatusOr<std::vector<float>> ConstantFloats(const TensorInfo& tensor, const char* what);

// A Conv's fused activation: the non-ONNX attribute the importer writes when it folds a Relu or
// Clip into the Conv before it, holding [min, max] (Relu = [0, +inf]). Every Conv kernel must
// clamp its output to it. nullopt when absent; kInvalidModel when malformed.
inline constexpr char kFusedClampAttribute[] = "hb_dnn_fused_clamp";
absl::StatusOr<std::optional<std::pair<float, float>>> ReadFusedClamp(const Attributes& attributes);

// Row-major strides (in elements) of `shape`.
std::vector<int64_t> Strides(const Shape& shape);

// For a broadcast output of shape `out`, the element strides to step input `in` (0 on broadcast
// dimensions), aligned to the output rank.
std::vector<int64_t> BroadcastStrides(const Shape& in, const Shape& out);

// Factory helper: `MakeFactory<MyKernel>()` yields a KernelFactory calling
// `MyKernel::Create(const KernelCreateArgs&)` which returns StatusOr<unique_ptr<OpKernel>>.
template <typename Kernel>
KernelFactory MakeFactory() {
  return [](const KernelCreateArgs& args) -> absl::StatusOr<std::unique_ptr<OpKernel>> {
    return Kernel::Create(args);
  };
}

}  // namespace hb_dnn::kernels

#endif  // HB_DNN_SRC_KERNELS_KERNEL_UTIL_H_
