#ifndef HB_DNN_SRC_RUNTIME_TASK_REGISTRY_H_
#define HB_DNN_SRC_RUNTIME_TASK_REGISTRY_H_

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

// Live task handles (a handle is its InferTask's address), like HandleRegistry for models.
// Thread-safe.
class TaskRegistry {
 public:
  static TaskRegistry& Instance();

  // Registers the task and hands it to the CPU worker pool. kTaskNumExceedLimit when 32 tasks
  // already exist (the task is not started).
  absl::StatusOr<void*> Submit(std::shared_ptr<InferTask> task);

  absl::StatusOr<std::shared_ptr<InferTask>> Find(const void* handle) const;

  // Forgets the handle and cancels the task if it has not finished; returns at once (a running
  // task stops at its next node boundary on its worker).
  absl::Status Release(const void* handle);

  // True when a live task runs a model of `packed`.
  bool HasTasksFor(const PackedModel& packed) const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<const void*, std::shared_ptr<InferTask>> tasks_;
  std::unordered_set<const void*> released_;
};

}  // namespace hb_dnn::runtime

#endif  // HB_DNN_SRC_RUNTIME_TASK_REGISTRY_H_
