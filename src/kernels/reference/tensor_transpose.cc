// Permutations of axes: Transpose, and DepthToSpace / SpaceToDepth, which are a reshape, a
// transpose and a reshape (ONNX defines them that way). All run as one StridedCopy.

#include <memory>
#include <string>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/reference/tensor_common.h"
#include "src/kernels/reference/tensor_kernels.h"

namespace hb_dnn::kernels {
namespace {

// The copy producing `view` (a dense tensor of shape `view_shape`) transposed by `perm`.
StridedCopy PermutedCopy(const Shape& view_shape, const std::vector<int64_t>& perm,
                         size_t element_size) {
  const std::vector<int64_t> view_strides = Strides(view_shape);
  Shape shape(perm.size());
  std::vector<int64_t> strides(perm.size());
  for (size_t i = 0; i < perm.size(); ++i) {
    shape[i] = view_shape[perm[i]];
    strides[i] = view_strides[perm[i]];
  }
  return StridedCopy(shape, strides, 0, element_size);
}

// Transpose (1..17): `perm` defaults to reversing the axes.
class TransposeKernel : public OpKernel {
 public:
  TransposeKernel(bool has_perm, std::vector<int64_t> perm)
      : has_perm_(has_perm), perm_attr_(std::move(perm)) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(CheckInputCount("Transpose", inputs, 1, 1));
    const Shape& in = inputs[0].shape;
    const size_t rank = in.size();
    std::vector<int64_t> perm = perm_attr_;
    if (!has_perm_) {
      perm.clear();
      for (size_t i = rank; i > 0; --i) perm.push_back(static_cast<int64_t>(i - 1));
    }
    bool valid = perm.size() == rank;
    std::vector<bool> used(rank, false);
    for (size_t i = 0; valid && i < perm.size(); ++i) {
      valid = perm[i] >= 0 && perm[i] < static_cast<int64_t>(rank) && !used[perm[i]];
      if (valid) used[perm[i]] = true;
    }
    if (!valid) {
      return KernelError("Transpose: attribute 'perm' ", ShapeString(perm),
                         " is not a permutation of the axes of input ", ShapeString(in));
    }
    copy_ = PermutedCopy(in, perm, DTypeSize(inputs[0].dtype));
    outputs->assign(1, TensorInfo());
    (*outputs)[0].dtype = inputs[0].dtype;
    for (int64_t p : perm) (*outputs)[0].shape.push_back(in[p]);
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    copy_.Run(inputs[0].data, outputs[0].data);
    return absl::OkStatus();
  }

 private:
  const bool has_perm_;
  const std::vector<int64_t> perm_attr_;
  StridedCopy copy_;
};

// DepthToSpace (1..17, `mode` from 11) and SpaceToDepth (1..17) on NCHW input.
class DepthSpaceKernel : public OpKernel {
 public:
  enum class Kind { kDepthToSpaceDcr, kDepthToSpaceCrd, kSpaceToDepth };

  DepthSpaceKernel(Kind kind, int64_t block) : kind_(kind), block_(block) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    const char* op = kind_ == Kind::kSpaceToDepth ? "SpaceToDepth" : "DepthToSpace";
    HB_RETURN_IF_ERROR(CheckInputCount(op, inputs, 1, 1));
    const Shape& in = inputs[0].shape;
    if (in.size() != 4) {
      return KernelError(op, ": input 0 has shape ", ShapeString(in), ", expected rank 4 (NCHW)");
    }
    const int64_t n = in[0], c = in[1], h = in[2], w = in[3], b = block_;
    Shape view;
    std::vector<int64_t> perm;
    Shape out;
    if (kind_ == Kind::kSpaceToDepth) {
      if (h % b != 0 || w % b != 0) {
        return KernelError(op, ": input 0 ", ShapeString(in), " has H or W not divisible by ",
                           "blocksize ", b);
      }
      view = {n, c, h / b, b, w / b, b};
      perm = {0, 3, 5, 1, 2, 4};
      out = {n, c * b * b, h / b, w / b};
    } else {
      if (c % (b * b) != 0) {
        return KernelError(op, ": input 0 ", ShapeString(in), " has C not divisible by ",
                           "blocksize^2 ", b * b);
      }
      if (kind_ == Kind::kDepthToSpaceDcr) {
        view = {n, b, b, c / (b * b), h, w};
        perm = {0, 3, 4, 1, 5, 2};
      } else {
        view = {n, c / (b * b), b, b, h, w};
        perm = {0, 1, 4, 2, 5, 3};
      }
      out = {n, c / (b * b), h * b, w * b};
    }
    copy_ = PermutedCopy(view, perm, DTypeSize(inputs[0].dtype));
    outputs->assign(1, TensorInfo());
    (*outputs)[0].dtype = inputs[0].dtype;
    (*outputs)[0].shape = std::move(out);
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    copy_.Run(inputs[0].data, outputs[0].data);
    return absl::OkStatus();
  }

 private:
  const Kind kind_;
  const int64_t block_;
  StridedCopy copy_;
};

absl::StatusOr<int64_t> BlockSize(const char* op, const Attributes& attributes) {
  if (!attributes.Has("blocksize")) return KernelError(op, ": attribute 'blocksize' is required");
  HB_ASSIGN_OR_RETURN(int64_t block, attributes.GetInt("blocksize", 0));
  if (block <= 0) return KernelError(op, ": attribute 'blocksize' ", block, " must be positive");
  return block;
}

}  // namespace

KernelOrError CreateTransposeKernel(const KernelCreateArgs& args) {
  HB_RETURN_IF_ERROR(CheckOutputCount("Transpose", args.num_outputs, 1, 1));
  HB_ASSIGN_OR_RETURN(std::vector<int64_t> perm, args.attributes.GetInts("perm"));
  return std::make_unique<TransposeKernel>(args.attributes.Has("perm"), std::move(perm));
}

KernelOrError CreateDepthToSpaceKernel(const KernelCreateArgs& args) {
  HB_RETURN_IF_ERROR(CheckOutputCount("DepthToSpace", args.num_outputs, 1, 1));
  HB_ASSIGN_OR_RETURN(int64_t block, BlockSize("DepthToSpace", args.attributes));
  HB_ASSIGN_OR_RETURN(std::string mode, args.attributes.GetString("mode", "DCR"));
  DepthSpaceKernel::Kind kind;
  if (mode == "DCR") {
    kind = DepthSpaceKernel::Kind::kDepthToSpaceDcr;
  } else if (mode == "CRD") {
    kind = DepthSpaceKernel::Kind::kDepthToSpaceCrd;
  } else {
    return KernelError("DepthToSpace: attribute 'mode' is '", mode, "', expected DCR or CRD");
  }
  return std::make_unique<DepthSpaceKernel>(kind, block);
}

KernelOrError CreateSpaceToDepthKernel(const KernelCreateArgs& args) {
  HB_RETURN_IF_ERROR(CheckOutputCount("SpaceToDepth", args.num_outputs, 1, 1));
  HB_ASSIGN_OR_RETURN(int64_t block, BlockSize("SpaceToDepth", args.attributes));
  return std::make_unique<DepthSpaceKernel>(DepthSpaceKernel::Kind::kSpaceToDepth, block);
}

}  // namespace hb_dnn::kernels
