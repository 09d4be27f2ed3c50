#include "tools/hb_mapper/partition.h"

#include <functional>
#include <queue>

#include "absl/strings/str_cat.h"

namespace hb_dnn::mapper {

std::vector<PlannedSegment> PartitionSegments(QuantizedGraph* quantized) {
  Graph& graph = quantized->graph;
  const size_t n = graph.nodes.size();
  std::vector<int32_t> producers = graph.Producers();
  std::vector<std::vector<int32_t>> consumers = graph.Consumers();
  std::vector<int> pending(n, 0);
  for (size_t k = 0; k < n; ++k) {
    for (int32_t t : graph.nodes[k].inputs) {
      if (t >= 0 && producers[t] >= 0) ++pending[k];
    }
  }
  using MinQueue = std::priority_queue<int32_t, std::vector<int32_t>, std::greater<int32_t>>;
  MinQueue ready[2];
  for (size_t k = 0; k < n; ++k) {
    if (pending[k] == 0) ready[quantized->on_bpu[k] ? 1 : 0].push(static_cast<int32_t>(k));
  }
  std::vector<int32_t> order;
  int kind = -1;
  while (order.size() < n) {
    if (kind < 0 || ready[kind].empty()) {
      if (ready[0].empty()) {
        kind = 1;
      } else if (ready[1].empty()) {
        kind = 0;
      } else {
        kind = ready[0].top() < ready[1].top() ? 0 : 1;
      }
    }
    int32_t k = ready[kind].top();
    ready[kind].pop();
    order.push_back(k);
    for (int32_t t : graph.nodes[k].outputs) {
      if (t < 0) continue;
      for (int32_t c : consumers[t]) {
        for (int32_t input : graph.nodes[c].inputs) {
          if (input == t && --pending[c] == 0) ready[quantized->on_bpu[c] ? 1 : 0].push(c);
        }
      }
    }
  }
  std::vector<GraphNode> nodes;
  std::vector<bool> on_bpu;
  for (int32_t k : order) {
    nodes.push_back(std::move(graph.nodes[k]));
    on_bpu.push_back(quantized->on_bpu[k]);
  }
  graph.nodes = std::move(nodes);
  quantized->on_bpu = on_bpu;

  std::vector<PlannedSegment> segments;
  for (size_t k = 0; k < n; ++k) {
    if (segments.empty() || segments.back().bpu != on_bpu[k]) {
      PlannedSegment segment;
      segment.bpu = on_bpu[k];
      segment.name = absl::StrCat(segment.bpu ? "BPU_" : "CPU_", segments.size());
      segments.push_back(std::move(segment));
    }
    segments.back().nodes.push_back(static_cast<int32_t>(k));
  }
  return segments;
}

}  // namespace hb_dnn::mapper
