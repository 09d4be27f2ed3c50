#include "tests/onnx_import/test_kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"

namespace hb_dnn::testing {
namespace {

using kernels::ConstTensorView;
using kernels::DType;
using kernels::KernelCreateArgs;
using kernels::KernelError;
using kernels::OpKernel;
using kernels::Shape;
using kernels::TensorInfo;
using kernels::TensorView;

using KernelOrError = absl::StatusOr<std::unique_ptr<OpKernel>>;

absl::Status NeedInputs(const char* op, const std::vector<TensorInfo>& inputs, size_t count) {
  if (inputs.size() < count) return KernelError(op, " needs ", count, " inputs");
  for (size_t k = 0; k < count; ++k) {
    if (!inputs[k].present()) return KernelError(op, ": input ", k, " is missing");
  }
  return absl::OkStatus();
}

// Copies the input (Identity, Reshape, Unsqueeze move no data).
absl::Status CopyFirstInput(const std::vector<ConstTensorView>& inputs,
                            const std::vector<TensorView>& outputs) {
  size_t bytes =
      static_cast<size_t>(inputs[0].num_elements()) * kernels::DTypeSize(inputs[0].dtype);
  if (bytes != 0) std::memcpy(outputs[0].data, inputs[0].data, bytes);
  return absl::OkStatus();
}

class ConvKernel : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<ConvKernel>();
    HB_ASSIGN_OR_RETURN(kernel->strides_, args.attributes.GetInts("strides", {1, 1}));
    HB_ASSIGN_OR_RETURN(kernel->pads_, args.attributes.GetInts("pads", {0, 0, 0, 0}));
    HB_ASSIGN_OR_RETURN(kernel->dilations_, args.attributes.GetInts("dilations", {1, 1}));
    HB_ASSIGN_OR_RETURN(kernel->group_, args.attributes.GetInt("group", 1));
    if (kernel->strides_.size() != 2 || kernel->pads_.size() != 4 ||
        kernel->dilations_.size() != 2 || kernel->group_ < 1) {
      return KernelError("test Conv supports 2-D convolutions only");
    }
    HB_ASSIGN_OR_RETURN(kernel->clamp_, kernels::ReadFusedClamp(args.attributes));
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(NeedInputs("Conv", inputs, 2));
    const Shape& x = inputs[0].shape;
    const Shape& w = inputs[1].shape;
    for (int d = 0; d < 2; ++d) {
      if (strides_[d] < 1 || dilations_[d] < 1 || pads_[d] < 0 || pads_[d + 2] < 0) {
        return KernelError("Conv: bad strides, dilations or pads");
      }
    }
    if (inputs[0].dtype != DType::kF32 || inputs[1].dtype != DType::kF32) {
      return KernelError("test Conv supports float32 only");
    }
    if (x.size() != 4 || w.size() != 4 || x[1] != w[1] * group_ || w[0] % group_ != 0) {
      return KernelError("Conv: input shapes ", kernels::ShapeString(x), " and ",
                         kernels::ShapeString(w), " do not match");
    }
    if (inputs.size() > 2 && inputs[2].present() &&
        (inputs[2].shape != Shape{w[0]} || inputs[2].dtype != DType::kF32)) {
      return KernelError("Conv: bias shape ", kernels::ShapeString(inputs[2].shape));
    }
    Shape out = {x[0], w[0], 0, 0};
    for (int d = 0; d < 2; ++d) {
      int64_t span = dilations_[d] * (w[2 + d] - 1) + 1;
      out[2 + d] = (x[2 + d] + pads_[d] + pads_[d + 2] - span) / strides_[d] + 1;
      if (out[2 + d] < 1) return KernelError("Conv: empty output");
    }
    outputs->assign(1, TensorInfo{DType::kF32, out, nullptr});
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const Shape& xs = inputs[0].shape;
    const Shape& ws = inputs[1].shape;
    const Shape& ys = outputs[0].shape;
    const float* x = inputs[0].as<float>();
    const float* w = inputs[1].as<float>();
    const float* b = inputs.size() > 2 && inputs[2].present() ? inputs[2].as<float>() : nullptr;
    float* y = outputs[0].as<float>();
    const int64_t c_per_group = ws[1];
    const int64_t m_per_group = ws[0] / group_;
    for (int64_t n = 0; n < ys[0]; ++n) {
      for (int64_t m = 0; m < ys[1]; ++m) {
        const int64_t g = m / m_per_group;
        for (int64_t oh = 0; oh < ys[2]; ++oh) {
          for (int64_t ow = 0; ow < ys[3]; ++ow) {
            double acc = b != nullptr ? b[m] : 0.0;
            for (int64_t c = 0; c < c_per_group; ++c) {
              const int64_t ic = g * c_per_group + c;
              for (int64_t kh = 0; kh < ws[2]; ++kh) {
                const int64_t ih = oh * strides_[0] - pads_[0] + kh * dilations_[0];
                if (ih < 0 || ih >= xs[2]) continue;
                for (int64_t kw = 0; kw < ws[3]; ++kw) {
                  const int64_t iw = ow * strides_[1] - pads_[1] + kw * dilations_[1];
                  if (iw < 0 || iw >= xs[3]) continue;
                  acc += static_cast<double>(x[((n * xs[1] + ic) * xs[2] + ih) * xs[3] + iw]) *
                         w[((m * ws[1] + c) * ws[2] + kh) * ws[3] + kw];
                }
              }
            }
            y[((n * ys[1] + m) * ys[2] + oh) * ys[3] + ow] = static_cast<float>(acc);
          }
        }
      }
    }
    if (clamp_.has_value()) {
      for (int64_t e = 0; e < outputs[0].num_elements(); ++e) {
        y[e] = std::min(std::max(y[e], clamp_->first), clamp_->second);
      }
    }
    return absl::OkStatus();
  }

 private:
  std::optional<std::pair<float, float>> clamp_;
  std::vector<int64_t> strides_, pads_, dilations_;
  int64_t group_ = 1;
};

class BatchNormKernel : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<BatchNormKernel>();
    HB_ASSIGN_OR_RETURN(kernel->epsilon_, args.attributes.GetFloat("epsilon", 1e-5f));
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(NeedInputs("BatchNormalization", inputs, 5));
    if (inputs[0].shape.size() < 2) return KernelError("BatchNormalization: rank < 2");
    for (int k = 0; k < 5; ++k) {
      if (inputs[k].dtype != DType::kF32)
        return KernelError("test BatchNormalization: not float32");
    }
    for (int k = 1; k < 5; ++k) {
      if (inputs[k].shape != Shape{inputs[0].shape[1]}) {
        return KernelError("BatchNormalization: parameter ", k, " has shape ",
                           kernels::ShapeString(inputs[k].shape));
      }
    }
    outputs->assign(1, TensorInfo{DType::kF32, inputs[0].shape, nullptr});
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const Shape& shape = inputs[0].shape;
    const int64_t channels = shape[1];
    const int64_t inner = inputs[0].num_elements() / (shape[0] * channels);
    const float* x = inputs[0].as<float>();
    float* y = outputs[0].as<float>();
    for (int64_t i = 0; i < inputs[0].num_elements(); ++i) {
      const int64_t c = (i / inner) % channels;
      const float scale = inputs[1].as<float>()[c];
      const float bias = inputs[2].as<float>()[c];
      const float mean = inputs[3].as<float>()[c];
      const float var = inputs[4].as<float>()[c];
      y[i] = scale * (x[i] - mean) / std::sqrt(var + epsilon_) + bias;
    }
    return absl::OkStatus();
  }

 private:
  float epsilon_ = 1e-5f;
};

class ReluKernel : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs&) {
    return std::unique_ptr<OpKernel>(new ReluKernel());
  }
  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(NeedInputs("Relu", inputs, 1));
    if (inputs[0].dtype != DType::kF32) return KernelError("test Relu supports float32 only");
    outputs->assign(1, TensorInfo{inputs[0].dtype, inputs[0].shape, nullptr});
    return absl::OkStatus();
  }
  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    for (int64_t i = 0; i < inputs[0].num_elements(); ++i) {
      outputs[0].as<float>()[i] = std::max(0.0f, inputs[0].as<float>()[i]);
    }
    return absl::OkStatus();
  }
};

class AddKernel : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs&) {
    return std::unique_ptr<OpKernel>(new AddKernel());
  }
  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(NeedInputs("Add", inputs, 2));
    if (inputs[0].dtype != DType::kF32 || inputs[1].dtype != DType::kF32) {
      return KernelError("test Add supports float32 only");
    }
    HB_ASSIGN_OR_RETURN(Shape out, kernels::BroadcastShapes(inputs[0].shape, inputs[1].shape));
    outputs->assign(1, TensorInfo{DType::kF32, out, nullptr});
    return absl::OkStatus();
  }
  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const Shape& out = outputs[0].shape;
    std::vector<int64_t> sa = kernels::BroadcastStrides(inputs[0].shape, out);
    std::vector<int64_t> sb = kernels::BroadcastStrides(inputs[1].shape, out);
    std::vector<int64_t> index(out.size(), 0);
    for (int64_t i = 0; i < outputs[0].num_elements(); ++i) {
      int64_t rest = i, ia = 0, ib = 0;
      for (size_t d = out.size(); d-- > 0;) {
        int64_t coordinate = rest % out[d];
        rest /= out[d];
        ia += coordinate * sa[d];
        ib += coordinate * sb[d];
      }
      outputs[0].as<float>()[i] = inputs[0].as<float>()[ia] + inputs[1].as<float>()[ib];
    }
    return absl::OkStatus();
  }
};

class IdentityKernel : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs&) {
    return std::unique_ptr<OpKernel>(new IdentityKernel());
  }
  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(NeedInputs("Identity", inputs, 1));
    outputs->assign(1, TensorInfo{inputs[0].dtype, inputs[0].shape, nullptr});
    return absl::OkStatus();
  }
  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    return CopyFirstInput(inputs, outputs);
  }
};

class ShapeKernel : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs&) {
    return std::unique_ptr<OpKernel>(new ShapeKernel());
  }
  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(NeedInputs("Shape", inputs, 1));
    outputs->assign(
        1, TensorInfo{DType::kI64, {static_cast<int64_t>(inputs[0].shape.size())}, nullptr});
    return absl::OkStatus();
  }
  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    for (size_t d = 0; d < inputs[0].shape.size(); ++d) {
      outputs[0].as<int64_t>()[d] = inputs[0].shape[d];
    }
    return absl::OkStatus();
  }
};

class SizeKernel : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs&) {
    return std::unique_ptr<OpKernel>(new SizeKernel());
  }
  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(NeedInputs("Size", inputs, 1));
    size_ = inputs[0].num_elements();
    outputs->assign(1, TensorInfo{DType::kI64, {}, &size_});
    return absl::OkStatus();
  }
  absl::Status Run(const std::vector<ConstTensorView>&,
                   const std::vector<TensorView>& outputs) const override {
    *outputs[0].as<int64_t>() = size_;
    return absl::OkStatus();
  }

 private:
  int64_t size_ = 0;
};

class GatherKernel : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<GatherKernel>();
    HB_ASSIGN_OR_RETURN(kernel->axis_, args.attributes.GetInt("axis", 0));
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }
  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(NeedInputs("Gather", inputs, 2));
    if (inputs[1].dtype != DType::kI64) return KernelError("test Gather needs int64 indices");
    const Shape& data = inputs[0].shape;
    HB_ASSIGN_OR_RETURN(
        axis_, kernels::NormalizeAxis(axis_, static_cast<int64_t>(data.size()), "Gather axis"));
    Shape out(data.begin(), data.begin() + axis_);
    out.insert(out.end(), inputs[1].shape.begin(), inputs[1].shape.end());
    out.insert(out.end(), data.begin() + axis_ + 1, data.end());
    outputs->assign(1, TensorInfo{inputs[0].dtype, out, nullptr});
    return absl::OkStatus();
  }
  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const Shape& data = inputs[0].shape;
    const size_t element = kernels::DTypeSize(inputs[0].dtype);
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < axis_; ++d) outer *= data[d];
    for (size_t d = axis_ + 1; d < data.size(); ++d) inner *= data[d];
    const int64_t count = inputs[1].num_elements();
    const char* src = static_cast<const char*>(inputs[0].data);
    char* dst = static_cast<char*>(outputs[0].data);
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t k = 0; k < count; ++k) {
        int64_t index = inputs[1].as<int64_t>()[k];
        if (index < 0) index += data[axis_];
        if (index < 0 || index >= data[axis_]) return KernelError("Gather: index out of range");
        std::memcpy(dst + ((o * count + k) * inner) * element,
                    src + ((o * data[axis_] + index) * inner) * element, inner * element);
      }
    }
    return absl::OkStatus();
  }

 private:
  int64_t axis_ = 0;
};

class UnsqueezeKernel : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<UnsqueezeKernel>();
    kernel->axes_from_input_ = args.opset_version >= 13;
    HB_ASSIGN_OR_RETURN(kernel->axes_, args.attributes.GetInts("axes"));
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }
  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(NeedInputs("Unsqueeze", inputs, axes_from_input_ ? 2 : 1));
    std::vector<int64_t> axes = axes_;
    if (axes_from_input_) {
      HB_ASSIGN_OR_RETURN(axes, kernels::ConstantInts(inputs[1], "Unsqueeze axes"));
    }
    const int64_t rank = static_cast<int64_t>(inputs[0].shape.size() + axes.size());
    std::vector<bool> inserted(rank, false);
    for (int64_t axis : axes) {
      HB_ASSIGN_OR_RETURN(int64_t a, kernels::NormalizeAxis(axis, rank, "Unsqueeze axis"));
      if (inserted[a]) return KernelError("Unsqueeze: axis ", axis, " repeated");
      inserted[a] = true;
    }
    Shape out;
    size_t next = 0;
    for (int64_t d = 0; d < rank; ++d) {
      out.push_back(inserted[d] ? 1 : inputs[0].shape[next++]);
    }
    outputs->assign(1, TensorInfo{inputs[0].dtype, out, nullptr});
    return absl::OkStatus();
  }
  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    return CopyFirstInput(inputs, outputs);
  }

 private:
  bool axes_from_input_ = true;
  std::vector<int64_t> axes_;
};

class ConcatKernel : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<ConcatKernel>();
    HB_ASSIGN_OR_RETURN(kernel->axis_, args.attributes.GetInt("axis", 0));
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }
  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(NeedInputs("Concat", inputs, 1));
    Shape out = inputs[0].shape;
    HB_ASSIGN_OR_RETURN(
        axis_, kernels::NormalizeAxis(axis_, static_cast<int64_t>(out.size()), "Concat axis"));
    for (size_t k = 1; k < inputs.size(); ++k) {
      if (!inputs[k].present() || inputs[k].shape.size() != out.size() ||
          inputs[k].dtype != inputs[0].dtype) {
        return KernelError("Concat: input ", k, " does not match input 0");
      }
      for (size_t d = 0; d < out.size(); ++d) {
        if (static_cast<int64_t>(d) != axis_ && inputs[k].shape[d] != out[d]) {
          return KernelError("Concat: input ", k, " does not match input 0");
        }
      }
      out[axis_] += inputs[k].shape[axis_];
    }
    outputs->assign(1, TensorInfo{inputs[0].dtype, out, nullptr});
    return absl::OkStatus();
  }
  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const size_t element = kernels::DTypeSize(outputs[0].dtype);
    int64_t outer = 1;
    for (int64_t d = 0; d < axis_; ++d) outer *= outputs[0].shape[d];
    char* dst = static_cast<char*>(outputs[0].data);
    for (int64_t o = 0; o < outer; ++o) {
      for (const ConstTensorView& input : inputs) {
        const int64_t block = input.num_elements() / outer * static_cast<int64_t>(element);
        std::memcpy(dst, static_cast<const char*>(input.data) + o * block, block);
        dst += block;
      }
    }
    return absl::OkStatus();
  }

 private:
  int64_t axis_ = 0;
};

class ReshapeKernel : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs&) {
    return std::unique_ptr<OpKernel>(new ReshapeKernel());
  }
  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(NeedInputs("Reshape", inputs, 2));
    HB_ASSIGN_OR_RETURN(Shape out, kernels::ConstantInts(inputs[1], "Reshape input 1 'shape'"));
    int64_t known = 1;
    int infer = -1;
    for (size_t d = 0; d < out.size(); ++d) {
      if (out[d] == 0) {
        if (d >= inputs[0].shape.size()) return KernelError("Reshape: 0 beyond the input rank");
        out[d] = inputs[0].shape[d];
      }
      if (out[d] == -1) {
        if (infer >= 0) return KernelError("Reshape: two -1 dimensions");
        infer = static_cast<int>(d);
      } else if (out[d] < 0 || out[d] > (int64_t{1} << 31)) {
        return KernelError("Reshape: bad dimension ", out[d]);
      } else {
        if (out[d] != 0 && known > (int64_t{1} << 40) / out[d]) {
          return KernelError("Reshape: shape too large");
        }
        known *= out[d];
      }
    }
    if (infer >= 0) out[infer] = known == 0 ? 0 : inputs[0].num_elements() / known;
    if (kernels::NumElements(out) != inputs[0].num_elements()) {
      return KernelError("Reshape: ", kernels::ShapeString(inputs[0].shape), " cannot become ",
                         kernels::ShapeString(out));
    }
    outputs->assign(1, TensorInfo{inputs[0].dtype, out, nullptr});
    return absl::OkStatus();
  }
  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    return CopyFirstInput(inputs, outputs);
  }
};

// MaxPool (2-D): kernel_shape, strides, pads, ceil_mode; the Indices output is not computed.
class MaxPoolKernel : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<MaxPoolKernel>();
    HB_ASSIGN_OR_RETURN(kernel->kernel_, args.attributes.GetInts("kernel_shape"));
    HB_ASSIGN_OR_RETURN(kernel->strides_, args.attributes.GetInts("strides", {1, 1}));
    HB_ASSIGN_OR_RETURN(kernel->pads_, args.attributes.GetInts("pads", {0, 0, 0, 0}));
    HB_ASSIGN_OR_RETURN(kernel->ceil_mode_, args.attributes.GetInt("ceil_mode", 0));
    if (kernel->kernel_.size() != 2 || kernel->strides_.size() != 2 || kernel->pads_.size() != 4) {
      return KernelError("test MaxPool supports 2-D pooling only");
    }
    for (int d = 0; d < 2; ++d) {
      if (kernel->kernel_[d] < 1 || kernel->strides_[d] < 1 || kernel->pads_[d] < 0 ||
          kernel->pads_[d + 2] < 0) {
        return KernelError("MaxPool: bad attributes");
      }
    }
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(NeedInputs("MaxPool", inputs, 1));
    const Shape& x = inputs[0].shape;
    if (x.size() != 4 || inputs[0].dtype != DType::kF32) return KernelError("MaxPool: not 4-D f32");
    Shape out = {x[0], x[1], 0, 0};
    for (int d = 0; d < 2; ++d) {
      const int64_t span = x[2 + d] + pads_[d] + pads_[d + 2] - kernel_[d];
      int64_t size =
          (ceil_mode_ != 0 ? (span + strides_[d] - 1) / strides_[d] : span / strides_[d]) + 1;
      // A window must start inside the input or its leading padding.
      if (ceil_mode_ != 0 && (size - 1) * strides_[d] >= x[2 + d] + pads_[d]) --size;
      if (size < 1) return KernelError("MaxPool: empty output");
      out[2 + d] = size;
    }
    outputs->assign(1, TensorInfo{DType::kF32, out, nullptr});
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const Shape& xs = inputs[0].shape;
    const Shape& ys = outputs[0].shape;
    const float* x = inputs[0].as<float>();
    float* y = outputs[0].as<float>();
    for (int64_t nc = 0; nc < ys[0] * ys[1]; ++nc) {
      for (int64_t oh = 0; oh < ys[2]; ++oh) {
        for (int64_t ow = 0; ow < ys[3]; ++ow) {
          float best = -std::numeric_limits<float>::infinity();
          for (int64_t kh = 0; kh < kernel_[0]; ++kh) {
            const int64_t ih = oh * strides_[0] - pads_[0] + kh;
            if (ih < 0 || ih >= xs[2]) continue;
            for (int64_t kw = 0; kw < kernel_[1]; ++kw) {
              const int64_t iw = ow * strides_[1] - pads_[1] + kw;
              if (iw < 0 || iw >= xs[3]) continue;
              best = std::max(best, x[(nc * xs[2] + ih) * xs[3] + iw]);
            }
          }
          y[(nc * ys[2] + oh) * ys[3] + ow] = best;
        }
      }
    }
    return absl::OkStatus();
  }

 private:
  std::vector<int64_t> kernel_, strides_, pads_;
  int64_t ceil_mode_ = 0;
};

class GlobalAveragePoolKernel : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs&) {
    return std::unique_ptr<OpKernel>(new GlobalAveragePoolKernel());
  }
  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(NeedInputs("GlobalAveragePool", inputs, 1));
    const Shape& x = inputs[0].shape;
    if (x.size() < 3 || inputs[0].dtype != DType::kF32)
      return KernelError("GlobalAveragePool: bad input");
    Shape out(x.size(), 1);
    out[0] = x[0];
    out[1] = x[1];
    outputs->assign(1, TensorInfo{DType::kF32, out, nullptr});
    return absl::OkStatus();
  }
  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const int64_t planes = outputs[0].num_elements();
    const int64_t area = planes == 0 ? 0 : inputs[0].num_elements() / planes;
    for (int64_t p = 0; p < planes; ++p) {
      double sum = 0;
      for (int64_t i = 0; i < area; ++i) sum += inputs[0].as<float>()[p * area + i];
      outputs[0].as<float>()[p] = static_cast<float>(sum / static_cast<double>(area));
    }
    return absl::OkStatus();
  }
};

class FlattenKernel : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<FlattenKernel>();
    HB_ASSIGN_OR_RETURN(kernel->axis_, args.attributes.GetInt("axis", 1));
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }
  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(NeedInputs("Flatten", inputs, 1));
    const Shape& x = inputs[0].shape;
    const int64_t rank = static_cast<int64_t>(x.size());
    int64_t axis = axis_ < 0 ? axis_ + rank : axis_;
    if (axis < 0 || axis > rank) return KernelError("Flatten: axis ", axis_, " outside rank");
    int64_t outer = 1;
    for (int64_t d = 0; d < axis; ++d) outer *= x[d];
    outputs->assign(1, TensorInfo{inputs[0].dtype,
                                  {outer, outer == 0 ? 0 : inputs[0].num_elements() / outer},
                                  nullptr});
    return absl::OkStatus();
  }
  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    return CopyFirstInput(inputs, outputs);
  }

 private:
  int64_t axis_ = 1;
};

// Clip: min/max attributes before opset 11, optional inputs from 11.
class ClipKernel : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<ClipKernel>();
    kernel->bounds_from_inputs_ = args.opset_version >= 11;
    HB_ASSIGN_OR_RETURN(kernel->min_, args.attributes.GetFloat("min", -3.4028235e38f));
    HB_ASSIGN_OR_RETURN(kernel->max_, args.attributes.GetFloat("max", 3.4028235e38f));
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }
  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(NeedInputs("Clip", inputs, 1));
    if (inputs[0].dtype != DType::kF32) return KernelError("test Clip supports float32 only");
    if (bounds_from_inputs_) {
      for (size_t k = 1; k < inputs.size() && k < 3; ++k) {
        if (!inputs[k].present()) continue;
        HB_ASSIGN_OR_RETURN(std::vector<float> bound,
                            kernels::ConstantFloats(inputs[k], "Clip bound"));
        if (bound.size() != 1) return KernelError("Clip: bound is not a scalar");
        (k == 1 ? min_ : max_) = bound[0];
      }
    }
    outputs->assign(1, TensorInfo{DType::kF32, inputs[0].shape, nullptr});
    return absl::OkStatus();
  }
  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    for (int64_t i = 0; i < inputs[0].num_elements(); ++i) {
      outputs[0].as<float>()[i] = std::min(max_, std::max(min_, inputs[0].as<float>()[i]));
    }
    return absl::OkStatus();
  }

 private:
  bool bounds_from_inputs_ = true;
  float min_ = 0, max_ = 0;
};

// Gemm: Y = alpha * A' * B' + beta * C, C of shape (N) or (M, N).
class GemmKernel : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<GemmKernel>();
    HB_ASSIGN_OR_RETURN(kernel->trans_a_, args.attributes.GetInt("transA", 0));
    HB_ASSIGN_OR_RETURN(kernel->trans_b_, args.attributes.GetInt("transB", 0));
    HB_ASSIGN_OR_RETURN(kernel->alpha_, args.attributes.GetFloat("alpha", 1.0f));
    HB_ASSIGN_OR_RETURN(kernel->beta_, args.attributes.GetFloat("beta", 1.0f));
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }
  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(NeedInputs("Gemm", inputs, 2));
    const Shape& a = inputs[0].shape;
    const Shape& b = inputs[1].shape;
    if (a.size() != 2 || b.size() != 2 || inputs[0].dtype != DType::kF32 ||
        inputs[1].dtype != DType::kF32) {
      return KernelError("Gemm: needs 2-D float32 inputs");
    }
    m_ = trans_a_ ? a[1] : a[0];
    k_ = trans_a_ ? a[0] : a[1];
    n_ = trans_b_ ? b[0] : b[1];
    if ((trans_b_ ? b[1] : b[0]) != k_) return KernelError("Gemm: inner dimensions differ");
    if (inputs.size() > 2 && inputs[2].present()) {
      const Shape& c = inputs[2].shape;
      if (inputs[2].dtype != DType::kF32 || !(c == Shape{n_} || c == Shape{m_, n_})) {
        return KernelError("test Gemm supports C of shape (N) or (M, N)");
      }
    }
    outputs->assign(1, TensorInfo{DType::kF32, {m_, n_}, nullptr});
    return absl::OkStatus();
  }
  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const float* a = inputs[0].as<float>();
    const float* b = inputs[1].as<float>();
    const bool has_c = inputs.size() > 2 && inputs[2].present();
    for (int64_t i = 0; i < m_; ++i) {
      for (int64_t j = 0; j < n_; ++j) {
        double acc = 0;
        for (int64_t k = 0; k < k_; ++k) {
          acc += static_cast<double>(trans_a_ ? a[k * m_ + i] : a[i * k_ + k]) *
                 (trans_b_ ? b[j * k_ + k] : b[k * n_ + j]);
        }
        double c = 0;
        if (has_c)
          c = inputs[2].shape.size() == 1 ? inputs[2].as<float>()[j]
                                          : inputs[2].as<float>()[i * n_ + j];
        outputs[0].as<float>()[i * n_ + j] = static_cast<float>(alpha_ * acc + beta_ * c);
      }
    }
    return absl::OkStatus();
  }

 private:
  int64_t trans_a_ = 0, trans_b_ = 0, m_ = 0, k_ = 0, n_ = 0;
  float alpha_ = 1, beta_ = 1;
};

// ConstantOfShape: constant int64 input = output shape, filled with the one-element `value`
// attribute (default float32 0).
class ConstantOfShapeKernel : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<ConstantOfShapeKernel>();
    if (args.attributes.Has("value")) {
      HB_ASSIGN_OR_RETURN(const kernels::AttributeTensor* value,
                          args.attributes.GetTensor("value"));
      if (value->bytes.size() != kernels::DTypeSize(value->dtype)) {
        return KernelError("ConstantOfShape: value must hold one element");
      }
      kernel->dtype_ = value->dtype;
      kernel->value_ = value->bytes;
    } else {
      kernel->value_.assign(sizeof(float), '\0');
    }
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }
  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(NeedInputs("ConstantOfShape", inputs, 1));
    HB_ASSIGN_OR_RETURN(Shape shape, kernels::ConstantInts(inputs[0], "ConstantOfShape shape"));
    for (int64_t d : shape) {
      if (d < 0 || d > 4096) return KernelError("ConstantOfShape: bad dimension ", d);
    }
    outputs->assign(1, TensorInfo{dtype_, shape, nullptr});
    return absl::OkStatus();
  }
  absl::Status Run(const std::vector<ConstTensorView>&,
                   const std::vector<TensorView>& outputs) const override {
    char* dst = static_cast<char*>(outputs[0].data);
    for (int64_t i = 0; i < outputs[0].num_elements(); ++i) {
      std::memcpy(dst + i * value_.size(), value_.data(), value_.size());
    }
    return absl::OkStatus();
  }

 private:
  DType dtype_ = DType::kF32;
  std::string value_;
};

template <typename Kernel>
kernels::OpRegistration Registration(const char* op_type) {
  return {"", op_type, 1, 17, kernels::KernelVariant::kReference, kernels::MakeFactory<Kernel>()};
}

}  // namespace

const kernels::OpRegistry& TestRegistry() {
  static const kernels::OpRegistry* registry = [] {
    auto* r = new kernels::OpRegistry();
    r->Add(Registration<ConvKernel>("Conv"));
    r->Add(Registration<BatchNormKernel>("BatchNormalization"));
    r->Add(Registration<ReluKernel>("Relu"));
    r->Add(Registration<AddKernel>("Add"));
    r->Add(Registration<IdentityKernel>("Identity"));
    r->Add(Registration<ShapeKernel>("Shape"));
    r->Add(Registration<SizeKernel>("Size"));
    r->Add(Registration<GatherKernel>("Gather"));
    r->Add(Registration<UnsqueezeKernel>("Unsqueeze"));
    r->Add(Registration<ConcatKernel>("Concat"));
    r->Add(Registration<ReshapeKernel>("Reshape"));
    r->Add(Registration<MaxPoolKernel>("MaxPool"));
    r->Add(Registration<GlobalAveragePoolKernel>("GlobalAveragePool"));
    r->Add(Registration<FlattenKernel>("Flatten"));
    r->Add(Registration<ClipKernel>("Clip"));
    r->Add(Registration<GemmKernel>("Gemm"));
    r->Add(Registration<ConstantOfShapeKernel>("ConstantOfShape"));
    return r;
  }();
  return *registry;
}

}  // namespace hb_dnn::testing
