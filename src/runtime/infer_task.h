#ifndef HB_DNN_SRC_RUNTIME_INFER_TASK_H_
#define HB_DNN_SRC_RUNTIME_INFER_TASK_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "src/runtime/cpu_program.h"
#include "src/runtime/model.h"

namespace hb_dnn::runtime {

// A caller's tensor as hbDNNInfer received it, already checked against the model: where its bytes
// are and how they are laid out (row-major over `aligned_shape`, the valid region at the origin of
// each dimension).
struct TensorBinding {
  uint8_t* data = nullptr;
  std::vector<int32_t> valid_shape;
  std::vector<int32_t> aligned_shape;
  int element_size = 0;
};

// Checks a caller's tensor description against model input/output `io` and returns its binding.
// Errors (kInvalidArgument) start "input 0 'x': " and name the offending values; a short buffer
// gets the vendor FAQ's wording ("tensor aligned shape size is X, but tensor hbSysMem memSize is
// Y, tensor hbSysMem memSize should >= tensor aligned shape size!").
struct CallerTensor {
  int32_t tensor_type = 0;
  std::vector<int32_t> valid_shape;
  std::vector<int32_t> aligned_shape;
  uint64_t phy_addr = 0;
  void* vir_addr = nullptr;
  uint32_t mem_size = 0;
};
absl::StatusOr<TensorBinding> BindTensor(const IoTensor& io, bool is_input, size_t index,
                                         const CallerTensor& caller);

using TaskDoneCallback = void (*)(void* task_handle, int32_t status, void* userdata);

// One inference submission. Created by hbDNNInfer, executed on the CPU worker pool, observed by
// hbDNNWaitTaskDone / hbDNNSetTaskDoneCb, dropped by hbDNNReleaseTask. Thread-safe.
//
// The task holds a reference to its model, so releasing the packed handle while it runs is safe
// (hbDNNRelease refuses with HB_DNN_MODEL_IS_RUNNING anyway).
class InferTask {
 public:
  InferTask(std::shared_ptr<const Model> model, std::vector<TensorBinding> inputs,
            std::vector<TensorBinding> outputs);

  // Runs the model; called once on a worker thread. Completes the task (status, callback).
  void Execute();

  // Blocks until done (timeout_ms <= 0: forever). kTimeout when the time runs out (the task goes
  // on); otherwise the task's final status.
  absl::Status Wait(int32_t timeout_ms);

  // Registers the completion callback (replacing any previous one; null removes it). If the task
  // has already completed, `callback` runs now, on the caller's thread.
  void SetCallback(TaskDoneCallback callback, void* userdata, void* handle);

  // Asks a queued or running task to stop at its next node boundary. When it returns, the task
  // no longer reads or writes the caller's tensors. Idempotent.
  void Cancel();

  bool done() const;
  const Model& model() const { return *model_; }

 private:
  static bool ShouldStop(const void* self);
  void Complete(absl::Status status);
  void CopyIn(CpuProgram::ExecutionContext& context) const;
  void CopyOut(const CpuProgram::ExecutionContext& context) const;

  std::shared_ptr<const Model> model_;
  std::vector<TensorBinding> inputs_;
  std::vector<TensorBinding> outputs_;

  std::mutex io_mutex_;  // held while copying to/from the caller's tensors, and by Cancel
  mutable std::mutex mutex_;
  std::condition_variable done_cv_;
  bool done_ = false;
  bool callback_fired_ = false;
  absl::Status status_;
  std::atomic<bool> cancelled_{false};
  TaskDoneCallback callback_ = nullptr;
  void* callback_userdata_ = nullptr;
  void* handle_ = nullptr;
};

}  // namespace hb_dnn::runtime

#endif  // HB_DNN_SRC_RUNTIME_INFER_TASK_H_
