// GatherND and ScatterND: the last dimension of `indices` holds index tuples addressing
// contiguous blocks (sub-tensors) of `data`. Index entries are int32 or int64; negative ones count
// from the end of their axis and entries outside [-dim, dim) are errors (at prepare time when the
// indices are constant, else at run).

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/reference/tensor_common.h"
#include "src/kernels/reference/tensor_kernels.h"

namespace hb_dnn::kernels {
namespace {

// The addressing both ops share. With b batch dims and tuples of m entries, data is viewed as
// (batch, dims[b..b+m), block) and tuple t of batch i addresses one block of `block_` elements.
class TupleAddressing {
 public:
  absl::Status Prepare(const char* op, const Shape& data, const TensorInfo& indices,
                       int64_t batch_dims) {
    op_ = op;
    HB_RETURN_IF_ERROR(CheckIndexType(op, indices, "input 1 'indices'"));
    const Shape& ind = indices.shape;
    const int64_t r = static_cast<int64_t>(data.size());
    const int64_t q = static_cast<int64_t>(ind.size());
    if (r < 1 || q < 1) {
      return KernelError(op, ": input 0 'data' ", ShapeString(data), " and input 1 'indices' ",
                         ShapeString(ind), " need rank >= 1");
    }
    if (batch_dims < 0 || batch_dims >= q || batch_dims >= r) {
      return KernelError(op, ": attribute 'batch_dims' ", batch_dims, " must be in [0, ",
                         std::min(q, r), ")");
    }
    for (int64_t d = 0; d < batch_dims; ++d) {
      if (data[d] != ind[d]) {
        return KernelError(op, ": batch dimension ", d, " differs between input 0 'data' ",
                           ShapeString(data), " and input 1 'indices' ", ShapeString(ind));
      }
    }
    tuple_size_ = ind.back();
    if (tuple_size_ < 1 || tuple_size_ > r - batch_dims) {
      return KernelError(op, ": input 1 'indices' ", ShapeString(ind), " has tuples of ",
                         tuple_size_, " entries; input 0 'data' ", ShapeString(data),
                         " allows 1..", r - batch_dims);
    }
    dims_.assign(data.begin() + batch_dims, data.begin() + batch_dims + tuple_size_);
    const std::vector<int64_t> strides = Strides(data);
    tuple_strides_.assign(strides.begin() + batch_dims,
                          strides.begin() + batch_dims + tuple_size_);
    batch_ = NumElements(Shape(ind.begin(), ind.begin() + batch_dims));
    tuples_per_batch_ = NumElements(Shape(ind.begin() + batch_dims, ind.end() - 1));
    batch_stride_ = NumElements(Shape(data.begin() + batch_dims, data.end()));
    block_ = NumElements(Shape(data.begin() + batch_dims + tuple_size_, data.end()));
    // Result shape: indices.shape[:-1] + data.shape[b+m:].
    result_shape_.assign(ind.begin(), ind.end() - 1);
    result_shape_.insert(result_shape_.end(), data.begin() + batch_dims + tuple_size_,
                         data.end());
    if (indices.data != nullptr) {
      for (int64_t t = 0; t < batch_ * tuples_per_batch_; ++t) {
        int64_t offset;
        HB_RETURN_IF_ERROR(Offset(indices.data, indices.dtype, t, &offset));
      }
    }
    return absl::OkStatus();
  }

  // The data element offset of the block that tuple `t` (counted over all batches) addresses.
  absl::Status Offset(const void* indices, DType dtype, int64_t t, int64_t* offset) const {
    *offset = (t / tuples_per_batch_) * batch_stride_;
    for (int64_t j = 0; j < tuple_size_; ++j) {
      int64_t index = IndexAt(indices, dtype, t * tuple_size_ + j);
      HB_RETURN_IF_ERROR(NormalizeIndex(op_, "index", dims_[j], &index));
      *offset += index * tuple_strides_[j];
    }
    return absl::OkStatus();
  }

  int64_t num_tuples() const { return batch_ * tuples_per_batch_; }
  int64_t block() const { return block_; }
  const Shape& result_shape() const { return result_shape_; }

 private:
  const char* op_ = "";
  int64_t tuple_size_ = 0;
  Shape dims_;                          // sizes of the axes a tuple indexes
  std::vector<int64_t> tuple_strides_;  // their element strides in data
  int64_t batch_ = 1;
  int64_t tuples_per_batch_ = 1;
  int64_t batch_stride_ = 0;
  int64_t block_ = 0;
  Shape result_shape_;
};

// GatherND (11..17, `batch_dims` from 12).
class GatherNdKernel : public OpKernel {
 public:
  explicit GatherNdKernel(int64_t batch_dims) : batch_dims_(batch_dims) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(CheckInputCount("GatherND", inputs, 2, 2));
    HB_RETURN_IF_ERROR(addressing_.Prepare("GatherND", inputs[0].shape, inputs[1], batch_dims_));
    outputs->assign(1, TensorInfo());
    (*outputs)[0].dtype = inputs[0].dtype;
    (*outputs)[0].shape = addressing_.result_shape();
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const int64_t size = static_cast<int64_t>(DTypeSize(inputs[0].dtype));
    const int64_t block_bytes = addressing_.block() * size;
    const char* src = static_cast<const char*>(inputs[0].data);
    char* dst = static_cast<char*>(outputs[0].data);
    if (block_bytes == 0) return absl::OkStatus();
    for (int64_t t = 0; t < addressing_.num_tuples(); ++t) {
      int64_t offset;
      HB_RETURN_IF_ERROR(addressing_.Offset(inputs[1].data, inputs[1].dtype, t, &offset));
      std::memcpy(dst + t * block_bytes, src + offset * size, static_cast<size_t>(block_bytes));
    }
    return absl::OkStatus();
  }

 private:
  const int64_t batch_dims_;
  TupleAddressing addressing_;
};

// ScatterND (11..17, `reduction` none/add/mul from 16): output = data with each update block
// written (or reduced) at its tuple's block, in tuple order.
class ScatterNdKernel : public OpKernel {
 public:
  explicit ScatterNdKernel(Reduction reduction) : reduction_(reduction) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(CheckInputCount("ScatterND", inputs, 3, 3));
    HB_RETURN_IF_ERROR(addressing_.Prepare("ScatterND", inputs[0].shape, inputs[1], 0));
    if (inputs[2].shape != addressing_.result_shape() || inputs[2].dtype != inputs[0].dtype) {
      return KernelError("ScatterND: input 2 'updates' is ", DTypeName(inputs[2].dtype), " ",
                         ShapeString(inputs[2].shape), ", expected ", DTypeName(inputs[0].dtype),
                         " ", ShapeString(addressing_.result_shape()));
    }
    reduce_ = nullptr;
    if (reduction_ != Reduction::kNone) {
      reduce_ = ReducerFor(inputs[0].dtype);
      if (reduce_ == nullptr) {
        return KernelError("ScatterND: reduction is not supported for type ",
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
    const int64_t block = addressing_.block();
    const char* updates = static_cast<const char*>(inputs[2].data);
    char* dst = static_cast<char*>(outputs[0].data);
    for (int64_t t = 0; t < addressing_.num_tuples(); ++t) {
      int64_t offset;
      HB_RETURN_IF_ERROR(addressing_.Offset(inputs[1].data, inputs[1].dtype, t, &offset));
      char* target = dst + offset * size;
      const char* source = updates + t * block * size;
      if (reduce_ == nullptr) {
        if (block > 0) std::memcpy(target, source, static_cast<size_t>(block * size));
      } else {
        for (int64_t e = 0; e < block; ++e) {
          reduce_(reduction_, source + e * size, target + e * size);
        }
      }
    }
    return absl::OkStatus();
  }

 private:
  const Reduction reduction_;
  ReduceFn reduce_ = nullptr;
  TupleAddressing addressing_;
};

}  // namespace

KernelOrError CreateGatherNdKernel(const KernelCreateArgs& args) {
  HB_RETURN_IF_ERROR(CheckOutputCount("GatherND", args.num_outputs, 1, 1));
  HB_ASSIGN_OR_RETURN(int64_t batch_dims, args.attributes.GetInt("batch_dims", 0));
  return std::make_unique<GatherNdKernel>(batch_dims);
}

KernelOrError CreateScatterNdKernel(const KernelCreateArgs& args) {
  HB_RETURN_IF_ERROR(CheckOutputCount("ScatterND", args.num_outputs, 1, 1));
  HB_ASSIGN_OR_RETURN(Reduction reduction, ParseReduction("ScatterND", args.attributes));
  return std::make_unique<ScatterNdKernel>(reduction);
}

}  // namespace hb_dnn::kernels
