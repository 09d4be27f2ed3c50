#ifndef HB_DNN_TOOLS_HB_MAPPER_FC_SPLIT_H_
#define HB_DNN_TOOLS_HB_MAPPER_FC_SPLIT_H_

// Cuts BPU segments into function-calls by modelled duration.
//
// A node's cost is its multiply-accumulates and the bytes it moves (activations read and
// written, weights and biases read); its duration is bpu::ModelledDurationNs of that cost (a
// roofline per node). An FC's duration is the sum of its nodes' durations. Nodes are packed in
// order while the FC stays within max_time_per_fc; 0 means one FC per segment. A node longer
// than the limit on its own gets an FC of its own (and a log line).

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "src/bpu/march_profile.h"
#include "tools/hb_mapper/graph.h"
#include "tools/hb_mapper/partition.h"

namespace hb_dnn::mapper {

struct NodeCost {
  uint64_t macs = 0;
  uint64_t bytes = 0;
};

NodeCost CostOf(const Graph& graph, const GraphNode& node);

void SplitFunctionCalls(const Graph& graph, const bpu::MarchProfile& profile,
                        int64_t max_time_per_fc_us, std::vector<PlannedSegment>* segments,
                        std::vector<std::string>* log);

// Microseconds stored in the model for an FC: rounded up, at least 1.
uint32_t FunctionCallMicros(int64_t modelled_ns);

}  // namespace hb_dnn::mapper

#endif  // HB_DNN_TOOLS_HB_MAPPER_FC_SPLIT_H_
