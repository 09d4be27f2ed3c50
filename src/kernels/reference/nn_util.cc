#include "src/kernels/reference/nn_util.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"

namespace hb_dnn::kernels::nn {
namespace {

template <typename T>
std::string RawBytes(T value) {
  std::string bytes(sizeof(T), '\0');
  std::memcpy(bytes.data(), &value, sizeof(T));
  return bytes;
}

}  // namespace

std::string IntsString(const std::vector<int64_t>& values) {
  return absl::StrCat("[", absl::StrJoin(values, ","), "]");
}

absl::StatusOr<WindowAttributes> ReadWindowAttributes(const Attributes& attributes,
                                                      const char* op) {
  WindowAttributes result;
  HB_ASSIGN_OR_RETURN(std::string auto_pad, attributes.GetString("auto_pad", "NOTSET"));
  if (auto_pad == "NOTSET") {
    result.auto_pad = AutoPad::kNotSet;
  } else if (auto_pad == "SAME_UPPER") {
    result.auto_pad = AutoPad::kSameUpper;
  } else if (auto_pad == "SAME_LOWER") {
    result.auto_pad = AutoPad::kSameLower;
  } else if (auto_pad == "VALID") {
    result.auto_pad = AutoPad::kValid;
  } else {
    return KernelError(op, ": attribute 'auto_pad' is '", auto_pad,
                       "', expected NOTSET, SAME_UPPER, SAME_LOWER or VALID");
  }
  HB_ASSIGN_OR_RETURN(result.kernel_shape, attributes.GetInts("kernel_shape"));
  HB_ASSIGN_OR_RETURN(result.strides, attributes.GetInts("strides"));
  HB_ASSIGN_OR_RETURN(result.dilations, attributes.GetInts("dilations"));
  HB_ASSIGN_OR_RETURN(result.pads, attributes.GetInts("pads"));
  return result;
}

absl::Status ResolveWindowDefaults(const WindowAttributes& attributes, size_t rank, const char* op,
                                   std::vector<int64_t>* strides, std::vector<int64_t>* dilations,
                                   std::vector<int64_t>* pad_begin, std::vector<int64_t>* pad_end) {
  if (rank > static_cast<size_t>(kNnMaxRank)) {
    return KernelError(op, ": ", rank, " spatial dimensions, at most ", kNnMaxRank,
                       " are supported");
  }
  *strides = attributes.strides.empty() ? std::vector<int64_t>(rank, 1) : attributes.strides;
  *dilations = attributes.dilations.empty() ? std::vector<int64_t>(rank, 1) : attributes.dilations;
  if (strides->size() != rank) {
    return KernelError(op, ": attribute 'strides' ", IntsString(attributes.strides), " has ",
                       strides->size(), " values for ", rank, " spatial dimensions");
  }
  if (dilations->size() != rank) {
    return KernelError(op, ": attribute 'dilations' ", IntsString(attributes.dilations), " has ",
                       dilations->size(), " values for ", rank, " spatial dimensions");
  }
  for (size_t i = 0; i < rank; ++i) {
    if ((*strides)[i] < 1) {
      return KernelError(op, ": attribute 'strides' ", IntsString(*strides), " must be positive");
    }
    if ((*dilations)[i] < 1) {
      return KernelError(op, ": attribute 'dilations' ", IntsString(*dilations),
                         " must be positive");
    }
  }
  pad_begin->assign(rank, 0);
  pad_end->assign(rank, 0);
  if (!attributes.pads.empty()) {
    if (attributes.pads.size() != 2 * rank) {
      return KernelError(op, ": attribute 'pads' ", IntsString(attributes.pads), " has ",
                         attributes.pads.size(), " values, expected ", 2 * rank, " for ", rank,
                         " spatial dimensions");
    }
    for (size_t i = 0; i < rank; ++i) {
      (*pad_begin)[i] = attributes.pads[i];
      (*pad_end)[i] = attributes.pads[rank + i];
      if ((*pad_begin)[i] < 0 || (*pad_end)[i] < 0) {
        return KernelError(op, ": attribute 'pads' ", IntsString(attributes.pads),
                           " must be non-negative");
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<WindowGeometry> ComputeWindowGeometry(const WindowAttributes& attributes,
                                                     const std::vector<int64_t>& input,
                                                     const std::vector<int64_t>& kernel,
                                                     bool ceil_mode, const char* op) {
  const size_t rank = input.size();
  WindowGeometry g;
  if (kernel.size() != rank) {
    return KernelError(op, ": kernel shape ", IntsString(kernel), " has ", kernel.size(),
                       " dimensions for ", rank, " spatial input dimensions");
  }
  for (int64_t k : kernel) {
    if (k < 1) return KernelError(op, ": kernel shape ", IntsString(kernel), " must be positive");
  }
  g.kernel = kernel;
  HB_RETURN_IF_ERROR(ResolveWindowDefaults(attributes, rank, op, &g.strides, &g.dilations,
                                           &g.pad_begin, &g.pad_end));
  g.output.assign(rank, 0);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t in = input[i];
    const int64_t stride = g.strides[i];
    const int64_t extent = g.dilations[i] * (kernel[i] - 1) + 1;
    switch (attributes.auto_pad) {
      case AutoPad::kSameUpper:
      case AutoPad::kSameLower: {
        const int64_t out = (in + stride - 1) / stride;
        const int64_t total = std::max<int64_t>(0, (out - 1) * stride + extent - in);
        const int64_t small = total / 2;
        g.pad_begin[i] = attributes.auto_pad == AutoPad::kSameUpper ? small : total - small;
        g.pad_end[i] = total - g.pad_begin[i];
        g.output[i] = out;
        break;
      }
      case AutoPad::kValid:
      case AutoPad::kNotSet: {
        if (attributes.auto_pad == AutoPad::kValid) {
          g.pad_begin[i] = 0;
          g.pad_end[i] = 0;
        }
        const int64_t span = in + g.pad_begin[i] + g.pad_end[i] - extent;
        if (span < 0) {
          return KernelError(op, ": spatial dimension ", i, " of size ", in, " with pads ",
                             g.pad_begin[i], "+", g.pad_end[i],
                             " is smaller than the dilated kernel extent ", extent);
        }
        int64_t out = (ceil_mode ? (span + stride - 1) / stride : span / stride) + 1;
        if (ceil_mode && (out - 1) * stride >= in + g.pad_begin[i]) {
          --out;
        }
        g.output[i] = out;
        break;
      }
    }
    if (g.output[i] < 1) {
      return KernelError(op, ": spatial dimension ", i, " of size ", in, " gives an empty output");
    }
  }
  return g;
}

absl::StatusOr<int64_t> ReadConvGroup(const Attributes& attributes, const char* op) {
  HB_ASSIGN_OR_RETURN(int64_t group, attributes.GetInt("group", 1));
  if (group < 1) return KernelError(op, ": attribute 'group' is ", group, ", must be >= 1");
  return group;
}

Shape ConvPlan::OutputShape() const {
  Shape y = {batch, out_channels};
  y.insert(y.end(), output.begin(), output.end());
  return y;
}

ConvPlan ConvPlanOf(const TensorInfo& x, const TensorInfo& w, int64_t group) {
  ConvPlan plan;
  plan.batch = x.shape[0];
  plan.in_channels = x.shape[1];
  plan.out_channels = w.shape[0];
  plan.group = group;
  plan.input.assign(x.shape.begin() + 2, x.shape.end());
  plan.kernel.assign(w.shape.begin() + 2, w.shape.end());
  return plan;
}

absl::Status CheckConvKernelShape(const char* op, const WindowAttributes& window,
                                  const std::vector<int64_t>& kernel, const TensorInfo& w) {
  if (!window.kernel_shape.empty() && window.kernel_shape != kernel) {
    return KernelError(op, ": attribute 'kernel_shape' ", IntsString(window.kernel_shape),
                       " does not match W's spatial shape ", ShapeString(w.shape));
  }
  return absl::OkStatus();
}

absl::Status CheckConvGroups(const char* op, const TensorInfo& x, const TensorInfo& w,
                             const ConvPlan& plan, bool require_outputs) {
  const int64_t group = plan.group;
  if (plan.in_channels % group != 0 || w.shape[1] * group != plan.in_channels) {
    return KernelError(op, ": input 1 'W' has shape ", ShapeString(w.shape), " but X ",
                       ShapeString(x.shape), " with group ", group,
                       " needs W dimension 1 = C / group = ", plan.in_channels, " / ", group);
  }
  if ((require_outputs && plan.out_channels < 1) || plan.out_channels % group != 0) {
    return KernelError(op, ": input 1 'W' has ", plan.out_channels, " output channels, not a ",
                       require_outputs ? "positive " : "", "multiple of group ", group);
  }
  return absl::OkStatus();
}

absl::Status ResolveConvWindow(const char* op, const WindowAttributes& window, ConvPlan* plan) {
  HB_ASSIGN_OR_RETURN(WindowGeometry geometry,
                      ComputeWindowGeometry(window, plan->input, plan->kernel,
                                            /*ceil_mode=*/false, op));
  plan->output = std::move(geometry.output);
  plan->strides = std::move(geometry.strides);
  plan->dilations = std::move(geometry.dilations);
  plan->pad_begin = std::move(geometry.pad_begin);
  return absl::OkStatus();
}

ukernels::Conv2dGeometry Conv2dView(const ConvPlan& plan) {
  const size_t w = plan.input.size() - 1;
  ukernels::Conv2dGeometry g;
  g.in_h = 1;
  g.out_h = 1;
  if (w == 1) {
    g.in_h = plan.input[0];
    g.out_h = plan.output[0];
    g.kernel_h = plan.kernel[0];
    g.stride_h = plan.strides[0];
    g.dilation_h = plan.dilations[0];
    g.pad_top = plan.pad_begin[0];
  }
  g.in_w = plan.input[w];
  g.out_w = plan.output[w];
  g.kernel_w = plan.kernel[w];
  g.stride_w = plan.strides[w];
  g.dilation_w = plan.dilations[w];
  g.pad_left = plan.pad_begin[w];
  return g;
}

absl::Status CheckDType(const char* op, const TensorInfo& tensor, const char* what,
                        std::initializer_list<DType> allowed) {
  for (DType t : allowed) {
    if (tensor.dtype == t) return absl::OkStatus();
  }
  std::vector<std::string> names;
  for (DType t : allowed) names.push_back(DTypeName(t));
  return KernelError(op, ": ", what, " has type ", DTypeName(tensor.dtype), ", expected ",
                     absl::StrJoin(names, " or "));
}

absl::Status CheckSameDType(const char* op, const TensorInfo& tensor, const char* what,
                            DType dtype) {
  if (tensor.dtype == dtype) return absl::OkStatus();
  return KernelError(op, ": ", what, " has type ", DTypeName(tensor.dtype), ", expected ",
                     DTypeName(dtype), " like input 0");
}

absl::Status CheckShape(const char* op, const TensorInfo& tensor, const char* what,
                        const Shape& shape) {
  if (tensor.shape == shape) return absl::OkStatus();
  return KernelError(op, ": ", what, " has shape ", ShapeString(tensor.shape), ", expected ",
                     ShapeString(shape));
}

absl::StatusOr<std::string> ScalarBytes(DType dtype, double value, const char* op,
                                        const char* what) {
  switch (dtype) {
    case DType::kF32:
      return RawBytes(static_cast<float>(value));
    case DType::kF64:
      return RawBytes(value);
    case DType::kI8:
      return RawBytes(static_cast<int8_t>(static_cast<int64_t>(value)));
    case DType::kU8:
      return RawBytes(static_cast<uint8_t>(static_cast<int64_t>(value)));
    case DType::kI16:
      return RawBytes(static_cast<int16_t>(static_cast<int64_t>(value)));
    case DType::kU16:
      return RawBytes(static_cast<uint16_t>(static_cast<int64_t>(value)));
    case DType::kI32:
      return RawBytes(static_cast<int32_t>(static_cast<int64_t>(value)));
    case DType::kU32:
      return RawBytes(static_cast<uint32_t>(static_cast<int64_t>(value)));
    case DType::kI64:
      return RawBytes(static_cast<int64_t>(value));
    case DType::kU64:
      return RawBytes(static_cast<uint64_t>(static_cast<int64_t>(value)));
    case DType::kBool:
      return RawBytes(static_cast<uint8_t>(value != 0 ? 1 : 0));
    case DType::kF16:
    case DType::kUndefined:
      break;
  }
  return KernelError(op, ": ", what, " cannot be converted to ", DTypeName(dtype));
}

}  // namespace hb_dnn::kernels::nn
