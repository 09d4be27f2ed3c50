#ifndef HB_DNN_SRC_KERNELS_REFERENCE_NN_KERNELS_H_
#define HB_DNN_SRC_KERNELS_REFERENCE_NN_KERNELS_H_

// Factories of the nn reference kernels; each is a KernelFactory. A factory serves every version
// range its op is registered for (nn_ops.cc) and reads the version-dependent parts (attribute vs
// input forms, changed defaults) from `args.opset_version`.

#include <memory>

#include "absl/status/statusor.h"
#include "src/kernels/op_kernel.h"

namespace hb_dnn::kernels::nn {

using KernelOrError = absl::StatusOr<std::unique_ptr<OpKernel>>;

// nn_conv.cc
KernelOrError CreateConvKernel(const KernelCreateArgs& args);
KernelOrError CreateConvTransposeKernel(const KernelCreateArgs& args);

// nn_gemm.cc
KernelOrError CreateGemmKernel(const KernelCreateArgs& args);
KernelOrError CreateMatMulKernel(const KernelCreateArgs& args);

// nn_norm.cc
KernelOrError CreateBatchNormalizationKernel(const KernelCreateArgs& args);
KernelOrError CreateInstanceNormalizationKernel(const KernelCreateArgs& args);
KernelOrError CreateLrnKernel(const KernelCreateArgs& args);

// nn_pool.cc
KernelOrError CreateMaxPoolKernel(const KernelCreateArgs& args);
KernelOrError CreateAveragePoolKernel(const KernelCreateArgs& args);
KernelOrError CreateGlobalMaxPoolKernel(const KernelCreateArgs& args);
KernelOrError CreateGlobalAveragePoolKernel(const KernelCreateArgs& args);

// nn_resize.cc
KernelOrError CreateResizeKernel(const KernelCreateArgs& args);
KernelOrError CreateUpsampleKernel(const KernelCreateArgs& args);

// nn_pad.cc
KernelOrError CreatePadKernel(const KernelCreateArgs& args);

// nn_qlinear.cc
KernelOrError CreateConvIntegerKernel(const KernelCreateArgs& args);
KernelOrError CreateQLinearConvKernel(const KernelCreateArgs& args);
KernelOrError CreateMatMulIntegerKernel(const KernelCreateArgs& args);
KernelOrError CreateQLinearMatMulKernel(const KernelCreateArgs& args);

}  // namespace hb_dnn::kernels::nn

#endif  // HB_DNN_SRC_KERNELS_REFERENCE_NN_KERNELS_H_
