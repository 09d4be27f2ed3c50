// TopK: the k largest (or smallest) elements along an axis and their int64 indices. `k` is an
// attribute (1..9) or a constant input (10..17); `largest` and `sorted` arrive in 11.
//
// Order: equal values keep the lower index first (as the spec requires); NaN ranks above every
// number, so it comes first for largest and last for smallest. Results are always sorted, which
// also satisfies sorted=0. Run allocates one scratch vector of the axis length per call.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/reference/tensor_common.h"
#include "src/kernels/reference/tensor_kernels.h"

namespace hb_dnn::kernels {
namespace {

template <typename T>
bool IsNan(T v) {
  if constexpr (std::is_floating_point_v<T>) {
    return std::isnan(v);
  } else {
    return false;
  }
}

// Strict "a ranks above b" with NaN above everything.
template <typename T>
bool Above(T a, T b) {
  if (IsNan(a)) return !IsNan(b);
  if (IsNan(b)) return false;
  return a > b;
}

class TopKKernel : public OpKernel {
 public:
  TopKKernel(bool k_from_input, int64_t k, int64_t axis, bool largest)
      : k_from_input_(k_from_input), k_attr_(k), axis_attr_(axis), largest_(largest) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(CheckInputCount("TopK", inputs, k_from_input_ ? 2 : 1,
                                       k_from_input_ ? 2 : 1));
    const Shape& in = inputs[0].shape;
    if (in.empty()) return KernelError("TopK: input 0 'X' is a scalar; it needs rank >= 1");
    HB_ASSIGN_OR_RETURN(axis_, NormalizeAxis(axis_attr_, static_cast<int64_t>(in.size()),
                                             "TopK: attribute 'axis'"));
    k_ = k_attr_;
    if (k_from_input_) {
      HB_ASSIGN_OR_RETURN(std::vector<int64_t> k, ConstantInts(inputs[1], "TopK: input 1 'K'"));
      if (k.size() != 1) {
        return KernelError("TopK: input 1 'K' has ", k.size(), " elements, expected 1");
      }
      k_ = k[0];
    }
    if (k_ < 0 || k_ > in[axis_]) {
      return KernelError("TopK: k = ", k_, " is outside [0, ", in[axis_], "] for axis ", axis_,
                         " of input ", ShapeString(in));
    }
    switch (inputs[0].dtype) {
      case DType::kF32: run_ = &TopKKernel::RunAs<float>; break;
      case DType::kF64: run_ = &TopKKernel::RunAs<double>; break;
      case DType::kI8: run_ = &TopKKernel::RunAs<int8_t>; break;
      case DType::kU8: run_ = &TopKKernel::RunAs<uint8_t>; break;
      case DType::kI16: run_ = &TopKKernel::RunAs<int16_t>; break;
      case DType::kU16: run_ = &TopKKernel::RunAs<uint16_t>; break;
      case DType::kI32: run_ = &TopKKernel::RunAs<int32_t>; break;
      case DType::kU32: run_ = &TopKKernel::RunAs<uint32_t>; break;
      case DType::kI64: run_ = &TopKKernel::RunAs<int64_t>; break;
      case DType::kU64: run_ = &TopKKernel::RunAs<uint64_t>; break;
      default:
        return KernelError("TopK: input 0 'X' has unsupported type ",
                           DTypeName(inputs[0].dtype));
    }
    outer_ = NumElements(Shape(in.begin(), in.begin() + axis_));
    inner_ = NumElements(Shape(in.begin() + axis_ + 1, in.end()));
    Shape out = in;
    out[axis_] = k_;
    outputs->assign(2, TensorInfo());
    (*outputs)[0].dtype = inputs[0].dtype;
    (*outputs)[0].shape = out;
    (*outputs)[1].dtype = DType::kI64;
    (*outputs)[1].shape = std::move(out);
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    (this->*run_)(inputs[0], outputs);
    return absl::OkStatus();
  }

 private:
  template <typename T>
  void RunAs(const ConstTensorView& input, const std::vector<TensorView>& outputs) const {
    const int64_t n = input.shape[axis_];
    const T* x = input.as<T>();
    T* values = outputs[0].as<T>();
    int64_t* indices = outputs[1].as<int64_t>();
    std::vector<int64_t> order(static_cast<size_t>(n));
    for (int64_t o = 0; o < outer_; ++o) {
      for (int64_t i = 0; i < inner_; ++i) {
        const T* slice = x + o * n * inner_ + i;
        auto first = [&](int64_t a, int64_t b) {
          const T va = slice[a * inner_];
          const T vb = slice[b * inner_];
          if (largest_ ? Above(va, vb) : Above(vb, va)) return true;
          if (largest_ ? Above(vb, va) : Above(va, vb)) return false;
          return a < b;
        };
        for (int64_t j = 0; j < n; ++j) order[j] = j;
        std::partial_sort(order.begin(), order.begin() + k_, order.end(), first);
        for (int64_t j = 0; j < k_; ++j) {
          const int64_t at = o * k_ * inner_ + j * inner_ + i;
          values[at] = slice[order[j] * inner_];
          indices[at] = order[j];
        }
      }
    }
  }

  const bool k_from_input_;
  const int64_t k_attr_;
  const int64_t axis_attr_;
  const bool largest_;
  int64_t k_ = 0;
  int64_t axis_ = 0;
  int64_t outer_ = 0;
  int64_t inner_ = 0;
  void (TopKKernel::*run_)(const ConstTensorView&, const std::vector<TensorView>&) const =
      nullptr;
};

}  // namespace

KernelOrError CreateTopKKernel(const KernelCreateArgs& args) {
  HB_RETURN_IF_ERROR(CheckOutputCount("TopK", args.num_outputs, 2, 2));
  const bool k_from_input = args.opset_version >= 10;
  HB_ASSIGN_OR_RETURN(int64_t k, args.attributes.GetInt("k", -1));
  if (!k_from_input && !args.attributes.Has("k")) {
    return KernelError("TopK: attribute 'k' is required before opset 10");
  }
  HB_ASSIGN_OR_RETURN(int64_t axis, args.attributes.GetInt("axis", -1));
  HB_ASSIGN_OR_RETURN(int64_t largest, args.attributes.GetInt("largest", 1));
  return std::make_unique<TopKKernel>(k_from_input, k, axis, largest != 0);
}

}  // namespace hb_dnn::kernels
