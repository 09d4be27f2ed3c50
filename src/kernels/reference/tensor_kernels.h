#ifndef HB_DNN_SRC_KERNELS_REFERENCE_TENSOR_KERNELS_H_
#define HB_DNN_SRC_KERNELS_REFERENCE_TENSOR_KERNELS_H_

// Factories of the tensor (shape / data movement) reference kernels; each is a KernelFactory.
// A factory serves every version range its op is registered for and reads the version-dependent
// parts (attribute vs input forms) from `args.opset_version`. Registered in tensor_ops.cc.

#include <memory>

#include "absl/status/statusor.h"
#include "src/kernels/op_kernel.h"

namespace hb_dnn::kernels {

using KernelOrError = absl::StatusOr<std::unique_ptr<OpKernel>>;

// tensor_reshape.cc
KernelOrError CreateIdentityKernel(const KernelCreateArgs& args);
KernelOrError CreateReshapeKernel(const KernelCreateArgs& args);
KernelOrError CreateFlattenKernel(const KernelCreateArgs& args);
KernelOrError CreateSqueezeKernel(const KernelCreateArgs& args);
KernelOrError CreateUnsqueezeKernel(const KernelCreateArgs& args);

// tensor_concat.cc
KernelOrError CreateConcatKernel(const KernelCreateArgs& args);
KernelOrError CreateSplitKernel(const KernelCreateArgs& args);

// tensor_slice.cc
KernelOrError CreateSliceKernel(const KernelCreateArgs& args);

// tensor_transpose.cc
KernelOrError CreateTransposeKernel(const KernelCreateArgs& args);
KernelOrError CreateDepthToSpaceKernel(const KernelCreateArgs& args);
KernelOrError CreateSpaceToDepthKernel(const KernelCreateArgs& args);

// tensor_expand.cc
KernelOrError CreateExpandKernel(const KernelCreateArgs& args);
KernelOrError CreateTileKernel(const KernelCreateArgs& args);

// tensor_gather.cc
KernelOrError CreateGatherKernel(const KernelCreateArgs& args);
KernelOrError CreateGatherElementsKernel(const KernelCreateArgs& args);
KernelOrError CreateScatterElementsKernel(const KernelCreateArgs& args);
KernelOrError CreateScatterKernel(const KernelCreateArgs& args);

// tensor_gather_nd.cc
KernelOrError CreateGatherNdKernel(const KernelCreateArgs& args);
KernelOrError CreateScatterNdKernel(const KernelCreateArgs& args);

// tensor_shape.cc
KernelOrError CreateShapeKernel(const KernelCreateArgs& args);
KernelOrError CreateSizeKernel(const KernelCreateArgs& args);
KernelOrError CreateConstantOfShapeKernel(const KernelCreateArgs& args);
KernelOrError CreateRangeKernel(const KernelCreateArgs& args);

// tensor_topk.cc
KernelOrError CreateTopKKernel(const KernelCreateArgs& args);

}  // namespace hb_dnn::kernels

#endif  // HB_DNN_SRC_KERNELS_REFERENCE_TENSOR_KERNELS_H_
