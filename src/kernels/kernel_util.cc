#include "src/kernels/kernel_util.h"

#include <algorithm>

namespace hb_dnn::kernels {

absl::StatusOr<Shape> BroadcastShapes(const Shape& a, const Shape& b) {
  size_t rank = std::max(a.size(), b.size());
  Shape out(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1) {
      return KernelError("shapes ", ShapeString(a), " and ", ShapeString(b),
                         " cannot be broadcast together");
    }
    out[i] = da == 1 ? db : da;
  }
  return out;
}

absl::StatusOr<int64_t> NormalizeAxis(int64_t axis, int64_t rank, const char* what) {
  if (axis < -rank || axis >= rank) {
    return KernelError(what, " ", axis, " is outside [", -rank, ", ", rank, ")");
  }
  return axis < 0 ? axis + rank : axis;
}

absl::StatusOr<std::vector<int64_t>> ConstantInts(const TensorInfo& tensor, const char* what) {
  // An empty constant (e.g. axes of shape [0]) may legitimately come without a data pointer.
  if (tensor.present() && tensor.data == nullptr && tensor.num_elements() == 0) {
    return std::vector<int64_t>();
  }
  if (tensor.data == nullptr) {
    return KernelError(what, " must be a constant (dynamic shapes are not supported)");
  }
  int64_t n = tensor.num_elements();
  std::vector<int64_t> values(static_cast<size_t>(n));
  if (tensor.dtype == DType::kI64) {
    for (int64_t i = 0; i < n; ++i) values[i] = tensor.as<int64_t>()[i];
  } else if (tensor.dtype == DType::kI32) {
    for (int64_t i = 0; i < n; ++i) values[i] = tensor.as<int32_t>()[i];
  } else {
    return KernelError(what, " has type ", DTypeName(tensor.dtype), ", expected int32 or int64");
  }
  return values;
}

absl::StatusOr<std::vector<float>> ConstantFloats(const TensorInfo& tensor, const char* what) {
  if (tensor.data == nullptr) return KernelError(what, " must be a constant");
  int64_t n = tensor.num_elements();
  std::vector<float> values(static_cast<size_t>(n));
  if (tensor.dtype == DType::kF32) {
    for (int64_t i = 0; i < n; ++i) values[i] = tensor.as<float>()[i];
  } else if (tensor.dtype == DType::kF64) {
    for (int64_t i = 0; i < n; ++i) values[i] = static_cast<float>(tensor.as<double>()[i]);
  } else {
    return KernelError(what, " has type ", DTypeName(tensor.dtype), ", expected float");
  }
  return values;
}

absl::StatusOr<std::optional<std::pair<float, float>>> ReadFusedClamp(const Attributes& attributes) {
  if (!attributes.Has(kFusedClampAttribute)) return std::optional<std::pair<float, float>>();
  absl::StatusOr<std::vector<float>> bounds = attributes.GetFloats(kFusedClampAttribute);
  if (!bounds.ok()) return bounds.status();
  if (bounds->size() != 2 || !((*bounds)[0] <= (*bounds)[1])) {
    return KernelError("attribute '", kFusedClampAttribute, "' must be [min, max] with min <= max");
  }
  return std::optional<std::pair<float, float>>(std::make_pair((*bounds)[0], (*bounds)[1]));
}

std::vector<int64_t> Strides(const Shape& shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (int i = static_cast<int>(shape.size()) - 2; i >= 0; --i) {
    strides[i] = strides[i + 1] * shape[i + 1];
  }
  return strides;
}

std::vector<int64_t> BroadcastStrides(const Shape& in, const Shape& out) {
  std::vector<int64_t> in_strides = Strides(in);
  std::vector<int64_t> result(out.size(), 0);
  size_t offset = out.size() - in.size();
  for (size_t i = 0; i < in.size(); ++i) {
    result[offset + i] = in[i] == 1 ? 0 : in_strides[i];
  }
  return result;
}

}  // namespace hb_dnn::kernels
