#include "tools/hrt_model_exec/perf_runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "tools/hrt_model_exec/infer_task.h"
#include "tools/hrt_model_exec/model_tensors.h"

namespace hb_dnn::tools {
namespace {

// A duration-limited run also stops after this many times its duration of host time, so that a
// clock that does not advance (CPU-only models on the virtual clock) cannot hang the tool.
constexpr int64_t kHostTimeGuardFactor = 10;

struct SharedState {
  std::mutex mutex;
  std::vector<std::atomic<int64_t>> next_frame;
  std::atomic<bool> stop{false};
  absl::Status error;
  PerfRunResult result;
  int64_t first_submit_ns = std::numeric_limits<int64_t>::max();
  int64_t last_end_ns = std::numeric_limits<int64_t>::min();

  explicit SharedState(size_t models) : next_frame(models) {}
};

}  // namespace

absl::StatusOr<PerfRunResult> PerfRunner::Run(
    const std::function<void(const FrameRecord&)>& on_frame) {
  SharedState state(models_.size());
  for (auto& next : state.next_frame) next = 0;
  auto host_start = std::chrono::steady_clock::now();
  int32_t bpu_core = BpuCoreOf(core_id_);

  auto fail = [&state](absl::Status status) {
    std::lock_guard<std::mutex> lock(state.mutex);
    if (state.error.ok()) state.error = std::move(status);
    state.stop = true;
  };

  auto body = [&](int model_index, int thread_index) {
    const PerfModel& model = models_[static_cast<size_t>(model_index)];
    absl::StatusOr<std::unique_ptr<ModelTensors>> tensors = ModelTensors::Allocate(model.handle);
    if (!tensors.ok()) return fail(tensors.status());
    std::vector<hbDNNTensor>& inputs = (*tensors)->inputs();
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (model.inputs.empty()) {
        FillRandom(static_cast<uint32_t>(thread_index * 100 + static_cast<int>(i) + 1), &inputs[i]);
      } else {
        ApplyInput(model.inputs[i], &inputs[i]);
      }
    }
    absl::Status status = (*tensors)->FlushInputs();
    if (!status.ok()) return fail(status);
    while (!state.stop) {
      int64_t frame = state.next_frame[static_cast<size_t>(model_index)]++;
      if (duration_ms_ == 0 && frame >= frame_count_) break;
      if (model.run.fps > 0) {
        auto due = host_start +
                   std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                       std::chrono::duration<double>(static_cast<double>(frame) / model.run.fps));
        std::this_thread::sleep_until(due);
        if (state.stop) break;
      }
      hbDNNSimTaskTiming timing{};
      status = InferOnce(**tensors, bpu_core, model.run.priority, &timing);
      if (!status.ok()) {
        return fail(absl::Status(status.code(), absl::StrCat("model '", model.run.name, "' frame ",
                                                             frame, ": ", status.message())));
      }
      FrameRecord record;
      record.model = model_index;
      record.thread = thread_index;
      record.frame = frame;
      record.submit_ns = timing.submitNs;
      record.end_ns = timing.endNs;
      record.latency_ns = timing.latencyNs;
      record.bpu_ns = timing.bpuNs;
      record.fc_count = timing.fcCount;
      record.core = timing.bpuCoreId;
      std::lock_guard<std::mutex> lock(state.mutex);
      state.first_submit_ns = std::min(state.first_submit_ns, record.submit_ns);
      state.last_end_ns = std::max(state.last_end_ns, record.end_ns);
      state.result.records.push_back(record);
      on_frame(record);
      if (duration_ms_ > 0) {
        int64_t sim_ms = (state.last_end_ns - state.first_submit_ns) / 1000000;
        auto host_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - host_start)
                           .count();
        if (sim_ms >= duration_ms_ || host_ms >= duration_ms_ * kHostTimeGuardFactor) {
          state.stop = true;
        }
      }
    }
  };

  std::vector<std::thread> threads;
  int thread_index = 0;
  for (size_t m = 0; m < models_.size(); ++m) {
    for (int t = 0; t < models_[m].run.threads; ++t) {
      threads.emplace_back(body, static_cast<int>(m), thread_index++);
    }
  }
  for (std::thread& thread : threads) thread.join();
  if (!state.error.ok()) return state.error;

  PerfRunResult result = std::move(state.result);
  result.thread_count = thread_index;
  if (!result.records.empty()) {
    result.first_submit_ns = state.first_submit_ns;
    result.last_end_ns = state.last_end_ns;
  }
  result.wall_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - host_start)
          .count();
  return result;
}

}  // namespace hb_dnn::tools
