#include "src/capi/handles.h"

#include "src/base/status.h"
#include "src/runtime/handle_registry.h"

namespace hb_dnn::capi {

absl::StatusOr<std::shared_ptr<const runtime::Model>> ModelFromHandle(const void* handle) {
  return runtime::HandleRegistry::Instance().ModelOf(handle);
}

absl::StatusOr<const runtime::IoTensor*> IoTensorAt(const runtime::Model& model, bool is_input,
                                                    int32_t index) {
  const auto& list = is_input ? model.inputs() : model.outputs();
  if (index < 0 || static_cast<size_t>(index) >= list.size()) {
    return Errorf(ErrorCode::kInvalidArgument, is_input ? "input" : "output", " index ", index,
                  " is outside [0, ", list.size(), ") of model '", model.name(), "'");
  }
  return &list[static_cast<size_t>(index)];
}

}  // namespace hb_dnn::capi
