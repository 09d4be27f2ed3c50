// Replication: Expand (broadcast to a shape) and Tile (repeat along each axis). Both are strided
// views with stride 0 on the replicated dimensions.

#include <memory>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/reference/tensor_common.h"
#include "src/kernels/reference/tensor_kernels.h"

namespace hb_dnn::kernels {
namespace {

// Expand (8..17): output shape = broadcast(input shape, constant input 1 'shape').
class ExpandKernel : public OpKernel {
 public:
  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(CheckInputCount("Expand", inputs, 2, 2));
    if (inputs[1].shape.size() != 1) {
      return KernelError("Expand: input 1 'shape' has shape ", ShapeString(inputs[1].shape),
                         ", expected rank 1");
    }
    HB_ASSIGN_OR_RETURN(Shape requested, ConstantInts(inputs[1], "Expand: input 1 'shape'"));
    for (int64_t d : requested) {
      if (d < 0) {
        return KernelError("Expand: input 1 'shape' ", ShapeString(requested),
                           " has a negative dimension");
      }
    }
    absl::StatusOr<Shape> out = BroadcastShapes(inputs[0].shape, requested);
    if (!out.ok()) return KernelError("Expand: ", out.status().message());
    copy_ = StridedCopy(*out, BroadcastStrides(inputs[0].shape, *out), 0,
                        DTypeSize(inputs[0].dtype));
    outputs->assign(1, TensorInfo());
    (*outputs)[0].dtype = inputs[0].dtype;
    (*outputs)[0].shape = *std::move(out);
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    copy_.Run(inputs[0].data, outputs[0].data);
    return absl::OkStatus();
  }

 private:
  StridedCopy copy_;
};

// Tile (6..17): constant input 1 'repeats' has one non-negative count per axis. The output is
// viewed as (repeats[0], dims[0], repeats[1], dims[1], ...) with stride 0 on the repeats.
class TileKernel : public OpKernel {
 public:
  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(CheckInputCount("Tile", inputs, 2, 2));
    const Shape& in = inputs[0].shape;
    HB_ASSIGN_OR_RETURN(std::vector<int64_t> repeats,
                        ConstantInts(inputs[1], "Tile: input 1 'repeats'"));
    if (repeats.size() != in.size()) {
      return KernelError("Tile: input 1 'repeats' ", ShapeString(repeats), " has ",
                         repeats.size(), " entries but input 0 ", ShapeString(in), " has rank ",
                         in.size());
    }
    const std::vector<int64_t> in_strides = Strides(in);
    Shape view;
    std::vector<int64_t> strides;
    Shape out;
    for (size_t d = 0; d < in.size(); ++d) {
      if (repeats[d] < 0) {
        return KernelError("Tile: input 1 'repeats' ", ShapeString(repeats),
                           " has a negative count");
      }
      view.insert(view.end(), {repeats[d], in[d]});
      strides.insert(strides.end(), {0, in_strides[d]});
      out.push_back(repeats[d] * in[d]);
    }
    copy_ = StridedCopy(view, strides, 0, DTypeSize(inputs[0].dtype));
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
  StridedCopy copy_;
};

}  // namespace

KernelOrError CreateExpandKernel(const KernelCreateArgs& args) {
  HB_RETURN_IF_ERROR(CheckOutputCount("Expand", args.num_outputs, 1, 1));
  return std::make_unique<ExpandKernel>();
}

KernelOrError CreateTileKernel(const KernelCreateArgs& args) {
  HB_RETURN_IF_ERROR(CheckOutputCount("Tile", args.num_outputs, 1, 1));
  return std::make_unique<TileKernel>();
}

}  // namespace hb_dnn::kernels
