#include "src/bpu/sim/sim_device.h"

#include <cmath>
#include <utility>

#include "src/base/status.h"

namespace hb_dnn::bpu {

absl::StatusOr<std::unique_ptr<SimDevice>> SimDevice::Create(Options options) {
  if (options.profile == nullptr) {
    return Error(ErrorCode::kInvalidArgument, "SimDevice needs a march profile");
  }
  std::unique_ptr<SimDevice> device(
      new SimDevice(options.profile, options.timing, std::move(options.faults)));
  return device;
}

SimDevice::SimDevice(const MarchProfile* profile, TimingMode timing, FaultPlan faults)
    : profile_(profile), timing_(timing), faults_(std::move(faults)) {
  if (timing == TimingMode::kVirtual) {
    virtual_clock_ = std::make_unique<VirtualClock>();
    clock_ = virtual_clock_.get();
  } else {
    clock_ = &SteadyClock::Instance();
  }
  for (int i = 0; i < profile->cores; ++i) cores_.push_back(std::make_unique<Core>());
  for (int i = 0; i < profile->cores; ++i) {
    cores_[i]->thread = std::thread([this, i] { CoreLoop(i); });
  }
}

SimDevice::~SimDevice() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  for (auto& core : cores_) core->wake.notify_all();
  for (auto& core : cores_) core->thread.join();
}

absl::Status SimDevice::Submit(int core, QueueClass queue, FunctionCall fc,
                               CompletionCallback done) {
  if (core < 0 || core >= core_count()) {
    return Errorf(ErrorCode::kInvalidArgument, "BPU core ", core, " does not exist (",
                  profile_->chip, " has ", core_count(), " cores)");
  }
  if (fc.modelled_ns < 0) {
    return Errorf(ErrorCode::kInvalidArgument, "function-call ", fc.id, ": modelled duration ",
                  fc.modelled_ns, " ns is negative");
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return Error(ErrorCode::kRunTaskFailed, "the simulated BPU is shutting down");
    ++in_flight_;
    Core& c = *cores_[core];
    (queue == QueueClass::kHigh ? c.high : c.normal)
        .push_back(Job{std::move(fc), std::move(done), queue});
    // An idle core is handed a unit of work with the job, so virtual time cannot pass before it
    // has taken the job; an active core holds its unit until its queues are empty.
    if (!c.active) {
      c.active = true;
      clock_->BeginWork();
    }
  }
  cores_[core]->wake.notify_one();
  return absl::OkStatus();
}

absl::StatusOr<QueueDepth> SimDevice::GetQueueDepth(int core) const {
  if (core < 0 || core >= core_count()) {
    return Errorf(ErrorCode::kInvalidArgument, "BPU core ", core, " does not exist (",
                  profile_->chip, " has ", core_count(), " cores)");
  }
  std::lock_guard<std::mutex> lock(mutex_);
  const Core& c = *cores_[core];
  return QueueDepth{static_cast<int>(c.high.size()), static_cast<int>(c.normal.size()), c.running};
}

void SimDevice::Drain() {
  std::unique_lock<std::mutex> lock(mutex_);
  drained_.wait(lock, [&] { return in_flight_ == 0; });
}

void SimDevice::SetFaults(FaultPlan faults) {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_ = std::move(faults);
}

void SimDevice::CoreLoop(int index) {
  Core& core = *cores_[index];
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    if (core.high.empty() && core.normal.empty()) {
      if (core.active) {
        core.active = false;
        lock.unlock();
        clock_->EndWork();
        lock.lock();
        continue;  // a Submit may have come in meanwhile
      }
      if (stopping_) return;
      core.wake.wait(lock);
      continue;
    }
    std::deque<Job>& queue = core.high.empty() ? core.normal : core.high;
    Job job = std::move(queue.front());
    queue.pop_front();
    core.running = true;
    // Discarded FCs never reach the hardware: they do not count for fault plans either.
    const bool discarded = job.fc.discard != nullptr && job.fc.discard->load();
    FaultDecision fault = discarded ? FaultDecision{} : faults_.OnFcStart(index);
    lock.unlock();

    FcCompletion completion;
    completion.id = job.fc.id;
    completion.core = index;
    completion.queue = job.queue;
    completion.start_ns = clock_->NowNanos();
    int64_t occupy_ns = profile_->fc_overhead_ns;
    if (discarded) {
      occupy_ns = 0;
      completion.status = absl::CancelledError("discarded before it started");
    } else if (fault.error) {
      completion.status = Errorf(ErrorCode::kRunTaskFailed, "BPU core ", index,
                                 ": device error in function-call ", job.fc.id, " (injected)");
    } else if (fault.timeout) {
      int64_t watchdog = fault.timeout_after_ns > 0 ? fault.timeout_after_ns
                                                    : profile_->fc_watchdog_ns;
      occupy_ns = watchdog;
      completion.status = Errorf(ErrorCode::kTimeout, "BPU core ", index, ": function-call ",
                                 job.fc.id, " did not finish within the ", watchdog / 1000,
                                 " us watchdog (injected hang); the core was reset");
    } else {
      occupy_ns += static_cast<int64_t>(
          std::llround(static_cast<double>(job.fc.modelled_ns) * fault.slow_factor));
      if (job.fc.execute) completion.status = job.fc.execute();
    }
    if (timing_ == TimingMode::kOff || discarded) {
      completion.end_ns = clock_->NowNanos();
    } else {
      completion.end_ns = completion.start_ns + occupy_ns;
      clock_->SleepUntil(completion.end_ns);
      // Realtime: numerics slower than the model overrun the modelled end; report the truth.
      if (timing_ == TimingMode::kRealtime) {
        completion.end_ns = std::max(completion.end_ns, clock_->NowNanos());
      }
    }
    lock.lock();
    core.running = false;
    lock.unlock();
    if (job.done) job.done(completion);
    // Drop the submitter's closures (and whatever they own) before taking the lock again.
    job = Job{};
    lock.lock();
    if (--in_flight_ == 0) drained_.notify_all();
  }
}

}  // namespace hb_dnn::bpu
