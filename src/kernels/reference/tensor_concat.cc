// Concat and Split: joining and cutting along one axis. Both view a tensor as
// (outer, axis, inner) and move contiguous blocks of axis_part * inner elements.

#include <cstring>
#include <memory>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/reference/tensor_common.h"
#include "src/kernels/reference/tensor_kernels.h"

namespace hb_dnn::kernels {
namespace {

// Product of `shape[begin, end)`.
int64_t Product(const Shape& shape, size_t begin, size_t end) {
  int64_t n = 1;
  for (size_t d = begin; d < end; ++d) n *= shape[d];
  return n;
}

// Concat (4..17): inputs of equal dtype and rank, equal except along `axis`.
class ConcatKernel : public OpKernel {
 public:
  explicit ConcatKernel(int64_t axis) : axis_attr_(axis) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    if (inputs.empty()) return KernelError("Concat needs at least one input");
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (!inputs[i].present()) return KernelError("Concat: input ", i, " is missing");
    }
    const TensorInfo& first = inputs[0];
    const int64_t rank = static_cast<int64_t>(first.shape.size());
    if (rank == 0) return KernelError("Concat: input 0 is a scalar; inputs need rank >= 1");
    HB_ASSIGN_OR_RETURN(axis_, NormalizeAxis(axis_attr_, rank, "Concat: attribute 'axis'"));
    Shape out = first.shape;
    out[axis_] = 0;
    for (size_t i = 0; i < inputs.size(); ++i) {
      const TensorInfo& in = inputs[i];
      if (in.dtype != first.dtype) {
        return KernelError("Concat: input ", i, " has type ", DTypeName(in.dtype),
                           " but input 0 has ", DTypeName(first.dtype));
      }
      bool compatible = static_cast<int64_t>(in.shape.size()) == rank;
      for (int64_t d = 0; compatible && d < rank; ++d) {
        compatible = d == axis_ || in.shape[d] == first.shape[d];
      }
      if (!compatible) {
        return KernelError("Concat: input ", i, " has shape ", ShapeString(in.shape),
                           " but input 0 has ", ShapeString(first.shape), " (axis ", axis_, ")");
      }
      out[axis_] += in.shape[axis_];
    }
    outer_ = Product(first.shape, 0, static_cast<size_t>(axis_));
    inner_bytes_ = Product(first.shape, static_cast<size_t>(axis_) + 1, first.shape.size()) *
                   static_cast<int64_t>(DTypeSize(first.dtype));
    outputs->assign(1, TensorInfo());
    (*outputs)[0].dtype = first.dtype;
    (*outputs)[0].shape = std::move(out);
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    int64_t out_row = 0;  // bytes of one outer row of the output
    for (const ConstTensorView& in : inputs) out_row += in.shape[axis_] * inner_bytes_;
    char* dst = static_cast<char*>(outputs[0].data);
    int64_t column = 0;  // byte offset of the current input within an output row
    for (const ConstTensorView& in : inputs) {
      const int64_t block = in.shape[axis_] * inner_bytes_;
      const char* src = static_cast<const char*>(in.data);
      if (block > 0) {
        for (int64_t o = 0; o < outer_; ++o) {
          std::memcpy(dst + o * out_row + column, src + o * block, static_cast<size_t>(block));
        }
      }
      column += block;
    }
    return absl::OkStatus();
  }

 private:
  const int64_t axis_attr_;
  int64_t axis_ = 0;
  int64_t outer_ = 0;
  int64_t inner_bytes_ = 0;
};

// Split: `split` sizes from the attribute (2..12) or the optional constant input 1 (13..17);
// without them the axis is cut into equal parts, one per output.
class SplitKernel : public OpKernel {
 public:
  SplitKernel(int64_t axis, bool split_from_input, std::vector<int64_t> split, int num_outputs)
      : axis_attr_(axis),
        split_from_input_(split_from_input),
        split_attr_(std::move(split)),
        num_outputs_(num_outputs) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(CheckInputCount("Split", inputs, 1, split_from_input_ ? 2 : 1));
    const Shape& in = inputs[0].shape;
    const int64_t rank = static_cast<int64_t>(in.size());
    if (rank == 0) return KernelError("Split: input 0 is a scalar; it needs rank >= 1");
    HB_ASSIGN_OR_RETURN(axis_, NormalizeAxis(axis_attr_, rank, "Split: attribute 'axis'"));
    const int64_t dim = in[axis_];
    std::vector<int64_t> split = split_attr_;
    if (split_from_input_ && inputs.size() > 1 && inputs[1].present()) {
      HB_ASSIGN_OR_RETURN(split, ConstantInts(inputs[1], "Split: input 1 'split'"));
    }
    if (split.empty()) {
      if (dim % num_outputs_ != 0) {
        return KernelError("Split: axis ", axis_, " of input ", ShapeString(in),
                           " cannot be split into ", num_outputs_, " equal parts");
      }
      split.assign(static_cast<size_t>(num_outputs_), dim / num_outputs_);
    }
    if (static_cast<int>(split.size()) != num_outputs_) {
      return KernelError("Split: 'split' ", ShapeString(split), " has ", split.size(),
                         " entries but the node has ", num_outputs_, " outputs");
    }
    int64_t total = 0;
    for (int64_t s : split) {
      if (s < 0) return KernelError("Split: 'split' ", ShapeString(split), " has a negative size");
      total += s;
    }
    if (total != dim) {
      return KernelError("Split: 'split' ", ShapeString(split), " sums to ", total,
                         " but axis ", axis_, " of input ", ShapeString(in), " has size ", dim);
    }
    outer_ = Product(in, 0, static_cast<size_t>(axis_));
    inner_bytes_ = Product(in, static_cast<size_t>(axis_) + 1, in.size()) *
                   static_cast<int64_t>(DTypeSize(inputs[0].dtype));
    outputs->assign(split.size(), TensorInfo());
    for (size_t i = 0; i < split.size(); ++i) {
      (*outputs)[i].dtype = inputs[0].dtype;
      (*outputs)[i].shape = in;
      (*outputs)[i].shape[axis_] = split[i];
    }
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const int64_t in_row = inputs[0].shape[axis_] * inner_bytes_;
    const char* src = static_cast<const char*>(inputs[0].data);
    int64_t column = 0;
    for (const TensorView& out : outputs) {
      const int64_t block = out.shape[axis_] * inner_bytes_;
      char* dst = static_cast<char*>(out.data);
      if (block > 0) {
        for (int64_t o = 0; o < outer_; ++o) {
          std::memcpy(dst + o * block, src + o * in_row + column, static_cast<size_t>(block));
        }
      }
      column += block;
    }
    return absl::OkStatus();
  }

 private:
  const int64_t axis_attr_;
  const bool split_from_input_;
  const std::vector<int64_t> split_attr_;
  const int num_outputs_;
  int64_t axis_ = 0;
  int64_t outer_ = 0;
  int64_t inner_bytes_ = 0;
};

}  // namespace

KernelOrError CreateConcatKernel(const KernelCreateArgs& args) {
  HB_RETURN_IF_ERROR(CheckOutputCount("Concat", args.num_outputs, 1, 1));
  if (!args.attributes.Has("axis")) return KernelError("Concat: attribute 'axis' is required");
  HB_ASSIGN_OR_RETURN(int64_t axis, args.attributes.GetInt("axis", 0));
  return std::make_unique<ConcatKernel>(axis);
}

KernelOrError CreateSplitKernel(const KernelCreateArgs& args) {
  if (args.num_outputs < 1) return KernelError("Split: the node has no outputs");
  HB_ASSIGN_OR_RETURN(int64_t axis, args.attributes.GetInt("axis", 0));
  const bool split_from_input = args.opset_version >= 13;
  std::vector<int64_t> split;
  if (!split_from_input) {
    HB_ASSIGN_OR_RETURN(split, args.attributes.GetInts("split"));
  }
  return std::make_unique<SplitKernel>(axis, split_from_input, std::move(split),
                                       args.num_outputs);
}

}  // namespace hb_dnn::kernels
