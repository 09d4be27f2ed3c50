#ifndef HB_DNN_SRC_KERNELS_TENSOR_H_
#define HB_DNN_SRC_KERNELS_TENSOR_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace hb_dnn::kernels {

// Element types the CPU kernels handle. Kernels see only these; the runtime maps the model
// format's types onto them.
enum class DType : uint8_t {
  kUndefined = 0,  // an omitted optional input
  kF32,
  kF64,
  kF16,   // storage only (Cast)
  kI8,
  kU8,
  kI16,
  kU16,
  kI32,
  kU32,
  kI64,
  kU64,
  kBool,  // one byte, 0 or 1
};

size_t DTypeSize(DType type);
const char* DTypeName(DType type);

using Shape = std::vector<int64_t>;

int64_t NumElements(const Shape& shape);
std::string ShapeString(const Shape& shape);

// What Prepare knows about a tensor: type, static shape, and for constants (initializers, folded
// values) their data, which lets shape-computing inputs (Reshape's shape, Slice's starts, ...)
// be read at prepare time. `data` is null for run-time values.
struct TensorInfo {
  DType dtype = DType::kUndefined;
  Shape shape;
  const void* data = nullptr;

  bool present() const { return dtype != DType::kUndefined; }
  int64_t num_elements() const { return NumElements(shape); }
  template <typename T>
  const T* as() const { return static_cast<const T*>(data); }
};

// A tensor at run time: dense, row-major, `data` aligned to at least the element size.
struct ConstTensorView {
  const void* data = nullptr;
  DType dtype = DType::kUndefined;
  Shape shape;

  bool present() const { return dtype != DType::kUndefined; }
  int64_t num_elements() const { return NumElements(shape); }
  template <typename T>
  const T* as() const { return static_cast<const T*>(data); }
};

struct TensorView {
  void* data = nullptr;
  DType dtype = DType::kUndefined;
  Shape shape;

  int64_t num_elements() const { return NumElements(shape); }
  template <typename T>
  T* as() const { return static_cast<T*>(data); }
};

}  // namespace hb_dnn::kernels

#endif  // HB_DNN_SRC_KERNELS_TENSOR_H_
