// Registration list of the optimized elementwise and pooling kernels: the same ops and version
// ranges as their reference registrations (reference/elementwise_ops.cc, reference/nn_ops.cc),
// at the process's active ISA level.

#include "src/base/cpu_features.h"
#include "src/kernels/op_registry.h"
#include "src/kernels/optimized/ew_isa.h"
#include "src/kernels/optimized/ew_kernels.h"

namespace hb_dnn::kernels {
namespace {

using optimized::EwKernelOrError;

template <optimized::ew::UnaryOp kOp>
EwKernelOrError CreateUnary(const KernelCreateArgs& args) {
  return optimized::CreateEwUnaryKernel(kOp, args, ActiveIsaLevel());
}

template <optimized::ew::BinaryOp kOp>
EwKernelOrError CreateBinary(const KernelCreateArgs& args) {
  return optimized::CreateEwBinaryKernel(kOp, args, ActiveIsaLevel());
}

EwKernelOrError CreateMaxPool(const KernelCreateArgs& args) {
  return optimized::CreatePoolMaxPoolKernel(args, ActiveIsaLevel());
}

EwKernelOrError CreateConvTranspose(const KernelCreateArgs& args) {
  return optimized::CreateEwConvTransposeKernel(args, ActiveIsaLevel());
}

}  // namespace

void RegisterOptimizedElementwiseOps(OpRegistry* registry) {
  using optimized::ew::BinaryOp;
  using optimized::ew::UnaryOp;
  constexpr KernelVariant kOpt = KernelVariant::kOptimized;
  registry->Add({"", "Relu", 6, 17, kOpt, &CreateUnary<UnaryOp::kRelu>});
  registry->Add({"", "LeakyRelu", 6, 17, kOpt, &CreateUnary<UnaryOp::kLeakyRelu>});
  registry->Add({"", "Sigmoid", 6, 17, kOpt, &CreateUnary<UnaryOp::kSigmoid>});
  registry->Add({"", "HardSigmoid", 6, 17, kOpt, &CreateUnary<UnaryOp::kHardSigmoid>});
  registry->Add({"", "HardSwish", 14, 17, kOpt, &CreateUnary<UnaryOp::kHardSwish>});
  registry->Add({"", "Tanh", 6, 17, kOpt, &CreateUnary<UnaryOp::kTanh>});
  registry->Add({"", "Clip", 6, 10, kOpt, &CreateUnary<UnaryOp::kClip>});
  registry->Add({"", "Clip", 11, 17, kOpt, &CreateUnary<UnaryOp::kClip>});
  registry->Add({"", "Add", 7, 17, kOpt, &CreateBinary<BinaryOp::kAdd>});
  registry->Add({"", "Sub", 7, 17, kOpt, &CreateBinary<BinaryOp::kSub>});
  registry->Add({"", "Mul", 7, 17, kOpt, &CreateBinary<BinaryOp::kMul>});
  registry->Add({"", "Div", 7, 17, kOpt, &CreateBinary<BinaryOp::kDiv>});
  registry->Add({"", "MaxPool", 1, 17, kOpt, &CreateMaxPool});
  registry->Add({"", "GlobalAveragePool", 1, 17, kOpt,
                 &optimized::CreatePoolGlobalAveragePoolKernel});
  registry->Add({"", "ConvTranspose", 1, 17, kOpt, &CreateConvTranspose});
  registry->Add({"", "BatchNormalization", 7, 8, kOpt,
                 &optimized::CreateEwBatchNormalizationKernel});
  registry->Add({"", "BatchNormalization", 9, 13, kOpt,
                 &optimized::CreateEwBatchNormalizationKernel});
  registry->Add({"", "BatchNormalization", 14, 17, kOpt,
                 &optimized::CreateEwBatchNormalizationKernel});
  registry->Add({"", "Resize", 10, 10, kOpt, &optimized::CreateEwResizeKernel});
  registry->Add({"", "Resize", 11, 12, kOpt, &optimized::CreateEwResizeKernel});
  registry->Add({"", "Resize", 13, 17, kOpt, &optimized::CreateEwResizeKernel});
}

}  // namespace hb_dnn::kernels
