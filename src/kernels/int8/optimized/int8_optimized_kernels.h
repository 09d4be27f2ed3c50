#ifndef HB_DNN_SRC_KERNELS_INT8_OPTIMIZED_INT8_OPTIMIZED_KERNELS_H_
#define HB_DNN_SRC_KERNELS_INT8_OPTIMIZED_INT8_OPTIMIZED_KERNELS_H_

// Factories of the optimized int8 kernels of domain hb_dnn.bpu, version 1 (registered in
// int8_optimized_ops.cc). Each wraps the reference kernel of int8/reference/int8_kernels.h: it
// prepares that kernel first (same checks, same messages, same output) and runs it for what the
// fast paths do not cover (run-time weights, empty tensors). The fast paths produce the
// reference's bytes exactly, at every ISA level and thread count (docs/int8_numerics.md).

#include "src/base/cpu_features.h"
#include "src/kernels/int8/reference/int8_kernels.h"
#include "src/kernels/op_kernel.h"

namespace hb_dnn::kernels::int8 {

// Registered factories: microkernels of ActiveIsaLevel().
KernelOrError CreateInt8ConvOptimized(const KernelCreateArgs& args);
KernelOrError CreateInt8GemmOptimized(const KernelCreateArgs& args);
KernelOrError CreateInt8MatMulOptimized(const KernelCreateArgs& args);

// The same at a given ISA level (lowered to the best variant compiled in and supported by the
// hardware), for tests and benchmarks that compare the variants.
KernelOrError CreateInt8ConvOptimizedForIsa(const KernelCreateArgs& args, IsaLevel isa);
KernelOrError CreateInt8GemmOptimizedForIsa(const KernelCreateArgs& args, IsaLevel isa);
KernelOrError CreateInt8MatMulOptimizedForIsa(const KernelCreateArgs& args, IsaLevel isa);

}  // namespace hb_dnn::kernels::int8

#endif  // HB_DNN_SRC_KERNELS_INT8_OPTIMIZED_INT8_OPTIMIZED_KERNELS_H_
