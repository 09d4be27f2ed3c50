#include "src/kernels/reference/nn_util.h"

#include <algorithm>
#include <cstring>

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
