// The device conformance suite: written once against bpu::Device and run for every backend.
// Functional backends must execute, order and account FCs as device.h promises; the null backend
// must refuse work with the documented errors and never call a callback.

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "src/base/error_code.h"
#include "src/base/status.h"
#include "src/bpu/device_factory.h"

namespace hb_dnn::bpu {
namespace {

struct Backend {
  std::string name;
  std::string backend;
  TimingMode timing;
  bool functional;
};

std::string PrintBackend(const testing::TestParamInfo<Backend>& info) { return info.param.name; }

// Collects completions; thread-safe.
class Recorder {
 public:
  CompletionCallback Callback() {
    return [this](const FcCompletion& c) {
      std::lock_guard<std::mutex> lock(mutex_);
      done_.push_back(c);
      cv_.notify_all();
    };
  }
  void WaitFor(size_t n) {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [&] { return done_.size() >= n; });
  }
  std::vector<FcCompletion> done() {
    std::lock_guard<std::mutex> lock(mutex_);
    return done_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<FcCompletion> done_;
};

class DeviceConformanceTest : public testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    DeviceOptions options;
    options.backend = GetParam().backend;
    options.timing = GetParam().timing;
    absl::StatusOr<std::unique_ptr<Device>> device = CreateDevice(options);
    ASSERT_TRUE(device.ok()) << device.status();
    device_ = *std::move(device);
  }

  FunctionCall Fc(uint64_t id, int64_t modelled_ns, std::function<absl::Status()> execute = {}) {
    FunctionCall fc;
    fc.id = id;
    fc.modelled_ns = modelled_ns;
    fc.execute = std::move(execute);
    return fc;
  }

  std::unique_ptr<Device> device_;
};

TEST_P(DeviceConformanceTest, ReportsItsProfileAndCores) {
  EXPECT_STREQ(device_->backend_name(), GetParam().backend.c_str());
  EXPECT_EQ(device_->core_count(), 2);
  EXPECT_STREQ(device_->profile().march, "bernoulli2");
}

TEST_P(DeviceConformanceTest, RejectsBadCores) {
  for (int core : {-1, 2, 1000}) {
    absl::Status s = device_->Submit(core, QueueClass::kNormal, Fc(1, 0), {});
    EXPECT_EQ(ErrorCodeOf(s, ErrorCode::kOk), ErrorCode::kInvalidArgument) << core;
    EXPECT_NE(s.message().find("core"), std::string::npos) << s;
    EXPECT_EQ(ErrorCodeOf(device_->GetQueueDepth(core).status(), ErrorCode::kOk),
              ErrorCode::kInvalidArgument);
  }
}

TEST_P(DeviceConformanceTest, ExecutesEveryFcExactlyOnceWithItsCompletion) {
  constexpr int kFcs = 40;
  std::atomic<int> executed[kFcs] = {};
  Recorder recorder;
  int accepted = 0;
  for (int i = 0; i < kFcs; ++i) {
    absl::Status s = device_->Submit(i % 2, i % 3 == 0 ? QueueClass::kHigh : QueueClass::kNormal,
                                     Fc(i, 1000, [&executed, i] {
                                       ++executed[i];
                                       return absl::OkStatus();
                                     }),
                                     recorder.Callback());
    if (GetParam().functional) {
      ASSERT_TRUE(s.ok()) << s;
      ++accepted;
    } else {
      EXPECT_EQ(ErrorCodeOf(s, ErrorCode::kOk), ErrorCode::kRunTaskFailed);
      EXPECT_NE(s.message().find(GetParam().backend), std::string::npos) << s;
    }
  }
  device_->Drain();
  std::vector<FcCompletion> done = recorder.done();
  ASSERT_EQ(done.size(), static_cast<size_t>(accepted));
  std::vector<int> seen(kFcs, 0);
  for (const FcCompletion& c : done) {
    EXPECT_TRUE(c.status.ok()) << c.status;
    EXPECT_EQ(c.core, static_cast<int>(c.id % 2));
    EXPECT_LE(c.start_ns, c.end_ns);
    ++seen[c.id];
  }
  for (int i = 0; i < kFcs; ++i) {
    EXPECT_EQ(executed[i].load(), GetParam().functional ? 1 : 0) << i;
    EXPECT_EQ(seen[i], GetParam().functional ? 1 : 0) << i;
  }
}

TEST_P(DeviceConformanceTest, ExecuteErrorsBecomeTheFcStatus) {
  if (!GetParam().functional) GTEST_SKIP() << "backend accepts no work";
  Recorder recorder;
  ASSERT_TRUE(device_
                  ->Submit(0, QueueClass::kNormal,
                           Fc(7, 0, [] { return Error(ErrorCode::kRunTaskFailed, "kernel broke"); }),
                           recorder.Callback())
                  .ok());
  recorder.WaitFor(1);
  FcCompletion c = recorder.done()[0];
  EXPECT_EQ(c.id, 7u);
  EXPECT_EQ(ErrorCodeOf(c.status, ErrorCode::kOk), ErrorCode::kRunTaskFailed);
  EXPECT_EQ(c.status.message(), "kernel broke");
}

TEST_P(DeviceConformanceTest, OneCoreRunsOneFcAtATimeInQueueOrder) {
  if (!GetParam().functional) GTEST_SKIP() << "backend accepts no work";
  // A blocker occupies core 0 while the rest queue up behind it, so the order is the queue's.
  std::mutex gate_mutex;
  std::condition_variable gate_cv;
  bool open = false;
  std::atomic<int> concurrent{0}, max_concurrent{0};
  auto body = [&] {
    int now = ++concurrent;
    int prev = max_concurrent.load();
    while (now > prev && !max_concurrent.compare_exchange_weak(prev, now)) {
    }
    --concurrent;
    return absl::OkStatus();
  };
  Recorder recorder;
  ASSERT_TRUE(device_
                  ->Submit(0, QueueClass::kNormal, Fc(100, 0, [&] {
                             std::unique_lock<std::mutex> lock(gate_mutex);
                             gate_cv.wait(lock, [&] { return open; });
                             return absl::OkStatus();
                           }),
                           recorder.Callback())
                  .ok());
  // Wait until the blocker runs, so the queue below forms behind it.
  while (!device_->GetQueueDepth(0)->running) std::this_thread::yield();
  for (uint64_t id : {1, 2, 3}) {
    ASSERT_TRUE(device_->Submit(0, QueueClass::kNormal, Fc(id, 10, body), recorder.Callback()).ok());
  }
  for (uint64_t id : {11, 12}) {
    ASSERT_TRUE(device_->Submit(0, QueueClass::kHigh, Fc(id, 10, body), recorder.Callback()).ok());
  }
  absl::StatusOr<QueueDepth> depth = device_->GetQueueDepth(0);
  ASSERT_TRUE(depth.ok());
  EXPECT_EQ(depth->high, 2);
  EXPECT_EQ(depth->normal, 3);
  EXPECT_TRUE(depth->running);
  {
    std::lock_guard<std::mutex> lock(gate_mutex);
    open = true;
  }
  gate_cv.notify_all();
  device_->Drain();
  std::vector<uint64_t> order;
  for (const FcCompletion& c : recorder.done()) order.push_back(c.id);
  // The high queue is served first at the boundary after the blocker.
  EXPECT_EQ(order, (std::vector<uint64_t>{100, 11, 12, 1, 2, 3}));
  EXPECT_EQ(max_concurrent.load(), 1);
  std::vector<FcCompletion> done = recorder.done();
  for (size_t i = 1; i < done.size(); ++i) EXPECT_GE(done[i].start_ns, done[i - 1].end_ns);
  depth = device_->GetQueueDepth(0);
  EXPECT_EQ(depth->high + depth->normal, 0);
  EXPECT_FALSE(depth->running);
}

TEST_P(DeviceConformanceTest, CallbackMaySubmitTheNextFc) {
  if (!GetParam().functional) GTEST_SKIP() << "backend accepts no work";
  // A chain of 20 FCs, each submitted from its predecessor's completion (how a task walks its FCs).
  std::mutex mutex;
  std::condition_variable cv;
  int completed = 0;
  std::function<void(const FcCompletion&)> next = [&](const FcCompletion& c) {
    std::lock_guard<std::mutex> lock(mutex);
    ++completed;
    if (c.id < 20) {
      EXPECT_TRUE(device_->Submit(1, QueueClass::kNormal, Fc(c.id + 1, 500), next).ok());
    }
    cv.notify_all();
  };
  ASSERT_TRUE(device_->Submit(1, QueueClass::kNormal, Fc(1, 500), next).ok());
  std::unique_lock<std::mutex> lock(mutex);
  cv.wait(lock, [&] { return completed == 20; });
}

TEST_P(DeviceConformanceTest, DestructionCompletesAcceptedWork) {
  if (!GetParam().functional) GTEST_SKIP() << "backend accepts no work";
  Recorder recorder;
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(device_->Submit(i % 2, QueueClass::kNormal, Fc(i, 2000), recorder.Callback()).ok());
  }
  device_.reset();
  EXPECT_EQ(recorder.done().size(), 10u);
}

INSTANTIATE_TEST_SUITE_P(Backends, DeviceConformanceTest,
                         testing::Values(Backend{"SimOff", "sim", TimingMode::kOff, true},
                                         Backend{"SimRealtime", "sim", TimingMode::kRealtime, true},
                                         Backend{"SimVirtual", "sim", TimingMode::kVirtual, true},
                                         Backend{"Null", "null", TimingMode::kOff, false}),
                         PrintBackend);

}  // namespace
}  // namespace hb_dnn::bpu
