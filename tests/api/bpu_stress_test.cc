// Stress on the real clock (run it under TSan too): several submitter threads push thousands of
// tasks of a BPU model with random priorities, cores, waits, timeouts, callbacks and releases.
// Every task must end in exactly one terminal state, finished tasks must be bit-exact, and nothing
// may leak or hang.

#include <atomic>
#include <chrono>
#include <cstring>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "hb_dnn/hb_dnn.h"
#include "hb_dnn/hb_dnn_sim.h"
#include "hb_dnn/hb_dnn_status.h"
#include "hb_dnn/hb_sys.h"
#include "tests/testing/bpu_test_models.h"

namespace {

using hb_dnn::testing::BpuNetOptions;
using hb_dnn::testing::BpuNetPlacement;

struct Tensors {
  std::vector<hbDNNTensor> in;
  std::vector<hbDNNTensor> out;
};

void Alloc(hbDNNTensor& t, const hbDNNTensorProperties& p) {
  std::memset(&t, 0, sizeof(t));
  t.properties = p;
  ASSERT_EQ(hbSysAllocMem(&t.sysMem[0], static_cast<uint32_t>(p.alignedByteSize)), 0);
}

Tensors Make(hbDNNHandle_t model) {
  Tensors t;
  int32_t n_in = 0, n_out = 0;
  EXPECT_EQ(hbDNNGetInputCount(&n_in, model), 0);
  EXPECT_EQ(hbDNNGetOutputCount(&n_out, model), 0);
  t.in.resize(static_cast<size_t>(n_in));
  t.out.resize(static_cast<size_t>(n_out));
  for (int32_t i = 0; i < n_in; ++i) {
    hbDNNTensorProperties p;
    EXPECT_EQ(hbDNNGetInputTensorProperties(&p, model, i), 0);
    Alloc(t.in[i], p);
    // A deterministic ramp of floats in [-2, 2].
    float* data = static_cast<float*>(t.in[i].sysMem[0].virAddr);
    for (int32_t k = 0; k < p.alignedByteSize / 4; ++k) data[k] = -2.0f + 0.037f * (k % 109);
  }
  for (int32_t i = 0; i < n_out; ++i) {
    hbDNNTensorProperties p;
    EXPECT_EQ(hbDNNGetOutputTensorProperties(&p, model, i), 0);
    Alloc(t.out[i], p);
  }
  return t;
}

void Free(Tensors& t) {
  for (hbDNNTensor& x : t.in) hbSysFreeMem(&x.sysMem[0]);
  for (hbDNNTensor& x : t.out) hbSysFreeMem(&x.sysMem[0]);
}

std::string Bytes(const hbDNNTensor& t) {
  return std::string(static_cast<const char*>(t.sysMem[0].virAddr),
                     static_cast<size_t>(t.properties.alignedByteSize));
}

struct CallbackLog {
  std::atomic<int> calls{0};
};

void OnDone(hbDNNTaskHandle_t, int32_t, void* userdata) {
  static_cast<CallbackLog*>(userdata)->calls.fetch_add(1);
}

TEST(BpuStress, ThousandsOfTasksEndExactlyOnceAndBitExact) {
  BpuNetOptions bpu;
  bpu.name = "bpu";
  BpuNetOptions cpu = bpu;
  cpu.name = "cpu";
  cpu.placement = BpuNetPlacement::kCpu;
  std::string package = hb_dnn::testing::BpuNetPackageBytes({bpu, cpu});
  const void* data[] = {package.data()};
  int32_t lengths[] = {static_cast<int32_t>(package.size())};
  hbPackedDNNHandle_t packed = nullptr;
  ASSERT_EQ(hbDNNInitializeFromDDR(&packed, data, lengths, 1), 0) << hbDNNGetLastErrorDetail();
  hbDNNHandle_t model = nullptr, twin = nullptr;
  ASSERT_EQ(hbDNNGetModelHandle(&model, packed, "bpu"), 0);
  ASSERT_EQ(hbDNNGetModelHandle(&twin, packed, "cpu"), 0);

  // The expected outputs, from the all-CPU twin.
  std::vector<std::string> expected;
  {
    Tensors t = Make(twin);
    hbDNNTaskHandle_t task = nullptr;
    hbDNNTensor* out = t.out.data();
    hbDNNInferCtrlParam p;
    HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&p);
    ASSERT_EQ(hbDNNInfer(&task, &out, t.in.data(), twin, &p), 0);
    ASSERT_EQ(hbDNNWaitTaskDone(task, 0), 0);
    ASSERT_EQ(hbDNNReleaseTask(task), 0);
    for (const hbDNNTensor& o : t.out) expected.push_back(Bytes(o));
    Free(t);
  }

  constexpr int kThreads = 4;
  constexpr int kTasksPerThread = 400;
  constexpr int kInFlight = 4;  // per thread: 16 at most, inside the 32-task limit
  std::atomic<int> finished_ok{0}, cancelled{0}, timeouts{0}, mismatches{0}, other{0};
  std::vector<std::thread> threads;
  for (int th = 0; th < kThreads; ++th) {
    threads.emplace_back([&, th] {
      std::mt19937 rng(1234u + static_cast<unsigned>(th));
      struct Slot {
        Tensors tensors;
        hbDNNTaskHandle_t task = nullptr;
        CallbackLog log;
        bool released = false;
      };
      std::vector<Slot> slots(kInFlight);
      for (Slot& s : slots) s.tensors = Make(model);
      auto retire = [&](Slot& s) {
        if (s.task == nullptr) return;
        int32_t rc = 0;
        if (!s.released) {
          // Sometimes first a short wait that may time out (the task must go on).
          if (rng() % 4 == 0) {
            int32_t early = hbDNNWaitTaskDone(s.task, 1);
            if (early == HB_DNN_TIMEOUT) timeouts.fetch_add(1);
          }
          rc = hbDNNWaitTaskDone(s.task, 0);
          if (rc == 0) {
            bool same = true;
            for (size_t k = 0; k < s.tensors.out.size(); ++k) {
              same = same && Bytes(s.tensors.out[k]) == expected[k];
            }
            if (!same) mismatches.fetch_add(1);
            finished_ok.fetch_add(1);
          } else {
            other.fetch_add(1);
          }
          EXPECT_EQ(hbDNNReleaseTask(s.task), 0);
        }
        // The callback fires exactly once, whatever happened (also after a release).
        for (int i = 0; i < 5000 && s.log.calls.load() == 0; ++i) {
          std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
        EXPECT_EQ(s.log.calls.load(), 1);
        EXPECT_EQ(hbDNNReleaseTask(s.task), HB_DNN_INVALID_TASK_HANDLE);
        s.task = nullptr;
        s.released = false;
        s.log.calls = 0;
      };
      for (int n = 0; n < kTasksPerThread; ++n) {
        Slot& s = slots[static_cast<size_t>(n % kInFlight)];
        retire(s);
        hbDNNInferCtrlParam p;
        HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&p);
        p.priority = static_cast<int32_t>(rng() % 256);
        p.customId = static_cast<int64_t>(rng() % 4);
        static const int32_t kCores[] = {HB_BPU_CORE_ANY, HB_BPU_CORE_0, HB_BPU_CORE_1};
        p.bpuCoreId = kCores[rng() % 3];
        hbDNNTensor* out = s.tensors.out.data();
        for (hbDNNTensor& o : s.tensors.out) {
          std::memset(o.sysMem[0].virAddr, 0, static_cast<size_t>(o.properties.alignedByteSize));
        }
        ASSERT_EQ(hbDNNInfer(&s.task, &out, s.tensors.in.data(), model, &p), 0)
            << hbDNNGetLastErrorDetail();
        ASSERT_EQ(hbDNNSetTaskDoneCb(s.task, OnDone, &s.log), 0);
        if (rng() % 8 == 0) {
          // Released right away or a little later: queued, mid-run or finished.
          if (rng() % 2 == 0) std::this_thread::sleep_for(std::chrono::microseconds(rng() % 300));
          ASSERT_EQ(hbDNNReleaseTask(s.task), 0);
          s.released = true;
          cancelled.fetch_add(1);
        }
      }
      for (Slot& s : slots) retire(s);
      for (Slot& s : slots) Free(s.tensors);
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(finished_ok.load() + cancelled.load(), kThreads * kTasksPerThread);
  EXPECT_GT(finished_ok.load(), kThreads * kTasksPerThread / 2);
  // Every task is gone: the packed handle can be released.
  EXPECT_EQ(hbDNNRelease(packed), 0) << hbDNNGetLastErrorDetail();
  std::printf("finished %d, released %d, early-wait timeouts %d\n", finished_ok.load(),
              cancelled.load(), timeouts.load());
}

}  // namespace
