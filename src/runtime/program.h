#ifndef HB_DNN_SRC_RUNTIME_CPU_PROGRAM_H_
#define HB_DNN_SRC_RUNTIME_CPU_PROGRAM_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "src/base/aligned_buffer.h"
#include "src/kernels/op_kernel.h"
#include "src/kernels/op_registry.h"
#include "src/runtime/model.h"

namespace hb_dnn::runtime {

// A model's CPU segments turned into something runnable: one prepared kernel per node (in
// segment order) and an arena plan in which every run-time tensor has a fixed offset, reused
// across tensors whose lifetimes do not overlap. Built once per model; immutable afterwards.
//
// Running needs an ExecutionContext (the arena plus views bound to it). Contexts are pooled, so
// steady-state inference allocates nothing; several contexts exist when several tasks of the
// same model run at once.
class CpuProgram {
 public:
  class ExecutionContext;

  // Fails with kInvalidModel naming the node when a kernel is missing, rejects its attributes or
  // computes a shape/type different from the file's tensor table; kApiUseError when the model has
  // BPU segments (they need the simulated BPU).
  static absl::StatusOr<std::unique_ptr<CpuProgram>> Build(const Model& model,
                                                           const kernels::OpRegistry& registry);
  ~CpuProgram();

  // A context from the pool (or a new one); return it with Release. Thread-safe.
  absl::StatusOr<std::unique_ptr<ExecutionContext>> Acquire() const;
  void Release(std::unique_ptr<ExecutionContext> context) const;

  uint64_t arena_size() const { return arena_size_; }

  // Where model input/output `index` lives in a context: compact, row-major, its tensor's type.
  uint8_t* InputData(ExecutionContext& context, size_t index) const;
  const uint8_t* OutputData(const ExecutionContext& context, size_t index) const;
  uint64_t InputBytes(size_t index) const { return input_bytes_[index]; }
  uint64_t OutputBytes(size_t index) const { return output_bytes_[index]; }

  // Runs every node in order on `context`; the first kernel error stops the run and names the
  // node. `should_stop` (may be null) is polled between nodes: returning true abandons the run
  // with kRunTaskFailed "cancelled".
  absl::Status Run(ExecutionContext& context, bool (*should_stop)(const void*) = nullptr,
                   const void* stop_arg = nullptr) const;

 private:
  // A tensor's home: a constant's bytes, or an arena offset.
  struct Slot {
    const uint8_t* constant = nullptr;
    uint64_t offset = 0;
    uint64_t bytes = 0;
  };
  struct Step {
    std::unique_ptr<kernels::OpKernel> kernel;
    std::string name;      // "node 'conv1' (Conv)" for messages
    std::string op_type;
    std::vector<int32_t> inputs;   // tensor indices, -1 = omitted
    std::vector<int32_t> outputs;
    std::vector<kernels::TensorInfo> input_infos;
    std::vector<kernels::TensorInfo> output_infos;
  };

  CpuProgram() = default;
  std::unique_ptr<ExecutionContext> NewContext() const;

  std::vector<Slot> slots_;  // per model tensor
  std::vector<Step> steps_;
  std::vector<int32_t> input_tensors_;
  std::vector<int32_t> output_tensors_;
  std::vector<uint64_t> input_bytes_;
  std::vector<uint64_t> output_bytes_;
  uint64_t arena_size_ = 0;

  // HB_DNN_SIM_PROFILE=1: per-step run time (ns) summed over all runs, reported by op type on
  // stderr when the program is destroyed (the model is released).
  bool profile_ = false;
  std::string model_name_;
  mutable std::unique_ptr<std::atomic<int64_t>[]> step_ns_;
  mutable std::atomic<int64_t> runs_{0};

  mutable std::mutex pool_mutex_;
  mutable std::vector<std::unique_ptr<ExecutionContext>> pool_;
};

class CpuProgram::ExecutionContext {
 public:
  uint8_t* arena() { return arena_.get(); }

 private:
  friend class CpuProgram;
  AlignedBytes arena_;
  // Per step, views bound to this arena (built once per context).
  std::vector<std::vector<kernels::ConstTensorView>> inputs_;
  std::vector<std::vector<kernels::TensorView>> outputs_;
};

}  // namespace hb_dnn::runtime

#endif  // HB_DNN_SRC_RUNTIME_CPU_PROGRAM_H_
