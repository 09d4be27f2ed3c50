// Resize (opset 10, 11, 13) and Upsample (opset 7, 9) reference kernels.
//
// Interpolation is separable: Prepare computes, per dimension and output index, the source
// coordinate x_original from the coordinate transformation and from it up to four taps (input
// index, weight): one for nearest, two for linear, four for cubic, with indices clamped to the
// input (edge replication) and, with exclude_outside, the weights of outside taps zeroed and the
// rest renormalized. Run sums the product of every dimension's taps. This follows the ONNX
// reference: the taps of a non-integer x are floor(x) .. (one or two further), of an integer x
// the taps put the whole weight on x; the length used by align_corners and tf_crop_and_resize is
// input length * scale before flooring.
//
// Resize-10 and Upsample have no coordinate attributes; they use x_original = x_resized / scale
// (asymmetric) and, for nearest, floor.

#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/reference/nn_kernels.h"
#include "src/kernels/reference/nn_util.h"

namespace hb_dnn::kernels::nn {
namespace {

enum class InterpolationMode { kNearest, kLinear, kCubic };
enum class CoordinateMode {
  kHalfPixel,
  kPytorchHalfPixel,
  kAlignCorners,
  kAsymmetric,
  kTfHalfPixelForNn,
  kTfCropAndResize,
};
enum class NearestMode { kRoundPreferFloor, kRoundPreferCeil, kFloor, kCeil };

// The taps of one output index along one dimension.
struct Taps {
  int count = 0;
  int64_t index[4] = {};
  double weight[4] = {};
  bool outside = false;  // tf_crop_and_resize: x_original outside the input -> extrapolation
};

struct ResizeOptions {
  InterpolationMode mode = InterpolationMode::kNearest;
  CoordinateMode coordinate = CoordinateMode::kHalfPixel;
  NearestMode nearest = NearestMode::kRoundPreferFloor;
  double cubic_a = -0.75;
  bool exclude_outside = false;
  double extrapolation = 0;
};

// Source coordinate of output index `x` along a dimension of `in` elements resized to `out`
// with `scale`; `length` is in * scale (before flooring), roi_start/roi_end the crop box.
double SourceCoordinate(const ResizeOptions& o, int64_t x, int64_t in, int64_t out, double scale,
                        double length, double roi_start, double roi_end) {
  const double xr = static_cast<double>(x);
  const double in_last = static_cast<double>(in - 1);
  switch (o.coordinate) {
    case CoordinateMode::kHalfPixel:
      return (xr + 0.5) / scale - 0.5;
    case CoordinateMode::kPytorchHalfPixel:
      return out > 1 ? (xr + 0.5) / scale - 0.5 : 0.0;
    case CoordinateMode::kAlignCorners:
      return length - 1 == 0 ? 0.0 : xr * in_last / (length - 1);
    case CoordinateMode::kAsymmetric:
      return xr / scale;
    case CoordinateMode::kTfHalfPixelForNn:
      return (xr + 0.5) / scale;
    case CoordinateMode::kTfCropAndResize:
      if (length > 1) {
        return roi_start * in_last + xr * (roi_end - roi_start) * in_last / (length - 1);
      }
      return 0.5 * (roi_start + roi_end) * in_last;
  }
  return 0;
}

void CubicCoefficients(double r, double a, double* c) {
  const double s = 1 - r;
  c[0] = ((a * (r + 1) - 5 * a) * (r + 1) + 8 * a) * (r + 1) - 4 * a;
  c[1] = ((a + 2) * r - (a + 3)) * r * r + 1;
  c[2] = ((a + 2) * s - (a + 3)) * s * s + 1;
  c[3] = ((a * (s + 1) - 5 * a) * (s + 1) + 8 * a) * (s + 1) - 4 * a;
}

Taps ComputeTaps(const ResizeOptions& o, double x, int64_t in) {
  Taps taps;
  if (o.coordinate == CoordinateMode::kTfCropAndResize &&
      (x < 0 || x > static_cast<double>(in - 1))) {
    taps.outside = true;
    return taps;
  }
  const bool integral = x == std::floor(x);
  if (o.mode == InterpolationMode::kNearest) {
    double chosen = x;
    if (!integral) {
      const double f = std::floor(x);
      const double r = x - f;
      bool up = false;
      switch (o.nearest) {
        case NearestMode::kRoundPreferFloor:
          up = r > 0.5;
          break;
        case NearestMode::kRoundPreferCeil:
          up = r >= 0.5;
          break;
        case NearestMode::kFloor:
          up = false;
          break;
        case NearestMode::kCeil:
          up = true;
          break;
      }
      chosen = up ? f + 1 : f;
    }
    const int64_t i = static_cast<int64_t>(chosen);
    taps.count = 1;
    taps.index[0] = i < 0 ? 0 : (i >= in ? in - 1 : i);
    taps.weight[0] = 1;
    return taps;
  }
  // Linear taps are (f, f + 1), cubic ones (f - 1 .. f + 2), with f = ceil(x) - 1 so that the
  // ratio r = x - f lies in (0, 1]: an integral x gets r = 1, all weight on x itself.
  const double f = integral ? x - 1 : std::floor(x);
  const double r = x - f;
  int64_t first;
  double w[4];
  if (o.mode == InterpolationMode::kLinear) {
    taps.count = 2;
    first = static_cast<int64_t>(f);
    w[0] = 1 - r;
    w[1] = r;
  } else {
    taps.count = 4;
    first = static_cast<int64_t>(f) - 1;
    CubicCoefficients(r, o.cubic_a, w);
  }
  if (o.exclude_outside) {
    double sum = 0;
    for (int t = 0; t < taps.count; ++t) {
      const int64_t i = first + t;
      if (i < 0 || i >= in) w[t] = 0;
      sum += w[t];
    }
    for (int t = 0; t < taps.count; ++t) w[t] = sum != 0 ? w[t] / sum : 0;
  }
  // Drop zero-weight taps (keeping at least one) so that resized-by-1 dimensions cost nothing.
  int kept = 0;
  for (int t = 0; t < taps.count; ++t) {
    if (w[t] == 0 && !(t == taps.count - 1 && kept == 0)) continue;
    const int64_t i = first + t;
    taps.index[kept] = i < 0 ? 0 : (i >= in ? in - 1 : i);
    taps.weight[kept] = w[t];
    ++kept;
  }
  taps.count = kept;
  return taps;
}

template <typename T>
void RunInterpolation(const Shape& out_shape, const std::vector<std::vector<Taps>>& taps,
                      const std::vector<int64_t>& in_strides, double extrapolation, const T* x,
                      T* y) {
  const size_t rank = out_shape.size();
  const int64_t count = NumElements(out_shape);
  int64_t o[kNnMaxRank] = {};
  for (int64_t i = 0; i < count; ++i) {
    const Taps* dim_taps[kNnMaxRank];
    bool outside = false;
    for (size_t d = 0; d < rank; ++d) {
      dim_taps[d] = &taps[d][static_cast<size_t>(o[d])];
      outside = outside || dim_taps[d]->outside;
    }
    double value = extrapolation;
    if (!outside) {
      value = 0;
      int t[kNnMaxRank] = {};
      bool more = true;
      while (more) {
        double weight = 1;
        int64_t offset = 0;
        for (size_t d = 0; d < rank; ++d) {
          weight *= dim_taps[d]->weight[t[d]];
          offset += dim_taps[d]->index[t[d]] * in_strides[d];
        }
        value += weight * static_cast<double>(x[offset]);
        more = false;
        for (size_t d = rank; d-- > 0;) {
          if (++t[d] < dim_taps[d]->count) {
            more = true;
            break;
          }
          t[d] = 0;
        }
      }
    }
    y[i] = static_cast<T>(value);
    NextIndex(out_shape.data(), rank, o);
  }
}

class ResizeKernel final : public OpKernel {
 public:
  // Upsample (`upsample`) or Resize, at `args.opset_version`.
  static KernelOrError Create(const KernelCreateArgs& args, bool upsample) {
    auto kernel = std::make_unique<ResizeKernel>();
    const Attributes& attributes = args.attributes;
    kernel->op_ = upsample ? "Upsample" : "Resize";
    const char* op = kernel->op_;
    ResizeOptions& o = kernel->options_;
    HB_ASSIGN_OR_RETURN(std::string mode, attributes.GetString("mode", "nearest"));
    if (mode == "nearest") {
      o.mode = InterpolationMode::kNearest;
    } else if (mode == "linear" || (upsample && mode == "bilinear")) {
      o.mode = InterpolationMode::kLinear;
    } else if (mode == "cubic" && !upsample && args.opset_version >= 11) {
      o.mode = InterpolationMode::kCubic;
    } else {
      return KernelError(op, ": attribute 'mode' is '", mode, "', expected nearest, linear",
                         !upsample && args.opset_version >= 11 ? " or cubic" : "");
    }
    kernel->legacy_ = upsample || args.opset_version < 11;
    if (kernel->legacy_) {
      o.coordinate = CoordinateMode::kAsymmetric;
      o.nearest = NearestMode::kFloor;
      kernel->scales_attribute_ = upsample && args.opset_version < 9;
      if (kernel->scales_attribute_) {
        if (!attributes.Has("scales")) return KernelError(op, ": attribute 'scales' is required");
        HB_ASSIGN_OR_RETURN(kernel->attribute_scales_, attributes.GetFloats("scales"));
      }
      return std::unique_ptr<OpKernel>(std::move(kernel));
    }
    HB_ASSIGN_OR_RETURN(std::string coordinate,
                        attributes.GetString("coordinate_transformation_mode", "half_pixel"));
    if (coordinate == "half_pixel") {
      o.coordinate = CoordinateMode::kHalfPixel;
    } else if (coordinate == "pytorch_half_pixel") {
      o.coordinate = CoordinateMode::kPytorchHalfPixel;
    } else if (coordinate == "align_corners") {
      o.coordinate = CoordinateMode::kAlignCorners;
    } else if (coordinate == "asymmetric") {
      o.coordinate = CoordinateMode::kAsymmetric;
    } else if (coordinate == "tf_half_pixel_for_nn") {
      o.coordinate = CoordinateMode::kTfHalfPixelForNn;
    } else if (coordinate == "tf_crop_and_resize") {
      o.coordinate = CoordinateMode::kTfCropAndResize;
    } else {
      return KernelError(op, ": attribute 'coordinate_transformation_mode' is '", coordinate,
                         "', expected half_pixel, pytorch_half_pixel, align_corners, asymmetric, "
                         "tf_half_pixel_for_nn or tf_crop_and_resize");
    }
    HB_ASSIGN_OR_RETURN(std::string nearest,
                        attributes.GetString("nearest_mode", "round_prefer_floor"));
    if (nearest == "round_prefer_floor") {
      o.nearest = NearestMode::kRoundPreferFloor;
    } else if (nearest == "round_prefer_ceil") {
      o.nearest = NearestMode::kRoundPreferCeil;
    } else if (nearest == "floor") {
      o.nearest = NearestMode::kFloor;
    } else if (nearest == "ceil") {
      o.nearest = NearestMode::kCeil;
    } else {
      return KernelError(op, ": attribute 'nearest_mode' is '", nearest,
                         "', expected round_prefer_floor, round_prefer_ceil, floor or ceil");
    }
    HB_ASSIGN_OR_RETURN(float cubic_a, attributes.GetFloat("cubic_coeff_a", -0.75f));
    HB_ASSIGN_OR_RETURN(int64_t exclude_outside, attributes.GetInt("exclude_outside", 0));
    HB_ASSIGN_OR_RETURN(float extrapolation, attributes.GetFloat("extrapolation_value", 0.0f));
    o.cubic_a = cubic_a;
    o.exclude_outside = exclude_outside != 0;
    o.extrapolation = extrapolation;
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    const char* op = op_;
    if (inputs.empty() || !inputs[0].present()) {
      return KernelError(op, ": input 0 'X' is missing");
    }
    const size_t max_inputs = scales_attribute_ ? 1 : (legacy_ ? 2 : 4);
    if (inputs.size() > max_inputs) {
      return KernelError(op, ": got ", inputs.size(), " inputs, at most ", max_inputs, " expected");
    }
    const TensorInfo& x = inputs[0];
    const size_t rank = x.shape.size();
    if (rank < 1 || rank > static_cast<size_t>(kNnMaxRank)) {
      return KernelError(op, ": input 0 'X' has shape ", ShapeString(x.shape), ", rank 1..",
                         kNnMaxRank, " is supported");
    }
    if (options_.mode == InterpolationMode::kNearest) {
      if (DTypeSize(x.dtype) == 0) {
        return KernelError(op, ": input 0 'X' has type ", DTypeName(x.dtype));
      }
    } else {
      HB_RETURN_IF_ERROR(CheckDType(op, x, "input 0 'X'", {DType::kF32, DType::kF64}));
    }

    // Scales (per dimension) or output sizes, whichever the node gives.
    std::vector<float> scales;
    std::vector<int64_t> sizes;
    auto given = [&](size_t i) {
      return inputs.size() > i && inputs[i].present() && inputs[i].num_elements() > 0;
    };
    if (scales_attribute_) {
      scales = attribute_scales_;
    } else if (legacy_) {
      if (!given(1)) return KernelError(op, ": input 1 'scales' is required");
      HB_ASSIGN_OR_RETURN(scales, ConstantFloats(inputs[1], "input 1 'scales'"));
    } else {
      if (given(2) && given(3)) {
        return KernelError(op, ": only one of input 2 'scales' and input 3 'sizes' may be given");
      }
      if (given(2)) {
        HB_ASSIGN_OR_RETURN(scales, ConstantFloats(inputs[2], "input 2 'scales'"));
      } else if (given(3)) {
        HB_ASSIGN_OR_RETURN(sizes, ConstantInts(inputs[3], "input 3 'sizes'"));
      } else {
        return KernelError(op, ": one of input 2 'scales' and input 3 'sizes' is required");
      }
    }
    if (!scales.empty() && scales.size() != rank) {
      return KernelError(op, ": scales [", absl::StrJoin(scales, ","), "] has ", scales.size(),
                         " values for input of shape ", ShapeString(x.shape));
    }
    if (!sizes.empty() && sizes.size() != rank) {
      return KernelError(op, ": sizes [", absl::StrJoin(sizes, ","), "] has ", sizes.size(),
                         " values for input of shape ", ShapeString(x.shape));
    }
    std::vector<float> roi;
    if (options_.coordinate == CoordinateMode::kTfCropAndResize) {
      if (given(1)) {
        HB_ASSIGN_OR_RETURN(roi, ConstantFloats(inputs[1], "input 1 'roi'"));
        if (roi.size() != 2 * rank) {
          return KernelError(op, ": input 1 'roi' has ", roi.size(), " values, expected ", 2 * rank,
                             " for input of shape ", ShapeString(x.shape));
        }
      } else {
        roi.assign(rank, 0.0f);
        roi.insert(roi.end(), rank, 1.0f);
      }
    }

    out_shape_.assign(rank, 0);
    taps_.assign(rank, {});
    for (size_t d = 0; d < rank; ++d) {
      const int64_t in = x.shape[d];
      const double roi_start = roi.empty() ? 0.0 : roi[d];
      const double roi_end = roi.empty() ? 1.0 : roi[rank + d];
      double scale;
      double length;
      if (!sizes.empty()) {
        if (sizes[d] < 0) {
          return KernelError(op, ": sizes [", absl::StrJoin(sizes, ","), "] must be >= 0");
        }
        out_shape_[d] = sizes[d];
        scale = in > 0 ? static_cast<double>(sizes[d]) / static_cast<double>(in) : 1.0;
        length = static_cast<double>(sizes[d]);
      } else {
        if (!(scales[d] > 0)) {
          return KernelError(op, ": scales [", absl::StrJoin(scales, ","), "] must be positive");
        }
        scale = scales[d];
        length = static_cast<double>(in) * scale;
        if (options_.coordinate == CoordinateMode::kTfCropAndResize) {
          length *= roi_end - roi_start;
        }
        out_shape_[d] = static_cast<int64_t>(std::floor(length));
      }
      if (out_shape_[d] > 0 && in == 0) {
        return KernelError(op, ": cannot resize the empty dimension ", d, " of ",
                           ShapeString(x.shape), " to ", out_shape_[d]);
      }
      std::vector<Taps>& dim_taps = taps_[d];
      dim_taps.resize(static_cast<size_t>(out_shape_[d]));
      for (int64_t i = 0; i < out_shape_[d]; ++i) {
        const double source =
            SourceCoordinate(options_, i, in, out_shape_[d], scale, length, roi_start, roi_end);
        dim_taps[static_cast<size_t>(i)] = ComputeTaps(options_, source, in);
      }
    }
    dtype_ = x.dtype;
    in_strides_ = Strides(x.shape);
    if (options_.mode == InterpolationMode::kNearest) {
      if (dtype_ == DType::kF16) {
        if (options_.coordinate == CoordinateMode::kTfCropAndResize) {
          return KernelError(op,
                             ": tf_crop_and_resize needs an extrapolation value, which is "
                             "not supported for float16");
        }
        extrapolation_bytes_.assign(2, '\0');
      } else {
        HB_ASSIGN_OR_RETURN(extrapolation_bytes_, ScalarBytes(dtype_, options_.extrapolation, op,
                                                              "attribute 'extrapolation_value'"));
      }
    }
    outputs->assign(1, TensorInfo{x.dtype, out_shape_, nullptr});
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    if (options_.mode == InterpolationMode::kNearest) {
      RunNearest(inputs[0].data, outputs[0].data);
    } else if (dtype_ == DType::kF64) {
      RunInterpolation(out_shape_, taps_, in_strides_, options_.extrapolation,
                       inputs[0].as<double>(), outputs[0].as<double>());
    } else {
      RunInterpolation(out_shape_, taps_, in_strides_, options_.extrapolation,
                       inputs[0].as<float>(), outputs[0].as<float>());
    }
    return absl::OkStatus();
  }

 private:
  // Nearest copies whole elements as bytes, so it serves every dtype.
  void RunNearest(const void* x_data, void* y_data) const {
    const char* x = static_cast<const char*>(x_data);
    char* y = static_cast<char*>(y_data);
    const int64_t size = static_cast<int64_t>(DTypeSize(dtype_));
    const size_t rank = out_shape_.size();
    const int64_t count = NumElements(out_shape_);
    int64_t o[kNnMaxRank] = {};
    for (int64_t i = 0; i < count; ++i) {
      int64_t offset = 0;
      bool outside = false;
      for (size_t d = 0; d < rank; ++d) {
        const Taps& taps = taps_[d][static_cast<size_t>(o[d])];
        outside = outside || taps.outside;
        offset += taps.index[0] * in_strides_[d];
      }
      const char* src = outside ? extrapolation_bytes_.data() : x + offset * size;
      std::memcpy(y + i * size, src, static_cast<size_t>(size));
      NextIndex(out_shape_.data(), rank, o);
    }
  }

  const char* op_ = "Resize";
  ResizeOptions options_;
  bool legacy_ = false;            // Resize-10 / Upsample: asymmetric, nearest = floor
  bool scales_attribute_ = false;  // Upsample-7: scales is an attribute
  std::vector<float> attribute_scales_;
  DType dtype_ = DType::kF32;
  Shape out_shape_;
  std::vector<int64_t> in_strides_;
  std::vector<std::vector<Taps>> taps_;
  std::string extrapolation_bytes_;
};

}  // namespace

KernelOrError CreateResizeKernel(const KernelCreateArgs& args) {
  return ResizeKernel::Create(args, /*upsample=*/false);
}

KernelOrError CreateUpsampleKernel(const KernelCreateArgs& args) {
  return ResizeKernel::Create(args, /*upsample=*/true);
}

}  // namespace hb_dnn::kernels::nn
