#include "src/scheduler/scheduler.h"

#include <algorithm>
#include <atomic>
#include <utility>

#include "src/base/status.h"

namespace hb_dnn::scheduler {

// The FCs of one BPU segment still inside the scheduler, and its outcome. Shared with the FC
// closures handed to the device, so a failed segment's committed FCs can skip their numerics.
struct Scheduler::Segment {
  std::vector<bpu::FunctionCall> pending;  // not yet committed, in order
  size_t next = 0;                         // index of the next FC to commit
  int in_flight = 0;                       // committed, not completed
  SegmentResult result;                    // status: first error, or cancellation
  // Set on error or cancellation: the segment's committed FCs are discarded by the device.
  std::shared_ptr<std::atomic<bool>> failed = std::make_shared<std::atomic<bool>>(false);
  SegmentDoneFn done;
};

struct Scheduler::Task {
  TaskId id = 0;
  TaskParams params;
  uint64_t seq = 0;
  bool running = false;
  AdmittedFn admitted;
  int core = -1;          // bound at the first commit
  int64_t fcs_committed = 0;
  std::shared_ptr<Segment> segment;  // current segment, or null
};

bool Scheduler::Key::operator<(const Key& o) const {
  if (cls != o.cls) return cls < o.cls;
  if (neg_priority != o.neg_priority) return neg_priority < o.neg_priority;
  if (custom_id != o.custom_id) return custom_id < o.custom_id;
  return seq < o.seq;
}

Scheduler::Scheduler(Options options, Clock* clock) : options_(options), clock_(clock) {}

Scheduler::~Scheduler() = default;

void Scheduler::AttachDevice(bpu::Device* device) {
  std::lock_guard<std::mutex> lock(mutex_);
  device_ = device;
  clock_ = &device->clock();
  committed_.assign(static_cast<size_t>(device->core_count()), 0);
}

Scheduler::Key Scheduler::KeyOf(const Task& task) const {
  switch (options_.policy) {
    case Policy::kPreemptive:
      return {task.params.priority == 255 ? 0 : 1, -task.params.priority, task.params.custom_id,
              task.seq};
    case Policy::kPriority:
      return {1, -task.params.priority, task.params.custom_id, task.seq};
    case Policy::kFifo:
      return {1, 0, 0, task.seq};
  }
  return {1, 0, 0, task.seq};
}

bool Scheduler::Bypasses(const Task& task) const {
  return options_.policy == Policy::kPreemptive && task.params.priority == 255;
}

int64_t Scheduler::NowLocked() const { return clock_ != nullptr ? clock_->NowNanos() : 0; }

void Scheduler::TraceLocked(TraceEvent event) {
  if (!trace_) return;
  event.time_ns = NowLocked();
  trace_(event);
}

void Scheduler::SetTraceSink(TraceSink sink) {
  std::lock_guard<std::mutex> lock(mutex_);
  trace_ = std::move(sink);
}

absl::StatusOr<TaskId> Scheduler::Submit(const TaskParams& params, AdmittedFn admitted) {
  if (params.priority < 0 || params.priority > 255) {
    return Errorf(ErrorCode::kInvalidArgument, "priority ", params.priority,
                  " is outside [0, 255]");
  }
  std::vector<AdmittedFn> to_run;
  TaskId id = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (device_ != nullptr && params.core_mask != 0) {
      uint32_t all = (1u << device_->core_count()) - 1;
      if ((params.core_mask & ~all) != 0) {
        return Errorf(ErrorCode::kInvalidArgument, "core mask ", params.core_mask,
                      " names a core the ", device_->profile().chip, " does not have (",
                      device_->core_count(), " cores)");
      }
    }
    auto task = std::make_unique<Task>();
    task->id = id = next_id_++;
    task->params = params;
    task->seq = next_seq_++;
    task->admitted = std::move(admitted);
    Task* raw = task.get();
    tasks_.emplace(id, std::move(task));
    queued_.emplace(KeyOf(*raw), raw);
    TraceLocked({TraceEvent::Kind::kSubmit, 0, id, params.priority});
    to_run = AdmitLocked();
  }
  for (AdmittedFn& fn : to_run) fn();
  return id;
}

std::vector<Scheduler::AdmittedFn> Scheduler::AdmitLocked() {
  std::vector<AdmittedFn> to_run;
  // Preemptive tasks sort first and bypass the cap; the first normal task that does not fit
  // stops admission (strict order: nothing overtakes it).
  while (!queued_.empty()) {
    Task* task = queued_.begin()->second;
    bool bypass = Bypasses(*task);
    if (!bypass && running_normal_ >= options_.max_running) break;
    queued_.erase(queued_.begin());
    task->running = true;
    (bypass ? running_preemptive_ : running_normal_) += 1;
    TraceLocked({TraceEvent::Kind::kAdmit, 0, task->id, task->params.priority});
    to_run.push_back(std::move(task->admitted));
  }
  return to_run;
}

absl::Status Scheduler::SubmitFcs(TaskId id, std::vector<bpu::FunctionCall> fcs,
                                  SegmentDoneFn done) {
  SegmentDoneFn finished_now;
  std::vector<std::pair<SegmentDoneFn, SegmentResult>> deferred;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (device_ == nullptr) {
      return Error(ErrorCode::kApiUseError, "no BPU device is attached to the scheduler");
    }
    auto it = tasks_.find(id);
    if (it == tasks_.end() || !it->second->running) {
      return Errorf(ErrorCode::kApiUseError, "task ", id, " is not in the running set");
    }
    Task& task = *it->second;
    if (task.segment != nullptr) {
      return Errorf(ErrorCode::kApiUseError, "task ", id, " already has a BPU segment in flight");
    }
    auto segment = std::make_shared<Segment>();
    segment->pending = std::move(fcs);
    segment->done = std::move(done);
    task.segment = segment;
    if (segment->pending.empty()) {
      task.segment = nullptr;
      finished_now = std::move(segment->done);
    } else {
      ready_.emplace(KeyOf(task), &task);
      DispatchLocked();
    }
    deferred = TakeDeferredLocked();
  }
  if (finished_now) finished_now(SegmentResult{});
  for (auto& [fn, result] : deferred) {
    if (fn) fn(result);
  }
  return absl::OkStatus();
}

void Scheduler::DispatchLocked() {
  const int cores = static_cast<int>(committed_.size());
  while (!ready_.empty()) {
    // Cores with a free slot, fewest committed FCs first, then by index.
    int chosen_core = -1;
    Task* chosen = nullptr;
    std::vector<int> order(static_cast<size_t>(cores));
    for (int c = 0; c < cores; ++c) order[c] = c;
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return committed_[a] < committed_[b]; });
    for (int c : order) {
      if (options_.core_limit > 0 && committed_[c] >= options_.core_limit) continue;
      for (const auto& [key, task] : ready_) {
        bool eligible = task->core >= 0 ? task->core == c
                                        : (task->params.core_mask == 0 ||
                                           (task->params.core_mask & (1u << c)) != 0);
        if (eligible) {
          chosen = task;
          break;
        }
      }
      if (chosen != nullptr) {
        chosen_core = c;
        break;
      }
    }
    if (chosen == nullptr) return;

    Task& task = *chosen;
    std::shared_ptr<Segment> segment = task.segment;
    task.core = chosen_core;
    bpu::FunctionCall fc = std::move(segment->pending[segment->next++]);
    if (segment->next == segment->pending.size()) ready_.erase(KeyOf(task));
    const int64_t fc_number = task.fcs_committed++;
    fc.discard = segment->failed;
    ++segment->in_flight;
    ++committed_[chosen_core];
    TraceLocked({TraceEvent::Kind::kCommit, 0, task.id, task.params.priority, chosen_core,
                 fc_number});
    TaskId id = task.id;
    absl::Status submitted = device_->Submit(
        chosen_core, bpu::QueueClass::kNormal, std::move(fc),
        [this, id, segment, fc_number](const bpu::FcCompletion& done) {
          OnFcDone(id, segment, fc_number, done);
        });
    if (!submitted.ok()) {
      // The device refused (it is shutting down, or a backend without work): the segment fails.
      --segment->in_flight;
      --committed_[chosen_core];
      if (segment->result.status.ok()) segment->result.status = submitted;
      segment->failed->store(true);
      segment->next = segment->pending.size();
      ready_.erase(KeyOf(task));
      if (segment->in_flight == 0) {
        task.segment = nullptr;
        deferred_done_.emplace_back(std::move(segment->done), segment->result);
      }
    }
  }
}

std::vector<std::pair<Scheduler::SegmentDoneFn, SegmentResult>> Scheduler::TakeDeferredLocked() {
  std::vector<std::pair<SegmentDoneFn, SegmentResult>> out;
  out.swap(deferred_done_);
  return out;
}

void Scheduler::OnFcDone(TaskId id, std::shared_ptr<Segment> segment, int64_t fc_number,
                         const bpu::FcCompletion& done) {
  std::vector<std::pair<SegmentDoneFn, SegmentResult>> to_run;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    --committed_[done.core];
    --segment->in_flight;
    const bool discarded = absl::IsCancelled(done.status);
    if (!discarded) {
      segment->result.core = done.core;
      segment->result.fcs_completed += 1;
      segment->result.busy_ns += done.end_ns - done.start_ns;
    }
    auto it = tasks_.find(id);
    int priority = it != tasks_.end() ? it->second->params.priority : 0;
    TraceEvent event{TraceEvent::Kind::kFcDone, 0, id, priority, done.core, fc_number};
    event.start_ns = done.start_ns;
    event.ok = done.status.ok();
    TraceLocked(event);
    if (!done.status.ok() && !discarded && segment->result.status.ok()) {
      segment->result.status = done.status;
      segment->result.failed_fc_valid = true;
      segment->result.failed_fc = done.id;
      segment->failed->store(true);
      if (it != tasks_.end() && segment->next < segment->pending.size()) {
        ready_.erase(KeyOf(*it->second));
        segment->next = segment->pending.size();
      }
    }
    if (segment->in_flight == 0 && segment->next == segment->pending.size()) {
      if (it != tasks_.end() && it->second->segment == segment) it->second->segment = nullptr;
      deferred_done_.emplace_back(std::move(segment->done), segment->result);
    }
    // Refill the cores at this boundary: the best waiting FC takes the freed slot.
    DispatchLocked();
    to_run = TakeDeferredLocked();
  }
  for (auto& [fn, result] : to_run) {
    if (fn) fn(result);
  }
}

void Scheduler::Finish(TaskId id) {
  std::vector<AdmittedFn> to_run;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = tasks_.find(id);
    if (it == tasks_.end()) return;
    Task& task = *it->second;
    if (task.running) {
      (Bypasses(task) ? running_preemptive_ : running_normal_) -= 1;
    } else {
      queued_.erase(KeyOf(task));
    }
    if (task.segment != nullptr && task.segment->next < task.segment->pending.size()) {
      ready_.erase(KeyOf(task));
    }
    TraceLocked({TraceEvent::Kind::kFinish, 0, id, task.params.priority, task.core});
    tasks_.erase(it);
    to_run = AdmitLocked();
  }
  for (AdmittedFn& fn : to_run) fn();
}

Scheduler::CancelResult Scheduler::Cancel(TaskId id) {
  std::vector<std::pair<SegmentDoneFn, SegmentResult>> to_run;
  CancelResult result;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = tasks_.find(id);
    if (it == tasks_.end()) return CancelResult::kUnknown;
    Task& task = *it->second;
    TraceLocked({TraceEvent::Kind::kCancel, 0, id, task.params.priority, task.core});
    if (!task.running) {
      queued_.erase(KeyOf(task));
      tasks_.erase(it);
      return CancelResult::kWasQueued;
    }
    result = CancelResult::kWasRunning;
    std::shared_ptr<Segment> segment = task.segment;
    if (segment != nullptr) {
      if (segment->next < segment->pending.size()) {
        ready_.erase(KeyOf(task));
        segment->next = segment->pending.size();
      }
      if (segment->result.status.ok()) {
        segment->result.status = Error(ErrorCode::kRunTaskFailed, "cancelled by hbDNNReleaseTask");
      }
      segment->failed->store(true);
      if (segment->in_flight == 0) {
        task.segment = nullptr;
        deferred_done_.emplace_back(std::move(segment->done), segment->result);
      }
    }
    to_run = TakeDeferredLocked();
  }
  for (auto& [fn, result] : to_run) {
    if (fn) fn(result);
  }
  return result;
}

Snapshot Scheduler::GetSnapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  Snapshot s;
  s.running_normal = running_normal_;
  s.running_preemptive = running_preemptive_;
  s.queued = static_cast<int>(queued_.size());
  s.committed = committed_;
  return s;
}

}  // namespace hb_dnn::scheduler
