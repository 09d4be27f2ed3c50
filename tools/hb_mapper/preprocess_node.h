#ifndef HB_DNN_TOOLS_HB_MAPPER_PREPROCESS_NODE_H_
#define HB_DNN_TOOLS_HB_MAPPER_PREPROCESS_NODE_H_

// The converter's hook for image inputs (the vendor's HzPreprocess): puts the runtime's CPU op
// hb_dnn::Preprocess-1 (src/kernels/reference/preprocess.h) in front of a float model input.

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tools/hb_mapper/graph.h"
#include "tools/hb_mapper/mapper_config.h"

namespace hb_dnn::mapper {

// For graph->inputs[input_index], a float32 tensor in the training type and layout
// (input.input_type_train / input_layout_train, 4-D, N = 1 for images):
//  - input_type_rt nv12 / rgb / bgr / yuv444 / gray: appends a uint8 tensor holding the run-time
//    image (runtime::ImageTensorShape: NV12 (1, H*3/2, W); packed images in input_layout_rt),
//    makes it the model input (same input name; IMG_NV12 / IMG_RGB / ... with validShape
//    (1, 3|1, H, W) NCHW for nv12 and gray, input_layout_rt order otherwise), and inserts node
//    "HZ_PREPROCESS_FOR_<input>" at the front of graph->nodes converting it into the float tensor;
//  - featuremap (or empty) with a norm_type other than no_preprocess: the same with a float32
//    input of the float tensor's shape (only the normalization applies);
//  - featuremap with no_preprocess: nothing.
// The float tensor keeps its index (renamed "<name>_preprocessed"), so the calibration samples
// (normalized, training domain) still describe it; node indices shift by one. Call before
// placement. Errors (kInvalidArgument) name the input, the shape and the config values; the
// graph is unchanged on error. One line per insertion is appended to `log` (may be null).
absl::Status AddPreprocessNode(Graph* graph, size_t input_index, const InputConfig& input,
                               std::vector<std::string>* log);

}  // namespace hb_dnn::mapper

#endif  // HB_DNN_TOOLS_HB_MAPPER_PREPROCESS_NODE_H_
