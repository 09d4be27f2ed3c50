#ifndef HB_DNN_TOOLS_HRT_MODEL_EXEC_TYPE_NAMES_H_
#define HB_DNN_TOOLS_HRT_MODEL_EXEC_TYPE_NAMES_H_

#include <cstdint>
#include <string>

namespace hb_dnn::tools {

// The board tool's spelling of enum values (HB_DNN_TENSOR_TYPE_S8, HB_DNN_LAYOUT_NCHW, ...);
// "UNKNOWN" for values outside the enums. The returned strings are static.
const char* TensorTypeName(int32_t tensor_type);
const char* InputSourceName(int32_t input_source);
const char* QuantiTypeName(int32_t quanti_type);
const char* LayoutName(int32_t layout);

}  // namespace hb_dnn::tools

#endif  // HB_DNN_TOOLS_HRT_MODEL_EXEC_TYPE_NAMES_H_
