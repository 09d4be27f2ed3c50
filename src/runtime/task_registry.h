#ifndef HB_DNN_SRC_RUNTIME_TASK_REGISTRY_H_
#define HB_DNN_SRC_RUNTIME_TASK_REGISTRY_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "absl/status/statusor.h"
#include "src/runtime/infer_task.h"
#include "src/runtime/packed_model.h"

namespace hb_dnn::runtime {

// At most this many tasks coexist in a process (the documented libdnn limit);
// HB_DNN_TASK_NUM_EXCEED_LIMIT beyond.
inline constexpr size_t kMaxCoexistingTasks = 32;

// Live task handles: opaque numbers never reused in a process (not addresses, which the allocator
// recycles), so a stale handle can never reach a later task. Thread-safe.
class TaskRegistry {
 public:
  static TaskRegistry& Instance();

  // Registers the task and hands it to the CPU worker pool. kTaskNumExceedLimit when 32 tasks
  // already exist; kInvalidDnnHandle when `model_handle` was released meanwhile (checked under
  // the same lock as ReleasePackedIfIdle, so a model never loses its packed handle to a
  // concurrent hbDNNRelease while a task of it is registered).
  // With `open_batch` (hbDNNInfer with more = 1) the task is registered but not started: more
  // inferences are appended to it (FindOpen) until Seal starts it.
  absl::StatusOr<void*> Submit(std::shared_ptr<InferTask> task, const void* model_handle,
                               bool open_batch = false);

  // The open `more` batch behind `handle`; kInvalidTaskHandle naming why otherwise.
  absl::StatusOr<std::shared_ptr<InferTask>> FindOpen(const void* handle) const;

  // Starts an open batch (its last hbDNNInfer had more = 0). On failure the task is forgotten.
  absl::Status Seal(const void* handle);

  absl::StatusOr<std::shared_ptr<InferTask>> Find(const void* handle) const;

  // Forgets the handle and cancels the task if it has not finished; returns at once (a running
  // task stops at its next node boundary on its worker).
  absl::Status Release(const void* handle);

  // hbDNNRelease: removes the packed handle from HandleRegistry unless a live task runs one of its
  // models (kModelIsRunning, nothing released).
  absl::Status ReleasePackedIfIdle(const void* packed_handle);

 private:
  mutable std::mutex mutex_;
  uintptr_t next_handle_;
  std::unordered_map<uintptr_t, std::shared_ptr<InferTask>> tasks_;
  std::unordered_set<uintptr_t> released_;
  std::unordered_set<uintptr_t> open_;  // `more` batches not sealed yet

 public:
  TaskRegistry();
};

}  // namespace hb_dnn::runtime

#endif  // HB_DNN_SRC_RUNTIME_TASK_REGISTRY_H_
