// Custom CPU operator registration (hb_dnn_plugin.h, C++ linkage as in the vendor header).
// Plugins run inside the CPU executor, which arrives in a later release; registering now would
// promise behaviour the runtime cannot give, so both calls fail with HB_DNN_API_USE_ERROR.

#include "hb_dnn/plugin/hb_dnn_plugin.h"
#include "src/base/status.h"
#include "src/capi/capi_call.h"

namespace {

int32_t NotAvailable(const char* function, char const* layer_type) {
  return hb_dnn::capi::DnnCall(function, [&]() -> absl::Status {
    return hb_dnn::Errorf(hb_dnn::ErrorCode::kApiUseError, "layer type '",
                          layer_type == nullptr ? "(null)" : layer_type,
                          "': custom operators are not available yet in this hb_dnn release "
                          "(they arrive with the CPU executor)");
  });
}

}  // namespace

int32_t hbDNNRegisterLayerCreator(char const* layerType, hbDNNLayerCreator layerCreator) {
  (void)layerCreator;
  return NotAvailable("hbDNNRegisterLayerCreator", layerType);
}

int32_t hbDNNUnregisterLayerCreator(char const* layerType) {
  return NotAvailable("hbDNNUnregisterLayerCreator", layerType);
}
