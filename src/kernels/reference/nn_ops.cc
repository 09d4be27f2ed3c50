// Registration list of the nn kernel group: convolution, pooling, GEMM/MatMul, normalization,
// Resize/Upsample and Pad. Kernels live in nn_<family>.cc; nn_kernels.h declares their factories.
// A factory serving several ranges reads the version-specific parts from the opset itself; the
// ranges are split where the node's form changed.

#include "src/kernels/op_registry.h"
#include "src/kernels/reference/nn_kernels.h"

namespace hb_dnn::kernels {

void RegisterNnOps(OpRegistry* registry) {
  constexpr KernelVariant kRef = KernelVariant::kReference;
  // Convolution (nn_conv.cc): unchanged semantics since opset 1 (11 only clarified auto_pad).
  registry->Add({"", "Conv", 1, 17, kRef, &nn::CreateConvKernel});
  registry->Add({"", "ConvTranspose", 1, 17, kRef, &nn::CreateConvTransposeKernel});

  // GEMM (nn_gemm.cc). Gemm-7 introduced unidirectional broadcasting of C, Gemm-11 made C
  // optional; the kernel accepts an omitted C at every version.
  registry->Add({"", "Gemm", 7, 17, kRef, &nn::CreateGemmKernel});
  registry->Add({"", "MatMul", 1, 17, kRef, &nn::CreateMatMulKernel});

  // Normalization (nn_norm.cc), inference only. BatchNormalization-7 has `spatial`, 9 drops it,
  // 14 adds `training_mode` (rejected when set), 15 lets scale/B/mean/var differ in type from X.
  registry->Add({"", "BatchNormalization", 7, 8, kRef, &nn::CreateBatchNormalizationKernel});
  registry->Add({"", "BatchNormalization", 9, 13, kRef, &nn::CreateBatchNormalizationKernel});
  registry->Add({"", "BatchNormalization", 14, 17, kRef, &nn::CreateBatchNormalizationKernel});
  registry->Add({"", "InstanceNormalization", 1, 17, kRef, &nn::CreateInstanceNormalizationKernel});
  registry->Add({"", "LRN", 1, 17, kRef, &nn::CreateLrnKernel});

  // Pooling (nn_pool.cc). Later versions only add attributes (storage_order 8, ceil_mode and
  // dilations 10, int8/uint8 12) whose defaults reproduce the earlier behaviour.
  registry->Add({"", "MaxPool", 1, 17, kRef, &nn::CreateMaxPoolKernel});
  registry->Add({"", "AveragePool", 1, 17, kRef, &nn::CreateAveragePoolKernel});
  registry->Add({"", "GlobalMaxPool", 1, 17, kRef, &nn::CreateGlobalMaxPoolKernel});
  registry->Add({"", "GlobalAveragePool", 1, 17, kRef, &nn::CreateGlobalAveragePoolKernel});

  // Resizing (nn_resize.cc): Resize-10 (X, scales), 11 (X, roi, scales, sizes + coordinate
  // attributes), 13 (roi and scales optional); Upsample-7 (scales attribute), 9 (scales input).
  registry->Add({"", "Resize", 10, 10, kRef, &nn::CreateResizeKernel});
  registry->Add({"", "Resize", 11, 12, kRef, &nn::CreateResizeKernel});
  registry->Add({"", "Resize", 13, 17, kRef, &nn::CreateResizeKernel});
  registry->Add({"", "Upsample", 7, 8, kRef, &nn::CreateUpsampleKernel});
  registry->Add({"", "Upsample", 9, 9, kRef, &nn::CreateUpsampleKernel});

  // Pad (nn_pad.cc): pads/value attributes in 2..10, inputs pads/constant_value from 11.
  registry->Add({"", "Pad", 2, 10, kRef, &nn::CreatePadKernel});
  registry->Add({"", "Pad", 11, 17, kRef, &nn::CreatePadKernel});

  // Quantized convolution and matrix products (nn_qlinear.cc), unchanged since opset 10.
  registry->Add({"", "ConvInteger", 10, 17, kRef, &nn::CreateConvIntegerKernel});
  registry->Add({"", "QLinearConv", 10, 17, kRef, &nn::CreateQLinearConvKernel});
  registry->Add({"", "MatMulInteger", 10, 17, kRef, &nn::CreateMatMulIntegerKernel});
  registry->Add({"", "QLinearMatMul", 10, 17, kRef, &nn::CreateQLinearMatMulKernel});
}

}  // namespace hb_dnn::kernels
