// hb_dnn: an open reimplementation of the libdnn board-runtime API.
//
// hb_dnn_tuple.h: small fixed-capacity-on-stack tuples and tensor shapes
// used by the plugin API (C++ only).
//
// Storage rule (part of the ABI, because Tuple objects cross the library
// boundary and their accessors are inline): when NDim() <= kStackCache the
// elements live in stack_data_, otherwise in heap_data_, an array allocated
// with new[] holding capacity_ elements and released with delete[] by the
// destructor.

#ifndef DNN_PLUGIN_HB_DNN_TUPLE_H_
#define DNN_PLUGIN_HB_DNN_TUPLE_H_

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <sstream>
#include <string>
#include <utility>

#include "hb_dnn/hb_dnn_export.h"

namespace hobot {
namespace dnn {

/// A sequence of up to 2^32-1 values of ValueType (default-constructible and
/// copyable). Copies are deep. Allocation failure throws std::bad_alloc.
template <typename ValueType>
class HB_DNN_API Tuple {
 public:
  /// Number of elements stored inline without a heap allocation.
  static constexpr uint32_t kStackCache = 4U;

  Tuple() = default;

  virtual ~Tuple() { delete[] heap_data_; }

  Tuple(const Tuple<ValueType> &other) { Assign(other.Begin(), other.End()); }

  /// Leaves `other` valid (it receives this object's previous, empty, state).
  Tuple(Tuple<ValueType> &&other) noexcept { Swap(other); }

  Tuple(std::initializer_list<ValueType> init) {
    Assign(init.begin(), init.end());
  }

  /// Copies the values of the forward-iterator range [first, last).
  template <typename RandomAccessIterator>
  Tuple(RandomAccessIterator first, RandomAccessIterator last) {
    Assign(first, last);
  }

  Tuple<ValueType> &operator=(const Tuple<ValueType> &other) & {
    if (this != &other) {
      Assign(other.Begin(), other.End());
    }
    return *this;
  }

  Tuple<ValueType> &operator=(Tuple<ValueType> &&other) & noexcept {
    Tuple<ValueType> taken(std::move(other));
    Swap(taken);
    return *this;
  }

  Tuple<ValueType> &operator=(std::initializer_list<ValueType> init) & {
    Assign(init.begin(), init.end());
    return *this;
  }

  /// Replaces the contents with the values of [first, last). The range may
  /// alias this tuple's own elements.
  template <typename RandomAccessIterator>
  void Assign(RandomAccessIterator first, RandomAccessIterator last) {
    const auto count = static_cast<uint32_t>(std::distance(first, last));
    if (count <= kStackCache) {
      ValueType staged[kStackCache]{};
      std::copy(first, last, staged);
      std::copy(staged, staged + count, stack_data_);
      delete[] heap_data_;
      heap_data_ = nullptr;
      capacity_ = kStackCache;
    } else {
      ValueType *buffer = new ValueType[count];
      std::copy(first, last, buffer);
      delete[] heap_data_;
      heap_data_ = buffer;
      capacity_ = count;
    }
    ndim_ = count;
  }

  /// Exchanges the contents of two tuples without allocating.
  void Swap(Tuple<ValueType> &other) noexcept {
    std::swap(ndim_, other.ndim_);
    std::swap(capacity_, other.capacity_);
    std::swap(stack_data_, other.stack_data_);
    std::swap(heap_data_, other.heap_data_);
  }

  bool operator==(const Tuple<ValueType> &other) const {
    return ndim_ == other.ndim_ && std::equal(Begin(), End(), other.Begin());
  }

  bool operator!=(const Tuple<ValueType> &other) const {
    return !(*this == other);
  }

  /// Pointer to the first element (valid until the tuple is modified).
  const ValueType *Begin() const {
    return ndim_ <= kStackCache ? stack_data_ : heap_data_;
  }
  ValueType *Begin() { return ndim_ <= kStackCache ? stack_data_ : heap_data_; }

  /// Pointer one past the last element.
  const ValueType *End() const { return Begin() + ndim_; }
  ValueType *End() { return Begin() + ndim_; }

  /// Lower-case aliases so a tuple works with range-based for and <algorithm>.
  const ValueType *begin() const { return Begin(); }
  ValueType *begin() { return Begin(); }
  const ValueType *end() const { return End(); }
  ValueType *end() { return End(); }

  /// Number of elements.
  uint32_t NDim() const { return ndim_; }

  /// Element i; i must be < NDim() (not checked).
  ValueType &operator[](uint32_t i) { return Begin()[i]; }
  const ValueType &operator[](uint32_t i) const { return Begin()[i]; }

 protected:
  /// Sets the number of elements to `dim`. Element values are unspecified
  /// afterwards (callers overwrite them).
  void Resize(uint32_t dim) {
    if (dim <= kStackCache) {
      delete[] heap_data_;
      heap_data_ = nullptr;
      capacity_ = kStackCache;
    } else if (heap_data_ == nullptr || dim > capacity_) {
      ValueType *buffer = new ValueType[dim]();
      delete[] heap_data_;
      heap_data_ = buffer;
      capacity_ = dim;
    }
    ndim_ = dim;
  }

  /// Number of elements.
  uint32_t ndim_{0U};
  /// Elements the active storage can hold (kStackCache while inline).
  uint32_t capacity_{kStackCache};
  /// Inline storage, used while ndim_ <= kStackCache.
  ValueType stack_data_[kStackCache]{};
  /// new[]-allocated storage, used while ndim_ > kStackCache.
  ValueType *heap_data_{nullptr};
};

/// The shape of a tensor: dimension sizes, outermost first.
class HB_DNN_API TShape : public Tuple<uint32_t> {
 public:
  TShape() = default;

  ~TShape() override = default;

  /// A shape of `ndim` dimensions, all of size 1.
  explicit TShape(uint32_t ndim) {
    Resize(ndim);
    std::fill_n(Begin(), ndim, 1U);
  }

  TShape(std::initializer_list<uint32_t> init) {
    Assign(init.begin(), init.end());
  }

  TShape(const TShape &other) : Tuple<uint32_t>() {
    Assign(other.Begin(), other.End());
  }

  TShape(TShape &&other) noexcept : Tuple<uint32_t>() { Swap(other); }

  /// Copies the dimension sizes of the forward-iterator range [first, last).
  template <typename RandomAccessIterator>
  TShape(RandomAccessIterator first, RandomAccessIterator last) {
    Assign(first, last);
  }

  TShape &operator=(const TShape &other) & {
    if (this != &other) {
      Assign(other.Begin(), other.End());
    }
    return *this;
  }

  TShape &operator=(TShape &&other) & noexcept {
    TShape taken(std::move(other));
    Swap(taken);
    return *this;
  }

  /// Formats like a Python tuple without spaces: "()", "(3,)", "(1,3,224,224)".
  std::string Str() const {
    std::ostringstream out;
    out << '(';
    for (uint32_t i = 0U; i < NDim(); ++i) {
      if (i != 0U) {
        out << ',';
      }
      out << (*this)[i];
    }
    if (NDim() == 1U) {
      out << ',';
    }
    out << ')';
    return out.str();
  }

  /// Product of all dimension sizes (1 for a 0-D shape). Computed in 32 bits:
  /// the caller keeps element counts below 2^32.
  uint32_t ProdSize() const { return ProdSize(0U, NDim()); }

  /// Product of the dimension sizes in [first, NDim()).
  uint32_t ProdSize(uint32_t first) const { return ProdSize(first, NDim()); }

  /// Product of the dimension sizes in [first, last); last <= NDim().
  uint32_t ProdSize(uint32_t first, uint32_t last) const {
    uint32_t product = 1U;
    const uint32_t *dims = Begin();
    for (uint32_t i = first; i < last; ++i) {
      product *= dims[i];
    }
    return product;
  }

  const uint32_t *Data() const { return Begin(); }
  uint32_t *Data() { return Begin(); }

  bool operator==(const TShape &other) const {
    return NDim() == other.NDim() && std::equal(Begin(), End(), other.Begin());
  }

  bool operator!=(const TShape &other) const { return !(*this == other); }
};

}  // namespace dnn
}  // namespace hobot

#endif  // DNN_PLUGIN_HB_DNN_TUPLE_H_
