#include "tools/hrt_model_exec/infer_command.h"

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "hb_dnn/hb_dnn_sim.h"
#include "tools/hrt_model_exec/infer_task.h"
#include "tools/hrt_model_exec/json_writer.h"
#include "tools/hrt_model_exec/model_tensors.h"
#include "tools/hrt_model_exec/tensor_file.h"

namespace hb_dnn::tools {
namespace {

constexpr int kTopK = 5;
constexpr double kNsPerMs = 1e6;

struct ClassScore {
  int64_t id;
  double score;
};

std::vector<ClassScore> TopK(const std::vector<double>& values) {
  std::vector<ClassScore> scores;
  for (size_t i = 0; i < values.size(); ++i) scores.push_back({static_cast<int64_t>(i), values[i]});
  size_t k = std::min<size_t>(kTopK, scores.size());
  std::partial_sort(scores.begin(), scores.begin() + static_cast<std::ptrdiff_t>(k), scores.end(),
                    [](const ClassScore& a, const ClassScore& b) {
                      return a.score > b.score || (a.score == b.score && a.id < b.id);
                    });
  scores.resize(k);
  return scores;
}

std::string SafeName(const std::string& name) {
  std::string safe = name;
  for (char& c : safe) {
    if (c == '/' || c == '\\' || c == ' ') c = '_';
  }
  return safe;
}

}  // namespace

absl::Status RunInfer(const ExecOptions& options, const PackedModels& models) {
  std::vector<std::string> requested;
  if (!options.models.front().name.empty()) requested.push_back(options.models.front().name);
  absl::StatusOr<std::vector<std::string>> names = models.Select(requested);
  if (!names.ok()) return names.status();
  const std::string& name = names->front();
  absl::StatusOr<hbDNNHandle_t> handle = models.Model(name);
  if (!handle.ok()) return handle.status();
  absl::StatusOr<std::unique_ptr<ModelTensors>> tensors = ModelTensors::Allocate(*handle);
  if (!tensors.ok()) return tensors.status();
  std::vector<hbDNNTensor>& inputs = (*tensors)->inputs();
  if (options.input_files.size() != inputs.size()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "infer needs --input_file with one file per model input: model '%s' has %d inputs, %d "
        "given",
        name, inputs.size(), options.input_files.size()));
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    absl::StatusOr<InputData> data =
        ReadInputFile(options.input_files[i], inputs[i].properties,
                      absl::StrCat("input ", i, " '", (*tensors)->input_names()[i], "'"));
    if (!data.ok()) return data.status();
    ApplyInput(*data, &inputs[i]);
  }
  absl::Status status = (*tensors)->FlushInputs();
  if (!status.ok()) return status;

  const ModelRunOptions& run = options.models.front();
  std::vector<double> latencies_ms;
  for (int frame = 0; frame < options.frame_count; ++frame) {
    hbDNNSimTaskTiming timing{};
    status = InferOnce(**tensors, BpuCoreOf(options.core_id), run.priority, &timing);
    if (!status.ok()) return status;
    latencies_ms.push_back(static_cast<double>(timing.latencyNs) / kNsPerMs);
    if (!options.json) std::printf("Infer time: %f ms\n", latencies_ms.back());
  }

  std::vector<std::string> dumped;
  if (options.enable_dump) {
    DumpOptions dump;
    dump.txt = options.dump_txt;
    dump.precision = options.dump_precision;
    dump.txt_axis = options.dump_txt_axis;
    for (size_t i = 0; i < inputs.size(); ++i) {
      absl::StatusOr<std::string> path =
          DumpTensor(inputs[i],
                     absl::StrCat(options.dump_path, "/model_infer_input_", i, "_",
                                  SafeName((*tensors)->input_names()[i])),
                     dump);
      if (!path.ok()) return path.status();
      dumped.push_back(*path);
    }
    dump.dequantize = options.hybrid_dequantize;
    std::vector<hbDNNTensor>& outputs = (*tensors)->outputs();
    for (size_t i = 0; i < outputs.size(); ++i) {
      absl::StatusOr<std::string> path =
          DumpTensor(outputs[i],
                     absl::StrCat(options.dump_path, "/model_infer_output_", i, "_",
                                  SafeName((*tensors)->output_names()[i])),
                     dump);
      if (!path.ok()) return path.status();
      dumped.push_back(*path);
    }
  }

  std::vector<std::vector<ClassScore>> top;
  if (options.cls_post_process) {
    for (const hbDNNTensor& output : (*tensors)->outputs()) {
      top.push_back(TopK(ValidValues(output, true)));
    }
  }

  const std::vector<std::string>& output_names = (*tensors)->output_names();
  if (options.json) {
    JsonWriter json;
    json.BeginObject().Key("command").String("infer").Key("model_name").String(name);
    json.Key("frame_count").Int(options.frame_count).Key("latency_ms").BeginArray();
    for (double ms : latencies_ms) json.Double(ms);
    json.EndArray().Key("dump_files").BeginArray();
    for (const std::string& path : dumped) json.String(path);
    json.EndArray();
    if (!top.empty()) {
      json.Key("classification").BeginArray();
      for (size_t o = 0; o < top.size(); ++o) {
        json.BeginObject().Key("output").String(output_names[o]).Key("top").BeginArray();
        for (const ClassScore& s : top[o]) {
          json.BeginObject().Key("class_id").Int(s.id).Key("score").Double(s.score).EndObject();
        }
        json.EndArray().EndObject();
      }
      json.EndArray();
    }
    json.EndObject();
    std::printf("%s\n", json.text().c_str());
    return absl::OkStatus();
  }
  for (size_t o = 0; o < top.size(); ++o) {
    std::printf("output[%zu] %s: top %zu result:\n", o, output_names[o].c_str(), top[o].size());
    for (size_t k = 0; k < top[o].size(); ++k) {
      std::printf("  top[%zu]: class id: %lld, prob: %f\n", k, static_cast<long long>(top[o][k].id),
                  top[o][k].score);
    }
  }
  return absl::OkStatus();
}

}  // namespace hb_dnn::tools
