#ifndef HB_DNN_TOOLS_HB_MAPPER_QUANTIZE_H_
#define HB_DNN_TOOLS_HB_MAPPER_QUANTIZE_H_

// Rewrites the placed float graph into the deployable one: every BPU node becomes its
// hb_dnn.bpu int8 form (docs/int8_numerics.md), CPU nodes stay float, and QuantizeLinear /
// DequantizeLinear nodes (ONNX, int8, zero point 0, on the CPU) appear where a tensor crosses
// between the two.
//
//  - Weights: int8 symmetric per output channel, scale max|w_c| / 127, values in [-127, 127].
//  - Bias: int32, round-half-even(b / (x_scale * w_scale[c])), saturated.
//  - Activations: int8 symmetric per tensor with the scale given per float tensor. MaxPool and
//    the data-movement ops (Reshape, Flatten, Transpose, Identity) keep their input's scale.
//  - Constant operands of Add, Mul and Concat: int8 per tensor, scale max|c| / 127.
//  - A fused Relu/Clip of a Conv becomes activation_min / activation_max; a standalone Relu or
//    Clip becomes Add(x, 0) with those bounds. Div by a constant becomes Mul by its reciprocal.
//  - Fusions (all nodes on the BPU, intermediates read only inside the pattern, no model
//    output among them): a Conv followed by Mul and/or Add of per-channel constants (exported
//    BatchNormalization, learnable affine blocks) folds them into its float weights and bias;
//    Mul(x, Sigmoid(x)) becomes one Lut SiLU; x * Clip(x + 3, 0, 6) / 6 and
//    Mul(x, HardSigmoid(x)) with alpha 1/6, beta 0.5 become one Lut HardSwish. Each removes
//    requantized intermediates (and, for HardSwish, a CPU round trip through Div).
//  - A Conv, Gemm or MatMul without fused bounds whose result is only read by the CPU or is a
//    model output keeps its int32 accumulators (output_type 32) and is dequantized per channel
//    with x_scale * w_scale[c]: no output rounding.
//  - remove_node_type "Dequantize": model outputs computed on the BPU stay integer (S8, or S32
//    with per-axis scales) with SCALE quantization. "Quantize": a model input read only by BPU
//    nodes becomes an S8 input with its scale.

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/hb_mapper/graph.h"
#include "tools/hb_mapper/placement.h"

namespace hb_dnn::mapper {

struct QuantizeOptions {
  bool keep_integer_outputs = false;  // remove_node_type Dequantize
  bool keep_integer_inputs = false;   // remove_node_type Quantize
  // Per-channel weight scales to use instead of max|w_c| / 127, by weight tensor name
  // (calibration_type load); ignored when the channel count differs.
  std::map<std::string, std::vector<float>> weight_scales;
};

struct QuantizedGraph {
  Graph graph;
  std::vector<bool> on_bpu;  // per node of `graph`
};

// MaxPool and the data-movement ops on the BPU pass their input's scale on: fills `scales`
// (per float tensor, 0 = unknown) along those nodes, in node order. A BPU Concat's input that
// only the Concat reads (and no MaxPool or data-movement op writes) takes the Concat's scale, so
// it is rounded once, where it is written, instead of again in the Concat.
void PropagateScales(const Graph& graph, const Placement& placement, std::vector<float>* scales);

// `scales`: per tensor of `graph`, the activation scale of every float tensor a BPU node reads
// or writes. Errors name the node and the tensor without a scale.
absl::StatusOr<QuantizedGraph> QuantizeGraph(const Graph& graph, const Placement& placement,
                                             const std::vector<float>& scales,
                                             const QuantizeOptions& options,
                                             std::vector<std::string>* log);

// int8 symmetric per-channel quantization of `values` laid out as `channels` rows (axis 0) or
// columns (channel_axis_last): returns the int8 bytes and fills `channel_scales`.
// With `fixed_scales` non-null those scales are used as they are.
std::string QuantizeWeights(const std::vector<float>& values, int64_t channels,
                            bool channel_axis_last, std::vector<float>* channel_scales,
                            const std::vector<float>* fixed_scales = nullptr);

}  // namespace hb_dnn::mapper

#endif  // HB_DNN_TOOLS_HB_MAPPER_QUANTIZE_H_
