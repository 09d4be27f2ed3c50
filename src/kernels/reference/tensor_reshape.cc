// The reshape family: Identity, Reshape, Flatten, Squeeze, Unsqueeze. They only change the shape
// of input 0, so Run is one copy of its bytes; they tolerate the output aliasing input 0.

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/reference/tensor_common.h"
#include "src/kernels/reference/tensor_kernels.h"

namespace hb_dnn::kernels {
namespace {

// Run for every kernel of the family: output 0 gets input 0's bytes.
class ReshapeLikeKernel : public OpKernel {
 public:
  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    CopyBytes(inputs[0].data, outputs[0].data,
              static_cast<size_t>(inputs[0].num_elements()) * DTypeSize(inputs[0].dtype));
    return absl::OkStatus();
  }

 protected:
  // Fills output 0 with input 0's dtype and `shape`.
  static void SetOutput(const std::vector<TensorInfo>& inputs, Shape shape,
                        std::vector<TensorInfo>* outputs) {
    outputs->assign(1, TensorInfo());
    (*outputs)[0].dtype = inputs[0].dtype;
    (*outputs)[0].shape = std::move(shape);
  }
};

// Identity (1..17, tensors only: the sequence/optional forms of 14/16 are not supported).
class IdentityKernel : public ReshapeLikeKernel {
 public:
  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(CheckInputCount("Identity", inputs, 1, 1));
    SetOutput(inputs, inputs[0].shape, outputs);
    return absl::OkStatus();
  }
};

// Reshape (5..17): input 1 'shape' is constant; 0 copies the input dimension unless `allowzero`
// (opset 14) is set, -1 is inferred from the element count.
class ReshapeKernel : public ReshapeLikeKernel {
 public:
  explicit ReshapeKernel(bool allow_zero) : allow_zero_(allow_zero) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(CheckInputCount("Reshape", inputs, 2, 2));
    const Shape& in = inputs[0].shape;
    if (inputs[1].shape.size() != 1) {
      return KernelError("Reshape: input 1 'shape' has shape ", ShapeString(inputs[1].shape),
                         ", expected rank 1");
    }
    HB_ASSIGN_OR_RETURN(std::vector<int64_t> requested,
                        ConstantInts(inputs[1], "Reshape: input 1 'shape'"));
    Shape out(requested.size());
    int64_t inferred_axis = -1;
    int64_t known = 1;
    bool has_zero = false;
    for (size_t i = 0; i < requested.size(); ++i) {
      int64_t d = requested[i];
      if (d == -1) {
        if (inferred_axis >= 0) {
          return KernelError("Reshape: shape ", ShapeString(requested), " has more than one -1");
        }
        inferred_axis = static_cast<int64_t>(i);
        continue;
      }
      if (d < -1) {
        return KernelError("Reshape: shape ", ShapeString(requested), " has invalid dimension ",
                           d);
      }
      if (d == 0) {
        has_zero = true;
        if (!allow_zero_) {
          if (i >= in.size()) {
            return KernelError("Reshape: shape ", ShapeString(requested), " copies dimension ", i,
                               " (0) but the input ", ShapeString(in), " has rank ", in.size());
          }
          d = in[i];
        }
      }
      out[i] = d;
      known *= d;
    }
    if (allow_zero_ && has_zero && inferred_axis >= 0) {
      return KernelError("Reshape: shape ", ShapeString(requested),
                         " has both 0 and -1, which allowzero=1 forbids");
    }
    const int64_t count = inputs[0].num_elements();
    if (inferred_axis >= 0) {
      if (known == 0 || count % known != 0) {
        return KernelError("Reshape: cannot infer the -1 of shape ", ShapeString(requested),
                           " for input ", ShapeString(in));
      }
      out[inferred_axis] = count / known;
    } else if (known != count) {
      return KernelError("Reshape: input ", ShapeString(in), " has ", count,
                         " elements but shape ", ShapeString(requested), " gives ",
                         ShapeString(out));
    }
    SetOutput(inputs, std::move(out), outputs);
    return absl::OkStatus();
  }

 private:
  const bool allow_zero_;
};

// Flatten (1..17): 2-D (prod(dims[:axis]), prod(dims[axis:])); axis in [-rank, rank].
class FlattenKernel : public ReshapeLikeKernel {
 public:
  explicit FlattenKernel(int64_t axis) : axis_(axis) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(CheckInputCount("Flatten", inputs, 1, 1));
    const Shape& in = inputs[0].shape;
    const int64_t rank = static_cast<int64_t>(in.size());
    if (axis_ < -rank || axis_ > rank) {
      return KernelError("Flatten: attribute 'axis' ", axis_, " is outside [", -rank, ", ", rank,
                         "] for input ", ShapeString(in));
    }
    const int64_t axis = axis_ < 0 ? axis_ + rank : axis_;
    const Shape outer(in.begin(), in.begin() + axis);
    const Shape inner(in.begin() + axis, in.end());
    SetOutput(inputs, {NumElements(outer), NumElements(inner)}, outputs);
    return absl::OkStatus();
  }

 private:
  const int64_t axis_;
};

// Normalizes `axes` against `rank` and rejects duplicates; `op` names the caller.
absl::StatusOr<std::vector<int64_t>> NormalizeAxes(const char* op, std::vector<int64_t> axes,
                                                   int64_t rank) {
  for (int64_t& axis : axes) {
    HB_ASSIGN_OR_RETURN(axis, NormalizeAxis(axis, rank, (std::string(op) + ": axis").c_str()));
  }
  std::vector<int64_t> sorted = axes;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
    return KernelError(op, ": axes ", ShapeString(axes), " has duplicates");
  }
  return axes;
}

// Squeeze: axes from the attribute (1..12) or the optional constant input 1 (13..17); no axes
// removes every dimension of size 1.
class SqueezeKernel : public ReshapeLikeKernel {
 public:
  SqueezeKernel(bool axes_from_input, bool has_axes, std::vector<int64_t> axes)
      : axes_from_input_(axes_from_input), has_axes_(has_axes), axes_(std::move(axes)) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(CheckInputCount("Squeeze", inputs, 1, axes_from_input_ ? 2 : 1));
    const Shape& in = inputs[0].shape;
    bool has_axes = has_axes_;
    std::vector<int64_t> axes = axes_;
    if (axes_from_input_ && inputs.size() > 1 && inputs[1].present()) {
      has_axes = true;
      HB_ASSIGN_OR_RETURN(axes, ConstantInts(inputs[1], "Squeeze: input 1 'axes'"));
    }
    std::vector<bool> remove(in.size(), false);
    if (has_axes) {
      HB_ASSIGN_OR_RETURN(axes, NormalizeAxes("Squeeze", axes, static_cast<int64_t>(in.size())));
      for (int64_t axis : axes) {
        if (in[axis] != 1) {
          return KernelError("Squeeze: axis ", axis, " of input ", ShapeString(in),
                             " has size ", in[axis], ", not 1");
        }
        remove[axis] = true;
      }
    } else {
      for (size_t d = 0; d < in.size(); ++d) remove[d] = in[d] == 1;
    }
    Shape out;
    for (size_t d = 0; d < in.size(); ++d) {
      if (!remove[d]) out.push_back(in[d]);
    }
    SetOutput(inputs, std::move(out), outputs);
    return absl::OkStatus();
  }

 private:
  const bool axes_from_input_;
  const bool has_axes_;
  const std::vector<int64_t> axes_;
};

// Unsqueeze: axes (required) from the attribute (1..12) or constant input 1 (13..17), each
// naming a position of the output.
class UnsqueezeKernel : public ReshapeLikeKernel {
 public:
  UnsqueezeKernel(bool axes_from_input, std::vector<int64_t> axes)
      : axes_from_input_(axes_from_input), axes_(std::move(axes)) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(CheckInputCount("Unsqueeze", inputs, axes_from_input_ ? 2 : 1,
                                       axes_from_input_ ? 2 : 1));
    const Shape& in = inputs[0].shape;
    std::vector<int64_t> axes = axes_;
    if (axes_from_input_) {
      HB_ASSIGN_OR_RETURN(axes, ConstantInts(inputs[1], "Unsqueeze: input 1 'axes'"));
    }
    if (axes.empty()) return KernelError("Unsqueeze: 'axes' is empty");
    const int64_t out_rank = static_cast<int64_t>(in.size() + axes.size());
    HB_ASSIGN_OR_RETURN(axes, NormalizeAxes("Unsqueeze", axes, out_rank));
    std::vector<bool> inserted(static_cast<size_t>(out_rank), false);
    for (int64_t axis : axes) inserted[axis] = true;
    Shape out;
    size_t next = 0;
    for (int64_t d = 0; d < out_rank; ++d) out.push_back(inserted[d] ? 1 : in[next++]);
    SetOutput(inputs, std::move(out), outputs);
    return absl::OkStatus();
  }

 private:
  const bool axes_from_input_;
  const std::vector<int64_t> axes_;
};

}  // namespace

KernelOrError CreateIdentityKernel(const KernelCreateArgs& args) {
  HB_RETURN_IF_ERROR(CheckOutputCount("Identity", args.num_outputs, 1, 1));
  return std::make_unique<IdentityKernel>();
}

KernelOrError CreateReshapeKernel(const KernelCreateArgs& args) {
  HB_RETURN_IF_ERROR(CheckOutputCount("Reshape", args.num_outputs, 1, 1));
  HB_ASSIGN_OR_RETURN(int64_t allow_zero, args.attributes.GetInt("allowzero", 0));
  return std::make_unique<ReshapeKernel>(allow_zero != 0);
}

KernelOrError CreateFlattenKernel(const KernelCreateArgs& args) {
  HB_RETURN_IF_ERROR(CheckOutputCount("Flatten", args.num_outputs, 1, 1));
  HB_ASSIGN_OR_RETURN(int64_t axis, args.attributes.GetInt("axis", 1));
  return std::make_unique<FlattenKernel>(axis);
}

KernelOrError CreateSqueezeKernel(const KernelCreateArgs& args) {
  HB_RETURN_IF_ERROR(CheckOutputCount("Squeeze", args.num_outputs, 1, 1));
  const bool axes_from_input = args.opset_version >= 13;
  HB_ASSIGN_OR_RETURN(std::vector<int64_t> axes, args.attributes.GetInts("axes"));
  const bool has_axes = !axes_from_input && args.attributes.Has("axes");
  return std::make_unique<SqueezeKernel>(axes_from_input, has_axes, std::move(axes));
}

KernelOrError CreateUnsqueezeKernel(const KernelCreateArgs& args) {
  HB_RETURN_IF_ERROR(CheckOutputCount("Unsqueeze", args.num_outputs, 1, 1));
  const bool axes_from_input = args.opset_version >= 13;
  HB_ASSIGN_OR_RETURN(std::vector<int64_t> axes, args.attributes.GetInts("axes"));
  if (!axes_from_input && !args.attributes.Has("axes")) {
    return KernelError("Unsqueeze: attribute 'axes' is required before opset 13");
  }
  return std::make_unique<UnsqueezeKernel>(axes_from_input, std::move(axes));
}

}  // namespace hb_dnn::kernels
