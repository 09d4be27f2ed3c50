// Normalization reference kernels: BatchNormalization (inference), InstanceNormalization and LRN,
// computed in double from the float32/float64 inputs.

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/reference/nn_kernels.h"
#include "src/kernels/reference/nn_util.h"

namespace hb_dnn::kernels::nn {
namespace {

template <typename T>
void StoreReal(void* data, int64_t i, double value) {
  static_cast<T*>(data)[i] = static_cast<T>(value);
}

void Store(void* data, DType dtype, int64_t i, double value) {
  if (dtype == DType::kF64) {
    StoreReal<double>(data, i, value);
  } else {
    StoreReal<float>(data, i, value);
  }
}

// Y = (X - mean) / sqrt(var + epsilon) * scale + B, the statistics given as inputs. With
// `spatial` (every version from 9, and the default before) the parameters have shape (C) and
// are shared over N and the spatial dimensions; otherwise (BatchNormalization-7 spatial=0)
// they have X's shape without N.
class BatchNormalizationKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<BatchNormalizationKernel>();
    const Attributes& attributes = args.attributes;
    HB_ASSIGN_OR_RETURN(float epsilon, attributes.GetFloat("epsilon", 1e-5f));
    kernel->epsilon_ = epsilon;
    HB_ASSIGN_OR_RETURN(int64_t training_mode, attributes.GetInt("training_mode", 0));
    if (training_mode != 0) {
      return KernelError("BatchNormalization: attribute 'training_mode' = ", training_mode,
                         " is not supported (inference only)");
    }
    if (args.num_outputs > 1) {
      return KernelError("BatchNormalization: ", args.num_outputs,
                         " outputs request training-mode statistics, which are not supported "
                         "(inference only: output Y)");
    }
    if (args.opset_version < 9) {
      HB_ASSIGN_OR_RETURN(int64_t spatial, attributes.GetInt("spatial", 1));
      kernel->spatial_ = spatial != 0;
    }
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    constexpr char kOp[] = "BatchNormalization";
    static const char* const kNames[] = {"input 0 'X'", "input 1 'scale'", "input 2 'B'",
                                         "input 3 'input_mean'", "input 4 'input_var'"};
    if (inputs.size() != 5) {
      return KernelError(kOp, ": expected 5 inputs (X, scale, B, mean, var), got ", inputs.size());
    }
    const TensorInfo& x = inputs[0];
    HB_RETURN_IF_ERROR(CheckDType(kOp, x, kNames[0], {DType::kF32, DType::kF64}));
    if (x.shape.size() < 2) {
      return KernelError(kOp, ": input 0 'X' has shape ", ShapeString(x.shape),
                         " but needs rank >= 2 (N, C, ...)");
    }
    const Shape param_shape =
        spatial_ ? Shape{x.shape[1]} : Shape(x.shape.begin() + 1, x.shape.end());
    for (int i = 1; i < 5; ++i) {
      HB_RETURN_IF_ERROR(CheckDType(kOp, inputs[i], kNames[i], {DType::kF32, DType::kF64}));
      HB_RETURN_IF_ERROR(CheckShape(kOp, inputs[i], kNames[i], param_shape));
    }
    batch_ = x.shape[0];
    channels_ = x.shape[1];
    inner_ = NumElements(Shape(x.shape.begin() + 2, x.shape.end()));
    dtype_ = x.dtype;
    outputs->assign(1, TensorInfo{x.dtype, x.shape, nullptr});
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const ConstTensorView& x = inputs[0];
    for (int64_t n = 0; n < batch_; ++n) {
      for (int64_t c = 0; c < channels_; ++c) {
        for (int64_t s = 0; s < inner_; ++s) {
          const int64_t p = spatial_ ? c : c * inner_ + s;
          const double scale = LoadReal(inputs[1].data, inputs[1].dtype, p);
          const double bias = LoadReal(inputs[2].data, inputs[2].dtype, p);
          const double mean = LoadReal(inputs[3].data, inputs[3].dtype, p);
          const double var = LoadReal(inputs[4].data, inputs[4].dtype, p);
          const int64_t i = (n * channels_ + c) * inner_ + s;
          const double value = (LoadReal(x.data, x.dtype, i) - mean) /
                                   std::sqrt(var + static_cast<double>(epsilon_)) * scale +
                               bias;
          Store(outputs[0].data, dtype_, i, value);
        }
      }
    }
    return absl::OkStatus();
  }

 private:
  float epsilon_ = 1e-5f;
  bool spatial_ = true;
  DType dtype_ = DType::kF32;
  int64_t batch_ = 0;
  int64_t channels_ = 0;
  int64_t inner_ = 0;
};

// Per (n, c): Y = scale[c] * (X - mean) / sqrt(var + epsilon) + B[c] with the mean and the
// (biased) variance over the spatial dimensions.
class InstanceNormalizationKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<InstanceNormalizationKernel>();
    HB_ASSIGN_OR_RETURN(float epsilon, args.attributes.GetFloat("epsilon", 1e-5f));
    kernel->epsilon_ = epsilon;
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    constexpr char kOp[] = "InstanceNormalization";
    if (inputs.size() != 3) {
      return KernelError(kOp, ": expected 3 inputs (input, scale, B), got ", inputs.size());
    }
    const TensorInfo& x = inputs[0];
    HB_RETURN_IF_ERROR(CheckDType(kOp, x, "input 0 'input'", {DType::kF32, DType::kF64}));
    if (x.shape.size() < 3) {
      return KernelError(kOp, ": input 0 'input' has shape ", ShapeString(x.shape),
                         " but needs rank >= 3 (N, C, spatial...)");
    }
    HB_RETURN_IF_ERROR(CheckSameDType(kOp, inputs[1], "input 1 'scale'", x.dtype));
    HB_RETURN_IF_ERROR(CheckSameDType(kOp, inputs[2], "input 2 'B'", x.dtype));
    HB_RETURN_IF_ERROR(CheckShape(kOp, inputs[1], "input 1 'scale'", {x.shape[1]}));
    HB_RETURN_IF_ERROR(CheckShape(kOp, inputs[2], "input 2 'B'", {x.shape[1]}));
    batch_ = x.shape[0];
    channels_ = x.shape[1];
    inner_ = NumElements(Shape(x.shape.begin() + 2, x.shape.end()));
    dtype_ = x.dtype;
    outputs->assign(1, TensorInfo{x.dtype, x.shape, nullptr});
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const ConstTensorView& x = inputs[0];
    for (int64_t n = 0; n < batch_; ++n) {
      for (int64_t c = 0; c < channels_; ++c) {
        const int64_t base = (n * channels_ + c) * inner_;
        double sum = 0;
        for (int64_t s = 0; s < inner_; ++s) sum += LoadReal(x.data, dtype_, base + s);
        const double mean = inner_ > 0 ? sum / static_cast<double>(inner_) : 0.0;
        double squares = 0;
        for (int64_t s = 0; s < inner_; ++s) {
          const double d = LoadReal(x.data, dtype_, base + s) - mean;
          squares += d * d;
        }
        const double var = inner_ > 0 ? squares / static_cast<double>(inner_) : 0.0;
        const double scale =
            LoadReal(inputs[1].data, dtype_, c) / std::sqrt(var + static_cast<double>(epsilon_));
        const double bias = LoadReal(inputs[2].data, dtype_, c);
        for (int64_t s = 0; s < inner_; ++s) {
          Store(outputs[0].data, dtype_, base + s,
                (LoadReal(x.data, dtype_, base + s) - mean) * scale + bias);
        }
      }
    }
    return absl::OkStatus();
  }

 private:
  float epsilon_ = 1e-5f;
  DType dtype_ = DType::kF32;
  int64_t batch_ = 0;
  int64_t channels_ = 0;
  int64_t inner_ = 0;
};

// Y = X / (bias + alpha / size * sum of X^2 over the channels
// [c - floor((size - 1) / 2), c + ceil((size - 1) / 2)]) ^ beta.
class LrnKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<LrnKernel>();
    const Attributes& attributes = args.attributes;
    HB_ASSIGN_OR_RETURN(float alpha, attributes.GetFloat("alpha", 1e-4f));
    HB_ASSIGN_OR_RETURN(float beta, attributes.GetFloat("beta", 0.75f));
    HB_ASSIGN_OR_RETURN(float bias, attributes.GetFloat("bias", 1.0f));
    if (!attributes.Has("size")) return KernelError("LRN: attribute 'size' is required");
    HB_ASSIGN_OR_RETURN(kernel->size_, attributes.GetInt("size", 0));
    if (kernel->size_ < 1) {
      return KernelError("LRN: attribute 'size' is ", kernel->size_, ", must be >= 1");
    }
    kernel->alpha_ = alpha;
    kernel->beta_ = beta;
    kernel->bias_ = bias;
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    if (inputs.size() != 1) return KernelError("LRN: expected 1 input, got ", inputs.size());
    const TensorInfo& x = inputs[0];
    HB_RETURN_IF_ERROR(CheckDType("LRN", x, "input 0 'X'", {DType::kF32, DType::kF64}));
    if (x.shape.size() < 2) {
      return KernelError("LRN: input 0 'X' has shape ", ShapeString(x.shape),
                         " but needs rank >= 2 (N, C, ...)");
    }
    batch_ = x.shape[0];
    channels_ = x.shape[1];
    inner_ = NumElements(Shape(x.shape.begin() + 2, x.shape.end()));
    dtype_ = x.dtype;
    outputs->assign(1, TensorInfo{x.dtype, x.shape, nullptr});
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const ConstTensorView& x = inputs[0];
    const int64_t before = (size_ - 1) / 2;
    const int64_t after = size_ - 1 - before;
    for (int64_t n = 0; n < batch_; ++n) {
      for (int64_t c = 0; c < channels_; ++c) {
        const int64_t first = std::max<int64_t>(0, c - before);
        const int64_t last = std::min<int64_t>(channels_ - 1, c + after);
        for (int64_t s = 0; s < inner_; ++s) {
          double squares = 0;
          for (int64_t j = first; j <= last; ++j) {
            const double v = LoadReal(x.data, dtype_, (n * channels_ + j) * inner_ + s);
            squares += v * v;
          }
          const int64_t i = (n * channels_ + c) * inner_ + s;
          const double denominator =
              std::pow(bias_ + alpha_ / static_cast<double>(size_) * squares, beta_);
          Store(outputs[0].data, dtype_, i, LoadReal(x.data, dtype_, i) / denominator);
        }
      }
    }
    return absl::OkStatus();
  }

 private:
  double alpha_ = 1e-4;
  double beta_ = 0.75;
  double bias_ = 1.0;
  int64_t size_ = 1;
  DType dtype_ = DType::kF32;
  int64_t batch_ = 0;
  int64_t channels_ = 0;
  int64_t inner_ = 0;
};

}  // namespace

KernelOrError CreateBatchNormalizationKernel(const KernelCreateArgs& args) {
  return BatchNormalizationKernel::Create(args);
}

KernelOrError CreateInstanceNormalizationKernel(const KernelCreateArgs& args) {
  return InstanceNormalizationKernel::Create(args);
}

KernelOrError CreateLrnKernel(const KernelCreateArgs& args) { return LrnKernel::Create(args); }

}  // namespace hb_dnn::kernels::nn
