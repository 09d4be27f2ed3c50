#include "src/runtime/task_registry.h"

#include "src/base/status.h"
#include "src/runtime/handle_registry.h"

namespace hb_dnn::runtime {
namespace {

constexpr size_t kMaxRememberedReleases = 4096;

}  // namespace

// Task handles count up from here (a different range from HandleRegistry's).
constexpr uintptr_t kFirstTaskHandle = uintptr_t{0x5441'0000'0000'0000} >> 8;

TaskRegistry::TaskRegistry() : next_handle_(kFirstTaskHandle) {}

TaskRegistry& TaskRegistry::Instance() {
  static TaskRegistry* registry = new TaskRegistry();  // never destroyed: usable at exit
  return *registry;
}

absl::StatusOr<void*> TaskRegistry::Submit(std::shared_ptr<InferTask> task,
                                           const void* model_handle, bool open_batch) {
  void* handle = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    absl::StatusOr<std::shared_ptr<const Model>> model = HandleRegistry::Instance().ModelOf(model_handle);
    if (!model.ok()) return model.status();
    if (tasks_.size() >= kMaxCoexistingTasks) {
      return Errorf(ErrorCode::kTaskNumExceedLimit, kMaxCoexistingTasks,
                    " tasks already exist; release finished tasks with hbDNNReleaseTask");
    }
    uintptr_t id = ++next_handle_;
    handle = reinterpret_cast<void*>(id);
    tasks_[id] = task;
    if (open_batch) {
      open_.insert(id);
      return handle;
    }
  }
  absl::Status started = task->Start();
  if (!started.ok()) {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks_.erase(reinterpret_cast<uintptr_t>(handle));
    return started;
  }
  return handle;
}

absl::StatusOr<std::shared_ptr<InferTask>> TaskRegistry::FindOpen(const void* handle) const {
  uintptr_t id = reinterpret_cast<uintptr_t>(handle);
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = tasks_.find(id);
  if (it != tasks_.end() && open_.count(id) != 0) return it->second;
  return Errorf(ErrorCode::kInvalidTaskHandle, "task handle ", PointerString(handle),
                it != tasks_.end() ? " is not open for `more` submissions (its last hbDNNInfer "
                                     "had more = 0)"
                : released_.count(id) ? " was already released by hbDNNReleaseTask"
                                      : " was not created by hbDNNInfer");
}

absl::Status TaskRegistry::Seal(const void* handle) {
  uintptr_t id = reinterpret_cast<uintptr_t>(handle);
  std::shared_ptr<InferTask> task;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = tasks_.find(id);
    if (it == tasks_.end() || open_.erase(id) == 0) {
      return Errorf(ErrorCode::kInvalidTaskHandle, "task handle ", PointerString(handle),
                    " is not an open `more` batch");
    }
    task = it->second;
  }
  absl::Status started = task->Start();
  if (!started.ok()) {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks_.erase(id);
  }
  return started;
}

absl::StatusOr<std::shared_ptr<InferTask>> TaskRegistry::Find(const void* handle) const {
  if (handle == nullptr) return Error(ErrorCode::kInvalidTaskHandle, "task handle is null");
  uintptr_t id = reinterpret_cast<uintptr_t>(handle);
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = tasks_.find(id);
  if (it != tasks_.end()) return it->second;
  return Errorf(ErrorCode::kInvalidTaskHandle, "task handle ", PointerString(handle),
                released_.count(id) ? " was already released by hbDNNReleaseTask"
                                    : " was not created by hbDNNInfer");
}

absl::Status TaskRegistry::Release(const void* handle) {
  if (handle == nullptr) return Error(ErrorCode::kInvalidTaskHandle, "task handle is null");
  uintptr_t id = reinterpret_cast<uintptr_t>(handle);
  std::shared_ptr<InferTask> task;  // destroyed after the lock is dropped
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = tasks_.find(id);
    if (it == tasks_.end()) {
      return Errorf(ErrorCode::kInvalidTaskHandle, "task handle ", PointerString(handle),
                    released_.count(id) ? " was already released (double hbDNNReleaseTask)"
                                        : " was not created by hbDNNInfer");
    }
    task = std::move(it->second);
    tasks_.erase(it);
    open_.erase(id);
    if (released_.size() >= kMaxRememberedReleases) released_.clear();
    released_.insert(id);
  }
  // Outside the registry lock: Cancel may wait for a copy of the caller's tensors in progress.
  task->Cancel();
  return absl::OkStatus();
}

absl::Status TaskRegistry::ReleasePackedIfIdle(const void* packed_handle) {
  std::lock_guard<std::mutex> lock(mutex_);
  absl::StatusOr<std::shared_ptr<const PackedModel>> packed =
      HandleRegistry::Instance().Packed(packed_handle);
  if (!packed.ok()) return packed.status();
  for (const auto& [id, task] : tasks_) {
    for (size_t i = 0; i < (*packed)->model_count(); ++i) {
      if (task->UsesModel(&(*packed)->model(i))) {
        return Errorf(ErrorCode::kModelIsRunning, "packed dnn handle ", PointerString(packed_handle),
                      " still has tasks: release them with hbDNNReleaseTask first");
      }
    }
  }
  return HandleRegistry::Instance().RemovePacked(packed_handle);
}

}  // namespace hb_dnn::runtime
