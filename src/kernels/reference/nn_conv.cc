// Conv and ConvTranspose reference kernels: direct loops over N-D spatial windows, one output
// element at a time (a gather, also for ConvTranspose), accumulating in double the bias and then
// the products in kernel-position-major, input-channel-minor order. Padded positions contribute
// nothing (they are skipped, not multiplied by zero).

#include <algorithm>
#include <memory>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/reference/nn_kernels.h"
#include "src/kernels/reference/nn_util.h"

namespace hb_dnn::kernels::nn {
namespace {

// Floor division (rounds toward negative infinity), for paddings derived from a negative total.
int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// Validates the parts Conv and ConvTranspose share: X/W/B dtypes and ranks, and kernel_shape
// against W. Fills *plan as for a Conv (ConvPlanOf) and plan->has_bias.
absl::Status CheckConvInputs(const char* op, const std::vector<TensorInfo>& inputs,
                             const WindowAttributes& window, int64_t group, ConvPlan* plan) {
  if (inputs.size() < 2 || inputs.size() > 3 || !inputs[0].present() || !inputs[1].present()) {
    return KernelError(op, ": expected inputs X, W and optional B, got ", inputs.size(), " inputs");
  }
  const TensorInfo& x = inputs[0];
  const TensorInfo& w = inputs[1];
  HB_RETURN_IF_ERROR(CheckDType(op, x, "input 0 'X'", {DType::kF32, DType::kF64}));
  HB_RETURN_IF_ERROR(CheckSameDType(op, w, "input 1 'W'", x.dtype));
  if (x.shape.size() < 3) {
    return KernelError(op, ": input 0 'X' has shape ", ShapeString(x.shape),
                       " but needs rank >= 3 (N, C, spatial...)");
  }
  if (w.shape.size() != x.shape.size()) {
    return KernelError(op, ": input 1 'W' has shape ", ShapeString(w.shape), " but ", op,
                       " needs rank ", x.shape.size(), " like X ", ShapeString(x.shape));
  }
  *plan = ConvPlanOf(x, w, group);
  HB_RETURN_IF_ERROR(CheckConvKernelShape(op, window, plan->kernel, w));
  plan->has_bias = inputs.size() > 2 && inputs[2].present();
  if (plan->has_bias) HB_RETURN_IF_ERROR(CheckSameDType(op, inputs[2], "input 2 'B'", x.dtype));
  return absl::OkStatus();
}

template <typename T>
void RunConv(const ConvPlan& p, const T* x, const T* w, const T* b, T* y) {
  const size_t rank = p.input.size();
  const int64_t in_size = NumElements(p.input);
  const int64_t out_size = NumElements(p.output);
  const int64_t kernel_size = NumElements(p.kernel);
  const int64_t cg = p.channels_per_group();
  const int64_t mg = p.outputs_per_group();
  int64_t in_strides[kNnMaxRank];
  for (size_t d = rank; d-- > 0;) {
    in_strides[d] = d + 1 == rank ? 1 : in_strides[d + 1] * p.input[d + 1];
  }
  for (int64_t n = 0; n < p.batch; ++n) {
    for (int64_t m = 0; m < p.out_channels; ++m) {
      const int64_t g = m / mg;
      const T* x_g = x + (n * p.in_channels + g * cg) * in_size;
      const T* w_m = w + m * cg * kernel_size;
      T* y_nm = y + (n * p.out_channels + m) * out_size;
      int64_t o[kNnMaxRank] = {};
      for (int64_t out_index = 0; out_index < out_size; ++out_index) {
        int64_t origin[kNnMaxRank];
        for (size_t d = 0; d < rank; ++d) origin[d] = o[d] * p.strides[d] - p.pad_begin[d];
        double acc = b != nullptr ? static_cast<double>(b[m]) : 0.0;
        int64_t k[kNnMaxRank] = {};
        for (int64_t k_index = 0; k_index < kernel_size; ++k_index) {
          int64_t offset = 0;
          bool inside = true;
          for (size_t d = 0; d < rank; ++d) {
            const int64_t pos = origin[d] + k[d] * p.dilations[d];
            if (pos < 0 || pos >= p.input[d]) {
              inside = false;
              break;
            }
            offset += pos * in_strides[d];
          }
          if (inside) {
            for (int64_t c = 0; c < cg; ++c) {
              acc += static_cast<double>(x_g[c * in_size + offset]) *
                     static_cast<double>(w_m[c * kernel_size + k_index]);
            }
          }
          NextIndex(p.kernel.data(), rank, k);
        }
        y_nm[out_index] = static_cast<T>(acc);
        NextIndex(p.output.data(), rank, o);
      }
    }
  }
}

// ConvTranspose as a gather: output position o receives X[i] * W[k] for every i, k with
// i * stride + k * dilation == o + pad_begin.
template <typename T>
void RunConvTranspose(const ConvPlan& p, const T* x, const T* w, const T* b, T* y) {
  const size_t rank = p.input.size();
  const int64_t in_size = NumElements(p.input);
  const int64_t out_size = NumElements(p.output);
  const int64_t kernel_size = NumElements(p.kernel);
  const int64_t cg = p.channels_per_group();
  const int64_t mg = p.outputs_per_group();
  int64_t in_strides[kNnMaxRank];
  for (size_t d = rank; d-- > 0;) {
    in_strides[d] = d + 1 == rank ? 1 : in_strides[d + 1] * p.input[d + 1];
  }
  for (int64_t n = 0; n < p.batch; ++n) {
    for (int64_t m = 0; m < p.out_channels; ++m) {
      const int64_t g = m / mg;
      const int64_t m_in_group = m % mg;
      const T* x_g = x + (n * p.in_channels + g * cg) * in_size;
      const T* w_g = w + g * cg * mg * kernel_size;
      T* y_nm = y + (n * p.out_channels + m) * out_size;
      int64_t o[kNnMaxRank] = {};
      for (int64_t out_index = 0; out_index < out_size; ++out_index) {
        double acc = b != nullptr ? static_cast<double>(b[m]) : 0.0;
        int64_t k[kNnMaxRank] = {};
        for (int64_t k_index = 0; k_index < kernel_size; ++k_index) {
          int64_t offset = 0;
          bool hit = true;
          for (size_t d = 0; d < rank; ++d) {
            const int64_t t = o[d] + p.pad_begin[d] - k[d] * p.dilations[d];
            if (t < 0 || t % p.strides[d] != 0 || t / p.strides[d] >= p.input[d]) {
              hit = false;
              break;
            }
            offset += (t / p.strides[d]) * in_strides[d];
          }
          if (hit) {
            for (int64_t c = 0; c < cg; ++c) {
              // X channel g * cg + c, W[g * cg + c, m_in_group].
              acc += static_cast<double>(x_g[c * in_size + offset]) *
                     static_cast<double>(w_g[(c * mg + m_in_group) * kernel_size + k_index]);
            }
          }
          NextIndex(p.kernel.data(), rank, k);
        }
        y_nm[out_index] = static_cast<T>(acc);
        NextIndex(p.output.data(), rank, o);
      }
    }
  }
}

class ConvKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<ConvKernel>();
    HB_ASSIGN_OR_RETURN(kernel->window_, ReadWindowAttributes(args.attributes, "Conv"));
    HB_ASSIGN_OR_RETURN(kernel->group_, ReadConvGroup(args.attributes, "Conv"));
    HB_ASSIGN_OR_RETURN(kernel->clamp_, ReadFusedClamp(args.attributes));
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    ConvPlan plan;
    HB_RETURN_IF_ERROR(CheckConvInputs("Conv", inputs, window_, group_, &plan));
    const TensorInfo& x = inputs[0];
    HB_RETURN_IF_ERROR(CheckConvGroups("Conv", x, inputs[1], plan, /*require_outputs=*/false));
    if (plan.has_bias) {
      HB_RETURN_IF_ERROR(CheckShape("Conv", inputs[2], "input 2 'B'", {plan.out_channels}));
    }
    HB_RETURN_IF_ERROR(ResolveConvWindow("Conv", window_, &plan));
    outputs->assign(1, TensorInfo{x.dtype, plan.OutputShape(), nullptr});
    dtype_ = x.dtype;
    plan_ = std::move(plan);
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const bool bias = plan_.has_bias;
    if (dtype_ == DType::kF64) {
      RunConv<double>(plan_, inputs[0].as<double>(), inputs[1].as<double>(),
                      bias ? inputs[2].as<double>() : nullptr, outputs[0].as<double>());
    } else {
      RunConv<float>(plan_, inputs[0].as<float>(), inputs[1].as<float>(),
                     bias ? inputs[2].as<float>() : nullptr, outputs[0].as<float>());
    }
    if (clamp_.has_value()) {
      // The fused Relu/Clip, applied exactly as the separate op would (std::min/max on the
      // rounded output value).
      const int64_t n = outputs[0].num_elements();
      if (dtype_ == DType::kF64) {
        double* y = outputs[0].as<double>();
        for (int64_t i = 0; i < n; ++i) y[i] = std::min<double>(std::max<double>(y[i], clamp_->first), clamp_->second);
      } else {
        float* y = outputs[0].as<float>();
        for (int64_t i = 0; i < n; ++i) y[i] = std::min(std::max(y[i], clamp_->first), clamp_->second);
      }
    }
    return absl::OkStatus();
  }

 private:
  WindowAttributes window_;
  std::optional<std::pair<float, float>> clamp_;
  int64_t group_ = 1;
  DType dtype_ = DType::kF32;
  ConvPlan plan_;
};

class ConvTransposeKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<ConvTransposeKernel>();
    const Attributes& attributes = args.attributes;
    HB_ASSIGN_OR_RETURN(kernel->window_, ReadWindowAttributes(attributes, "ConvTranspose"));
    HB_ASSIGN_OR_RETURN(kernel->group_, attributes.GetInt("group", 1));
    HB_ASSIGN_OR_RETURN(kernel->output_padding_, attributes.GetInts("output_padding"));
    HB_ASSIGN_OR_RETURN(kernel->output_shape_, attributes.GetInts("output_shape"));
    if (kernel->group_ < 1) {
      return KernelError("ConvTranspose: attribute 'group' is ", kernel->group_, ", must be >= 1");
    }
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    constexpr char kOp[] = "ConvTranspose";
    ConvPlan plan;
    HB_RETURN_IF_ERROR(CheckConvInputs(kOp, inputs, window_, group_, &plan));
    const TensorInfo& x = inputs[0];
    const TensorInfo& w = inputs[1];
    const size_t rank = plan.input.size();
    if (w.shape[0] != plan.in_channels || plan.in_channels % group_ != 0) {
      return KernelError(kOp, ": input 1 'W' has shape ", ShapeString(w.shape), " but X ",
                         ShapeString(x.shape), " with group ", group_,
                         " needs W dimension 0 = C = ", plan.in_channels,
                         " and C a multiple of group");
    }
    plan.out_channels = w.shape[1] * group_;
    if (plan.has_bias) {
      HB_RETURN_IF_ERROR(CheckShape(kOp, inputs[2], "input 2 'B'", {plan.out_channels}));
    }
    for (int64_t k : plan.kernel) {
      if (k < 1)
        return KernelError(kOp, ": input 1 'W' has an empty kernel ", ShapeString(w.shape));
    }
    std::vector<int64_t> pad_end;
    HB_RETURN_IF_ERROR(ResolveWindowDefaults(window_, rank, kOp, &plan.strides, &plan.dilations,
                                             &plan.pad_begin, &pad_end));
    std::vector<int64_t> output_padding =
        output_padding_.empty() ? std::vector<int64_t>(rank, 0) : output_padding_;
    if (output_padding.size() != rank) {
      return KernelError(kOp, ": attribute 'output_padding' ", IntsString(output_padding_), " has ",
                         output_padding_.size(), " values for ", rank, " spatial dimensions");
    }
    for (int64_t v : output_padding) {
      if (v < 0) {
        return KernelError(kOp, ": attribute 'output_padding' ", IntsString(output_padding_),
                           " must be non-negative");
      }
    }
    // output_shape may list the spatial sizes or the whole output shape.
    std::vector<int64_t> output_shape = output_shape_;
    if (output_shape.size() == rank + 2)
      output_shape.erase(output_shape.begin(), output_shape.begin() + 2);
    if (!output_shape_.empty() && output_shape.size() != rank) {
      return KernelError(kOp, ": attribute 'output_shape' ", IntsString(output_shape_), " has ",
                         output_shape_.size(), " values for ", rank, " spatial dimensions");
    }
    plan.output.assign(rank, 0);
    for (size_t i = 0; i < rank; ++i) {
      // The output size before any padding is cut off.
      const int64_t full = plan.strides[i] * (plan.input[i] - 1) + output_padding[i] +
                           plan.dilations[i] * (plan.kernel[i] - 1) + 1;
      if (!output_shape.empty() || window_.auto_pad == AutoPad::kSameUpper ||
          window_.auto_pad == AutoPad::kSameLower) {
        // The total padding follows from the requested size and is split in half, the odd
        // element at the end for SAME_UPPER and at the beginning otherwise. A negative total
        // (output larger than the full result) extends the output with bias-only positions.
        const int64_t out =
            !output_shape.empty() ? output_shape[i] : plan.input[i] * plan.strides[i];
        const int64_t total = full - out;
        const int64_t half = FloorDiv(total, 2);
        plan.pad_begin[i] = window_.auto_pad == AutoPad::kSameUpper ? half : total - half;
        plan.output[i] = out;
      } else {
        if (window_.auto_pad == AutoPad::kValid) {
          plan.pad_begin[i] = 0;
          pad_end[i] = 0;
        }
        plan.output[i] = full - plan.pad_begin[i] - pad_end[i];
      }
      if (plan.output[i] < 1) {
        return KernelError(kOp, ": spatial dimension ", i, " of size ", plan.input[i],
                           " gives output size ", plan.output[i]);
      }
    }
    outputs->assign(1, TensorInfo{x.dtype, plan.OutputShape(), nullptr});
    dtype_ = x.dtype;
    plan_ = std::move(plan);
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const bool bias = plan_.has_bias;
    if (dtype_ == DType::kF64) {
      RunConvTranspose<double>(plan_, inputs[0].as<double>(), inputs[1].as<double>(),
                               bias ? inputs[2].as<double>() : nullptr, outputs[0].as<double>());
    } else {
      RunConvTranspose<float>(plan_, inputs[0].as<float>(), inputs[1].as<float>(),
                              bias ? inputs[2].as<float>() : nullptr, outputs[0].as<float>());
    }
    return absl::OkStatus();
  }

 private:
  WindowAttributes window_;
  int64_t group_ = 1;
  std::vector<int64_t> output_padding_;
  std::vector<int64_t> output_shape_;
  DType dtype_ = DType::kF32;
  ConvPlan plan_;
};

}  // namespace

KernelOrError CreateConvKernel(const KernelCreateArgs& args) { return ConvKernel::Create(args); }

KernelOrError CreateConvTransposeKernel(const KernelCreateArgs& args) {
  return ConvTransposeKernel::Create(args);
}

}  // namespace hb_dnn::kernels::nn
