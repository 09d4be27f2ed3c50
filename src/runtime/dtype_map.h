#ifndef HB_DNN_SRC_RUNTIME_DTYPE_MAP_H_
#define HB_DNN_SRC_RUNTIME_DTYPE_MAP_H_

#include "absl/status/statusor.h"
#include "hbm_generated.h"
#include "src/kernels/tensor.h"

namespace hb_dnn::runtime {

// Model-format element type -> kernel element type. Image types and 4-bit types have no kernel
// type (they are BPU-side formats): kInvalidModel naming the type.
absl::StatusOr<kernels::DType> KernelDType(fb::DataType type);

// Kernel element type -> model-format type (kUndefined has none).
absl::StatusOr<fb::DataType> ModelDataType(kernels::DType type);

}  // namespace hb_dnn::runtime

#endif  // HB_DNN_SRC_RUNTIME_DTYPE_MAP_H_
