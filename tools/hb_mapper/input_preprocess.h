#ifndef HB_DNN_TOOLS_HB_MAPPER_INPUT_PREPROCESS_H_
#define HB_DNN_TOOLS_HB_MAPPER_INPUT_PREPROCESS_H_

// Image inputs in the converter: the runtime's CPU op "Preprocess" (domain "hb_dnn", the
// vendor's HzPreprocess) goes in front of every model input whose input_type_rt is an image type,
// so the converted model takes the run-time image (nv12, rgb, bgr, yuv444, gray as uint8) and
// converts it to the training colour space and layout, then applies mean/scale.
//
// Calibration samples stay in the training domain (float32, training layout, normalized: what
// the seed's 02_preprocess.sh writes); they describe the float tensor after the Preprocess node.

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tools/hb_mapper/graph.h"
#include "tools/hb_mapper/mapper_config.h"

namespace hb_dnn::mapper {

// Image input_type_rt: AddPreprocessNode (preprocess_node.h) for graph->inputs[input_index].
// featuremap (or empty) inputs are left as they are, norm_type included: their calibration data
// and run-time input are both taken as already normalized (a note goes to `log`, may be null).
absl::Status InsertInputPreprocess(Graph* graph, size_t input_index, const InputConfig& input,
                                   std::vector<std::string>* log);

// The graph as calibration sees it: each Preprocess node that reads a graph input removed and
// that input re-pointed at the node's float output. Tensor indices are those of `graph`, so
// per-tensor results (ranges, scales) apply to `graph` unchanged; node indices are not.
Graph WithoutInputPreprocess(const Graph& graph);

// For one training-domain sample (one float vector per input of `graph`, in input order), the
// converted model's equivalent run-time inputs and what its Preprocess nodes make of them:
//  - runtime_inputs[k]: inputs with a Preprocess node: the image bytes (as float values 0..255,
//    layout of the model input), from the sample by inverting the norm, rounding to uint8 and
//    converting the colour (BT.601 full range; NV12 chroma is the mean of each 2x2 block);
//  - preprocessed[k]: the float tensor the Preprocess node computes from that image (the sample
//    after the image round trip). Inputs without a Preprocess node are copied to both unchanged.
// The conversion settings are read from the Preprocess nodes' attributes. Errors name the input
// and the values.
absl::Status RuntimeInputsFor(const Graph& graph, const std::vector<std::vector<float>>& sample,
                              std::vector<std::vector<float>>* runtime_inputs,
                              std::vector<std::vector<float>>* preprocessed);

}  // namespace hb_dnn::mapper

#endif  // HB_DNN_TOOLS_HB_MAPPER_INPUT_PREPROCESS_H_
