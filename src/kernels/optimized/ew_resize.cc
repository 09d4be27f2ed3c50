// Optimized Resize for 4-D float32 NCHW tensors resized over H and W only, mode nearest (every
// nearest_mode) or linear (bilinear, exclude_outside = 0), with the coordinate transformations
// half_pixel, pytorch_half_pixel, align_corners, asymmetric and tf_half_pixel_for_nn (and
// Resize-10's asymmetric + floor). Prepare computes each output row's and column's source taps
// exactly as the reference does (the source coordinate in double, then its one nearest or two
// linear taps with indices clamped to the input, an integral coordinate putting all weight on
// itself); Run walks the output rows: nearest gathers the row's columns (or copies the previous
// output row when both come from the same input row), linear blends the taps of one or two
// input rows. Linear sums in float32 where the reference uses double, so results differ from it
// by rounding (and an infinite input next to a zero-weight column tap gives NaN). Everything
// else (other ranks and dtypes, N or C resized, cubic, tf_crop_and_resize, exclude_outside)
// runs on the wrapped reference kernel, which also validates every node.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "src/base/parallel_for.h"
#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/optimized/ew_kernels.h"
#include "src/kernels/reference/nn_kernels.h"
#include "src/kernels/reference/nn_util.h"

namespace hb_dnn::kernels::optimized {
namespace {

// Output elements per ParallelFor chunk of rows.
constexpr int64_t kGrainElements = 32768;

enum class Coordinate { kHalfPixel, kPytorchHalfPixel, kAlignCorners, kAsymmetric, kTfHalfPixel };
enum class Rounding { kRoundPreferFloor, kRoundPreferCeil, kFloor, kCeil };

// One output index's taps along one dimension: index0 alone for nearest; for linear
// weight0 * index0 + weight1 * index1 (weight1 = 0, index1 = index0 for a single tap).
struct Tap {
  int64_t index0 = 0;
  int64_t index1 = 0;
  float weight0 = 1.0f;
  float weight1 = 0.0f;
};

int64_t ClampIndex(int64_t i, int64_t size) { return i < 0 ? 0 : (i >= size ? size - 1 : i); }

// The source coordinate of output index x, as the reference computes it (`length` is the
// input size times the scale before flooring).
double SourceCoordinate(Coordinate mode, int64_t x, int64_t in, int64_t out, double scale,
                        double length) {
  const double xr = static_cast<double>(x);
  switch (mode) {
    case Coordinate::kHalfPixel:
      return (xr + 0.5) / scale - 0.5;
    case Coordinate::kPytorchHalfPixel:
      return out > 1 ? (xr + 0.5) / scale - 0.5 : 0.0;
    case Coordinate::kAlignCorners:
      return length - 1 == 0 ? 0.0 : xr * static_cast<double>(in - 1) / (length - 1);
    case Coordinate::kAsymmetric:
      return xr / scale;
    case Coordinate::kTfHalfPixel:
      return (xr + 0.5) / scale;
  }
  return 0.0;
}

Tap NearestTap(Rounding rounding, double x, int64_t in) {
  double chosen = x;
  const double f = std::floor(x);
  if (x != f) {
    const double r = x - f;
    bool up = false;
    switch (rounding) {
      case Rounding::kRoundPreferFloor:
        up = r > 0.5;
        break;
      case Rounding::kRoundPreferCeil:
        up = r >= 0.5;
        break;
      case Rounding::kFloor:
        up = false;
        break;
      case Rounding::kCeil:
        up = true;
        break;
    }
    chosen = up ? f + 1 : f;
  }
  Tap tap;
  tap.index0 = ClampIndex(static_cast<int64_t>(chosen), in);
  tap.index1 = tap.index0;
  return tap;
}

// Taps f and f + 1 with f = ceil(x) - 1, so that the ratio r = x - f is in (0, 1]. An integral
// x has r = 1, and its zero-weight tap f is dropped like the reference drops it.
Tap LinearTap(double x, int64_t in) {
  const double f = x == std::floor(x) ? x - 1 : std::floor(x);
  const double r = x - f;
  const int64_t first = static_cast<int64_t>(f);
  Tap tap;
  if (r == 1) {
    tap.index0 = ClampIndex(first + 1, in);
    tap.index1 = tap.index0;
    return tap;
  }
  tap.index0 = ClampIndex(first, in);
  tap.index1 = ClampIndex(first + 1, in);
  tap.weight0 = static_cast<float>(1 - r);
  tap.weight1 = static_cast<float>(r);
  return tap;
}

class EwResizeKernel final : public OpKernel {
 public:
  static EwKernelOrError Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<EwResizeKernel>();
    // The reference kernel reads and checks the attributes; reading them again cannot fail.
    HB_ASSIGN_OR_RETURN(kernel->reference_, nn::CreateResizeKernel(args));
    const Attributes& attributes = args.attributes;
    HB_ASSIGN_OR_RETURN(std::string mode, attributes.GetString("mode", "nearest"));
    kernel->linear_ = mode == "linear";
    bool supported = mode == "nearest" || mode == "linear";
    kernel->legacy_ = args.opset_version < 11;
    if (kernel->legacy_) {
      kernel->coordinate_ = Coordinate::kAsymmetric;
      kernel->rounding_ = Rounding::kFloor;
    } else {
      HB_ASSIGN_OR_RETURN(std::string coordinate,
                          attributes.GetString("coordinate_transformation_mode", "half_pixel"));
      HB_ASSIGN_OR_RETURN(std::string nearest,
                          attributes.GetString("nearest_mode", "round_prefer_floor"));
      HB_ASSIGN_OR_RETURN(int64_t exclude_outside, attributes.GetInt("exclude_outside", 0));
      if (coordinate == "half_pixel") {
        kernel->coordinate_ = Coordinate::kHalfPixel;
      } else if (coordinate == "pytorch_half_pixel") {
        kernel->coordinate_ = Coordinate::kPytorchHalfPixel;
      } else if (coordinate == "align_corners") {
        kernel->coordinate_ = Coordinate::kAlignCorners;
      } else if (coordinate == "asymmetric") {
        kernel->coordinate_ = Coordinate::kAsymmetric;
      } else if (coordinate == "tf_half_pixel_for_nn") {
        kernel->coordinate_ = Coordinate::kTfHalfPixel;
      } else {
        supported = false;
      }
      if (nearest == "round_prefer_ceil") {
        kernel->rounding_ = Rounding::kRoundPreferCeil;
      } else if (nearest == "floor") {
        kernel->rounding_ = Rounding::kFloor;
      } else if (nearest == "ceil") {
        kernel->rounding_ = Rounding::kCeil;
      } else {
        kernel->rounding_ = Rounding::kRoundPreferFloor;
      }
      // exclude_outside renormalizes the linear weights at the borders; not covered here.
      if (kernel->linear_ && exclude_outside != 0) supported = false;
    }
    kernel->supported_ = supported;
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(reference_->Prepare(inputs, outputs));
    fast_ = false;
    const TensorInfo& x = inputs[0];
    const Shape& y = (*outputs)[0].shape;
    if (!supported_ || x.dtype != DType::kF32 || x.shape.size() != 4 || y.size() != 4 ||
        NumElements(x.shape) == 0 || NumElements(y) == 0) {
      return absl::OkStatus();
    }
    // The scales or sizes, read as the reference reads them (it has checked them).
    auto given = [&](size_t i) {
      return inputs.size() > i && inputs[i].present() && inputs[i].num_elements() > 0;
    };
    std::vector<float> scales;
    std::vector<int64_t> sizes;
    if (legacy_) {
      HB_ASSIGN_OR_RETURN(scales, ConstantFloats(inputs[1], "input 1 'scales'"));
    } else if (given(2)) {
      HB_ASSIGN_OR_RETURN(scales, ConstantFloats(inputs[2], "input 2 'scales'"));
    } else {
      HB_ASSIGN_OR_RETURN(sizes, ConstantInts(inputs[3], "input 3 'sizes'"));
    }
    std::vector<Tap> taps[4];
    for (size_t d = 0; d < 4; ++d) {
      const int64_t in = x.shape[d];
      const int64_t out = y[d];
      double scale;
      double length;
      if (!sizes.empty()) {
        scale = static_cast<double>(out) / static_cast<double>(in);
        length = static_cast<double>(out);
      } else {
        scale = scales[d];
        length = static_cast<double>(in) * scale;
      }
      taps[d].resize(static_cast<size_t>(out));
      for (int64_t i = 0; i < out; ++i) {
        const double source = SourceCoordinate(coordinate_, i, in, out, scale, length);
        taps[d][static_cast<size_t>(i)] =
            linear_ ? LinearTap(source, in) : NearestTap(rounding_, source, in);
      }
    }
    // N and C must map onto themselves, each index to itself with full weight.
    for (size_t d = 0; d < 2; ++d) {
      if (y[d] != x.shape[d]) return absl::OkStatus();
      for (int64_t i = 0; i < y[d]; ++i) {
        const Tap& tap = taps[d][static_cast<size_t>(i)];
        if (tap.index0 != i || tap.weight0 != 1.0f || tap.weight1 != 0.0f) {
          return absl::OkStatus();
        }
      }
    }
    planes_ = y[0] * y[1];
    in_h_ = x.shape[2];
    in_w_ = x.shape[3];
    out_h_ = y[2];
    out_w_ = y[3];
    rows_ = std::move(taps[2]);
    const std::vector<Tap>& columns = taps[3];
    column_index0_.resize(static_cast<size_t>(out_w_));
    column_index1_.resize(static_cast<size_t>(out_w_));
    column_weight0_.resize(static_cast<size_t>(out_w_));
    column_weight1_.resize(static_cast<size_t>(out_w_));
    for (size_t i = 0; i < columns.size(); ++i) {
      column_index0_[i] = columns[i].index0;
      column_index1_[i] = columns[i].index1;
      column_weight0_[i] = columns[i].weight0;
      column_weight1_[i] = columns[i].weight1;
    }
    fast_ = true;
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    if (!fast_) return reference_->Run(inputs, outputs);
    const float* x = inputs[0].as<float>();
    float* y = outputs[0].as<float>();
    const int64_t grain = std::max<int64_t>(1, kGrainElements / out_w_);
    ParallelFor(0, planes_ * out_h_, grain, [&](int64_t begin, int64_t end) {
      for (int64_t t = begin; t < end; ++t) {
        const int64_t plane = t / out_h_;
        const int64_t oy = t % out_h_;
        const float* x_plane = x + plane * in_h_ * in_w_;
        float* dst = y + t * out_w_;
        if (linear_) {
          LinearRow(x_plane, rows_[static_cast<size_t>(oy)], dst);
          continue;
        }
        const int64_t iy = rows_[static_cast<size_t>(oy)].index0;
        // Output rows from the same input row are equal; copy the one this chunk just wrote.
        if (t > begin && oy > 0 && rows_[static_cast<size_t>(oy - 1)].index0 == iy) {
          std::memcpy(dst, dst - out_w_, static_cast<size_t>(out_w_) * sizeof(float));
          continue;
        }
        const float* src = x_plane + iy * in_w_;
        const int64_t* index = column_index0_.data();
        for (int64_t ox = 0; ox < out_w_; ++ox) dst[ox] = src[index[ox]];
      }
    });
    return absl::OkStatus();
  }

 private:
  // One linear output row from the one or two input rows of `row`.
  void LinearRow(const float* x_plane, const Tap& row, float* dst) const {
    const int64_t* i0 = column_index0_.data();
    const int64_t* i1 = column_index1_.data();
    const float* w0 = column_weight0_.data();
    const float* w1 = column_weight1_.data();
    const float* top = x_plane + row.index0 * in_w_;
    if (row.weight1 == 0.0f) {
      const float wy = row.weight0;
      for (int64_t ox = 0; ox < out_w_; ++ox) {
        dst[ox] = wy * (top[i0[ox]] * w0[ox] + top[i1[ox]] * w1[ox]);
      }
      return;
    }
    const float* bottom = x_plane + row.index1 * in_w_;
    const float wy0 = row.weight0;
    const float wy1 = row.weight1;
    for (int64_t ox = 0; ox < out_w_; ++ox) {
      const float upper = top[i0[ox]] * w0[ox] + top[i1[ox]] * w1[ox];
      const float lower = bottom[i0[ox]] * w0[ox] + bottom[i1[ox]] * w1[ox];
      dst[ox] = wy0 * upper + wy1 * lower;
    }
  }

  std::unique_ptr<OpKernel> reference_;
  bool supported_ = false;  // the attributes are ones the fast path covers
  bool linear_ = false;
  bool legacy_ = false;  // Resize-10: scales is input 1
  Coordinate coordinate_ = Coordinate::kHalfPixel;
  Rounding rounding_ = Rounding::kRoundPreferFloor;

  // Prepared.
  bool fast_ = false;
  int64_t planes_ = 0;
  int64_t in_h_ = 0;
  int64_t in_w_ = 0;
  int64_t out_h_ = 0;
  int64_t out_w_ = 0;
  std::vector<Tap> rows_;
  // The column taps split into arrays for the row loops.
  std::vector<int64_t> column_index0_;
  std::vector<int64_t> column_index1_;
  std::vector<float> column_weight0_;
  std::vector<float> column_weight1_;
};

}  // namespace

EwKernelOrError CreateEwResizeKernel(const KernelCreateArgs& args) {
  return EwResizeKernel::Create(args);
}

}  // namespace hb_dnn::kernels::optimized
