// hb_dnn: out-of-line part of the plugin NDArray API (hb_dnn_ndarray.h) and
// the TypeSize table (hb_dnn_dtype.h).
//
// Contract reminders (see the header for the full text):
//  - No function here lets an exception escape; failures give a "none"
//    NDArray or a false return.
//  - Byte counts are computed in size_t with overflow checks, independent of
//    the 32-bit TShape::ProdSize().

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <locale>
#include <memory>
#include <new>
#include <ostream>
#include <sstream>
#include <string>

#include "hb_dnn/plugin/hb_dnn_dtype.h"
#include "hb_dnn/plugin/hb_dnn_ndarray.h"
#include "hb_dnn/plugin/hb_dnn_tuple.h"

namespace hobot {
namespace dnn {

static_assert(sizeof(bool) == 1U, "TypeSize assumes a one-byte bool");

size_t TypeSize[static_cast<uint32_t>(TypeFlag::kUnused) + 1] = {
    1U,  // kBool
    1U,  // kUInt8
    1U,  // kInt8
    2U,  // kUInt16
    2U,  // kInt16
    4U,  // kUInt32
    4U,  // kInt32
    8U,  // kUInt64
    8U,  // kInt64
    2U,  // kFloat16
    4U,  // kFloat32
    8U,  // kFloat64
    0U,  // kUnused
};

// A block of memory shared by NDArrays: either owned (allocated here, freed
// by the destructor) or borrowed (owned by someone else, never freed here).
class Chunk {
 public:
  // Alignment of owned allocations, enough for any SIMD load.
  static constexpr std::size_t kAlignment = 64U;

  // An owned, zero-filled block of `size` bytes (no allocation when size is
  // 0). Returns nullptr if memory is exhausted.
  static std::shared_ptr<Chunk> Allocate(size_t size) noexcept {
    void *memory = nullptr;
    if (size != 0U) {
      memory = ::operator new(size, std::align_val_t{kAlignment},
                              std::nothrow);
      if (memory == nullptr) {
        return nullptr;
      }
      std::memset(memory, 0, size);
    }
    std::shared_ptr<Chunk> chunk = Wrap(memory, 0U, size, true);
    if (chunk == nullptr && memory != nullptr) {
      ::operator delete(memory, std::align_val_t{kAlignment});
    }
    return chunk;
  }

  // A borrowed view of `size` bytes at `vir_addr` (BPU address `phy_addr`,
  // 0 for plain host memory). Returns nullptr if memory is exhausted.
  static std::shared_ptr<Chunk> Borrow(void *vir_addr, uint64_t phy_addr,
                                       size_t size) noexcept {
    return Wrap(vir_addr, phy_addr, size, false);
  }

  ~Chunk() {
    if (owned_ && vir_addr_ != nullptr) {
      ::operator delete(vir_addr_, std::align_val_t{kAlignment});
    }
  }

  Chunk(const Chunk &) = delete;
  Chunk &operator=(const Chunk &) = delete;

  uint8_t *vir_addr() const { return static_cast<uint8_t *>(vir_addr_); }
  uint64_t phy_addr() const { return phy_addr_; }
  size_t size() const { return size_; }

 private:
  Chunk(void *vir_addr, uint64_t phy_addr, size_t size, bool owned) noexcept
      : vir_addr_(vir_addr), phy_addr_(phy_addr), size_(size), owned_(owned) {}

  static std::shared_ptr<Chunk> Wrap(void *vir_addr, uint64_t phy_addr,
                                     size_t size, bool owned) noexcept {
    // Created non-owning: if the shared_ptr control block cannot be
    // allocated, shared_ptr deletes `raw`, which must not free the memory
    // (the caller still owns it in that case).
    Chunk *raw = new (std::nothrow) Chunk(vir_addr, phy_addr, size, false);
    if (raw == nullptr) {
      return nullptr;
    }
    std::shared_ptr<Chunk> chunk;
    try {
      chunk = std::shared_ptr<Chunk>(raw);
    } catch (...) {
      return nullptr;
    }
    chunk->owned_ = owned;
    return chunk;
  }

  void *vir_addr_;
  uint64_t phy_addr_;
  size_t size_;
  bool owned_;
};

namespace {

// True if `dtype` names an element type (kBool .. kFloat64).
bool IsElementType(TypeFlag dtype) {
  return static_cast<uint32_t>(dtype) < static_cast<uint32_t>(TypeFlag::kUnused);
}

size_t ElementSize(TypeFlag dtype) {
  return IsElementType(dtype) ? TypeSize[static_cast<size_t>(dtype)] : 0U;
}

// Number of elements of dimensions [first, NDim()) of `shape`, without
// overflow. Returns false on overflow.
bool CountElements(const TShape &shape, uint32_t first, size_t *count) {
  size_t product = 1U;
  for (uint32_t i = first; i < shape.NDim(); ++i) {
    const size_t dim = shape[i];
    if (dim != 0U && product > std::numeric_limits<size_t>::max() / dim) {
      return false;
    }
    product *= dim;
  }
  *count = product;
  return true;
}

// Bytes of a compact array of `shape` and `dtype`. Returns false for a
// non-element dtype or on overflow.
bool CountBytes(const TShape &shape, TypeFlag dtype, size_t *bytes) {
  if (!IsElementType(dtype)) {
    return false;
  }
  size_t count = 0U;
  if (!CountElements(shape, 0U, &count)) {
    return false;
  }
  const size_t element_size = ElementSize(dtype);
  if (count != 0U && element_size > std::numeric_limits<size_t>::max() / count) {
    return false;
  }
  *bytes = count * element_size;
  return true;
}

// IEEE 754 binary16 -> binary32, exact for every input (NaN payloads kept).
float HalfToFloat(uint16_t half) {
  const uint32_t sign = static_cast<uint32_t>(half & 0x8000U) << 16U;
  uint32_t exponent = (half >> 10U) & 0x1FU;
  uint32_t mantissa = half & 0x3FFU;
  uint32_t bits = 0U;
  if (exponent == 0x1FU) {
    bits = sign | 0x7F800000U | (mantissa << 13U);
  } else if (exponent != 0U) {
    bits = sign | ((exponent + 112U) << 23U) | (mantissa << 13U);
  } else if (mantissa != 0U) {
    // Subnormal half: normalise into a float.
    exponent = 113U;
    while ((mantissa & 0x400U) == 0U) {
      mantissa <<= 1U;
      --exponent;
    }
    mantissa &= 0x3FFU;
    bits = sign | (exponent << 23U) | (mantissa << 13U);
  } else {
    bits = sign;
  }
  float value = 0.0F;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

template <typename T>
T Load(const uint8_t *address) {
  T value{};
  std::memcpy(&value, address, sizeof(T));
  return value;
}

// Appends the element at `address` of type `dtype` to `out` as text.
void FormatElement(const uint8_t *address, TypeFlag dtype, std::ostream *out) {
  switch (dtype) {
    case TypeFlag::kBool:
      *out << (address[0] != 0U ? 1 : 0);
      break;
    case TypeFlag::kUInt8:
      *out << static_cast<unsigned>(Load<uint8_t>(address));
      break;
    case TypeFlag::kInt8:
      *out << static_cast<int>(Load<int8_t>(address));
      break;
    case TypeFlag::kUInt16:
      *out << Load<uint16_t>(address);
      break;
    case TypeFlag::kInt16:
      *out << Load<int16_t>(address);
      break;
    case TypeFlag::kUInt32:
      *out << Load<uint32_t>(address);
      break;
    case TypeFlag::kInt32:
      *out << Load<int32_t>(address);
      break;
    case TypeFlag::kUInt64:
      *out << Load<uint64_t>(address);
      break;
    case TypeFlag::kInt64:
      *out << Load<int64_t>(address);
      break;
    case TypeFlag::kFloat16:
      *out << HalfToFloat(Load<uint16_t>(address));
      break;
    case TypeFlag::kFloat32:
      *out << Load<float>(address);
      break;
    case TypeFlag::kFloat64:
      *out << Load<double>(address);
      break;
    case TypeFlag::kUnused:
      break;
  }
}

}  // namespace

NDArray::NDArray(const TShape &shape, TypeFlag dtype) {
  try {
    size_t bytes = 0U;
    if (!CountBytes(shape, dtype, &bytes)) {
      return;
    }
    std::shared_ptr<Chunk> chunk = Chunk::Allocate(bytes);
    if (chunk == nullptr) {
      return;
    }
    shape_ = shape;
    dtype_ = dtype;
    ptr_ = std::move(chunk);
  } catch (...) {
    ptr_.reset();
    dtype_ = TypeFlag::kUnused;
  }
}

NDArray::NDArray(void *dptr, const TShape &shape, TypeFlag dtype) {
  try {
    size_t bytes = 0U;
    if (dptr == nullptr || !CountBytes(shape, dtype, &bytes)) {
      return;
    }
    std::shared_ptr<Chunk> chunk = Chunk::Borrow(dptr, 0U, bytes);
    if (chunk == nullptr) {
      return;
    }
    shape_ = shape;
    dtype_ = dtype;
    ptr_ = std::move(chunk);
  } catch (...) {
    ptr_.reset();
    dtype_ = TypeFlag::kUnused;
  }
}

void *NDArray::RawData() const {
  if (ptr_ == nullptr || ptr_->vir_addr() == nullptr) {
    return nullptr;
  }
  return ptr_->vir_addr() + offset_;
}

void *NDArray::VirAddr() const { return RawData(); }

uint64_t NDArray::PhyAddr() const {
  if (ptr_ == nullptr || ptr_->phy_addr() == 0U) {
    return 0U;
  }
  return ptr_->phy_addr() + offset_;
}

NDArray NDArray::DeepCopy() const {
  if (IsNone()) {
    return NDArray();
  }
  size_t bytes = 0U;
  if (!CountBytes(shape_, dtype_, &bytes)) {
    return NDArray();
  }
  NDArray copy(shape_, dtype_);
  if (copy.IsNone()) {
    return NDArray();
  }
  if (bytes != 0U) {
    std::memcpy(copy.RawData(), RawData(), bytes);
  }
  return copy;
}

bool NDArray::SyncCopyFrom(const void *data, size_t size) {
  if (IsNone()) {
    return false;
  }
  size_t bytes = 0U;
  if (!CountBytes(shape_, dtype_, &bytes) || size > bytes) {
    return false;
  }
  if (size == 0U) {
    return true;
  }
  if (data == nullptr) {
    return false;
  }
  std::memmove(RawData(), data, size);
  return true;
}

bool NDArray::SyncCopyTo(void *data, size_t size) const {
  if (IsNone()) {
    return false;
  }
  size_t bytes = 0U;
  if (!CountBytes(shape_, dtype_, &bytes) || size > bytes) {
    return false;
  }
  if (size == 0U) {
    return true;
  }
  if (data == nullptr) {
    return false;
  }
  std::memmove(data, RawData(), size);
  return true;
}

bool NDArray::Save(std::ostream *os, bool is_txt) const {
  if (os == nullptr || IsNone()) {
    return false;
  }
  try {
    size_t bytes = 0U;
    if (!CountBytes(shape_, dtype_, &bytes)) {
      return false;
    }
    const auto *data = static_cast<const uint8_t *>(RawData());
    if (!is_txt) {
      size_t written = 0U;
      constexpr size_t kMaxWrite =
          static_cast<size_t>(std::numeric_limits<std::streamsize>::max());
      while (written < bytes && os->good()) {
        const size_t step = bytes - written < kMaxWrite ? bytes - written
                                                        : kMaxWrite;
        os->write(reinterpret_cast<const char *>(data + written),
                  static_cast<std::streamsize>(step));
        written += step;
      }
      return !os->fail();
    }

    size_t count = 0U;
    if (!CountElements(shape_, 0U, &count)) {
      return false;
    }
    const size_t row_length = shape_.NDim() == 0U ? 1U : shape_[shape_.NDim() - 1U];
    const size_t element_size = ElementSize(dtype_);
    int precision = 0;
    if (dtype_ == TypeFlag::kFloat64) {
      precision = std::numeric_limits<double>::max_digits10;
    } else {
      precision = std::numeric_limits<float>::max_digits10;
    }
    // Rows are formatted with the classic locale so the output does not
    // depend on the stream's or the process's locale.
    std::ostringstream row;
    row.imbue(std::locale::classic());
    row.precision(precision);
    for (size_t i = 0U; i < count; ++i) {
      FormatElement(data + i * element_size, dtype_, &row);
      if ((i + 1U) % row_length == 0U) {
        row << '\n';
        const std::string text = row.str();
        os->write(text.data(), static_cast<std::streamsize>(text.size()));
        if (os->fail()) {
          return false;
        }
        row.str(std::string());
      } else {
        row << ' ';
      }
    }
    return !os->fail();
  } catch (...) {
    return false;
  }
}

void NDArray::ResetPtr(void *dptr) {
  size_t bytes = 0U;
  if (dptr == nullptr || !CountBytes(shape_, dtype_, &bytes)) {
    ptr_.reset();
    offset_ = 0U;
    return;
  }
  ptr_ = Chunk::Borrow(dptr, 0U, bytes);
  offset_ = 0U;
}

int32_t NDArray::CanonicalAxis(int32_t axis) const {
  const int64_t ndim = static_cast<int64_t>(shape_.NDim());
  const int64_t value = axis;
  if (value < -ndim || value >= ndim) {
    return -1;
  }
  return static_cast<int32_t>(value < 0 ? value + ndim : value);
}

NDArray NDArray::operator[](uint32_t idx) const {
  if (IsNone() || shape_.NDim() == 0U || idx >= shape_[0]) {
    return NDArray();
  }
  try {
    size_t row_elements = 0U;
    if (!CountElements(shape_, 1U, &row_elements)) {
      return NDArray();
    }
    const size_t row_bytes = row_elements * ElementSize(dtype_);
    NDArray slice;
    slice.shape_ = TShape(shape_.Begin() + 1, shape_.End());
    slice.dtype_ = dtype_;
    slice.offset_ = offset_ + static_cast<size_t>(idx) * row_bytes;
    slice.ptr_ = ptr_;
    return slice;
  } catch (...) {
    return NDArray();
  }
}

NDArray NDArray::AsArray(const TShape &shape, TypeFlag dtype) const {
  if (IsNone()) {
    return NDArray();
  }
  try {
    size_t current_bytes = 0U;
    size_t new_bytes = 0U;
    if (!CountBytes(shape_, dtype_, &current_bytes) ||
        !CountBytes(shape, dtype, &new_bytes) || new_bytes > current_bytes) {
      return NDArray();
    }
    NDArray view;
    view.shape_ = shape;
    view.dtype_ = dtype;
    view.offset_ = offset_;
    view.ptr_ = ptr_;
    return view;
  } catch (...) {
    return NDArray();
  }
}

NDArray NDArray::Reshape(const TShape &shape) const {
  return AsArray(shape, dtype_);
}

NDArray NDArray::Flatten() const {
  if (IsNone()) {
    return NDArray();
  }
  size_t count = 0U;
  if (!CountElements(shape_, 0U, &count) ||
      count > std::numeric_limits<uint32_t>::max()) {
    return NDArray();
  }
  try {
    return Reshape(TShape{static_cast<uint32_t>(count)});
  } catch (...) {
    return NDArray();
  }
}

// Exported instantiations of Dptr<>() for every type DataType<> maps, so
// plugins compiled against a header that only declares Dptr<>() link.
template bool *NDArray::Dptr<bool>() const;
template uint8_t *NDArray::Dptr<uint8_t>() const;
template int8_t *NDArray::Dptr<int8_t>() const;
template uint16_t *NDArray::Dptr<uint16_t>() const;
template int16_t *NDArray::Dptr<int16_t>() const;
template uint32_t *NDArray::Dptr<uint32_t>() const;
template int32_t *NDArray::Dptr<int32_t>() const;
template uint64_t *NDArray::Dptr<uint64_t>() const;
template int64_t *NDArray::Dptr<int64_t>() const;
template float *NDArray::Dptr<float>() const;
template double *NDArray::Dptr<double>() const;

}  // namespace dnn
}  // namespace hobot
