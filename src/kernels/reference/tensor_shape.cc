// Ops whose output is fully determined at prepare time: Shape, Size, ConstantOfShape, Range.
//
// Constant folding: Prepare computes the output values into memory owned by the kernel and sets
// `data` of the output TensorInfo to it (valid while the kernel lives and until the next
// Prepare), so an importer can fold shape chains such as Shape -> Gather -> Concat -> Reshape
// into constants. Outputs above kMaxFoldedBytes are not materialized (data stays null) and are
// only produced by Run; shape chains are far smaller. Run writes the same values either way.

#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/reference/tensor_common.h"
#include "src/kernels/reference/tensor_kernels.h"

namespace hb_dnn::kernels {
namespace {

constexpr int64_t kMaxFoldedBytes = int64_t{1} << 20;

// Base of the kernels here: subclasses' Prepare sets the output dtype/shape then calls
// Materialize; Fill writes the values.
class ConstantOutputKernel : public OpKernel {
 public:
  absl::Status Run(const std::vector<ConstTensorView>& /*inputs*/,
                   const std::vector<TensorView>& outputs) const override {
    Fill(outputs[0].data);
    return absl::OkStatus();
  }

 protected:
  // Writes the output values to `dst` (sized for the prepared output).
  virtual void Fill(void* dst) const = 0;

  // Sets `*outputs` to `dtype`/`shape` and, when small enough, its data to kernel-owned values.
  void Materialize(DType dtype, Shape shape, std::vector<TensorInfo>* outputs) {
    outputs->assign(1, TensorInfo());
    TensorInfo& out = (*outputs)[0];
    out.dtype = dtype;
    out.shape = std::move(shape);
    const int64_t bytes = out.num_elements() * static_cast<int64_t>(DTypeSize(dtype));
    storage_.clear();
    if (bytes > kMaxFoldedBytes) return;
    // 8-byte words keep every dtype aligned; at least one word so that an empty output still
    // gets a non-null (constant) data pointer.
    storage_.assign(static_cast<size_t>(bytes / 8 + 1), 0);
    Fill(storage_.data());
    out.data = storage_.data();
  }

 private:
  std::vector<uint64_t> storage_;
};

// Shape (1..17): the input's dimensions [start, end) as int64; start/end (opset 15) count from
// the back when negative and clamp to [0, rank].
class ShapeKernel : public ConstantOutputKernel {
 public:
  ShapeKernel(int64_t start, bool has_end, int64_t end)
      : start_(start), has_end_(has_end), end_(end) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(CheckInputCount("Shape", inputs, 1, 1));
    const Shape& in = inputs[0].shape;
    const int64_t rank = static_cast<int64_t>(in.size());
    auto clamp = [rank](int64_t i) {
      if (i < 0) i += rank;
      return i < 0 ? 0 : (i > rank ? rank : i);
    };
    const int64_t start = clamp(start_);
    const int64_t end = has_end_ ? clamp(end_) : rank;
    values_.clear();
    for (int64_t d = start; d < end; ++d) values_.push_back(in[d]);
    Materialize(DType::kI64, {static_cast<int64_t>(values_.size())}, outputs);
    return absl::OkStatus();
  }

 private:
  void Fill(void* dst) const override {
    if (!values_.empty()) std::memcpy(dst, values_.data(), values_.size() * sizeof(int64_t));
  }

  const int64_t start_;
  const bool has_end_;
  const int64_t end_;
  std::vector<int64_t> values_;
};

// Size (1..17): the input's element count as an int64 scalar.
class SizeKernel : public ConstantOutputKernel {
 public:
  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(CheckInputCount("Size", inputs, 1, 1));
    size_ = inputs[0].num_elements();
    Materialize(DType::kI64, {}, outputs);
    return absl::OkStatus();
  }

 private:
  void Fill(void* dst) const override { std::memcpy(dst, &size_, sizeof(size_)); }

  int64_t size_ = 0;
};

// ConstantOfShape (9..17): constant int64 input 0 is the output shape; every element is the
// one-element `value` attribute (default float32 0), whose dtype the output takes.
class ConstantOfShapeKernel : public ConstantOutputKernel {
 public:
  ConstantOfShapeKernel(DType dtype, std::string value) : dtype_(dtype), value_(std::move(value)) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(CheckInputCount("ConstantOfShape", inputs, 1, 1));
    if (inputs[0].shape.size() != 1) {
      return KernelError("ConstantOfShape: input 0 'input' has shape ",
                         ShapeString(inputs[0].shape), ", expected rank 1");
    }
    HB_ASSIGN_OR_RETURN(Shape shape, ConstantInts(inputs[0], "ConstantOfShape: input 0 'input'"));
    for (int64_t d : shape) {
      if (d < 0) {
        return KernelError("ConstantOfShape: input 0 'input' ", ShapeString(shape),
                           " has a negative dimension");
      }
    }
    count_ = NumElements(shape);
    Materialize(dtype_, std::move(shape), outputs);
    return absl::OkStatus();
  }

 private:
  void Fill(void* dst) const override {
    char* out = static_cast<char*>(dst);
    for (int64_t i = 0; i < count_; ++i) {
      std::memcpy(out + i * static_cast<int64_t>(value_.size()), value_.data(), value_.size());
    }
  }

  const DType dtype_;
  const std::string value_;  // one element's bytes
  int64_t count_ = 0;
};

// Range (11..17): start + i * delta for i in [0, max(ceil((limit - start) / delta), 0)). The
// three scalar inputs share one dtype (float32, float64, int16, int32, int64) and must be
// constant, since they determine the output shape.
class RangeKernel : public ConstantOutputKernel {
 public:
  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(CheckInputCount("Range", inputs, 3, 3));
    static const char* const kNames[] = {"input 0 'start'", "input 1 'limit'", "input 2 'delta'"};
    dtype_ = inputs[0].dtype;
    for (int i = 0; i < 3; ++i) {
      if (inputs[i].num_elements() != 1) {
        return KernelError("Range: ", kNames[i], " has shape ", ShapeString(inputs[i].shape),
                           ", expected a scalar");
      }
      if (inputs[i].dtype != dtype_) {
        return KernelError("Range: ", kNames[i], " has type ", DTypeName(inputs[i].dtype),
                           " but input 0 'start' has ", DTypeName(dtype_));
      }
      if (inputs[i].data == nullptr) {
        return KernelError("Range: ", kNames[i],
                           " must be a constant (dynamic shapes are not supported)");
      }
    }
    absl::Status status;
    switch (dtype_) {
      case DType::kF32: status = SetUp<float>(inputs); break;
      case DType::kF64: status = SetUp<double>(inputs); break;
      case DType::kI16: status = SetUp<int16_t>(inputs); break;
      case DType::kI32: status = SetUp<int32_t>(inputs); break;
      case DType::kI64: status = SetUp<int64_t>(inputs); break;
      default:
        return KernelError("Range: type ", DTypeName(dtype_),
                           " is not supported (float32, float64, int16, int32, int64)");
    }
    HB_RETURN_IF_ERROR(status);
    Materialize(dtype_, {count_}, outputs);
    return absl::OkStatus();
  }

 private:
  // Stores start/delta (as raw bytes of T) and the element count.
  template <typename T>
  absl::Status SetUp(const std::vector<TensorInfo>& inputs) {
    const T start = *inputs[0].as<T>();
    const T limit = *inputs[1].as<T>();
    const T delta = *inputs[2].as<T>();
    if (delta == T(0)) return KernelError("Range: input 2 'delta' is 0");
    std::memcpy(&start_, &start, sizeof(T));
    std::memcpy(&delta_, &delta, sizeof(T));
    int64_t count;
    if constexpr (std::is_floating_point_v<T>) {
      const double n = std::ceil(static_cast<double>((limit - start) / delta));
      if (!(n < 9.0e15)) {  // also rejects NaN
        return KernelError("Range: (limit - start) / delta = ", n, " is not a usable length");
      }
      count = n > 0 ? static_cast<int64_t>(n) : 0;
    } else {
      const int64_t span = static_cast<int64_t>(limit) - static_cast<int64_t>(start);
      const int64_t step = static_cast<int64_t>(delta);
      if (step > 0) {
        count = span > 0 ? (span - 1) / step + 1 : 0;
      } else {
        count = span < 0 ? (-span - 1) / -step + 1 : 0;
      }
    }
    count_ = count;
    return absl::OkStatus();
  }

  template <typename T>
  void FillAs(void* dst) const {
    T start, delta;
    std::memcpy(&start, &start_, sizeof(T));
    std::memcpy(&delta, &delta_, sizeof(T));
    T* out = static_cast<T*>(dst);
    for (int64_t i = 0; i < count_; ++i) out[i] = static_cast<T>(start + static_cast<T>(i) * delta);
  }

  void Fill(void* dst) const override {
    switch (dtype_) {
      case DType::kF32: FillAs<float>(dst); break;
      case DType::kF64: FillAs<double>(dst); break;
      case DType::kI16: FillAs<int16_t>(dst); break;
      case DType::kI32: FillAs<int32_t>(dst); break;
      case DType::kI64: FillAs<int64_t>(dst); break;
      default: break;
    }
  }

  DType dtype_ = DType::kUndefined;
  uint64_t start_ = 0;  // raw bytes of a dtype_ value
  uint64_t delta_ = 0;
  int64_t count_ = 0;
};

}  // namespace

KernelOrError CreateShapeKernel(const KernelCreateArgs& args) {
  HB_RETURN_IF_ERROR(CheckOutputCount("Shape", args.num_outputs, 1, 1));
  HB_ASSIGN_OR_RETURN(int64_t start, args.attributes.GetInt("start", 0));
  HB_ASSIGN_OR_RETURN(int64_t end, args.attributes.GetInt("end", 0));
  return std::make_unique<ShapeKernel>(start, args.attributes.Has("end"), end);
}

KernelOrError CreateSizeKernel(const KernelCreateArgs& args) {
  HB_RETURN_IF_ERROR(CheckOutputCount("Size", args.num_outputs, 1, 1));
  return std::make_unique<SizeKernel>();
}

KernelOrError CreateConstantOfShapeKernel(const KernelCreateArgs& args) {
  HB_RETURN_IF_ERROR(CheckOutputCount("ConstantOfShape", args.num_outputs, 1, 1));
  if (!args.attributes.Has("value")) {
    return std::make_unique<ConstantOfShapeKernel>(DType::kF32, std::string(sizeof(float), '\0'));
  }
  HB_ASSIGN_OR_RETURN(const AttributeTensor* value, args.attributes.GetTensor("value"));
  const size_t size = DTypeSize(value->dtype);
  if (NumElements(value->shape) != 1 || size == 0 || value->bytes.size() != size) {
    return KernelError("ConstantOfShape: attribute 'value' must hold one element, got ",
                       DTypeName(value->dtype), " ", ShapeString(value->shape), " with ",
                       value->bytes.size(), " bytes");
  }
  return std::make_unique<ConstantOfShapeKernel>(value->dtype, value->bytes);
}

KernelOrError CreateRangeKernel(const KernelCreateArgs& args) {
  HB_RETURN_IF_ERROR(CheckOutputCount("Range", args.num_outputs, 1, 1));
  return std::make_unique<RangeKernel>();
}

}  // namespace hb_dnn::kernels
