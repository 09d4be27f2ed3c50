#include "tools/hb_mapper/converter.h"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "src/base/aligned_buffer.h"
#include "src/base/status_macros.h"
#include "src/bpu/march_profile.h"
#include "src/kernels/op_registry.h"
#include "src/runtime/model.h"
#include "src/runtime/model_loader.h"
#include "src/runtime/program.h"
#include "tools/hb_mapper/bias_correction.h"
#include "tools/hb_mapper/calibration.h"
#include "tools/hb_mapper/cpu_fallback.h"
#include "tools/hb_mapper/fc_split.h"
#include "tools/hb_mapper/graph.h"
#include "tools/hb_mapper/graph_runner.h"
#include "tools/hb_mapper/input_preprocess.h"
#include "tools/hb_mapper/model_writer.h"
#include "tools/hb_mapper/partition.h"
#include "tools/hb_mapper/placement.h"
#include "tools/hb_mapper/qdq_loader.h"
#include "tools/hb_mapper/quantize.h"
#include "tools/onnx_import/onnx_importer.h"
#include "tools/onnx_import/onnx_proto_util.h"

namespace hb_dnn::mapper {
namespace {

constexpr int kMaxOutputs = 32;
// Bias correction (bias_correction.h) measures on up to 4 samples, each costing one float and
// one quantized run, and judges on up to 2 others: a third of the samples when there are 3 or
// more (so the keep-or-restore decision is not taken on the inputs the shifts were fitted to),
// else on the same ones.
constexpr size_t kBiasCorrectionFitSamples = 4;
constexpr size_t kBiasCorrectionJudgeSamples = 2;
// cosine_target judges each candidate placement on at most this many calibration samples.
constexpr size_t kCpuFallbackSamples = 4;

std::string ShapeText(const onnx::ValueInfoProto& info) {
  std::vector<std::string> dims;
  for (const auto& d : info.type().tensor_type().shape().dim()) {
    dims.push_back(d.has_dim_value() ? absl::StrCat(d.dim_value()) : "0");
  }
  return absl::StrCat("[", absl::StrJoin(dims, ", "), "]");
}

// The ONNX graph's real inputs (initializers listed as inputs excluded).
std::vector<const onnx::ValueInfoProto*> GraphInputs(const onnx::ModelProto& model) {
  std::set<std::string> initializers;
  for (const onnx::TensorProto& t : model.graph().initializer()) initializers.insert(t.name());
  std::vector<const onnx::ValueInfoProto*> inputs;
  for (const onnx::ValueInfoProto& info : model.graph().input()) {
    if (initializers.count(info.name()) == 0) inputs.push_back(&info);
  }
  return inputs;
}

// The checker's model-level errors, in the seed's wording.
absl::Status PrecheckModel(const onnx::ModelProto& model,
                           const std::map<std::string, std::vector<int64_t>>& input_shapes) {
  for (const onnx::ValueInfoProto* info : GraphInputs(model)) {
    if (input_shapes.count(info->name()) > 0) continue;
    bool dynamic = !info->type().tensor_type().has_shape();
    for (const auto& d : info->type().tensor_type().shape().dim()) {
      dynamic = dynamic || !d.has_dim_value() || d.dim_value() <= 0;
    }
    if (dynamic) {
      return absl::InvalidArgumentError(absl::StrCat(
          "The shape of model input:", info->name(), " is ", ShapeText(*info),
          " which has dimensions of 0. Please specify input-shape parameter."));
    }
  }
  std::set<std::string> custom;
  std::set<std::string> domains;
  for (const onnx::NodeProto& node : model.graph().node()) {
    if (!node.domain().empty() && node.domain() != "ai.onnx") {
      custom.insert(absl::StrCat("'", node.op_type(), "'"));
      domains.insert(node.domain());
    }
  }
  if (!custom.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "nodes:[", absl::StrJoin(custom, ", "), "] are specified as domain:",
        absl::StrJoin(domains, ","),
        ", which are not supported by official onnx. Please check whether these ops are "
        "official onnx ops or defined by yourself"));
  }
  if (model.graph().output_size() > kMaxOutputs) {
    return absl::InvalidArgumentError(absl::StrCat(
        "tool limits for max output num is ", kMaxOutputs, " (the model has ",
        model.graph().output_size(), ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Graph> ImportGraph(const onnx::ModelProto& model, const std::string& path,
                                  const std::string& march,
                                  const std::map<std::string, std::vector<int64_t>>& shapes,
                                  std::vector<std::string>* log) {
  onnx_import::ImportOptions options;
  options.march = march;
  options.input_shapes = shapes;
  options.source = path;
  tools::PackageBuilder package;
  absl::StatusOr<onnx_import::ImportReport> report =
      onnx_import::ImportOnnx(model, options, &package);
  if (!report.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("model conversion failed: ", report.status().message()));
  }
  if (log != nullptr) {
    log->push_back(absl::StrCat("import ", path, ": ", onnx_import::SummaryLine(*report)));
    for (const std::string& note : report->notes) log->push_back("import: " + note);
  }
  HB_ASSIGN_OR_RETURN(std::string bytes, package.Serialize());
  return GraphFromPackageBytes(bytes);
}

struct Prepared {
  onnx::ModelProto proto;
  Graph graph;
};

absl::StatusOr<Prepared> ReadAndImport(const std::string& path, const std::string& march,
                                       const std::map<std::string, std::vector<int64_t>>& shapes,
                                       std::vector<std::string>* log) {
  Prepared prepared;
  absl::StatusOr<onnx::ModelProto> proto = onnx_import::ReadModelFile(path);
  if (!proto.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Start to parse the onnx model: ", proto.status().message()));
  }
  prepared.proto = std::move(*proto);
  HB_RETURN_IF_ERROR(PrecheckModel(prepared.proto, shapes));
  HB_ASSIGN_OR_RETURN(prepared.graph, ImportGraph(prepared.proto, path, march, shapes, log));
  return prepared;
}

double Cosine(const std::vector<double>& a, const std::vector<double>& b, double* max_abs) {
  double dot = 0, na = 0, nb = 0;
  *max_abs = 0;
  for (size_t k = 0; k < a.size() && k < b.size(); ++k) {
    dot += a[k] * b[k];
    na += a[k] * a[k];
    nb += b[k] * b[k];
    *max_abs = std::max(*max_abs, std::fabs(a[k] - b[k]));
  }
  if (na == 0 && nb == 0) return 1.0;
  if (na == 0 || nb == 0) return 0.0;
  return dot / std::sqrt(na * nb);
}

// Real values of an output's bytes (float, or integer with SCALE quantization).
std::vector<double> RealValues(const uint8_t* data, size_t bytes, const GraphTensor& tensor) {
  std::vector<double> values;
  size_t count = static_cast<size_t>(tensor.num_elements());
  const std::vector<float>& scales = tensor.quant.scale;
  size_t inner = 1;
  if (scales.size() > 1) {
    for (size_t d = static_cast<size_t>(tensor.quant.axis) + 1; d < tensor.shape.size(); ++d) {
      inner *= static_cast<size_t>(tensor.shape[d]);
    }
  }
  auto scale_at = [&](size_t k) -> double {
    if (scales.empty()) return 1.0;
    if (scales.size() == 1) return scales[0];
    return scales[(k / inner) % scales.size()];
  };
  for (size_t k = 0; k < count; ++k) {
    switch (tensor.type) {
      case fb::DataType::F32: {
        float v;
        std::memcpy(&v, data + 4 * k, 4);
        values.push_back(v);
        break;
      }
      case fb::DataType::S8:
        values.push_back(static_cast<int8_t>(data[k]) * scale_at(k));
        break;
      case fb::DataType::S32: {
        int32_t v;
        std::memcpy(&v, data + 4 * k, 4);
        values.push_back(v * scale_at(k));
        break;
      }
      default:
        break;
    }
  }
  (void)bytes;
  return values;
}

// Runs the written model's program (BPU function-calls included, on the calling thread).
absl::StatusOr<std::vector<std::vector<double>>> RunWrittenModel(
    const std::string& bytes, const Graph& graph, const CalibrationSample& sample) {
  AlignedBytes data = AllocateAligned(bytes.size());
  std::memcpy(data.get(), bytes.data(), bytes.size());
  HB_ASSIGN_OR_RETURN(const fb::Package* package,
                      runtime::VerifyPackage(data.get(), bytes.size(), "converted"));
  runtime::Model model(package->models()->Get(0), data.get(), package);
  HB_ASSIGN_OR_RETURN(std::unique_ptr<runtime::Program> program,
                      runtime::Program::Build(model, kernels::OpRegistry::Builtin()));
  HB_ASSIGN_OR_RETURN(std::unique_ptr<runtime::Program::ExecutionContext> context,
                      program->Acquire());
  for (size_t k = 0; k < graph.inputs.size(); ++k) {
    const GraphTensor& t = graph.tensors[graph.inputs[k].tensor];
    uint8_t* in = program->InputData(*context, k);
    if (t.type == fb::DataType::F32) {
      std::memcpy(in, sample[k].data(), sample[k].size() * sizeof(float));
    } else if (t.type == fb::DataType::U8) {  // image bytes (RuntimeInputsFor)
      for (size_t e = 0; e < sample[k].size(); ++e) in[e] = static_cast<uint8_t>(sample[k][e]);
    } else {
      float scale = t.quant.scale.empty() ? 1.0f : t.quant.scale[0];
      for (size_t e = 0; e < sample[k].size(); ++e) {
        double q = std::nearbyint(sample[k][e] / scale);
        in[e] = static_cast<uint8_t>(static_cast<int8_t>(std::min(127.0, std::max(-128.0, q))));
      }
    }
  }
  HB_RETURN_IF_ERROR(program->Run(*context));
  std::vector<std::vector<double>> outputs;
  for (size_t k = 0; k < graph.outputs.size(); ++k) {
    outputs.push_back(RealValues(program->OutputData(*context, k), program->OutputBytes(k),
                                 graph.tensors[graph.outputs[k].tensor]));
  }
  program->Release(std::move(context));
  return outputs;
}

// RuntimeInputsFor of the first `count` samples: what the converted model takes
// (`model_inputs`) and what the float graph after any Preprocess node takes (`float_inputs`).
absl::Status InputsOfSamples(const Graph& graph, const std::vector<CalibrationSample>& samples,
                             size_t count, std::vector<CalibrationSample>* model_inputs,
                             std::vector<CalibrationSample>* float_inputs) {
  for (size_t s = 0; s < samples.size() && s < count; ++s) {
    CalibrationSample runtime_inputs, preprocessed;
    HB_RETURN_IF_ERROR(RuntimeInputsFor(graph, samples[s], &runtime_inputs, &preprocessed));
    model_inputs->push_back(std::move(runtime_inputs));
    float_inputs->push_back(std::move(preprocessed));
  }
  return absl::OkStatus();
}

// cosine_target: the number of leading nodes to run on the CPU (cpu_fallback.h), judged on up to
// kCpuFallbackSamples calibration samples with the model as quantized without bias correction
// (the final conversion adds it). `calibrated`: the scales before PropagateScales.
absl::StatusOr<int32_t> ChooseCpuPrefixFor(const Graph& graph, const Graph& calibration_graph,
                                           const MapperConfig& config,
                                           const std::vector<float>& calibrated,
                                           const QuantizeOptions& quantize_options,
                                           const std::vector<CalibrationSample>& samples,
                                           const Placement& base, std::vector<std::string>* log) {
  const CalibrationConfig& cal = config.calibration;
  std::vector<CalibrationSample> model_inputs, float_inputs;
  HB_RETURN_IF_ERROR(
      InputsOfSamples(graph, samples, kCpuFallbackSamples, &model_inputs, &float_inputs));
  std::vector<std::vector<std::vector<double>>> want;
  {
    HB_ASSIGN_OR_RETURN(std::unique_ptr<GraphRunner> runner,
                        GraphRunner::Create(calibration_graph, kernels::OpRegistry::Builtin()));
    HB_ASSIGN_OR_RETURN(want, OutputValues(*runner, calibration_graph, float_inputs));
  }
  // At most up to the last BPU Conv/Gemm/MatMul, which stays on the BPU; the MACs moved.
  int32_t max_prefix = 0;
  uint64_t bpu_macs = 0;
  for (size_t k = 0; k < graph.nodes.size(); ++k) {
    if (!base.on_bpu[k]) continue;
    const std::string& op = graph.nodes[k].op_type;
    if (op == "Conv" || op == "Gemm" || op == "MatMul") max_prefix = static_cast<int32_t>(k);
    bpu_macs += CostOf(graph, graph.nodes[k]).macs;
  }
  auto cosine_of = [&](int32_t prefix) -> absl::StatusOr<double> {
    HB_ASSIGN_OR_RETURN(Placement placement, PlaceNodes(graph, config.march, cal.run_on_cpu,
                                                        cal.run_on_bpu, prefix));
    if (placement.bpu_nodes == 0) return 0.0;  // not a BPU model any more
    std::vector<float> scales = calibrated;
    PropagateScales(graph, placement, &scales);
    std::vector<std::string> quantize_log;
    HB_ASSIGN_OR_RETURN(QuantizedGraph quantized,
                        QuantizeGraph(graph, placement, scales, quantize_options, &quantize_log));
    HB_ASSIGN_OR_RETURN(std::unique_ptr<GraphRunner> runner,
                        GraphRunner::Create(quantized.graph, kernels::OpRegistry::Builtin()));
    return MeanOutputCosine(*runner, quantized.graph, model_inputs, want);
  };
  HB_ASSIGN_OR_RETURN(CpuPrefixChoice choice,
                      ChooseCpuPrefix(cal.cosine_target, max_prefix, cosine_of));
  uint64_t moved_macs = 0;
  for (int32_t k = 0; k < choice.prefix; ++k) {
    if (base.on_bpu[k]) moved_macs += CostOf(graph, graph.nodes[k]).macs;
  }
  std::string what =
      choice.prefix == 0
          ? std::string("all nodes stay where placed")
          : absl::StrCat("the first ", choice.prefix, " nodes (through '",
                         graph.nodes[choice.prefix - 1].name, "', ",
                         absl::StrFormat("%.1f", bpu_macs > 0 ? 100.0 * moved_macs / bpu_macs : 0),
                         "% of the BPU's multiply-accumulates) run on the CPU: ",
                         choice.cosine_after);
  log->push_back(absl::StrCat(
      "cosine_target ", cal.cosine_target, ": output cosine ", choice.cosine_before, " on ",
      model_inputs.size(), " calibration samples before bias correction; ", what,
      choice.reached ? "" : " (target not reached: the best prefix found is kept)", "; ",
      choice.evaluations, " conversions tried"));
  return choice.prefix;
}

// layer_out_dump: one line per tensor of the float graph in node order, the quantized model's
// value of it against the float one on calibration sample 0.
absl::Status WriteLayerDump(const std::string& path, const std::vector<TensorAgreement>& rows) {
  std::string text =
      "# layer_out_dump: every tensor of the model, the converted model's value against the "
      "float model's, on calibration sample 0.\n"
      "# node_alone: the node run on its inputs' float values rounded to their int8 grid (the "
      "error it adds itself); grid: the float value rounded to the tensor's own int8 grid.\n"
      "# tensor\top\ton\tcosine\tmax_abs_error\tabs_max\tscale\tnode_alone\tgrid\n";
  for (const TensorAgreement& row : rows) {
    absl::StrAppend(&text, row.name, "\t", row.op_type, "\t", row.on_bpu ? "BPU" : "CPU", "\t",
                    absl::StrFormat("%.6f\t%.6g\t%.6g\t%.6g\t%.6f\t%.6f", row.cosine,
                                    row.max_abs_error, row.abs_max, row.scale, row.local_cosine,
                                    row.grid_cosine),
                    "\n");
  }
  std::ofstream file(path, std::ios::trunc);
  file << text;
  if (!file) {
    return absl::PermissionDeniedError(absl::StrCat("cannot write '", path, "'"));
  }
  return absl::OkStatus();
}

PerformanceEstimate EstimatePerformance(const Graph& graph,
                                        const std::vector<PlannedSegment>& segments,
                                        const bpu::MarchProfile& profile) {
  PerformanceEstimate perf;
  perf.valid = true;
  for (const PlannedSegment& segment : segments) {
    if (!segment.bpu) continue;
    for (size_t k = 0; k < segment.function_calls.size(); ++k) {
      const PlannedFunctionCall& fc = segment.function_calls[k];
      if (fc.nodes.empty()) continue;
      FunctionCallEstimate estimate;
      estimate.segment = segment.name;
      estimate.index = static_cast<int>(k);
      estimate.nodes = static_cast<int>(fc.nodes.size());
      estimate.first_node = graph.nodes[fc.nodes.front()].name;
      estimate.last_node = graph.nodes[fc.nodes.back()].name;
      for (int32_t n : fc.nodes) {
        NodeCost cost = CostOf(graph, graph.nodes[n]);
        estimate.macs += cost.macs;
        estimate.bytes += cost.bytes;
      }
      estimate.modelled_ns = fc.modelled_ns;
      perf.macs += estimate.macs;
      perf.bytes += estimate.bytes;
      perf.bpu_ns += fc.modelled_ns + profile.fc_overhead_ns;
      perf.function_calls.push_back(std::move(estimate));
    }
  }
  if (perf.bpu_ns > 0) {
    perf.frames_per_second = 1e9 / static_cast<double>(perf.bpu_ns);
    perf.ddr_gb_per_second = static_cast<double>(perf.bytes) * perf.frames_per_second / 1e9;
  }
  return perf;
}

// Repeats each batch-1 sample along dimension 0 for an input_batch model.
std::vector<CalibrationSample> Batched(const std::vector<CalibrationSample>& samples, int batch) {
  if (batch <= 1) return samples;
  std::vector<CalibrationSample> out;
  for (const CalibrationSample& s : samples) {
    CalibrationSample b;
    for (const std::vector<float>& input : s) {
      std::vector<float> tiled;
      for (int k = 0; k < batch; ++k) tiled.insert(tiled.end(), input.begin(), input.end());
      b.push_back(std::move(tiled));
    }
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<NodePlacement>> CheckModel(const std::string& onnx_path,
                                                      const CheckOptions& options) {
  HB_ASSIGN_OR_RETURN(Prepared prepared,
                      ReadAndImport(onnx_path, options.march, options.input_shapes, nullptr));
  HB_ASSIGN_OR_RETURN(Placement placement, PlaceNodes(prepared.graph, options.march,
                                                      options.run_on_cpu, options.run_on_bpu));
  if (placement.bpu_nodes == 0) return absl::FailedPreconditionError(kNoBpuNodeMessage);
  return PlacementRows(prepared.graph, placement);
}

absl::StatusOr<ConversionResult> Convert(const MapperConfig& config,
                                         const std::vector<CalibrationSample>& input_samples,
                                         const ProgressFn& progress) {
  ConversionResult result;
  std::vector<std::string>& log = result.log;
  const CalibrationConfig& cal = config.calibration;
  const bool load = cal.calibration_type == "load";
  CalibrationMethod method = CalibrationMethod::kDefault;
  if (!load) {
    HB_ASSIGN_OR_RETURN(method, ParseCalibrationMethod(cal.calibration_type));
    if (input_samples.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "no calibration data: calibration_type '", cal.calibration_type,
          "' needs at least one sample (check cal_data_dir)"));
    }
  }
  if (config.input_batch < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("input_batch ", config.input_batch, " must be at least 1"));
  }
  HB_ASSIGN_OR_RETURN(const bpu::MarchProfile* profile, bpu::FindMarchProfile(config.march));

  // Input shapes: the configured ones, or the file's; input_batch replaces dimension 0.
  absl::StatusOr<onnx::ModelProto> proto = onnx_import::ReadModelFile(config.onnx_model);
  if (!proto.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Start to parse the onnx model: ", proto.status().message()));
  }
  std::vector<const onnx::ValueInfoProto*> onnx_inputs = GraphInputs(*proto);
  std::map<std::string, std::vector<int64_t>> shapes;
  for (size_t k = 0; k < onnx_inputs.size(); ++k) {
    const InputConfig* input = k < config.inputs.size() ? &config.inputs[k] : nullptr;
    std::string name = onnx_inputs[k]->name();
    if (input != nullptr && !input->name.empty()) name = input->name;
    std::vector<int64_t> shape;
    if (input != nullptr && !input->input_shape.empty()) {
      shape = input->input_shape;
    } else if (config.input_batch > 1) {
      for (const auto& d : onnx_inputs[k]->type().tensor_type().shape().dim()) {
        shape.push_back(d.dim_value());
      }
    }
    if (!shape.empty() && config.input_batch > 1) shape[0] = config.input_batch;
    if (!shape.empty()) shapes[name] = shape;
  }
  HB_ASSIGN_OR_RETURN(Prepared prepared,
                      ReadAndImport(config.onnx_model, config.march, shapes, &log));
  Graph graph = std::move(prepared.graph);
  const Graph reference = graph;  // the float model (the QDQ model itself for load)
  std::vector<CalibrationSample> samples = Batched(input_samples, config.input_batch);

  LoadedScales loaded;
  QuantizeOptions quantize_options;
  if (load) {
    HB_ASSIGN_OR_RETURN(quantize_options.weight_scales, WeightScalesOf(prepared.proto));
    HB_ASSIGN_OR_RETURN(loaded, StripQdqPairs(&graph));
    log.push_back(absl::StrCat("calibration_type load: ", loaded.removed_pairs,
                               " QuantizeLinear/DequantizeLinear pairs removed, ",
                               quantize_options.weight_scales.size(),
                               " weights with exported scales"));
  }
  for (size_t k = 0; k < config.inputs.size() && k < graph.inputs.size(); ++k) {
    HB_RETURN_IF_ERROR(InsertInputPreprocess(&graph, k, config.inputs[k], &log));
  }

  HB_ASSIGN_OR_RETURN(Placement placement, PlaceNodes(graph, config.march, cal.run_on_cpu,
                                                      cal.run_on_bpu));
  if (placement.bpu_nodes == 0) return absl::FailedPreconditionError(kNoBpuNodeMessage);
  result.placements = PlacementRows(graph, placement);
  log.push_back(absl::StrCat("placement: ", placement.bpu_nodes, " of ", graph.nodes.size(),
                             " nodes on the BPU"));

  // Activation scales of every float tensor a BPU node reads or writes.
  std::vector<bool> wanted(graph.tensors.size(), false);
  for (size_t k = 0; k < graph.nodes.size(); ++k) {
    if (!placement.on_bpu[k]) continue;
    for (int32_t t : graph.nodes[k].inputs) {
      if (t >= 0) wanted[t] = true;
    }
    for (int32_t t : graph.nodes[k].outputs) {
      if (t >= 0) wanted[t] = true;
    }
  }
  // Calibration feeds the float tensors after any input Preprocess node; tensor indices match.
  const Graph calibration_graph = WithoutInputPreprocess(graph);
  std::vector<float> scales(graph.tensors.size(), 0.0f);
  if (load) {
    scales = loaded.activation;
    std::vector<bool> missing(graph.tensors.size(), false);
    int missing_count = 0;
    for (size_t t = 0; t < graph.tensors.size(); ++t) {
      missing[t] = wanted[t] && scales[t] <= 0 && !graph.tensors[t].constant;
      missing_count += missing[t] ? 1 : 0;
    }
    if (missing_count > 0 && !samples.empty()) {
      HB_ASSIGN_OR_RETURN(std::unique_ptr<GraphRunner> runner,
                          GraphRunner::Create(calibration_graph, kernels::OpRegistry::Builtin()));
      HB_ASSIGN_OR_RETURN(std::vector<TensorRange> ranges,
                          Calibrate(calibration_graph, *runner, samples, missing,
                                    CalibrationMethod::kMax, 1.0, progress));
      for (size_t t = 0; t < ranges.size(); ++t) {
        if (ranges[t].valid) scales[t] = static_cast<float>(ranges[t].threshold / 127.0);
      }
      log.push_back(absl::StrCat("calibration_type load: ", missing_count,
                                 " BPU tensors without a QDQ scale calibrated by max"));
    }
  } else {
    HB_ASSIGN_OR_RETURN(std::unique_ptr<GraphRunner> runner,
                        GraphRunner::Create(calibration_graph, kernels::OpRegistry::Builtin()));
    HB_ASSIGN_OR_RETURN(std::vector<TensorRange> ranges,
                        Calibrate(calibration_graph, *runner, samples, wanted, method,
                                  cal.max_percentile, progress));
    int by_kl = 0, by_max = 0, by_mse = 0;
    for (size_t t = 0; t < ranges.size(); ++t) {
      if (!ranges[t].valid) continue;
      scales[t] = static_cast<float>(ranges[t].threshold / 127.0);
      const std::string& m = ranges[t].method;
      (m == "kl" ? by_kl : m == "mse" ? by_mse : by_max) += 1;
    }
    log.push_back(absl::StrCat("calibration ", cal.calibration_type, " on ", samples.size(),
                               " samples: ", by_max + by_kl + by_mse, " tensors (max ", by_max,
                               ", kl ", by_kl, ", mse ", by_mse, ")"));
  }
  for (const std::string& kind : config.remove_node_type) {
    if (kind == "Dequantize" || kind == "DequantizeLinear") {
      quantize_options.keep_integer_outputs = true;
    } else if (kind == "Quantize" || kind == "QuantizeLinear") {
      quantize_options.keep_integer_inputs = true;
    } else {
      log.push_back(absl::StrCat("remove_node_type '", kind, "': not a boundary node kind, ignored"));
    }
  }
  if (load && cal.cosine_target > 0) {
    log.push_back("cosine_target: not used with calibration_type load (the QDQ model's scales "
                  "are what it was trained with)");
  }
  if (!load && cal.cosine_target > 0 && !samples.empty()) {
    HB_ASSIGN_OR_RETURN(int32_t prefix,
                        ChooseCpuPrefixFor(graph, calibration_graph, config, scales,
                                           quantize_options, samples, placement, &log));
    if (prefix > 0) {
      HB_ASSIGN_OR_RETURN(placement, PlaceNodes(graph, config.march, cal.run_on_cpu,
                                                cal.run_on_bpu, prefix));
      result.placements = PlacementRows(graph, placement);
      log.push_back(absl::StrCat("placement: ", placement.bpu_nodes, " of ", graph.nodes.size(),
                                 " nodes on the BPU"));
    }
  }
  PropagateScales(graph, placement, &scales);
  HB_ASSIGN_OR_RETURN(QuantizedGraph quantized,
                      QuantizeGraph(graph, placement, scales, quantize_options, &log));
  if (!load && cal.bias_correction) {
    const size_t judge =
        samples.size() >= 3 ? std::min(kBiasCorrectionJudgeSamples, samples.size() / 3) : 0;
    const size_t fit = std::min(kBiasCorrectionFitSamples, samples.size() - judge);
    std::vector<CalibrationSample> float_inputs, model_inputs;
    HB_RETURN_IF_ERROR(InputsOfSamples(graph, samples, fit + judge, &model_inputs, &float_inputs));
    HB_ASSIGN_OR_RETURN(BiasCorrectionResult corrected,
                        CorrectBiases(calibration_graph, float_inputs, model_inputs, fit,
                                      &quantized.graph));
    if (corrected.candidates == 0) {
      log.push_back("bias correction: no BPU Conv/Gemm with a bias and without fused bounds");
    } else {
      log.push_back(absl::StrCat(
          "bias correction: ", corrected.corrected_channels, " channels of ",
          corrected.corrected_nodes, " of ", corrected.candidates, " nodes (largest shift ",
          corrected.max_shift_lsb, " output steps, measured on ", corrected.fit_samples,
          " samples); output cosine on ", corrected.judge_samples,
          judge == 0 ? " (the same)" : " other",
          " samples ", corrected.cosine_before, " -> ", corrected.cosine_after,
          corrected.applied ? ": applied" : ": not applied, the calibrated biases stay"));
    }
  }
  std::vector<PlannedSegment> segments = PartitionSegments(&quantized);
  SplitFunctionCalls(quantized.graph, *profile, config.compiler.max_time_per_fc_us, &segments,
                     &log);
  quantized.graph.metadata.emplace_back("converter", "hb_mapper (hb_dnn)");
  quantized.graph.metadata.emplace_back("calibration_type", cal.calibration_type);
  quantized.graph.metadata.emplace_back("max_time_per_fc",
                                        absl::StrCat(config.compiler.max_time_per_fc_us));
  quantized.graph.metadata.emplace_back("input_batch", absl::StrCat(config.input_batch));

  for (const PlannedSegment& segment : segments) {
    SegmentLatency latency;
    latency.name = segment.name;
    latency.bpu = segment.bpu;
    latency.function_calls = static_cast<int>(segment.function_calls.size());
    for (const PlannedFunctionCall& fc : segment.function_calls) {
      latency.modelled_us += FunctionCallMicros(fc.modelled_ns);
    }
    log.push_back(absl::StrCat("segment ", segment.name, ": ", segment.nodes.size(), " nodes",
                               segment.bpu ? absl::StrCat(", ", latency.function_calls,
                                                          " function-calls, ",
                                                          latency.modelled_us, " us modelled")
                                           : std::string()));
    result.segments.push_back(std::move(latency));
  }

  if (config.compiler.debug) {
    result.performance = EstimatePerformance(quantized.graph, segments, *profile);
    const PerformanceEstimate& perf = result.performance;
    log.push_back(absl::StrCat(
        "debug: ", perf.function_calls.size(), " function-calls, ", perf.macs, " MACs, ",
        perf.bytes, " bytes moved per frame; modelled BPU time ", perf.bpu_ns, " ns: ",
        absl::StrFormat("%.1f", perf.frames_per_second), " frames/s on one core, DDR ",
        absl::StrFormat("%.3f", perf.ddr_gb_per_second), " GB/s at that rate"));
  }

  tools::PackageBuilder package;
  HB_RETURN_IF_ERROR(AddGraphModel(quantized.graph, segments, config.compiler.core_num, &package));
  HB_ASSIGN_OR_RETURN(std::string bytes, package.Serialize());
  std::error_code ec;
  std::filesystem::create_directories(config.working_dir, ec);
  result.model_path = (std::filesystem::path(config.working_dir) /
                       (config.output_model_file_prefix + ".hbm")).string();
  {
    std::ofstream file(result.model_path, std::ios::binary | std::ios::trunc);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!file) {
      return absl::PermissionDeniedError(
          absl::StrCat("cannot write the model file '", result.model_path, "'"));
    }
  }
  log.push_back(absl::StrCat("wrote ", result.model_path, " (", bytes.size(), " bytes)"));

  if (samples.empty()) {
    log.push_back("accuracy: no calibration sample to compare float and quantized outputs on");
    return result;
  }
  HB_ASSIGN_OR_RETURN(std::unique_ptr<GraphRunner> float_runner,
                      GraphRunner::Create(reference, kernels::OpRegistry::Builtin()));
  std::vector<bool> keep(reference.tensors.size(), false);
  for (const GraphIo& io : reference.outputs) keep[io.tensor] = true;
  // Image inputs: the model gets the image equivalent of the sample, the float model what the
  // Preprocess node makes of it, so the figures measure quantization only.
  CalibrationSample model_inputs, float_inputs;
  HB_RETURN_IF_ERROR(RuntimeInputsFor(graph, samples[0], &model_inputs, &float_inputs));
  HB_ASSIGN_OR_RETURN(std::vector<TensorValue> float_values,
                      float_runner->Run(float_inputs, &keep));
  HB_ASSIGN_OR_RETURN(std::vector<std::vector<double>> quantized_outputs,
                      RunWrittenModel(bytes, quantized.graph, model_inputs));
  for (size_t k = 0; k < reference.outputs.size(); ++k) {
    const GraphIo& io = reference.outputs[k];
    const TensorValue& value = float_values[io.tensor];
    std::vector<double> want = RealValues(reinterpret_cast<const uint8_t*>(value.data()),
                                          value.bytes, reference.tensors[io.tensor]);
    OutputAccuracy accuracy;
    accuracy.name = io.spec.name;
    accuracy.cosine = Cosine(want, quantized_outputs[k], &accuracy.max_abs_error);
    log.push_back(absl::StrCat("output '", accuracy.name, "': cosine ", accuracy.cosine,
                               ", max abs error ", accuracy.max_abs_error));
    result.accuracy.push_back(std::move(accuracy));
  }
  if (config.layer_out_dump) {
    // The float graph (Preprocess included) and the quantized one take the same run-time inputs.
    HB_ASSIGN_OR_RETURN(std::vector<TensorAgreement> rows,
                        CompareGraphs(graph, quantized.graph, model_inputs));
    result.layer_dump_path = (std::filesystem::path(config.working_dir) /
                              (config.output_model_file_prefix + "_layer_out_dump.txt"))
                                 .string();
    HB_RETURN_IF_ERROR(WriteLayerDump(result.layer_dump_path, rows));
    log.push_back(absl::StrCat("layer_out_dump: ", rows.size(), " tensors compared, written to ",
                               result.layer_dump_path));
  }
  return result;
}

}  // namespace hb_dnn::mapper
