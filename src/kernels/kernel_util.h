#ifndef HB_DNN_SRC_KERNELS_KERNEL_UTIL_H_
#define HB_DNN_SRC_KERNELS_KERNEL_UTIL_H_

#include <cstdint>
#include <memory>
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
