#include "tools/hb_mapper/model_writer.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "src/base/status_macros.h"
#include "tools/hb_mapper/fc_split.h"

namespace hb_dnn::mapper {

absl::Status AddGraphModel(const Graph& graph, const std::vector<PlannedSegment>& segments,
                           int core_num, tools::PackageBuilder* package) {
  std::vector<bool> used(graph.tensors.size(), false);
  for (const GraphNode& node : graph.nodes) {
    for (int32_t t : node.inputs) {
      if (t >= 0) used[t] = true;
    }
    for (int32_t t : node.outputs) {
      if (t >= 0) used[t] = true;
    }
    for (const tools::Attr& a : node.attributes) {
      if (a.type == fb::AttributeType::TENSOR && a.tensor >= 0) used[a.tensor] = true;
    }
  }
  for (const GraphIo& io : graph.inputs) used[io.tensor] = true;
  for (const GraphIo& io : graph.outputs) used[io.tensor] = true;

  tools::ModelBuilder& m = package->AddModel(graph.name, graph.march);
  std::vector<int32_t> index(graph.tensors.size(), -1);
  std::set<std::string> names;
  for (size_t t = 0; t < graph.tensors.size(); ++t) {
    if (!used[t]) continue;
    const GraphTensor& tensor = graph.tensors[t];
    std::string name = tensor.name;
    for (int k = 1; !names.insert(name).second; ++k) name = absl::StrCat(tensor.name, "_", k);
    index[t] = tensor.constant
                   ? m.AddConstant(name, tensor.shape, tensor.type, tensor.data, tensor.quant)
                   : m.AddTensor(name, tensor.shape, tensor.type, tensor.quant);
  }
  auto mapped = [&](const std::vector<int32_t>& list) {
    std::vector<int32_t> out;
    for (int32_t t : list) out.push_back(t < 0 ? -1 : index[t]);
    return out;
  };
  for (const GraphNode& node : graph.nodes) {
    std::vector<tools::Attr> attrs = node.attributes;
    for (tools::Attr& a : attrs) {
      if (a.type == fb::AttributeType::TENSOR && a.tensor >= 0) a.tensor = index[a.tensor];
    }
    m.AddNode(node.name, node.op_type, mapped(node.inputs), mapped(node.outputs),
              std::move(attrs), node.op_version, node.domain);
  }
  for (const PlannedSegment& segment : segments) {
    if (!segment.bpu) {
      std::vector<uint32_t> nodes(segment.nodes.begin(), segment.nodes.end());
      m.AddCpuSegment(std::move(nodes), segment.name);
      continue;
    }
    std::vector<tools::FunctionCallSpec> fcs;
    for (const PlannedFunctionCall& fc : segment.function_calls) {
      tools::FunctionCallSpec spec;
      spec.nodes.assign(fc.nodes.begin(), fc.nodes.end());
      spec.modelled_duration_us = FunctionCallMicros(fc.modelled_ns);
      fcs.push_back(std::move(spec));
    }
    m.AddBpuSegment(std::move(fcs), segment.name, core_num);
  }
  for (const GraphIo& io : graph.inputs) HB_RETURN_IF_ERROR(m.AddInput(index[io.tensor], io.spec));
  for (const GraphIo& io : graph.outputs) {
    HB_RETURN_IF_ERROR(m.AddOutput(index[io.tensor], io.spec));
  }
  for (const auto& [key, value] : graph.metadata) m.AddMetadata(key, value);
  return absl::OkStatus();
}

}  // namespace hb_dnn::mapper
