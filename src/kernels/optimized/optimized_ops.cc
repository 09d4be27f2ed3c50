// Registration list of the optimized kernels (each tested against its reference kernel in
// tests/kernels/optimized_*_test.cc). Version ranges mirror the reference registrations in
// reference/nn_ops.cc; the factories wrap the reference kernel for what they do not accelerate.

#include "src/kernels/op_registry.h"
#include "src/kernels/optimized/optimized_kernels.h"

namespace hb_dnn::kernels {

void RegisterOptimizedOps(OpRegistry* registry) {
  constexpr KernelVariant kOpt = KernelVariant::kOptimized;
  registry->Add({"", "Conv", 1, 17, kOpt, &optimized::CreateConvKernel});
  registry->Add({"", "Gemm", 7, 17, kOpt, &optimized::CreateGemmKernel});
  registry->Add({"", "MatMul", 1, 17, kOpt, &optimized::CreateMatMulKernel});
}

}  // namespace hb_dnn::kernels
