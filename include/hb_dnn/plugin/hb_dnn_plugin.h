// hb_dnn: an open reimplementation of the libdnn board-runtime API.
//
// hb_dnn_plugin.h: registration of custom operator (plugin layer) creators.
//
// C++ only. The two functions below deliberately have C++ linkage (no
// extern "C"), as in the vendor API, so their symbols are C++-mangled.

#ifndef DNN_PLUGIN_HB_DNN_PLUGIN_H_
#define DNN_PLUGIN_HB_DNN_PLUGIN_H_

#include <cstdint>
#include <string>

#include "hb_dnn/hb_dnn_export.h"
#include "hb_dnn/plugin/hb_dnn_layer.h"

/// Creates one new instance of a custom operator with `new`; the runtime
/// takes ownership. Returning nullptr makes model loading fail.
typedef hobot::dnn::Layer *(*hbDNNLayerCreator)();

/// Registers the creator used for operators of type `layerType` in models
/// loaded afterwards; models already loaded are not affected. Plugins found
/// in the directory named by HB_DNN_PLUGIN_PATH register themselves the same
/// way. Thread-safe, non-blocking.
///
/// Returns 0 (HB_DNN_SUCCESS) on success; HB_DNN_INVALID_ARGUMENT
/// (hb_dnn_status.h) if `layerType` is null or empty, `layerCreator` is null,
/// or `layerType` is already registered (unregister it first).
HB_DNN_API int32_t hbDNNRegisterLayerCreator(char const *layerType,
                                             hbDNNLayerCreator layerCreator);

/// Removes the creator registered for `layerType`. Layers already created
/// for loaded models stay alive until their packed handle is released.
/// Thread-safe, non-blocking.
///
/// Returns 0 (HB_DNN_SUCCESS) on success; HB_DNN_INVALID_ARGUMENT if
/// `layerType` is null or not registered.
HB_DNN_API int32_t hbDNNUnregisterLayerCreator(char const *layerType);

#endif  // DNN_PLUGIN_HB_DNN_PLUGIN_H_
