// int8 pooling reference kernels (hb_dnn.bpu) over NCHW int8 data:
// - MaxPool: the window maximum, same scale (no requantization); padded positions never win.
// - AveragePool: the int32 window sum requantized with M = x_scale / (y_scale * count), count
//   being the positions counted by ONNX (inside the input, plus those inside the explicit
//   padding with count_include_pad; positions past the padding that ceil_mode adds never count).
// - GlobalAveragePool: the plane sum with M = x_scale / (y_scale * H * W).
// The multiplier of every possible count is computed once at Prepare.

#include <cstdint>
#include <memory>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/int8/reference/int8_kernels.h"
#include "src/kernels/int8/reference/int8_util.h"
#include "src/kernels/int8/requantize.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/reference/nn_util.h"

namespace hb_dnn::kernels::int8 {
namespace {

struct PoolPlan {
  int64_t planes = 0;  // N * C
  int64_t in_h = 0;
  int64_t in_w = 0;
  nn::WindowGeometry g;
};

// Reads the window attributes (kernel_shape required, 2-D, explicit pads only) and ceil_mode.
absl::Status ReadPoolWindow(const char* op, const Attributes& attributes,
                            nn::WindowAttributes* window, bool* ceil_mode) {
  HB_ASSIGN_OR_RETURN(*window, nn::ReadWindowAttributes(attributes, op));
  if (window->auto_pad != nn::AutoPad::kNotSet) {
    return KernelError(op, ": attribute 'auto_pad' must be NOTSET; the int8 ", op,
                       " takes explicit 'pads' only");
  }
  if (window->kernel_shape.size() != 2) {
    return KernelError(op, ": attribute 'kernel_shape' is ", nn::IntsString(window->kernel_shape),
                       "; the int8 ", op, " needs 2 values (kh, kw)");
  }
  HB_ASSIGN_OR_RETURN(int64_t ceil, attributes.GetInt("ceil_mode", 0));
  *ceil_mode = ceil != 0;
  return absl::OkStatus();
}

// Reads the attributes x_scale and y_scale of an averaging pool.
absl::Status ReadPoolScales(const char* op, const Attributes& attributes, float* x_scale,
                            float* y_scale) {
  absl::StatusOr<float> x = ReadScale(attributes, "x_scale");
  HB_RETURN_IF_ERROR(WithOp(op, x.status()));
  absl::StatusOr<float> y = ReadScale(attributes, "y_scale");
  HB_RETURN_IF_ERROR(WithOp(op, y.status()));
  *x_scale = *x;
  *y_scale = *y;
  return absl::OkStatus();
}

absl::Status PreparePool(const char* op, const std::vector<TensorInfo>& inputs,
                         const nn::WindowAttributes& window, bool ceil_mode, PoolPlan* plan,
                         std::vector<TensorInfo>* outputs) {
  HB_RETURN_IF_ERROR(CheckInputCount(op, inputs, 1, 1));
  const TensorInfo& x = inputs[0];
  HB_RETURN_IF_ERROR(CheckInt8(op, x, "input 0 'X'"));
  if (x.shape.size() != 4) {
    return KernelError(op, ": input 0 'X' has shape ", ShapeString(x.shape), " but the int8 ", op,
                       " needs rank 4 (N, C, H, W)");
  }
  plan->planes = x.shape[0] * x.shape[1];
  plan->in_h = x.shape[2];
  plan->in_w = x.shape[3];
  HB_ASSIGN_OR_RETURN(plan->g, nn::ComputeWindowGeometry(window, {plan->in_h, plan->in_w},
                                                         window.kernel_shape, ceil_mode, op));
  outputs->assign(1, TensorInfo{DType::kI8,
                                {x.shape[0], x.shape[1], plan->g.output[0], plan->g.output[1]},
                                nullptr});
  return absl::OkStatus();
}

class Int8MaxPoolKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<Int8MaxPoolKernel>();
    HB_RETURN_IF_ERROR(
        ReadPoolWindow("MaxPool", args.attributes, &kernel->window_, &kernel->ceil_mode_));
    HB_ASSIGN_OR_RETURN(int64_t storage_order, args.attributes.GetInt("storage_order", 0));
    if (storage_order != 0 || args.num_outputs != 1) {
      return KernelError("MaxPool: the int8 MaxPool has one output (no Indices); got ",
                         args.num_outputs, " outputs and storage_order ", storage_order);
    }
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    return PreparePool("MaxPool", inputs, window_, ceil_mode_, &plan_, outputs);
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const PoolPlan& p = plan_;
    const nn::WindowGeometry& g = p.g;
    const int8_t* x = inputs[0].as<int8_t>();
    int8_t* y = outputs[0].as<int8_t>();
    for (int64_t plane = 0; plane < p.planes; ++plane) {
      const int8_t* x_plane = x + plane * p.in_h * p.in_w;
      for (int64_t oh = 0; oh < g.output[0]; ++oh) {
        for (int64_t ow = 0; ow < g.output[1]; ++ow) {
          int32_t best = -128;
          for (int64_t kh = 0; kh < g.kernel[0]; ++kh) {
            const int64_t ih = oh * g.strides[0] - g.pad_begin[0] + kh * g.dilations[0];
            if (ih < 0 || ih >= p.in_h) continue;
            for (int64_t kw = 0; kw < g.kernel[1]; ++kw) {
              const int64_t iw = ow * g.strides[1] - g.pad_begin[1] + kw * g.dilations[1];
              if (iw < 0 || iw >= p.in_w) continue;
              if (x_plane[ih * p.in_w + iw] > best) best = x_plane[ih * p.in_w + iw];
            }
          }
          *y++ = static_cast<int8_t>(best);
        }
      }
    }
    return absl::OkStatus();
  }

 private:
  nn::WindowAttributes window_;
  bool ceil_mode_ = false;
  PoolPlan plan_;
};

class Int8AveragePoolKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    constexpr char kOp[] = "AveragePool";
    auto kernel = std::make_unique<Int8AveragePoolKernel>();
    HB_RETURN_IF_ERROR(ReadPoolWindow(kOp, args.attributes, &kernel->window_, &kernel->ceil_mode_));
    HB_ASSIGN_OR_RETURN(int64_t include_pad, args.attributes.GetInt("count_include_pad", 0));
    kernel->count_include_pad_ = include_pad != 0;
    HB_RETURN_IF_ERROR(
        ReadPoolScales(kOp, args.attributes, &kernel->x_scale_, &kernel->y_scale_));
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(PreparePool("AveragePool", inputs, window_, ceil_mode_, &plan_, outputs));
    const int64_t window_size = plan_.g.kernel[0] * plan_.g.kernel[1];
    multipliers_.assign(static_cast<size_t>(window_size) + 1, 0.0f);
    for (int64_t count = 1; count <= window_size; ++count) {
      multipliers_[count] =
          Multiplier(x_scale_, 1.0, static_cast<double>(y_scale_) * static_cast<double>(count));
    }
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const PoolPlan& p = plan_;
    const nn::WindowGeometry& g = p.g;
    const int8_t* x = inputs[0].as<int8_t>();
    int8_t* y = outputs[0].as<int8_t>();
    for (int64_t plane = 0; plane < p.planes; ++plane) {
      const int8_t* x_plane = x + plane * p.in_h * p.in_w;
      for (int64_t oh = 0; oh < g.output[0]; ++oh) {
        for (int64_t ow = 0; ow < g.output[1]; ++ow) {
          int32_t sum = 0;
          int64_t count = 0;
          for (int64_t kh = 0; kh < g.kernel[0]; ++kh) {
            const int64_t ih = oh * g.strides[0] - g.pad_begin[0] + kh * g.dilations[0];
            const bool row_inside = ih >= 0 && ih < p.in_h;
            const bool row_in_pads = ih >= -g.pad_begin[0] && ih < p.in_h + g.pad_end[0];
            for (int64_t kw = 0; kw < g.kernel[1]; ++kw) {
              const int64_t iw = ow * g.strides[1] - g.pad_begin[1] + kw * g.dilations[1];
              const bool inside = row_inside && iw >= 0 && iw < p.in_w;
              if (inside) {
                sum += x_plane[ih * p.in_w + iw];
                ++count;
              } else if (count_include_pad_ && row_in_pads && iw >= -g.pad_begin[1] &&
                         iw < p.in_w + g.pad_end[1]) {
                ++count;
              }
            }
          }
          *y++ = count == 0 ? 0 : Requantize(sum, multipliers_[count], QuantBounds());
        }
      }
    }
    return absl::OkStatus();
  }

 private:
  nn::WindowAttributes window_;
  bool ceil_mode_ = false;
  bool count_include_pad_ = false;
  float x_scale_ = 1.0f;
  float y_scale_ = 1.0f;
  PoolPlan plan_;
  std::vector<float> multipliers_;  // indexed by the window's count
};

class Int8GlobalAveragePoolKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    constexpr char kOp[] = "GlobalAveragePool";
    auto kernel = std::make_unique<Int8GlobalAveragePoolKernel>();
    HB_RETURN_IF_ERROR(
        ReadPoolScales(kOp, args.attributes, &kernel->x_scale_, &kernel->y_scale_));
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    constexpr char kOp[] = "GlobalAveragePool";
    HB_RETURN_IF_ERROR(CheckInputCount(kOp, inputs, 1, 1));
    const TensorInfo& x = inputs[0];
    HB_RETURN_IF_ERROR(CheckInt8(kOp, x, "input 0 'X'"));
    if (x.shape.size() != 4 || x.shape[2] * x.shape[3] < 1) {
      return KernelError(kOp, ": input 0 'X' has shape ", ShapeString(x.shape),
                         " but the int8 GlobalAveragePool needs a non-empty (N, C, H, W)");
    }
    planes_ = x.shape[0] * x.shape[1];
    plane_size_ = x.shape[2] * x.shape[3];
    multiplier_ = Multiplier(x_scale_, 1.0,
                             static_cast<double>(y_scale_) * static_cast<double>(plane_size_));
    outputs->assign(1, TensorInfo{DType::kI8, {x.shape[0], x.shape[1], 1, 1}, nullptr});
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const int8_t* x = inputs[0].as<int8_t>();
    int8_t* y = outputs[0].as<int8_t>();
    for (int64_t plane = 0; plane < planes_; ++plane) {
      int64_t sum = 0;
      for (int64_t i = 0; i < plane_size_; ++i) sum += x[plane * plane_size_ + i];
      y[plane] = Requantize(WrapInt32(sum), multiplier_, QuantBounds());
    }
    return absl::OkStatus();
  }

 private:
  float x_scale_ = 1.0f;
  float y_scale_ = 1.0f;
  int64_t planes_ = 0;
  int64_t plane_size_ = 0;
  float multiplier_ = 1.0f;
};

}  // namespace

KernelOrError CreateInt8MaxPoolReference(const KernelCreateArgs& args) {
  return Int8MaxPoolKernel::Create(args);
}

KernelOrError CreateInt8AveragePoolReference(const KernelCreateArgs& args) {
  return Int8AveragePoolKernel::Create(args);
}

KernelOrError CreateInt8GlobalAveragePoolReference(const KernelCreateArgs& args) {
  return Int8GlobalAveragePoolKernel::Create(args);
}

}  // namespace hb_dnn::kernels::int8
