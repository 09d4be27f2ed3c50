// The scheduling contract (docs/scheduler.md; the properties of section 5 of the scheduler
// reference), checked on the simulated BPU's virtual clock: every ordering and time below is
// exact and reproducible.

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/error_code.h"
#include "src/base/status.h"
#include "src/bpu/march_profile.h"
#include "src/bpu/sim/sim_device.h"
#include "src/scheduler/scheduler.h"

namespace hb_dnn::scheduler {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int64_t kUs = 1000;

struct FcRecord {
  TaskId task;
  int core;
  int64_t fc;
  int64_t start_ns;
  int64_t end_ns;
  bool operator==(const FcRecord& o) const {
    return task == o.task && core == o.core && fc == o.fc && start_ns == o.start_ns &&
           end_ns == o.end_ns;
  }
};

// A scheduler on a virtual-time simulated BPU, with synthetic tasks: each task is one BPU segment
// of FCs with given modelled durations (no numerics) and finishes when the segment completes.
class Harness {
 public:
  explicit Harness(Options options) {
    bpu::SimDevice::Options device_options;
    device_options.profile = *bpu::FindMarchProfile("bernoulli2");
    device_options.timing = bpu::TimingMode::kVirtual;
    device_ = *bpu::SimDevice::Create(std::move(device_options));
    scheduler_ = std::make_unique<Scheduler>(options, &device_->clock());
    scheduler_->AttachDevice(device_.get());
    scheduler_->SetTraceSink([this](const TraceEvent& e) {
      events_.push_back(e);
      if (e.kind == TraceEvent::Kind::kFcDone) {
        fcs_.push_back({e.task, e.core, e.fc, e.start_ns, e.time_ns});
      }
    });
  }

  ~Harness() { device_->Drain(); }

  int64_t overhead() const { return device_->profile().fc_overhead_ns; }
  Clock& clock() { return device_->clock(); }
  Scheduler& scheduler() { return *scheduler_; }

  // Submits a task (the caller must hold a unit of virtual-time work, see Hold()).
  TaskId Add(int priority, std::vector<int64_t> fc_us, uint32_t core_mask = 0,
             int64_t custom_id = 0) {
    auto state = std::make_shared<TaskState>();
    state->fc_us = std::move(fc_us);
    TaskParams params{priority, custom_id, core_mask};
    absl::StatusOr<TaskId> id = scheduler_->Submit(params, [this, state] { Admitted(state); });
    EXPECT_TRUE(id.ok()) << id.status();
    bool admitted_already = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      state->id = *id;
      states_[*id] = state;
      admitted_already = state->admitted_early;
    }
    if (admitted_already) StartSegment(state);
    return *id;
  }

  // Holds virtual time still while the test thread submits several tasks "at the same instant".
  void Hold() { clock().BeginWork(); }
  void Release() { clock().EndWork(); }

  // Submits at virtual time `at_ns` from a generator thread (a participant of virtual time). Call
  // it while holding (Hold), or time may already have passed `at_ns`.
  void AddAt(int64_t at_ns, int priority, std::vector<int64_t> fc_us, uint32_t core_mask = 0) {
    clock().BeginWork();
    generators_.emplace_back([this, at_ns, priority, fc_us, core_mask] {
      clock().SleepUntil(at_ns);
      TaskId id = Add(priority, fc_us, core_mask);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        late_ids_.push_back(id);
      }
      clock().EndWork();
    });
  }

  void WaitAll() {
    for (std::thread& t : generators_) t.join();
    generators_.clear();
    std::unique_lock<std::mutex> lock(mutex_);
    done_cv_.wait(lock, [&] {
      for (const auto& [id, s] : states_) {
        if (!s->finished) return false;
      }
      return true;
    });
  }

  std::vector<TaskId> late_ids() {
    std::lock_guard<std::mutex> lock(mutex_);
    return late_ids_;
  }
  // Completed FCs in completion order.
  std::vector<FcRecord> fcs() { return fcs_; }
  std::vector<TraceEvent> events() { return events_; }
  std::vector<FcRecord> FcsOf(TaskId id) {
    std::vector<FcRecord> out;
    for (const FcRecord& r : fcs_) {
      if (r.task == id) out.push_back(r);
    }
    return out;
  }
  SegmentResult ResultOf(TaskId id) {
    std::lock_guard<std::mutex> lock(mutex_);
    return states_[id]->result;
  }
  int64_t EndOf(TaskId id) {
    std::vector<FcRecord> f = FcsOf(id);
    return f.empty() ? -1 : f.back().end_ns;
  }
  int64_t StartOf(TaskId id) {
    std::vector<FcRecord> f = FcsOf(id);
    return f.empty() ? -1 : f.front().start_ns;
  }
  // Order in which tasks were admitted.
  std::vector<TaskId> AdmitOrder() {
    std::vector<TaskId> out;
    for (const TraceEvent& e : events_) {
      if (e.kind == TraceEvent::Kind::kAdmit) out.push_back(e.task);
    }
    return out;
  }
  void MarkCancelled(TaskId id) {
    std::lock_guard<std::mutex> lock(mutex_);
    states_[id]->finished = true;
    done_cv_.notify_all();
  }

 private:
  struct TaskState {
    TaskId id = 0;
    std::vector<int64_t> fc_us;
    bool admitted_early = false;
    bool finished = false;
    SegmentResult result;
  };

  void Admitted(const std::shared_ptr<TaskState>& state) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (state->id == 0) {
        // Admitted inside Submit: the id is not known yet; Add starts the segment.
        state->admitted_early = true;
        return;
      }
    }
    StartSegment(state);
  }

  void StartSegment(const std::shared_ptr<TaskState>& state) {
    std::vector<bpu::FunctionCall> fcs;
    for (size_t i = 0; i < state->fc_us.size(); ++i) {
      bpu::FunctionCall fc;
      fc.id = i;
      fc.modelled_ns = state->fc_us[i] * kUs;
      fcs.push_back(std::move(fc));
    }
    absl::Status s = scheduler_->SubmitFcs(state->id, std::move(fcs), [this, state](
                                                                         const SegmentResult& r) {
      scheduler_->Finish(state->id);
      std::lock_guard<std::mutex> lock(mutex_);
      state->result = r;
      state->finished = true;
      done_cv_.notify_all();
    });
    EXPECT_TRUE(s.ok()) << s;
  }

  std::unique_ptr<bpu::SimDevice> device_;
  std::unique_ptr<Scheduler> scheduler_;
  std::mutex mutex_;
  std::condition_variable done_cv_;
  std::map<TaskId, std::shared_ptr<TaskState>> states_;
  std::vector<TaskId> late_ids_;
  std::vector<std::thread> generators_;
  // Written by the trace sink under the scheduler's lock; read after WaitAll.
  std::vector<TraceEvent> events_;
  std::vector<FcRecord> fcs_;
};

Options Preemptive(int core_limit, int max_running = 8) {
  Options o;
  o.policy = Policy::kPreemptive;
  o.core_limit = core_limit;
  o.max_running = max_running;
  return o;
}

TEST(SchedulerTest, RejectsPrioritiesOutsideTheRange) {
  Harness h(Preemptive(1));
  for (int priority : {-1, 256, 1000}) {
    absl::StatusOr<TaskId> id = h.scheduler().Submit({priority, 0, 0}, [] {});
    EXPECT_EQ(ErrorCodeOf(id.status(), ErrorCode::kOk), ErrorCode::kInvalidArgument) << priority;
    EXPECT_THAT(std::string(id.status().message()), HasSubstr("[0, 255]"));
  }
  for (int priority : {0, 128, 255}) {
    EXPECT_TRUE(h.scheduler().Submit({priority, 0, 0}, [] {}).ok());
  }
}

TEST(SchedulerTest, RejectsCoreMasksNamingMissingCores) {
  Harness h(Preemptive(1));
  for (uint32_t mask : {4u, 8u, 5u}) {
    absl::StatusOr<TaskId> id = h.scheduler().Submit({0, 0, mask}, [] {});
    EXPECT_EQ(ErrorCodeOf(id.status(), ErrorCode::kOk), ErrorCode::kInvalidArgument) << mask;
  }
}

TEST(SchedulerTest, AdmissionFollowsPriorityThenCustomIdThenSubmission) {
  // One running slot: the first task runs, the rest queue and are admitted one by one.
  Harness h(Preemptive(1, /*max_running=*/1));
  h.Hold();
  TaskId first = h.Add(0, {100});
  TaskId low = h.Add(3, {100});
  TaskId mid_late = h.Add(7, {100}, 0, /*custom_id=*/9);
  TaskId mid_early = h.Add(7, {100}, 0, /*custom_id=*/2);
  TaskId mid_same = h.Add(7, {100}, 0, /*custom_id=*/9);
  TaskId high = h.Add(200, {100});
  h.Release();
  h.WaitAll();
  EXPECT_THAT(h.AdmitOrder(), ElementsAre(first, high, mid_early, mid_late, mid_same, low));
}

TEST(SchedulerTest, FifoPolicyIgnoresPriorities) {
  Options o = Preemptive(1, 1);
  o.policy = Policy::kFifo;
  Harness h(o);
  h.Hold();
  TaskId a = h.Add(0, {100});
  TaskId b = h.Add(0, {100});
  TaskId c = h.Add(255, {100});
  h.Release();
  h.WaitAll();
  EXPECT_THAT(h.AdmitOrder(), ElementsAre(a, b, c));
}

TEST(SchedulerTest, RunningSetNeverExceedsTheCapAndSlotsAreRecycled) {
  Harness h(Preemptive(1, /*max_running=*/8));
  h.Hold();
  std::vector<TaskId> ids;
  for (int i = 0; i < 20; ++i) ids.push_back(h.Add(i % 5, {300, 200}));
  h.Release();
  h.WaitAll();
  int running = 0, max_running = 0;
  for (const TraceEvent& e : h.events()) {
    if (e.kind == TraceEvent::Kind::kAdmit) max_running = std::max(max_running, ++running);
    if (e.kind == TraceEvent::Kind::kFinish) {
      --running;
    }
  }
  EXPECT_EQ(max_running, 8);
  // Each finish admits the best queued task at once (same instant, next event).
  std::vector<TraceEvent> events = h.events();
  for (size_t i = 0; i + 1 < events.size(); ++i) {
    if (events[i].kind == TraceEvent::Kind::kFinish && i >= 1) {
      bool queue_left = std::count_if(events.begin() + static_cast<long>(i), events.end(),
                                      [](const TraceEvent& e) {
                                        return e.kind == TraceEvent::Kind::kAdmit;
                                      }) > 0;
      if (queue_left) {
        EXPECT_EQ(events[i + 1].kind, TraceEvent::Kind::kAdmit);
        EXPECT_EQ(events[i + 1].time_ns, events[i].time_ns);
      }
    }
  }
}

TEST(SchedulerTest, PreemptiveTasksBypassTheCap) {
  Harness h(Preemptive(1, /*max_running=*/2));
  h.Hold();
  h.Add(0, {5000});
  h.Add(0, {5000});
  h.Add(0, {5000});  // queued: the cap is full
  TaskId hp1 = h.Add(255, {100});
  TaskId hp2 = h.Add(255, {100});
  Snapshot s = h.scheduler().GetSnapshot();
  EXPECT_EQ(s.running_normal, 2);
  EXPECT_EQ(s.running_preemptive, 2);
  EXPECT_EQ(s.queued, 1);
  h.Release();
  h.WaitAll();
  std::vector<TaskId> admits = h.AdmitOrder();
  EXPECT_EQ(admits[2], hp1);
  EXPECT_EQ(admits[3], hp2);
}

// LP tasks keep both cores busy with 1000 us FCs; an HP task arrives mid-FC. With
// BPLAT_CORELIMIT = N (counting the running FC) it starts after at most N committed LP FCs on its
// core, and then runs all its FCs back to back.
void CheckPreemptionBound(int n) {
  Harness h(Preemptive(n));
  const int64_t c = h.overhead();
  const int64_t f = 1000 * kUs + c;
  h.Hold();
  TaskId lp0 = h.Add(0, std::vector<int64_t>(20, 1000), /*core_mask=*/1);
  TaskId lp1 = h.Add(0, std::vector<int64_t>(20, 1000), /*core_mask=*/1);
  const int64_t arrival = 2 * f + 300 * kUs;  // inside the third LP FC on core 0
  h.AddAt(arrival, 255, {200, 200, 200}, /*core_mask=*/1);
  h.Release();
  h.WaitAll();
  TaskId hp = h.late_ids()[0];
  std::vector<FcRecord> hp_fcs = h.FcsOf(hp);
  ASSERT_EQ(hp_fcs.size(), 3u);
  // LP completions on core 0 between the HP's arrival and its first FC start.
  int between = 0;
  for (const FcRecord& r : h.fcs()) {
    if (r.task != hp && r.core == 0 && r.end_ns > arrival && r.end_ns <= hp_fcs[0].start_ns) {
      ++between;
    }
  }
  EXPECT_LE(between, n);
  EXPECT_LE(hp_fcs[0].start_ns - arrival, n * f);
  // Exactly: the HP starts after the N FCs committed at its arrival (the running one included).
  EXPECT_EQ(hp_fcs[0].start_ns, 2 * f + n * f);
  // Contiguity: no LP FC starts on core 0 between the HP's first and last FC.
  for (const FcRecord& r : h.fcs()) {
    if (r.task != hp && r.core == 0) {
      EXPECT_FALSE(r.start_ns >= hp_fcs[0].start_ns && r.start_ns < hp_fcs.back().end_ns);
    }
  }
  EXPECT_EQ(hp_fcs[2].end_ns - hp_fcs[0].start_ns, 3 * (200 * kUs + c));
  (void)lp0;
  (void)lp1;
}

TEST(SchedulerTest, PreemptionWaitsForAtMostOneCommittedFcWithLimitOne) { CheckPreemptionBound(1); }
TEST(SchedulerTest, PreemptionWaitsForAtMostTwoCommittedFcsWithLimitTwo) { CheckPreemptionBound(2); }
TEST(SchedulerTest, PreemptionWaitsForAtMostFourCommittedFcsWithLimitFour) { CheckPreemptionBound(4); }

TEST(SchedulerTest, UnlimitedCommitMeansNoEffectivePreemption) {
  Harness h(Preemptive(0));
  const int64_t c = h.overhead();
  h.Hold();
  TaskId lp = h.Add(0, std::vector<int64_t>(10, 1000), /*core_mask=*/1);
  h.AddAt(1500 * kUs, 255, {200}, /*core_mask=*/1);
  h.Release();
  h.WaitAll();
  TaskId hp = h.late_ids()[0];
  // Every LP FC was committed at once: the HP runs after all of them.
  EXPECT_EQ(h.StartOf(hp), h.EndOf(lp));
  EXPECT_EQ(h.EndOf(lp), 10 * (1000 * kUs + c));
}

TEST(SchedulerTest, PriorityBelow255NeverPreemptsButOrdersWaitingFcs) {
  // Two LP tasks on core 0 with limit 1: a priority-200 task arriving mid-FC waits for the
  // running FC only (it is ordered ahead of the waiting LP FCs), but is not "preemptive": it
  // counts against the cap.
  Harness h(Preemptive(1, /*max_running=*/8));
  const int64_t c = h.overhead();
  const int64_t f = 1000 * kUs + c;
  h.Hold();
  h.Add(0, std::vector<int64_t>(5, 1000), 1);
  h.AddAt(f / 2, 200, {100}, 1);
  h.Release();
  h.WaitAll();
  TaskId mid = h.late_ids()[0];
  EXPECT_EQ(h.StartOf(mid), f);
  Snapshot s = h.scheduler().GetSnapshot();
  EXPECT_EQ(s.running_preemptive, 0);
}

TEST(SchedulerTest, PinnedTasksStayOnTheirCoreAndAnyTasksNeverMigrate) {
  Harness h(Preemptive(1));
  h.Hold();
  TaskId on1 = h.Add(0, {100, 100, 100}, /*core_mask=*/2);
  TaskId on0 = h.Add(0, {100, 100, 100}, /*core_mask=*/1);
  TaskId any_a = h.Add(0, {50, 50, 50, 50});
  TaskId any_b = h.Add(0, {70, 70, 70});
  h.Release();
  h.WaitAll();
  for (const FcRecord& r : h.FcsOf(on1)) EXPECT_EQ(r.core, 1);
  for (const FcRecord& r : h.FcsOf(on0)) EXPECT_EQ(r.core, 0);
  for (TaskId id : {any_a, any_b}) {
    std::vector<FcRecord> f = h.FcsOf(id);
    for (const FcRecord& r : f) EXPECT_EQ(r.core, f[0].core);
  }
}

TEST(SchedulerTest, AnyTaskTakesTheFreeCore) {
  // Core 0 is busy with a pinned task; an ANY task must start on core 1 at once.
  Harness h(Preemptive(1));
  h.Hold();
  h.Add(0, {5000}, /*core_mask=*/1);
  TaskId any = h.Add(0, {100});
  h.Release();
  h.WaitAll();
  EXPECT_EQ(h.FcsOf(any)[0].core, 1);
  EXPECT_EQ(h.StartOf(any), 0);
}

TEST(SchedulerTest, NoCoreIdlesWhileEligibleWorkWaits) {
  Harness h(Preemptive(1));
  h.Hold();
  for (int i = 0; i < 6; ++i) h.Add(i % 3, {300, 300, 300});
  h.Release();
  h.WaitAll();
  // Busy intervals per core must be back to back until the last FC (no idle gap while tasks
  // were waiting: all were submitted at time 0).
  for (int core = 0; core < 2; ++core) {
    std::vector<FcRecord> on;
    for (const FcRecord& r : h.fcs()) {
      if (r.core == core) on.push_back(r);
    }
    std::sort(on.begin(), on.end(),
              [](const FcRecord& a, const FcRecord& b) { return a.start_ns < b.start_ns; });
    ASSERT_FALSE(on.empty()) << core;
    EXPECT_EQ(on.front().start_ns, 0);
    for (size_t i = 1; i < on.size(); ++i) EXPECT_EQ(on[i].start_ns, on[i - 1].end_ns) << core;
  }
}

TEST(SchedulerTest, PreemptionIsPerCore) {
  // An HP task pinned to core 1 does not disturb LP work on core 0.
  Harness h(Preemptive(1));
  const int64_t c = h.overhead();
  h.Hold();
  TaskId lp = h.Add(0, std::vector<int64_t>(8, 1000), /*core_mask=*/1);
  h.Add(0, std::vector<int64_t>(8, 1000), /*core_mask=*/2);
  h.AddAt(1500 * kUs, 255, {400, 400}, /*core_mask=*/2);
  h.Release();
  h.WaitAll();
  EXPECT_EQ(h.EndOf(lp), 8 * (1000 * kUs + c));
}

TEST(SchedulerTest, CancelQueuedTaskNeverRuns) {
  Harness h(Preemptive(1, /*max_running=*/1));
  h.Hold();
  TaskId running = h.Add(0, {1000});
  TaskId queued = h.Add(0, {1000});
  EXPECT_EQ(h.scheduler().Cancel(queued), Scheduler::CancelResult::kWasQueued);
  h.MarkCancelled(queued);
  EXPECT_EQ(h.scheduler().Cancel(queued), Scheduler::CancelResult::kUnknown);
  h.Release();
  h.WaitAll();
  EXPECT_TRUE(h.FcsOf(queued).empty());
  EXPECT_EQ(h.FcsOf(running).size(), 1u);
  EXPECT_EQ(h.scheduler().GetSnapshot().queued, 0);
}

TEST(SchedulerTest, CancelRunningTaskCommitsNothingMore) {
  Harness h(Preemptive(1));
  const int64_t c = h.overhead();
  const int64_t f = 500 * kUs + c;
  h.Hold();
  TaskId victim = h.Add(0, std::vector<int64_t>(10, 500), /*core_mask=*/1);
  // Cancel at virtual time 1.2 FCs, from a participant thread.
  h.clock().BeginWork();
  h.Release();
  std::thread canceller([&] {
    h.clock().SleepUntil(f + f / 5);
    EXPECT_EQ(h.scheduler().Cancel(victim), Scheduler::CancelResult::kWasRunning);
    h.clock().EndWork();
  });
  canceller.join();
  h.WaitAll();
  // The FC running at the cancel (the second) completes; nothing after it runs.
  EXPECT_EQ(h.FcsOf(victim).size(), 2u);
  SegmentResult r = h.ResultOf(victim);
  EXPECT_THAT(std::string(r.status.message()), HasSubstr("cancelled"));
  EXPECT_EQ(r.fcs_completed, 2);
  EXPECT_EQ(r.busy_ns, 2 * f);
  Snapshot s = h.scheduler().GetSnapshot();
  EXPECT_EQ(s.running_normal, 0);
  EXPECT_EQ(s.committed, (std::vector<int>{0, 0}));
}

TEST(SchedulerTest, DeterministicEventTraces) {
  auto run = [] {
    Harness h(Preemptive(2, 4));
    h.Hold();
    for (int i = 0; i < 10; ++i) {
      h.Add((i * 37) % 256, std::vector<int64_t>(1 + i % 4, 100 + 50 * i),
            static_cast<uint32_t>(i % 3));
    }
      h.AddAt(700 * kUs, 255, {300, 300});
    h.AddAt(900 * kUs, 255, {150});
  h.Release();
    h.WaitAll();
    return h.fcs();
  };
  std::vector<FcRecord> first = run();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(run(), first) << "run " << i;
}

TEST(SchedulerTest, AccountingAddsUp) {
  Harness h(Preemptive(1));
  const int64_t c = h.overhead();
  h.Hold();
  int64_t modelled = 0;
  int fcs = 0;
  for (int i = 0; i < 7; ++i) {
    std::vector<int64_t> f(1 + i % 3, 200 + 10 * i);
    for (int64_t us : f) modelled += us * kUs;
    fcs += static_cast<int>(f.size());
    h.Add(i, f);
  }
  h.Release();
  h.WaitAll();
  int64_t busy = 0, end = 0;
  for (const FcRecord& r : h.fcs()) {
    busy += r.end_ns - r.start_ns;
    end = std::max(end, r.end_ns);
  }
  EXPECT_EQ(busy, modelled + fcs * c);
  EXPECT_LE(busy, 2 * end);  // two cores
  int finished = 0;
  for (const TraceEvent& e : h.events()) finished += e.kind == TraceEvent::Kind::kFinish;
  EXPECT_EQ(finished, 7);
}

TEST(SchedulerOptionsTest, EnvironmentAndFallbacks) {
  struct Case {
    const char* max_task;
    const char* core_limit;
    int want_max;
    int want_limit;
    int warnings;
  } cases[] = {
      {nullptr, nullptr, 8, 0, 0}, {"4", "2", 4, 2, 0},    {"abc", "-1", 8, 0, 2},
      {"33", "99999", 8, 0, 2},    {"", "", 8, 0, 0},       {"1", "0", 1, 0, 0},
  };
  for (const Case& c : cases) {
    if (c.max_task) setenv("HB_MAX_TASK_NUM", c.max_task, 1); else unsetenv("HB_MAX_TASK_NUM");
    if (c.core_limit) setenv("BPLAT_CORELIMIT", c.core_limit, 1); else unsetenv("BPLAT_CORELIMIT");
    std::vector<std::string> warnings;
    Options o = OptionsFromEnv(&warnings);
    EXPECT_EQ(o.max_running, c.want_max);
    EXPECT_EQ(o.core_limit, c.want_limit);
    EXPECT_EQ(static_cast<int>(warnings.size()), c.warnings);
    for (const std::string& w : warnings) EXPECT_THAT(w, HasSubstr("using"));
  }
  unsetenv("HB_MAX_TASK_NUM");
  unsetenv("BPLAT_CORELIMIT");
}

}  // namespace
}  // namespace hb_dnn::scheduler
