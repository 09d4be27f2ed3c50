#ifndef HB_DNN_SRC_RUNTIME_INFER_TASK_H_
#define HB_DNN_SRC_RUNTIME_INFER_TASK_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "src/base/clock.h"
#include "src/bpu/device.h"
#include "src/runtime/program.h"
#include "src/scheduler/scheduler.h"
#include "src/runtime/model.h"

namespace hb_dnn::runtime {

// A caller's tensor as hbDNNInfer received it, already checked against the model: where its bytes
// are and how they are laid out (row-major over `aligned_shape`, the valid region at the origin of
// each dimension).
struct TensorBinding {
  uint8_t* data = nullptr;  // the caller's virAddr (CPU view)
  uint64_t bytes = 0;       // bytes of the aligned tensor at `data`
  // Image inputs are bound as rows of bytes (element_size 1); NV12 as (N, H*3/2, W) over
  // (N, H*3/2, W16), the layout of runtime::ImageTensorShape.
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

// How a task asked to run (hbDNNInferCtrlParam, validated by the C API).
struct InferOptions {
  int32_t priority = 0;   // 0..255; 255 (HB_DNN_PRIORITY_PREEMP) preempts at FC boundaries
  int64_t custom_id = 0;  // smaller first among equal priorities
  int32_t core_mask = 0;  // hbBPUCore bits: 0 = any core, 1 = core 0, 2 = core 1
};

// Where a task's time went, on the BPU device's clock (virtual time in HB_DNN_SIM_TIMING=virtual,
// else the host's steady clock). Valid once the task is done.
struct TaskTiming {
  int64_t submit_ns = 0;    // hbDNNInfer
  int64_t end_ns = 0;       // completion
  int64_t bpu_ns = 0;       // sum over FCs of the time they occupied their core
  int32_t fc_count = 0;     // FCs executed
  int32_t core = -1;        // the BPU core the task's FCs ran on; -1 if none ran
};

// One inference submission. Created by hbDNNInfer, executed on the CPU worker pool, observed by
// hbDNNWaitTaskDone / hbDNNSetTaskDoneCb, dropped by hbDNNReleaseTask. Thread-safe.
//
// The task holds a reference to its model, so releasing the packed handle while it runs is safe
// (hbDNNRelease refuses with HB_DNN_MODEL_IS_RUNNING anyway).
//
// A task first waits for admission by the scheduler (the running-set cap, priorities). Then it
// walks its program's stages: CPU segments run on the CPU worker pool; each BPU segment goes to
// the scheduler as a list of function-calls, which commits them to a core of the BPU device, and
// the task continues from the segment's completion. No thread blocks while the BPU works.
class InferTask : public std::enable_shared_from_this<InferTask> {
 public:
  // `device` is required when the model has BPU stages (else may be null). `scheduler` must
  // outlive the task.
  InferTask(std::shared_ptr<const Model> model, std::vector<TensorBinding> inputs,
            std::vector<TensorBinding> outputs, InferOptions options,
            bpu::Device* device, scheduler::Scheduler* scheduler);

  // `more` batching: adds another inference to run after the ones before it, in the same task
  // (one admission, one core, one completion). Only before Start. `device` as in the constructor.
  void Append(std::shared_ptr<const Model> model, std::vector<TensorBinding> inputs,
              std::vector<TensorBinding> outputs, bpu::Device* device);
  // Inferences in the task (1 + appended).
  size_t batch_size() const;
  // Whether any inference of the task runs `model` (for hbDNNRelease).
  bool UsesModel(const Model* model) const;

  // Hands the task to the scheduler (returns at once); called once, by TaskRegistry, on a
  // shared_ptr. Logs the cache model's warnings (HB_DNN_SIM_CACHE_CHECK=1) on the caller's
  // thread. Errors (kInvalidArgument: a core mask the device does not have) leave it unstarted.
  absl::Status Start();

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
  // Valid once done() (a snapshot).
  TaskTiming timing() const;

 private:
  static bool ShouldStop(const void* self);
  absl::Status Submit();                // Start's body: scheduler submission
  void Begin();                         // on the CPU pool: context, copy-in, then RunFrom(0)
  void RunFrom(size_t stage);           // CPU stages here; a BPU segment is submitted, then return
  void SubmitSegment(size_t first_stage);
  void Finish(absl::Status status);     // copy-out if OK, release the context, Complete
  void WarnAboutCaches() const;
  void Complete(absl::Status status);
  scheduler::TaskId SchedulerId() const;
  void CopyIn(Program::ExecutionContext& context) const;
  void CopyOut(const Program::ExecutionContext& context) const;
  Clock* clock() const;

  // The inference being run; the batch's next ones wait in pending_jobs_ (swapped in on the task's
  // own thread between inferences). all_models_ is fixed at Start.
  struct Job {
    std::shared_ptr<const Model> model;
    std::vector<TensorBinding> inputs;
    std::vector<TensorBinding> outputs;
  };
  std::shared_ptr<const Model> model_;
  std::vector<TensorBinding> inputs_;
  std::vector<TensorBinding> outputs_;
  std::deque<Job> pending_jobs_;
  std::vector<const Model*> all_models_;
  InferOptions options_;
  bpu::Device* device_;
  scheduler::Scheduler* scheduler_;
  mutable std::mutex start_mutex_;  // guards scheduler_id_ between Start and the task's threads
  scheduler::TaskId scheduler_id_ = 0;

  // Owned by whichever thread runs the task's current stage (one at a time).
  std::unique_ptr<Program::ExecutionContext> context_;
  TaskTiming timing_;  // written before Complete; read under mutex_ after done_

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
