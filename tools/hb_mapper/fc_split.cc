#include "tools/hb_mapper/fc_split.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "src/runtime/dtype_map.h"

namespace hb_dnn::mapper {
namespace {

uint64_t BytesOfTensor(const GraphTensor& t) {
  absl::StatusOr<kernels::DType> dtype = runtime::KernelDType(t.type);
  size_t size = dtype.ok() ? kernels::DTypeSize(*dtype) : 1;
  return static_cast<uint64_t>(t.num_elements()) * size;
}

}  // namespace

NodeCost CostOf(const Graph& graph, const GraphNode& node) {
  NodeCost cost;
  for (int32_t t : node.inputs) {
    if (t >= 0) cost.bytes += BytesOfTensor(graph.tensors[t]);
  }
  uint64_t out_elements = 0;
  for (int32_t t : node.outputs) {
    if (t < 0) continue;
    cost.bytes += BytesOfTensor(graph.tensors[t]);
    out_elements += static_cast<uint64_t>(graph.tensors[t].num_elements());
  }
  const std::string& op = node.op_type;
  if (op == "Conv" && node.inputs.size() > 1) {
    const std::vector<int64_t>& w = graph.tensors[node.inputs[1]].shape;
    uint64_t per_output = 1;
    for (size_t k = 1; k < w.size(); ++k) per_output *= static_cast<uint64_t>(w[k]);
    cost.macs = out_elements * per_output;
  } else if ((op == "Gemm" || op == "MatMul") && node.inputs.size() > 1) {
    const std::vector<int64_t>& a = graph.tensors[node.inputs[0]].shape;
    cost.macs = out_elements * static_cast<uint64_t>(a.empty() ? 1 : a.back());
  } else if (op == "MaxPool" || op == "AveragePool") {
    uint64_t window = 1;
    for (int64_t k : node.Ints("kernel_shape")) window *= static_cast<uint64_t>(k);
    cost.macs = out_elements * window;
  } else if (op == "GlobalAveragePool") {
    cost.macs = static_cast<uint64_t>(graph.tensors[node.inputs[0]].num_elements());
  } else if (op == "Resize") {
    cost.macs = out_elements * 4;
  } else {
    cost.macs = out_elements;
  }
  return cost;
}

uint32_t FunctionCallMicros(int64_t modelled_ns) {
  return static_cast<uint32_t>(std::max<int64_t>(1, (modelled_ns + 999) / 1000));
}

void SplitFunctionCalls(const Graph& graph, const bpu::MarchProfile& profile,
                        int64_t max_time_per_fc_us, std::vector<PlannedSegment>* segments,
                        std::vector<std::string>* log) {
  const int64_t limit_ns = max_time_per_fc_us * 1000;
  for (PlannedSegment& segment : *segments) {
    if (!segment.bpu) continue;
    segment.function_calls.clear();
    for (int32_t k : segment.nodes) {
      NodeCost cost = CostOf(graph, graph.nodes[k]);
      int64_t ns = bpu::ModelledDurationNs(profile, cost.macs, cost.bytes);
      bool open = !segment.function_calls.empty() && !segment.function_calls.back().nodes.empty();
      if (segment.function_calls.empty() ||
          (open && limit_ns > 0 && segment.function_calls.back().modelled_ns + ns > limit_ns)) {
        segment.function_calls.emplace_back();
      }
      PlannedFunctionCall& fc = segment.function_calls.back();
      fc.nodes.push_back(k);
      fc.modelled_ns += ns;
      if (limit_ns > 0 && ns > limit_ns) {
        log->push_back(absl::StrCat("segment ", segment.name, ": ", graph.nodes[k].Label(),
                                    " alone takes ", (ns + 999) / 1000,
                                    " us, over max_time_per_fc ", max_time_per_fc_us,
                                    " us: it gets a function-call of its own"));
        segment.function_calls.emplace_back();
      }
    }
    if (segment.function_calls.back().nodes.empty()) segment.function_calls.pop_back();
  }
}

}  // namespace hb_dnn::mapper
