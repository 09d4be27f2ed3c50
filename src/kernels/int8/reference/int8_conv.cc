// int8 Conv reference kernel (hb_dnn.bpu): a direct 2-D convolution over NCHW int8 data with
// int8 weights [M, C/group, kh, kw], an optional int32 bias, an exact integer accumulator per
// output element and the requantization rule of requantize.h (or the raw accumulator for
// output_type 32). Padded positions contribute nothing.

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/int8/reference/int8_kernels.h"
#include "src/kernels/int8/reference/int8_util.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/reference/nn_util.h"

namespace hb_dnn::kernels::int8 {
namespace {

constexpr char kOp[] = "Conv";

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
    HB_ASSIGN_OR_RETURN(kernel->group_, nn::ReadConvGroup(args.attributes, kOp));
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
    nn::ConvPlan p = nn::ConvPlanOf(x, w, group_);
    HB_RETURN_IF_ERROR(nn::CheckConvGroups(kOp, x, w, p, /*require_outputs=*/true));
    HB_RETURN_IF_ERROR(nn::CheckConvKernelShape(kOp, window_, p.kernel, w));
    p.has_bias = inputs.size() > 2 && inputs[2].present();
    if (p.has_bias) {
      HB_RETURN_IF_ERROR(nn::CheckDType(kOp, inputs[2], "input 2 'B'", {DType::kI32}));
      HB_RETURN_IF_ERROR(nn::CheckShape(kOp, inputs[2], "input 2 'B'", {p.out_channels}));
    }
    HB_RETURN_IF_ERROR(nn::ResolveConvWindow(kOp, window_, &p));
    HB_ASSIGN_OR_RETURN(output_, ReadAccumulatorOutput(kOp, attributes_, p.out_channels));
    outputs->assign(1, TensorInfo{output_.dtype(), p.OutputShape(), nullptr});
    geometry_ = nn::Conv2dView(p);
    plan_ = std::move(p);
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const nn::ConvPlan& p = plan_;
    const ukernels::Conv2dGeometry& g = geometry_;
    const int8_t* x = inputs[0].as<int8_t>();
    const int8_t* w = inputs[1].as<int8_t>();
    const int32_t* bias = p.has_bias ? inputs[2].as<int32_t>() : nullptr;
    void* y = outputs[0].data;
    const int64_t cg = p.in_channels / p.group;
    const int64_t mg = p.out_channels / p.group;
    const int64_t in_plane = g.in_h * g.in_w;
    const int64_t kernel_size = g.kernel_h * g.kernel_w;
    int64_t index = 0;
    for (int64_t n = 0; n < p.batch; ++n) {
      for (int64_t m = 0; m < p.out_channels; ++m) {
        const int8_t* x_g = x + (n * p.in_channels + (m / mg) * cg) * in_plane;
        const int8_t* w_m = w + m * cg * kernel_size;
        for (int64_t oh = 0; oh < g.out_h; ++oh) {
          for (int64_t ow = 0; ow < g.out_w; ++ow) {
            int64_t acc = bias != nullptr ? bias[m] : 0;
            for (int64_t c = 0; c < cg; ++c) {
              for (int64_t kh = 0; kh < g.kernel_h; ++kh) {
                const int64_t ih = oh * g.stride_h - g.pad_top + kh * g.dilation_h;
                if (ih < 0 || ih >= g.in_h) continue;
                for (int64_t kw = 0; kw < g.kernel_w; ++kw) {
                  const int64_t iw = ow * g.stride_w - g.pad_left + kw * g.dilation_w;
                  if (iw < 0 || iw >= g.in_w) continue;
                  acc += static_cast<int64_t>(x_g[c * in_plane + ih * g.in_w + iw]) *
                         w_m[(c * g.kernel_h + kh) * g.kernel_w + kw];
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
  nn::ConvPlan plan_;
  ukernels::Conv2dGeometry geometry_;
  AccumulatorOutput output_;
};

}  // namespace

KernelOrError CreateInt8ConvReference(const KernelCreateArgs& args) {
  return Int8ConvKernel::Create(args);
}

}  // namespace hb_dnn::kernels::int8
