#ifndef HB_DNN_SRC_KERNELS_OPTIMIZED_EW_KERNELS_H_
#define HB_DNN_SRC_KERNELS_OPTIMIZED_EW_KERNELS_H_

// Factories of the optimized elementwise and pooling kernels (registered in ew_ops.cc). Each
// wraps the reference kernel of its op: Prepare runs the reference Prepare (same checks, same
// messages, same output infos), and every case the fast path does not cover (types other than
// float32, MaxPool's Indices output, dilations, kernels of another rank) runs the reference
// kernel. The fp32 fast paths use the row functions of ew_isa.h at the requested ISA level and
// split large tensors over ParallelFor.

#include <memory>

#include "absl/status/statusor.h"
#include "src/base/cpu_features.h"
#include "src/kernels/op_kernel.h"
#include "src/kernels/optimized/ew_isa.h"

namespace hb_dnn::kernels::optimized {

using EwKernelOrError = absl::StatusOr<std::unique_ptr<OpKernel>>;

// Relu, LeakyRelu, Clip, Sigmoid, HardSigmoid, HardSwish, Tanh.
EwKernelOrError CreateEwUnaryKernel(ew::UnaryOp op, const KernelCreateArgs& args, IsaLevel isa);

// Add, Sub, Mul, Div with multidirectional broadcasting.
EwKernelOrError CreateEwBinaryKernel(ew::BinaryOp op, const KernelCreateArgs& args,
                                     IsaLevel isa);

// MaxPool (2-D fp32 without Indices or dilations on the fast path) and GlobalAveragePool.
EwKernelOrError CreatePoolMaxPoolKernel(const KernelCreateArgs& args, IsaLevel isa);
EwKernelOrError CreatePoolGlobalAveragePoolKernel(const KernelCreateArgs& args);

// ConvTranspose: 2-D fp32 as a GEMM (W^T packed at Prepare when constant) plus a col2im
// scatter-add; other ranks and float64 run on the reference kernel (ew_convtranspose.cc).
EwKernelOrError CreateEwConvTransposeKernel(const KernelCreateArgs& args, IsaLevel isa);

// BatchNormalization (inference): fp32 X as a per-channel scale and shift, precomputed at
// Prepare when scale, B, mean and var are constant (ew_batchnorm.cc).
EwKernelOrError CreateEwBatchNormalizationKernel(const KernelCreateArgs& args);

// Resize: 4-D fp32 NCHW resized over H and W only, nearest (every nearest_mode) or linear,
// with coordinate modes half_pixel, pytorch_half_pixel, align_corners, asymmetric and
// tf_half_pixel_for_nn (ew_resize.cc).
EwKernelOrError CreateEwResizeKernel(const KernelCreateArgs& args);

}  // namespace hb_dnn::kernels::optimized

#endif  // HB_DNN_SRC_KERNELS_OPTIMIZED_EW_KERNELS_H_
