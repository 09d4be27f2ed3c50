#include "tools/hb_mapper/graph_runner.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "src/base/status_macros.h"
#include "src/runtime/dtype_map.h"

namespace hb_dnn::mapper {
namespace {

void Allocate(TensorValue* value, size_t bytes) {
  value->bytes = bytes;
  value->words.assign((bytes + 7) / 8, 0);
}

}  // namespace

std::vector<double> RealValuesOf(const GraphTensor& tensor, const TensorValue& value) {
  const int64_t count = tensor.num_elements();
  std::vector<double> real(static_cast<size_t>(count), 0.0);
  const std::vector<float>& scales = tensor.quant.scale;
  int64_t inner = 1;
  if (scales.size() > 1) {
    for (size_t d = static_cast<size_t>(tensor.quant.axis) + 1; d < tensor.shape.size(); ++d) {
      inner *= tensor.shape[d];
    }
  }
  auto scale_at = [&](int64_t k) -> double {
    if (scales.empty()) return 1.0;
    if (scales.size() == 1) return scales[0];
    return scales[static_cast<size_t>((k / inner) % static_cast<int64_t>(scales.size()))];
  };
  for (int64_t k = 0; k < count; ++k) {
    switch (tensor.type) {
      case fb::DataType::F32: real[k] = value.as<float>()[k]; break;
      case fb::DataType::S8: real[k] = value.as<int8_t>()[k] * scale_at(k); break;
      case fb::DataType::S32: real[k] = value.as<int32_t>()[k] * scale_at(k); break;
      default: break;
    }
  }
  return real;
}

double CosineOf(const std::vector<double>& a, const std::vector<double>& b) {
  double dot = 0, na = 0, nb = 0;
  for (size_t k = 0; k < a.size() && k < b.size(); ++k) {
    dot += a[k] * b[k];
    na += a[k] * a[k];
    nb += b[k] * b[k];
  }
  return na == 0 || nb == 0 ? (na == nb ? 1.0 : 0.0) : dot / std::sqrt(na * nb);
}

absl::StatusOr<std::vector<std::vector<std::vector<double>>>> OutputValues(
    const GraphRunner& runner, const Graph& graph,
    const std::vector<std::vector<std::vector<float>>>& inputs) {
  std::vector<bool> keep(graph.tensors.size(), false);
  for (const GraphIo& io : graph.outputs) keep[io.tensor] = true;
  std::vector<std::vector<std::vector<double>>> outputs;
  for (const std::vector<std::vector<float>>& input : inputs) {
    HB_ASSIGN_OR_RETURN(std::vector<TensorValue> values, runner.Run(input, &keep));
    std::vector<std::vector<double>> real;
    for (const GraphIo& io : graph.outputs) {
      real.push_back(RealValuesOf(graph.tensors[io.tensor], values[io.tensor]));
    }
    outputs.push_back(std::move(real));
  }
  return outputs;
}

absl::StatusOr<double> MeanOutputCosine(const GraphRunner& runner, const Graph& graph,
                                        const std::vector<std::vector<std::vector<float>>>& inputs,
                                        const std::vector<std::vector<std::vector<double>>>& want) {
  HB_ASSIGN_OR_RETURN(auto got, OutputValues(runner, graph, inputs));
  double sum = 0;
  int terms = 0;
  for (size_t s = 0; s < got.size() && s < want.size(); ++s) {
    for (size_t k = 0; k < got[s].size() && k < want[s].size(); ++k) {
      sum += CosineOf(want[s][k], got[s][k]);
      ++terms;
    }
  }
  return terms > 0 ? sum / terms : 1.0;
}

absl::StatusOr<std::unique_ptr<GraphRunner>> GraphRunner::Create(
    const Graph& graph, const kernels::OpRegistry& registry) {
  std::unique_ptr<GraphRunner> runner(new GraphRunner(graph, registry));
  runner->infos_.resize(graph.tensors.size());
  for (size_t t = 0; t < graph.tensors.size(); ++t) {
    const GraphTensor& tensor = graph.tensors[t];
    absl::StatusOr<kernels::DType> dtype = runtime::KernelDType(tensor.type);
    if (!dtype.ok()) continue;  // image types: no kernel reads them here
    runner->infos_[t] = {*dtype, tensor.shape, tensor.constant ? tensor.data.data() : nullptr};
  }
  runner->kernels_.resize(graph.nodes.size());
  runner->output_infos_.resize(graph.nodes.size());
  for (size_t n = 0; n < graph.nodes.size(); ++n) HB_RETURN_IF_ERROR(runner->PrepareNode(n));
  runner->last_use_.assign(graph.tensors.size(), -1);
  for (size_t n = 0; n < graph.nodes.size(); ++n) {
    for (int32_t t : graph.nodes[n].inputs) {
      if (t >= 0) runner->last_use_[t] = static_cast<int32_t>(n);
    }
  }
  return runner;
}

absl::Status GraphRunner::PrepareNode(size_t n) {
  const GraphNode& node = graph_.nodes[n];
  HB_ASSIGN_OR_RETURN(kernels::Attributes attrs, KernelAttributes(graph_, node));
  kernels::KernelCreateArgs args{attrs, node.op_version, static_cast<int>(node.inputs.size()),
                                 static_cast<int>(node.outputs.size())};
  absl::StatusOr<std::unique_ptr<kernels::OpKernel>> kernel =
      registry_.Create(node.domain, node.op_type, args);
  if (!kernel.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(node.Label(), ": ", kernel.status().message()));
  }
  std::vector<kernels::TensorInfo> in;
  for (int32_t t : node.inputs) in.push_back(t < 0 ? kernels::TensorInfo() : infos_[t]);
  std::vector<kernels::TensorInfo> out(node.outputs.size());
  absl::Status prepared = (*kernel)->Prepare(in, &out);
  if (!prepared.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(node.Label(), ": ", prepared.message()));
  }
  for (size_t k = 0; k < node.outputs.size(); ++k) {
    int32_t t = node.outputs[k];
    if (t < 0) continue;
    if (out[k].shape != graph_.tensors[t].shape) {
      return absl::InvalidArgumentError(absl::StrCat(
          node.Label(), ": output '", graph_.tensors[t].name, "' has shape ",
          kernels::ShapeString(out[k].shape), ", the graph says ",
          kernels::ShapeString(graph_.tensors[t].shape)));
    }
    infos_[t] = {out[k].dtype, out[k].shape, nullptr};
    out[k].data = nullptr;
  }
  kernels_[n] = std::move(*kernel);
  output_infos_[n] = std::move(out);
  return absl::OkStatus();
}

absl::Status GraphRunner::RefreshNode(size_t n) {
  if (n >= graph_.nodes.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("RefreshNode: node ", n, " of a graph with ", graph_.nodes.size(), " nodes"));
  }
  return PrepareNode(n);
}

absl::StatusOr<std::vector<TensorValue>> GraphRunner::Start(
    const std::vector<std::vector<float>>& inputs) const {
  const Graph& graph = graph_;
  if (inputs.size() != graph.inputs.size()) {
    return absl::InvalidArgumentError(absl::StrCat(inputs.size(), " input tensors for a model with ",
                                                   graph.inputs.size(), " inputs"));
  }
  std::vector<TensorValue> values(graph.tensors.size());
  for (size_t t = 0; t < graph.tensors.size(); ++t) {
    const GraphTensor& tensor = graph.tensors[t];
    if (!tensor.constant) continue;
    Allocate(&values[t], tensor.data.size());
    if (!tensor.data.empty()) std::memcpy(values[t].data(), tensor.data.data(), tensor.data.size());
  }
  for (size_t k = 0; k < inputs.size(); ++k) {
    const GraphTensor& tensor = graph.tensors[graph.inputs[k].tensor];
    const bool byte_input = tensor.type == fb::DataType::U8 || tensor.type == fb::DataType::S8;
    if ((tensor.type != fb::DataType::F32 && !byte_input) ||
        static_cast<int64_t>(inputs[k].size()) != tensor.num_elements()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "input ", k, " '", tensor.name, "' needs ", tensor.num_elements(),
          " values (float32, or image bytes, or int8 with its scale), got ", inputs[k].size()));
    }
    TensorValue& value = values[graph.inputs[k].tensor];
    if (!byte_input) {
      Allocate(&value, inputs[k].size() * sizeof(float));
      std::memcpy(value.data(), inputs[k].data(), inputs[k].size() * sizeof(float));
      continue;
    }
    // Image bytes as they are; an int8 input (remove_node_type Quantize) rounded to its scale.
    Allocate(&value, inputs[k].size());
    uint8_t* bytes = static_cast<uint8_t*>(value.data());
    const double scale = tensor.quant.scale.empty() ? 1.0 : tensor.quant.scale[0];
    for (size_t e = 0; e < inputs[k].size(); ++e) {
      if (tensor.type == fb::DataType::U8) {
        bytes[e] = static_cast<uint8_t>(std::clamp(std::nearbyint(inputs[k][e]), 0.0f, 255.0f));
      } else {
        bytes[e] = static_cast<uint8_t>(static_cast<int8_t>(
            std::clamp(std::nearbyint(inputs[k][e] / scale), -128.0, 127.0)));
      }
    }
  }
  return values;
}

absl::Status GraphRunner::RunNode(size_t n, std::vector<TensorValue>* values,
                                  const std::vector<bool>* keep) const {
  const Graph& graph = graph_;
  if (n >= graph.nodes.size() || values->size() != graph.tensors.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "RunNode: node ", n, " with ", values->size(), " values, for a graph with ",
        graph.nodes.size(), " nodes and ", graph.tensors.size(), " tensors"));
  }
  const GraphNode& node = graph.nodes[n];
  std::vector<kernels::ConstTensorView> in;
  for (int32_t t : node.inputs) {
    if (t < 0) {
      in.emplace_back();
      continue;
    }
    HB_ASSIGN_OR_RETURN(kernels::DType dtype, runtime::KernelDType(graph.tensors[t].type));
    if (!graph.tensors[t].constant && (*values)[t].bytes == 0 &&
        graph.tensors[t].num_elements() > 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          node.Label(), ": input '", graph.tensors[t].name,
          "' has no value (its writer has not run, or it was freed after its last reader)"));
    }
    // Constants are read from the graph, so that a RefreshNode sees the caller's change.
    const void* data =
        graph.tensors[t].constant ? graph.tensors[t].data.data() : (*values)[t].data();
    in.push_back({data, dtype, graph.tensors[t].shape});
  }
  std::vector<kernels::TensorView> out;
  std::vector<TensorValue> scratch(node.outputs.size());
  for (size_t k = 0; k < node.outputs.size(); ++k) {
    const kernels::TensorInfo& info = output_infos_[n][k];
    int32_t t = node.outputs[k];
    TensorValue& value = t >= 0 ? (*values)[t] : scratch[k];
    Allocate(&value, static_cast<size_t>(info.num_elements()) * kernels::DTypeSize(info.dtype));
    out.push_back({value.data(), info.dtype, info.shape});
  }
  absl::Status status = kernels_[n]->Run(in, out);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat(node.Label(), ": ", status.message()));
  }
  if (keep != nullptr) {
    for (int32_t t : node.inputs) {
      if (t >= 0 && last_use_[t] == static_cast<int32_t>(n) && !(*keep)[t] &&
          !graph.tensors[t].constant) {
        (*values)[t] = TensorValue();
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<TensorValue>> GraphRunner::Run(
    const std::vector<std::vector<float>>& inputs, const std::vector<bool>* keep) const {
  HB_ASSIGN_OR_RETURN(std::vector<TensorValue> values, Start(inputs));
  for (size_t n = 0; n < graph_.nodes.size(); ++n) HB_RETURN_IF_ERROR(RunNode(n, &values, keep));
  return values;
}

namespace {

// Runs BPU node `node` of `quantized` alone on the float graph's values of its run-time inputs
// (quantized by a QuantizeLinear with their scales); returns its output's real values.
absl::StatusOr<std::vector<double>> RunAlone(const Graph& float_graph, const Graph& quantized,
                                             const GraphNode& node,
                                             const std::vector<TensorValue>& want) {
  Graph g;
  std::vector<std::vector<float>> inputs;
  GraphNode copy = node;
  for (size_t k = 0; k < node.inputs.size(); ++k) {
    int32_t t = node.inputs[k];
    if (t < 0) continue;
    const GraphTensor& q = quantized.tensors[t];
    g.tensors.push_back(q);
    int32_t local = static_cast<int32_t>(g.tensors.size()) - 1;
    copy.inputs[k] = local;
    if (q.constant) continue;
    std::string float_name = q.name.substr(0, q.name.size() - 5);  // "_int8"
    int32_t f = float_graph.FindTensor(float_name);
    if (f < 0 || q.type != fb::DataType::S8 || q.quant.scale.size() != 1) {
      return absl::NotFoundError(absl::StrCat("no float value for '", q.name, "'"));
    }
    int32_t in = g.AddTensor(float_name, float_graph.tensors[f].shape, fb::DataType::F32);
    GraphIo io;
    io.tensor = in;
    g.inputs.push_back(io);
    const float* x = want[f].as<float>();
    inputs.emplace_back(x, x + float_graph.tensors[f].num_elements());
    GraphNode quantize;
    quantize.name = float_name + "_quantize";
    quantize.op_type = "QuantizeLinear";
    quantize.op_version = 13;
    quantize.inputs = {in,
                       g.AddConstant("scale", {1}, fb::DataType::F32, BytesOf(q.quant.scale)),
                       g.AddConstant("zero_point", {1}, fb::DataType::S8, std::string(1, '\0'))};
    quantize.outputs = {local};
    g.nodes.push_back(std::move(quantize));
  }
  g.tensors.push_back(quantized.tensors[node.outputs[0]]);
  copy.outputs = {static_cast<int32_t>(g.tensors.size()) - 1};
  g.nodes.push_back(std::move(copy));
  HB_ASSIGN_OR_RETURN(std::unique_ptr<GraphRunner> runner,
                      GraphRunner::Create(g, kernels::OpRegistry::Builtin()));
  HB_ASSIGN_OR_RETURN(std::vector<TensorValue> got, runner->Run(inputs));
  return RealValuesOf(g.tensors.back(), got.back());
}

}  // namespace

absl::StatusOr<std::vector<TensorAgreement>> CompareGraphs(
    const Graph& float_graph, const Graph& quantized,
    const std::vector<std::vector<float>>& inputs) {
  HB_ASSIGN_OR_RETURN(std::unique_ptr<GraphRunner> float_runner,
                      GraphRunner::Create(float_graph, kernels::OpRegistry::Builtin()));
  HB_ASSIGN_OR_RETURN(std::unique_ptr<GraphRunner> quantized_runner,
                      GraphRunner::Create(quantized, kernels::OpRegistry::Builtin()));
  HB_ASSIGN_OR_RETURN(std::vector<TensorValue> want, float_runner->Run(inputs));
  HB_ASSIGN_OR_RETURN(std::vector<TensorValue> got, quantized_runner->Run(inputs));
  std::map<std::string, int32_t> by_name;
  for (size_t t = float_graph.tensors.size(); t < quantized.tensors.size(); ++t) {
    by_name.emplace(quantized.tensors[t].name, static_cast<int32_t>(t));
  }
  std::vector<bool> written(quantized.tensors.size(), false);
  std::vector<int32_t> writer(quantized.tensors.size(), -1);
  for (size_t n = 0; n < quantized.nodes.size(); ++n) {
    for (int32_t t : quantized.nodes[n].outputs) {
      if (t >= 0) {
        written[t] = true;
        writer[t] = static_cast<int32_t>(n);
      }
    }
  }
  std::vector<TensorAgreement> rows;
  for (const GraphNode& node : float_graph.nodes) {
    for (int32_t t : node.outputs) {
      if (t < 0 || float_graph.tensors[t].type != fb::DataType::F32) continue;
      TensorAgreement row;
      row.tensor = t;
      row.name = float_graph.tensors[t].name;
      row.op_type = node.op_type;
      int32_t q = -1;
      for (const char* suffix : {"_int8", "_int32"}) {
        auto found = by_name.find(row.name + suffix);
        if (found != by_name.end() && written[found->second]) q = found->second;
      }
      row.on_bpu = q >= 0;
      if (q < 0 && written[t]) q = t;
      if (q < 0) continue;
      if (row.on_bpu && !quantized.tensors[q].quant.scale.empty()) {
        row.scale = quantized.tensors[q].quant.scale[0];
      }
      std::vector<double> a = RealValuesOf(float_graph.tensors[t], want[t]);
      std::vector<double> b = RealValuesOf(quantized.tensors[q], got[q]);
      double dot = 0, na = 0, nb = 0;
      for (size_t k = 0; k < a.size() && k < b.size(); ++k) {
        dot += a[k] * b[k];
        na += a[k] * a[k];
        nb += b[k] * b[k];
        row.max_abs_error = std::max(row.max_abs_error, std::fabs(a[k] - b[k]));
        row.abs_max = std::max(row.abs_max, std::fabs(a[k]));
      }
      row.cosine = na == 0 || nb == 0 ? (na == nb ? 1.0 : 0.0) : dot / std::sqrt(na * nb);
      if (row.on_bpu && quantized.tensors[q].type == fb::DataType::S8 && row.scale > 0) {
        std::vector<double> grid(a.size());
        for (size_t k = 0; k < a.size(); ++k) {
          grid[k] = std::clamp(std::nearbyint(a[k] / row.scale), -128.0, 127.0) * row.scale;
        }
        row.grid_cosine = CosineOf(a, grid);
      }
      const GraphNode* bpu_node = row.on_bpu ? &quantized.nodes[writer[q]] : nullptr;
      if (bpu_node != nullptr && !bpu_node->domain.empty()) {
        absl::StatusOr<std::vector<double>> alone =
            RunAlone(float_graph, quantized, *bpu_node, want);
        if (alone.ok()) row.local_cosine = CosineOf(a, *alone);
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

}  // namespace hb_dnn::mapper
