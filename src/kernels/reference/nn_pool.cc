// Pooling reference kernels: MaxPool (with the optional Indices output), AveragePool,
// GlobalMaxPool and GlobalAveragePool. Windows are scanned directly; padded positions never
// contribute a value (MaxPool) and count toward the divisor only with count_include_pad.

#include <limits>
#include <memory>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/reference/nn_kernels.h"
#include "src/kernels/reference/nn_util.h"

namespace hb_dnn::kernels::nn {
namespace {

// Shapes of a prepared pooling: `planes` = N * C independent (n, c) planes of `input` spatial
// sizes, pooled into `output` spatial sizes with `geometry`.
struct PoolPlan {
  int64_t planes = 0;
  std::vector<int64_t> input;
  WindowGeometry geometry;
};

// Reads the window attributes and the MaxPool/AveragePool common ones, requiring kernel_shape.
absl::Status ReadPoolAttributes(const Attributes& attributes, const char* op,
                                WindowAttributes* window, bool* ceil_mode) {
  HB_ASSIGN_OR_RETURN(*window, ReadWindowAttributes(attributes, op));
  if (window->kernel_shape.empty()) {
    return KernelError(op, ": attribute 'kernel_shape' is required");
  }
  HB_ASSIGN_OR_RETURN(int64_t ceil, attributes.GetInt("ceil_mode", 0));
  *ceil_mode = ceil != 0;
  return absl::OkStatus();
}

// Validates X (rank 2 + kernel rank, one of `dtypes`) and computes the pooled shape.
absl::Status PreparePool(const char* op, const std::vector<TensorInfo>& inputs,
                         const WindowAttributes& window, bool ceil_mode,
                         std::initializer_list<DType> dtypes, PoolPlan* plan, Shape* y_shape) {
  if (inputs.size() != 1 || !inputs[0].present()) {
    return KernelError(op, ": expected 1 input, got ", inputs.size());
  }
  const TensorInfo& x = inputs[0];
  HB_RETURN_IF_ERROR(CheckDType(op, x, "input 0 'X'", dtypes));
  if (x.shape.size() != window.kernel_shape.size() + 2) {
    return KernelError(op, ": input 0 'X' has shape ", ShapeString(x.shape), " but a ",
                       window.kernel_shape.size(), "-D kernel_shape needs rank ",
                       window.kernel_shape.size() + 2);
  }
  plan->planes = x.shape[0] * x.shape[1];
  plan->input.assign(x.shape.begin() + 2, x.shape.end());
  HB_ASSIGN_OR_RETURN(plan->geometry, ComputeWindowGeometry(window, plan->input,
                                                            window.kernel_shape, ceil_mode, op));
  *y_shape = {x.shape[0], x.shape[1]};
  y_shape->insert(y_shape->end(), plan->geometry.output.begin(), plan->geometry.output.end());
  return absl::OkStatus();
}

// Row-major (storage_order 0) or column-major (1) element strides of the spatial dimensions,
// for MaxPool's Indices.
void IndexStrides(const std::vector<int64_t>& input, bool column_major, int64_t* strides) {
  const size_t rank = input.size();
  if (column_major) {
    for (size_t d = 0; d < rank; ++d) strides[d] = d == 0 ? 1 : strides[d - 1] * input[d - 1];
  } else {
    for (size_t d = rank; d-- > 0;) strides[d] = d + 1 == rank ? 1 : strides[d + 1] * input[d + 1];
  }
}

// Whether `value` replaces the running maximum `best`: larger, or the first NaN (a NaN in the
// window makes the maximum NaN, as numpy's max does). Ties keep the earlier element, whose index
// MaxPool reports.
template <typename T>
bool Wins(T value, T best) {
  return value > best || (value != value && best == best);
}

template <typename T>
void RunMaxPool(const PoolPlan& p, bool column_major, const T* x, T* y, int64_t* indices) {
  const WindowGeometry& g = p.geometry;
  const size_t rank = g.rank();
  const int64_t in_size = NumElements(p.input);
  const int64_t out_size = NumElements(g.output);
  const int64_t kernel_size = NumElements(g.kernel);
  int64_t in_strides[kNnMaxRank];
  int64_t index_strides[kNnMaxRank];
  IndexStrides(p.input, false, in_strides);
  IndexStrides(p.input, column_major, index_strides);
  for (int64_t plane = 0; plane < p.planes; ++plane) {
    const T* x_plane = x + plane * in_size;
    int64_t o[kNnMaxRank] = {};
    for (int64_t out_index = 0; out_index < out_size; ++out_index) {
      T best = std::numeric_limits<T>::lowest();
      int64_t best_index = -1;
      int64_t k[kNnMaxRank] = {};
      for (int64_t k_index = 0; k_index < kernel_size; ++k_index) {
        int64_t offset = 0;
        int64_t index = 0;
        bool inside = true;
        for (size_t d = 0; d < rank; ++d) {
          const int64_t pos = o[d] * g.strides[d] - g.pad_begin[d] + k[d] * g.dilations[d];
          if (pos < 0 || pos >= p.input[d]) {
            inside = false;
            break;
          }
          offset += pos * in_strides[d];
          index += pos * index_strides[d];
        }
        if (inside && (best_index < 0 || Wins(x_plane[offset], best))) {
          best = x_plane[offset];
          best_index = plane * in_size + index;
        }
        NextIndex(g.kernel.data(), rank, k);
      }
      y[plane * out_size + out_index] = best;
      if (indices != nullptr) indices[plane * out_size + out_index] = best_index;
      NextIndex(g.output.data(), rank, o);
    }
  }
}

template <typename T>
void RunAveragePool(const PoolPlan& p, bool count_include_pad, const T* x, T* y) {
  const WindowGeometry& g = p.geometry;
  const size_t rank = g.rank();
  const int64_t in_size = NumElements(p.input);
  const int64_t out_size = NumElements(g.output);
  const int64_t kernel_size = NumElements(g.kernel);
  int64_t in_strides[kNnMaxRank];
  IndexStrides(p.input, false, in_strides);
  for (int64_t plane = 0; plane < p.planes; ++plane) {
    const T* x_plane = x + plane * in_size;
    int64_t o[kNnMaxRank] = {};
    for (int64_t out_index = 0; out_index < out_size; ++out_index) {
      double sum = 0;
      int64_t count = 0;
      int64_t k[kNnMaxRank] = {};
      for (int64_t k_index = 0; k_index < kernel_size; ++k_index) {
        int64_t offset = 0;
        bool inside = true;   // within the input
        bool in_pads = true;  // within the input or its explicit/automatic padding
        for (size_t d = 0; d < rank; ++d) {
          const int64_t pos = o[d] * g.strides[d] - g.pad_begin[d] + k[d] * g.dilations[d];
          if (pos < -g.pad_begin[d] || pos >= p.input[d] + g.pad_end[d]) in_pads = false;
          if (pos < 0 || pos >= p.input[d]) {
            inside = false;
          } else {
            offset += pos * in_strides[d];
          }
        }
        if (inside) {
          sum += static_cast<double>(x_plane[offset]);
          ++count;
        } else if (count_include_pad && in_pads) {
          ++count;
        }
        NextIndex(g.kernel.data(), rank, k);
      }
      y[plane * out_size + out_index] =
          static_cast<T>(count > 0 ? sum / static_cast<double>(count) : 0.0);
      NextIndex(g.output.data(), rank, o);
    }
  }
}

class MaxPoolKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<MaxPoolKernel>();
    HB_RETURN_IF_ERROR(
        ReadPoolAttributes(args.attributes, "MaxPool", &kernel->window_, &kernel->ceil_mode_));
    HB_ASSIGN_OR_RETURN(int64_t storage_order, args.attributes.GetInt("storage_order", 0));
    if (storage_order != 0 && storage_order != 1) {
      return KernelError("MaxPool: attribute 'storage_order' is ", storage_order,
                         ", expected 0 (row major) or 1 (column major)");
    }
    kernel->column_major_ = storage_order == 1;
    if (args.num_outputs < 1 || args.num_outputs > 2) {
      return KernelError("MaxPool: expected outputs Y and optional Indices, got ", args.num_outputs,
                         " outputs");
    }
    kernel->num_outputs_ = args.num_outputs;
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    Shape y_shape;
    HB_RETURN_IF_ERROR(PreparePool("MaxPool", inputs, window_, ceil_mode_,
                                   {DType::kF32, DType::kF64, DType::kI8, DType::kU8}, &plan_,
                                   &y_shape));
    dtype_ = inputs[0].dtype;
    outputs->assign(1, TensorInfo{dtype_, y_shape, nullptr});
    if (num_outputs_ == 2) outputs->push_back(TensorInfo{DType::kI64, y_shape, nullptr});
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    int64_t* indices = outputs.size() > 1 ? outputs[1].as<int64_t>() : nullptr;
    const void* x = inputs[0].data;
    void* y = outputs[0].data;
    switch (dtype_) {
      case DType::kF64:
        RunMaxPool(plan_, column_major_, static_cast<const double*>(x), static_cast<double*>(y),
                   indices);
        break;
      case DType::kI8:
        RunMaxPool(plan_, column_major_, static_cast<const int8_t*>(x), static_cast<int8_t*>(y),
                   indices);
        break;
      case DType::kU8:
        RunMaxPool(plan_, column_major_, static_cast<const uint8_t*>(x), static_cast<uint8_t*>(y),
                   indices);
        break;
      default:
        RunMaxPool(plan_, column_major_, static_cast<const float*>(x), static_cast<float*>(y),
                   indices);
        break;
    }
    return absl::OkStatus();
  }

 private:
  WindowAttributes window_;
  bool ceil_mode_ = false;
  bool column_major_ = false;
  int num_outputs_ = 1;
  DType dtype_ = DType::kF32;
  PoolPlan plan_;
};

class AveragePoolKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<AveragePoolKernel>();
    HB_RETURN_IF_ERROR(
        ReadPoolAttributes(args.attributes, "AveragePool", &kernel->window_, &kernel->ceil_mode_));
    HB_ASSIGN_OR_RETURN(int64_t count_include_pad, args.attributes.GetInt("count_include_pad", 0));
    kernel->count_include_pad_ = count_include_pad != 0;
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    Shape y_shape;
    HB_RETURN_IF_ERROR(PreparePool("AveragePool", inputs, window_, ceil_mode_,
                                   {DType::kF32, DType::kF64}, &plan_, &y_shape));
    dtype_ = inputs[0].dtype;
    outputs->assign(1, TensorInfo{dtype_, y_shape, nullptr});
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    if (dtype_ == DType::kF64) {
      RunAveragePool(plan_, count_include_pad_, inputs[0].as<double>(), outputs[0].as<double>());
    } else {
      RunAveragePool(plan_, count_include_pad_, inputs[0].as<float>(), outputs[0].as<float>());
    }
    return absl::OkStatus();
  }

 private:
  WindowAttributes window_;
  bool ceil_mode_ = false;
  bool count_include_pad_ = false;
  DType dtype_ = DType::kF32;
  PoolPlan plan_;
};

// GlobalMaxPool / GlobalAveragePool: one value per (n, c) over all spatial positions; the output
// keeps the spatial dimensions with size 1.
class GlobalPoolKernel final : public OpKernel {
 public:
  explicit GlobalPoolKernel(bool max) : max_(max) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    const char* op = max_ ? "GlobalMaxPool" : "GlobalAveragePool";
    if (inputs.size() != 1 || !inputs[0].present()) {
      return KernelError(op, ": expected 1 input, got ", inputs.size());
    }
    const TensorInfo& x = inputs[0];
    HB_RETURN_IF_ERROR(CheckDType(op, x, "input 0 'X'", {DType::kF32, DType::kF64}));
    if (x.shape.size() < 2) {
      return KernelError(op, ": input 0 'X' has shape ", ShapeString(x.shape),
                         " but needs rank >= 2 (N, C, spatial...)");
    }
    planes_ = x.shape[0] * x.shape[1];
    inner_ = NumElements(Shape(x.shape.begin() + 2, x.shape.end()));
    if (inner_ == 0) {
      return KernelError(op, ": input 0 'X' has shape ", ShapeString(x.shape),
                         " with no spatial elements to pool");
    }
    dtype_ = x.dtype;
    Shape y_shape(x.shape.size(), 1);
    y_shape[0] = x.shape[0];
    y_shape[1] = x.shape[1];
    outputs->assign(1, TensorInfo{dtype_, y_shape, nullptr});
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    if (dtype_ == DType::kF64) {
      Typed(inputs[0].as<double>(), outputs[0].as<double>());
    } else {
      Typed(inputs[0].as<float>(), outputs[0].as<float>());
    }
    return absl::OkStatus();
  }

 private:
  template <typename T>
  void Typed(const T* x, T* y) const {
    for (int64_t plane = 0; plane < planes_; ++plane) {
      const T* x_plane = x + plane * inner_;
      if (max_) {
        T best = x_plane[0];
        for (int64_t i = 1; i < inner_; ++i) {
          if (Wins(x_plane[i], best)) best = x_plane[i];
        }
        y[plane] = best;
      } else {
        double sum = 0;
        for (int64_t i = 0; i < inner_; ++i) sum += static_cast<double>(x_plane[i]);
        y[plane] = static_cast<T>(sum / static_cast<double>(inner_));
      }
    }
  }

  bool max_;
  DType dtype_ = DType::kF32;
  int64_t planes_ = 0;
  int64_t inner_ = 0;
};

}  // namespace

KernelOrError CreateMaxPoolKernel(const KernelCreateArgs& args) {
  return MaxPoolKernel::Create(args);
}

KernelOrError CreateAveragePoolKernel(const KernelCreateArgs& args) {
  return AveragePoolKernel::Create(args);
}

KernelOrError CreateGlobalMaxPoolKernel(const KernelCreateArgs&) {
  return std::unique_ptr<OpKernel>(std::make_unique<GlobalPoolKernel>(/*max=*/true));
}

KernelOrError CreateGlobalAveragePoolKernel(const KernelCreateArgs&) {
  return std::unique_ptr<OpKernel>(std::make_unique<GlobalPoolKernel>(/*max=*/false));
}

}  // namespace hb_dnn::kernels::nn
