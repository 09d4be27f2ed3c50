// hbDNNInfer / hbDNNWaitTaskDone / hbDNNSetTaskDoneCb / hbDNNReleaseTask on CPU-only models:
// real results, the tensor rules, the task limits and every misuse.

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hb_dnn/hb_dnn.h"
#include "hb_dnn/hb_dnn_sim.h"
#include "hb_dnn/hb_dnn_status.h"
#include "tests/testing/test_models.h"
#include "tools/model_builder/model_builder.h"

namespace {

using ::testing::HasSubstr;
using hb_dnn::fb::DataType;

std::string Detail() { return hbDNNGetLastErrorDetail(); }

// y = Relu(x) + bias, repeated `relus` times as a Relu chain first (to make slow tasks).
std::string CpuModelBytes(int relus = 1, std::vector<int64_t> shape = {1, 3, 4, 5}) {
  hb_dnn::tools::PackageBuilder package;
  hb_dnn::tools::ModelBuilder& m = package.AddModel("cpu_model", "bernoulli2");
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  int x = m.AddTensor("x", shape, DataType::F32);
  std::vector<float> bias(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) bias[i] = 0.5f * static_cast<float>(i);
  int b = m.AddConstant("bias", shape, DataType::F32,
                        std::string(reinterpret_cast<const char*>(bias.data()), n * sizeof(float)));
  std::vector<uint32_t> nodes;
  int prev = x;
  for (int r = 0; r < relus; ++r) {
    int t = m.AddTensor("relu_" + std::to_string(r), shape, DataType::F32);
    nodes.push_back(m.AddNode("relu" + std::to_string(r), "Relu", {prev}, {t}));
    prev = t;
  }
  int y = m.AddTensor("y", shape, DataType::F32);
  nodes.push_back(m.AddNode("add", "Add", {prev, b}, {y}));
  m.AddCpuSegment(nodes);
  hb_dnn::tools::IoSpec spec;
  EXPECT_TRUE(m.AddInput(x, spec).ok());
  EXPECT_TRUE(m.AddOutput(y, spec).ok());
  return package.Serialize().value();
}

class Infer : public ::testing::Test {
 protected:
  void Load(const std::string& bytes) {
    const void* data[] = {bytes.data()};
    int32_t lengths[] = {static_cast<int32_t>(bytes.size())};
    ASSERT_EQ(hbDNNInitializeFromDDR(&packed_, data, lengths, 1), 0) << Detail();
    char const** names;
    int32_t count;
    ASSERT_EQ(hbDNNGetModelNameList(&names, &count, packed_), 0);
    ASSERT_EQ(hbDNNGetModelHandle(&model_, packed_, names[0]), 0);
  }
  void SetUp() override { Load(CpuModelBytes()); }
  void TearDown() override {
    for (hbDNNTaskHandle_t t : tasks_) hbDNNReleaseTask(t);
    for (hbSysMem& m : mems_) hbSysFreeMem(&m);
    if (packed_ != nullptr) {
      EXPECT_EQ(hbDNNRelease(packed_), 0) << Detail();
    }
  }

  // Tensors with properties from the model and fresh cached memory.
  void Prepare(hbDNNTensor* in, hbDNNTensor* out) {
    ASSERT_EQ(hbDNNGetInputTensorProperties(&in->properties, model_, 0), 0);
    ASSERT_EQ(hbDNNGetOutputTensorProperties(&out->properties, model_, 0), 0);
    ASSERT_EQ(hbSysAllocCachedMem(&in->sysMem[0], in->properties.alignedByteSize), 0);
    ASSERT_EQ(hbSysAllocCachedMem(&out->sysMem[0], out->properties.alignedByteSize), 0);
    mems_.push_back(in->sysMem[0]);
    mems_.push_back(out->sysMem[0]);
    float* x = static_cast<float*>(in->sysMem[0].virAddr);
    for (int i = 0; i < 60; ++i) x[i] = static_cast<float>(i % 7) - 3.0f;
    ASSERT_EQ(hbSysFlushMem(&in->sysMem[0], HB_SYS_MEM_CACHE_CLEAN), 0);
  }

  int32_t Submit(hbDNNTaskHandle_t* task, hbDNNTensor* in, hbDNNTensor* out,
                 hbDNNInferCtrlParam* param = nullptr) {
    hbDNNInferCtrlParam defaults;
    HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&defaults);
    hbDNNTensor* outp = out;
    int32_t rc = hbDNNInfer(task, &outp, in, model_, param ? param : &defaults);
    if (rc == 0) tasks_.push_back(*task);
    return rc;
  }

  void Forget(hbDNNTaskHandle_t task) {
    tasks_.erase(std::remove(tasks_.begin(), tasks_.end(), task), tasks_.end());
  }

  static void ExpectResult(const hbDNNTensor& out) {
    const float* y = static_cast<const float*>(out.sysMem[0].virAddr);
    for (int i = 0; i < 60; ++i) {
      float x = static_cast<float>(i % 7) - 3.0f;
      ASSERT_FLOAT_EQ(y[i], std::max(x, 0.0f) + 0.5f * static_cast<float>(i)) << i;
    }
  }

  hbPackedDNNHandle_t packed_ = nullptr;
  hbDNNHandle_t model_ = nullptr;
  std::vector<hbDNNTaskHandle_t> tasks_;
  std::vector<hbSysMem> mems_;
};

TEST_F(Infer, RunsAndWaits) {
  hbDNNTensor in = {}, out = {};
  Prepare(&in, &out);
  hbDNNTaskHandle_t task = nullptr;
  ASSERT_EQ(Submit(&task, &in, &out), 0) << Detail();
  ASSERT_NE(task, nullptr);
  ASSERT_EQ(hbDNNWaitTaskDone(task, 0), 0) << Detail();
  ASSERT_EQ(hbSysFlushMem(&out.sysMem[0], HB_SYS_MEM_CACHE_INVALIDATE), 0);
  ExpectResult(out);
  // Waiting again is fine; the task stays until released.
  EXPECT_EQ(hbDNNWaitTaskDone(task, 10), 0);
  EXPECT_EQ(hbDNNReleaseTask(task), 0);
  Forget(task);
  EXPECT_EQ(hbDNNReleaseTask(task), HB_DNN_INVALID_TASK_HANDLE);
  EXPECT_THAT(Detail(), HasSubstr("already released"));
  EXPECT_EQ(hbDNNWaitTaskDone(task, 0), HB_DNN_INVALID_TASK_HANDLE);
}

TEST_F(Infer, StaleTaskHandleNeverReachesANewTask) {
  hbDNNTensor in = {}, out = {};
  Prepare(&in, &out);
  hbDNNTaskHandle_t first = nullptr, second = nullptr;
  ASSERT_EQ(Submit(&first, &in, &out), 0);
  ASSERT_EQ(hbDNNWaitTaskDone(first, 0), 0);
  ASSERT_EQ(hbDNNReleaseTask(first), 0);
  Forget(first);
  ASSERT_EQ(Submit(&second, &in, &out), 0);
  EXPECT_NE(second, first);
  EXPECT_EQ(hbDNNReleaseTask(first), HB_DNN_INVALID_TASK_HANDLE);
  EXPECT_EQ(hbDNNWaitTaskDone(second, 0), 0) << Detail();  // not cancelled by the stale release
}

TEST(InferModel, DescriptionMustMatchTheTensor) {
  // A model whose input description claims (1,3,2,2) while its tensor is (1,3,4,5): loading must
  // fail, or a caller's 48-byte buffer would be overrun by a 240-byte copy.
  hb_dnn::tools::PackageBuilder package;
  hb_dnn::tools::ModelBuilder& m = package.AddModel("lying", "bernoulli2");
  int x = m.AddTensor("x", {1, 3, 4, 5}, DataType::F32);
  int y = m.AddTensor("y", {1, 3, 4, 5}, DataType::F32);
  m.AddCpuSegment({m.AddNode("relu", "Relu", {x}, {y})});
  hb_dnn::tools::IoSpec small;
  small.valid_shape = {1, 3, 2, 2};
  ASSERT_TRUE(m.AddInput(x, small).ok());
  ASSERT_TRUE(m.AddOutput(y, {}).ok());
  std::string bytes = package.Serialize().value();
  const void* data[] = {bytes.data()};
  int32_t lengths[] = {static_cast<int32_t>(bytes.size())};
  hbPackedDNNHandle_t packed = nullptr;
  EXPECT_EQ(hbDNNInitializeFromDDR(&packed, data, lengths, 1), HB_DNN_INVALID_MODEL);
  EXPECT_THAT(Detail(), HasSubstr("input 'x' is described as F32(1,3,2,2) but its tensor is float32(1,3,4,5)"));
}

TEST_F(Infer, ShortOutputBufferGetsTheFaqMessage) {
  hbDNNTensor in = {}, out = {};
  Prepare(&in, &out);
  hbSysMem small;
  ASSERT_EQ(hbSysAllocMem(&small, 100), 0);
  mems_.push_back(small);
  out.sysMem[0] = small;
  hbDNNTaskHandle_t task = nullptr;
  EXPECT_EQ(Submit(&task, &in, &out), HB_DNN_INVALID_ARGUMENT);
  EXPECT_EQ(task, nullptr);
  EXPECT_EQ(Detail(),
            "hbDNNInfer: output 0 'y': tensor aligned shape size is 240, but tensor hbSysMem "
            "memSize is 100, tensor hbSysMem memSize should >= tensor aligned shape size!");
}

TEST_F(Infer, TensorMismatches) {
  hbDNNTensor in = {}, out = {};
  Prepare(&in, &out);
  hbDNNTaskHandle_t task = nullptr;
  hbDNNTensor bad = in;
  bad.properties.tensorType = HB_DNN_TENSOR_TYPE_S8;
  EXPECT_EQ(Submit(&task, &bad, &out), HB_DNN_INVALID_ARGUMENT);
  EXPECT_THAT(Detail(), HasSubstr("input 0 'x': tensorType 8 differs from the model's 13 (F32)"));
  bad = in;
  bad.properties.validShape.dimensionSize[3] = 6;
  EXPECT_EQ(Submit(&task, &bad, &out), HB_DNN_INVALID_ARGUMENT);
  EXPECT_THAT(Detail(), HasSubstr("validShape (1,3,4,6) differs from the model's (1,3,4,5)"));
  bad = in;
  bad.properties.alignedShape.dimensionSize[3] = 8;
  EXPECT_EQ(Submit(&task, &bad, &out), HB_DNN_INVALID_ARGUMENT);
  EXPECT_THAT(Detail(), HasSubstr("alignedShape (1,3,4,8) is neither"));
  bad = in;
  std::vector<float> host(60);
  bad.sysMem[0].virAddr = host.data();
  EXPECT_EQ(Submit(&task, &bad, &out), HB_DNN_INVALID_ARGUMENT);
  EXPECT_THAT(Detail(), HasSubstr("input 0 'x': sysMem[0]: hbSysMem: hbSysMem virAddr"));
  bad = in;
  bad.sysMem[0].virAddr = nullptr;
  EXPECT_EQ(Submit(&task, &bad, &out), HB_DNN_INVALID_ARGUMENT);
  EXPECT_EQ(task, nullptr);
}

TEST_F(Infer, ArgumentAndControlErrors) {
  hbDNNTensor in = {}, out = {};
  Prepare(&in, &out);
  hbDNNTensor* outp = &out;
  hbDNNInferCtrlParam p;
  HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&p);
  hbDNNTaskHandle_t task = nullptr;
  EXPECT_EQ(hbDNNInfer(nullptr, &outp, &in, model_, &p), HB_DNN_INVALID_ARGUMENT);
  EXPECT_EQ(hbDNNInfer(&task, nullptr, &in, model_, &p), HB_DNN_INVALID_ARGUMENT);
  EXPECT_EQ(hbDNNInfer(&task, &outp, nullptr, model_, &p), HB_DNN_INVALID_ARGUMENT);
  EXPECT_EQ(hbDNNInfer(&task, &outp, &in, model_, nullptr), HB_DNN_INVALID_ARGUMENT);
  EXPECT_EQ(hbDNNInfer(&task, &outp, &in, nullptr, &p), HB_DNN_INVALID_DNN_HANDLE);
  p.priority = 256;
  EXPECT_EQ(hbDNNInfer(&task, &outp, &in, model_, &p), HB_DNN_INVALID_ARGUMENT);
  EXPECT_THAT(Detail(), HasSubstr("priority 256 is outside [0, 255]"));
  p.priority = -1;
  EXPECT_EQ(hbDNNInfer(&task, &outp, &in, model_, &p), HB_DNN_INVALID_ARGUMENT);
  HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&p);
  p.bpuCoreId = 4;
  EXPECT_EQ(hbDNNInfer(&task, &outp, &in, model_, &p), HB_DNN_INVALID_ARGUMENT);
  HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&p);
  p.bpuCoreId = HB_BPU_CORE_0 | HB_BPU_CORE_1;
  EXPECT_EQ(hbDNNInfer(&task, &outp, &in, model_, &p), HB_DNN_INVALID_ARGUMENT);
  EXPECT_THAT(Detail(), HasSubstr("dual-core models"));
  HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&p);
  p.more = 2;
  EXPECT_EQ(hbDNNInfer(&task, &outp, &in, model_, &p), HB_DNN_INVALID_ARGUMENT);
  HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&p);
  int local;
  task = &local;
  EXPECT_EQ(hbDNNInfer(&task, &outp, &in, model_, &p), HB_DNN_INVALID_TASK_HANDLE);
  EXPECT_EQ(task, &local);  // left unchanged on error
  EXPECT_EQ(hbDNNWaitTaskDone(nullptr, 0), HB_DNN_INVALID_TASK_HANDLE);
  EXPECT_EQ(hbDNNWaitTaskDone(&local, 0), HB_DNN_INVALID_TASK_HANDLE);
  EXPECT_EQ(hbDNNReleaseTask(&local), HB_DNN_INVALID_TASK_HANDLE);
  EXPECT_EQ(hbDNNSetTaskDoneCb(&local, nullptr, nullptr), HB_DNN_INVALID_TASK_HANDLE);
}

struct CallbackLog {
  std::atomic<int> calls{0};
  std::atomic<int32_t> status{1};
  std::atomic<void*> handle{nullptr};
};

void OnDone(hbDNNTaskHandle_t task, int32_t status, void* userdata) {
  auto* log = static_cast<CallbackLog*>(userdata);
  log->handle = task;
  log->status = status;
  log->calls++;
}

// `more` batching: several submissions under one task handle, run as one task when the last
// one (more = 0) arrives.
TEST_F(Infer, MoreBatchesSubmissionsIntoOneTask) {
  constexpr int kBatch = 5;
  std::vector<hbDNNTensor> in(kBatch), out(kBatch);
  for (int i = 0; i < kBatch; ++i) {
    in[i] = {};
    out[i] = {};
    Prepare(&in[i], &out[i]);
  }
  hbDNNTaskHandle_t task = nullptr;
  hbDNNInferCtrlParam p;
  HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&p);
  for (int i = 0; i < kBatch; ++i) {
    p.more = i + 1 < kBatch ? 1 : 0;
    hbDNNTensor* outp = &out[i];
    hbDNNTaskHandle_t before = task;
    ASSERT_EQ(hbDNNInfer(&task, &outp, &in[i], model_, &p), 0) << Detail();
    if (i == 0) {
      ASSERT_NE(task, nullptr);
    } else {
      EXPECT_EQ(task, before);  // the same handle throughout
    }
    if (i + 1 < kBatch) {
      // Nothing runs before the batch is sealed.
      EXPECT_EQ(hbDNNWaitTaskDone(task, 20), HB_DNN_TIMEOUT);
    }
  }
  tasks_.push_back(task);
  ASSERT_EQ(hbDNNWaitTaskDone(task, 0), 0) << Detail();
  for (int i = 0; i < kBatch; ++i) {
    ASSERT_EQ(hbSysFlushMem(&out[i].sysMem[0], HB_SYS_MEM_CACHE_INVALIDATE), 0);
    ExpectResult(out[i]);
  }
  // A sealed batch takes no more submissions.
  p.more = 0;
  hbDNNTensor* outp = &out[0];
  hbDNNTaskHandle_t sealed = task;
  EXPECT_EQ(hbDNNInfer(&sealed, &outp, &in[0], model_, &p), HB_DNN_INVALID_TASK_HANDLE);
  EXPECT_THAT(Detail(), HasSubstr("not open for `more` submissions"));
}

TEST_F(Infer, MoreBatchHoldsAtMost255Inferences) {
  hbDNNTensor in = {}, out = {};
  Prepare(&in, &out);
  hbDNNTaskHandle_t task = nullptr;
  hbDNNInferCtrlParam p;
  HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&p);
  p.more = 1;
  hbDNNTensor* outp = &out;
  for (int i = 0; i < 255; ++i) {
    ASSERT_EQ(hbDNNInfer(&task, &outp, &in, model_, &p), 0) << i << ": " << Detail();
  }
  EXPECT_EQ(hbDNNInfer(&task, &outp, &in, model_, &p), HB_DNN_TASK_BATCH_SIZE_EXCEED_LIMIT);
  EXPECT_THAT(Detail(), HasSubstr("255"));
  // Releasing an unsealed batch completes it as cancelled; it never runs.
  CallbackLog log;
  ASSERT_EQ(hbDNNSetTaskDoneCb(task, OnDone, &log), 0);
  EXPECT_EQ(hbDNNReleaseTask(task), 0);
  for (int i = 0; i < 5000 && log.calls == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(log.calls, 1);
  EXPECT_EQ(log.status, HB_DNN_RUN_TASK_FAILED);
}


TEST_F(Infer, CallbackFiresExactlyOnce) {
  hbDNNTensor in = {}, out = {};
  Prepare(&in, &out);
  hbDNNTaskHandle_t task = nullptr;
  CallbackLog log;
  ASSERT_EQ(Submit(&task, &in, &out), 0);
  ASSERT_EQ(hbDNNSetTaskDoneCb(task, &OnDone, &log), 0);
  ASSERT_EQ(hbDNNWaitTaskDone(task, 0), 0);
  for (int i = 0; i < 100 && log.calls == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(log.calls, 1);
  EXPECT_EQ(log.status, 0);
  EXPECT_EQ(log.handle, task);
  // Registering after completion calls at once, on this thread, still only once per registration
  // of a finished task.
  CallbackLog late;
  ASSERT_EQ(hbDNNSetTaskDoneCb(task, &OnDone, &late), 0);
  EXPECT_EQ(late.calls, 0);  // the task's one callback already fired
  EXPECT_EQ(log.calls, 1);
}

TEST_F(Infer, CallbackRegisteredAfterCompletionRunsImmediately) {
  hbDNNTensor in = {}, out = {};
  Prepare(&in, &out);
  hbDNNTaskHandle_t task = nullptr;
  ASSERT_EQ(Submit(&task, &in, &out), 0);
  ASSERT_EQ(hbDNNWaitTaskDone(task, 0), 0);
  CallbackLog log;
  ASSERT_EQ(hbDNNSetTaskDoneCb(task, &OnDone, &log), 0);
  EXPECT_EQ(log.calls, 1);
  EXPECT_EQ(log.status, 0);
}

TEST_F(Infer, ConcurrentTasksOnOneModel) {
  constexpr int kThreads = 4;
  std::vector<std::thread> threads;
  std::vector<hbDNNTensor> ins(kThreads), outs(kThreads);
  for (int t = 0; t < kThreads; ++t) Prepare(&ins[t], &outs[t]);
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        hbDNNTaskHandle_t task = nullptr;
        hbDNNInferCtrlParam p;
        HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&p);
        hbDNNTensor* outp = &outs[t];
        if (hbDNNInfer(&task, &outp, &ins[t], model_, &p) != 0 ||
            hbDNNWaitTaskDone(task, 0) != 0 || hbDNNReleaseTask(task) != 0) {
          failures++;
          continue;
        }
        const float* y = static_cast<const float*>(outs[t].sysMem[0].virAddr);
        if (y[59] != std::max(static_cast<float>(59 % 7) - 3.0f, 0.0f) + 29.5f) failures++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, 0);
}

TEST_F(Infer, TaskLimitAndReleaseOfPackedWithTasks) {
  hbDNNTensor in = {}, out = {};
  Prepare(&in, &out);
  std::vector<hbDNNTaskHandle_t> mine;
  for (int i = 0; i < 32; ++i) {
    hbDNNTaskHandle_t task = nullptr;
    ASSERT_EQ(Submit(&task, &in, &out), 0) << i << " " << Detail();
    mine.push_back(task);
  }
  hbDNNTaskHandle_t extra = nullptr;
  EXPECT_EQ(Submit(&extra, &in, &out), HB_DNN_TASK_NUM_EXCEED_LIMIT);
  EXPECT_EQ(extra, nullptr);
  EXPECT_EQ(hbDNNRelease(packed_), HB_DNN_MODEL_IS_RUNNING);
  for (hbDNNTaskHandle_t t : mine) {
    EXPECT_EQ(hbDNNWaitTaskDone(t, 0), 0);
    EXPECT_EQ(hbDNNReleaseTask(t), 0);
    Forget(t);
  }
  ASSERT_EQ(Submit(&extra, &in, &out), 0);  // slots are recycled
  EXPECT_EQ(hbDNNWaitTaskDone(extra, 0), 0);
}

TEST_F(Infer, TimeoutDoesNotCancelAndReleaseCancels) {
  ASSERT_EQ(hbDNNRelease(packed_), 0);
  packed_ = nullptr;
  Load(CpuModelBytes(/*relus=*/200, {1, 16, 128, 128}));
  hbDNNTensor in = {}, out = {};
  ASSERT_EQ(hbDNNGetInputTensorProperties(&in.properties, model_, 0), 0);
  ASSERT_EQ(hbDNNGetOutputTensorProperties(&out.properties, model_, 0), 0);
  ASSERT_EQ(hbSysAllocMem(&in.sysMem[0], in.properties.alignedByteSize), 0);
  ASSERT_EQ(hbSysAllocMem(&out.sysMem[0], out.properties.alignedByteSize), 0);
  mems_.push_back(in.sysMem[0]);
  mems_.push_back(out.sysMem[0]);
  hbDNNTaskHandle_t task = nullptr;
  ASSERT_EQ(Submit(&task, &in, &out), 0);
  // 200 passes over 1 MiB floats take far longer than 1 ms.
  EXPECT_EQ(hbDNNWaitTaskDone(task, 1), HB_DNN_TIMEOUT);
  EXPECT_EQ(hbDNNWaitTaskDone(task, 0), 0) << Detail();

  hbDNNTaskHandle_t doomed = nullptr;
  CallbackLog log;
  ASSERT_EQ(Submit(&doomed, &in, &out), 0);
  ASSERT_EQ(hbDNNSetTaskDoneCb(doomed, &OnDone, &log), 0);
  EXPECT_EQ(hbDNNReleaseTask(doomed), 0);  // returns at once
  Forget(doomed);
  for (int i = 0; i < 5000 && log.calls == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(log.calls, 1);
  EXPECT_EQ(log.status, HB_DNN_RUN_TASK_FAILED);  // cancelled before finishing
}

// The small package's BPU model uses placeholder ops no kernel implements: it loads (its
// properties are all there) and inference names the node that cannot run.
TEST(InferBpuModel, UnrunnableNodesAreReportedAtInfer) {
  std::string bytes = hb_dnn::testing::SmallPackageBytes();
  const void* data[] = {bytes.data()};
  int32_t lengths[] = {static_cast<int32_t>(bytes.size())};
  hbPackedDNNHandle_t packed = nullptr;
  ASSERT_EQ(hbDNNInitializeFromDDR(&packed, data, lengths, 1), 0) << Detail();
  hbDNNHandle_t model = nullptr;
  ASSERT_EQ(hbDNNGetModelHandle(&model, packed, "tiny"), 0);
  hbDNNTensor in = {}, out[2] = {};
  hbDNNTensor* outp = out;
  hbDNNInferCtrlParam p;
  HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&p);
  hbDNNTaskHandle_t task = nullptr;
  EXPECT_EQ(hbDNNInfer(&task, &outp, &in, model, &p), HB_DNN_INVALID_MODEL);
  EXPECT_THAT(Detail(), HasSubstr("node 'quantize' (Quantize): op Quantize is not supported"));
  EXPECT_EQ(hbDNNRelease(packed), 0);
}

}  // namespace
