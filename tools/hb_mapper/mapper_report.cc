#include "tools/hb_mapper/mapper_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace hb_dnn::mapper {
namespace {

std::string ShapeText(const std::vector<int64_t>& shape) {
  return shape.empty() ? "-" : absl::StrJoin(shape, "x");
}

// Rows of cells -> lines with every column padded to its widest cell (the last one unpadded).
std::string Table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  size_t total = 0;
  for (size_t w : widths) total += w + 2;
  std::string out;
  for (size_t r = 0; r < rows.size(); ++r) {
    std::string line;
    for (size_t c = 0; c < rows[r].size(); ++c) {
      bool last = c + 1 == rows[r].size();
      absl::StrAppend(&line, rows[r][c],
                      last ? "" : std::string(widths[c] - rows[r][c].size() + 2, ' '));
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    absl::StrAppend(&out, line, "\n");
    if (r == 0) absl::StrAppend(&out, std::string(total > 2 ? total - 2 : 0, '-'), "\n");
  }
  return out;
}

std::string Number(double v) {
  if (std::isnan(v)) return "nan";
  return absl::StrFormat("%.6f", v);
}

std::string JsonNumber(double v) {
  if (!std::isfinite(v)) return "null";
  return absl::StrFormat("%.9g", v);
}

int64_t TotalUs(const ConversionResult& result) {
  int64_t total = 0;
  for (const SegmentLatency& s : result.segments) total += s.modelled_us;
  return total;
}

}  // namespace

std::string PlacementTable(const std::vector<NodePlacement>& placements) {
  std::vector<std::vector<std::string>> rows = {{"Node", "Type", "Output shape", "ON", "Reason"}};
  int bpu = 0;
  for (const NodePlacement& p : placements) {
    rows.push_back({p.name, p.op_type, ShapeText(p.output_shape), p.on_bpu ? "BPU" : "CPU",
                    p.reason.empty() ? "" : p.reason});
    bpu += p.on_bpu ? 1 : 0;
  }
  return absl::StrCat(Table(rows), placements.size(), " nodes: ", bpu, " on BPU, ",
                      placements.size() - bpu, " on CPU\n");
}

std::string ReportText(const ConversionResult& result) {
  std::string out = absl::StrCat("model: ", result.model_path, "\n\nNode placement\n",
                                 PlacementTable(result.placements));
  std::vector<std::vector<std::string>> outputs = {{"Output", "Cosine", "Max abs error"}};
  for (const OutputAccuracy& a : result.accuracy) {
    outputs.push_back({a.name, Number(a.cosine), absl::StrFormat("%.6g", a.max_abs_error)});
  }
  absl::StrAppend(&out, "\nAccuracy (quantized vs float, first calibration sample)\n",
                  Table(outputs));
  std::vector<std::vector<std::string>> segments = {{"Segment", "ON", "FCs", "Modelled us"}};
  for (const SegmentLatency& s : result.segments) {
    segments.push_back({s.name, s.bpu ? "BPU" : "CPU", s.bpu ? absl::StrCat(s.function_calls) : "-",
                        s.bpu ? absl::StrCat(s.modelled_us) : "-"});
  }
  absl::StrAppend(&out, "\nModelled latency per segment (BPU function-calls, march profile)\n",
                  Table(segments), "total modelled BPU time: ", TotalUs(result), " us\n");
  const PerformanceEstimate& perf = result.performance;
  if (perf.valid) {
    std::vector<std::vector<std::string>> fcs = {
        {"Segment", "FC", "Nodes", "First node", "Last node", "MACs", "Bytes", "Modelled us"}};
    for (const FunctionCallEstimate& fc : perf.function_calls) {
      fcs.push_back({fc.segment, absl::StrCat(fc.index), absl::StrCat(fc.nodes), fc.first_node,
                     fc.last_node, absl::StrCat(fc.macs), absl::StrCat(fc.bytes),
                     absl::StrFormat("%.1f", static_cast<double>(fc.modelled_ns) / 1000.0)});
    }
    absl::StrAppend(
        &out, "\nPerformance estimate (compiler_parameters.debug; one core, BPU only)\n",
        Table(fcs), "BPU time per frame: ",
        absl::StrFormat("%.1f", static_cast<double>(perf.bpu_ns) / 1000.0),
        " us (with the per-function-call overhead)\nframe rate: ",
        absl::StrFormat("%.1f", perf.frames_per_second), " frames/s\nDDR traffic: ", perf.bytes,
        " bytes per frame, ", absl::StrFormat("%.3f", perf.ddr_gb_per_second), " GB/s\n");
  }
  return out;
}

std::string JsonString(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string ReportJson(const ConversionResult& result) {
  std::vector<std::string> nodes, outputs, segments;
  for (const NodePlacement& p : result.placements) {
    nodes.push_back(
        absl::StrCat("{\"name\": ", JsonString(p.name), ", \"op_type\": ", JsonString(p.op_type),
                     ", \"output_shape\": [", absl::StrJoin(p.output_shape, ", "), "], \"on\": \"",
                     p.on_bpu ? "BPU" : "CPU", "\", \"reason\": ", JsonString(p.reason), "}"));
  }
  for (const OutputAccuracy& a : result.accuracy) {
    outputs.push_back(absl::StrCat("{\"name\": ", JsonString(a.name),
                                   ", \"cosine\": ", JsonNumber(a.cosine),
                                   ", \"max_abs_error\": ", JsonNumber(a.max_abs_error), "}"));
  }
  for (const SegmentLatency& s : result.segments) {
    segments.push_back(absl::StrCat(
        "{\"name\": ", JsonString(s.name), ", \"on\": \"", s.bpu ? "BPU" : "CPU",
        "\", \"function_calls\": ", s.function_calls, ", \"modelled_us\": ", s.modelled_us, "}"));
  }
  std::string performance;
  const PerformanceEstimate& perf = result.performance;
  if (perf.valid) {
    std::vector<std::string> fcs;
    for (const FunctionCallEstimate& fc : perf.function_calls) {
      fcs.push_back(absl::StrCat(
          "{\"segment\": ", JsonString(fc.segment), ", \"index\": ", fc.index,
          ", \"nodes\": ", fc.nodes, ", \"first_node\": ", JsonString(fc.first_node),
          ", \"last_node\": ", JsonString(fc.last_node), ", \"macs\": ", fc.macs,
          ", \"bytes\": ", fc.bytes, ", \"modelled_ns\": ", fc.modelled_ns, "}"));
    }
    performance = absl::StrCat(
        ",\n  \"performance\": {\"bpu_ns\": ", perf.bpu_ns, ", \"macs\": ", perf.macs,
        ", \"bytes\": ", perf.bytes, ", \"frames_per_second\": ",
        JsonNumber(perf.frames_per_second), ", \"ddr_gb_per_second\": ",
        JsonNumber(perf.ddr_gb_per_second), ",\n    \"function_calls\": [\n      ",
        absl::StrJoin(fcs, ",\n      "), "\n    ]}");
  }
  return absl::StrCat("{\n  \"model\": ", JsonString(result.model_path), ",\n  \"nodes\": [\n    ",
                      absl::StrJoin(nodes, ",\n    "), "\n  ],\n  \"outputs\": [\n    ",
                      absl::StrJoin(outputs, ",\n    "), "\n  ],\n  \"segments\": [\n    ",
                      absl::StrJoin(segments, ",\n    "),
                      "\n  ],\n  \"total_modelled_us\": ", TotalUs(result), performance,
                      "\n}\n");
}

}  // namespace hb_dnn::mapper
