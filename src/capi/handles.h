#ifndef HB_DNN_SRC_CAPI_HANDLES_H_
#define HB_DNN_SRC_CAPI_HANDLES_H_

#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "src/runtime/model.h"

namespace hb_dnn::capi {

// The live model behind a public hbDNNHandle_t (kInvalidDnnHandle otherwise). Holding the result
// keeps the model alive even if another thread releases its packed handle meanwhile.
absl::StatusOr<std::shared_ptr<const runtime::Model>> ModelFromHandle(const void* handle);

// Input (`is_input`) or output `index` of `model`, or kInvalidArgument naming the valid range.
absl::StatusOr<const runtime::IoTensor*> IoTensorAt(const runtime::Model& model, bool is_input,
                                                    int32_t index);

}  // namespace hb_dnn::capi

#endif  // HB_DNN_SRC_CAPI_HANDLES_H_
