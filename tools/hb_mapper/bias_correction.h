#ifndef HB_DNN_TOOLS_HB_MAPPER_BIAS_CORRECTION_H_
#define HB_DNN_TOOLS_HB_MAPPER_BIAS_CORRECTION_H_

// Empirical bias correction of a quantized graph (after Nagel et al., "Data-Free Quantization
// Through Weight Equalization and Bias Correction", 2019, section 4.2), applied in graph order.
//
// Rounding weights and clipping activations shift the mean of what an accumulating node
// computes, per output channel. Clipping in particular is one-sided: a threshold below a
// tensor's maximum (which the mse and kl rules choose for long tails) lowers the mean of every
// reader's result. A per-channel mean error is the same at every position of the channel; the
// following layers carry it on, and a GlobalAveragePool (squeeze-and-excitation gates, the
// classifier's pooling) reads nothing else.
//
// The pass runs the float graph and, node by node in graph order, the quantized graph on some
// of the calibration samples. At each BPU Conv or Gemm with an int32 bias and no fused activation
// bounds it measures the mean of y_q - y per output channel over every position and sample,
// subtracts it from the bias in units of x_scale * w_scale[c] (rounded to nearest), and runs
// the node again before going on: every later node is measured on inputs that carry the
// corrections already made, so no shift is corrected twice.
//  - An int8 output is compared with the float value clipped to its int8 range: saturation is
//    the threshold's choice, not a shift to undo (and leaving saturated positions out would
//    select positions by their noise).
//  - Nodes with fused bounds (ReLU, ReLU6) are left alone. The mean of a clamped output does
//    not move one for one with the bias; measured before the bounds instead (the quantized
//    node run without them, the float Conv before its Clip), over all positions or only where
//    the float value lies inside the bounds, the correction made MobileNetV2 and the PP-OCR
//    classifier worse on every variant tried.
//
// Memory: the float value of every corrected node's output for every sample is held for the
// whole pass (the quantized run frees its tensors after their last reader).
//
// Matching means lowers each node's own error on the samples it is measured on, but not always
// the model's, and not always on other inputs: a network whose nonlinearities sit on a knife
// edge (a probability map behind a sigmoid) can end up worse, and in a network that amplifies
// noise (random-weight MobileNetV2) part of a channel's mean error belongs to the samples, not
// to the quantization. The pass therefore judges on other samples than it fits on: it measures
// the outputs' mean cosine to float on the judging samples before and after and keeps the old
// biases when the corrected graph agrees less there.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/hb_mapper/converter.h"
#include "tools/hb_mapper/graph.h"

namespace hb_dnn::mapper {

struct BiasCorrectionResult {
  int candidates = 0;          // BPU Conv/Gemm nodes with an int32 bias and no fused bounds
  int corrected_nodes = 0;     // nodes whose bias changed
  int corrected_channels = 0;  // (node, channel) pairs whose bias changed
  // The largest |mean shift| corrected, in units of the node's int8 output scale (int32
  // outputs are not counted).
  double max_shift_lsb = 0;
  int fit_samples = 0;    // samples the shifts were measured on
  int judge_samples = 0;  // samples the result was judged on
  // Mean cosine of the graph's outputs to float over the judging samples, before and after;
  // when after < before the biases were restored and `applied` is false.
  double cosine_before = 1;
  double cosine_after = 1;
  bool applied = true;
};

// `float_graph`: the float graph `quantized` was made from with the same tensor indices for its
// tensors (QuantizeGraph's output, before PartitionSegments reorders it; an input Preprocess
// node may be absent from `float_graph`). `float_samples` and `quantized_samples`: the same
// samples as each graph takes them; the shifts are measured on the first `fit_count`, the
// result is judged on the others (on the same ones when there are no others). Rewrites the
// int32 bias constants of `quantized` in place.
absl::StatusOr<BiasCorrectionResult> CorrectBiases(
    const Graph& float_graph, const std::vector<CalibrationSample>& float_samples,
    const std::vector<CalibrationSample>& quantized_samples, size_t fit_count,
    Graph* quantized);

}  // namespace hb_dnn::mapper

#endif  // HB_DNN_TOOLS_HB_MAPPER_BIAS_CORRECTION_H_
