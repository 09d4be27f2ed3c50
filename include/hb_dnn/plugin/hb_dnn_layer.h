// hb_dnn: an open reimplementation of the libdnn board-runtime API.
//
// hb_dnn_layer.h: interface of custom CPU operators ("plugin layers") that a
// model may contain (C++ only). A plugin implements Layer, registers a
// creator with hbDNNRegisterLayerCreator() (hb_dnn_plugin.h) before loading
// the model, and the runtime calls it when a task reaches that operator.

#ifndef DNN_PLUGIN_HB_DNN_LAYER_H_
#define DNN_PLUGIN_HB_DNN_LAYER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "hb_dnn/hb_dnn_export.h"
#include "hb_dnn/plugin/hb_dnn_ndarray.h"

namespace hobot {
namespace dnn {

/// Read-only access to the attributes stored in the model for one operator
/// instance. Implemented by the library; plugins only call it.
///
/// Every overload looks up `key` and, if the attribute exists and has the
/// requested type, stores it in *val and returns 0; otherwise it returns -1
/// and leaves *val unchanged. NDArray values own their memory (they stay
/// valid after the layer's Init returns).
class HB_DNN_API Attribute {
 public:
  virtual ~Attribute() = default;

  virtual int32_t GetAttributeValue(int32_t *val, const char *key) const = 0;

  virtual int32_t GetAttributeValue(float *val, const char *key) const = 0;

  virtual int32_t GetAttributeValue(std::string *val,
                                    const char *key) const = 0;

  virtual int32_t GetAttributeValue(NDArray *val, const char *key) const = 0;

  virtual int32_t GetAttributeValue(std::vector<int32_t> *val,
                                    const char *key) const = 0;

  virtual int32_t GetAttributeValue(std::vector<float> *val,
                                    const char *key) const = 0;

  virtual int32_t GetAttributeValue(std::vector<std::string> *val,
                                    const char *key) const = 0;

  virtual int32_t GetAttributeValue(std::vector<NDArray> *val,
                                    const char *key) const = 0;
};

/// Declared here, inside hobot::dnn, and never defined: this is deliberately
/// NOT the global ::hbDNNInferCtrlParam of hb_dnn.h. Layer::Forward's third
/// parameter has this incomplete type so that existing plugins keep their
/// signature (and mangled name). The runtime passes a pointer to the task's
/// ::hbDNNInferCtrlParam, converted with reinterpret_cast; a plugin that
/// wants to read it casts it back to `const ::hbDNNInferCtrlParam *`.
struct hbDNNInferCtrlParam;

/// A custom operator. One instance is created (through the registered
/// creator) per occurrence of the operator in a loaded model; the runtime
/// owns it and destroys it with `delete` when the packed handle is released.
class HB_DNN_API Layer {
 public:
  Layer() = default;
  virtual ~Layer() = default;
  Layer(const Layer &) = delete;
  Layer &operator=(const Layer &) = delete;

  /// Called once, while the model is being loaded, with the operator's
  /// attributes (valid only during the call). A non-zero return makes model
  /// loading fail. The default accepts any attributes.
  virtual int32_t Init(const Attribute &) { return 0; }

  /// Computes the outputs. bottomBlobs holds GetInputCount() inputs;
  /// topBlobs holds GetOutputCount() outputs already allocated with their
  /// shape and type. Inputs must not be modified. Returns 0 on success; any
  /// other value fails the task (HB_DNN_RUN_TASK_FAILED).
  /// Forward may run on any runtime thread, and on the same instance from
  /// several threads at once (one per task in flight), so it must not modify
  /// member state without synchronisation.
  virtual int32_t Forward(const std::vector<NDArray *> &bottomBlobs,
                          std::vector<NDArray *> &topBlobs,
                          const hbDNNInferCtrlParam *inferCtrlParam) = 0;

  /// Number of inputs the operator takes.
  virtual uint32_t GetInputCount() const { return 1U; }

  /// Number of outputs the operator produces.
  virtual uint32_t GetOutputCount() const { return 1U; }

  /// The operator type name, equal to the name it is registered under.
  virtual std::string GetType() const = 0;
};

}  // namespace dnn
}  // namespace hobot

#endif  // DNN_PLUGIN_HB_DNN_LAYER_H_
