// Two models sharing the BPU with different priorities, completion by callback.
//
// A camera-side model (default detector_head) submits one frame every --period_us at priority
// 255 (HB_DNN_PRIORITY_PREEMP) while a batch model (default classifier_nv12) keeps --batch_depth
// inferences in flight at priority 0. Every task reports completion through hbDNNSetTaskDoneCb;
// the callback records the latency and hands the slot back. At the end each model's latency
// percentiles are printed, on the host clock and, when the library is hb_dnn, on the simulated
// BPU's clock (hbDNNSimGetTaskTiming).
//
// Preemption at function-call boundaries needs BPLAT_CORELIMIT >= 1 in the environment (see
// docs/scheduler.md); with the default 0 priority only reorders queued work.
//
// Usage: multi_model MODEL_FILE [URGENT_MODEL BATCH_MODEL [FRAMES [PERIOD_US [BATCH_DEPTH]]]]

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "dnn/hb_dnn.h"
#include "dnn/hb_dnn_status.h"
#include "dnn/hb_sys.h"
#if __has_include("hb_dnn/hb_dnn_sim.h")
#include "hb_dnn/hb_dnn_sim.h"
#define HAVE_HB_DNN_SIM 1
#endif

namespace {

using Clock = std::chrono::steady_clock;

bool Check(int32_t rc, const char* what) {
  if (rc == 0) return true;
  std::fprintf(stderr, "%s failed: %d (%s)\n", what, rc, hbDNNGetErrorDesc(rc));
  return false;
}

// The tensors of one in-flight inference: inputs filled once, outputs reused.
class Slot {
 public:
  Slot() = default;
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;
  ~Slot() {
    for (hbDNNTensor& t : inputs_) hbSysFreeMem(&t.sysMem[0]);
    for (hbDNNTensor& t : outputs_) hbSysFreeMem(&t.sysMem[0]);
  }

  bool Allocate(hbDNNHandle_t dnn) {
    int32_t in = 0, out = 0;
    if (!Check(hbDNNGetInputCount(&in, dnn), "hbDNNGetInputCount") ||
        !Check(hbDNNGetOutputCount(&out, dnn), "hbDNNGetOutputCount")) {
      return false;
    }
    inputs_.resize(static_cast<size_t>(in));
    outputs_.resize(static_cast<size_t>(out));
    for (int32_t i = 0; i < in; ++i) {
      hbDNNTensor& t = inputs_[static_cast<size_t>(i)];
      if (!Check(hbDNNGetInputTensorProperties(&t.properties, dnn, i), "input properties") ||
          !Check(hbSysAllocCachedMem(&t.sysMem[0], static_cast<uint32_t>(t.properties.alignedByteSize)),
                 "hbSysAllocCachedMem")) {
        return false;
      }
      // Any bytes are a valid image; zeros are a valid feature map. A mid-grey frame will do.
      std::memset(t.sysMem[0].virAddr, t.properties.tensorType == HB_DNN_TENSOR_TYPE_F32 ? 0 : 128,
                  t.sysMem[0].memSize);
      if (!Check(hbSysFlushMem(&t.sysMem[0], HB_SYS_MEM_CACHE_CLEAN), "hbSysFlushMem")) {
        return false;
      }
    }
    for (int32_t i = 0; i < out; ++i) {
      hbDNNTensor& t = outputs_[static_cast<size_t>(i)];
      if (!Check(hbDNNGetOutputTensorProperties(&t.properties, dnn, i), "output properties") ||
          !Check(hbSysAllocCachedMem(&t.sysMem[0], static_cast<uint32_t>(t.properties.alignedByteSize)),
                 "hbSysAllocCachedMem")) {
        return false;
      }
    }
    return true;
  }

  const hbDNNTensor* inputs() const { return inputs_.data(); }
  hbDNNTensor* outputs() { return outputs_.data(); }

 private:
  std::vector<hbDNNTensor> inputs_;
  std::vector<hbDNNTensor> outputs_;
};

struct Stats {
  std::vector<double> host_ms;
  std::vector<double> bpu_clock_ms;
  int failures = 0;
};

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t rank = static_cast<size_t>(p / 100.0 * static_cast<double>(v.size()) + 0.999999);
  return v[std::min(v.size(), std::max<size_t>(rank, 1)) - 1];
}

void Print(const char* model, int priority, const Stats& s) {
  std::printf("[%s] priority %3d: %zu frames, %d failed; host latency p50 %.3f ms, p99 %.3f ms, "
              "max %.3f ms",
              model, priority, s.host_ms.size(), s.failures, Percentile(s.host_ms, 50),
              Percentile(s.host_ms, 99), Percentile(s.host_ms, 100));
  if (!s.bpu_clock_ms.empty()) {
    std::printf("; BPU-clock latency p50 %.3f ms, p99 %.3f ms", Percentile(s.bpu_clock_ms, 50),
                Percentile(s.bpu_clock_ms, 99));
  }
  std::printf("\n");
}

// Submits inferences of one model and collects their completions through the callback.
class Runner {
 public:
  Runner(hbDNNHandle_t dnn, int priority) : dnn_(dnn), priority_(priority) {}

  bool Prepare(int slots) {
    for (int i = 0; i < slots; ++i) {
      slots_.emplace_back(new Slot);
      if (!slots_.back()->Allocate(dnn_)) return false;
      free_.push_back(i);
    }
    return true;
  }

  // Waits for a free slot, then submits one inference on it. False on a submission error.
  bool Submit() {
    int slot;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return !free_.empty(); });
      slot = free_.back();
      free_.pop_back();
      ++in_flight_;
    }
    Pending* p = new Pending{this, slot, Clock::now()};
    hbDNNInferCtrlParam ctrl;
    HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&ctrl);
    ctrl.priority = priority_;
    hbDNNTaskHandle_t task = nullptr;
    hbDNNTensor* outputs = slots_[static_cast<size_t>(slot)]->outputs();
    if (!Check(hbDNNInfer(&task, &outputs, slots_[static_cast<size_t>(slot)]->inputs(), dnn_, &ctrl),
               "hbDNNInfer") ||
        !Check(hbDNNSetTaskDoneCb(task, &Runner::Done, p), "hbDNNSetTaskDoneCb")) {
      if (task != nullptr) hbDNNReleaseTask(task);
      delete p;
      std::lock_guard<std::mutex> lock(mu_);
      --in_flight_;
      free_.push_back(slot);
      cv_.notify_all();
      return false;
    }
    return true;
  }

  void Drain() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return in_flight_ == 0; });
  }

  // Tasks are released here, off the callback thread (the callback must return quickly); their
  // simulator timings are read before the release.
  void ReleaseFinished() {
    std::vector<hbDNNTaskHandle_t> tasks;
    {
      std::lock_guard<std::mutex> lock(mu_);
      tasks.swap(releasing_);
    }
    std::vector<double> bpu_ms;
    for (hbDNNTaskHandle_t t : tasks) {
#ifdef HAVE_HB_DNN_SIM
      hbDNNSimTaskTiming timing;
      if (hbDNNSimGetTaskTiming(t, &timing) == 0 && timing.fcCount > 0) {
        bpu_ms.push_back(static_cast<double>(timing.latencyNs) / 1e6);
      }
#endif
      hbDNNReleaseTask(t);
    }
    std::lock_guard<std::mutex> lock(mu_);
    stats_.bpu_clock_ms.insert(stats_.bpu_clock_ms.end(), bpu_ms.begin(), bpu_ms.end());
  }

  Stats stats() {
    std::lock_guard<std::mutex> lock(mu_);
    return stats_;
  }

 private:
  struct Pending {
    Runner* runner;
    int slot;
    Clock::time_point submitted;
  };

  static void Done(hbDNNTaskHandle_t task, int32_t status, void* userdata) {
    Pending* p = static_cast<Pending*>(userdata);
    Runner* r = p->runner;
    double host_ms = std::chrono::duration<double, std::milli>(Clock::now() - p->submitted).count();
    {
      std::lock_guard<std::mutex> lock(r->mu_);
      if (status != 0) {
        ++r->stats_.failures;
      } else {
        r->stats_.host_ms.push_back(host_ms);
      }
      r->free_.push_back(p->slot);
      r->releasing_.push_back(task);
      --r->in_flight_;
    }
    r->cv_.notify_all();
    delete p;
  }

  hbDNNHandle_t dnn_;
  int priority_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<int> free_;
  std::vector<hbDNNTaskHandle_t> releasing_;
  int in_flight_ = 0;
  Stats stats_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc == 3 || argc > 7) {
    std::fprintf(stderr,
                 "usage: %s MODEL_FILE [URGENT_MODEL BATCH_MODEL [FRAMES [PERIOD_US [BATCH_DEPTH]]]]\n",
                 argv[0]);
    return 2;
  }
  const char* urgent_name = argc > 3 ? argv[2] : "detector_head";
  const char* batch_name = argc > 3 ? argv[3] : "classifier_nv12";
  const int frames = argc > 4 ? std::max(1, std::atoi(argv[4])) : 50;
  const int period_us = argc > 5 ? std::max(0, std::atoi(argv[5])) : 2000;
  const int batch_depth = argc > 6 ? std::max(1, std::atoi(argv[6])) : 2;

  hbPackedDNNHandle_t packed = nullptr;
  const char* file = argv[1];
  if (!Check(hbDNNInitializeFromFiles(&packed, &file, 1), "hbDNNInitializeFromFiles")) return 1;
  int status = 1;
  {
    hbDNNHandle_t urgent_dnn = nullptr, batch_dnn = nullptr;
    if (!Check(hbDNNGetModelHandle(&urgent_dnn, packed, urgent_name), urgent_name) ||
        !Check(hbDNNGetModelHandle(&batch_dnn, packed, batch_name), batch_name)) {
      hbDNNRelease(packed);
      return 1;
    }
    Runner urgent(urgent_dnn, HB_DNN_PRIORITY_PREEMP);
    Runner batch(batch_dnn, HB_DNN_PRIORITY_LOWEST);
    if (urgent.Prepare(1) && batch.Prepare(batch_depth)) {
      const char* corelimit = std::getenv("BPLAT_CORELIMIT");
      std::printf("%s every %d us at priority 255, %s with %d in flight at priority 0, "
                  "BPLAT_CORELIMIT=%s\n",
                  urgent_name, period_us, batch_name, batch_depth, corelimit ? corelimit : "0");
      bool ok = true;
      bool stop = false;
      std::mutex stop_mu;
      // Batch work: keep the queue full until the urgent frames are done.
      std::thread batch_thread([&] {
        for (;;) {
          {
            std::lock_guard<std::mutex> lock(stop_mu);
            if (stop) break;
          }
          batch.ReleaseFinished();
          if (!batch.Submit()) break;
        }
      });
      Clock::time_point start = Clock::now();
      for (int k = 0; k < frames && ok; ++k) {
        std::this_thread::sleep_until(start + std::chrono::microseconds(int64_t{period_us} * k));
        urgent.ReleaseFinished();
        ok = urgent.Submit();
      }
      urgent.Drain();
      double seconds = std::chrono::duration<double>(Clock::now() - start).count();
      {
        std::lock_guard<std::mutex> lock(stop_mu);
        stop = true;
      }
      batch_thread.join();
      batch.Drain();
      batch.ReleaseFinished();
      urgent.ReleaseFinished();
      Stats u = urgent.stats(), b = batch.stats();
      Print(urgent_name, HB_DNN_PRIORITY_PREEMP, u);
      Print(batch_name, HB_DNN_PRIORITY_LOWEST, b);
      std::printf("batch throughput next to the urgent model: %.1f FPS over %.3f s\n",
                  static_cast<double>(b.host_ms.size()) / seconds, seconds);
      status = ok && u.failures == 0 && b.failures == 0 &&
                       u.host_ms.size() == static_cast<size_t>(frames)
                   ? 0
                   : 1;
    }
  }
  if (!Check(hbDNNRelease(packed), "hbDNNRelease")) status = 1;
  return status;
}
