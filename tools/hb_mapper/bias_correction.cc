#include "tools/hb_mapper/bias_correction.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "src/base/status_macros.h"
#include "src/kernels/op_registry.h"
#include "tools/hb_mapper/graph_runner.h"

namespace hb_dnn::mapper {
namespace {

// A BPU Conv or Gemm of the quantized graph whose int32 bias the pass may move.
struct Target {
  int32_t float_tensor = -1;  // its output in the float graph
  int64_t channels = 0;
  int64_t outer = 1;  // elements before the channel axis (axis 1)
  int64_t inner = 1;  // elements after it
};

// The target quantized node `node` is, or one with float_tensor -1.
Target TargetOf(const Graph& float_graph, const Graph& quantized, const GraphNode& node) {
  Target t;
  if (node.domain != "hb_dnn.bpu" || (node.op_type != "Conv" && node.op_type != "Gemm") ||
      node.inputs.size() < 3 || node.inputs[2] < 0 || node.outputs.empty() ||
      node.FindAttr("activation_min") != nullptr || node.FindAttr("activation_max") != nullptr ||
      node.FindAttr("lut_function") != nullptr) {
    return t;
  }
  const GraphTensor& bias = quantized.tensors[node.inputs[2]];
  const GraphTensor& out = quantized.tensors[node.outputs[0]];
  if (!bias.constant || bias.type != fb::DataType::S32 || out.shape.size() < 2 ||
      node.Float("x_scale", 0.0f) <= 0 ||
      static_cast<int64_t>(node.Floats("w_scale").size()) != out.shape[1] ||
      bias.num_elements() != out.shape[1]) {
    return t;
  }
  std::string name = out.name;
  for (const char* suffix : {"_int8", "_int32"}) {
    if (absl::EndsWith(name, suffix)) name.resize(name.size() - std::strlen(suffix));
  }
  int32_t f = float_graph.FindTensor(name);
  if (f < 0 || float_graph.tensors[f].type != fb::DataType::F32 ||
      float_graph.tensors[f].shape != out.shape) {
    return t;
  }
  t.float_tensor = f;
  t.channels = out.shape[1];
  t.outer = out.shape[0];
  for (size_t d = 2; d < out.shape.size(); ++d) t.inner *= out.shape[d];
  return t;
}

}  // namespace

absl::StatusOr<BiasCorrectionResult> CorrectBiases(
    const Graph& float_graph, const std::vector<CalibrationSample>& float_samples,
    const std::vector<CalibrationSample>& quantized_samples, size_t fit_count,
    Graph* quantized) {
  BiasCorrectionResult result;
  if (float_samples.size() != quantized_samples.size()) {
    return absl::InvalidArgumentError(absl::StrCat("bias correction: ", float_samples.size(),
                                                   " float samples but ", quantized_samples.size(),
                                                   " quantized ones"));
  }
  if (fit_count > float_samples.size()) {
    return absl::InvalidArgumentError(absl::StrCat("bias correction: fit on ", fit_count,
                                                   " of ", float_samples.size(), " samples"));
  }
  if (float_graph.outputs.size() != quantized->outputs.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bias correction: the float graph has ", float_graph.outputs.size(),
        " outputs, the quantized one ", quantized->outputs.size()));
  }
  std::vector<Target> targets(quantized->nodes.size());
  std::vector<bool> keep_outputs(float_graph.tensors.size(), false);
  for (const GraphIo& io : float_graph.outputs) keep_outputs[io.tensor] = true;
  std::vector<bool> keep_targets = keep_outputs;
  for (size_t n = 0; n < quantized->nodes.size(); ++n) {
    targets[n] = TargetOf(float_graph, *quantized, quantized->nodes[n]);
    if (targets[n].float_tensor >= 0) {
      keep_targets[targets[n].float_tensor] = true;
      ++result.candidates;
    }
  }
  if (result.candidates == 0 || fit_count == 0) return result;
  // Fit on the first fit_count samples; judge on the rest, or on the same ones without a rest.
  const size_t judge_begin = fit_count < float_samples.size() ? fit_count : 0;
  result.fit_samples = static_cast<int>(fit_count);
  result.judge_samples = static_cast<int>(float_samples.size() - judge_begin);

  // The float values the targets are compared with on the fitting samples, and the float
  // outputs on the judging ones.
  const std::vector<CalibrationSample> judge_float(float_samples.begin() + judge_begin,
                                                   float_samples.end());
  const std::vector<CalibrationSample> judge_quantized(quantized_samples.begin() + judge_begin,
                                                       quantized_samples.end());
  std::vector<std::vector<TensorValue>> want;
  std::vector<std::vector<std::vector<double>>> want_outputs;
  {
    HB_ASSIGN_OR_RETURN(std::unique_ptr<GraphRunner> runner,
                        GraphRunner::Create(float_graph, kernels::OpRegistry::Builtin()));
    for (size_t s = 0; s < fit_count; ++s) {
      HB_ASSIGN_OR_RETURN(std::vector<TensorValue> values,
                          runner->Run(float_samples[s], &keep_targets));
      for (size_t t = 0; t < values.size(); ++t) {
        if (!keep_targets[t]) values[t] = TensorValue();
      }
      want.push_back(std::move(values));
    }
    HB_ASSIGN_OR_RETURN(want_outputs, OutputValues(*runner, float_graph, judge_float));
  }

  HB_ASSIGN_OR_RETURN(std::unique_ptr<GraphRunner> runner,
                      GraphRunner::Create(*quantized, kernels::OpRegistry::Builtin()));
  std::vector<bool> keep_quantized(quantized->tensors.size(), false);
  for (const GraphIo& io : quantized->outputs) keep_quantized[io.tensor] = true;
  // How closely the quantized graph's outputs follow the float ones on the judging samples.
  auto agreement = [&]() {
    return MeanOutputCosine(*runner, *quantized, judge_quantized, want_outputs);
  };
  HB_ASSIGN_OR_RETURN(result.cosine_before, agreement());
  std::vector<GraphTensor> original_biases;
  for (size_t n = 0; n < quantized->nodes.size(); ++n) {
    if (targets[n].float_tensor >= 0) {
      original_biases.push_back(quantized->tensors[quantized->nodes[n].inputs[2]]);
    }
  }
  std::vector<std::vector<TensorValue>> got;
  for (size_t s = 0; s < fit_count; ++s) {
    HB_ASSIGN_OR_RETURN(std::vector<TensorValue> values, runner->Start(quantized_samples[s]));
    got.push_back(std::move(values));
  }
  for (size_t n = 0; n < quantized->nodes.size(); ++n) {
    const Target& t = targets[n];
    // A target keeps its inputs: it may run again.
    for (std::vector<TensorValue>& values : got) {
      HB_RETURN_IF_ERROR(
          runner->RunNode(n, &values, t.float_tensor >= 0 ? nullptr : &keep_quantized));
    }
    if (t.float_tensor < 0) continue;
    GraphNode& node = quantized->nodes[n];
    const GraphTensor& out = quantized->tensors[node.outputs[0]];
    const bool int8_out = out.type == fb::DataType::S8;
    double low = -std::numeric_limits<double>::infinity(), high = -low;
    if (int8_out && out.quant.scale.size() == 1) {
      low = -128.0 * out.quant.scale[0];
      high = 127.0 * out.quant.scale[0];
    }
    std::vector<double> sum(static_cast<size_t>(t.channels), 0.0);
    for (size_t s = 0; s < got.size(); ++s) {
      const std::vector<double> yq = RealValuesOf(out, got[s][node.outputs[0]]);
      const float* y = want[s][t.float_tensor].as<float>();
      for (int64_t o = 0; o < t.outer; ++o) {
        for (int64_t c = 0; c < t.channels; ++c) {
          const int64_t base = (o * t.channels + c) * t.inner;
          for (int64_t k = base; k < base + t.inner; ++k) {
            sum[c] += yq[static_cast<size_t>(k)] - std::clamp(static_cast<double>(y[k]), low, high);
          }
        }
      }
    }
    const double count = static_cast<double>(t.outer * t.inner) * static_cast<double>(got.size());
    const double x_scale = node.Float("x_scale", 0.0f);
    const std::vector<float> w_scale = node.Floats("w_scale");
    GraphTensor& bias = quantized->tensors[node.inputs[2]];
    std::vector<int32_t> values(static_cast<size_t>(t.channels));
    std::memcpy(values.data(), bias.data.data(), values.size() * sizeof(int32_t));
    bool changed = false;
    for (int64_t c = 0; c < t.channels; ++c) {
      const double shift = sum[c] / count;
      const double moved = std::nearbyint(shift / (x_scale * static_cast<double>(w_scale[c])));
      if (moved == 0) continue;
      values[c] = static_cast<int32_t>(
          std::clamp(static_cast<double>(values[c]) - moved,
                     static_cast<double>(std::numeric_limits<int32_t>::min()),
                     static_cast<double>(std::numeric_limits<int32_t>::max())));
      changed = true;
      ++result.corrected_channels;
      if (int8_out && out.quant.scale.size() == 1 && out.quant.scale[0] > 0) {
        result.max_shift_lsb =
            std::max(result.max_shift_lsb, std::fabs(shift) / out.quant.scale[0]);
      }
    }
    if (!changed) continue;
    ++result.corrected_nodes;
    // In place: the runner keeps a pointer to the constant's bytes.
    std::memcpy(bias.data.data(), values.data(), values.size() * sizeof(int32_t));
    HB_RETURN_IF_ERROR(runner->RefreshNode(n));
    for (std::vector<TensorValue>& values_of_sample : got) {
      HB_RETURN_IF_ERROR(runner->RunNode(n, &values_of_sample, &keep_quantized));
    }
  }
  got.clear();
  HB_ASSIGN_OR_RETURN(result.cosine_after, agreement());
  if (result.cosine_after < result.cosine_before) {
    size_t next = 0;
    for (size_t n = 0; n < quantized->nodes.size(); ++n) {
      if (targets[n].float_tensor >= 0) {
        quantized->tensors[quantized->nodes[n].inputs[2]] = original_biases[next++];
      }
    }
    result.applied = false;
  }
  return result;
}

}  // namespace hb_dnn::mapper
