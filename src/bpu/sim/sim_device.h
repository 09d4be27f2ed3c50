#ifndef HB_DNN_SRC_BPU_SIM_SIM_DEVICE_H_
#define HB_DNN_SRC_BPU_SIM_SIM_DEVICE_H_

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "src/base/clock.h"
#include "src/bpu/device.h"
#include "src/bpu/sim/fault_plan.h"
#include "src/bpu/timing_mode.h"

namespace hb_dnn::bpu {

// The simulated BPU: one host thread per core serving the core's high queue, then its normal
// queue, one FC at a time. An FC computes its numerics (FunctionCall::execute) when it starts and
// occupies its core for profile.fc_overhead_ns + modelled_ns (times a slow-core fault's factor):
// not at all in TimingMode::kOff, sleeping on the steady clock in kRealtime, and on the device's
// own VirtualClock in kVirtual.
class SimDevice : public Device {
 public:
  struct Options {
    const MarchProfile* profile = nullptr;  // required
    TimingMode timing = TimingMode::kOff;
    FaultPlan faults;
  };

  static absl::StatusOr<std::unique_ptr<SimDevice>> Create(Options options);
  // Completes every accepted FC, then stops the core threads.
  ~SimDevice() override;

  const char* backend_name() const override { return "sim"; }
  const MarchProfile& profile() const override { return *profile_; }
  int core_count() const override { return static_cast<int>(cores_.size()); }
  Clock& clock() override { return *clock_; }
  absl::Status Submit(int core, QueueClass queue, FunctionCall fc, CompletionCallback done) override;
  absl::StatusOr<QueueDepth> GetQueueDepth(int core) const override;
  void Drain() override;

  TimingMode timing() const { return timing_; }

  // Replaces the fault plan; FC counting of the new plan starts with the next FC to start.
  void SetFaults(FaultPlan faults);

 private:
  struct Job {
    FunctionCall fc;
    CompletionCallback done;
    QueueClass queue;
  };
  struct Core {
    std::deque<Job> high;
    std::deque<Job> normal;
    bool running = false;
    // Between a Submit that found the core idle and the core finding its queues empty: the core
    // holds one unit of the clock's work (Clock::BeginWork), so virtual time waits for it.
    bool active = false;
    std::condition_variable wake;
    std::thread thread;
  };

  SimDevice(const MarchProfile* profile, TimingMode timing, FaultPlan faults);
  void CoreLoop(int index);

  const MarchProfile* profile_;
  TimingMode timing_;
  std::unique_ptr<VirtualClock> virtual_clock_;
  Clock* clock_;

  mutable std::mutex mutex_;
  std::condition_variable drained_;
  int64_t in_flight_ = 0;  // accepted, callback not yet returned
  bool stopping_ = false;
  FaultPlan faults_;
  std::vector<std::unique_ptr<Core>> cores_;
};

}  // namespace hb_dnn::bpu

#endif  // HB_DNN_SRC_BPU_SIM_SIM_DEVICE_H_
