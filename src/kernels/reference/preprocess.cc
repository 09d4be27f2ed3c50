// Preprocess reference kernel (hb_dnn::Preprocess-1): colour conversion and normalization of an
// image input. The contract (shapes, colour standard, supported pairs) is in preprocess.h.

#include "src/kernels/reference/preprocess.h"

#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/op_registry.h"

namespace hb_dnn::kernels {
namespace {

enum class ColorType { kNv12, kRgb, kBgr, kYuv444, kGray, kFeaturemap };

absl::StatusOr<ColorType> ParseColorType(const std::string& attribute, const std::string& value,
                                         bool run_time) {
  if (value == "nv12" && run_time) return ColorType::kNv12;
  if (value == "rgb") return ColorType::kRgb;
  if (value == "bgr") return ColorType::kBgr;
  if (value == "yuv444") return ColorType::kYuv444;
  if (value == "gray") return ColorType::kGray;
  if (value == "featuremap") return ColorType::kFeaturemap;
  return KernelError("Preprocess: attribute '", attribute, "' is '", value, "', expected ",
                     run_time ? "nv12, " : "", "rgb, bgr, yuv444, gray or featuremap");
}

absl::StatusOr<bool> ParseNchw(const std::string& attribute, const std::string& value) {
  if (value == "NCHW") return true;
  if (value == "NHWC") return false;
  return KernelError("Preprocess: attribute '", attribute, "' is '", value,
                     "', expected NHWC or NCHW");
}

float Clamp255(float v) { return std::min(255.0f, std::max(0.0f, v)); }

// BT.601 full range, U/V offset by 128 (preprocess.h).
std::array<float, 3> YuvToRgb(float y, float u, float v) {
  float du = u - 128.0f, dv = v - 128.0f;
  return {Clamp255(y + 1.402f * dv), Clamp255(y - 0.344136f * du - 0.714136f * dv),
          Clamp255(y + 1.772f * du)};
}

std::array<float, 3> RgbToYuv(float r, float g, float b) {
  return {Clamp255(0.299f * r + 0.587f * g + 0.114f * b),
          Clamp255(-0.168736f * r - 0.331264f * g + 0.5f * b + 128.0f),
          Clamp255(0.5f * r - 0.418688f * g - 0.081312f * b + 128.0f)};
}

class PreprocessKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<PreprocessKernel>();
    const Attributes& a = args.attributes;
    HB_ASSIGN_OR_RETURN(std::string rt, a.GetString(kAttrInputTypeRt, ""));
    HB_ASSIGN_OR_RETURN(std::string train, a.GetString(kAttrInputTypeTrain, ""));
    HB_ASSIGN_OR_RETURN(kernel->rt_, ParseColorType(kAttrInputTypeRt, rt, true));
    HB_ASSIGN_OR_RETURN(kernel->train_, ParseColorType(kAttrInputTypeTrain, train, false));
    HB_ASSIGN_OR_RETURN(std::string layout_train, a.GetString(kAttrInputLayoutTrain, ""));
    HB_ASSIGN_OR_RETURN(kernel->train_nchw_, ParseNchw(kAttrInputLayoutTrain, layout_train));
    if (kernel->rt_ != ColorType::kNv12 && kernel->rt_ != ColorType::kFeaturemap) {
      HB_ASSIGN_OR_RETURN(std::string layout_rt, a.GetString(kAttrInputLayoutRt, ""));
      HB_ASSIGN_OR_RETURN(kernel->rt_nchw_, ParseNchw(kAttrInputLayoutRt, layout_rt));
    }
    bool rt_colour = kernel->rt_ != ColorType::kGray && kernel->rt_ != ColorType::kFeaturemap;
    bool supported =
        kernel->rt_ == ColorType::kFeaturemap
            ? kernel->train_ == ColorType::kFeaturemap
            : (kernel->rt_ == ColorType::kGray ? kernel->train_ == ColorType::kGray
                                               : kernel->train_ != ColorType::kFeaturemap);
    if (!supported) {
      return KernelError("Preprocess: cannot convert input_type_rt '", rt,
                         "' to input_type_train '", train, "'",
                         rt_colour ? " (colour inputs convert to rgb, bgr, yuv444 or gray)" : "");
    }
    HB_ASSIGN_OR_RETURN(std::string norm, a.GetString(kAttrNormType, "no_preprocess"));
    bool use_mean = norm == "data_mean" || norm == "data_mean_and_scale";
    bool use_scale = norm == "data_scale" || norm == "data_mean_and_scale";
    if (!use_mean && !use_scale && norm != "no_preprocess") {
      return KernelError("Preprocess: attribute 'norm_type' is '", norm,
                         "', expected no_preprocess, data_mean, data_scale or data_mean_and_scale");
    }
    HB_ASSIGN_OR_RETURN(std::vector<float> mean, a.GetFloats(kAttrMeanValue, {}));
    HB_ASSIGN_OR_RETURN(std::vector<float> scale, a.GetFloats(kAttrScaleValue, {}));
    if (use_mean && mean.empty()) {
      return KernelError("Preprocess: norm_type '", norm, "' needs attribute 'mean_value'");
    }
    if (use_scale && scale.empty()) {
      return KernelError("Preprocess: norm_type '", norm, "' needs attribute 'scale_value'");
    }
    if (use_mean) kernel->mean_ = mean;
    if (use_scale) kernel->scale_ = scale;
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    if (inputs.size() != 1 || !inputs[0].present()) {
      return KernelError("Preprocess: expected 1 input, got ", inputs.size());
    }
    const Shape& s = inputs[0].shape;
    const std::string what = "Preprocess: input 0 ";
    if (rt_ == ColorType::kFeaturemap) {
      if (inputs[0].dtype != DType::kF32) {
        return KernelError(what, "has type ", DTypeName(inputs[0].dtype),
                           ", featuremap inputs are float32");
      }
      channels_ = s.size() == 4 ? (train_nchw_ ? s[1] : s[3]) : 1;
      if (s.size() != 4 && (mean_.size() > 1 || scale_.size() > 1)) {
        return KernelError(what, "has shape ", ShapeString(s),
                           ": per-channel mean/scale need a 4-D featuremap");
      }
      HB_RETURN_IF_ERROR(CheckValueCounts());
      outputs->assign(1, TensorInfo{DType::kF32, s, nullptr});
      return absl::OkStatus();
    }
    if (inputs[0].dtype != DType::kU8) {
      return KernelError(what, "has type ", DTypeName(inputs[0].dtype), ", image inputs are uint8");
    }
    int64_t rt_channels = rt_ == ColorType::kGray ? 1 : 3;
    if (rt_ == ColorType::kNv12) {
      if (s.size() != 3 || s[1] == 0 || s[1] % 3 != 0 || s[2] % 2 != 0) {
        return KernelError(what, "has shape ", ShapeString(s),
                           ", nv12 needs (N, H*3/2, W) with H and W even");
      }
      n_ = s[0];
      h_ = s[1] * 2 / 3;
      w_ = s[2];
    } else {
      if (s.size() != 4 || (rt_nchw_ ? s[1] : s[3]) != rt_channels) {
        return KernelError(what, "has shape ", ShapeString(s), ", expected ",
                           rt_nchw_ ? "(N, " : "(N, H, W, ", rt_channels,
                           rt_nchw_ ? ", H, W)" : ")", " for input_type_rt with layout ",
                           rt_nchw_ ? "NCHW" : "NHWC");
      }
      n_ = s[0];
      h_ = rt_nchw_ ? s[2] : s[1];
      w_ = rt_nchw_ ? s[3] : s[2];
    }
    channels_ = train_ == ColorType::kGray ? 1 : 3;
    HB_RETURN_IF_ERROR(CheckValueCounts());
    Shape out = train_nchw_ ? Shape{n_, channels_, h_, w_} : Shape{n_, h_, w_, channels_};
    outputs->assign(1, TensorInfo{DType::kF32, out, nullptr});
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    float* out = outputs[0].as<float>();
    if (rt_ == ColorType::kFeaturemap) {
      const float* in = inputs[0].as<float>();
      const Shape& s = inputs[0].shape;
      int64_t total = inputs[0].num_elements();
      int64_t inner = s.size() == 4 && train_nchw_ ? s[2] * s[3] : 1;
      for (int64_t i = 0; i < total; ++i) {
        int64_t c = s.size() != 4 ? 0 : (train_nchw_ ? (i / inner) % channels_ : i % channels_);
        out[i] = Normalize(in[i], c);
      }
      return absl::OkStatus();
    }
    const uint8_t* in = inputs[0].as<uint8_t>();
    const int64_t plane = h_ * w_;
    for (int64_t n = 0; n < n_; ++n) {
      const uint8_t* image =
          in +
          n * (rt_ == ColorType::kNv12 ? plane * 3 / 2 : plane * (rt_ == ColorType::kGray ? 1 : 3));
      float* dst = out + n * plane * channels_;
      for (int64_t y = 0; y < h_; ++y) {
        for (int64_t x = 0; x < w_; ++x) {
          std::array<float, 3> v = Pixel(image, y, x);
          for (int64_t c = 0; c < channels_; ++c) {
            int64_t index = train_nchw_ ? (c * plane + y * w_ + x) : ((y * w_ + x) * channels_ + c);
            dst[index] = Normalize(v[c], c);
          }
        }
      }
    }
    return absl::OkStatus();
  }

 private:
  absl::Status CheckValueCounts() const {
    for (const auto& [name, values] :
         {std::pair<const char*, const std::vector<float>*>{kAttrMeanValue, &mean_},
          {kAttrScaleValue, &scale_}}) {
      if (values->size() > 1 && static_cast<int64_t>(values->size()) != channels_) {
        return KernelError("Preprocess: attribute '", name, "' has ", values->size(), " values [",
                           absl::StrJoin(*values, ", "), "] for ", channels_,
                           " channels; give 1 or one per channel");
      }
    }
    return absl::OkStatus();
  }

  float Normalize(float v, int64_t c) const {
    if (!mean_.empty()) v -= mean_[mean_.size() == 1 ? 0 : c];
    if (!scale_.empty()) v *= scale_[scale_.size() == 1 ? 0 : c];
    return v;
  }

  // The pixel at (y, x) converted to the training colour type (channel order of train_).
  std::array<float, 3> Pixel(const uint8_t* image, int64_t y, int64_t x) const {
    const int64_t plane = h_ * w_;
    std::array<float, 3> src{};
    bool yuv = false;
    switch (rt_) {
      case ColorType::kNv12: {
        const uint8_t* uv = image + plane + (y / 2) * w_ + (x / 2) * 2;
        src = {static_cast<float>(image[y * w_ + x]), static_cast<float>(uv[0]),
               static_cast<float>(uv[1])};
        yuv = true;
        break;
      }
      case ColorType::kGray:
        return {static_cast<float>(image[y * w_ + x]), 0.0f, 0.0f};
      default: {
        for (int c = 0; c < 3; ++c) {
          src[c] = static_cast<float>(rt_nchw_ ? image[c * plane + y * w_ + x]
                                               : image[(y * w_ + x) * 3 + c]);
        }
        if (rt_ == ColorType::kBgr) std::swap(src[0], src[2]);
        yuv = rt_ == ColorType::kYuv444;
        break;
      }
    }
    // `src` is now YUV or RGB.
    switch (train_) {
      case ColorType::kYuv444:
        return yuv ? src : RgbToYuv(src[0], src[1], src[2]);
      case ColorType::kGray:
        return {yuv ? src[0] : RgbToYuv(src[0], src[1], src[2])[0], 0.0f, 0.0f};
      case ColorType::kBgr: {
        std::array<float, 3> rgb = yuv ? YuvToRgb(src[0], src[1], src[2]) : src;
        return {rgb[2], rgb[1], rgb[0]};
      }
      default:
        return yuv ? YuvToRgb(src[0], src[1], src[2]) : src;
    }
  }

  ColorType rt_ = ColorType::kNv12;
  ColorType train_ = ColorType::kRgb;
  bool rt_nchw_ = false;
  bool train_nchw_ = true;
  std::vector<float> mean_;
  std::vector<float> scale_;
  int64_t n_ = 0, h_ = 0, w_ = 0, channels_ = 0;
};

}  // namespace

void RegisterPreprocessOps(OpRegistry* registry) {
  registry->Add({kHbDnnDomain, kPreprocessOp, kPreprocessVersion, kPreprocessVersion,
                 KernelVariant::kReference, MakeFactory<PreprocessKernel>()});
}

}  // namespace hb_dnn::kernels
