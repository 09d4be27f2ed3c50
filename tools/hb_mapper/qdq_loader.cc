#include "tools/hb_mapper/qdq_loader.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "src/base/status_macros.h"
#include "tools/onnx_import/onnx_proto_util.h"

namespace hb_dnn::mapper {
namespace {

// One value of a constant integer tensor as double.
double IntegerAt(const GraphTensor& t, size_t k) {
  switch (t.type) {
    case fb::DataType::U8: return static_cast<uint8_t>(t.data[k]);
    case fb::DataType::S8: return static_cast<int8_t>(t.data[k]);
    default: return 0;
  }
}

}  // namespace

absl::StatusOr<std::map<std::string, std::vector<float>>> WeightScalesOf(
    const onnx::ModelProto& model) {
  std::map<std::string, const onnx::TensorProto*> constants;
  for (const onnx::TensorProto& t : model.graph().initializer()) constants[t.name()] = &t;
  for (const onnx::NodeProto& node : model.graph().node()) {
    if (node.op_type() != "Constant" || node.output_size() != 1) continue;
    for (const onnx::AttributeProto& a : node.attribute()) {
      if (a.name() == "value" && a.has_t()) constants[node.output(0)] = &a.t();
    }
  }
  std::map<std::string, std::vector<float>> scales;
  for (const onnx::NodeProto& node : model.graph().node()) {
    if (node.op_type() != "DequantizeLinear" || node.input_size() < 2) continue;
    auto x = constants.find(node.input(0));
    auto s = constants.find(node.input(1));
    if (x == constants.end() || s == constants.end()) continue;
    if (x->second->data_type() != onnx::TensorProto::INT8) continue;
    HB_ASSIGN_OR_RETURN(onnx_import::DecodedTensor scale, onnx_import::DecodeTensor(*s->second));
    if (scale.dtype != kernels::DType::kF32) continue;
    std::vector<float> values(scale.bytes.size() / sizeof(float));
    std::memcpy(values.data(), scale.bytes.data(), values.size() * sizeof(float));
    scales[node.output(0)] = std::move(values);
  }
  return scales;
}

absl::StatusOr<LoadedScales> StripQdqPairs(Graph* graph) {
  LoadedScales loaded;
  loaded.activation.assign(graph->tensors.size(), 0.0f);
  std::vector<int32_t> producers = graph->Producers();
  std::vector<std::vector<int32_t>> consumers = graph->Consumers();
  std::vector<int32_t> replace(graph->tensors.size(), -1);
  std::set<int32_t> removed;
  for (size_t k = 0; k < graph->nodes.size(); ++k) {
    const GraphNode& dq = graph->nodes[k];
    if (dq.op_type != "DequantizeLinear" || !dq.domain.empty()) continue;
    // Exporters may put a Cast (to the same integer type) between the pair.
    int32_t q_index = producers[dq.inputs[0]];
    int32_t cast_index = -1;
    if (q_index >= 0 && graph->nodes[q_index].op_type == "Cast" &&
        consumers[graph->nodes[q_index].outputs[0]].size() == 1) {
      cast_index = q_index;
      q_index = producers[graph->nodes[cast_index].inputs[0]];
    }
    if (q_index < 0) continue;
    const GraphNode& q = graph->nodes[q_index];
    if (q.op_type != "QuantizeLinear") continue;
    int32_t x = q.inputs[0];
    const GraphTensor& scale = graph->tensors[q.inputs[1]];
    if (!scale.constant || scale.type != fb::DataType::F32 || scale.num_elements() != 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          q.Label(), ": only per-tensor activation scales can be loaded, '", scale.name,
          "' has ", scale.num_elements(), " values"));
    }
    double s = scale.Floats()[0];
    double zp = 0, qmin = 0, qmax = 255;
    const GraphTensor& out = graph->tensors[q.outputs[0]];
    if (out.type == fb::DataType::S8) {
      qmin = -128;
      qmax = 127;
    }
    if (q.inputs.size() > 2 && q.inputs[2] >= 0) zp = IntegerAt(graph->tensors[q.inputs[2]], 0);
    double range = std::max(std::fabs((qmin - zp) * s), std::fabs((qmax - zp) * s));
    loaded.activation[x] = static_cast<float>(range / 127.0);
    replace[dq.outputs[0]] = x;
    removed.insert(static_cast<int32_t>(k));
    if (cast_index >= 0) removed.insert(cast_index);
    ++loaded.removed_pairs;
  }
  // A QuantizeLinear goes when nothing but removed nodes reads it.
  for (size_t k = 0; k < graph->nodes.size(); ++k) {
    const GraphNode& q = graph->nodes[k];
    if (q.op_type != "QuantizeLinear") continue;
    bool unread = true;
    for (int32_t c : consumers[q.outputs[0]]) unread = unread && removed.count(c) > 0;
    if (unread && !graph->IsGraphOutput(q.outputs[0])) removed.insert(static_cast<int32_t>(k));
  }
  if (loaded.removed_pairs == 0) {
    return absl::InvalidArgumentError(
        "calibration_type load: the model has no QuantizeLinear/DequantizeLinear pair to take "
        "scales from");
  }
  std::vector<GraphNode> nodes;
  for (size_t k = 0; k < graph->nodes.size(); ++k) {
    if (removed.count(static_cast<int32_t>(k)) > 0) continue;
    GraphNode node = graph->nodes[k];
    for (int32_t& t : node.inputs) {
      if (t >= 0 && replace[t] >= 0) t = replace[t];
    }
    nodes.push_back(std::move(node));
  }
  for (GraphIo& io : graph->outputs) {
    if (replace[io.tensor] >= 0) io.tensor = replace[io.tensor];
  }
  graph->nodes = std::move(nodes);
  return loaded;
}

}  // namespace hb_dnn::mapper
