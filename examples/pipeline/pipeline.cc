// A camera pipeline: pre-process (downscale a 2x camera frame and convert RGB -> NV12), infer
// on the BPU, post-process (top-1 of the classifier's probabilities), first as the serial loop
// most board programs start with, then overlapped with a oneTBB flow graph:
//
//   input_node -> limiter_node(tokens) -> pre (serial) -> infer (async_node: hbDNNInfer with a
//   completion callback, several frames in flight) -> post (serial) -> limiter decrement
//
// Both runs compute the same results (checked), and the throughput gain is printed.
//
// Run it with HB_DNN_SIM_TIMING=realtime to see what a board gives: the simulated BPU then
// occupies its core for the modelled time while the CPU stages of other frames run (1.7x here on
// 2 host cores). With the default timing (off) the simulator's int8 arithmetic itself runs on the
// host's cores, so on a small host there is little left to overlap.
//
// Usage: pipeline MODEL_FILE [MODEL_NAME [FRAMES [TOKENS]]]
// The model must have one NV12 input and an F32 output (classifier_nv12 of the demo package).

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

#include "dnn/hb_dnn.h"
#include "dnn/hb_dnn_status.h"
#include "dnn/hb_sys.h"
#include "oneapi/tbb/flow_graph.h"

namespace {

using Clock = std::chrono::steady_clock;
struct Slot;
using InferNode = tbb::flow::async_node<Slot*, Slot*>;

bool Check(int32_t rc, const char* what) {
  if (rc == 0) return true;
  std::fprintf(stderr, "%s failed: %d (%s)\n", what, rc, hbDNNGetErrorDesc(rc));
  return false;
}

uint8_t Clamp(double v) { return static_cast<uint8_t>(std::clamp(v + 0.5, 0.0, 255.0)); }

// One frame's buffers: the camera frame, the model's input and output, the task.
struct Slot {
  std::vector<uint8_t> camera;  // interleaved RGB, 2H x 2W
  hbDNNTensor input{};
  hbDNNTensor output{};
  hbDNNTaskHandle_t task = nullptr;
  int32_t status = 0;
  InferNode::gateway_type* gateway = nullptr;
  int frame = 0;

  Slot() = default;
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;
  ~Slot() {
    if (task != nullptr) hbDNNReleaseTask(task);
    if (input.sysMem[0].virAddr != nullptr) hbSysFreeMem(&input.sysMem[0]);
    if (output.sysMem[0].virAddr != nullptr) hbSysFreeMem(&output.sysMem[0]);
  }
};

class Pipeline {
 public:
  explicit Pipeline(hbDNNHandle_t dnn) : dnn_(dnn) {}

  bool Prepare(int slots) {
    hbDNNTensorProperties in, out;
    if (!Check(hbDNNGetInputTensorProperties(&in, dnn_, 0), "input properties") ||
        !Check(hbDNNGetOutputTensorProperties(&out, dnn_, 0), "output properties")) {
      return false;
    }
    if (in.tensorType != HB_DNN_IMG_TYPE_NV12 || out.tensorType != HB_DNN_TENSOR_TYPE_F32) {
      std::fprintf(stderr, "the model needs an NV12 input and an F32 output\n");
      return false;
    }
    height_ = in.validShape.dimensionSize[2];
    width_ = in.validShape.dimensionSize[3];
    row_ = in.alignedShape.dimensionSize[3];
    classes_ = out.alignedByteSize / static_cast<int32_t>(sizeof(float));
    for (int i = 0; i < slots; ++i) {
      auto slot = std::make_unique<Slot>();
      slot->camera.resize(static_cast<size_t>(4 * height_ * width_ * 3));
      slot->input.properties = in;
      slot->output.properties = out;
      if (!Check(hbSysAllocCachedMem(&slot->input.sysMem[0], static_cast<uint32_t>(in.alignedByteSize)),
                 "hbSysAllocCachedMem") ||
          !Check(hbSysAllocCachedMem(&slot->output.sysMem[0], static_cast<uint32_t>(out.alignedByteSize)),
                 "hbSysAllocCachedMem")) {
        return false;
      }
      free_.push_back(slot.get());
      slots_.push_back(std::move(slot));
    }
    return true;
  }

  // The limiter admits at most as many frames as there are slots, so one is always free here.
  Slot* Acquire() {
    std::lock_guard<std::mutex> lock(mu_);
    Slot* s = free_.back();
    free_.pop_back();
    return s;
  }
  void Return(Slot* s) {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(s);
  }

  // The camera delivers a 2H x 2W RGB frame (a moving gradient); the model takes H x W NV12.
  void PreProcess(Slot& s, int frame) {
    s.frame = frame;
    const int ch = 2 * height_, cw = 2 * width_;
    for (int y = 0; y < ch; ++y) {
      for (int x = 0; x < cw; ++x) {
        uint8_t* p = &s.camera[static_cast<size_t>((y * cw + x) * 3)];
        p[0] = static_cast<uint8_t>((x + 7 * frame) & 255);
        p[1] = static_cast<uint8_t>((y + 3 * frame) & 255);
        p[2] = static_cast<uint8_t>(((x ^ y) + frame) & 255);
      }
    }
    uint8_t* nv12 = static_cast<uint8_t*>(s.input.sysMem[0].virAddr);
    uint8_t* uv = nv12 + static_cast<size_t>(row_) * height_;
    for (int y = 0; y < height_; ++y) {
      for (int x = 0; x < width_; ++x) {
        double rgb[3] = {0, 0, 0};
        for (int dy = 0; dy < 2; ++dy) {
          for (int dx = 0; dx < 2; ++dx) {
            const uint8_t* p = &s.camera[static_cast<size_t>(((2 * y + dy) * cw + 2 * x + dx) * 3)];
            for (int c = 0; c < 3; ++c) rgb[c] += p[c] / 4.0;
          }
        }
        nv12[static_cast<size_t>(y) * row_ + x] =
            Clamp(0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]);
        if (y % 2 == 0 && x % 2 == 0) {
          uint8_t* out = uv + static_cast<size_t>(y / 2) * row_ + x;
          out[0] = Clamp(-0.168736 * rgb[0] - 0.331264 * rgb[1] + 0.5 * rgb[2] + 128.0);
          out[1] = Clamp(0.5 * rgb[0] - 0.418688 * rgb[1] - 0.081312 * rgb[2] + 128.0);
        }
      }
    }
    hbSysFlushMem(&s.input.sysMem[0], HB_SYS_MEM_CACHE_CLEAN);
  }

  bool Submit(Slot& s, hbDNNTaskDoneCb done, void* userdata) {
    hbDNNInferCtrlParam ctrl;
    HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&ctrl);
    hbDNNTensor* outputs = &s.output;
    s.task = nullptr;
    if (!Check(hbDNNInfer(&s.task, &outputs, &s.input, dnn_, &ctrl), "hbDNNInfer")) return false;
    if (done != nullptr) return Check(hbDNNSetTaskDoneCb(s.task, done, userdata), "hbDNNSetTaskDoneCb");
    s.status = hbDNNWaitTaskDone(s.task, 0);
    return true;
  }

  // Releases the frame's task and returns its top-1 class (-1 if the inference failed).
  int PostProcess(Slot& s) {
    if (s.task != nullptr) hbDNNReleaseTask(s.task);
    s.task = nullptr;
    if (s.status != 0) {
      std::fprintf(stderr, "frame %d failed: %d (%s)\n", s.frame, s.status,
                   hbDNNGetErrorDesc(s.status));
      return -1;
    }
    hbSysFlushMem(&s.output.sysMem[0], HB_SYS_MEM_CACHE_INVALIDATE);
    const float* prob = static_cast<const float*>(s.output.sysMem[0].virAddr);
    return static_cast<int>(std::max_element(prob, prob + classes_) - prob);
  }

 private:
  hbDNNHandle_t dnn_;
  int32_t height_ = 0, width_ = 0, row_ = 0, classes_ = 0;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::mutex mu_;
  std::vector<Slot*> free_;
};

struct Run {
  double seconds = 0;
  std::vector<int> top1;
};

Run Serial(Pipeline& p, int frames) {
  Run run;
  Clock::time_point start = Clock::now();
  for (int k = 0; k < frames; ++k) {
    Slot* s = p.Acquire();
    p.PreProcess(*s, k);
    const bool submitted = p.Submit(*s, nullptr, nullptr);
    if (submitted) run.top1.push_back(p.PostProcess(*s));
    p.Return(s);
    if (!submitted) break;
  }
  run.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return run;
}

void InferDone(hbDNNTaskHandle_t, int32_t status, void* userdata) {
  Slot* s = static_cast<Slot*>(userdata);
  s->status = status;
  InferNode::gateway_type* gateway = s->gateway;
  gateway->try_put(s);
  gateway->release_wait();
}

Run Overlapped(Pipeline& p, int frames, int tokens) {
  namespace flow = tbb::flow;
  Run run;
  run.top1.assign(static_cast<size_t>(frames), -1);
  flow::graph g;
  int next = 0;
  flow::input_node<int> source(g, [&](tbb::flow_control& control) {
    if (next >= frames) {
      control.stop();
      return 0;
    }
    return next++;
  });
  // At most `tokens` frames in flight: one slot each.
  flow::limiter_node<int> limiter(g, static_cast<size_t>(tokens));
  flow::function_node<int, Slot*> pre(g, flow::serial, [&](int frame) {
    Slot* s = p.Acquire();
    p.PreProcess(*s, frame);
    return s;
  });
  InferNode infer(g, flow::unlimited, [&](Slot* s, InferNode::gateway_type& gateway) {
    s->gateway = &gateway;
    gateway.reserve_wait();
    if (!p.Submit(*s, &InferDone, s)) {
      s->status = -1;
      gateway.try_put(s);
      gateway.release_wait();
    }
  });
  flow::function_node<Slot*, flow::continue_msg> post(g, flow::serial, [&](Slot* s) {
    run.top1[static_cast<size_t>(s->frame)] = p.PostProcess(*s);
    p.Return(s);
    return flow::continue_msg();
  });
  flow::make_edge(source, limiter);
  flow::make_edge(limiter, pre);
  flow::make_edge(pre, infer);
  flow::make_edge(infer, post);
  flow::make_edge(post, limiter.decrementer());
  Clock::time_point start = Clock::now();
  source.activate();
  g.wait_for_all();
  run.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 5) {
    std::fprintf(stderr, "usage: %s MODEL_FILE [MODEL_NAME [FRAMES [TOKENS]]]\n", argv[0]);
    return 2;
  }
  const char* model = argc > 2 ? argv[2] : "classifier_nv12";
  const int frames = argc > 3 ? std::max(1, std::atoi(argv[3])) : 100;
  const int tokens = argc > 4 ? std::clamp(std::atoi(argv[4]), 1, 16) : 4;

  hbPackedDNNHandle_t packed = nullptr;
  const char* file = argv[1];
  if (!Check(hbDNNInitializeFromFiles(&packed, &file, 1), "hbDNNInitializeFromFiles")) return 1;
  int status = 1;
  {
    hbDNNHandle_t dnn = nullptr;
    if (!Check(hbDNNGetModelHandle(&dnn, packed, model), model)) dnn = nullptr;
    Pipeline pipeline(dnn);
    if (dnn != nullptr && pipeline.Prepare(tokens)) {
      Run serial = Serial(pipeline, frames);
      Run overlapped = Overlapped(pipeline, frames, tokens);
      const double serial_fps = frames / serial.seconds;
      const double overlapped_fps = frames / overlapped.seconds;
      std::printf("%s, %d frames\n", model, frames);
      std::printf("serial loop:          %8.1f FPS (%.3f s)\n", serial_fps, serial.seconds);
      std::printf("flow graph, %2d tokens: %8.1f FPS (%.3f s)\n", tokens, overlapped_fps,
                  overlapped.seconds);
      std::printf("throughput gain: %.2fx\n", overlapped_fps / serial_fps);
      const bool same = serial.top1 == overlapped.top1 &&
                        std::find(serial.top1.begin(), serial.top1.end(), -1) == serial.top1.end();
      std::printf("results %s (top-1 of frame 0: class %d)\n",
                  same ? "identical" : "DIFFER", serial.top1.empty() ? -1 : serial.top1[0]);
      status = same && serial.top1.size() == static_cast<size_t>(frames) ? 0 : 1;
    }
  }
  if (!Check(hbDNNRelease(packed), "hbDNNRelease")) status = 1;
  return status;
}
