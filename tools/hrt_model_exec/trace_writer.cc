#include "tools/hrt_model_exec/trace_writer.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "tools/hrt_model_exec/json_writer.h"

namespace hb_dnn::tools {
namespace {

constexpr double kNsPerUs = 1000.0;

void Metadata(absl::string_view kind, int pid, int tid, absl::string_view name, JsonWriter* json) {
  json->BeginObject().Key("name").String(kind).Key("ph").String("M").Key("pid").Int(pid);
  json->Key("tid").Int(tid).Key("args").BeginObject().Key("name").String(name).EndObject();
  json->EndObject();
}

}  // namespace

absl::Status WriteTrace(const std::string& path, const PerfRunResult& result,
                        const std::vector<ModelRunOptions>& models, const std::string& clock) {
  const int bpu_pid = static_cast<int>(models.size()) + 1;
  int64_t origin = result.first_submit_ns;
  JsonWriter json(0);
  json.BeginObject().Key("displayTimeUnit").String("ms");
  json.Key("otherData").BeginObject().Key("tool").String("hrt_model_exec");
  json.Key("clock").String(clock).EndObject();
  json.Key("traceEvents").BeginArray();
  for (size_t m = 0; m < models.size(); ++m) {
    Metadata("process_name", static_cast<int>(m) + 1, 0,
             absl::StrCat("model ", models[m].name, " (priority ", models[m].priority, ")"), &json);
  }
  Metadata("process_name", bpu_pid, 0, "BPU", &json);
  std::set<std::pair<int, int>> threads;
  std::set<int> cores;
  for (const FrameRecord& r : result.records) {
    threads.insert({r.model, r.thread});
    if (r.core >= 0) cores.insert(r.core);
  }
  for (const auto& [model, thread] : threads) {
    Metadata("thread_name", model + 1, thread + 1, absl::StrCat("thread ", thread), &json);
  }
  for (int core : cores)
    Metadata("thread_name", bpu_pid, core + 1, absl::StrCat("core ", core), &json);

  for (const FrameRecord& r : result.records) {
    const ModelRunOptions& model = models[static_cast<size_t>(r.model)];
    json.BeginObject().Key("name").String(absl::StrCat(model.name, " #", r.frame));
    json.Key("cat").String("task").Key("ph").String("X");
    json.Key("pid").Int(r.model + 1).Key("tid").Int(r.thread + 1);
    json.Key("ts").Double(static_cast<double>(r.submit_ns - origin) / kNsPerUs);
    json.Key("dur").Double(static_cast<double>(r.latency_ns) / kNsPerUs);
    json.Key("args").BeginObject().Key("frame").Int(r.frame).Key("priority").Int(model.priority);
    json.Key("core").Int(r.core).Key("fc_count").Int(r.fc_count);
    json.Key("bpu_us").Double(static_cast<double>(r.bpu_ns) / kNsPerUs).EndObject();
    json.EndObject();
    if (r.core < 0 || r.bpu_ns <= 0) continue;
    json.BeginObject().Key("name").String(model.name);
    json.Key("cat").String("bpu").Key("ph").String("X");
    json.Key("pid").Int(bpu_pid).Key("tid").Int(r.core + 1);
    json.Key("ts").Double(static_cast<double>(r.end_ns - r.bpu_ns - origin) / kNsPerUs);
    json.Key("dur").Double(static_cast<double>(r.bpu_ns) / kNsPerUs);
    json.Key("args").BeginObject().Key("frame").Int(r.frame).Key("priority").Int(model.priority);
    json.Key("fc_count").Int(r.fc_count).EndObject();
    json.EndObject();
  }
  json.EndArray().EndObject();

  std::ofstream out(path, std::ios::trunc);
  out << json.text() << "\n";
  if (!out) {
    return absl::PermissionDeniedError(
        absl::StrCat("--trace_file: cannot write '", path, "': ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace hb_dnn::tools
