#include "tools/hrt_model_exec/perf_command.h"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tools/hrt_model_exec/json_writer.h"
#include "tools/hrt_model_exec/latency_stats.h"
#include "tools/hrt_model_exec/model_tensors.h"
#include "tools/hrt_model_exec/perf_runner.h"
#include "tools/hrt_model_exec/profiler_log.h"
#include "tools/hrt_model_exec/trace_writer.h"

namespace hb_dnn::tools {
namespace {

constexpr int64_t kReportEvery = 200;  // frames between two "Frame count" lines, as on the board
constexpr int kBarWidth = 40;
constexpr double kNsPerMs = 1e6;

// Running figures of one model, for the periodic lines.
struct RunningStats {
  int64_t count = 0;
  int64_t reported = 0;
  double sum_ms = 0;
  double max_ms = 0;
  double min_ms = 0;
  int64_t first_submit_ns = 0;
  int64_t last_end_ns = 0;
};

std::string FrameCountLine(const RunningStats& s) {
  double elapsed_s = static_cast<double>(s.last_end_ns - s.first_submit_ns) / 1e9;
  double fps = elapsed_s > 0 ? static_cast<double>(s.count) / elapsed_s : 0;
  return absl::StrFormat(
      "Frame count: %d,  Thread Average: %f ms,  thread max latency: %f ms,  thread min "
      "latency: %f ms,  FPS: %f",
      s.count, s.sum_ms / static_cast<double>(s.count), s.max_ms, s.min_ms, fps);
}

// Prints the periodic lines and the progress bar while frames finish. Called serialized.
class Reporter {
 public:
  Reporter(const std::vector<ModelRunOptions>& models, int64_t total_frames, bool text)
      : models_(models),
        stats_(models.size()),
        total_frames_(total_frames),
        text_(text),
        bar_(text && total_frames > 0 && isatty(STDOUT_FILENO)) {}

  void OnFrame(const FrameRecord& record) {
    RunningStats& s = stats_[static_cast<size_t>(record.model)];
    double ms = static_cast<double>(record.latency_ns) / kNsPerMs;
    if (s.count == 0) {
      s.first_submit_ns = record.submit_ns;
      s.min_ms = ms;
    }
    ++s.count;
    s.sum_ms += ms;
    s.max_ms = std::max(s.max_ms, ms);
    s.min_ms = std::min(s.min_ms, ms);
    s.first_submit_ns = std::min(s.first_submit_ns, record.submit_ns);
    s.last_end_ns = std::max(s.last_end_ns, record.end_ns);
    ++done_;
    if (!text_) return;
    if (s.count % kReportEvery == 0) PrintLine(record.model);
    DrawBar();
  }

  // Prints the last line of each model whose count is not a multiple of kReportEvery.
  void Finish() {
    if (!text_) return;
    ClearBar();
    for (size_t m = 0; m < stats_.size(); ++m) {
      if (stats_[m].count > stats_[m].reported) PrintLine(static_cast<int>(m));
    }
  }

 private:
  void PrintLine(int model) {
    RunningStats& s = stats_[static_cast<size_t>(model)];
    s.reported = s.count;
    ClearBar();
    std::string prefix =
        models_.size() > 1 ? absl::StrCat("[", models_[static_cast<size_t>(model)].name, "] ") : "";
    std::printf("%s%s\n", prefix.c_str(), FrameCountLine(s).c_str());
    std::fflush(stdout);
  }

  void DrawBar() {
    if (!bar_) return;
    int percent = static_cast<int>(done_ * 100 / total_frames_);
    if (percent == drawn_percent_) return;
    drawn_percent_ = percent;
    int filled = percent * kBarWidth / 100;
    std::printf("\r[%s%s] %3d%%", std::string(static_cast<size_t>(filled), '=').c_str(),
                std::string(static_cast<size_t>(kBarWidth - filled), ' ').c_str(), percent);
    std::fflush(stdout);
  }

  void ClearBar() {
    if (!bar_ || drawn_percent_ < 0) return;
    std::printf("\r%s\r", std::string(kBarWidth + 8, ' ').c_str());
    drawn_percent_ = -1;
  }

  const std::vector<ModelRunOptions>& models_;
  std::vector<RunningStats> stats_;
  int64_t total_frames_;
  bool text_;
  bool bar_;
  int64_t done_ = 0;
  int drawn_percent_ = -1;
};

std::string ClockName() {
  const char* timing = std::getenv("HB_DNN_SIM_TIMING");
  return timing != nullptr && std::string(timing) == "virtual" ? "virtual" : "host";
}

void LatencyJson(const LatencySummary& s, JsonWriter* json) {
  json->BeginObject();
  json->Key("avg").Double(s.avg_ms).Key("min").Double(s.min_ms).Key("max").Double(s.max_ms);
  json->Key("p50").Double(s.p50_ms).Key("p90").Double(s.p90_ms).Key("p99").Double(s.p99_ms);
  json->EndObject();
}

}  // namespace

absl::Status RunPerf(const ExecOptions& options, const PackedModels& models) {
  std::vector<std::string> requested;
  for (const ModelRunOptions& run : options.models) {
    if (!run.name.empty()) requested.push_back(run.name);
  }
  absl::StatusOr<std::vector<std::string>> names = models.Select(requested);
  if (!names.ok()) return names.status();

  std::vector<PerfModel> perf_models;
  std::vector<ModelRunOptions> runs;
  for (size_t m = 0; m < options.models.size(); ++m) {
    PerfModel model;
    model.run = options.models[m];
    model.run.name = (*names)[m];
    absl::StatusOr<hbDNNHandle_t> handle = models.Model(model.run.name);
    if (!handle.ok()) return handle.status();
    model.handle = *handle;
    if (!options.input_files.empty()) {
      if (options.models.size() > 1) {
        return absl::InvalidArgumentError(
            "--input_file applies to single-model perf runs; several models use random inputs");
      }
      absl::StatusOr<std::unique_ptr<ModelTensors>> probe = ModelTensors::Allocate(model.handle);
      if (!probe.ok()) return probe.status();
      const std::vector<hbDNNTensor>& inputs = (*probe)->inputs();
      if (options.input_files.size() != inputs.size()) {
        return absl::InvalidArgumentError(
            absl::StrFormat("--input_file names %d files; model '%s' has %d inputs",
                            options.input_files.size(), model.run.name, inputs.size()));
      }
      for (size_t i = 0; i < inputs.size(); ++i) {
        absl::StatusOr<InputData> data =
            ReadInputFile(options.input_files[i], inputs[i].properties,
                          absl::StrCat("input ", i, " '", (*probe)->input_names()[i], "'"));
        if (!data.ok()) return data.status();
        model.inputs.push_back(*std::move(data));
      }
    }
    runs.push_back(model.run);
    perf_models.push_back(std::move(model));
  }

  int64_t total_frames = options.perf_time_ms > 0
                             ? 0
                             : int64_t{options.frame_count} * static_cast<int64_t>(runs.size());
  Reporter reporter(runs, total_frames, !options.json);
  PerfRunner runner(std::move(perf_models), options.core_id, options.frame_count,
                    options.perf_time_ms);
  absl::StatusOr<PerfRunResult> result =
      runner.Run([&reporter](const FrameRecord& record) { reporter.OnFrame(record); });
  if (!result.ok()) return result.status();
  reporter.Finish();

  LatencyStats all;
  std::vector<LatencyStats> per_model(runs.size());
  std::vector<int64_t> first_submit(runs.size(), INT64_MAX);
  std::vector<int64_t> last_end(runs.size(), INT64_MIN);
  for (const FrameRecord& r : result->records) {
    all.Add(r.latency_ns);
    size_t m = static_cast<size_t>(r.model);
    per_model[m].Add(r.latency_ns);
    first_submit[m] = std::min(first_submit[m], r.submit_ns);
    last_end[m] = std::max(last_end[m], r.end_ns);
  }
  LatencySummary total = all.Summarize();
  double run_time_ms =
      static_cast<double>(result->last_end_ns - result->first_submit_ns) / kNsPerMs;
  double fps = run_time_ms > 0 ? static_cast<double>(total.count) * 1000.0 / run_time_ms : 0;
  std::vector<double> model_fps(runs.size(), 0);
  for (size_t m = 0; m < runs.size(); ++m) {
    double ms = per_model[m].count() > 0
                    ? static_cast<double>(last_end[m] - first_submit[m]) / kNsPerMs
                    : 0;
    model_fps[m] = ms > 0 ? static_cast<double>(per_model[m].count()) * 1000.0 / ms : 0;
  }

  std::string model_list;
  for (const ModelRunOptions& run : runs) {
    model_list += (model_list.empty() ? "" : ",") + run.name;
  }
  if (!options.profile_path.empty()) {
    PerfSummary summary;
    summary.fps = fps;
    summary.average_latency_ms = total.avg_ms;
    summary.run_time_ms = run_time_ms;
    summary.core_id = options.core_id;
    summary.frame_count = total.count;
    summary.thread_num = result->thread_count;
    summary.model_name = model_list;
    std::vector<std::string> run_names;
    for (const ModelRunOptions& run : runs) run_names.push_back(run.name);
    absl::Status status = WriteProfilerLog(options.profile_path, summary, *result, run_names);
    if (!status.ok()) return status;
  }
  if (!options.trace_file.empty()) {
    absl::Status status = WriteTrace(options.trace_file, *result, runs, ClockName());
    if (!status.ok()) return status;
  }

  if (options.json) {
    JsonWriter json;
    json.BeginObject().Key("command").String("perf").Key("clock").String(ClockName());
    json.Key("thread_num").Int(result->thread_count).Key("frame_count").Int(total.count);
    json.Key("core_id").Int(options.core_id).Key("run_time_ms").Double(run_time_ms);
    json.Key("wall_time_ms").Double(result->wall_ms);
    json.Key("total_latency_ms").Double(total.total_ms);
    json.Key("average_latency_ms").Double(total.avg_ms).Key("fps").Double(fps);
    json.Key("latency_ms");
    LatencyJson(total, &json);
    json.Key("models").BeginArray();
    for (size_t m = 0; m < runs.size(); ++m) {
      LatencySummary s = per_model[m].Summarize();
      json.BeginObject().Key("name").String(runs[m].name).Key("priority").Int(runs[m].priority);
      json.Key("threads").Int(runs[m].threads).Key("target_fps").Double(runs[m].fps);
      json.Key("frames").Int(s.count).Key("fps").Double(model_fps[m]).Key("latency_ms");
      LatencyJson(s, &json);
      json.EndObject();
    }
    json.EndArray();
    if (!options.profile_path.empty()) {
      json.Key("profiler_log").String(options.profile_path + "/profiler.log");
    }
    if (!options.trace_file.empty()) json.Key("trace_file").String(options.trace_file);
    json.EndObject();
    std::printf("%s\n", json.text().c_str());
    return absl::OkStatus();
  }

  std::string text = "\nRunning condition:\n";
  absl::StrAppendFormat(&text, "  Thread number is: %d\n", result->thread_count);
  absl::StrAppendFormat(&text, "  Frame count   is: %d\n", total.count);
  absl::StrAppendFormat(&text, "  core number   is: %d\n", options.core_id == 0 ? 2 : 1);
  absl::StrAppendFormat(&text, "  Program run time: %f ms\n", run_time_ms);
  absl::StrAppend(&text, "Perf result:\n");
  absl::StrAppendFormat(&text, "  Frame totally latency is: %f ms\n", total.total_ms);
  absl::StrAppendFormat(&text, "  Average    latency    is: %f ms\n", total.avg_ms);
  absl::StrAppendFormat(&text, "  Frame      rate       is: %f FPS\n", fps);
  if (runs.size() > 1) {
    absl::StrAppend(&text, "Per-model result:\n");
    for (size_t m = 0; m < runs.size(); ++m) {
      LatencySummary s = per_model[m].Summarize();
      absl::StrAppendFormat(
          &text,
          "  [%s] priority: %d, threads: %d, target FPS: %s, frames: %d, FPS: %f, latency avg: "
          "%f ms, p50: %f ms, p90: %f ms, p99: %f ms, max: %f ms\n",
          runs[m].name, runs[m].priority, runs[m].threads,
          runs[m].fps > 0 ? absl::StrFormat("%g", runs[m].fps) : std::string("max"), s.count,
          model_fps[m], s.avg_ms, s.p50_ms, s.p90_ms, s.p99_ms, s.max_ms);
    }
  }
  if (!options.profile_path.empty()) {
    absl::StrAppend(&text, "Profile log: ", options.profile_path, "/profiler.log\n");
  }
  if (!options.trace_file.empty()) absl::StrAppend(&text, "Trace file: ", options.trace_file, "\n");
  std::fputs(text.c_str(), stdout);
  return absl::OkStatus();
}

}  // namespace hb_dnn::tools
