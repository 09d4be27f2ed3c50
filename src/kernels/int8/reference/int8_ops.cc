// Registration list of the int8 reference kernels: domain hb_dnn.bpu, version 1
// (docs/int8_numerics.md). The factories live in int8_<family>.cc, declared in int8_kernels.h.

#include "src/kernels/int8/reference/int8_kernels.h"
#include "src/kernels/int8/requantize.h"
#include "src/kernels/op_registry.h"

namespace hb_dnn::kernels {

void RegisterInt8ReferenceOps(OpRegistry* registry) {
  constexpr KernelVariant kRef = KernelVariant::kReference;
  registry->Add({int8::kBpuDomain, "Conv", 1, 1, kRef, &int8::CreateInt8ConvReference});
  registry->Add({int8::kBpuDomain, "Gemm", 1, 1, kRef, &int8::CreateInt8GemmReference});
  registry->Add({int8::kBpuDomain, "MatMul", 1, 1, kRef, &int8::CreateInt8MatMulReference});
  registry->Add({int8::kBpuDomain, "MaxPool", 1, 1, kRef, &int8::CreateInt8MaxPoolReference});
  registry->Add(
      {int8::kBpuDomain, "AveragePool", 1, 1, kRef, &int8::CreateInt8AveragePoolReference});
  registry->Add({int8::kBpuDomain, "GlobalAveragePool", 1, 1, kRef,
                 &int8::CreateInt8GlobalAveragePoolReference});
  registry->Add({int8::kBpuDomain, "Add", 1, 1, kRef, &int8::CreateInt8AddReference});
  registry->Add({int8::kBpuDomain, "Mul", 1, 1, kRef, &int8::CreateInt8MulReference});
  registry->Add({int8::kBpuDomain, "Concat", 1, 1, kRef, &int8::CreateInt8ConcatReference});
  registry->Add({int8::kBpuDomain, "Resize", 1, 1, kRef, &int8::CreateInt8ResizeReference});
  registry->Add({int8::kBpuDomain, "Lut", 1, 1, kRef, &int8::CreateInt8LutReference});
}

}  // namespace hb_dnn::kernels
