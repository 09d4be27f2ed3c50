#ifndef HB_DNN_SRC_RUNTIME_MODEL_LOADER_H_
#define HB_DNN_SRC_RUNTIME_MODEL_LOADER_H_

#include <cstddef>
#include <cstdint>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "hbm_generated.h"

namespace hb_dnn::runtime {

// Format version this build reads and writes. Files with a newer major version are rejected;
// newer minor versions only append fields, which this reader ignores.
inline constexpr uint16_t kFormatVersionMajor = 1;
inline constexpr uint16_t kFormatVersionMinor = 0;

// Checks that `data[0, size)` is a well-formed hbm package and returns its root. `data` must be
// 64-byte aligned (mmapped or copied by the caller) and outlive every use of the result.
//
// Order of checks: size and file identifier (with a dedicated message for Horizon .bin files and
// other formats), the FlatBuffers Verifier over the size-prefixed region, the format version,
// then semantic validation: counts, unique names, every index in range, constant buffers 64-byte
// aligned, inside the file and as large as their tensor's shape and type, quantization vectors
// matching their axis, I/O aligned shapes equal to what tensor_geometry gives for the model's march
// (BPU-facing or compact) with the strides and byte size they imply, every node in exactly one
// segment. Every error is kInvalidModel and names `source`, the model and the field.
absl::StatusOr<const fb::Package*> VerifyPackage(const uint8_t* data, size_t size,
                                                 absl::string_view source);

}  // namespace hb_dnn::runtime

#endif  // HB_DNN_SRC_RUNTIME_MODEL_LOADER_H_
