#ifndef HB_DNN_TOOLS_HB_MAPPER_MAPPER_REPORT_H_
#define HB_DNN_TOOLS_HB_MAPPER_MAPPER_REPORT_H_

// What `hb_mapper checker` prints and what `hb_mapper makertbin` writes next to the model.

#include <string>
#include <vector>

#include "tools/hb_mapper/converter.h"

namespace hb_dnn::mapper {

// One row per node, columns padded to their widest cell:
//   Node  Type  Output shape  ON  Reason
// followed by "<n> nodes: <b> on BPU, <c> on CPU".
std::string PlacementTable(const std::vector<NodePlacement>& placements);

// The makertbin report as text (<prefix>_report.txt): model path, placement table, per-output
// cosine similarity / max abs error, per-segment modelled latency and the total.
std::string ReportText(const ConversionResult& result);

// The same as one JSON object (<prefix>_report.json):
//   {"model": ..., "nodes": [{"name", "op_type", "output_shape", "on", "reason"}...],
//    "outputs": [{"name", "cosine", "max_abs_error"}...],
//    "segments": [{"name", "on", "function_calls", "modelled_us"}...], "total_modelled_us": n}
std::string ReportJson(const ConversionResult& result);

// A JSON string literal of `text` (quotes included).
std::string JsonString(const std::string& text);

}  // namespace hb_dnn::mapper

#endif  // HB_DNN_TOOLS_HB_MAPPER_MAPPER_REPORT_H_
