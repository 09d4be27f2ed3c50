#ifndef HB_DNN_TOOLS_HB_MAPPER_PLACEMENT_H_
#define HB_DNN_TOOLS_HB_MAPPER_PLACEMENT_H_

// Which float nodes the BPU runs (as hb_dnn.bpu int8 ops, docs/int8_numerics.md) and why the
// others stay on the CPU.
//
// Rules (both marches unless stated):
//  - Conv: 4-D input, constant weight/bias, explicit pads (auto_pad NOTSET), kernel at most
//    7x7 on bernoulli2 and 15x15 on bayes.
//  - Gemm: 2-D A, constant B and C, transA 0, alpha = beta = 1. MatMul: constant 2-D B.
//  - MaxPool (no Indices output, storage_order 0), AveragePool, GlobalAveragePool: 4-D input,
//    explicit pads.
//  - Add, Mul, Concat: float inputs (constants are quantized per tensor). Div by a constant
//    without zeros: a Mul by the reciprocal.
//  - Resize: 4-D, spatial only, mode nearest/linear, coordinate_transformation_mode half_pixel,
//    asymmetric, align_corners or pytorch_half_pixel.
//  - Sigmoid, Tanh, HardSigmoid, HardSwish: a 256-entry Lut. Relu and Clip (constant bounds):
//    an Add of zero with activation bounds.
//  - Reshape, Flatten, Transpose, Identity: moved bytes; on the BPU when their data input is
//    produced on the BPU.
//  - The element-wise ops (Add, Mul, Div, Relu, Clip and the Lut functions) whose run-time
//    inputs are all written by CPU nodes stay on the CPU: on the BPU they would only add a
//    quantize and a dequantize around one cheap op and round their result to int8 (a model's
//    final Sigmoid after a CPU ConvTranspose, e.g.).
//  - run_on_cpu forces the CPU; run_on_bpu forces the BPU for a node that has an int8 form
//    (it overrides shape limits and the data-movement rule) and is an error otherwise.
//  - The first `cpu_prefix` nodes (in graph order) run on the CPU unless run_on_bpu names them
//    (cosine_target, cpu_fallback.h).
// Everything else runs on the CPU in float.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/hb_mapper/converter.h"
#include "tools/hb_mapper/graph.h"

namespace hb_dnn::mapper {

struct Placement {
  std::vector<bool> on_bpu;          // per graph node
  std::vector<std::string> reasons;  // per graph node, empty for BPU nodes
  int bpu_nodes = 0;
};

// Errors: unknown march, a run_on_cpu/run_on_bpu name that names no node, run_on_bpu on a node
// without an int8 form.
absl::StatusOr<Placement> PlaceNodes(const Graph& graph, const std::string& march,
                                     const std::vector<std::string>& run_on_cpu,
                                     const std::vector<std::string>& run_on_bpu,
                                     int32_t cpu_prefix = 0);

// The report rows (name, op, first output's shape, placement, reason).
std::vector<NodePlacement> PlacementRows(const Graph& graph, const Placement& placement);

// True for the ops that move int8 bytes unchanged (Reshape, Flatten, Transpose, Identity).
bool IsDataMovementOp(const GraphNode& node);

// The seed's error when no node can run on the BPU.
inline constexpr char kNoBpuNodeMessage[] =
    "There is no node can execute on BPU in this model, please make sure the model has at least "
    "one conv node which is supported by BPU.";

}  // namespace hb_dnn::mapper

#endif  // HB_DNN_TOOLS_HB_MAPPER_PLACEMENT_H_
