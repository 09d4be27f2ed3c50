#ifndef HB_DNN_TOOLS_HB_MAPPER_GRAPH_RUNNER_H_
#define HB_DNN_TOOLS_HB_MAPPER_GRAPH_RUNNER_H_

// Runs a Graph node by node with the CPU kernels and keeps every tensor's value: the float
// reference for calibration and for the converter's accuracy figures.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "src/kernels/op_kernel.h"
#include "src/kernels/op_registry.h"
#include "tools/hb_mapper/graph.h"

namespace hb_dnn::mapper {

// One tensor's value: dense row-major bytes, 8-byte aligned.
struct TensorValue {
  std::vector<uint64_t> words;
  size_t bytes = 0;
  const void* data() const { return words.data(); }
  void* data() { return words.data(); }
  template <typename T>
  const T* as() const { return reinterpret_cast<const T*>(words.data()); }
};

class GraphRunner {
 public:
  // Creates and prepares one kernel per node; the graph must outlive the runner.
  static absl::StatusOr<std::unique_ptr<GraphRunner>> Create(const Graph& graph,
                                                             const kernels::OpRegistry& registry);

  // `inputs`: one vector per graph input (their element count is checked): real values for
  // F32 inputs, byte values for U8 (image) inputs, real values rounded to the tensor's scale for
  // S8 inputs. Returns the value of every tensor (constants included), indexed like
  // graph.tensors; `keep` (optional, per tensor) lets the runner free run-time tensors nobody
  // needs once their readers ran.
  absl::StatusOr<std::vector<TensorValue>> Run(const std::vector<std::vector<float>>& inputs,
                                               const std::vector<bool>* keep = nullptr) const;

  // Node by node (what Run does): Start returns the values with the constants and the inputs
  // set; RunNode(n) computes node n's outputs from `values` (nodes run in graph order). Errors:
  // a node index out of range, `values` not of this graph, an input without a value.
  absl::StatusOr<std::vector<TensorValue>> Start(
      const std::vector<std::vector<float>>& inputs) const;
  absl::Status RunNode(size_t n, std::vector<TensorValue>* values,
                       const std::vector<bool>* keep = nullptr) const;

  // Prepares node n's kernel again after the caller rewrote the bytes of one of its constants
  // in place in the graph (a kernel may have packed them at preparation; the runner keeps
  // pointers to the constants' bytes, so their buffers must not move).
  absl::Status RefreshNode(size_t n);

 private:
  GraphRunner(const Graph& graph, const kernels::OpRegistry& registry)
      : graph_(graph), registry_(registry) {}
  absl::Status PrepareNode(size_t n);

  const Graph& graph_;
  const kernels::OpRegistry& registry_;
  std::vector<kernels::TensorInfo> infos_;  // per tensor, as the kernels see them
  std::vector<std::unique_ptr<kernels::OpKernel>> kernels_;
  std::vector<std::vector<kernels::TensorInfo>> output_infos_;
  std::vector<int32_t> last_use_;  // per tensor: the last node reading it, or -1
};

// Real values of a run-time tensor of `tensor`'s type: F32 as is, S8/S32 times their SCALE
// parameters (per tensor or per axis).
std::vector<double> RealValuesOf(const GraphTensor& tensor, const TensorValue& value);

// Cosine similarity of two equally long vectors; 1 when both are zero, 0 when one is.
double CosineOf(const std::vector<double>& a, const std::vector<double>& b);

// The real values of `runner`'s graph outputs on each of `inputs` (one vector per graph input,
// as Run takes them): [input][output].
absl::StatusOr<std::vector<std::vector<std::vector<double>>>> OutputValues(
    const GraphRunner& runner, const Graph& graph,
    const std::vector<std::vector<std::vector<float>>>& inputs);

// How closely `runner`'s graph follows reference outputs: the mean cosine over outputs and
// inputs between its outputs on `inputs` and `want` (OutputValues of the float graph on the
// same inputs, index for index). 1 without inputs.
absl::StatusOr<double> MeanOutputCosine(const GraphRunner& runner, const Graph& graph,
                                        const std::vector<std::vector<std::vector<float>>>& inputs,
                                        const std::vector<std::vector<std::vector<double>>>& want);

// How closely one float tensor's value in a quantized graph (its "_int8" or "_int32" version
// dequantized with its SCALE parameters, or the float tensor itself when the CPU computes it)
// follows the float graph's value.
struct TensorAgreement {
  int32_t tensor = -1;       // index in the float graph
  std::string name;
  std::string op_type;       // of the float node writing it
  bool on_bpu = false;       // the quantized graph computes it on the BPU (an integer version)
  double scale = 0;          // per-tensor scale of the integer version (first one if per-axis)
  double cosine = 0;
  double max_abs_error = 0;
  double abs_max = 0;        // of the float value
  // BPU tensors: the cosine of the node alone, run on its inputs' float values quantized with
  // their scales (the error this node adds, whatever its inputs carried); 1 otherwise.
  double local_cosine = 1;
  // BPU int8 tensors: the cosine of the float value rounded to its own int8 grid.
  double grid_cosine = 1;
};

// The per-tensor diagnosis of a conversion: runs `float_graph` and `quantized` (whose first
// tensors are those of `float_graph`, as QuantizeGraph writes it) on `inputs` and returns one
// row per node output of `float_graph` that the quantized graph holds, in node order.
absl::StatusOr<std::vector<TensorAgreement>> CompareGraphs(
    const Graph& float_graph, const Graph& quantized,
    const std::vector<std::vector<float>>& inputs);

}  // namespace hb_dnn::mapper

#endif  // HB_DNN_TOOLS_HB_MAPPER_GRAPH_RUNNER_H_
