#ifndef HB_DNN_SRC_BPU_DEVICE_H_
#define HB_DNN_SRC_BPU_DEVICE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "src/base/clock.h"
#include "src/bpu/march_profile.h"

namespace hb_dnn::bpu {

// Each core has two hardware queues. At every function-call boundary a core takes the oldest FC
// of its high queue if there is one, else the oldest of its normal queue; a running FC is never
// interrupted (preemption happens only between FCs).
enum class QueueClass : uint8_t { kNormal = 0, kHigh = 1 };

// One unit of BPU work as the device sees it. A real backend's FC is a compiled instruction
// stream plus its input/output addresses; the simulated BPU's is the closure that computes the
// FC's int8 numerics (built by the runtime from src/kernels) plus its modelled duration.
struct FunctionCall {
  uint64_t id = 0;          // the submitter's tag, echoed in the completion
  int64_t modelled_ns = 0;  // modelled execution time (the model file's, from the march profile)
  // Computes the FC's outputs; runs on the core that executes the FC. May be empty (timing-only
  // FCs, as the scheduler benchmarks use). Its error becomes the FC's status.
  std::function<absl::Status()> execute;
  // When set and true as the FC reaches the head of its queue, the FC is discarded: it completes
  // at once with a kCancelled status, without numerics or modelled time (how the driver drops
  // the committed FCs of a failed or released task).
  std::shared_ptr<const std::atomic<bool>> discard;
};

struct FcCompletion {
  uint64_t id = 0;
  int core = 0;
  QueueClass queue = QueueClass::kNormal;
  // OK, or why the FC failed: kRunTaskFailed for a device error, kTimeout when the FC did not
  // finish before the core's watchdog (the FC's outputs are then undefined); absl kCancelled
  // when it was discarded (FunctionCall::discard).
  absl::Status status;
  int64_t start_ns = 0;  // device clock: the core took the FC
  int64_t end_ns = 0;    // device clock: the core was free again
};

// Called exactly once per accepted FC, on a device thread, after the FC has released its core and
// before the core looks at its queues again (so a submission made from the callback is seen at
// this very boundary). Must not block; may call Submit.
using CompletionCallback = std::function<void(const FcCompletion&)>;

struct QueueDepth {
  int high = 0;          // FCs waiting in the high queue
  int normal = 0;        // FCs waiting in the normal queue
  bool running = false;  // an FC occupies the core
};

// The BPU as the runtime and the scheduler see it. Implementations are thread-safe. Backends:
// sim/ (the simulated BPU) and null/ (every call fails; the template for a real backend).
class Device {
 public:
  virtual ~Device() = default;

  virtual const char* backend_name() const = 0;
  virtual const MarchProfile& profile() const = 0;
  virtual int core_count() const = 0;

  // The clock FC start/end times are measured on: the steady clock, or a virtual clock in the
  // simulator's virtual timing mode. Schedulers and submitters use it for their own timing and,
  // on a virtual clock, for its work accounting (Clock::BeginWork/EndWork).
  virtual Clock& clock() = 0;

  // Queues `fc` on `core`'s `queue`. kInvalidArgument for a core outside [0, core_count());
  // kRunTaskFailed when the device cannot accept work. On success `done` runs exactly once.
  virtual absl::Status Submit(int core, QueueClass queue, FunctionCall fc,
                              CompletionCallback done) = 0;

  // A snapshot of `core`'s queues; kInvalidArgument for a bad core.
  virtual absl::StatusOr<QueueDepth> GetQueueDepth(int core) const = 0;

  // Blocks until every accepted FC has completed and its callback has returned. Must not be
  // called from a completion callback.
  virtual void Drain() = 0;
};

}  // namespace hb_dnn::bpu

#endif  // HB_DNN_SRC_BPU_DEVICE_H_
