// Optimized BatchNormalization (inference) for float32 X with per-channel parameters:
//   Y = X * a[c] + b[c],  a = scale / sqrt(var + epsilon),  b = B - mean * a
// with a and b computed in double (from float32 or float64 parameters) and rounded to float32,
// at Prepare when scale, B, mean and var are all constant, else per channel in each Run. The
// reference computes (X - mean) / sqrt(var + epsilon) * scale + B in double per element, so
// results differ from it by float32 rounding only. float64 X and BatchNormalization-7 with
// spatial = 0 (parameters of X's shape without N) run on the wrapped reference kernel, which
// also validates every node.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "src/base/parallel_for.h"
#include "src/base/status_macros.h"
#include "src/kernels/optimized/ew_kernels.h"
#include "src/kernels/reference/nn_kernels.h"
#include "src/kernels/reference/nn_util.h"

namespace hb_dnn::kernels::optimized {
namespace {

// Elements per ParallelFor chunk of planes.
constexpr int64_t kGrainElements = 32768;

class EwBatchNormalizationKernel final : public OpKernel {
 public:
  static EwKernelOrError Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<EwBatchNormalizationKernel>();
    // The reference kernel reads and checks the attributes; reading them again cannot fail.
    HB_ASSIGN_OR_RETURN(kernel->reference_, nn::CreateBatchNormalizationKernel(args));
    HB_ASSIGN_OR_RETURN(float epsilon, args.attributes.GetFloat("epsilon", 1e-5f));
    kernel->epsilon_ = static_cast<double>(epsilon);
    if (args.opset_version < 9) {
      HB_ASSIGN_OR_RETURN(int64_t spatial, args.attributes.GetInt("spatial", 1));
      kernel->spatial_ = spatial != 0;
    }
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(reference_->Prepare(inputs, outputs));
    const TensorInfo& x = inputs[0];
    fast_ = x.dtype == DType::kF32 && spatial_;
    multiplier_.clear();
    shift_.clear();
    if (!fast_) return absl::OkStatus();
    batch_ = x.shape[0];
    channels_ = x.shape[1];
    inner_ = NumElements(Shape(x.shape.begin() + 2, x.shape.end()));
    bool constant = true;
    for (int i = 1; i < 5; ++i) constant = constant && inputs[i].data != nullptr;
    if (constant) {
      multiplier_.resize(static_cast<size_t>(channels_));
      shift_.resize(static_cast<size_t>(channels_));
      for (int64_t c = 0; c < channels_; ++c) {
        ChannelAffine(inputs[1].data, inputs[1].dtype, inputs[2].data, inputs[2].dtype,
                      inputs[3].data, inputs[3].dtype, inputs[4].data, inputs[4].dtype, c,
                      &multiplier_[static_cast<size_t>(c)], &shift_[static_cast<size_t>(c)]);
      }
    }
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    if (!fast_) return reference_->Run(inputs, outputs);
    const float* x = inputs[0].as<float>();
    float* y = outputs[0].as<float>();
    const bool prepared = !multiplier_.empty();
    const int64_t inner = inner_;
    const int64_t grain = std::max<int64_t>(1, kGrainElements / std::max<int64_t>(1, inner));
    ParallelFor(0, batch_ * channels_, grain,
                [&](int64_t begin, int64_t end) {
                  for (int64_t p = begin; p < end; ++p) {
                    const int64_t c = p % channels_;
                    float a;
                    float b;
                    if (prepared) {
                      a = multiplier_[static_cast<size_t>(c)];
                      b = shift_[static_cast<size_t>(c)];
                    } else {
                      ChannelAffine(inputs[1].data, inputs[1].dtype, inputs[2].data,
                                    inputs[2].dtype, inputs[3].data, inputs[3].dtype,
                                    inputs[4].data, inputs[4].dtype, c, &a, &b);
                    }
                    const float* src = x + p * inner;
                    float* dst = y + p * inner;
                    for (int64_t i = 0; i < inner; ++i) dst[i] = src[i] * a + b;
                  }
                });
    return absl::OkStatus();
  }

 private:
  // The affine form of channel c from the scale, B, mean and var tensors (float32 or float64).
  void ChannelAffine(const void* scale, DType scale_type, const void* bias, DType bias_type,
                     const void* mean, DType mean_type, const void* var, DType var_type,
                     int64_t c, float* multiplier, float* shift) const {
    const double a = nn::LoadReal(scale, scale_type, c) /
                     std::sqrt(nn::LoadReal(var, var_type, c) + epsilon_);
    *multiplier = static_cast<float>(a);
    *shift = static_cast<float>(nn::LoadReal(bias, bias_type, c) -
                                nn::LoadReal(mean, mean_type, c) * a);
  }

  std::unique_ptr<OpKernel> reference_;
  double epsilon_ = 1e-5;
  bool spatial_ = true;

  // Prepared.
  bool fast_ = false;
  int64_t batch_ = 0;
  int64_t channels_ = 0;
  int64_t inner_ = 0;
  // Per channel a and b when the parameters are constant; empty: computed per Run.
  std::vector<float> multiplier_;
  std::vector<float> shift_;
};

}  // namespace

EwKernelOrError CreateEwBatchNormalizationKernel(const KernelCreateArgs& args) {
  return EwBatchNormalizationKernel::Create(args);
}

}  // namespace hb_dnn::kernels::optimized
