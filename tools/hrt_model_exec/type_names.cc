#include "tools/hrt_model_exec/type_names.h"

#include "hb_dnn/hb_dnn.h"
#include "hb_dnn/hb_dnn_ext.h"

namespace hb_dnn::tools {

const char* TensorTypeName(int32_t tensor_type) {
  static const char* const kNames[] = {
      "HB_DNN_IMG_TYPE_Y",      "HB_DNN_IMG_TYPE_NV12",   "HB_DNN_IMG_TYPE_NV12_SEPARATE",
      "HB_DNN_IMG_TYPE_YUV444", "HB_DNN_IMG_TYPE_RGB",    "HB_DNN_IMG_TYPE_BGR",
      "HB_DNN_TENSOR_TYPE_S4",  "HB_DNN_TENSOR_TYPE_U4",  "HB_DNN_TENSOR_TYPE_S8",
      "HB_DNN_TENSOR_TYPE_U8",  "HB_DNN_TENSOR_TYPE_F16", "HB_DNN_TENSOR_TYPE_S16",
      "HB_DNN_TENSOR_TYPE_U16", "HB_DNN_TENSOR_TYPE_F32", "HB_DNN_TENSOR_TYPE_S32",
      "HB_DNN_TENSOR_TYPE_U32", "HB_DNN_TENSOR_TYPE_F64", "HB_DNN_TENSOR_TYPE_S64",
      "HB_DNN_TENSOR_TYPE_U64"};
  static_assert(sizeof(kNames) / sizeof(kNames[0]) == HB_DNN_TENSOR_TYPE_MAX);
  return tensor_type >= 0 && tensor_type < HB_DNN_TENSOR_TYPE_MAX ? kNames[tensor_type] : "UNKNOWN";
}

const char* InputSourceName(int32_t input_source) {
  switch (input_source) {
    case HB_DNN_INPUT_FROM_DDR:
      return "HB_DNN_INPUT_FROM_DDR";
    case HB_DNN_INPUT_FROM_RESIZER:
      return "HB_DNN_INPUT_FROM_RESIZER";
    case HB_DNN_INPUT_FROM_PYRAMID:
      return "HB_DNN_INPUT_FROM_PYRAMID";
    default:
      return "UNKNOWN";
  }
}

const char* QuantiTypeName(int32_t quanti_type) {
  switch (quanti_type) {
    case SHIFT:
      return "SHIFT";
    case SCALE:
      return "SCALE";
    default:
      return "NONE";
  }
}

const char* LayoutName(int32_t layout) {
  char const* name = nullptr;
  if (hbDNNGetLayoutName(&name, layout) != 0 || name == nullptr) return "UNKNOWN";
  return name;
}

}  // namespace hb_dnn::tools
