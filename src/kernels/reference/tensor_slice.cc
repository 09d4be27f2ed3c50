// Slice: starts/ends/axes as attributes (1..9) or constant inputs with optional steps (10..17).
// The slice is a strided view of the input: offset = sum(start * stride), strides * step.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/reference/tensor_common.h"
#include "src/kernels/reference/tensor_kernels.h"

namespace hb_dnn::kernels {
namespace {

struct SliceParams {
  std::vector<int64_t> starts;
  std::vector<int64_t> ends;
  std::vector<int64_t> axes;   // empty = 0..starts.size()-1
  std::vector<int64_t> steps;  // empty = all 1
};

class SliceKernel : public OpKernel {
 public:
  SliceKernel(bool params_from_inputs, SliceParams params)
      : params_from_inputs_(params_from_inputs), attr_params_(std::move(params)) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    SliceParams p = attr_params_;
    if (params_from_inputs_) {
      HB_RETURN_IF_ERROR(CheckInputCount("Slice", inputs, 3, 5));
      HB_ASSIGN_OR_RETURN(p.starts, ConstantInts(inputs[1], "Slice: input 1 'starts'"));
      HB_ASSIGN_OR_RETURN(p.ends, ConstantInts(inputs[2], "Slice: input 2 'ends'"));
      if (inputs.size() > 3 && inputs[3].present()) {
        HB_ASSIGN_OR_RETURN(p.axes, ConstantInts(inputs[3], "Slice: input 3 'axes'"));
      }
      if (inputs.size() > 4 && inputs[4].present()) {
        HB_ASSIGN_OR_RETURN(p.steps, ConstantInts(inputs[4], "Slice: input 4 'steps'"));
      }
    } else {
      HB_RETURN_IF_ERROR(CheckInputCount("Slice", inputs, 1, 1));
    }
    const Shape& in = inputs[0].shape;
    const int64_t rank = static_cast<int64_t>(in.size());
    const size_t n = p.starts.size();
    if (p.ends.size() != n) {
      return KernelError("Slice: 'starts' ", ShapeString(p.starts), " and 'ends' ",
                         ShapeString(p.ends), " differ in length");
    }
    if (p.axes.empty()) {
      for (size_t i = 0; i < n; ++i) p.axes.push_back(static_cast<int64_t>(i));
    }
    if (p.steps.empty()) p.steps.assign(n, 1);
    if (p.axes.size() != n || p.steps.size() != n) {
      return KernelError("Slice: 'axes' ", ShapeString(p.axes), " and 'steps' ",
                         ShapeString(p.steps), " must have the length of 'starts' ",
                         ShapeString(p.starts));
    }

    const std::vector<int64_t> in_strides = Strides(in);
    Shape out = in;
    std::vector<int64_t> strides = in_strides;
    int64_t offset = 0;
    std::vector<bool> seen(in.size(), false);
    for (size_t i = 0; i < n; ++i) {
      HB_ASSIGN_OR_RETURN(int64_t axis, NormalizeAxis(p.axes[i], rank, "Slice: axis"));
      if (seen[axis]) return KernelError("Slice: axes ", ShapeString(p.axes), " has duplicates");
      seen[axis] = true;
      const int64_t step = p.steps[i];
      if (step == 0) return KernelError("Slice: 'steps' ", ShapeString(p.steps), " has a 0");
      const int64_t dim = in[axis];
      int64_t start = p.starts[i];
      int64_t end = p.ends[i];
      if (start < 0) start += dim;
      if (end < 0) end += dim;
      int64_t count;
      if (step > 0) {
        // Forward: both bounds clamp to [0, dim].
        start = std::clamp<int64_t>(start, 0, dim);
        end = std::clamp<int64_t>(end, 0, dim);
        count = end > start ? (end - start - 1) / step + 1 : 0;
      } else {
        // Backward: start clamps to [0, dim - 1], end to [-1, dim - 1] (-1 = before element 0).
        start = std::clamp<int64_t>(start, 0, std::max<int64_t>(dim - 1, 0));
        end = std::clamp<int64_t>(end, -1, dim - 1);
        const int64_t back_step = step == INT64_MIN ? INT64_MAX : -step;
        count = start > end && dim > 0 ? (start - end - 1) / back_step + 1 : 0;
      }
      out[axis] = count;
      // With one element or none the stride is unused (and `step` may be huge).
      strides[axis] = count > 1 ? in_strides[axis] * step : 0;
      if (count > 0) offset += start * in_strides[axis];
    }
    copy_ = StridedCopy(out, strides, offset, DTypeSize(inputs[0].dtype));
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
  const bool params_from_inputs_;
  const SliceParams attr_params_;
  StridedCopy copy_;
};

}  // namespace

KernelOrError CreateSliceKernel(const KernelCreateArgs& args) {
  HB_RETURN_IF_ERROR(CheckOutputCount("Slice", args.num_outputs, 1, 1));
  const bool params_from_inputs = args.opset_version >= 10;
  SliceParams params;
  if (!params_from_inputs) {
    if (!args.attributes.Has("starts") || !args.attributes.Has("ends")) {
      return KernelError("Slice: attributes 'starts' and 'ends' are required before opset 10");
    }
    HB_ASSIGN_OR_RETURN(params.starts, args.attributes.GetInts("starts"));
    HB_ASSIGN_OR_RETURN(params.ends, args.attributes.GetInts("ends"));
    HB_ASSIGN_OR_RETURN(params.axes, args.attributes.GetInts("axes"));
  }
  return std::make_unique<SliceKernel>(params_from_inputs, std::move(params));
}

}  // namespace hb_dnn::kernels
