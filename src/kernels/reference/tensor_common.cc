#include "src/kernels/reference/tensor_common.h"

#include <cstring>
#include <string>

#include "src/kernels/kernel_util.h"

namespace hb_dnn::kernels {
namespace {

// Copies `n` elements of `N` bytes from `src` (stepping `stride_bytes`) to dense `dst`. memcpy
// of a constant size compiles to a plain load/store and sidesteps aliasing rules.
template <size_t N>
void CopyElements(const char* src, int64_t stride_bytes, char* dst, int64_t n) {
  for (int64_t i = 0; i < n; ++i) std::memcpy(dst + i * N, src + i * stride_bytes, N);
}

template <typename T>
void ReduceElement(Reduction reduction, const char* src, char* dst) {
  T a, b;
  std::memcpy(&a, dst, sizeof(T));
  std::memcpy(&b, src, sizeof(T));
  const T r = reduction == Reduction::kAdd ? static_cast<T>(a + b) : static_cast<T>(a * b);
  std::memcpy(dst, &r, sizeof(T));
}

}  // namespace

absl::Status CheckInputCount(const char* op, const std::vector<TensorInfo>& inputs,
                             size_t min_inputs, size_t max_inputs) {
  if (inputs.size() < min_inputs || inputs.size() > max_inputs) {
    return KernelError(op, " takes ", min_inputs, "..", max_inputs, " inputs but got ",
                       inputs.size());
  }
  for (size_t i = 0; i < min_inputs; ++i) {
    if (!inputs[i].present()) return KernelError(op, ": required input ", i, " is missing");
  }
  return absl::OkStatus();
}

absl::Status CheckOutputCount(const char* op, int num_outputs, int min_outputs, int max_outputs) {
  if (num_outputs < min_outputs || num_outputs > max_outputs) {
    return KernelError(op, " has ", min_outputs, "..", max_outputs, " outputs but the node has ",
                       num_outputs);
  }
  return absl::OkStatus();
}

absl::Status CheckIndexType(const char* op, const TensorInfo& tensor, const char* what) {
  if (tensor.dtype != DType::kI32 && tensor.dtype != DType::kI64) {
    return KernelError(op, ": ", what, " has type ", DTypeName(tensor.dtype),
                       ", expected int32 or int64");
  }
  return absl::OkStatus();
}

int64_t IndexAt(const void* data, DType dtype, int64_t i) {
  if (dtype == DType::kI32) return static_cast<const int32_t*>(data)[i];
  return static_cast<const int64_t*>(data)[i];
}

absl::Status NormalizeIndex(const char* op, const char* what, int64_t dim, int64_t* index) {
  if (*index < -dim || *index >= dim) {
    return KernelError(op, ": ", what, " ", *index, " is outside [", -dim, ", ", dim, ")");
  }
  if (*index < 0) *index += dim;
  return absl::OkStatus();
}

absl::StatusOr<Reduction> ParseReduction(const char* op, const Attributes& attributes) {
  absl::StatusOr<std::string> name = attributes.GetString("reduction", "none");
  if (!name.ok()) return name.status();
  if (*name == "none") return Reduction::kNone;
  if (*name == "add") return Reduction::kAdd;
  if (*name == "mul") return Reduction::kMul;
  return KernelError(op, ": attribute 'reduction' is '", *name, "', expected none, add or mul");
}

ReduceFn ReducerFor(DType dtype) {
  switch (dtype) {
    case DType::kF32: return &ReduceElement<float>;
    case DType::kF64: return &ReduceElement<double>;
    case DType::kI8: return &ReduceElement<int8_t>;
    case DType::kU8: return &ReduceElement<uint8_t>;
    case DType::kI16: return &ReduceElement<int16_t>;
    case DType::kU16: return &ReduceElement<uint16_t>;
    case DType::kI32: return &ReduceElement<int32_t>;
    case DType::kU32: return &ReduceElement<uint32_t>;
    case DType::kI64: return &ReduceElement<int64_t>;
    case DType::kU64: return &ReduceElement<uint64_t>;
    default: return nullptr;
  }
}

void CopyBytes(const void* src, void* dst, size_t bytes) {
  if (bytes == 0 || src == dst) return;
  std::memcpy(dst, src, bytes);
}

StridedCopy::StridedCopy(const Shape& shape, const std::vector<int64_t>& strides, int64_t offset,
                         size_t element_size)
    : offset_(offset), element_size_(element_size), empty_(NumElements(shape) == 0) {
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 1) continue;  // contributes nothing to any address
    if (!shape_.empty() && strides_.back() == strides[d] * shape[d]) {
      // The previous dimension steps exactly over this one: one longer dimension.
      shape_.back() *= shape[d];
      strides_.back() = strides[d];
    } else {
      shape_.push_back(shape[d]);
      strides_.push_back(strides[d]);
    }
  }
}

void StridedCopy::Run(const void* src, void* dst) const {
  if (empty_) return;
  const char* base = static_cast<const char*>(src) + offset_ * static_cast<int64_t>(element_size_);
  if (shape_.empty()) {
    std::memcpy(dst, base, element_size_);
    return;
  }
  CopyDim(0, base, static_cast<char*>(dst));
}

char* StridedCopy::CopyDim(size_t dim, const char* src, char* dst) const {
  const int64_t n = shape_[dim];
  const int64_t size = static_cast<int64_t>(element_size_);
  const int64_t stride_bytes = strides_[dim] * size;
  if (dim + 1 < shape_.size()) {
    for (int64_t i = 0; i < n; ++i) dst = CopyDim(dim + 1, src + i * stride_bytes, dst);
    return dst;
  }
  if (strides_[dim] == 1) {
    std::memcpy(dst, src, static_cast<size_t>(n * size));
    return dst + n * size;
  }
  switch (element_size_) {
    case 1: CopyElements<1>(src, stride_bytes, dst, n); break;
    case 2: CopyElements<2>(src, stride_bytes, dst, n); break;
    case 4: CopyElements<4>(src, stride_bytes, dst, n); break;
    case 8: CopyElements<8>(src, stride_bytes, dst, n); break;
    default:
      for (int64_t i = 0; i < n; ++i) {
        std::memcpy(dst + i * size, src + i * stride_bytes, element_size_);
      }
      break;
  }
  return dst + n * size;
}

}  // namespace hb_dnn::kernels
