// hb_dnn: an open reimplementation of the libdnn board-runtime API.
//
// hb_dnn_ndarray.h: the n-dimensional array handed to custom (plugin) layers
// (C++ only).

#ifndef DNN_PLUGIN_HB_DNN_NDARRAY_H_
#define DNN_PLUGIN_HB_DNN_NDARRAY_H_

#include <cstddef>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "hb_dnn/hb_dnn_export.h"
#include "hb_dnn/plugin/hb_dnn_dtype.h"
#include "hb_dnn/plugin/hb_dnn_tuple.h"

namespace hobot {
namespace dnn {

/// The memory block behind one or more NDArrays (defined by the library).
class Chunk;

/// A typed, shaped view of a block of memory.
///
/// An NDArray is a cheap handle: copying it shares the memory (use DeepCopy()
/// for an independent copy). The memory is either owned (allocated by the
/// shape constructor, freed when the last NDArray sharing it is destroyed) or
/// borrowed (the pointer constructor / ResetPtr(): the caller keeps it alive
/// and frees it). Elements are stored compactly in row-major order.
///
/// A default-constructed NDArray, or one returned by a failing operation, is
/// "none": IsNone() is true and it has no memory. No member function throws.
/// Distinct NDArray objects may be used from different threads; concurrent
/// writes to shared memory must be synchronised by the caller.
class HB_DNN_API NDArray {
 public:
  NDArray() = default;

  /// Allocates zero-filled memory for shape.ProdSize() elements of `dtype`.
  /// The result is none if `dtype` is not an element type (kUnused) or the
  /// allocation fails.
  explicit NDArray(const TShape &shape, TypeFlag dtype = TypeFlag::kFloat32);

  /// Views caller-owned memory at `dptr`, which must hold at least
  /// shape.ProdSize() elements of `dtype` for the lifetime of every NDArray
  /// that shares it. The result is none if `dptr` is null or `dtype` is not
  /// an element type.
  explicit NDArray(void *dptr, const TShape &shape,
                   TypeFlag dtype = TypeFlag::kFloat32);

  NDArray(const NDArray &) = default;
  NDArray &operator=(const NDArray &) = default;
  NDArray(NDArray &&) noexcept = default;
  NDArray &operator=(NDArray &&) noexcept = default;

  virtual ~NDArray() = default;

  /// Typed pointer to the first element, or nullptr if the array is none or
  /// DType does not match Dtype() (cv-qualifiers ignored). kFloat16 arrays
  /// have no matching C++ type: use RawData() for them.
  template <typename DType>
  DType *Dptr() const {
    if (DataType<typename std::remove_cv<DType>::type>::kFlag() != dtype_) {
      return nullptr;
    }
    return static_cast<DType *>(RawData());
  }

  /// Untyped pointer to the first element; nullptr if the array is none or
  /// owns no memory (an array of 0 elements).
  void *RawData() const;

  /// CPU (virtual) address of the first element. Same as RawData().
  void *VirAddr() const;

  /// BPU (physical) address of the first element, or 0 when the memory is
  /// plain host memory (always the case for arrays created through this
  /// header).
  uint64_t PhyAddr() const;

  /// A new owned array with the same shape, type and element values.
  /// None if this array is none or the allocation fails.
  NDArray DeepCopy() const;

  /// Copies `size` bytes from `data` to the start of this array.
  /// Returns false, copying nothing, if the array is none, `data` is null
  /// while size > 0, or `size` exceeds the array's byte size
  /// (Size() * HB_DNN_SIZEOF_TYPE(Dtype())). A smaller size fills a prefix.
  bool SyncCopyFrom(const void *data, size_t size);

  /// Copies the first `size` bytes of this array to `data`.
  /// Returns false, copying nothing, under the same conditions as
  /// SyncCopyFrom().
  bool SyncCopyTo(void *data, size_t size) const;

  /// Writes the elements to `os`.
  /// Binary (is_txt false): the raw element bytes in host byte order, nothing
  /// else. Text: one line per innermost row (the last dimension), elements
  /// separated by one space; floats use enough digits to round-trip and
  /// kFloat16 values are printed as their float value; bools print as 0/1.
  /// Returns false if `os` is null, the array is none, the type is kUnused or
  /// the stream reports an error.
  bool Save(std::ostream *os, bool is_txt = false) const;

  /// Makes this array a borrowed view of `dptr` (same shape and type, offset
  /// 0); other NDArrays that shared the previous memory are unaffected.
  /// A null `dptr` makes this array none.
  void ResetPtr(void *dptr);

  const TShape &Shape() const { return shape_; }

  uint32_t NDim() const { return shape_.NDim(); }

  /// Number of elements.
  uint32_t Size() const { return shape_.ProdSize(); }

  /// Maps `axis` in [-NDim(), NDim()) to [0, NDim()); -1 if out of range.
  int32_t CanonicalAxis(int32_t axis) const;

  TypeFlag Dtype() const { return dtype_; }

  bool IsNone() const { return ptr_ == nullptr; }

  /// The sub-array at index `idx` of dimension 0, sharing this memory: shape
  /// Shape()[1:], same type. None if this array is none, 0-D, or
  /// idx >= Shape()[0].
  NDArray operator[](uint32_t idx) const;

  /// A view of the same memory with another shape and type, sharing it.
  /// None if this array is none, `dtype` is kUnused, or the new view needs
  /// more bytes than this array covers (Size() * element size).
  NDArray AsArray(const TShape &shape, TypeFlag dtype) const;

  /// AsArray(shape, Dtype()): the new shape may have at most Size() elements.
  NDArray Reshape(const TShape &shape) const;

  /// Reshape to the 1-D shape (Size()).
  NDArray Flatten() const;

 private:
  std::shared_ptr<Chunk> ptr_;
  TShape shape_;
  TypeFlag dtype_{TypeFlag::kUnused};
  /// Byte offset of the first element inside *ptr_.
  size_t offset_{0U};
};

}  // namespace dnn
}  // namespace hobot

#endif  // DNN_PLUGIN_HB_DNN_NDARRAY_H_
