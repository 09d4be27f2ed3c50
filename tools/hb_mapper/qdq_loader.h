#ifndef HB_DNN_TOOLS_HB_MAPPER_QDQ_LOADER_H_
#define HB_DNN_TOOLS_HB_MAPPER_QDQ_LOADER_H_

// calibration_type "load": the scales of a QDQ (QAT/PTQ-exported) ONNX model.
//
//  - Activations: a QuantizeLinear -> [Cast] -> DequantizeLinear chain on a run-time tensor X
//    is removed
//    (readers of the DequantizeLinear output read X) and gives X its scale. The pair's grid is
//    [(qmin - zp) * s, (qmax - zp) * s] (uint8: qmin 0, qmax 255; int8: -128, 127); our BPU
//    activations are symmetric int8, so X gets the symmetric scale covering that whole grid,
//    max(|lo|, |hi|) / 127. For int8 with zero point 0 this is s * 128/127 (the grid itself up
//    to the one extra negative step); for a uint8 tensor after ReLU (zp 0) it is s * 255/127,
//    i.e. the same range with half the resolution, which is what a symmetric int8 BPU can hold.
//  - Weights: a DequantizeLinear of a constant int8 tensor (initializer or Constant node) gives
//    the weight it produces its per-channel (or per-tensor) scales; the importer folds the
//    DequantizeLinear into a float constant of the same name, which quantizes back to the
//    exported integers with those scales.

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "onnx/onnx_pb.h"
#include "tools/hb_mapper/graph.h"

namespace hb_dnn::mapper {

struct LoadedScales {
  std::vector<float> activation;                            // per graph tensor, 0 = none
  std::map<std::string, std::vector<float>> weight_scales;  // by weight tensor name
  int removed_pairs = 0;
};

// Weight scales from the ONNX model (DequantizeLinear of constant int8 tensors).
absl::StatusOr<std::map<std::string, std::vector<float>>> WeightScalesOf(
    const onnx::ModelProto& model);

// Removes the activation QuantizeLinear/DequantizeLinear pairs of `graph` (imported from the
// QDQ model) and returns their scales. Fails when the graph has no such pair.
absl::StatusOr<LoadedScales> StripQdqPairs(Graph* graph);

}  // namespace hb_dnn::mapper

#endif  // HB_DNN_TOOLS_HB_MAPPER_QDQ_LOADER_H_
