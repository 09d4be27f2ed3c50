#ifndef HB_DNN_SRC_SCHEDULER_SCHEDULER_H_
#define HB_DNN_SRC_SCHEDULER_SCHEDULER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "src/base/clock.h"
#include "src/bpu/device.h"
#include "src/scheduler/scheduler_options.h"

namespace hb_dnn::scheduler {

using TaskId = uint64_t;

struct TaskParams {
  int priority = 0;       // 0..255 (HB_DNN_PRIORITY_PREEMP = 255)
  int64_t custom_id = 0;  // smaller first among equal priorities
  uint32_t core_mask = 0; // bit c allows core c; 0 = any core
};

// One scheduling event, for tests, the benchmark and timelines. Times are on the device's clock.
struct TraceEvent {
  enum class Kind { kSubmit, kAdmit, kCommit, kFcDone, kFinish, kCancel };
  Kind kind = Kind::kSubmit;
  int64_t time_ns = 0;
  TaskId task = 0;
  int priority = 0;
  int core = -1;       // kCommit, kFcDone
  int64_t fc = -1;     // kCommit, kFcDone: the task's FC sequence number (from 0, across segments)
  int64_t start_ns = 0;  // kFcDone: when the core took the FC
  bool ok = true;        // kFcDone: the FC's status
};

struct Snapshot {
  int running_normal = 0;       // in the running set, counted against max_running
  int running_preemptive = 0;   // priority 255 tasks (kPreemptive policy), outside the cap
  int queued = 0;               // waiting for admission
  std::vector<int> committed;   // per core: FCs handed to the device and not yet completed
};

// The task scheduler (DESIGN §3, docs/scheduler.md). Two levels:
//
//  1. Admission: a submitted task waits in the runtime queue until it enters the running set, at
//     most Options::max_running normal tasks (priority 255 tasks bypass the cap under
//     kPreemptive). The queue is ordered by priority (higher first), then customId (smaller
//     first), then submission order.
//  2. Dispatch: a running task hands over a BPU segment as a list of function-calls. They wait in
//     the scheduler until committed to a core's hardware FIFO, which holds at most
//     Options::core_limit FCs including the running one (0 = unlimited). Whenever a core has a
//     free slot, the waiting FC of the best task eligible for that core is committed: 255 tasks
//     first (kPreemptive), then by the queue order. A task's FCs all run on one core: it is bound
//     to a core at its first commit (ANY: the eligible core with the fewest committed FCs, ties to
//     the lower index), so no core idles while an eligible FC waits.
//
// Preemption is therefore at FC boundaries only, and a preemptive task waits for at most
// core_limit committed FCs. Thread-safe; callbacks run without the scheduler's lock held.
// How a segment ended.
struct SegmentResult {
  absl::Status status;   // OK, the first FC error, or kRunTaskFailed "cancelled ..."
  bool failed_fc_valid = false;  // an FC failed (not a cancellation or a refused submission)
  uint64_t failed_fc = 0;        // then: its FunctionCall::id
  int core = -1;         // the core its FCs ran on (-1: none was committed)
  int fcs_completed = 0; // FCs the device executed (not those discarded after an error/cancel)
  int64_t busy_ns = 0;   // sum of their core occupancy (device clock)
};

class Scheduler {
 public:
  using AdmittedFn = std::function<void()>;
  using SegmentDoneFn = std::function<void(const SegmentResult&)>;
  using TraceSink = std::function<void(const TraceEvent&)>;

  // `clock` (not owned) times trace events until a device is attached; then the device's clock.
  Scheduler(Options options, Clock* clock);
  ~Scheduler();

  const Options& options() const { return options_; }

  // The device FCs go to. Must be called (once) before the first SubmitFcs; the device must
  // outlive the scheduler's use of it.
  void AttachDevice(bpu::Device* device);

  // Adds a task. `admitted` runs exactly once when it enters the running set, which may be during
  // this call (on this thread), unless the task is cancelled first. kInvalidArgument for a
  // priority outside 0..255 or a core mask naming no core of the device.
  absl::StatusOr<TaskId> Submit(const TaskParams& params, AdmittedFn admitted);

  // A running task's next BPU segment: `fcs` run in order on the task's core (their ids are kept;
  // the trace numbers FCs per task). `done` runs exactly once, on a device thread, after the last
  // FC completed, with OK or the first FC's error; after an error (or Cancel) the segment's
  // uncommitted FCs are dropped and its committed ones discarded by the device. At most one
  // segment per task at a time.
  // kApiUseError for an unknown or queued task, a segment already in flight, or no device.
  absl::Status SubmitFcs(TaskId id, std::vector<bpu::FunctionCall> fcs, SegmentDoneFn done);

  // The task ended (it must have no segment in flight): it leaves the running set and the best
  // queued tasks are admitted. Unknown ids are ignored.
  void Finish(TaskId id);

  enum class CancelResult { kUnknown, kWasQueued, kWasRunning };
  // hbDNNReleaseTask. A queued task is forgotten (its `admitted` never runs). A running task's
  // uncommitted FCs are dropped at once: no FC of it is committed after this call; its current
  // segment ends (kRunTaskFailed "cancelled") when its committed FCs have completed. The caller
  // still calls Finish for a running task.
  CancelResult Cancel(TaskId id);

  Snapshot GetSnapshot() const;

  // Receives every event, under the scheduler's lock: keep it short, never call back in.
  void SetTraceSink(TraceSink sink);

 private:
  struct Segment;
  struct Task;
  // Orders tasks: the first is served first.
  struct Key {
    int cls;          // 0 = preemptive (kPreemptive policy), 1 = normal
    int neg_priority;
    int64_t custom_id;
    uint64_t seq;
    bool operator<(const Key& o) const;
  };

  Key KeyOf(const Task& task) const;
  bool Bypasses(const Task& task) const;
  int64_t NowLocked() const;
  void TraceLocked(TraceEvent event);
  // Commits waiting FCs while cores have free slots.
  void DispatchLocked();
  // Admits queued tasks while the cap allows; returns their callbacks to run after unlocking.
  std::vector<AdmittedFn> AdmitLocked();
  void OnFcDone(TaskId id, std::shared_ptr<Segment> segment, int64_t fc_number,
                const bpu::FcCompletion& done);
  // Segment callbacks that became due under the lock, to run after unlocking.
  std::vector<std::pair<SegmentDoneFn, SegmentResult>> TakeDeferredLocked();

  const Options options_;
  Clock* clock_;
  bpu::Device* device_ = nullptr;

  mutable std::mutex mutex_;
  TaskId next_id_ = 1;
  uint64_t next_seq_ = 0;
  std::map<TaskId, std::unique_ptr<Task>> tasks_;
  std::map<Key, Task*> queued_;  // waiting for admission
  std::map<Key, Task*> ready_;   // running, with FCs waiting to be committed
  int running_normal_ = 0;
  int running_preemptive_ = 0;
  std::vector<int> committed_;   // per core
  std::vector<std::pair<SegmentDoneFn, SegmentResult>> deferred_done_;
  TraceSink trace_;
};

}  // namespace hb_dnn::scheduler

#endif  // HB_DNN_SRC_SCHEDULER_SCHEDULER_H_
