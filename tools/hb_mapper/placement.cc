#include "tools/hb_mapper/placement.h"

#include <cmath>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace hb_dnn::mapper {
namespace {

bool IsFloatRuntime(const Graph& graph, int32_t t) {
  return t >= 0 && graph.tensors[t].type == fb::DataType::F32;
}

bool IsConst(const Graph& graph, int32_t t) { return t >= 0 && graph.tensors[t].constant; }

size_t Rank(const Graph& graph, int32_t t) { return graph.tensors[t].shape.size(); }

std::string NotFourD(const Graph& graph, const GraphNode& node) {
  return absl::StrCat("Layer ", node.name, ": Tensor ", graph.tensors[node.inputs[0]].name,
                      " expects be 4 dimensions, but ", Rank(graph, node.inputs[0]),
                      " provided");
}

std::string NotSupportedAttr(const GraphNode& node, const std::string& what) {
  return absl::StrCat(node.op_type, " Not support this attribute/mode=", what);
}

// Empty when the node has an int8 form; otherwise why not. Shape limits are reported with
// `limit` true so that run_on_bpu can override them.
std::string Int8Form(const Graph& graph, const GraphNode& node, const std::string& march,
                     bool* limit) {
  *limit = false;
  const std::string& op = node.op_type;
  if (!node.domain.empty()) {
    return absl::StrCat("custom op of domain '", node.domain, "': runs on the CPU");
  }
  if (node.inputs.empty() || !IsFloatRuntime(graph, node.inputs[0])) {
    return absl::StrCat(op, " input is not a float32 tensor");
  }
  auto explicit_pads = [&]() -> std::string {
    std::string auto_pad = node.String("auto_pad", "NOTSET");
    if (auto_pad != "NOTSET") return NotSupportedAttr(node, absl::StrCat("auto_pad:", auto_pad));
    return "";
  };
  if (op == "Conv") {
    if (Rank(graph, node.inputs[0]) != 4) return NotFourD(graph, node);
    if (!IsConst(graph, node.inputs[1])) return "Conv weight is not a constant";
    if (node.inputs.size() > 2 && node.inputs[2] >= 0 && !IsConst(graph, node.inputs[2])) {
      return "Conv bias is not a constant";
    }
    std::string pads = explicit_pads();
    if (!pads.empty()) return pads;
    const std::vector<int64_t>& w = graph.tensors[node.inputs[1]].shape;
    int64_t max_kernel = march == "bayes" ? 15 : 7;
    if (w.size() == 4 && (w[2] > max_kernel || w[3] > max_kernel)) {
      *limit = true;
      return absl::StrCat("Layer ", node.name, ": kernel expect data shape range:[[1,",
                          max_kernel, "][1,", max_kernel, "]], but the data shape is [", w[2],
                          ",", w[3], "]");
    }
    return "";
  }
  if (op == "Gemm") {
    if (Rank(graph, node.inputs[0]) != 2) return "Gemm input A is not 2-D";
    if (!IsConst(graph, node.inputs[1])) return "Gemm input B is not a constant";
    if (node.inputs.size() > 2 && node.inputs[2] >= 0 && !IsConst(graph, node.inputs[2])) {
      return "Gemm input C is not a constant";
    }
    if (node.inputs.size() > 2 && node.inputs[2] >= 0 &&
        graph.tensors[node.inputs[2]].num_elements() !=
            graph.tensors[node.outputs[0]].shape.back()) {
      return "Gemm input C is not one value per output column";
    }
    if (node.Int("transA", 0) != 0) return NotSupportedAttr(node, "transA:1");
    if (node.Float("alpha", 1.0f) != 1.0f || node.Float("beta", 1.0f) != 1.0f) {
      return NotSupportedAttr(node, "alpha/beta other than 1");
    }
    return "";
  }
  if (op == "MatMul") {
    if (!IsConst(graph, node.inputs[1]) || Rank(graph, node.inputs[1]) != 2) {
      return "MatMul input B is not a constant 2-D matrix";
    }
    if (Rank(graph, node.inputs[0]) < 2) return "MatMul input A has rank below 2";
    return "";
  }
  if (op == "MaxPool" || op == "AveragePool" || op == "GlobalAveragePool") {
    if (Rank(graph, node.inputs[0]) != 4) return NotFourD(graph, node);
    if (op == "MaxPool" && node.outputs.size() > 1 && node.outputs[1] >= 0) {
      return "MaxPool Indices output is not supported on the BPU";
    }
    if (op == "MaxPool" && node.Int("storage_order", 0) != 0) {
      return NotSupportedAttr(node, "storage_order:1");
    }
    return op == "GlobalAveragePool" ? "" : explicit_pads();
  }
  if (op == "Add" || op == "Mul" || op == "Concat") {
    for (int32_t t : node.inputs) {
      if (!IsFloatRuntime(graph, t)) return absl::StrCat(op, " input is not a float32 tensor");
    }
    return "";
  }
  if (op == "Div") {
    if (!IsConst(graph, node.inputs[1])) {
      return "Div by a run-time tensor is not supported on the BPU";
    }
    for (float v : graph.tensors[node.inputs[1]].Floats()) {
      if (!(std::fabs(v) > 0) || !std::isfinite(1.0f / v)) return "Div by zero stays on the CPU";
    }
    return "";
  }
  if (op == "Resize") {
    if (Rank(graph, node.inputs[0]) != 4) return NotFourD(graph, node);
    const std::vector<int64_t>& in = graph.tensors[node.inputs[0]].shape;
    const std::vector<int64_t>& out = graph.tensors[node.outputs[0]].shape;
    if (in[0] != out[0] || in[1] != out[1]) return "Resize changes N or C";
    std::string mode = node.String("mode", "nearest");
    if (mode != "nearest" && mode != "linear") return NotSupportedAttr(node, mode);
    static const std::set<std::string> kModes = {"half_pixel", "asymmetric", "align_corners",
                                                 "pytorch_half_pixel"};
    std::string ctm = node.String("coordinate_transformation_mode",
                                  node.op_version >= 11 ? "half_pixel" : "asymmetric");
    if (kModes.count(ctm) == 0) return NotSupportedAttr(node, ctm);
    return "";
  }
  if (op == "Sigmoid" || op == "Tanh" || op == "HardSigmoid" || op == "HardSwish") return "";
  if (op == "Relu") return "";
  if (op == "Clip") {
    for (size_t k = 1; k < node.inputs.size(); ++k) {
      if (node.inputs[k] >= 0 && !IsConst(graph, node.inputs[k])) {
        return "Clip bounds are not constants";
      }
    }
    return "";
  }
  if (IsDataMovementOp(node)) return "";
  return absl::StrCat("Unsupported op ", op, ": not a BPU operator, runs on the CPU");
}

bool IsElementwiseOp(const GraphNode& node) {
  static const std::set<std::string> kOps = {"Add",  "Mul",     "Div",         "Relu",
                                             "Clip", "Sigmoid", "HardSigmoid", "HardSwish",
                                             "Tanh"};
  return node.domain.empty() && kOps.count(node.op_type) > 0;
}

// Every run-time input is written by a node already placed on the CPU.
bool FedByCpuOnly(const Graph& graph, const GraphNode& node, const std::vector<int32_t>& producers,
                  const std::vector<bool>& on_bpu) {
  bool any = false;
  for (int32_t t : node.inputs) {
    if (t < 0 || graph.tensors[t].constant) continue;
    if (producers[t] < 0 || on_bpu[producers[t]]) return false;
    any = true;
  }
  return any;
}

}  // namespace

bool IsDataMovementOp(const GraphNode& node) {
  return node.domain.empty() && (node.op_type == "Reshape" || node.op_type == "Flatten" ||
                                 node.op_type == "Transpose" || node.op_type == "Identity");
}

absl::StatusOr<Placement> PlaceNodes(const Graph& graph, const std::string& march,
                                     const std::vector<std::string>& run_on_cpu,
                                     const std::vector<std::string>& run_on_bpu,
                                     int32_t cpu_prefix) {
  if (march != "bernoulli2" && march != "bayes") {
    return absl::InvalidArgumentError(
        absl::StrCat("march '", march, "' is not one of bernoulli2, bayes"));
  }
  std::set<std::string> cpu(run_on_cpu.begin(), run_on_cpu.end());
  std::set<std::string> bpu(run_on_bpu.begin(), run_on_bpu.end());
  for (const std::set<std::string>* names : {&cpu, &bpu}) {
    for (const std::string& name : *names) {
      if (graph.FindNode(name) < 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            names == &cpu ? "run_on_cpu" : "run_on_bpu", ": the model has no node named '",
            name, "'"));
      }
    }
  }
  Placement placement;
  const size_t n = graph.nodes.size();
  placement.on_bpu.assign(n, false);
  placement.reasons.assign(n, "");
  std::vector<int32_t> producers = graph.Producers();
  for (size_t k = 0; k < n; ++k) {
    const GraphNode& node = graph.nodes[k];
    bool limit = false;
    std::string reason = Int8Form(graph, node, march, &limit);
    bool forced = bpu.count(node.name) > 0;
    if (forced && !reason.empty() && !limit) {
      return absl::InvalidArgumentError(absl::StrCat(
          "run_on_bpu: ", node.Label(), " cannot run on the BPU: ", reason));
    }
    if (cpu.count(node.name) > 0) {
      reason = "run_on_cpu";
    } else if (forced) {
      reason.clear();
    } else if (static_cast<int64_t>(k) < cpu_prefix) {
      reason = absl::StrCat("cosine_target: the first ", cpu_prefix,
                            " nodes run on the CPU in float");
    } else if (reason.empty() && IsElementwiseOp(node) && FedByCpuOnly(graph, node, producers,
                                                                       placement.on_bpu)) {
      reason = absl::StrCat(node.op_type,
                            " of CPU results stays on the CPU (on the BPU it would only add a "
                            "quantize and a dequantize, and round its result to int8)");
    } else if (reason.empty() && IsDataMovementOp(node)) {
      int32_t producer = producers[node.inputs[0]];
      if (producer < 0 || !placement.on_bpu[producer]) {
        reason = absl::StrCat(node.op_type, " of a CPU tensor stays on the CPU");
      }
    }
    placement.on_bpu[k] = reason.empty();
    placement.reasons[k] = reason;
    if (reason.empty() && !IsDataMovementOp(node)) ++placement.bpu_nodes;
  }
  return placement;
}

std::vector<NodePlacement> PlacementRows(const Graph& graph, const Placement& placement) {
  std::vector<NodePlacement> rows;
  for (size_t k = 0; k < graph.nodes.size(); ++k) {
    const GraphNode& node = graph.nodes[k];
    NodePlacement row;
    row.name = node.name;
    row.op_type = node.op_type;
    if (!node.outputs.empty() && node.outputs[0] >= 0) {
      row.output_shape = graph.tensors[node.outputs[0]].shape;
    }
    row.on_bpu = placement.on_bpu[k];
    row.reason = placement.reasons[k];
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace hb_dnn::mapper
