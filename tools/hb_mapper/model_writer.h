#ifndef HB_DNN_TOOLS_HB_MAPPER_MODEL_WRITER_H_
#define HB_DNN_TOOLS_HB_MAPPER_MODEL_WRITER_H_

// Writes a partitioned graph as one hbm model: only the tensors some node or I/O uses (names
// made unique), its nodes in graph order, CPU segments and BPU segments of function-calls with
// their modelled durations.

#include <vector>

#include "absl/status/status.h"
#include "tools/hb_mapper/graph.h"
#include "tools/hb_mapper/partition.h"
#include "tools/model_builder/model_builder.h"

namespace hb_dnn::mapper {

absl::Status AddGraphModel(const Graph& graph, const std::vector<PlannedSegment>& segments,
                           int core_num, tools::PackageBuilder* package);

}  // namespace hb_dnn::mapper

#endif  // HB_DNN_TOOLS_HB_MAPPER_MODEL_WRITER_H_
