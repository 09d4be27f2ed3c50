#ifndef HB_DNN_SRC_KERNELS_OPTIMIZED_OPTIMIZED_KERNELS_H_
#define HB_DNN_SRC_KERNELS_OPTIMIZED_OPTIMIZED_KERNELS_H_

// Factories of the optimized kernels (registered in optimized_ops.cc). Each accepts every node
// its reference kernel accepts, with the same Prepare checks and messages (it prepares the
// reference kernel first); the fp32 cases it accelerates run on the microkernels of the
// requested ISA level, everything else (float64, integer MatMul, 3-D convolution, ...) runs on
// the reference kernel it wraps.

#include <memory>

#include "absl/status/statusor.h"
#include "src/base/cpu_features.h"
#include "src/kernels/op_kernel.h"

namespace hb_dnn::kernels::optimized {

using KernelOrError = absl::StatusOr<std::unique_ptr<OpKernel>>;

// Registered factories: microkernels of ActiveIsaLevel().
KernelOrError CreateConvKernel(const KernelCreateArgs& args);
KernelOrError CreateGemmKernel(const KernelCreateArgs& args);
KernelOrError CreateMatMulKernel(const KernelCreateArgs& args);

// The same at a given ISA level (clamped to the hardware's), for tests and benchmarks that
// compare the variants.
KernelOrError CreateConvKernelForIsa(const KernelCreateArgs& args, IsaLevel isa);
KernelOrError CreateGemmKernelForIsa(const KernelCreateArgs& args, IsaLevel isa);
KernelOrError CreateMatMulKernelForIsa(const KernelCreateArgs& args, IsaLevel isa);

// Activation a Conv kernel applies to its output before storing it, so that the runtime can
// fold a following Relu or Clip node into the Conv (y = clamp(conv(x), min, max)).
struct FusedActivation {
  float min;
  float max;
};

// Sets the fused activation of an optimized Conv kernel (one made by the factories above);
// call before Prepare. Returns false, changing nothing, when `kernel` is not one; the caller
// then keeps the activation node.
bool SetConvFusedActivation(OpKernel* kernel, const FusedActivation& activation);

}  // namespace hb_dnn::kernels::optimized

#endif  // HB_DNN_SRC_KERNELS_OPTIMIZED_OPTIMIZED_KERNELS_H_
