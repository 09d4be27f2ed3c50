#include "src/runtime/task_registry.h"

#include "oneapi/tbb/global_control.h"
#include "oneapi/tbb/info.h"
#include "oneapi/tbb/task_arena.h"
#include "src/base/env.h"
#include "src/base/status.h"

namespace hb_dnn::runtime {
namespace {

constexpr size_t kMaxRememberedReleases = 4096;

// The CPU worker pool: a oneTBB arena of HB_MAX_THREAD_NUM threads (the board's knob for CPU
// operator threads; default: the hardware threads). Tasks are enqueued from application threads
// that then block in hbDNNWaitTaskDone, so no arena slot is reserved for them and the process
// allows one more TBB thread than the arena uses (oneTBB's default pool is one thread short of
// the core count, because it counts the main thread as a worker).
oneapi::tbb::task_arena& CpuArena() {
  static oneapi::tbb::task_arena* arena = [] {
    std::optional<int64_t> threads = GetEnvInt("HB_MAX_THREAD_NUM");
    int concurrency = threads.has_value() && *threads > 0 && *threads <= 256
                          ? static_cast<int>(*threads)
                          : oneapi::tbb::info::default_concurrency();
    static oneapi::tbb::global_control pool_size(
        oneapi::tbb::global_control::max_allowed_parallelism,
        static_cast<size_t>(concurrency) + 1);
    return new oneapi::tbb::task_arena(concurrency, /*reserved_for_masters=*/0);
  }();
  return *arena;
}

}  // namespace

TaskRegistry& TaskRegistry::Instance() {
  static TaskRegistry* registry = new TaskRegistry();  // never destroyed: usable at exit
  return *registry;
}

absl::StatusOr<void*> TaskRegistry::Submit(std::shared_ptr<InferTask> task) {
  void* handle = task.get();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (tasks_.size() >= kMaxCoexistingTasks) {
      return Errorf(ErrorCode::kTaskNumExceedLimit, kMaxCoexistingTasks,
                    " tasks already exist; release finished tasks with hbDNNReleaseTask");
    }
    released_.erase(handle);
    tasks_[handle] = task;
  }
  CpuArena().enqueue([task = std::move(task)] { task->Execute(); });
  return handle;
}

absl::StatusOr<std::shared_ptr<InferTask>> TaskRegistry::Find(const void* handle) const {
  if (handle == nullptr) return Error(ErrorCode::kInvalidTaskHandle, "task handle is null");
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = tasks_.find(handle);
  if (it != tasks_.end()) return it->second;
  return Errorf(ErrorCode::kInvalidTaskHandle, "task handle ", PointerString(handle),
                released_.count(handle) ? " was already released by hbDNNReleaseTask"
                                        : " was not created by hbDNNInfer");
}

absl::Status TaskRegistry::Release(const void* handle) {
  if (handle == nullptr) return Error(ErrorCode::kInvalidTaskHandle, "task handle is null");
  std::shared_ptr<InferTask> task;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = tasks_.find(handle);
  if (it == tasks_.end()) {
    return Errorf(ErrorCode::kInvalidTaskHandle, "task handle ", PointerString(handle),
                  released_.count(handle) ? " was already released (double hbDNNReleaseTask)"
                                          : " was not created by hbDNNInfer");
  }
  task = std::move(it->second);
  tasks_.erase(it);
  if (released_.size() >= kMaxRememberedReleases) released_.clear();
  released_.insert(handle);
  task->Cancel();
  return absl::OkStatus();
}

bool TaskRegistry::HasTasksFor(const PackedModel& packed) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [handle, task] : tasks_) {
    for (size_t i = 0; i < packed.model_count(); ++i) {
      if (&task->model() == &packed.model(i)) return true;
    }
  }
  return false;
}

}  // namespace hb_dnn::runtime
