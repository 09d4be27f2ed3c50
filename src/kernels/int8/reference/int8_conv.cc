// int8 Conv reference kernel (hb_dnn.bpu): a direct 2-D convolution over NCHW int8 data with
// int8 weights [M, C/group, kh, kw], an optional int32 bias, an exact integer accumulator per
// output element and the requantization rule of requantize.h (or the raw accumulator for
// output_type 32). Padded positions contribute nothing.

#include <cstdint>
#include <memory>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/int8/reference/int8_kernels.h"
#include "src/kernels/int8/reference/int8_util.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/reference/nn_util.h"

namespace hb_dnn::kernels::int8 {
namespace {

constexpr char kOp[] = "Conv";

struct ConvPlan {
  int64_t batch = 0;
  int64_t in_channels = 0;
  int64_t out_channels = 0;
  int64_t group = 1;
  int64_t in_h = 0;
  int64_t in_w = 0;
  int64_t out_h = 0;
  int64_t out_w = 0;
  int64_t kernel_h = 0;
  int64_t kernel_w = 0;
  int64_t stride_h = 1;
  int64_t stride_w = 1;
  int64_t dilation_h = 1;
  int64_t dilation_w = 1;
  int64_t pad_top = 0;
  int64_t pad_left = 0;
  bool has_bias = false;
};

class Int8ConvKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<Int8ConvKernel>();
    kernel->attributes_ = args.attributes;
    HB_ASSIGN_OR_RETURN(kernel->window_, nn::ReadWindowAttributes(args.attributes, kOp));
    if (kernel->window_.auto_pad != nn::AutoPad::kNotSet) {
      return KernelError(kOp, ": attribute 'auto_pad' must be NOTSET; the int8 Conv takes ",
                         "explicit 'pads' only");
    }
    HB_ASSIGN_OR_RETURN(kernel->group_, args.attributes.GetInt("group", 1));
    if (kernel->group_ < 1) {
      return KernelError(kOp, ": attribute 'group' is ", kernel->group_, ", must be >= 1");
    }
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(CheckInputCount(kOp, inputs, 2, 3));
    const TensorInfo& x = inputs[0];
    const TensorInfo& w = inputs[1];
    HB_RETURN_IF_ERROR(CheckInt8(kOp, x, "input 0 'X'"));
    HB_RETURN_IF_ERROR(CheckInt8(kOp, w, "input 1 'W'"));
    if (x.shape.size() != 4) {
      return KernelError(kOp, ": input 0 'X' has shape ", ShapeString(x.shape),
                         " but the int8 Conv needs rank 4 (N, C, H, W)");
    }
    if (w.shape.size() != 4) {
      return KernelError(kOp, ": input 1 'W' has shape ", ShapeString(w.shape),
                         " but the int8 Conv needs rank 4 (M, C/group, kh, kw)");
    }
    ConvPlan p;
    p.group = group_;
    p.batch = x.shape[0];
    p.in_channels = x.shape[1];
    p.in_h = x.shape[2];
    p.in_w = x.shape[3];
    p.out_channels = w.shape[0];
    p.kernel_h = w.shape[2];
    p.kernel_w = w.shape[3];
    if (p.in_channels % group_ != 0 || w.shape[1] * group_ != p.in_channels) {
      return KernelError(kOp, ": input 1 'W' has shape ", ShapeString(w.shape), " but X ",
                         ShapeString(x.shape), " with group ", group_,
                         " needs W dimension 1 = C / group = ", p.in_channels, " / ", group_);
    }
    if (p.out_channels < 1 || p.out_channels % group_ != 0) {
      return KernelError(kOp, ": input 1 'W' has ", p.out_channels,
                         " output channels, not a positive multiple of group ", group_);
    }
    const std::vector<int64_t> kernel = {p.kernel_h, p.kernel_w};
    if (!window_.kernel_shape.empty() && window_.kernel_shape != kernel) {
      return KernelError(kOp, ": attribute 'kernel_shape' ", nn::IntsString(window_.kernel_shape),
                         " does not match W's spatial shape ", ShapeString(w.shape));
    }
    p.has_bias = inputs.size() > 2 && inputs[2].present();
    if (p.has_bias) {
      HB_RETURN_IF_ERROR(nn::CheckDType(kOp, inputs[2], "input 2 'B'", {DType::kI32}));
      HB_RETURN_IF_ERROR(nn::CheckShape(kOp, inputs[2], "input 2 'B'", {p.out_channels}));
    }
    HB_ASSIGN_OR_RETURN(nn::WindowGeometry g,
                        nn::ComputeWindowGeometry(window_, {p.in_h, p.in_w}, kernel,
                                                  /*ceil_mode=*/false, kOp));
    p.out_h = g.output[0];
    p.out_w = g.output[1];
    p.stride_h = g.strides[0];
    p.stride_w = g.strides[1];
    p.dilation_h = g.dilations[0];
    p.dilation_w = g.dilations[1];
    p.pad_top = g.pad_begin[0];
    p.pad_left = g.pad_begin[1];
    HB_ASSIGN_OR_RETURN(output_, ReadAccumulatorOutput(kOp, attributes_, p.out_channels));
    outputs->assign(1, TensorInfo{output_.dtype(), {p.batch, p.out_channels, p.out_h, p.out_w},
                                  nullptr});
    plan_ = p;
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const ConvPlan& p = plan_;
    const int8_t* x = inputs[0].as<int8_t>();
    const int8_t* w = inputs[1].as<int8_t>();
    const int32_t* bias = p.has_bias ? inputs[2].as<int32_t>() : nullptr;
    void* y = outputs[0].data;
    const int64_t cg = p.in_channels / p.group;
    const int64_t mg = p.out_channels / p.group;
    const int64_t in_plane = p.in_h * p.in_w;
    const int64_t kernel_size = p.kernel_h * p.kernel_w;
    int64_t index = 0;
    for (int64_t n = 0; n < p.batch; ++n) {
      for (int64_t m = 0; m < p.out_channels; ++m) {
        const int8_t* x_g = x + (n * p.in_channels + (m / mg) * cg) * in_plane;
        const int8_t* w_m = w + m * cg * kernel_size;
        for (int64_t oh = 0; oh < p.out_h; ++oh) {
          for (int64_t ow = 0; ow < p.out_w; ++ow) {
            int64_t acc = bias != nullptr ? bias[m] : 0;
            for (int64_t c = 0; c < cg; ++c) {
              for (int64_t kh = 0; kh < p.kernel_h; ++kh) {
                const int64_t ih = oh * p.stride_h - p.pad_top + kh * p.dilation_h;
                if (ih < 0 || ih >= p.in_h) continue;
                for (int64_t kw = 0; kw < p.kernel_w; ++kw) {
                  const int64_t iw = ow * p.stride_w - p.pad_left + kw * p.dilation_w;
                  if (iw < 0 || iw >= p.in_w) continue;
                  acc += static_cast<int64_t>(x_g[c * in_plane + ih * p.in_w + iw]) *
                         w_m[(c * p.kernel_h + kh) * p.kernel_w + kw];
                }
              }
            }
            output_.Store(WrapInt32(acc), m, y, index++);
          }
        }
      }
    }
    return absl::OkStatus();
  }

 private:
  Attributes attributes_;
  nn::WindowAttributes window_;
  int64_t group_ = 1;
  ConvPlan plan_;
  AccumulatorOutput output_;
};

}  // namespace

KernelOrError CreateInt8ConvReference(const KernelCreateArgs& args) {
  return Int8ConvKernel::Create(args);
}

}  // namespace hb_dnn::kernels::int8
