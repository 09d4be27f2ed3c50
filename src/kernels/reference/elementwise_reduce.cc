// Reference kernels of the reductions ReduceSum/Mean/Max/Min/Prod and of ArgMax/ArgMin.
//
// Reduce*: the axes come from the `axes` attribute, except ReduceSum from opset 13, which takes
// them as optional input 1 (a constant: output shapes are static) and adds
// `noop_with_empty_axes`. No axes means all axes, or the identity when noop_with_empty_axes=1.
// `keepdims` (default 1) keeps reduced dimensions with size 1. Floating sums and products
// accumulate in double; integer ones wrap modulo 2^bits. Max/Min propagate NaN. Reducing an
// empty set gives 0 (Sum), 1 (Prod), NaN (float Mean; integer Mean 0) and the lowest/highest
// value of the type (Max/Min; -inf/+inf for floats).

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/reference/elementwise_kernels.h"
#include "src/kernels/reference/elementwise_util.h"

namespace hb_dnn::kernels::elementwise {
namespace {

const char* NameOf(ReduceOp op) {
  switch (op) {
    case ReduceOp::kSum: return "ReduceSum";
    case ReduceOp::kMean: return "ReduceMean";
    case ReduceOp::kMax: return "ReduceMax";
    case ReduceOp::kMin: return "ReduceMin";
    case ReduceOp::kProd: return "ReduceProd";
  }
  return "Reduce?";
}

// The flat offset of the element with flat index `index` in the sub-grid `sizes`, where
// `strides` are the input strides of those dimensions.
int64_t SubGridOffset(int64_t index, const std::vector<int64_t>& sizes,
                      const std::vector<int64_t>& strides) {
  int64_t offset = 0;
  for (int d = static_cast<int>(sizes.size()) - 1; d >= 0; --d) {
    offset += (index % sizes[d]) * strides[d];
    index /= sizes[d];
  }
  return offset;
}

template <typename T>
bool IsNan(T v) {
  if constexpr (std::is_floating_point_v<T>) {
    return std::isnan(v);
  } else {
    (void)v;
    return false;
  }
}

// Accumulator of sums and products: double for floats, wrapping uint64 for integers.
template <typename T>
using Accumulator = std::conditional_t<std::is_floating_point_v<T>, double, uint64_t>;

class ReduceKernel : public OpKernel {
 public:
  ReduceKernel(ReduceOp op, bool axes_from_input, std::vector<int64_t> axes, bool keepdims,
               bool noop_with_empty_axes)
      : op_(op),
        axes_from_input_(axes_from_input),
        axes_attribute_(std::move(axes)),
        keepdims_(keepdims),
        noop_with_empty_axes_(noop_with_empty_axes) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    const char* name = NameOf(op_);
    HB_RETURN_IF_ERROR(CheckInputCount(inputs, 1, axes_from_input_ ? 2 : 1, name));
    HB_RETURN_IF_ERROR(CheckType(inputs[0], kNumericTypes, name, 0, "data"));
    std::vector<int64_t> axes = axes_attribute_;
    std::string axes_name = "attribute 'axes'";
    if (axes_from_input_ && inputs.size() > 1 && inputs[1].present()) {
      axes_name = InputName(name, 1, "axes");
      // An empty constant may come without a data pointer; it needs none.
      if (inputs[1].num_elements() > 0) {
        HB_ASSIGN_OR_RETURN(axes, ConstantInts(inputs[1], axes_name.c_str()));
      }
    }
    const Shape& shape = inputs[0].shape;
    int64_t rank = static_cast<int64_t>(shape.size());
    dtype_ = inputs[0].dtype;
    noop_ = axes.empty() && noop_with_empty_axes_;
    if (noop_) {
      *outputs = {TensorInfo{dtype_, shape, nullptr}};
      return absl::OkStatus();
    }
    std::vector<bool> reduced(static_cast<size_t>(rank), axes.empty());
    for (int64_t axis : axes) {
      HB_ASSIGN_OR_RETURN(int64_t a, NormalizeAxis(axis, rank, axes_name.c_str()));
      if (reduced[a]) return KernelError(name, " ", axes_name, " names axis ", axis, " twice");
      reduced[a] = true;
    }
    std::vector<int64_t> strides = Strides(shape);
    Shape out_shape;
    kept_sizes_.clear();
    kept_strides_.clear();
    reduced_sizes_.clear();
    reduced_strides_.clear();
    for (int64_t d = 0; d < rank; ++d) {
      if (reduced[d]) {
        reduced_sizes_.push_back(shape[d]);
        reduced_strides_.push_back(strides[d]);
        if (keepdims_) out_shape.push_back(1);
      } else {
        kept_sizes_.push_back(shape[d]);
        kept_strides_.push_back(strides[d]);
        out_shape.push_back(shape[d]);
      }
    }
    reduce_count_ = NumElements(reduced_sizes_);
    *outputs = {TensorInfo{dtype_, out_shape, nullptr}};
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    return VisitNumeric(dtype_, [&](auto tag) {
      using T = typename decltype(tag)::type;
      const T* x = inputs[0].as<T>();
      T* y = outputs[0].as<T>();
      if (noop_) {
        int64_t n = inputs[0].num_elements();
        for (int64_t i = 0; i < n; ++i) y[i] = x[i];
        return absl::OkStatus();
      }
      int64_t out_count = outputs[0].num_elements();
      for (int64_t o = 0; o < out_count; ++o) {
        const T* base = x + SubGridOffset(o, kept_sizes_, kept_strides_);
        y[o] = ReduceOne(base);
      }
      return absl::OkStatus();
    });
  }

 private:
  template <typename T>
  T ReduceOne(const T* base) const {
    auto at = [&](int64_t r) { return base[SubGridOffset(r, reduced_sizes_, reduced_strides_)]; };
    switch (op_) {
      case ReduceOp::kSum:
      case ReduceOp::kMean: {
        Accumulator<T> sum = 0;
        for (int64_t r = 0; r < reduce_count_; ++r) sum += static_cast<Accumulator<T>>(at(r));
        if (op_ == ReduceOp::kSum) return static_cast<T>(sum);
        if constexpr (std::is_floating_point_v<T>) {
          return static_cast<T>(sum / static_cast<double>(reduce_count_));
        } else if constexpr (std::is_signed_v<T>) {
          return reduce_count_ == 0 ? T(0)
                                    : static_cast<T>(static_cast<int64_t>(sum) / reduce_count_);
        } else {
          return reduce_count_ == 0 ? T(0)
                                    : static_cast<T>(sum / static_cast<uint64_t>(reduce_count_));
        }
      }
      case ReduceOp::kProd: {
        Accumulator<T> product = 1;
        for (int64_t r = 0; r < reduce_count_; ++r) {
          product *= static_cast<Accumulator<T>>(at(r));
        }
        return static_cast<T>(product);
      }
      case ReduceOp::kMax:
      case ReduceOp::kMin: {
        bool is_max = op_ == ReduceOp::kMax;
        T best;
        if constexpr (std::numeric_limits<T>::has_infinity) {
          best = is_max ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::infinity();
        } else {
          best = is_max ? std::numeric_limits<T>::lowest() : std::numeric_limits<T>::max();
        }
        for (int64_t r = 0; r < reduce_count_; ++r) {
          T v = at(r);
          if (IsNan(v)) return v;
          if (is_max ? v > best : v < best) best = v;
        }
        return best;
      }
    }
    return T(0);
  }

  const ReduceOp op_;
  const bool axes_from_input_;
  const std::vector<int64_t> axes_attribute_;
  const bool keepdims_;
  const bool noop_with_empty_axes_;
  DType dtype_ = DType::kUndefined;
  bool noop_ = false;
  std::vector<int64_t> kept_sizes_;
  std::vector<int64_t> kept_strides_;
  std::vector<int64_t> reduced_sizes_;
  std::vector<int64_t> reduced_strides_;
  int64_t reduce_count_ = 1;
};

// ArgMax / ArgMin along `axis` (default 0); int64 indices. Ties pick the first index, or the
// last with select_last_index=1 (opset 12+). A NaN counts as the extreme value, as in numpy.
class ArgReduceKernel : public OpKernel {
 public:
  ArgReduceKernel(bool is_max, int64_t axis, bool keepdims, bool select_last_index)
      : is_max_(is_max), axis_(axis), keepdims_(keepdims), select_last_index_(select_last_index) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    const char* name = is_max_ ? "ArgMax" : "ArgMin";
    HB_RETURN_IF_ERROR(CheckInputCount(inputs, 1, 1, name));
    HB_RETURN_IF_ERROR(CheckType(inputs[0], kNumericTypes, name, 0, "data"));
    const Shape& shape = inputs[0].shape;
    int64_t rank = static_cast<int64_t>(shape.size());
    HB_ASSIGN_OR_RETURN(int64_t axis, NormalizeAxis(axis_, rank, "attribute 'axis'"));
    if (shape[axis] == 0) {
      return KernelError(name, " over axis ", axis, " of ", InputName(name, 0, "data"),
                         " with shape ", ShapeString(shape), ": the axis is empty");
    }
    outer_ = 1;
    inner_ = 1;
    Shape out_shape;
    for (int64_t d = 0; d < rank; ++d) {
      if (d < axis) outer_ *= shape[d];
      if (d > axis) inner_ *= shape[d];
      if (d != axis) {
        out_shape.push_back(shape[d]);
      } else if (keepdims_) {
        out_shape.push_back(1);
      }
    }
    axis_size_ = shape[axis];
    dtype_ = inputs[0].dtype;
    *outputs = {TensorInfo{DType::kI64, out_shape, nullptr}};
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    return VisitNumeric(dtype_, [&](auto tag) {
      using T = typename decltype(tag)::type;
      const T* x = inputs[0].as<T>();
      int64_t* y = outputs[0].as<int64_t>();
      for (int64_t o = 0; o < outer_; ++o) {
        for (int64_t j = 0; j < inner_; ++j) {
          const T* line = x + o * axis_size_ * inner_ + j;
          int64_t best = 0;
          for (int64_t k = 1; k < axis_size_; ++k) {
            if (Replaces(line[k * inner_], line[best * inner_])) best = k;
          }
          y[o * inner_ + j] = best;
        }
      }
      return absl::OkStatus();
    });
  }

 private:
  // Whether `candidate`, seen after `best`, becomes the new answer.
  template <typename T>
  bool Replaces(T candidate, T best) const {
    bool candidate_nan = IsNan(candidate);
    bool best_nan = IsNan(best);
    if (candidate_nan || best_nan) return candidate_nan && (!best_nan || select_last_index_);
    if (candidate == best) return select_last_index_;
    return is_max_ ? candidate > best : candidate < best;
  }

  const bool is_max_;
  const int64_t axis_;
  const bool keepdims_;
  const bool select_last_index_;
  DType dtype_ = DType::kUndefined;
  int64_t outer_ = 1;
  int64_t axis_size_ = 1;
  int64_t inner_ = 1;
};

}  // namespace

KernelOrError CreateReduceKernel(ReduceOp op, const KernelCreateArgs& args) {
  bool axes_from_input = op == ReduceOp::kSum && args.opset_version >= 13;
  std::vector<int64_t> axes;
  if (!axes_from_input) {
    HB_ASSIGN_OR_RETURN(axes, args.attributes.GetInts("axes"));
  }
  HB_ASSIGN_OR_RETURN(int64_t keepdims, args.attributes.GetInt("keepdims", 1));
  int64_t noop_with_empty_axes = 0;
  if (axes_from_input) {
    HB_ASSIGN_OR_RETURN(noop_with_empty_axes, args.attributes.GetInt("noop_with_empty_axes", 0));
  }
  return std::make_unique<ReduceKernel>(op, axes_from_input, std::move(axes), keepdims != 0,
                                        noop_with_empty_axes != 0);
}

KernelOrError CreateArgReduceKernel(bool is_max, const KernelCreateArgs& args) {
  HB_ASSIGN_OR_RETURN(int64_t axis, args.attributes.GetInt("axis", 0));
  HB_ASSIGN_OR_RETURN(int64_t keepdims, args.attributes.GetInt("keepdims", 1));
  HB_ASSIGN_OR_RETURN(int64_t select_last_index, args.attributes.GetInt("select_last_index", 0));
  return std::make_unique<ArgReduceKernel>(is_max, axis, keepdims != 0, select_last_index != 0);
}

}  // namespace hb_dnn::kernels::elementwise
