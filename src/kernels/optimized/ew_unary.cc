// Optimized one-input activations and Clip over the ew_isa.h row functions.

#include <cstdint>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "src/base/parallel_for.h"
#include "src/base/status_macros.h"
#include "src/kernels/optimized/ew_isa.h"
#include "src/kernels/optimized/ew_kernels.h"
#include "src/kernels/reference/elementwise_kernels.h"

namespace hb_dnn::kernels::optimized {
namespace {

using ew::UnaryOp;

// Elements per ParallelFor chunk: large enough that a chunk's work dwarfs the scheduling cost
// (a few microseconds), small enough that both cores get work on mid-sized activations.
constexpr int64_t kCheapGrain = 32768;
constexpr int64_t kExpGrain = 8192;

elementwise::UnaryOp ReferenceOp(UnaryOp op) {
  switch (op) {
    case UnaryOp::kRelu: return elementwise::UnaryOp::kRelu;
    case UnaryOp::kLeakyRelu: return elementwise::UnaryOp::kLeakyRelu;
    case UnaryOp::kSigmoid: return elementwise::UnaryOp::kSigmoid;
    case UnaryOp::kHardSigmoid: return elementwise::UnaryOp::kHardSigmoid;
    case UnaryOp::kHardSwish: return elementwise::UnaryOp::kHardSwish;
    case UnaryOp::kTanh: return elementwise::UnaryOp::kTanh;
    case UnaryOp::kClip: break;
  }
  return elementwise::UnaryOp::kRelu;
}

class EwUnaryKernel final : public OpKernel {
 public:
  EwUnaryKernel(UnaryOp op, std::unique_ptr<OpKernel> reference, const ew::EwConfig& config,
                const ew::UnaryParams& params, bool bounds_are_inputs)
      : reference_(std::move(reference)),
        fn_(config.unary[static_cast<int>(op)]),
        params_(params),
        bounds_are_inputs_(bounds_are_inputs),
        grain_(op == UnaryOp::kSigmoid || op == UnaryOp::kTanh ? kExpGrain : kCheapGrain) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(reference_->Prepare(inputs, outputs));
    fast_ = inputs[0].dtype == DType::kF32;
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    if (!fast_) return reference_->Run(inputs, outputs);
    ew::UnaryParams params = params_;
    if (bounds_are_inputs_) {
      if (inputs.size() > 1 && inputs[1].present()) params.lo = inputs[1].as<float>()[0];
      if (inputs.size() > 2 && inputs[2].present()) params.hi = inputs[2].as<float>()[0];
    }
    const float* x = inputs[0].as<float>();
    float* y = outputs[0].as<float>();
    const ew::UnaryFn fn = fn_;
    ParallelFor(0, inputs[0].num_elements(), grain_, [&](int64_t begin, int64_t end) {
      fn(x + begin, y + begin, end - begin, params);
    });
    return absl::OkStatus();
  }

 private:
  const std::unique_ptr<OpKernel> reference_;
  const ew::UnaryFn fn_;
  const ew::UnaryParams params_;
  const bool bounds_are_inputs_;  // Clip from opset 11
  const int64_t grain_;
  bool fast_ = false;
};

}  // namespace

EwKernelOrError CreateEwUnaryKernel(UnaryOp op, const KernelCreateArgs& args, IsaLevel isa) {
  std::unique_ptr<OpKernel> reference;
  if (op == UnaryOp::kClip) {
    HB_ASSIGN_OR_RETURN(reference, elementwise::Clip::Create(args));
  } else {
    HB_ASSIGN_OR_RETURN(reference, elementwise::CreateUnaryKernel(ReferenceOp(op), args));
  }
  // The reference factory has validated the attributes, so these reads succeed.
  ew::UnaryParams params;
  bool bounds_are_inputs = false;
  switch (op) {
    case UnaryOp::kLeakyRelu: {
      HB_ASSIGN_OR_RETURN(params.alpha, args.attributes.GetFloat("alpha", 0.01f));
      break;
    }
    case UnaryOp::kHardSigmoid: {
      HB_ASSIGN_OR_RETURN(params.alpha, args.attributes.GetFloat("alpha", 0.2f));
      HB_ASSIGN_OR_RETURN(params.beta, args.attributes.GetFloat("beta", 0.5f));
      break;
    }
    case UnaryOp::kClip: {
      params.lo = std::numeric_limits<float>::lowest();
      params.hi = std::numeric_limits<float>::max();
      bounds_are_inputs = args.opset_version >= 11;
      if (!bounds_are_inputs) {
        HB_ASSIGN_OR_RETURN(params.lo, args.attributes.GetFloat("min", params.lo));
        HB_ASSIGN_OR_RETURN(params.hi, args.attributes.GetFloat("max", params.hi));
      }
      break;
    }
    default: break;
  }
  return std::make_unique<EwUnaryKernel>(op, std::move(reference), ew::GetEwConfig(isa), params,
                                         bounds_are_inputs);
}

}  // namespace hb_dnn::kernels::optimized
