// The simulated BPU beyond the conformance suite: timing modes, the march table, fault injection.

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/error_code.h"
#include "src/base/status.h"
#include "src/bpu/march_profile.h"
#include "src/bpu/sim/fault_plan.h"
#include "src/bpu/sim/sim_device.h"

namespace hb_dnn::bpu {
namespace {

using ::testing::HasSubstr;

std::unique_ptr<SimDevice> MakeDevice(TimingMode timing, const char* faults = "",
                                      const char* march = "bernoulli2") {
  SimDevice::Options options;
  options.profile = *FindMarchProfile(march);
  options.timing = timing;
  options.faults = *FaultPlan::Parse(faults);
  return *SimDevice::Create(std::move(options));
}

struct Collected {
  std::mutex mutex;
  std::vector<FcCompletion> done;
  CompletionCallback Callback() {
    return [this](const FcCompletion& c) {
      std::lock_guard<std::mutex> lock(mutex);
      done.push_back(c);
    };
  }
};

FunctionCall Fc(uint64_t id, int64_t modelled_ns) {
  FunctionCall fc;
  fc.id = id;
  fc.modelled_ns = modelled_ns;
  return fc;
}

TEST(MarchProfileTest, TableAndLookup) {
  ASSERT_EQ(MarchProfiles().size(), 2u);
  for (const char* name : {"bernoulli2", "BERNOULLI2", "Bernoulli2"}) {
    absl::StatusOr<const MarchProfile*> p = FindMarchProfile(name);
    ASSERT_TRUE(p.ok()) << name;
    EXPECT_STREQ((*p)->chip, "X3");
    EXPECT_EQ((*p)->cores, 2);
  }
  EXPECT_STREQ((*FindMarchProfile("BAYES"))->chip, "J5");
  absl::Status bad = FindMarchProfile("bayes-e").status();
  EXPECT_EQ(ErrorCodeOf(bad, ErrorCode::kOk), ErrorCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.message()), HasSubstr("bayes-e"));
}

TEST(MarchProfileTest, RooflineDuration) {
  const MarchProfile& x3 = **FindMarchProfile("bernoulli2");
  // Compute-bound: 1e9 MACs at 500 MAC/ns = 2 ms.
  EXPECT_EQ(ModelledDurationNs(x3, 1000000000, 1000), 2000000);
  // Memory-bound: 64 MB at 6.4 B/ns = 10 ms.
  EXPECT_EQ(ModelledDurationNs(x3, 1000, 64000000), 10000000);
  EXPECT_EQ(ModelledDurationNs(x3, 0, 0), 0);
  // Rounded up.
  EXPECT_EQ(ModelledDurationNs(x3, 1, 0), 1);
}

TEST(SimDeviceTest, VirtualTimeIsExactlyModelledPlusOverhead) {
  auto device = MakeDevice(TimingMode::kVirtual);
  const int64_t c = device->profile().fc_overhead_ns;
  Collected collected;
  // A submitter outside the device takes part in virtual time by holding a unit of work while it
  // submits: otherwise time could run ahead between its submissions.
  device->clock().BeginWork();
  ASSERT_TRUE(device->Submit(0, QueueClass::kNormal, Fc(1, 100000), collected.Callback()).ok());
  ASSERT_TRUE(device->Submit(0, QueueClass::kNormal, Fc(2, 200000), collected.Callback()).ok());
  ASSERT_TRUE(device->Submit(1, QueueClass::kNormal, Fc(3, 50000), collected.Callback()).ok());
  device->clock().EndWork();
  device->Drain();
  ASSERT_EQ(collected.done.size(), 3u);
  std::map<uint64_t, FcCompletion> by_id;
  for (const FcCompletion& d : collected.done) by_id[d.id] = d;
  EXPECT_EQ(by_id[1].start_ns, 0);
  EXPECT_EQ(by_id[1].end_ns, 100000 + c);
  EXPECT_EQ(by_id[2].start_ns, 100000 + c);
  EXPECT_EQ(by_id[2].end_ns, 300000 + 2 * c);
  EXPECT_EQ(by_id[3].start_ns, 0);  // the other core runs in parallel
  EXPECT_EQ(by_id[3].end_ns, 50000 + c);
  EXPECT_EQ(device->clock().NowNanos(), 300000 + 2 * c);
}

TEST(SimDeviceTest, VirtualTimeIsIndependentOfHostSpeed) {
  // The numerics take real time; virtual time does not see it.
  auto device = MakeDevice(TimingMode::kVirtual);
  Collected collected;
  FunctionCall slow = Fc(1, 1000);
  slow.execute = [] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return absl::OkStatus();
  };
  ASSERT_TRUE(device->Submit(0, QueueClass::kNormal, std::move(slow), collected.Callback()).ok());
  device->Drain();
  EXPECT_EQ(collected.done[0].end_ns - collected.done[0].start_ns,
            1000 + device->profile().fc_overhead_ns);
}

TEST(SimDeviceTest, RealtimeSleepsForTheModelledDuration) {
  auto device = MakeDevice(TimingMode::kRealtime);
  Collected collected;
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(device->Submit(0, QueueClass::kNormal, Fc(1, 8000000), collected.Callback()).ok());
  device->Drain();
  auto wall = std::chrono::steady_clock::now() - start;
  EXPECT_GE(wall, std::chrono::milliseconds(8));
  const FcCompletion& d = collected.done[0];
  EXPECT_GE(d.end_ns - d.start_ns, 8000000 + device->profile().fc_overhead_ns);
}

TEST(SimDeviceTest, OffModeDoesNotWait) {
  auto device = MakeDevice(TimingMode::kOff);
  Collected collected;
  // A 10 s FC finishes at once.
  ASSERT_TRUE(device->Submit(0, QueueClass::kNormal, Fc(1, 10000000000), collected.Callback()).ok());
  device->Drain();
  EXPECT_LT(collected.done[0].end_ns - collected.done[0].start_ns, 1000000000);
}

TEST(SimDeviceTest, RejectsNegativeDurations) {
  auto device = MakeDevice(TimingMode::kOff);
  absl::Status s = device->Submit(0, QueueClass::kNormal, Fc(9, -1), {});
  EXPECT_EQ(ErrorCodeOf(s, ErrorCode::kOk), ErrorCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("negative"));
}

TEST(FaultPlanTest, ParsesEveryKind) {
  absl::StatusOr<FaultPlan> plan =
      FaultPlan::Parse("error:fc=2; timeout:core=1:after_us=50 ;slow:core=0:factor=2.5");
  ASSERT_TRUE(plan.ok()) << plan.status();
  FaultDecision first = plan->OnFcStart(0);
  EXPECT_FALSE(first.error);
  EXPECT_DOUBLE_EQ(first.slow_factor, 2.5);
  FaultDecision second = plan->OnFcStart(0);
  EXPECT_TRUE(second.error);
  FaultDecision third = plan->OnFcStart(1);
  EXPECT_TRUE(third.timeout);
  EXPECT_EQ(third.timeout_after_ns, 50000);
  EXPECT_DOUBLE_EQ(third.slow_factor, 1.0);
  EXPECT_TRUE(FaultPlan::Parse("").ok());
  EXPECT_TRUE(FaultPlan::Parse("")->empty());
}

TEST(FaultPlanTest, RejectsBadSpecsNamingTheField) {
  struct Case {
    const char* spec;
    const char* needle;
  } cases[] = {
      {"explode", "unknown kind 'explode'"}, {"error:fc=0", "fc=0"},
      {"error:fc=x", "fc=x"},                {"slow:factor=2", "slow needs core=K"},
      {"slow:core=0:factor=0.5", "factor"},  {"error:factor=2", "not known"},
      {"timeout:after_us=-3", "after_us"},   {"error:core=-1", "core=-1"},
  };
  for (const Case& c : cases) {
    absl::Status s = FaultPlan::Parse(c.spec).status();
    EXPECT_EQ(ErrorCodeOf(s, ErrorCode::kOk), ErrorCode::kInvalidArgument) << c.spec;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.needle)) << c.spec;
  }
}

TEST(SimDeviceTest, InjectedDeviceErrorSkipsTheNumerics) {
  auto device = MakeDevice(TimingMode::kVirtual, "error:fc=2");
  Collected collected;
  int executed = 0;
  for (uint64_t id = 1; id <= 3; ++id) {
    FunctionCall fc = Fc(id, 1000);
    fc.execute = [&executed] {
      ++executed;
      return absl::OkStatus();
    };
    ASSERT_TRUE(device->Submit(0, QueueClass::kNormal, std::move(fc), collected.Callback()).ok());
  }
  device->Drain();
  ASSERT_EQ(collected.done.size(), 3u);
  EXPECT_TRUE(collected.done[0].status.ok());
  EXPECT_EQ(ErrorCodeOf(collected.done[1].status, ErrorCode::kOk), ErrorCode::kRunTaskFailed);
  EXPECT_THAT(std::string(collected.done[1].status.message()), HasSubstr("device error"));
  EXPECT_EQ(collected.done[1].end_ns - collected.done[1].start_ns,
            device->profile().fc_overhead_ns);
  EXPECT_TRUE(collected.done[2].status.ok());
  EXPECT_EQ(executed, 2);
}

TEST(SimDeviceTest, InjectedHangTimesOutAtTheWatchdog) {
  for (TimingMode mode : {TimingMode::kVirtual, TimingMode::kRealtime}) {
    auto device = MakeDevice(mode, "timeout:fc=1:after_us=3000");
    Collected collected;
    ASSERT_TRUE(device->Submit(1, QueueClass::kNormal, Fc(5, 100), collected.Callback()).ok());
    ASSERT_TRUE(device->Submit(1, QueueClass::kNormal, Fc(6, 100), collected.Callback()).ok());
    device->Drain();
    ASSERT_EQ(collected.done.size(), 2u);
    EXPECT_EQ(ErrorCodeOf(collected.done[0].status, ErrorCode::kOk), ErrorCode::kTimeout);
    EXPECT_THAT(std::string(collected.done[0].status.message()), HasSubstr("watchdog"));
    EXPECT_GE(collected.done[0].end_ns - collected.done[0].start_ns, 3000000);
    EXPECT_TRUE(collected.done[1].status.ok()) << "the core recovers after the watchdog";
  }
}

TEST(SimDeviceTest, SlowCoreStretchesOnlyThatCore) {
  auto device = MakeDevice(TimingMode::kVirtual, "slow:core=1:factor=3");
  const int64_t c = device->profile().fc_overhead_ns;
  Collected collected;
  device->clock().BeginWork();
  ASSERT_TRUE(device->Submit(0, QueueClass::kNormal, Fc(0, 10000), collected.Callback()).ok());
  ASSERT_TRUE(device->Submit(1, QueueClass::kNormal, Fc(1, 10000), collected.Callback()).ok());
  device->clock().EndWork();
  device->Drain();
  for (const FcCompletion& d : collected.done) {
    EXPECT_EQ(d.end_ns - d.start_ns, (d.core == 1 ? 30000 : 10000) + c) << d.core;
  }
}

TEST(SimDeviceTest, SetFaultsRestartsCounting) {
  auto device = MakeDevice(TimingMode::kOff);
  Collected collected;
  ASSERT_TRUE(device->Submit(0, QueueClass::kNormal, Fc(1, 0), collected.Callback()).ok());
  device->Drain();
  device->SetFaults(*FaultPlan::Parse("error:fc=1"));
  ASSERT_TRUE(device->Submit(0, QueueClass::kNormal, Fc(2, 0), collected.Callback()).ok());
  device->Drain();
  EXPECT_TRUE(collected.done[0].status.ok());
  EXPECT_FALSE(collected.done[1].status.ok());
}

TEST(VirtualClockTest, TimeMovesOnlyWhenNobodyWorks) {
  VirtualClock clock;
  clock.BeginWork();  // this thread
  std::thread sleeper([&] {
    clock.BeginWork();
    clock.SleepUntil(500);
    EXPECT_EQ(clock.NowNanos(), 500);
    clock.EndWork();
  });
  // While this thread holds work, the sleeper cannot wake.
  while (clock.sleeper_count() == 0) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(clock.NowNanos(), 0);
  clock.EndWork();
  sleeper.join();
  EXPECT_EQ(clock.NowNanos(), 500);
  EXPECT_EQ(clock.work_units(), 0);
}

TEST(VirtualClockTest, SimultaneousSleepersWakeOneAtATimeInArrivalOrder) {
  VirtualClock clock;
  std::mutex mutex;
  std::vector<int> order;
  std::vector<std::thread> threads;
  clock.BeginWork();  // hold time until everybody sleeps
  for (int i = 0; i < 4; ++i) {
    clock.BeginWork();
    threads.emplace_back([&, i] {
      clock.SleepUntil(i == 3 ? 50 : 100);
      {
        std::lock_guard<std::mutex> lock(mutex);
        order.push_back(i);
      }
      clock.EndWork();
    });
    while (clock.sleeper_count() < static_cast<size_t>(i + 1)) std::this_thread::yield();
  }
  clock.EndWork();
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(order, (std::vector<int>{3, 0, 1, 2}));
  EXPECT_EQ(clock.NowNanos(), 100);
}

TEST(SteadyClockTest, SleepUntilReachesTheDeadline) {
  SteadyClock& clock = SteadyClock::Instance();
  int64_t deadline = clock.NowNanos() + 2000000;
  clock.SleepUntil(deadline);
  EXPECT_GE(clock.NowNanos(), deadline);
}

}  // namespace
}  // namespace hb_dnn::bpu
