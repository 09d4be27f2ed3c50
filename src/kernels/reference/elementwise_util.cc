#include "src/kernels/reference/elementwise_util.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace hb_dnn::kernels::elementwise {

std::string TypeSet::ToString() const {
  std::string names;
  for (uint32_t t = 0; t < 32; ++t) {
    if ((bits_ & (1u << t)) == 0) continue;
    absl::StrAppend(&names, names.empty() ? "" : ", ", DTypeName(static_cast<DType>(t)));
  }
  return names;
}

std::string InputName(const char* op, int index, const char* name) {
  return absl::StrCat("input ", index, " '", name, "' of ", op);
}

absl::Status CheckInputCount(const std::vector<TensorInfo>& inputs, int min_count, int max_count,
                             const char* op) {
  int count = static_cast<int>(inputs.size());
  if (count < min_count || count > max_count) {
    if (min_count == max_count) {
      return KernelError(op, " takes ", min_count, " inputs, got ", count);
    }
    return KernelError(op, " takes ", min_count, " to ", max_count, " inputs, got ", count);
  }
  for (int i = 0; i < min_count; ++i) {
    if (!inputs[i].present()) return KernelError("input ", i, " of ", op, " is required");
  }
  return absl::OkStatus();
}

absl::Status CheckType(const TensorInfo& input, const TypeSet& allowed, const char* op, int index,
                       const char* name) {
  if (allowed.Contains(input.dtype)) return absl::OkStatus();
  return KernelError(InputName(op, index, name), " has type ", DTypeName(input.dtype),
                     ", expected one of: ", allowed.ToString());
}

absl::Status CheckSameType(const std::vector<TensorInfo>& inputs, int a, const char* a_name, int b,
                           const char* b_name, const char* op) {
  if (inputs[a].dtype == inputs[b].dtype) return absl::OkStatus();
  return KernelError(InputName(op, b, b_name), " has type ", DTypeName(inputs[b].dtype), " but ",
                     InputName(op, a, a_name), " has type ", DTypeName(inputs[a].dtype),
                     "; they must match");
}

BroadcastIndexer::BroadcastIndexer(const Shape& in, const Shape& out)
    : same_shape_(in == out), out_shape_(out), in_strides_(BroadcastStrides(in, out)) {}

double RoundHalfToEven(double v) {
  double rounded = std::round(v);  // halves away from zero
  if (std::fabs(v - std::trunc(v)) == 0.5) rounded = 2.0 * std::round(v / 2.0);
  return rounded;
}

}  // namespace hb_dnn::kernels::elementwise
