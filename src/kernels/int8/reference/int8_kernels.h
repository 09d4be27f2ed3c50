#ifndef HB_DNN_SRC_KERNELS_INT8_REFERENCE_INT8_KERNELS_H_
#define HB_DNN_SRC_KERNELS_INT8_REFERENCE_INT8_KERNELS_H_

// Factories of the int8 reference kernels of domain hb_dnn.bpu, version 1 (the oracle of the
// optimized int8 kernels; contract in docs/int8_numerics.md). Each is a KernelFactory; the
// registration list is int8_ops.cc.

#include <memory>

#include "absl/status/statusor.h"
#include "src/kernels/op_kernel.h"

namespace hb_dnn::kernels::int8 {

using KernelOrError = absl::StatusOr<std::unique_ptr<OpKernel>>;

// int8_conv.cc
KernelOrError CreateInt8ConvReference(const KernelCreateArgs& args);

// int8_gemm.cc
KernelOrError CreateInt8GemmReference(const KernelCreateArgs& args);
KernelOrError CreateInt8MatMulReference(const KernelCreateArgs& args);

// int8_pool.cc
KernelOrError CreateInt8MaxPoolReference(const KernelCreateArgs& args);
KernelOrError CreateInt8AveragePoolReference(const KernelCreateArgs& args);
KernelOrError CreateInt8GlobalAveragePoolReference(const KernelCreateArgs& args);

// int8_eltwise.cc
KernelOrError CreateInt8AddReference(const KernelCreateArgs& args);
KernelOrError CreateInt8MulReference(const KernelCreateArgs& args);

// int8_concat.cc
KernelOrError CreateInt8ConcatReference(const KernelCreateArgs& args);

// int8_resize.cc
KernelOrError CreateInt8ResizeReference(const KernelCreateArgs& args);

// int8_lut.cc
KernelOrError CreateInt8LutReference(const KernelCreateArgs& args);

}  // namespace hb_dnn::kernels::int8

#endif  // HB_DNN_SRC_KERNELS_INT8_REFERENCE_INT8_KERNELS_H_
