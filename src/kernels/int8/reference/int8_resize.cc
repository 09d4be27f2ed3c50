// int8 Resize reference kernel (hb_dnn.bpu) over the H and W of NCHW int8 data, output size from
// the `sizes` attribute. Per output index o along an axis of `in` input and `out` output
// elements, the source coordinate x (double, as ONNX Resize computes it, with scale = out / in):
//   half_pixel:         (o + 0.5) / scale - 0.5
//   pytorch_half_pixel: as half_pixel when out > 1, else 0
//   align_corners:      o * (in - 1) / (out - 1), 0 when out == 1
//   asymmetric:         o / scale
// nearest: x is rounded by nearest_mode (round_prefer_floor, round_prefer_ceil, floor, ceil) and
//   clamped to [0, in - 1]; the element is copied, or requantized with M = x_scale / y_scale when
//   the scales differ.
// linear: x is clamped to [0, in - 1] (edge replication, which is what ONNX's out-of-range taps
//   amount to), x0 = floor(x), x1 = min(x0 + 1, in - 1), f = float(x - x0); then in float
//   v = (1-fy)*((1-fx)*a + fx*b) + fy*((1-fx)*c + fx*d) with a = X[y0,x0], b = X[y0,x1],
//   c = X[y1,x0], d = X[y1,x1] and 1-f = 1.0f - f, and y = sat(rne(v * M)).
// The per-axis taps are computed at Prepare; Run only reads them.

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/int8/reference/int8_kernels.h"
#include "src/kernels/int8/reference/int8_util.h"
#include "src/kernels/int8/requantize.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/reference/nn_util.h"

namespace hb_dnn::kernels::int8 {
namespace {

constexpr char kOp[] = "Resize";

enum class CoordinateMode { kHalfPixel, kPytorchHalfPixel, kAlignCorners, kAsymmetric };
enum class NearestMode { kRoundPreferFloor, kRoundPreferCeil, kFloor, kCeil };

// One output index's source along one axis: nearest uses i0 only.
struct AxisTap {
  int64_t i0 = 0;
  int64_t i1 = 0;
  float f = 0.0f;
};

double SourceCoordinate(CoordinateMode mode, int64_t o, int64_t in, int64_t out) {
  const double scale = static_cast<double>(out) / static_cast<double>(in);
  const double x = static_cast<double>(o);
  switch (mode) {
    case CoordinateMode::kHalfPixel:
      return (x + 0.5) / scale - 0.5;
    case CoordinateMode::kPytorchHalfPixel:
      return out > 1 ? (x + 0.5) / scale - 0.5 : 0.0;
    case CoordinateMode::kAlignCorners:
      return out == 1 ? 0.0 : x * static_cast<double>(in - 1) / static_cast<double>(out - 1);
    case CoordinateMode::kAsymmetric:
      return x / scale;
  }
  return 0.0;
}

int64_t Clamp(int64_t i, int64_t in) { return i < 0 ? 0 : (i >= in ? in - 1 : i); }

std::vector<AxisTap> AxisTaps(bool linear, CoordinateMode coordinate, NearestMode nearest,
                              int64_t in, int64_t out) {
  std::vector<AxisTap> taps(static_cast<size_t>(out));
  for (int64_t o = 0; o < out; ++o) {
    const double x = SourceCoordinate(coordinate, o, in, out);
    AxisTap& t = taps[o];
    if (!linear) {
      const double lower = std::floor(x);
      const double r = x - lower;
      bool up = false;
      switch (nearest) {
        case NearestMode::kRoundPreferFloor: up = r > 0.5; break;
        case NearestMode::kRoundPreferCeil: up = r >= 0.5; break;
        case NearestMode::kFloor: up = false; break;
        case NearestMode::kCeil: up = r > 0.0; break;
      }
      t.i0 = Clamp(static_cast<int64_t>(lower) + (up ? 1 : 0), in);
      t.i1 = t.i0;
      continue;
    }
    const double clamped = x < 0.0 ? 0.0 : (x > static_cast<double>(in - 1) ? in - 1.0 : x);
    const double lower = std::floor(clamped);
    t.i0 = static_cast<int64_t>(lower);
    t.i1 = t.i0 + 1 < in ? t.i0 + 1 : in - 1;
    t.f = static_cast<float>(clamped - lower);
  }
  return taps;
}

class Int8ResizeKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    const Attributes& attributes = args.attributes;
    auto kernel = std::make_unique<Int8ResizeKernel>();
    HB_ASSIGN_OR_RETURN(std::string mode, attributes.GetString("mode", "nearest"));
    if (mode != "nearest" && mode != "linear") {
      return KernelError(kOp, ": attribute 'mode' is '", mode,
                         "'; the int8 Resize supports nearest and linear");
    }
    kernel->linear_ = mode == "linear";
    HB_ASSIGN_OR_RETURN(std::string coordinate,
                        attributes.GetString("coordinate_transformation_mode", "half_pixel"));
    if (coordinate == "half_pixel") {
      kernel->coordinate_ = CoordinateMode::kHalfPixel;
    } else if (coordinate == "pytorch_half_pixel") {
      kernel->coordinate_ = CoordinateMode::kPytorchHalfPixel;
    } else if (coordinate == "align_corners") {
      kernel->coordinate_ = CoordinateMode::kAlignCorners;
    } else if (coordinate == "asymmetric") {
      kernel->coordinate_ = CoordinateMode::kAsymmetric;
    } else {
      return KernelError(kOp, ": attribute 'coordinate_transformation_mode' is '", coordinate,
                         "', expected half_pixel, pytorch_half_pixel, align_corners or "
                         "asymmetric");
    }
    HB_ASSIGN_OR_RETURN(std::string nearest,
                        attributes.GetString("nearest_mode", "round_prefer_floor"));
    if (nearest == "round_prefer_floor") {
      kernel->nearest_ = NearestMode::kRoundPreferFloor;
    } else if (nearest == "round_prefer_ceil") {
      kernel->nearest_ = NearestMode::kRoundPreferCeil;
    } else if (nearest == "floor") {
      kernel->nearest_ = NearestMode::kFloor;
    } else if (nearest == "ceil") {
      kernel->nearest_ = NearestMode::kCeil;
    } else {
      return KernelError(kOp, ": attribute 'nearest_mode' is '", nearest,
                         "', expected round_prefer_floor, round_prefer_ceil, floor or ceil");
    }
    if (!attributes.Has("sizes")) {
      return KernelError(kOp, ": attribute 'sizes' (output N, C, H, W) is required");
    }
    HB_ASSIGN_OR_RETURN(kernel->sizes_, attributes.GetInts("sizes"));
    absl::StatusOr<float> x_scale = ReadScale(attributes, "x_scale");
    HB_RETURN_IF_ERROR(WithOp(kOp, x_scale.status()));
    absl::StatusOr<float> y_scale = ReadScale(attributes, "y_scale");
    HB_RETURN_IF_ERROR(WithOp(kOp, y_scale.status()));
    kernel->copy_ = *x_scale == *y_scale;
    kernel->multiplier_ = Multiplier(*x_scale, 1.0, *y_scale);
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(CheckInputCount(kOp, inputs, 1, 1));
    const TensorInfo& x = inputs[0];
    HB_RETURN_IF_ERROR(CheckInt8(kOp, x, "input 0 'X'"));
    if (x.shape.size() != 4 || x.shape[2] < 1 || x.shape[3] < 1) {
      return KernelError(kOp, ": input 0 'X' has shape ", ShapeString(x.shape),
                         " but the int8 Resize needs a non-empty (N, C, H, W)");
    }
    if (sizes_.size() != 4 || sizes_[0] != x.shape[0] || sizes_[1] != x.shape[1] ||
        sizes_[2] < 1 || sizes_[3] < 1) {
      return KernelError(kOp, ": attribute 'sizes' is ", nn::IntsString(sizes_),
                         " but input 0 'X' ", ShapeString(x.shape),
                         " needs [N, C, OH, OW] with its N and C and positive OH, OW");
    }
    planes_ = x.shape[0] * x.shape[1];
    in_h_ = x.shape[2];
    in_w_ = x.shape[3];
    rows_ = AxisTaps(linear_, coordinate_, nearest_, in_h_, sizes_[2]);
    cols_ = AxisTaps(linear_, coordinate_, nearest_, in_w_, sizes_[3]);
    outputs->assign(1, TensorInfo{DType::kI8, sizes_, nullptr});
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const int8_t* x = inputs[0].as<int8_t>();
    int8_t* y = outputs[0].as<int8_t>();
    const QuantBounds bounds;
    for (int64_t plane = 0; plane < planes_; ++plane) {
      const int8_t* src = x + plane * in_h_ * in_w_;
      for (const AxisTap& r : rows_) {
        for (const AxisTap& c : cols_) {
          if (!linear_) {
            const int8_t q = src[r.i0 * in_w_ + c.i0];
            *y++ = copy_ ? q : Requantize(q, multiplier_, bounds);
            continue;
          }
          const float a = src[r.i0 * in_w_ + c.i0];
          const float b = src[r.i0 * in_w_ + c.i1];
          const float cc = src[r.i1 * in_w_ + c.i0];
          const float d = src[r.i1 * in_w_ + c.i1];
          const float fx = c.f;
          const float fy = r.f;
          const float top = (1.0f - fx) * a + fx * b;
          const float bottom = (1.0f - fx) * cc + fx * d;
          const float v = (1.0f - fy) * top + fy * bottom;
          *y++ = SaturateRounded(v * multiplier_, bounds);
        }
      }
    }
    return absl::OkStatus();
  }

 private:
  bool linear_ = false;
  CoordinateMode coordinate_ = CoordinateMode::kHalfPixel;
  NearestMode nearest_ = NearestMode::kRoundPreferFloor;
  std::vector<int64_t> sizes_;
  bool copy_ = true;
  float multiplier_ = 1.0f;
  int64_t planes_ = 0;
  int64_t in_h_ = 0;
  int64_t in_w_ = 0;
  std::vector<AxisTap> rows_;
  std::vector<AxisTap> cols_;
};

}  // namespace

KernelOrError CreateInt8ResizeReference(const KernelCreateArgs& args) {
  return Int8ResizeKernel::Create(args);
}

}  // namespace hb_dnn::kernels::int8
