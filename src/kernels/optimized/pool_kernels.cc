// Optimized MaxPool (2-D fp32) and GlobalAveragePool (fp32). MaxPool scans each output row's
// windows directly: the columns whose windows lie inside the input go to the ew_isa.h row
// function (vectors across output columns, strides 1 and 2 deinterleaved), the few border
// columns clip their windows here. Padded positions never contribute, as in the reference.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "src/base/parallel_for.h"
#include "src/base/status_macros.h"
#include "src/kernels/optimized/ew_isa.h"
#include "src/kernels/optimized/ew_kernels.h"
#include "src/kernels/reference/nn_kernels.h"
#include "src/kernels/reference/nn_util.h"

namespace hb_dnn::kernels::optimized {
namespace {

// Input elements per ParallelFor chunk of planes.
constexpr int64_t kPoolGrainElements = 32768;

// Most window rows the fast path takes (the row pointers live on the stack).
constexpr int64_t kMaxWindowRows = 64;

int64_t PlaneGrain(int64_t plane_elements) {
  return std::max<int64_t>(1, kPoolGrainElements / std::max<int64_t>(1, plane_elements));
}

// The reference's rule: a larger value or the first NaN replaces the running maximum.
float MaxKeepFirst(float best, float v) { return v > best || (v != v && best == best) ? v : best; }

class PoolMaxPoolKernel final : public OpKernel {
 public:
  PoolMaxPoolKernel(std::unique_ptr<OpKernel> reference, nn::WindowAttributes window,
                    bool ceil_mode, int num_outputs, const ew::EwConfig& config)
      : reference_(std::move(reference)),
        window_(std::move(window)),
        ceil_mode_(ceil_mode),
        num_outputs_(num_outputs),
        row_fn_(config.max_pool_row) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(reference_->Prepare(inputs, outputs));
    const Shape& x = inputs[0].shape;
    fast_ = inputs[0].dtype == DType::kF32 && num_outputs_ == 1 && x.size() == 4 &&
            window_.kernel_shape.size() == 2;
    if (!fast_) return absl::OkStatus();
    HB_ASSIGN_OR_RETURN(nn::WindowGeometry g,
                        nn::ComputeWindowGeometry(window_, {x[2], x[3]}, window_.kernel_shape,
                                                  ceil_mode_, "MaxPool"));
    fast_ = g.dilations[0] == 1 && g.dilations[1] == 1 && g.kernel[0] <= kMaxWindowRows;
    planes_ = x[0] * x[1];
    in_h_ = x[2];
    in_w_ = x[3];
    kernel_h_ = g.kernel[0];
    kernel_w_ = g.kernel[1];
    stride_h_ = g.strides[0];
    stride_w_ = g.strides[1];
    pad_top_ = g.pad_begin[0];
    pad_left_ = g.pad_begin[1];
    out_h_ = g.output[0];
    out_w_ = g.output[1];
    // Output columns whose windows lie horizontally inside the input: [interior_begin_,
    // interior_end_).
    interior_begin_ = std::min(out_w_, (pad_left_ + stride_w_ - 1) / stride_w_);
    const int64_t span = in_w_ + pad_left_ - kernel_w_;
    interior_end_ = span < 0 ? interior_begin_ : span / stride_w_ + 1;
    interior_end_ = std::clamp(interior_end_, interior_begin_, out_w_);
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    if (!fast_) return reference_->Run(inputs, outputs);
    const float* x = inputs[0].as<float>();
    float* y = outputs[0].as<float>();
    const int64_t in_plane = in_h_ * in_w_;
    const int64_t out_plane = out_h_ * out_w_;
    ParallelFor(0, planes_, PlaneGrain(in_plane), [&](int64_t begin, int64_t end) {
      for (int64_t plane = begin; plane < end; ++plane) {
        RunPlane(x + plane * in_plane, y + plane * out_plane);
      }
    });
    return absl::OkStatus();
  }

 private:
  void RunPlane(const float* x, float* y) const {
    const float* rows[kMaxWindowRows];
    for (int64_t oy = 0; oy < out_h_; ++oy) {
      float* y_row = y + oy * out_w_;
      const int64_t top = oy * stride_h_ - pad_top_;
      const int64_t row_begin = std::max<int64_t>(0, top);
      const int64_t row_end = std::min(in_h_, top + kernel_h_);
      if (row_begin >= row_end) {  // the window covers only padding
        std::fill(y_row, y_row + out_w_, std::numeric_limits<float>::lowest());
        continue;
      }
      const int row_count = static_cast<int>(row_end - row_begin);
      for (int r = 0; r < row_count; ++r) rows[r] = x + (row_begin + r) * in_w_;
      for (int64_t ox = 0; ox < interior_begin_; ++ox) {
        y_row[ox] = BorderWindow(rows, row_count, ox);
      }
      if (interior_end_ > interior_begin_) {
        const float* shifted[kMaxWindowRows];
        const int64_t left = interior_begin_ * stride_w_ - pad_left_;
        for (int r = 0; r < row_count; ++r) shifted[r] = rows[r] + left;
        row_fn_(shifted, row_count, kernel_w_, stride_w_, y_row + interior_begin_,
                interior_end_ - interior_begin_);
      }
      for (int64_t ox = interior_end_; ox < out_w_; ++ox) {
        y_row[ox] = BorderWindow(rows, row_count, ox);
      }
    }
  }

  // The maximum of the window of output column `ox`, clipped to the input's columns.
  float BorderWindow(const float* const* rows, int row_count, int64_t ox) const {
    const int64_t left = ox * stride_w_ - pad_left_;
    const int64_t column_begin = std::max<int64_t>(0, left);
    const int64_t column_end = std::min(in_w_, left + kernel_w_);
    if (column_begin >= column_end) return std::numeric_limits<float>::lowest();
    float best = rows[0][column_begin];
    for (int r = 0; r < row_count; ++r) {
      for (int64_t c = r == 0 ? column_begin + 1 : column_begin; c < column_end; ++c) {
        best = MaxKeepFirst(best, rows[r][c]);
      }
    }
    return best;
  }

  const std::unique_ptr<OpKernel> reference_;
  const nn::WindowAttributes window_;
  const bool ceil_mode_;
  const int num_outputs_;
  const ew::MaxPoolRowFn row_fn_;
  bool fast_ = false;
  int64_t planes_ = 0;
  int64_t in_h_ = 0;
  int64_t in_w_ = 0;
  int64_t kernel_h_ = 0;
  int64_t kernel_w_ = 0;
  int64_t stride_h_ = 1;
  int64_t stride_w_ = 1;
  int64_t pad_top_ = 0;
  int64_t pad_left_ = 0;
  int64_t out_h_ = 0;
  int64_t out_w_ = 0;
  int64_t interior_begin_ = 0;
  int64_t interior_end_ = 0;
};

// GlobalAveragePool on fp32: per plane a double sum (as the reference) in four independent
// partial sums, so the result may differ from the reference's sequential sum in the last bit
// of the double, rarely of the float.
class PoolGlobalAveragePoolKernel final : public OpKernel {
 public:
  explicit PoolGlobalAveragePoolKernel(std::unique_ptr<OpKernel> reference)
      : reference_(std::move(reference)) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(reference_->Prepare(inputs, outputs));
    fast_ = inputs[0].dtype == DType::kF32;
    const Shape& x = inputs[0].shape;
    planes_ = x[0] * x[1];
    inner_ = NumElements(Shape(x.begin() + 2, x.end()));
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    if (!fast_) return reference_->Run(inputs, outputs);
    const float* x = inputs[0].as<float>();
    float* y = outputs[0].as<float>();
    const int64_t inner = inner_;
    ParallelFor(0, planes_, PlaneGrain(inner), [&](int64_t begin, int64_t end) {
      for (int64_t plane = begin; plane < end; ++plane) {
        const float* p = x + plane * inner;
        double sums[4] = {0, 0, 0, 0};
        int64_t i = 0;
        for (; i + 4 <= inner; i += 4) {
          for (int j = 0; j < 4; ++j) sums[j] += static_cast<double>(p[i + j]);
        }
        for (; i < inner; ++i) sums[0] += static_cast<double>(p[i]);
        const double sum = (sums[0] + sums[1]) + (sums[2] + sums[3]);
        y[plane] = static_cast<float>(sum / static_cast<double>(inner));
      }
    });
    return absl::OkStatus();
  }

 private:
  const std::unique_ptr<OpKernel> reference_;
  bool fast_ = false;
  int64_t planes_ = 0;
  int64_t inner_ = 1;
};

}  // namespace

EwKernelOrError CreatePoolMaxPoolKernel(const KernelCreateArgs& args, IsaLevel isa) {
  HB_ASSIGN_OR_RETURN(std::unique_ptr<OpKernel> reference, nn::CreateMaxPoolKernel(args));
  // The reference factory has validated these attributes.
  HB_ASSIGN_OR_RETURN(nn::WindowAttributes window,
                      nn::ReadWindowAttributes(args.attributes, "MaxPool"));
  HB_ASSIGN_OR_RETURN(int64_t ceil_mode, args.attributes.GetInt("ceil_mode", 0));
  return std::make_unique<PoolMaxPoolKernel>(std::move(reference), std::move(window),
                                             ceil_mode != 0, args.num_outputs,
                                             ew::GetEwConfig(isa));
}

EwKernelOrError CreatePoolGlobalAveragePoolKernel(const KernelCreateArgs& args) {
  HB_ASSIGN_OR_RETURN(std::unique_ptr<OpKernel> reference,
                      nn::CreateGlobalAveragePoolKernel(args));
  return std::make_unique<PoolGlobalAveragePoolKernel>(std::move(reference));
}

}  // namespace hb_dnn::kernels::optimized
