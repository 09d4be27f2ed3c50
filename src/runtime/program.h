#ifndef HB_DNN_SRC_RUNTIME_PROGRAM_H_
#define HB_DNN_SRC_RUNTIME_PROGRAM_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "src/base/aligned_buffer.h"
#include "src/kernels/op_kernel.h"
#include "src/kernels/op_registry.h"
#include "src/runtime/model.h"

namespace hb_dnn::runtime {

// A model turned into something runnable: one prepared kernel per node (in segment order), the
// model's stages (CPU segments, and the function-calls of BPU segments, whose int8 kernels the
// simulated BPU runs), and an arena plan in which every run-time tensor has a fixed offset, reused
// across tensors whose lifetimes do not overlap. Built once per model; immutable afterwards.
//
// Running needs an ExecutionContext (the arena plus views bound to it). Contexts are pooled, so
// steady-state inference allocates nothing; several contexts exist when several tasks of the
// same model run at once.
class Program {
 public:
  class ExecutionContext;

  // A run of consecutive steps executed as one unit: a CPU segment, or one BPU function-call.
  struct Stage {
    enum class Kind { kCpu, kBpuFc };
    Kind kind = Kind::kCpu;
    size_t first_step = 0;
    size_t end_step = 0;       // one past the last
    int64_t modelled_ns = 0;   // BPU function-calls: the file's modelled duration
    int fc_index = 0;          // BPU function-calls: position in its segment
    std::string segment_name;  // the file's segment name
    std::string name;          // "segment 'BPU_x' function-call 2" for messages and traces
  };

  // Fails with kInvalidModel naming the node when a kernel is missing, rejects its attributes or
  // computes a shape/type different from the file's tensor table.
  static absl::StatusOr<std::unique_ptr<Program>> Build(const Model& model,
                                                           const kernels::OpRegistry& registry);
  ~Program();

  // A context from the pool (or a new one); return it with Release. Thread-safe.
  absl::StatusOr<std::unique_ptr<ExecutionContext>> Acquire() const;
  void Release(std::unique_ptr<ExecutionContext> context) const;

  uint64_t arena_size() const { return arena_size_; }

  // Where model input/output `index` lives in a context: compact, row-major, its tensor's type.
  uint8_t* InputData(ExecutionContext& context, size_t index) const;
  const uint8_t* OutputData(const ExecutionContext& context, size_t index) const;
  uint64_t InputBytes(size_t index) const { return input_bytes_[index]; }
  uint64_t OutputBytes(size_t index) const { return output_bytes_[index]; }

  const std::vector<Stage>& stages() const { return stages_; }
  bool has_bpu() const { return has_bpu_; }
  // Whether model input `index` is read by a BPU function-call / output `index` written by one
  // (their bytes then travel through the device's view of the caller's memory).
  bool InputReadByBpu(size_t index) const { return input_read_by_bpu_[index]; }
  bool OutputWrittenByBpu(size_t index) const { return output_written_by_bpu_[index]; }

  // Runs steps [first, end) in order on `context`; the first kernel error stops the run and names
  // the node. `should_stop` (may be null) is polled between nodes: returning true abandons the
  // run with kRunTaskFailed "cancelled". Several stages of different contexts may run at once.
  absl::Status RunSteps(ExecutionContext& context, size_t first, size_t end,
                        bool (*should_stop)(const void*) = nullptr,
                        const void* stop_arg = nullptr) const;

  // Every stage in order, on the calling thread (CPU-only models, tests, tools).
  absl::Status Run(ExecutionContext& context, bool (*should_stop)(const void*) = nullptr,
                   const void* stop_arg = nullptr) const {
    return RunSteps(context, 0, steps_.size(), should_stop, stop_arg);
  }

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
    std::string node_name;
    std::string op_type;
    std::vector<int32_t> inputs;   // tensor indices, -1 = omitted
    std::vector<int32_t> outputs;
    std::vector<kernels::TensorInfo> input_infos;
    std::vector<kernels::TensorInfo> output_infos;
  };

  Program() = default;
  std::unique_ptr<ExecutionContext> NewContext() const;

  std::vector<Slot> slots_;  // per model tensor
  std::vector<Step> steps_;
  std::vector<Stage> stages_;
  bool has_bpu_ = false;
  std::vector<bool> input_read_by_bpu_;
  std::vector<bool> output_written_by_bpu_;
  std::vector<int32_t> input_tensors_;
  std::vector<int32_t> output_tensors_;
  std::vector<uint64_t> input_bytes_;
  std::vector<uint64_t> output_bytes_;
  uint64_t arena_size_ = 0;

  // HB_DNN_DUMP_PATH (read at load): after every node, each of its outputs is written to
  // <dir>/<model>/<node>_output<k>.bin (raw bytes, row-major, the tensor's type; later runs
  // overwrite). Empty = no dumps.
  std::string dump_dir_;
  void DumpStep(const ExecutionContext& context, size_t step) const;

  // HB_DNN_SIM_PROFILE=1: per-step run time (ns) summed over all runs, reported by op type on
  // stderr when the program is destroyed (the model is released).
  bool profile_ = false;
  std::string model_name_;
  mutable std::unique_ptr<std::atomic<int64_t>[]> step_ns_;
  mutable std::atomic<int64_t> runs_{0};

  mutable std::mutex pool_mutex_;
  mutable std::vector<std::unique_ptr<ExecutionContext>> pool_;
};

class Program::ExecutionContext {
 public:
  uint8_t* arena() { return arena_.get(); }

 private:
  friend class Program;
  AlignedBytes arena_;
  // Per step, views bound to this arena (built once per context).
  std::vector<std::vector<kernels::ConstTensorView>> inputs_;
  std::vector<std::vector<kernels::TensorView>> outputs_;
};

}  // namespace hb_dnn::runtime

#endif  // HB_DNN_SRC_RUNTIME_PROGRAM_H_
