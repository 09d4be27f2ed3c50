// Optimized int8 Gemm and MatMul (hb_dnn.bpu): A (rows x K, every leading index of a MatMul's A
// is more rows) times a constant B packed once at Prepare, on the int8 GEMM driver with the
// weights as the tiles' vector dimension (one output column per lane). Run-time B or C and empty
// tensors run on the wrapped reference kernel.

#include <memory>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/int8/optimized/int8_optimized_kernels.h"
#include "src/kernels/int8/optimized/s8_gemm_driver.h"
#include "src/kernels/int8/reference/int8_util.h"
#include "src/kernels/ukernels/s8_gemm.h"

namespace hb_dnn::kernels::int8 {
namespace {

using ukernels::S8Orientation;

class Int8GemmOptimized final : public OpKernel {
 public:
  // `matmul`: MatMul (A of any rank >= 2, no bias, no transB) rather than Gemm.
  static KernelOrError Create(const KernelCreateArgs& args, IsaLevel isa, bool matmul) {
    auto kernel = std::unique_ptr<Int8GemmOptimized>(new Int8GemmOptimized(isa, matmul));
    if (matmul) {
      HB_ASSIGN_OR_RETURN(kernel->reference_, CreateInt8MatMulReference(args));
    } else {
      HB_ASSIGN_OR_RETURN(kernel->reference_, CreateInt8GemmReference(args));
      HB_ASSIGN_OR_RETURN(int64_t trans_b, args.attributes.GetInt("transB", 0));
      kernel->trans_b_ = trans_b == 1;
    }
    kernel->attributes_ = args.attributes;
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(reference_->Prepare(inputs, outputs));
    fast_ = false;
    packed_ = PackedS8Weights();
    const TensorInfo& a = inputs[0];
    const TensorInfo& b = inputs[1];
    const bool has_bias = inputs.size() > 2 && inputs[2].present();
    if (b.data == nullptr || (has_bias && inputs[2].data == nullptr)) return absl::OkStatus();
    depth_ = a.shape.back();
    cols_ = trans_b_ ? b.shape[0] : b.shape[1];
    if (depth_ == 0 || cols_ == 0 || a.num_elements() == 0) return absl::OkStatus();
    rows_ = a.num_elements() / depth_;
    HB_ASSIGN_OR_RETURN(output_,
                        ReadAccumulatorOutput(matmul_ ? "MatMul" : "Gemm", attributes_, cols_));
    // A fused function (no converter writes one on a Gemm yet) runs on the reference kernel.
    if (output_.fused()) return absl::OkStatus();
    // B as the logical K x N matrix.
    const ukernels::S8Matrix bm = trans_b_ ? ukernels::S8Matrix{b.as<int8_t>(), 1, depth_}
                                           : ukernels::S8Matrix{b.as<int8_t>(), cols_, 1};
    packed_ = PackS8Weights(config_, S8Orientation::kWeightsInColumns, bm, depth_, cols_,
                            has_bias ? inputs[2].as<int32_t>() : nullptr);
    fast_ = true;
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    if (!fast_) return reference_->Run(inputs, outputs);
    S8GemmProblem problem;
    problem.orientation = S8Orientation::kWeightsInColumns;
    problem.k = depth_;
    problem.channels = cols_;
    problem.positions = rows_;
    problem.weights = packed_.panels.data();
    problem.bias = packed_.bias.data();
    // A^T: K x rows.
    problem.activations = {inputs[0].as<int8_t>(), 1, depth_};
    problem.int32_output = output_.output_type == 32;
    if (!problem.int32_output) problem.multipliers = output_.multipliers.data();
    problem.bounds = output_.bounds;
    problem.out = outputs[0].data;
    problem.channel_stride = 1;
    problem.position_stride = cols_;
    RunS8Gemm(config_, problem, /*parallel=*/true);
    return absl::OkStatus();
  }

 private:
  Int8GemmOptimized(IsaLevel isa, bool matmul)
      : config_(ukernels::GetS8GemmConfig(isa)), matmul_(matmul) {}

  const ukernels::S8GemmConfig& config_;
  const bool matmul_;
  bool trans_b_ = false;
  std::unique_ptr<OpKernel> reference_;
  Attributes attributes_;

  // Prepared.
  bool fast_ = false;
  int64_t rows_ = 0;
  int64_t depth_ = 0;
  int64_t cols_ = 0;
  AccumulatorOutput output_;
  PackedS8Weights packed_;
};

}  // namespace

KernelOrError CreateInt8GemmOptimizedForIsa(const KernelCreateArgs& args, IsaLevel isa) {
  return Int8GemmOptimized::Create(args, isa, /*matmul=*/false);
}

KernelOrError CreateInt8MatMulOptimizedForIsa(const KernelCreateArgs& args, IsaLevel isa) {
  return Int8GemmOptimized::Create(args, isa, /*matmul=*/true);
}

KernelOrError CreateInt8GemmOptimized(const KernelCreateArgs& args) {
  return CreateInt8GemmOptimizedForIsa(args, ActiveIsaLevel());
}

KernelOrError CreateInt8MatMulOptimized(const KernelCreateArgs& args) {
  return CreateInt8MatMulOptimizedForIsa(args, ActiveIsaLevel());
}

}  // namespace hb_dnn::kernels::int8
