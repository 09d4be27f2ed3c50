// What the simulated BPU itself costs per function-call, on the host's clock:
//   BM_FcRoundTrip   submit one FC from this thread and wait for its completion (a task with one
//                    FC and a waiting application thread);
//   BM_FcChain       FCs submitted from the previous FC's completion, as a task walks its FCs:
//                    the per-FC cost in steady state;
//   BM_RealtimeOvershoot  realtime mode: how far past its modelled end an FC releases its core
//                    (sleep accuracy), reported as overshoot_us;
//   BM_VirtualFcChain     the host time one FC costs on the virtual clock.
// The numerics closure is empty: this is the simulator's overhead, not the kernels'.

#include <condition_variable>
#include <mutex>

#include "benchmark/benchmark.h"
#include "src/bpu/march_profile.h"
#include "src/bpu/sim/sim_device.h"

namespace hb_dnn::bpu {
namespace {

std::unique_ptr<SimDevice> MakeDevice(TimingMode timing) {
  SimDevice::Options options;
  options.profile = *FindMarchProfile("bernoulli2");
  options.timing = timing;
  return *SimDevice::Create(std::move(options));
}

struct Latch {
  std::mutex mutex;
  std::condition_variable cv;
  int64_t count = 0;
  void Add() {
    std::lock_guard<std::mutex> lock(mutex);
    ++count;
    cv.notify_all();
  }
  void WaitFor(int64_t n) {
    std::unique_lock<std::mutex> lock(mutex);
    cv.wait(lock, [&] { return count >= n; });
  }
};

void BM_FcRoundTrip(benchmark::State& state) {
  auto device = MakeDevice(TimingMode::kOff);
  Latch latch;
  int64_t n = 0;
  for (auto _ : state) {
    FunctionCall fc;
    fc.id = static_cast<uint64_t>(n);
    (void)device->Submit(0, QueueClass::kNormal, std::move(fc),
                         [&latch](const FcCompletion&) { latch.Add(); });
    latch.WaitFor(++n);
  }
  state.counters["per_fc"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_FcRoundTrip)->UseRealTime();

void ChainOnce(Device& device, int64_t fcs) {
  Latch latch;
  std::function<void(const FcCompletion&)> next = [&](const FcCompletion& done) {
    if (static_cast<int64_t>(done.id) + 1 < fcs) {
      FunctionCall fc;
      fc.id = done.id + 1;
      (void)device.Submit(0, QueueClass::kNormal, std::move(fc), next);
    } else {
      latch.Add();
    }
  };
  FunctionCall first;
  first.id = 0;
  (void)device.Submit(0, QueueClass::kNormal, std::move(first), next);
  latch.WaitFor(1);
}

void BM_FcChain(benchmark::State& state) {
  auto device = MakeDevice(TimingMode::kOff);
  const int64_t fcs = state.range(0);
  for (auto _ : state) ChainOnce(*device, fcs);
  state.counters["per_fc"] = benchmark::Counter(
      static_cast<double>(state.iterations() * fcs),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_FcChain)->Arg(100)->UseRealTime();

void BM_VirtualFcChain(benchmark::State& state) {
  auto device = MakeDevice(TimingMode::kVirtual);
  const int64_t fcs = state.range(0);
  for (auto _ : state) ChainOnce(*device, fcs);
  state.counters["per_fc"] = benchmark::Counter(
      static_cast<double>(state.iterations() * fcs),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_VirtualFcChain)->Arg(100)->UseRealTime();

void BM_RealtimeOvershoot(benchmark::State& state) {
  auto device = MakeDevice(TimingMode::kRealtime);
  const int64_t modelled_ns = state.range(0) * 1000;
  const int64_t occupy_ns = modelled_ns + device->profile().fc_overhead_ns;
  Latch latch;
  int64_t n = 0;
  double overshoot_ns = 0;
  for (auto _ : state) {
    FunctionCall fc;
    fc.modelled_ns = modelled_ns;
    int64_t start = 0;
    int64_t released = 0;
    (void)device->Submit(0, QueueClass::kNormal, std::move(fc), [&](const FcCompletion& done) {
      start = done.start_ns;
      released = SteadyClock::Instance().NowNanos();
      latch.Add();
    });
    latch.WaitFor(++n);
    overshoot_ns += static_cast<double>(released - start - occupy_ns);
  }
  state.counters["overshoot_us"] = overshoot_ns / static_cast<double>(n) / 1000.0;
}
BENCHMARK(BM_RealtimeOvershoot)->Arg(200)->Arg(1000)->UseRealTime();

}  // namespace
}  // namespace hb_dnn::bpu

BENCHMARK_MAIN();
