#ifndef HB_DNN_SRC_BASE_CLOCK_H_
#define HB_DNN_SRC_BASE_CLOCK_H_

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>

namespace hb_dnn {

// Time as the simulated BPU and the scheduler see it, in nanoseconds from an arbitrary origin.
//
// Two implementations: SteadyClock (the host's monotonic clock; SleepUntil really sleeps) and
// VirtualClock (a discrete-event clock: time stands still while anybody works and jumps to the
// next deadline when everybody waits). Code that runs on either reports its activity with
// BeginWork/EndWork, which the steady clock ignores; see VirtualClock for the protocol.
class Clock {
 public:
  virtual ~Clock() = default;

  virtual int64_t NowNanos() const = 0;

  // Blocks until NowNanos() >= deadline_ns. On a virtual clock the caller must hold a unit of
  // work (BeginWork); it is given up while sleeping and held again on return.
  virtual void SleepUntil(int64_t deadline_ns) = 0;

  // Work accounting for virtual time: a unit of work is "something that will act without time
  // passing", e.g. a job handed to a worker thread, or a thread that is running. Hand a unit over
  // before the receiver can run (BeginWork by the giver, EndWork by the receiver when it is done),
  // so time never advances between the hand-over and the receiver waking.
  virtual void BeginWork() {}
  virtual void EndWork() {}

  virtual bool is_virtual() const { return false; }
};

// std::chrono::steady_clock. SleepUntil uses an absolute-deadline sleep on CLOCK_MONOTONIC; the
// first sleep of each thread sets the thread's timer slack to 1 ns (Linux), so that a sleeping FC
// does not overshoot by the default 50 us slack.
class SteadyClock : public Clock {
 public:
  static SteadyClock& Instance();
  int64_t NowNanos() const override;
  void SleepUntil(int64_t deadline_ns) override;
};

// A discrete-event clock shared by threads. It counts outstanding units of work; while the count
// is positive, time stands still. When the last unit ends and threads sleep in SleepUntil, time
// jumps to the earliest deadline and the first of those sleepers wakes holding a unit of work
// again; sleepers due at the same instant wake one after another in the order they went to sleep.
// Given the same sequence of work hand-overs the times observed are exactly reproducible,
// independent of host speed.
//
// A thread that blocks on something other than SleepUntil (a queue, a condition) must not hold a
// unit of work while blocked, or time stops forever; whoever wakes it hands it a unit.
class VirtualClock : public Clock {
 public:
  explicit VirtualClock(int64_t start_ns = 0) : now_ns_(start_ns) {}

  int64_t NowNanos() const override;
  void SleepUntil(int64_t deadline_ns) override;
  void BeginWork() override;
  void EndWork() override;
  bool is_virtual() const override { return true; }

  // Test hooks.
  int64_t work_units() const;
  size_t sleeper_count() const;

 private:
  // Requires mutex_. Advances time if nobody works and somebody sleeps.
  void MaybeAdvanceLocked();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  int64_t now_ns_;
  int64_t work_ = 0;
  std::multimap<int64_t, bool*> sleepers_;  // deadline -> "woken" flag of the sleeping thread
};

}  // namespace hb_dnn

#endif  // HB_DNN_SRC_BASE_CLOCK_H_
