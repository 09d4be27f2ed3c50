#include "src/base/clock.h"

#include <cerrno>
#include <ctime>

#if defined(__linux__)
#include <sys/prctl.h>
#endif

namespace hb_dnn {

SteadyClock& SteadyClock::Instance() {
  static SteadyClock* clock = new SteadyClock();
  return *clock;
}

int64_t SteadyClock::NowNanos() const {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

void SteadyClock::SleepUntil(int64_t deadline_ns) {
#if defined(__linux__)
  thread_local bool slack_set = [] {
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
    return true;
  }();
  (void)slack_set;
#endif
  timespec ts;
  ts.tv_sec = static_cast<time_t>(deadline_ns / 1000000000);
  ts.tv_nsec = static_cast<long>(deadline_ns % 1000000000);
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
  }
}

int64_t VirtualClock::NowNanos() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return now_ns_;
}

void VirtualClock::SleepUntil(int64_t deadline_ns) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (deadline_ns <= now_ns_) return;
  bool woken = false;
  sleepers_.emplace(deadline_ns, &woken);
  --work_;  // the caller's unit, handed back by MaybeAdvanceLocked when it wakes us
  MaybeAdvanceLocked();
  wake_.wait(lock, [&] { return woken; });
}

void VirtualClock::BeginWork() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++work_;
}

void VirtualClock::EndWork() {
  std::lock_guard<std::mutex> lock(mutex_);
  --work_;
  MaybeAdvanceLocked();
}

void VirtualClock::MaybeAdvanceLocked() {
  if (work_ > 0 || sleepers_.empty()) return;
  // Wake one sleeper at a time, earliest deadline first and, among equal deadlines, in the order
  // they went to sleep; it wakes holding a unit of work, so the next one wakes only once it has
  // gone back to sleep or ended its work. Events at the same instant are thus serialized in a
  // reproducible order.
  auto first = sleepers_.begin();
  now_ns_ = first->first;
  *first->second = true;
  sleepers_.erase(first);
  ++work_;
  wake_.notify_all();
}

int64_t VirtualClock::work_units() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return work_;
}

size_t VirtualClock::sleeper_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return sleepers_.size();
}

}  // namespace hb_dnn
