#ifndef HB_DNN_TOOLS_HB_MAPPER_PARTITION_H_
#define HB_DNN_TOOLS_HB_MAPPER_PARTITION_H_

// Orders the quantized graph's nodes so that BPU nodes form as few runs as possible and cuts
// the order into segments: maximal runs of BPU nodes (BPU segments) and of CPU nodes (CPU
// segments, including the QuantizeLinear/DequantizeLinear boundary nodes).

#include <cstdint>
#include <string>
#include <vector>

#include "tools/hb_mapper/quantize.h"

namespace hb_dnn::mapper {

struct PlannedFunctionCall {
  std::vector<int32_t> nodes;  // graph node indices, in execution order
  int64_t modelled_ns = 0;
};

struct PlannedSegment {
  bool bpu = false;
  std::string name;
  std::vector<int32_t> nodes;  // in execution order
  std::vector<PlannedFunctionCall> function_calls;  // BPU segments, after SplitFunctionCalls
};

// Reorders `quantized->graph.nodes` (and on_bpu) topologically, preferring to continue with a
// node of the kind just emitted (ties by the previous order), and returns the segments named
// "CPU_0", "BPU_1", ... in order.
std::vector<PlannedSegment> PartitionSegments(QuantizedGraph* quantized);

}  // namespace hb_dnn::mapper

#endif  // HB_DNN_TOOLS_HB_MAPPER_PARTITION_H_
