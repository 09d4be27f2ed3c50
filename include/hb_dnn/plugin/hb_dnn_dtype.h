// hb_dnn: an open reimplementation of the libdnn board-runtime API.
//
// hb_dnn_dtype.h: element types of plugin NDArrays (C++ only).

#ifndef DNN_PLUGIN_HB_DNN_DTYPE_H_
#define DNN_PLUGIN_HB_DNN_DTYPE_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "hb_dnn/hb_dnn_export.h"

/// Size in bytes of one element of TypeFlag `type` (0 for kUnused).
#define HB_DNN_SIZEOF_TYPE(type) \
  (hobot::dnn::TypeSize[static_cast<size_t>(type)])

namespace hobot {
namespace dnn {

/// Element type of an NDArray. The numeric values are part of the ABI.
enum class TypeFlag : uint32_t {
  kBool = 0U,
  kUInt8 = 1U,
  kInt8 = 2U,
  kUInt16 = 3U,
  kInt16 = 4U,
  kUInt32 = 5U,
  kInt32 = 6U,
  kUInt64 = 7U,
  kInt64 = 8U,
  kFloat16 = 9U,  ///< IEEE 754 binary16; no C++ type maps to it.
  kFloat32 = 10U,
  kFloat64 = 11U,
  kUnused  ///< No type / unknown type; also the table size minus one.
};

/// Bytes per element, indexed by static_cast<size_t>(TypeFlag). Defined by
/// the library; kUnused maps to 0. Read-only by convention.
extern HB_DNN_API size_t
    TypeSize[static_cast<uint32_t>(TypeFlag::kUnused) + 1];

/// Maps a C++ element type to its TypeFlag: DataType<float>::kFlag() is
/// TypeFlag::kFloat32. Types without a mapping give TypeFlag::kUnused.
template <typename DType>
struct DataType {
  static inline TypeFlag kFlag() { return TypeFlag::kUnused; }
};

template <>
struct DataType<bool> {
  static inline TypeFlag kFlag() { return TypeFlag::kBool; }
};

template <>
struct DataType<uint8_t> {
  static inline TypeFlag kFlag() { return TypeFlag::kUInt8; }
};

template <>
struct DataType<int8_t> {
  static inline TypeFlag kFlag() { return TypeFlag::kInt8; }
};

template <>
struct DataType<uint16_t> {
  static inline TypeFlag kFlag() { return TypeFlag::kUInt16; }
};

template <>
struct DataType<int16_t> {
  static inline TypeFlag kFlag() { return TypeFlag::kInt16; }
};

template <>
struct DataType<uint32_t> {
  static inline TypeFlag kFlag() { return TypeFlag::kUInt32; }
};

template <>
struct DataType<int32_t> {
  static inline TypeFlag kFlag() { return TypeFlag::kInt32; }
};

template <>
struct DataType<int64_t> {
  static inline TypeFlag kFlag() { return TypeFlag::kInt64; }
};

template <>
struct DataType<uint64_t> {
  static inline TypeFlag kFlag() { return TypeFlag::kUInt64; }
};

template <>
struct DataType<float> {
  static inline TypeFlag kFlag() { return TypeFlag::kFloat32; }
};

template <>
struct DataType<double> {
  static inline TypeFlag kFlag() { return TypeFlag::kFloat64; }
};

}  // namespace dnn
}  // namespace hobot

#endif  // DNN_PLUGIN_HB_DNN_DTYPE_H_
