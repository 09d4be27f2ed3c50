#include "tools/hrt_model_exec/profiler_log.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "tools/hrt_model_exec/json_writer.h"
#include "tools/hrt_model_exec/latency_stats.h"

namespace hb_dnn::tools {
namespace {

constexpr int kIndent = 4;

void TimeEntry(absl::string_view key, const LatencyStats& stats, JsonWriter* json) {
  LatencySummary summary = stats.Summarize();
  json->Key(key).BeginObject();
  json->Key("avg_time").Double(summary.avg_ms);
  json->Key("max_time").Double(summary.max_ms);
  json->Key("min_time").Double(summary.min_ms);
  json->EndObject();
}

}  // namespace

absl::Status WriteProfilerLog(const std::string& directory, const PerfSummary& summary,
                              const PerfRunResult& result,
                              const std::vector<std::string>& model_names) {
  if (mkdir(directory.c_str(), 0755) != 0 && errno != EEXIST) {
    return absl::PermissionDeniedError(
        absl::StrCat("--profile_path: cannot create '", directory, "': ", std::strerror(errno)));
  }
  JsonWriter first(kIndent);
  first.BeginObject();
  first.Key("perf_result").BeginObject();
  first.Key("FPS").Double(summary.fps);
  first.Key("average_latency").Double(summary.average_latency_ms);
  first.EndObject();
  first.Key("running_condition").BeginObject();
  first.Key("core_id").Int(summary.core_id);
  first.Key("frame_count").Int(summary.frame_count);
  first.Key("model_name").String(summary.model_name);
  first.Key("run_time").Double(summary.run_time_ms);
  first.Key("thread_num").Int(summary.thread_num);
  first.EndObject();
  first.EndObject();

  LatencyStats bpu;
  LatencyStats non_bpu;
  LatencyStats latency;
  std::vector<LatencyStats> model_bpu(model_names.size());
  std::vector<LatencyStats> model_non_bpu(model_names.size());
  for (const FrameRecord& record : result.records) {
    int64_t rest = std::max<int64_t>(record.latency_ns - record.bpu_ns, 0);
    bpu.Add(record.bpu_ns);
    non_bpu.Add(rest);
    latency.Add(record.latency_ns);
    model_bpu[static_cast<size_t>(record.model)].Add(record.bpu_ns);
    model_non_bpu[static_cast<size_t>(record.model)].Add(rest);
  }
  JsonWriter second(kIndent);
  second.BeginObject();
  second.Key("chip_latency").BeginObject();
  TimeEntry("BPU_inference_time_cost", bpu, &second);
  TimeEntry("CPU_inference_time_cost", non_bpu, &second);
  second.EndObject();
  second.Key("model_latency").BeginObject();
  for (size_t m = 0; m < model_names.size(); ++m) {
    TimeEntry(absl::StrCat("BPU_", model_names[m], "_subgraph_0"), model_bpu[m], &second);
    TimeEntry(absl::StrCat(model_names[m], "_CPU_and_waiting"), model_non_bpu[m], &second);
  }
  second.EndObject();
  second.Key("task_latency").BeginObject();
  TimeEntry("TaskPendingTime", non_bpu, &second);
  TimeEntry("TaskRunningTime", latency, &second);
  second.EndObject();
  second.EndObject();

  std::string path = absl::StrCat(directory, "/profiler.log");
  std::ofstream out(path, std::ios::trunc);
  out << first.text() << "\n***\n" << second.text() << "\n";
  if (!out) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot write '", path, "': ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace hb_dnn::tools
