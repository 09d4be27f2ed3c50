// Indexed data movement: Gather, GatherElements, ScatterElements (and its opset 9..10 name
// Scatter). Indices are int32 or int64, negative ones count from the end of the axis; an index
// outside [-dim, dim) is an error (at prepare time when the indices are constant, else at run).

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/reference/tensor_common.h"
#include "src/kernels/reference/tensor_kernels.h"

namespace hb_dnn::kernels {
namespace {

// Checks every index of a constant `indices` tensor against `dim`.
absl::Status CheckConstantIndices(const char* op, const TensorInfo& indices, int64_t dim) {
  if (indices.data == nullptr) return absl::OkStatus();
  for (int64_t i = 0; i < indices.num_elements(); ++i) {
    int64_t index = IndexAt(indices.data, indices.dtype, i);
    HB_RETURN_IF_ERROR(NormalizeIndex(op, "index", dim, &index));
  }
  return absl::OkStatus();
}

// Gather (1..17): out = data[:axis] + indices.shape + data[axis+1:].
class GatherKernel : public OpKernel {
 public:
  explicit GatherKernel(int64_t axis) : axis_attr_(axis) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(CheckInputCount("Gather", inputs, 2, 2));
    const Shape& data = inputs[0].shape;
    const Shape& indices = inputs[1].shape;
    if (data.empty()) return KernelError("Gather: input 0 'data' is a scalar; it needs rank >= 1");
    HB_RETURN_IF_ERROR(CheckIndexType("Gather", inputs[1], "input 1 'indices'"));
    HB_ASSIGN_OR_RETURN(int64_t axis, NormalizeAxis(axis_attr_, static_cast<int64_t>(data.size()),
                                                    "Gather: attribute 'axis'"));
    dim_ = data[axis];
    HB_RETURN_IF_ERROR(CheckConstantIndices("Gather", inputs[1], dim_));
    outer_ = NumElements(Shape(data.begin(), data.begin() + axis));
    block_bytes_ = NumElements(Shape(data.begin() + axis + 1, data.end())) *
                   static_cast<int64_t>(DTypeSize(inputs[0].dtype));
    Shape out(data.begin(), data.begin() + axis);
    out.insert(out.end(), indices.begin(), indices.end());
    out.insert(out.end(), data.begin() + axis + 1, data.end());
    outputs->assign(1, TensorInfo());
    (*outputs)[0].dtype = inputs[0].dtype;
    (*outputs)[0].shape = std::move(out);
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const char* src = static_cast<const char*>(inputs[0].data);
    char* dst = static_cast<char*>(outputs[0].data);
    const int64_t count = inputs[1].num_elements();
    if (block_bytes_ == 0) return absl::OkStatus();
    for (int64_t o = 0; o < outer_; ++o) {
      for (int64_t j = 0; j < count; ++j) {
        int64_t index = IndexAt(inputs[1].data, inputs[1].dtype, j);
        HB_RETURN_IF_ERROR(NormalizeIndex("Gather", "index", dim_, &index));
        std::memcpy(dst, src + (o * dim_ + index) * block_bytes_,
                    static_cast<size_t>(block_bytes_));
        dst += block_bytes_;
      }
    }
    return absl::OkStatus();
  }

 private:
  const int64_t axis_attr_;
  int64_t dim_ = 0;
  int64_t outer_ = 0;
  int64_t block_bytes_ = 0;
};

// The element addressing GatherElements and ScatterElements share: for element i of `indices`
// (same rank as `data`, no larger on the other axes), the data element at i's coordinates with
// the `axis` coordinate replaced by indices[i].
class ElementAddressing {
 public:
  absl::Status Prepare(const char* op, const Shape& data, const TensorInfo& indices,
                       int64_t axis_attr) {
    if (data.empty()) return KernelError(op, ": input 0 'data' is a scalar; it needs rank >= 1");
    HB_RETURN_IF_ERROR(CheckIndexType(op, indices, "input 1 'indices'"));
    if (indices.shape.size() != data.size()) {
      return KernelError(op, ": input 1 'indices' has shape ", ShapeString(indices.shape),
                         " but input 0 'data' has rank ", data.size());
    }
    HB_ASSIGN_OR_RETURN(axis_, NormalizeAxis(axis_attr, static_cast<int64_t>(data.size()),
                                             (std::string(op) + ": attribute 'axis'").c_str()));
    for (size_t d = 0; d < data.size(); ++d) {
      if (static_cast<int64_t>(d) != axis_ && indices.shape[d] > data[d]) {
        return KernelError(op, ": input 1 'indices' ", ShapeString(indices.shape),
                           " exceeds input 0 'data' ", ShapeString(data), " on axis ", d);
      }
    }
    HB_RETURN_IF_ERROR(CheckConstantIndices(op, indices, data[axis_]));
    data_strides_ = Strides(data);
    index_strides_ = Strides(indices.shape);
    dim_ = data[axis_];
    return absl::OkStatus();
  }

  // The data element offset for element `i` of `indices`; error on an out-of-range index.
  absl::Status Offset(const char* op, const ConstTensorView& indices, int64_t i,
                      int64_t* offset) const {
    int64_t index = IndexAt(indices.data, indices.dtype, i);
    HB_RETURN_IF_ERROR(NormalizeIndex(op, "index", dim_, &index));
    int64_t rest = i;
    *offset = 0;
    for (size_t d = 0; d < index_strides_.size(); ++d) {
      const int64_t coordinate = rest / index_strides_[d];
      rest %= index_strides_[d];
      *offset += (static_cast<int64_t>(d) == axis_ ? index : coordinate) * data_strides_[d];
    }
    return absl::OkStatus();
  }

 private:
  int64_t axis_ = 0;
  int64_t dim_ = 0;
  std::vector<int64_t> data_strides_;
  std::vector<int64_t> index_strides_;
};

// GatherElements (11..17): output has the shape of `indices`.
class GatherElementsKernel : public OpKernel {
 public:
  explicit GatherElementsKernel(int64_t axis) : axis_attr_(axis) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(CheckInputCount("GatherElements", inputs, 2, 2));
    HB_RETURN_IF_ERROR(
        addressing_.Prepare("GatherElements", inputs[0].shape, inputs[1], axis_attr_));
    outputs->assign(1, TensorInfo());
    (*outputs)[0].dtype = inputs[0].dtype;
    (*outputs)[0].shape = inputs[1].shape;
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const size_t size = DTypeSize(inputs[0].dtype);
    const char* src = static_cast<const char*>(inputs[0].data);
    char* dst = static_cast<char*>(outputs[0].data);
    for (int64_t i = 0; i < inputs[1].num_elements(); ++i) {
      int64_t offset;
      HB_RETURN_IF_ERROR(addressing_.Offset("GatherElements", inputs[1], i, &offset));
      std::memcpy(dst + i * static_cast<int64_t>(size), src + offset * static_cast<int64_t>(size),
                  size);
    }
    return absl::OkStatus();
  }

 private:
  const int64_t axis_attr_;
  ElementAddressing addressing_;
};

// ScatterElements (11..17, `reduction` none/add/mul from 16) and Scatter (9..10): output = data
// with updates written (or reduced) at the addressed elements, in index order, so with
// duplicate indices and no reduction the last update wins.
class ScatterElementsKernel : public OpKernel {
 public:
  ScatterElementsKernel(const char* op, int64_t axis, Reduction reduction)
      : op_(op), axis_attr_(axis), reduction_(reduction) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(CheckInputCount(op_, inputs, 3, 3));
    HB_RETURN_IF_ERROR(addressing_.Prepare(op_, inputs[0].shape, inputs[1], axis_attr_));
    if (inputs[2].shape != inputs[1].shape || inputs[2].dtype != inputs[0].dtype) {
      return KernelError(op_, ": input 2 'updates' is ", DTypeName(inputs[2].dtype), " ",
                         ShapeString(inputs[2].shape), " but must be ",
                         DTypeName(inputs[0].dtype), " shaped like input 1 'indices' ",
                         ShapeString(inputs[1].shape));
    }
    reduce_ = nullptr;
    if (reduction_ != Reduction::kNone) {
      reduce_ = ReducerFor(inputs[0].dtype);
      if (reduce_ == nullptr) {
        return KernelError(op_, ": reduction is not supported for type ",
                           DTypeName(inputs[0].dtype));
      }
    }
    outputs->assign(1, TensorInfo());
    (*outputs)[0].dtype = inputs[0].dtype;
    (*outputs)[0].shape = inputs[0].shape;
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const int64_t size = static_cast<int64_t>(DTypeSize(inputs[0].dtype));
    CopyBytes(inputs[0].data, outputs[0].data,
              static_cast<size_t>(inputs[0].num_elements() * size));
    const char* updates = static_cast<const char*>(inputs[2].data);
    char* dst = static_cast<char*>(outputs[0].data);
    for (int64_t i = 0; i < inputs[1].num_elements(); ++i) {
      int64_t offset;
      HB_RETURN_IF_ERROR(addressing_.Offset(op_, inputs[1], i, &offset));
      if (reduce_ == nullptr) {
        std::memcpy(dst + offset * size, updates + i * size, static_cast<size_t>(size));
      } else {
        reduce_(reduction_, updates + i * size, dst + offset * size);
      }
    }
    return absl::OkStatus();
  }

 private:
  const char* const op_;
  const int64_t axis_attr_;
  const Reduction reduction_;
  ReduceFn reduce_ = nullptr;
  ElementAddressing addressing_;
};

}  // namespace

KernelOrError CreateGatherKernel(const KernelCreateArgs& args) {
  HB_RETURN_IF_ERROR(CheckOutputCount("Gather", args.num_outputs, 1, 1));
  HB_ASSIGN_OR_RETURN(int64_t axis, args.attributes.GetInt("axis", 0));
  return std::make_unique<GatherKernel>(axis);
}

KernelOrError CreateGatherElementsKernel(const KernelCreateArgs& args) {
  HB_RETURN_IF_ERROR(CheckOutputCount("GatherElements", args.num_outputs, 1, 1));
  HB_ASSIGN_OR_RETURN(int64_t axis, args.attributes.GetInt("axis", 0));
  return std::make_unique<GatherElementsKernel>(axis);
}

KernelOrError CreateScatterElementsKernel(const KernelCreateArgs& args) {
  HB_RETURN_IF_ERROR(CheckOutputCount("ScatterElements", args.num_outputs, 1, 1));
  HB_ASSIGN_OR_RETURN(int64_t axis, args.attributes.GetInt("axis", 0));
  HB_ASSIGN_OR_RETURN(Reduction reduction, ParseReduction("ScatterElements", args.attributes));
  return std::make_unique<ScatterElementsKernel>("ScatterElements", axis, reduction);
}

KernelOrError CreateScatterKernel(const KernelCreateArgs& args) {
  HB_RETURN_IF_ERROR(CheckOutputCount("Scatter", args.num_outputs, 1, 1));
  HB_ASSIGN_OR_RETURN(int64_t axis, args.attributes.GetInt("axis", 0));
  return std::make_unique<ScatterElementsKernel>("Scatter", axis, Reduction::kNone);
}

}  // namespace hb_dnn::kernels
