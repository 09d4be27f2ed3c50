// Registration list of the optimized int8 kernels: domain hb_dnn.bpu, version 1, next to the
// reference registrations of int8/reference/int8_ops.cc (tested against them in
// tests/kernels/int8_optimized_test.cc).

#include "src/kernels/int8/optimized/int8_optimized_kernels.h"
#include "src/kernels/int8/requantize.h"
#include "src/kernels/op_registry.h"

namespace hb_dnn::kernels {

void RegisterInt8OptimizedOps(OpRegistry* registry) {
  constexpr KernelVariant kOpt = KernelVariant::kOptimized;
  registry->Add({int8::kBpuDomain, "Conv", 1, 1, kOpt, &int8::CreateInt8ConvOptimized});
  registry->Add({int8::kBpuDomain, "Gemm", 1, 1, kOpt, &int8::CreateInt8GemmOptimized});
  registry->Add({int8::kBpuDomain, "MatMul", 1, 1, kOpt, &int8::CreateInt8MatMulOptimized});
}

}  // namespace hb_dnn::kernels
