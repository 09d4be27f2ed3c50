// Models with BPU segments, end to end through the public C API: the simulated BPU's numerics
// against an all-CPU twin, its timing modes (hbDNNSimGetTaskTiming), the cache model of cached
// hbSysMem, injected faults (hbDNNSimSetFaults) and the HB_DNN_SIM_* environment.
//
// The BPU device is created once per process from the environment, so CMake runs this binary
// once per environment (tests/api/CMakeLists.txt). Every suite states the environment it needs
// and skips elsewhere, so the binary also runs as a whole without any setup.

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hb_dnn/hb_dnn.h"
#include "hb_dnn/hb_dnn_sim.h"
#include "hb_dnn/hb_dnn_status.h"
#include "hb_dnn/hb_sys.h"
#include "tests/testing/bpu_test_models.h"
#include "tests/testing/test_models.h"

namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using hb_dnn::testing::BpuNetIo;
using hb_dnn::testing::BpuNetOptions;
using hb_dnn::testing::BpuNetPlacement;
using hb_dnn::testing::kBpuNetFcCount;

using Bytes = std::vector<uint8_t>;
using Outputs = std::vector<Bytes>;

// Per-FC overheads of the march profiles (src/bpu/march_profile.cc).
constexpr int64_t kBernoulli2OverheadNs = 15000;
constexpr int64_t kBayesOverheadNs = 10000;
constexpr int64_t kWatchdogNs = 1000000000;

// Set once this process has loaded a model with BPU segments (the simulated BPU then exists).
std::atomic<bool> g_bpu_model_loaded{false};

std::string Detail() { return hbDNNGetLastErrorDetail(); }

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// The process's timing mode; HB_DNN_SIM_TIMING unset means off.
std::string TimingMode() {
  std::string mode = Lower(Env("HB_DNN_SIM_TIMING"));
  return mode.empty() ? "off" : mode;
}

bool ValidTimingMode() {
  std::string mode = TimingMode();
  return mode == "off" || mode == "realtime" || mode == "virtual";
}

// The simulated bernoulli2 BPU from a valid environment without preset faults.
bool StandardSimEnv() {
  std::string backend = Env("HB_DNN_SIM_BACKEND");
  std::string platform = Lower(Env("HB_DNN_SIM_PLATFORM"));
  return (backend.empty() || backend == "sim") && (platform.empty() || platform == "bernoulli2") &&
         ValidTimingMode() && Env("HB_DNN_SIM_FAULTS").empty();
}

bool CacheCheckOn() { return Env("HB_DNN_SIM_CACHE_CHECK") == "1"; }

int64_t ModelledNs(const std::vector<uint32_t>& fc_us, int64_t overhead_ns) {
  int64_t ns = 0;
  for (uint32_t us : fc_us) ns += static_cast<int64_t>(us) * 1000 + overhead_ns;
  return ns;
}

const std::vector<uint32_t> kDefaultFcUs = {120, 80, 45};
// 290 us: the default network's latency on bernoulli2 in virtual time.
const int64_t kDefaultNs = ModelledNs(kDefaultFcUs, kBernoulli2OverheadNs);

int ElementSize(int32_t tensor_type) {
  switch (tensor_type) {
    case HB_DNN_TENSOR_TYPE_S8: return 1;
    case HB_DNN_TENSOR_TYPE_S32:
    case HB_DNN_TENSOR_TYPE_F32: return 4;
    default: return 0;
  }
}

// Element offsets, in the aligned layout, of the valid region's elements in row-major order.
std::vector<int64_t> ValidOffsets(const hbDNNTensorProperties& p) {
  const int rank = p.validShape.numDimensions;
  std::vector<int64_t> stride(rank, 1);
  for (int d = rank - 2; d >= 0; --d) stride[d] = stride[d + 1] * p.alignedShape.dimensionSize[d + 1];
  std::vector<int64_t> offsets;
  std::vector<int32_t> index(rank, 0);
  while (true) {
    int64_t offset = 0;
    for (int d = 0; d < rank; ++d) offset += index[d] * stride[d];
    offsets.push_back(offset);
    int d = rank - 1;
    while (d >= 0 && ++index[d] == p.validShape.dimensionSize[d]) index[d--] = 0;
    if (d < 0) return offsets;
  }
}

// The valid elements of `t` as the CPU sees them, compact.
Bytes ReadValid(const hbDNNTensor& t) {
  const int size = ElementSize(t.properties.tensorType);
  const auto* base = static_cast<const uint8_t*>(t.sysMem[0].virAddr);
  Bytes out;
  for (int64_t offset : ValidOffsets(t.properties)) {
    out.insert(out.end(), base + offset * size, base + (offset + 1) * size);
  }
  return out;
}

// Writes compact `values` into the valid region of `t` (CPU view).
void WriteValid(hbDNNTensor& t, const Bytes& values) {
  const int size = ElementSize(t.properties.tensorType);
  auto* base = static_cast<uint8_t*>(t.sysMem[0].virAddr);
  std::vector<int64_t> offsets = ValidOffsets(t.properties);
  ASSERT_EQ(values.size(), offsets.size() * size);
  for (size_t i = 0; i < offsets.size(); ++i) {
    std::memcpy(base + offsets[i] * size, values.data() + i * size, size);
  }
}

// The 108 input values of `seed` (the network's x is (1,3,6,6)), in [-3.5, 3.5] so that a few
// quantize beyond the int8 range and saturate.
std::vector<float> InputValues(uint32_t seed) {
  std::vector<float> values(108);
  uint32_t state = seed * 2654435761u + 12345u;
  for (float& v : values) {
    state = state * 1664525u + 1013904223u;
    v = static_cast<float>(static_cast<int32_t>((state >> 9) % 701) - 350) / 100.0f;
  }
  return values;
}

// What QuantizeLinear(scale 0.05, zero point 0) makes of the values.
std::vector<int8_t> Quantize(const std::vector<float>& values) {
  std::vector<int8_t> q;
  for (float v : values) {
    float r = std::nearbyint(v / hb_dnn::testing::kBpuNetInputScale);
    q.push_back(static_cast<int8_t>(std::min(127.0f, std::max(-128.0f, r))));
  }
  return q;
}

template <typename T>
Bytes AsBytes(const std::vector<T>& values) {
  Bytes bytes(values.size() * sizeof(T));
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

template <typename T>
std::vector<T> As(const Bytes& bytes) {
  std::vector<T> values(bytes.size() / sizeof(T));
  std::memcpy(values.data(), bytes.data(), values.size() * sizeof(T));
  return values;
}

// The network's input bytes for `seed` in the model's input type.
Bytes InputBytes(BpuNetIo io, uint32_t seed) {
  std::vector<float> values = InputValues(seed);
  return io == BpuNetIo::kF32 ? AsBytes(values) : AsBytes(Quantize(values));
}

size_t DistinctValues(const Bytes& bytes, int element_size) {
  std::set<Bytes> distinct;
  for (size_t i = 0; i + element_size <= bytes.size(); i += element_size) {
    distinct.insert(Bytes(bytes.begin() + i, bytes.begin() + i + element_size));
  }
  return distinct.size();
}

enum class Memory { kCached, kUncached };

// hbSysMem for every input and output of a model, with the model's tensor properties.
class IoTensors {
 public:
  IoTensors(hbDNNHandle_t model, Memory memory) {
    int32_t input_count = 0, output_count = 0;
    EXPECT_EQ(hbDNNGetInputCount(&input_count, model), 0) << Detail();
    EXPECT_EQ(hbDNNGetOutputCount(&output_count, model), 0) << Detail();
    inputs_.assign(input_count, hbDNNTensor{});
    outputs_.assign(output_count, hbDNNTensor{});
    for (int32_t i = 0; i < input_count; ++i) {
      EXPECT_EQ(hbDNNGetInputTensorProperties(&inputs_[i].properties, model, i), 0) << Detail();
      Allocate(inputs_[i], memory);
    }
    for (int32_t i = 0; i < output_count; ++i) {
      EXPECT_EQ(hbDNNGetOutputTensorProperties(&outputs_[i].properties, model, i), 0) << Detail();
      Allocate(outputs_[i], memory);
    }
  }
  IoTensors(const IoTensors&) = delete;
  IoTensors& operator=(const IoTensors&) = delete;
  ~IoTensors() { Free(); }

  void Free() {
    for (hbDNNTensor& t : inputs_) FreeOne(t);
    for (hbDNNTensor& t : outputs_) FreeOne(t);
  }

  hbDNNTensor* inputs() { return inputs_.data(); }
  hbDNNTensor* outputs() { return outputs_.data(); }
  hbDNNTensor& input(size_t i) { return inputs_[i]; }
  hbDNNTensor& output(size_t i) { return outputs_[i]; }
  size_t output_count() const { return outputs_.size(); }

  // Fills the outputs' CPU view with `byte` (padding included).
  void PoisonOutputs(uint8_t byte) {
    for (hbDNNTensor& t : outputs_) std::memset(t.sysMem[0].virAddr, byte, t.sysMem[0].memSize);
  }

 private:
  static void Allocate(hbDNNTensor& t, Memory memory) {
    int32_t size = t.properties.alignedByteSize;
    int32_t rc = memory == Memory::kCached ? hbSysAllocCachedMem(&t.sysMem[0], size)
                                           : hbSysAllocMem(&t.sysMem[0], size);
    EXPECT_EQ(rc, 0) << Detail();
  }
  static void FreeOne(hbDNNTensor& t) {
    if (t.sysMem[0].virAddr == nullptr) return;
    EXPECT_EQ(hbSysFreeMem(&t.sysMem[0]), 0) << Detail();
    t.sysMem[0] = hbSysMem{};
  }

  std::vector<hbDNNTensor> inputs_;
  std::vector<hbDNNTensor> outputs_;
};

struct CallbackLog {
  std::atomic<int> calls{0};
  std::atomic<int32_t> status{1};
  std::atomic<void*> handle{nullptr};
};

void RecordDone(hbDNNTaskHandle_t task, int32_t status, void* userdata) {
  auto* log = static_cast<CallbackLog*>(userdata);
  log->handle = task;
  log->status = status;
  log->calls++;
}

// Waits (up to 10 s) until the callback has fired, then a little longer so that a second call
// would be seen.
void AwaitCallback(const CallbackLog& log) {
  for (int i = 0; i < 10000 && log.calls.load() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

hbDNNInferCtrlParam CtrlParam(int32_t core, int32_t priority = HB_DNN_PRIORITY_LOWEST) {
  hbDNNInferCtrlParam param;
  HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&param);
  param.bpuCoreId = core;
  param.priority = priority;
  return param;
}

// Packed handles, tensors and tasks of one test, released in TearDown. Suites override EnvSuits
// to say which environment they need.
class BpuTest : public ::testing::Test {
 protected:
  virtual bool EnvSuits() const { return StandardSimEnv(); }

  void SetUp() override {
    if (!EnvSuits()) GTEST_SKIP() << "not this process's environment (see tests/api/CMakeLists.txt)";
  }

  void TearDown() override {
    for (hbDNNTaskHandle_t task : tasks_) hbDNNReleaseTask(task);
    tasks_.clear();
    io_.clear();
    if (faults_installed_) {
      EXPECT_EQ(hbDNNSimSetFaults(""), 0) << Detail();
    }
    for (hbPackedDNNHandle_t packed : packed_) EXPECT_EQ(hbDNNRelease(packed), 0) << Detail();
  }

  // Loads a package of the given networks; returns the handle of the first.
  hbDNNHandle_t Load(const std::vector<BpuNetOptions>& models) {
    std::string bytes = hb_dnn::testing::BpuNetPackageBytes(models);
    if (bytes.empty()) return nullptr;
    const void* data[] = {bytes.data()};
    int32_t lengths[] = {static_cast<int32_t>(bytes.size())};
    hbPackedDNNHandle_t packed = nullptr;
    int32_t rc = hbDNNInitializeFromDDR(&packed, data, lengths, 1);
    EXPECT_EQ(rc, 0) << Detail();
    if (rc != 0) return nullptr;
    packed_.push_back(packed);
    for (const BpuNetOptions& m : models) {
      if (m.placement == BpuNetPlacement::kBpu) g_bpu_model_loaded = true;
    }
    hbDNNHandle_t model = nullptr;
    EXPECT_EQ(hbDNNGetModelHandle(&model, packed, models[0].name.c_str()), 0) << Detail();
    return model;
  }

  hbDNNHandle_t Load(const BpuNetOptions& options) {
    return Load(std::vector<BpuNetOptions>{options});
  }

  hbDNNHandle_t LoadNet(BpuNetIo io, BpuNetPlacement placement = BpuNetPlacement::kBpu,
                        std::vector<uint32_t> fc_us = kDefaultFcUs) {
    BpuNetOptions options;
    options.name = std::string(placement == BpuNetPlacement::kBpu ? "bpu" : "cpu") +
                   (io == BpuNetIo::kF32 ? "_f32" : "_s8");
    options.io = io;
    options.placement = placement;
    options.fc_us = std::move(fc_us);
    return Load(options);
  }

  IoTensors& NewIo(hbDNNHandle_t model, Memory memory = Memory::kCached) {
    io_.push_back(std::make_unique<IoTensors>(model, memory));
    return *io_.back();
  }

  void InstallFaults(const char* spec) {
    ASSERT_EQ(hbDNNSimSetFaults(spec), 0) << spec << ": " << Detail();
    faults_installed_ = true;
  }

  // Writes the input (CPU view); CLEAN publishes it to the device.
  static void FillInput(IoTensors& io, const Bytes& values, bool clean = true) {
    WriteValid(io.input(0), values);
    if (clean) {
      ASSERT_EQ(hbSysFlushMem(&io.input(0).sysMem[0], HB_SYS_MEM_CACHE_CLEAN), 0);
    }
  }

  // Submits; nullptr (and a failure) if hbDNNInfer refuses.
  hbDNNTaskHandle_t Submit(hbDNNHandle_t model, IoTensors& io, int32_t core = HB_BPU_CORE_ANY,
                           int32_t priority = HB_DNN_PRIORITY_LOWEST) {
    hbDNNInferCtrlParam param = CtrlParam(core, priority);
    hbDNNTaskHandle_t task = nullptr;
    hbDNNTensor* outputs = io.outputs();
    int32_t rc = hbDNNInfer(&task, &outputs, io.inputs(), model, &param);
    EXPECT_EQ(rc, 0) << Detail();
    if (rc != 0) return nullptr;
    tasks_.push_back(task);
    return task;
  }

  void ReleaseTask(hbDNNTaskHandle_t task) {
    EXPECT_EQ(hbDNNReleaseTask(task), 0) << Detail();
    tasks_.erase(std::remove(tasks_.begin(), tasks_.end(), task), tasks_.end());
  }

  static hbDNNSimTaskTiming TimingOf(hbDNNTaskHandle_t task) {
    hbDNNSimTaskTiming timing;
    std::memset(&timing, 0xA5, sizeof(timing));
    EXPECT_EQ(hbDNNSimGetTaskTiming(task, &timing), 0) << Detail();
    EXPECT_EQ(timing.latencyNs, timing.endNs - timing.submitNs);
    return timing;
  }

  // Runs one task to completion: its status, and its timing when `timing` is given.
  int32_t Run(hbDNNHandle_t model, IoTensors& io, int32_t core = HB_BPU_CORE_ANY,
              hbDNNSimTaskTiming* timing = nullptr) {
    hbDNNTaskHandle_t task = Submit(model, io, core);
    if (task == nullptr) return HB_DNN_INVALID_ARGUMENT;
    int32_t rc = hbDNNWaitTaskDone(task, 0);
    if (timing != nullptr) *timing = TimingOf(task);
    ReleaseTask(task);
    return rc;
  }

  // The outputs' valid bytes as the CPU sees them, after INVALIDATE when `invalidate`.
  static Outputs Pull(IoTensors& io, bool invalidate = true) {
    Outputs outputs;
    for (size_t i = 0; i < io.output_count(); ++i) {
      if (invalidate) {
        EXPECT_EQ(hbSysFlushMem(&io.output(i).sysMem[0], HB_SYS_MEM_CACHE_INVALIDATE), 0);
      }
      outputs.push_back(ReadValid(io.output(i)));
    }
    return outputs;
  }

  // What the all-CPU twin of the network computes from `input`.
  Outputs Expected(BpuNetIo io_kind, const Bytes& input) {
    hbDNNHandle_t& twin = io_kind == BpuNetIo::kF32 ? twin_f32_ : twin_s8_;
    if (twin == nullptr) twin = LoadNet(io_kind, BpuNetPlacement::kCpu);
    if (twin == nullptr) return {};
    IoTensors io(twin, Memory::kUncached);
    FillInput(io, input);
    EXPECT_EQ(Run(twin, io), 0) << Detail();
    return Pull(io);
  }

  std::vector<hbPackedDNNHandle_t> packed_;
  std::vector<hbDNNTaskHandle_t> tasks_;
  std::vector<std::unique_ptr<IoTensors>> io_;
  hbDNNHandle_t twin_f32_ = nullptr;
  hbDNNHandle_t twin_s8_ = nullptr;
  bool faults_installed_ = false;
};

// ---- Only in a process that has not loaded a BPU model yet. -----------------------------------

class BpuFreshProcess : public BpuTest {
 protected:
  bool EnvSuits() const override { return StandardSimEnv() && !g_bpu_model_loaded; }
};

TEST_F(BpuFreshProcess, SetFaultsNeedsALoadedBpuModel) {
  EXPECT_EQ(hbDNNSimSetFaults(nullptr), HB_DNN_INVALID_ARGUMENT);
  EXPECT_THAT(Detail(), HasSubstr("spec"));
  EXPECT_EQ(hbDNNSimSetFaults("error:fc=1"), HB_DNN_API_USE_ERROR);
  EXPECT_THAT(Detail(), HasSubstr("load one before installing faults"));
  // A CPU-only model does not start the BPU.
  ASSERT_NE(LoadNet(BpuNetIo::kF32, BpuNetPlacement::kCpu), nullptr);
  EXPECT_EQ(hbDNNSimSetFaults(""), HB_DNN_API_USE_ERROR);
  ASSERT_NE(LoadNet(BpuNetIo::kF32), nullptr);
  InstallFaults("");
}

// ---- Any timing mode: results. ----------------------------------------------------------------

class BpuInfer : public BpuTest {};

TEST_F(BpuInfer, F32NetworkMatchesItsCpuTwin) {
  hbDNNHandle_t bpu = LoadNet(BpuNetIo::kF32);
  ASSERT_NE(bpu, nullptr);
  IoTensors& io = NewIo(bpu);
  for (uint32_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE(seed);
    Bytes input = InputBytes(BpuNetIo::kF32, seed);
    FillInput(io, input);
    ASSERT_EQ(Run(bpu, io), 0) << Detail();
    Outputs got = Pull(io);
    Outputs want = Expected(BpuNetIo::kF32, input);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got, want);
    // Not a vacuous comparison: the outputs vary.
    EXPECT_GT(DistinctValues(got[0], 4), 20u);
    EXPECT_GT(DistinctValues(got[1], 4), 2u);
  }
}

TEST_F(BpuInfer, S8NetworkMatchesItsCpuTwinAndZeroesPadding) {
  hbDNNHandle_t bpu = LoadNet(BpuNetIo::kS8);
  ASSERT_NE(bpu, nullptr);
  IoTensors& io = NewIo(bpu);
  // The BPU-side tensors carry bernoulli2 row padding.
  EXPECT_EQ(io.input(0).properties.alignedShape.dimensionSize[3], 16);
  EXPECT_EQ(io.output(0).properties.alignedShape.dimensionSize[3], 8);
  EXPECT_EQ(io.output(1).properties.alignedShape.dimensionSize[3], 16);
  for (uint32_t seed : {4u, 5u}) {
    SCOPED_TRACE(seed);
    Bytes input = InputBytes(BpuNetIo::kS8, seed);
    std::memset(io.input(0).sysMem[0].virAddr, 0x7F, io.input(0).sysMem[0].memSize);
    FillInput(io, input);
    io.PoisonOutputs(0x5A);
    ASSERT_EQ(Run(bpu, io), 0) << Detail();
    Outputs got = Pull(io);
    EXPECT_EQ(got, Expected(BpuNetIo::kS8, input));
    EXPECT_GT(DistinctValues(got[0], 4), 20u);
    // The BPU writes whole aligned rows: padding comes back as zeros.
    for (size_t o = 0; o < io.output_count(); ++o) {
      const hbDNNTensor& t = io.output(o);
      const auto* base = static_cast<const uint8_t*>(t.sysMem[0].virAddr);
      std::vector<bool> valid(t.properties.alignedByteSize, false);
      const int size = ElementSize(t.properties.tensorType);
      for (int64_t offset : ValidOffsets(t.properties)) {
        for (int b = 0; b < size; ++b) valid[offset * size + b] = true;
      }
      for (int32_t b = 0; b < t.properties.alignedByteSize; ++b) {
        if (!valid[b]) {
          ASSERT_EQ(base[b], 0) << "output " << o << " padding byte " << b;
        }
      }
    }
  }
}

// The F32 network is the S8 one between a quantize and a dequantize: feeding the S8 network the
// quantized input must give the F32 network's outputs before dequantization.
TEST_F(BpuInfer, F32AndS8NetworksAgree) {
  hbDNNHandle_t f32 = LoadNet(BpuNetIo::kF32);
  hbDNNHandle_t s8 = LoadNet(BpuNetIo::kS8);
  ASSERT_NE(f32, nullptr);
  ASSERT_NE(s8, nullptr);
  IoTensors& f32_io = NewIo(f32);
  IoTensors& s8_io = NewIo(s8);
  FillInput(f32_io, InputBytes(BpuNetIo::kF32, 7));
  FillInput(s8_io, InputBytes(BpuNetIo::kS8, 7));
  ASSERT_EQ(Run(f32, f32_io, HB_BPU_CORE_0), 0) << Detail();
  ASSERT_EQ(Run(s8, s8_io, HB_BPU_CORE_1), 0) << Detail();
  Outputs f = Pull(f32_io);
  Outputs q = Pull(s8_io);
  std::vector<float> y = As<float>(f[0]), gf = As<float>(f[1]);
  std::vector<int32_t> y32 = As<int32_t>(q[0]);
  std::vector<int8_t> g = As<int8_t>(q[1]);
  std::vector<float> scales = hb_dnn::testing::BpuNetHeadScales();
  ASSERT_EQ(y.size(), y32.size());
  for (size_t i = 0; i < y.size(); ++i) {
    ASSERT_EQ(y[i], static_cast<float>(y32[i]) * scales[(i / 36) % 4]) << i;
  }
  ASSERT_EQ(gf.size(), g.size());
  for (size_t i = 0; i < g.size(); ++i) {
    ASSERT_EQ(gf[i], static_cast<float>(g[i]) * hb_dnn::testing::kBpuNetGapScale) << i;
  }
}

TEST_F(BpuInfer, EightTasksInFlightOnPinnedAndAnyCores) {
  hbDNNHandle_t bpu = LoadNet(BpuNetIo::kF32);
  ASSERT_NE(bpu, nullptr);
  const int32_t cores[] = {HB_BPU_CORE_ANY, HB_BPU_CORE_0, HB_BPU_CORE_1, HB_BPU_CORE_ANY,
                           HB_BPU_CORE_0,   HB_BPU_CORE_1, HB_BPU_CORE_0, HB_BPU_CORE_ANY};
  constexpr int kTasks = 8;
  std::vector<IoTensors*> io;
  std::vector<hbDNNTaskHandle_t> tasks;
  for (int i = 0; i < kTasks; ++i) {
    io.push_back(&NewIo(bpu));
    FillInput(*io[i], InputBytes(BpuNetIo::kF32, 100 + i));
  }
  for (int i = 0; i < kTasks; ++i) {
    // One task preempts (the cores' high queues).
    int32_t priority = i == 5 ? HB_DNN_PRIORITY_PREEMP : HB_DNN_PRIORITY_LOWEST;
    tasks.push_back(Submit(bpu, *io[i], cores[i], priority));
    ASSERT_NE(tasks.back(), nullptr);
  }
  for (int i = 0; i < kTasks; ++i) {
    SCOPED_TRACE(i);
    ASSERT_EQ(hbDNNWaitTaskDone(tasks[i], 0), 0) << Detail();
    hbDNNSimTaskTiming timing = TimingOf(tasks[i]);
    EXPECT_EQ(timing.fcCount, kBpuNetFcCount);
    if (cores[i] == HB_BPU_CORE_ANY) {
      EXPECT_TRUE(timing.bpuCoreId == 0 || timing.bpuCoreId == 1);
    } else {
      EXPECT_EQ(timing.bpuCoreId, cores[i] == HB_BPU_CORE_0 ? 0 : 1);
    }
    EXPECT_EQ(Pull(*io[i]), Expected(BpuNetIo::kF32, InputBytes(BpuNetIo::kF32, 100 + i)));
  }
}

TEST_F(BpuInfer, ThreadsSubmittingConcurrently) {
  hbDNNHandle_t f32 = LoadNet(BpuNetIo::kF32);
  hbDNNHandle_t s8 = LoadNet(BpuNetIo::kS8);
  ASSERT_NE(f32, nullptr);
  ASSERT_NE(s8, nullptr);
  constexpr int kThreads = 4;
  constexpr int kRounds = 15;
  std::vector<IoTensors*> io;
  std::vector<Outputs> want;
  for (int t = 0; t < kThreads; ++t) {
    BpuNetIo kind = t % 2 == 0 ? BpuNetIo::kF32 : BpuNetIo::kS8;
    io.push_back(&NewIo(kind == BpuNetIo::kF32 ? f32 : s8));
    FillInput(*io[t], InputBytes(kind, 200 + t));
    want.push_back(Expected(kind, InputBytes(kind, 200 + t)));
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const int32_t cores[] = {HB_BPU_CORE_ANY, HB_BPU_CORE_0, HB_BPU_CORE_1};
      for (int r = 0; r < kRounds; ++r) {
        hbDNNInferCtrlParam param = CtrlParam(cores[(t + r) % 3]);
        hbDNNTaskHandle_t task = nullptr;
        hbDNNTensor* outputs = io[t]->outputs();
        if (hbDNNInfer(&task, &outputs, io[t]->inputs(), t % 2 == 0 ? f32 : s8, &param) != 0) {
          failures++;
          continue;
        }
        hbDNNSimTaskTiming timing;
        if (hbDNNWaitTaskDone(task, 0) != 0 || hbDNNSimGetTaskTiming(task, &timing) != 0 ||
            timing.fcCount != kBpuNetFcCount || hbDNNReleaseTask(task) != 0) {
          failures++;
          continue;
        }
        for (size_t o = 0; o < io[t]->output_count(); ++o) {
          hbSysFlushMem(&io[t]->output(o).sysMem[0], HB_SYS_MEM_CACHE_INVALIDATE);
          if (ReadValid(io[t]->output(o)) != want[t][o]) failures++;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

// hbDNNInfer also takes BPU-side tensors without the march's row padding (alignedShape equal to
// validShape).
TEST_F(BpuInfer, UnpaddedBpuTensorsAreAccepted) {
  hbDNNHandle_t bpu = LoadNet(BpuNetIo::kS8);
  ASSERT_NE(bpu, nullptr);
  IoTensors& padded = NewIo(bpu);
  IoTensors& compact = NewIo(bpu);
  for (hbDNNTensor* t : {&compact.input(0), &compact.output(0), &compact.output(1)}) {
    t->properties.alignedShape = t->properties.validShape;
  }
  Bytes input = InputBytes(BpuNetIo::kS8, 8);
  FillInput(padded, input);
  FillInput(compact, input);
  ASSERT_EQ(Run(bpu, padded), 0) << Detail();
  ASSERT_EQ(Run(bpu, compact), 0) << Detail();
  EXPECT_EQ(Pull(compact), Pull(padded));
  EXPECT_EQ(Pull(compact), Expected(BpuNetIo::kS8, input));
}

// Fault plans replaced while tasks run: every task either succeeds with the right results or
// fails with the device error, and once the plan is empty every task succeeds again.
TEST_F(BpuInfer, FaultPlanReplacedWhileTasksRun) {
  hbDNNHandle_t bpu = LoadNet(BpuNetIo::kF32);
  ASSERT_NE(bpu, nullptr);
  constexpr int kThreads = 3;
  std::vector<IoTensors*> io;
  std::vector<Outputs> want;
  for (int t = 0; t < kThreads; ++t) {
    io.push_back(&NewIo(bpu));
    FillInput(*io[t], InputBytes(BpuNetIo::kF32, 300 + t));
    want.push_back(Expected(BpuNetIo::kF32, InputBytes(BpuNetIo::kF32, 300 + t)));
  }
  faults_installed_ = true;
  std::atomic<bool> stop{false};
  std::atomic<int> unexpected{0}, failed{0}, succeeded{0};
  std::thread toggler([&] {
    const char* specs[] = {"error:fc=2", "", "error:core=0", "timeout:fc=1:after_us=50", ""};
    for (int i = 0; !stop; ++i) {
      if (hbDNNSimSetFaults(specs[i % 5]) != 0) unexpected++;
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int r = 0; r < 20; ++r) {
        hbDNNInferCtrlParam param = CtrlParam(r % 3);
        hbDNNTaskHandle_t task = nullptr;
        hbDNNTensor* outputs = io[t]->outputs();
        if (hbDNNInfer(&task, &outputs, io[t]->inputs(), bpu, &param) != 0) {
          unexpected++;
          continue;
        }
        int32_t rc = hbDNNWaitTaskDone(task, 0);
        hbDNNReleaseTask(task);
        if (rc == HB_DNN_RUN_TASK_FAILED || rc == HB_DNN_TIMEOUT) {
          failed++;
          continue;
        }
        if (rc != 0) {
          unexpected++;
          continue;
        }
        succeeded++;
        for (size_t o = 0; o < io[t]->output_count(); ++o) {
          hbSysFlushMem(&io[t]->output(o).sysMem[0], HB_SYS_MEM_CACHE_INVALIDATE);
          if (ReadValid(io[t]->output(o)) != want[t][o]) unexpected++;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  stop = true;
  toggler.join();
  EXPECT_EQ(unexpected.load(), 0);
  EXPECT_EQ(failed.load() + succeeded.load(), kThreads * 20);
  RecordProperty("failed_tasks", failed.load());
  InstallFaults("");
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(Run(bpu, *io[t]), 0) << Detail();
    EXPECT_EQ(Pull(*io[t]), want[t]);
  }
}

TEST_F(BpuInfer, CachedMemoryNeedsNoFlushWithoutCacheCheck) {
  if (CacheCheckOn()) GTEST_SKIP() << "HB_DNN_SIM_CACHE_CHECK=1: BpuCacheCheck covers this";
  hbDNNHandle_t bpu = LoadNet(BpuNetIo::kS8);
  ASSERT_NE(bpu, nullptr);
  IoTensors& io = NewIo(bpu, Memory::kCached);
  Bytes input = InputBytes(BpuNetIo::kS8, 9);
  for (int round = 0; round < 2; ++round) {
    FillInput(io, input, /*clean=*/false);
    testing::internal::CaptureStderr();
    int32_t rc = Run(bpu, io);
    std::string log = testing::internal::GetCapturedStderr();
    ASSERT_EQ(rc, 0) << Detail();
    EXPECT_EQ(Pull(io, /*invalidate=*/false), Expected(BpuNetIo::kS8, input));
    EXPECT_THAT(log, Not(HasSubstr("hbSysFlushMem")));
  }
}

// ---- Any timing mode: timing reports, faults. -------------------------------------------------

TEST_F(BpuInfer, TimingReportsFunctionCallsAndCore) {
  hbDNNHandle_t bpu = LoadNet(BpuNetIo::kF32);
  hbDNNHandle_t cpu = LoadNet(BpuNetIo::kF32, BpuNetPlacement::kCpu);
  ASSERT_NE(bpu, nullptr);
  ASSERT_NE(cpu, nullptr);
  IoTensors& io = NewIo(bpu);
  FillInput(io, InputBytes(BpuNetIo::kF32, 1));
  for (int32_t core : {HB_BPU_CORE_0, HB_BPU_CORE_1}) {
    hbDNNSimTaskTiming timing;
    ASSERT_EQ(Run(bpu, io, core, &timing), 0) << Detail();
    EXPECT_EQ(timing.fcCount, kBpuNetFcCount);
    EXPECT_EQ(timing.bpuCoreId, core == HB_BPU_CORE_0 ? 0 : 1);
    EXPECT_GE(timing.bpuNs, 0);
    EXPECT_GE(timing.latencyNs, 0);
    EXPECT_GE(timing.endNs, timing.submitNs);
  }
  // A CPU-only model never reaches the BPU.
  IoTensors& cpu_io = NewIo(cpu);
  FillInput(cpu_io, InputBytes(BpuNetIo::kF32, 1));
  hbDNNSimTaskTiming timing;
  ASSERT_EQ(Run(cpu, cpu_io, HB_BPU_CORE_1, &timing), 0) << Detail();
  EXPECT_EQ(timing.fcCount, 0);
  EXPECT_EQ(timing.bpuCoreId, -1);
  EXPECT_EQ(timing.bpuNs, 0);
}

TEST_F(BpuInfer, GetTaskTimingRejectsBadArguments) {
  hbDNNHandle_t bpu = LoadNet(BpuNetIo::kF32);
  ASSERT_NE(bpu, nullptr);
  IoTensors& io = NewIo(bpu);
  FillInput(io, InputBytes(BpuNetIo::kF32, 1));
  hbDNNTaskHandle_t task = Submit(bpu, io);
  ASSERT_NE(task, nullptr);
  ASSERT_EQ(hbDNNWaitTaskDone(task, 0), 0) << Detail();
  hbDNNSimTaskTiming timing;
  EXPECT_EQ(hbDNNSimGetTaskTiming(task, nullptr), HB_DNN_INVALID_ARGUMENT);
  EXPECT_THAT(Detail(), HasSubstr("timing"));
  EXPECT_EQ(hbDNNSimGetTaskTiming(nullptr, &timing), HB_DNN_INVALID_TASK_HANDLE);
  int foreign = 0;
  EXPECT_EQ(hbDNNSimGetTaskTiming(&foreign, &timing), HB_DNN_INVALID_TASK_HANDLE);
  EXPECT_EQ(hbDNNSimGetTaskTiming(task, &timing), 0) << Detail();
  ReleaseTask(task);
  EXPECT_EQ(hbDNNSimGetTaskTiming(task, &timing), HB_DNN_INVALID_TASK_HANDLE);
  EXPECT_THAT(Detail(), HasSubstr("released"));
}

TEST_F(BpuInfer, DeviceErrorFailsTheTaskAndTheNextOneRuns) {
  hbDNNHandle_t bpu = LoadNet(BpuNetIo::kF32);
  ASSERT_NE(bpu, nullptr);
  IoTensors& io = NewIo(bpu);
  Bytes input = InputBytes(BpuNetIo::kF32, 11);
  FillInput(io, input);
  InstallFaults("error:fc=2");
  CallbackLog log;
  hbDNNTaskHandle_t task = Submit(bpu, io, HB_BPU_CORE_0);
  ASSERT_NE(task, nullptr);
  ASSERT_EQ(hbDNNSetTaskDoneCb(task, &RecordDone, &log), 0) << Detail();
  EXPECT_EQ(hbDNNWaitTaskDone(task, 0), HB_DNN_RUN_TASK_FAILED);
  std::string detail = Detail();
  EXPECT_THAT(detail, HasSubstr("segment 'bpu_main' function-call 1"));
  EXPECT_THAT(detail, HasSubstr("device error"));
  AwaitCallback(log);
  EXPECT_EQ(log.calls.load(), 1);
  EXPECT_EQ(log.status.load(), HB_DNN_RUN_TASK_FAILED);
  EXPECT_EQ(log.handle.load(), task);
  hbDNNSimTaskTiming timing = TimingOf(task);
  EXPECT_EQ(timing.fcCount, 2);  // the failing FC is the last one executed
  EXPECT_EQ(timing.bpuCoreId, 0);
  ReleaseTask(task);
  // The fault hit the plan's second FC only.
  ASSERT_EQ(Run(bpu, io, HB_BPU_CORE_0), 0) << Detail();
  EXPECT_EQ(Pull(io), Expected(BpuNetIo::kF32, input));
}

TEST_F(BpuInfer, WatchdogTimeoutFailsTheTaskAndTheNextOneRuns) {
  hbDNNHandle_t bpu = LoadNet(BpuNetIo::kS8);
  ASSERT_NE(bpu, nullptr);
  IoTensors& io = NewIo(bpu);
  Bytes input = InputBytes(BpuNetIo::kS8, 12);
  FillInput(io, input);
  InstallFaults("timeout:fc=1:after_us=2000");
  CallbackLog log;
  hbDNNTaskHandle_t task = Submit(bpu, io, HB_BPU_CORE_1);
  ASSERT_NE(task, nullptr);
  ASSERT_EQ(hbDNNSetTaskDoneCb(task, &RecordDone, &log), 0) << Detail();
  EXPECT_EQ(hbDNNWaitTaskDone(task, 0), HB_DNN_TIMEOUT);
  EXPECT_THAT(Detail(), HasSubstr("watchdog"));
  EXPECT_THAT(Detail(), HasSubstr("segment 'bpu_main' function-call 0"));
  AwaitCallback(log);
  EXPECT_EQ(log.calls.load(), 1);
  EXPECT_EQ(log.status.load(), HB_DNN_TIMEOUT);
  EXPECT_EQ(TimingOf(task).fcCount, 1);
  ReleaseTask(task);
  ASSERT_EQ(Run(bpu, io, HB_BPU_CORE_1), 0) << Detail();
  EXPECT_EQ(Pull(io), Expected(BpuNetIo::kS8, input));
}

TEST_F(BpuInfer, MalformedFaultSpecsAreRejected) {
  ASSERT_NE(LoadNet(BpuNetIo::kF32), nullptr);
  struct Case {
    const char* spec;
    const char* detail;
  };
  const Case cases[] = {
      {"explode", "unknown kind 'explode'"},
      {"error:fc=0", "field 'fc=0'"},
      {"error:fc=two", "field 'fc=two'"},
      {"error:core=-1", "field 'core=-1'"},
      {"slow:factor=2", "slow needs core=K"},
      {"slow:core=0:factor=0.5", "field 'factor=0.5'"},
      {"timeout:after_us=0", "field 'after_us=0'"},
      {"error:after_us=5", "field 'after_us=5'"},
      {"error:fc=1;bogus", "unknown kind 'bogus'"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(hbDNNSimSetFaults(c.spec), HB_DNN_INVALID_ARGUMENT) << c.spec;
    EXPECT_THAT(Detail(), HasSubstr(c.detail)) << c.spec;
  }
  EXPECT_EQ(hbDNNSimSetFaults(nullptr), HB_DNN_INVALID_ARGUMENT);
  EXPECT_THAT(Detail(), HasSubstr("spec is null"));
}

TEST_F(BpuInfer, RejectedSpecKeepsThePreviousPlan) {
  hbDNNHandle_t bpu = LoadNet(BpuNetIo::kF32);
  ASSERT_NE(bpu, nullptr);
  IoTensors& io = NewIo(bpu);
  FillInput(io, InputBytes(BpuNetIo::kF32, 1));
  InstallFaults("error:fc=1");
  EXPECT_EQ(hbDNNSimSetFaults("error:fc=x"), HB_DNN_INVALID_ARGUMENT);
  EXPECT_EQ(Run(bpu, io), HB_DNN_RUN_TASK_FAILED);
  InstallFaults("");
  EXPECT_EQ(Run(bpu, io), 0) << Detail();
}

// ---- HB_DNN_SIM_TIMING=off. --------------------------------------------------------------------

class BpuOff : public BpuTest {
 protected:
  bool EnvSuits() const override { return StandardSimEnv() && TimingMode() == "off"; }
};

TEST_F(BpuOff, FunctionCallsTakeNoModelledTime) {
  // Function-calls modelled at 2 s each complete anyway; only the counters are checked (no
  // wall-clock bound).
  hbDNNHandle_t bpu = LoadNet(BpuNetIo::kF32, BpuNetPlacement::kBpu, {2000000, 2000000, 2000000});
  ASSERT_NE(bpu, nullptr);
  IoTensors& io = NewIo(bpu);
  Bytes input = InputBytes(BpuNetIo::kF32, 13);
  FillInput(io, input);
  hbDNNSimTaskTiming timing;
  ASSERT_EQ(Run(bpu, io, HB_BPU_CORE_1, &timing), 0) << Detail();
  EXPECT_EQ(Pull(io), Expected(BpuNetIo::kF32, input));
  EXPECT_EQ(timing.fcCount, kBpuNetFcCount);
  EXPECT_EQ(timing.bpuCoreId, 1);
  EXPECT_GE(timing.bpuNs, 0);
  EXPECT_GE(timing.latencyNs, timing.bpuNs);
  RecordProperty("latency_ns", std::to_string(timing.latencyNs));
}

// ---- HB_DNN_SIM_TIMING=realtime. --------------------------------------------------------------

class BpuRealtime : public BpuTest {
 protected:
  bool EnvSuits() const override { return StandardSimEnv() && TimingMode() == "realtime"; }
};

TEST_F(BpuRealtime, LatencyCoversTheModelledTime) {
  hbDNNHandle_t bpu = LoadNet(BpuNetIo::kF32, BpuNetPlacement::kBpu, {1200, 800, 450});
  ASSERT_NE(bpu, nullptr);
  IoTensors& io = NewIo(bpu);
  FillInput(io, InputBytes(BpuNetIo::kF32, 1));
  const int64_t modelled = ModelledNs({1200, 800, 450}, kBernoulli2OverheadNs);
  for (int32_t core : {HB_BPU_CORE_0, HB_BPU_CORE_1}) {
    auto start = std::chrono::steady_clock::now();
    hbDNNSimTaskTiming timing;
    ASSERT_EQ(Run(bpu, io, core, &timing), 0) << Detail();
    int64_t wall = std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::steady_clock::now() - start).count();
    EXPECT_GE(timing.bpuNs, modelled);
    EXPECT_GE(timing.latencyNs, timing.bpuNs);
    EXPECT_GE(wall, modelled);
    EXPECT_EQ(timing.fcCount, kBpuNetFcCount);
    EXPECT_EQ(timing.bpuCoreId, core == HB_BPU_CORE_0 ? 0 : 1);
  }
}

TEST_F(BpuRealtime, TimingOfARunningTaskIsRefused) {
  // Function-call 1 occupies its core for 300 ms.
  hbDNNHandle_t bpu = LoadNet(BpuNetIo::kF32, BpuNetPlacement::kBpu, {120, 300000, 45});
  ASSERT_NE(bpu, nullptr);
  IoTensors& io = NewIo(bpu);
  FillInput(io, InputBytes(BpuNetIo::kF32, 1));
  hbDNNTaskHandle_t task = Submit(bpu, io);
  ASSERT_NE(task, nullptr);
  hbDNNSimTaskTiming timing;
  EXPECT_EQ(hbDNNSimGetTaskTiming(task, &timing), HB_DNN_API_USE_ERROR);
  EXPECT_THAT(Detail(), HasSubstr("has not completed yet"));
  EXPECT_EQ(hbDNNWaitTaskDone(task, 1), HB_DNN_TIMEOUT);
  ASSERT_EQ(hbDNNWaitTaskDone(task, 0), 0) << Detail();
  timing = TimingOf(task);
  EXPECT_GE(timing.latencyNs, 300000000);
}

TEST_F(BpuRealtime, TimingOfAHangingTaskIsRefusedUntilTheWatchdog) {
  hbDNNHandle_t bpu = LoadNet(BpuNetIo::kS8);
  ASSERT_NE(bpu, nullptr);
  IoTensors& io = NewIo(bpu);
  FillInput(io, InputBytes(BpuNetIo::kS8, 1));
  InstallFaults("timeout:fc=1:after_us=300000");
  hbDNNTaskHandle_t task = Submit(bpu, io);
  ASSERT_NE(task, nullptr);
  hbDNNSimTaskTiming timing;
  EXPECT_EQ(hbDNNSimGetTaskTiming(task, &timing), HB_DNN_API_USE_ERROR);
  EXPECT_EQ(hbDNNWaitTaskDone(task, 0), HB_DNN_TIMEOUT);
  EXPECT_THAT(Detail(), HasSubstr("300000 us watchdog"));
  timing = TimingOf(task);
  EXPECT_EQ(timing.fcCount, 1);
  EXPECT_GE(timing.bpuNs, 300000000);
}

TEST_F(BpuRealtime, ReleaseWhileAFunctionCallIsInFlight) {
  BpuNetOptions slow_options;
  slow_options.name = "bpu_slow";
  slow_options.fc_us = {120, 500000, 45};  // function-call 1 takes 500 ms
  hbDNNHandle_t slow = Load(slow_options);
  ASSERT_NE(slow, nullptr);
  hbPackedDNNHandle_t slow_packed = packed_.back();
  hbDNNHandle_t bpu = LoadNet(BpuNetIo::kF32);
  ASSERT_NE(bpu, nullptr);
  auto doomed_io = std::make_unique<IoTensors>(slow, Memory::kCached);
  FillInput(*doomed_io, InputBytes(BpuNetIo::kF32, 1));
  CallbackLog log;
  hbDNNTaskHandle_t task = Submit(slow, *doomed_io, HB_BPU_CORE_0);
  ASSERT_NE(task, nullptr);
  ASSERT_EQ(hbDNNSetTaskDoneCb(task, &RecordDone, &log), 0) << Detail();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // into function-call 1
  ASSERT_EQ(log.calls.load(), 0);
  auto start = std::chrono::steady_clock::now();
  ReleaseTask(task);
  auto release_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start).count();
  // The FC still has about 450 ms to go; the release does not wait for it.
  EXPECT_LT(release_ms, 300);
  // Once released, the caller may free its tensors, and the model's package: the FC in flight
  // keeps using the weights, which the task keeps alive.
  doomed_io.reset();
  EXPECT_EQ(hbDNNWaitTaskDone(task, 0), HB_DNN_INVALID_TASK_HANDLE);
  ASSERT_EQ(hbDNNRelease(slow_packed), 0) << Detail();
  packed_.erase(std::find(packed_.begin(), packed_.end(), slow_packed));
  AwaitCallback(log);
  EXPECT_EQ(log.calls.load(), 1);
  EXPECT_EQ(log.status.load(), HB_DNN_RUN_TASK_FAILED);
  // The core takes later work.
  IoTensors& io = NewIo(bpu);
  Bytes input = InputBytes(BpuNetIo::kF32, 2);
  FillInput(io, input);
  ASSERT_EQ(Run(bpu, io, HB_BPU_CORE_0), 0) << Detail();
  EXPECT_EQ(Pull(io), Expected(BpuNetIo::kF32, input));
}

// ---- HB_DNN_SIM_TIMING=virtual: exact, reproducible numbers. -----------------------------------

class BpuVirtual : public BpuTest {
 protected:
  bool EnvSuits() const override { return StandardSimEnv() && TimingMode() == "virtual"; }
};

TEST_F(BpuVirtual, LatencyIsTheModelledSum) {
  struct Case {
    BpuNetIo io;
    std::vector<uint32_t> fc_us;
  };
  const Case cases[] = {{BpuNetIo::kF32, kDefaultFcUs},
                        {BpuNetIo::kS8, kDefaultFcUs},
                        {BpuNetIo::kS8, {1000, 1, 333}}};
  for (const Case& c : cases) {
    hbDNNHandle_t bpu = LoadNet(c.io, BpuNetPlacement::kBpu, c.fc_us);
    ASSERT_NE(bpu, nullptr);
    IoTensors& io = NewIo(bpu);
    FillInput(io, InputBytes(c.io, 1));
    const int64_t want = ModelledNs(c.fc_us, kBernoulli2OverheadNs);
    for (int32_t core : {HB_BPU_CORE_1, HB_BPU_CORE_0, HB_BPU_CORE_1}) {
      hbDNNSimTaskTiming timing;
      ASSERT_EQ(Run(bpu, io, core, &timing), 0) << Detail();
      EXPECT_EQ(timing.latencyNs, want);
      EXPECT_EQ(timing.bpuNs, want);
      EXPECT_EQ(timing.fcCount, kBpuNetFcCount);
      EXPECT_EQ(timing.bpuCoreId, core == HB_BPU_CORE_0 ? 0 : 1);
    }
    ASSERT_EQ(hbDNNRelease(packed_.back()), 0) << Detail();
    packed_.pop_back();
  }
}

TEST_F(BpuVirtual, CpuOnlyModelTakesNoVirtualTime) {
  hbDNNHandle_t cpu = LoadNet(BpuNetIo::kF32, BpuNetPlacement::kCpu);
  ASSERT_NE(cpu, nullptr);
  IoTensors& io = NewIo(cpu);
  FillInput(io, InputBytes(BpuNetIo::kF32, 1));
  hbDNNSimTaskTiming timing;
  ASSERT_EQ(Run(cpu, io, HB_BPU_CORE_ANY, &timing), 0) << Detail();
  EXPECT_EQ(timing.latencyNs, 0);
  EXPECT_EQ(timing.fcCount, 0);
}

TEST_F(BpuVirtual, TasksOnDifferentCoresRunInParallel) {
  hbDNNHandle_t bpu = LoadNet(BpuNetIo::kF32);
  ASSERT_NE(bpu, nullptr);
  IoTensors& io0 = NewIo(bpu);
  IoTensors& io1 = NewIo(bpu);
  FillInput(io0, InputBytes(BpuNetIo::kF32, 1));
  FillInput(io1, InputBytes(BpuNetIo::kF32, 2));
  for (int round = 0; round < 5; ++round) {
    hbDNNTaskHandle_t a = Submit(bpu, io0, HB_BPU_CORE_0);
    hbDNNTaskHandle_t b = Submit(bpu, io1, HB_BPU_CORE_1);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    ASSERT_EQ(hbDNNWaitTaskDone(a, 0), 0) << Detail();
    ASSERT_EQ(hbDNNWaitTaskDone(b, 0), 0) << Detail();
    hbDNNSimTaskTiming ta = TimingOf(a), tb = TimingOf(b);
    EXPECT_EQ(ta.latencyNs, kDefaultNs);
    EXPECT_EQ(tb.latencyNs, kDefaultNs);
    EXPECT_EQ(ta.bpuCoreId, 0);
    EXPECT_EQ(tb.bpuCoreId, 1);
    ReleaseTask(a);
    ReleaseTask(b);
  }
  EXPECT_EQ(Pull(io1), Expected(BpuNetIo::kF32, InputBytes(BpuNetIo::kF32, 2)));
}

// Two tasks pinned to one core, submitted back to back by this thread. This thread holds no unit
// of the virtual clock's work, so virtual time may pass between the two hbDNNInfer calls (even
// past the first task's end): the second task's start is not deterministic. What is: the core
// is never idle while either task has work, so both finish within 2 x 290 us of the first
// submission, exactly, and each occupied the core for exactly 290 us.
TEST_F(BpuVirtual, TasksOnOneCoreShareIt) {
  hbDNNHandle_t bpu = LoadNet(BpuNetIo::kF32);
  ASSERT_NE(bpu, nullptr);
  IoTensors& io0 = NewIo(bpu);
  IoTensors& io1 = NewIo(bpu);
  FillInput(io0, InputBytes(BpuNetIo::kF32, 1));
  FillInput(io1, InputBytes(BpuNetIo::kF32, 2));
  for (int round = 0; round < 5; ++round) {
    hbDNNTaskHandle_t a = Submit(bpu, io0, HB_BPU_CORE_1);
    hbDNNTaskHandle_t b = Submit(bpu, io1, HB_BPU_CORE_1);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    ASSERT_EQ(hbDNNWaitTaskDone(a, 0), 0) << Detail();
    ASSERT_EQ(hbDNNWaitTaskDone(b, 0), 0) << Detail();
    hbDNNSimTaskTiming ta = TimingOf(a), tb = TimingOf(b);
    EXPECT_EQ(ta.bpuNs, kDefaultNs);
    EXPECT_EQ(tb.bpuNs, kDefaultNs);
    EXPECT_LE(ta.submitNs, tb.submitNs);
    EXPECT_EQ(std::max(ta.endNs, tb.endNs) - ta.submitNs, 2 * kDefaultNs);
    EXPECT_GE(std::min(ta.latencyNs, tb.latencyNs), kDefaultNs);
    EXPECT_LE(std::max(ta.latencyNs, tb.latencyNs), 2 * kDefaultNs);
    ReleaseTask(a);
    ReleaseTask(b);
  }
  EXPECT_EQ(Pull(io0), Expected(BpuNetIo::kF32, InputBytes(BpuNetIo::kF32, 1)));
  EXPECT_EQ(Pull(io1), Expected(BpuNetIo::kF32, InputBytes(BpuNetIo::kF32, 2)));
}

// Submits two tasks pinned to core 1 from a completion callback: the callback runs on the CPU
// pool while the task's unit of virtual-clock work is held, so virtual time cannot pass between
// the two submissions.
struct PairSubmitter {
  hbDNNHandle_t model = nullptr;
  IoTensors* io[2] = {nullptr, nullptr};
  int32_t priority[2] = {HB_DNN_PRIORITY_LOWEST, HB_DNN_PRIORITY_LOWEST};
  std::thread::id test_thread;
  std::atomic<bool> on_test_thread{false};
  std::atomic<int32_t> rc{1};
  hbDNNTaskHandle_t tasks[2] = {nullptr, nullptr};
  std::atomic<bool> done{false};
};

void SubmitPair(hbDNNTaskHandle_t, int32_t, void* userdata) {
  auto* pair = static_cast<PairSubmitter*>(userdata);
  pair->on_test_thread = std::this_thread::get_id() == pair->test_thread;
  int32_t rc = 0;
  for (int i = 0; i < 2 && rc == 0; ++i) {
    hbDNNInferCtrlParam param = CtrlParam(HB_BPU_CORE_1, pair->priority[i]);
    hbDNNTensor* outputs = pair->io[i]->outputs();
    rc = hbDNNInfer(&pair->tasks[i], &outputs, pair->io[i]->inputs(), pair->model, &param);
  }
  pair->rc = rc;
  pair->done = true;
}

class BpuVirtualPair : public BpuVirtual {
 protected:
  void SetUp() override {
    BpuVirtual::SetUp();
    if (IsSkipped()) return;
    model_ = LoadNet(BpuNetIo::kF32);
    ASSERT_NE(model_, nullptr);
    for (IoTensors** io : {&primer_, &a_, &b_}) *io = &NewIo(model_);
    FillInput(*primer_, InputBytes(BpuNetIo::kF32, 1));
    FillInput(*a_, InputBytes(BpuNetIo::kF32, 2));
    FillInput(*b_, InputBytes(BpuNetIo::kF32, 3));
  }

  // Timings of tasks a_ and b_ (in that order), submitted at the same virtual instant to core 1
  // with the given priorities.
  std::vector<hbDNNSimTaskTiming> RunPair(int32_t priority_a, int32_t priority_b) {
    for (int attempt = 0; attempt < 20; ++attempt) {
      PairSubmitter pair;
      pair.model = model_;
      pair.io[0] = a_;
      pair.io[1] = b_;
      pair.priority[0] = priority_a;
      pair.priority[1] = priority_b;
      pair.test_thread = std::this_thread::get_id();
      hbDNNTaskHandle_t primer = Submit(model_, *primer_, HB_BPU_CORE_0);
      if (primer == nullptr) return {};
      EXPECT_EQ(hbDNNSetTaskDoneCb(primer, &SubmitPair, &pair), 0) << Detail();
      EXPECT_EQ(hbDNNWaitTaskDone(primer, 0), 0) << Detail();
      for (int i = 0; i < 10000 && !pair.done; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      ReleaseTask(primer);
      EXPECT_TRUE(pair.done.load());
      EXPECT_EQ(pair.rc.load(), 0);
      if (!pair.done || pair.rc != 0) return {};
      tasks_.insert(tasks_.end(), std::begin(pair.tasks), std::end(pair.tasks));
      std::vector<hbDNNSimTaskTiming> timings;
      for (hbDNNTaskHandle_t task : pair.tasks) {
        EXPECT_EQ(hbDNNWaitTaskDone(task, 0), 0) << Detail();
        timings.push_back(TimingOf(task));
        ReleaseTask(task);
      }
      // A callback registered after the primer completed ran here, on this thread, without a
      // unit of work: try again.
      if (pair.on_test_thread) continue;
      EXPECT_EQ(timings[0].submitNs, timings[1].submitNs);
      for (const hbDNNSimTaskTiming& t : timings) {
        EXPECT_EQ(t.bpuNs, kDefaultNs);
        EXPECT_EQ(t.bpuCoreId, 1);
      }
      return timings;
    }
    ADD_FAILURE() << "the primer always completed before its callback was registered";
    return {};
  }

  void ExpectCorrectResults() {
    EXPECT_EQ(Pull(*a_), Expected(BpuNetIo::kF32, InputBytes(BpuNetIo::kF32, 2)));
    EXPECT_EQ(Pull(*b_), Expected(BpuNetIo::kF32, InputBytes(BpuNetIo::kF32, 3)));
  }

  hbDNNHandle_t model_ = nullptr;
  IoTensors* primer_ = nullptr;
  IoTensors* a_ = nullptr;
  IoTensors* b_ = nullptr;
};

// Which task reaches the core first is up to the CPU pool; the one that finishes last waited for
// the whole of the other's BPU time.
TEST_F(BpuVirtualPair, SecondTaskOnACoreWaitsForTheFirst) {
  for (int round = 0; round < 3; ++round) {
    std::vector<hbDNNSimTaskTiming> t = RunPair(HB_DNN_PRIORITY_LOWEST, HB_DNN_PRIORITY_LOWEST);
    ASSERT_EQ(t.size(), 2u);
    EXPECT_EQ(std::max(t[0].latencyNs, t[1].latencyNs), kDefaultNs + t[0].bpuNs);
    EXPECT_GE(std::min(t[0].latencyNs, t[1].latencyNs), kDefaultNs);
  }
  ExpectCorrectResults();
}

// As on a board with BPLAT_CORELIMIT unset, a BPU segment's function-calls are committed
// together: the first task runs its three FCs back to back and finishes after 290 us, the second
// after 580 us.
TEST_F(BpuVirtualPair, FirstTaskOnACoreRunsItsFunctionCallsBackToBack) {
  std::vector<hbDNNSimTaskTiming> t = RunPair(HB_DNN_PRIORITY_LOWEST, HB_DNN_PRIORITY_LOWEST);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(std::min(t[0].latencyNs, t[1].latencyNs), kDefaultNs);
  EXPECT_EQ(std::max(t[0].latencyNs, t[1].latencyNs), 2 * kDefaultNs);
}

// With BPLAT_CORELIMIT unset (0: every ready FC is committed at once), priority 255 cannot
// overtake FCs already committed: whichever task reached the core first runs to its end.
TEST_F(BpuVirtualPair, WithoutACoreLimitCommittedFunctionCallsRunFirst) {
  if (std::getenv("BPLAT_CORELIMIT") != nullptr) GTEST_SKIP() << "needs BPLAT_CORELIMIT unset";
  std::vector<hbDNNSimTaskTiming> t = RunPair(HB_DNN_PRIORITY_LOWEST, HB_DNN_PRIORITY_PREEMP);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(std::min(t[0].latencyNs, t[1].latencyNs), kDefaultNs);
  EXPECT_EQ(std::max(t[0].latencyNs, t[1].latencyNs), 2 * kDefaultNs);
  ExpectCorrectResults();
}

// With BPLAT_CORELIMIT=1 a preempting task (priority 255) overtakes a normal one at the next
// function-call boundary: it waits at most for the FC that is running (conv1's, 135 us) and then
// runs to its end, whichever task reached the core first.
TEST_F(BpuVirtualPair, PreemptingTaskOvertakesAtTheNextBoundary) {
  const char* limit = std::getenv("BPLAT_CORELIMIT");
  if (limit == nullptr || std::string(limit) != "1") GTEST_SKIP() << "needs BPLAT_CORELIMIT=1";
  constexpr int64_t kFirstFcNs = 120000 + kBernoulli2OverheadNs;
  for (int round = 0; round < 3; ++round) {
    std::vector<hbDNNSimTaskTiming> t = RunPair(HB_DNN_PRIORITY_LOWEST, HB_DNN_PRIORITY_PREEMP);
    ASSERT_EQ(t.size(), 2u);
    EXPECT_TRUE(t[1].latencyNs == kDefaultNs || t[1].latencyNs == kDefaultNs + kFirstFcNs)
        << t[1].latencyNs;
    EXPECT_EQ(t[0].latencyNs, 2 * kDefaultNs);
  }
  ExpectCorrectResults();
}

TEST_F(BpuVirtual, SlowCoreTakesFactorTimesTheModelledTime) {
  hbDNNHandle_t bpu = LoadNet(BpuNetIo::kS8);
  ASSERT_NE(bpu, nullptr);
  IoTensors& io = NewIo(bpu);
  Bytes input = InputBytes(BpuNetIo::kS8, 1);
  FillInput(io, input);
  InstallFaults("slow:core=0:factor=3");
  hbDNNSimTaskTiming slow, fast;
  ASSERT_EQ(Run(bpu, io, HB_BPU_CORE_0, &slow), 0) << Detail();
  EXPECT_EQ(Pull(io), Expected(BpuNetIo::kS8, input));
  ASSERT_EQ(Run(bpu, io, HB_BPU_CORE_1, &fast), 0) << Detail();
  // The factor scales the modelled duration, not the per-FC overhead.
  EXPECT_EQ(slow.latencyNs, 3 * (120 + 80 + 45) * 1000 + 3 * kBernoulli2OverheadNs);
  EXPECT_EQ(slow.bpuNs, slow.latencyNs);
  EXPECT_EQ(fast.latencyNs, kDefaultNs);
  InstallFaults("slow:core=1:factor=1.5");
  ASSERT_EQ(Run(bpu, io, HB_BPU_CORE_1, &slow), 0) << Detail();
  // llround(45000 * 1.5) = 67500.
  EXPECT_EQ(slow.latencyNs, 180000 + 120000 + 67500 + 3 * kBernoulli2OverheadNs);
}

TEST_F(BpuVirtual, FailedTasksReportTheTimeTheyTook) {
  hbDNNHandle_t bpu = LoadNet(BpuNetIo::kF32);
  ASSERT_NE(bpu, nullptr);
  IoTensors& io = NewIo(bpu);
  FillInput(io, InputBytes(BpuNetIo::kF32, 1));
  hbDNNSimTaskTiming timing;
  // A device error ends its FC after the per-FC overhead.
  InstallFaults("error:fc=2");
  ASSERT_EQ(Run(bpu, io, HB_BPU_CORE_0, &timing), HB_DNN_RUN_TASK_FAILED);
  EXPECT_EQ(timing.fcCount, 2);
  EXPECT_EQ(timing.bpuNs, 120000 + 2 * kBernoulli2OverheadNs);
  EXPECT_EQ(timing.latencyNs, timing.bpuNs);
  // A hang occupies the core until the watchdog: the fault's, or the march's 1 s.
  InstallFaults("timeout:fc=1:after_us=2000");
  ASSERT_EQ(Run(bpu, io, HB_BPU_CORE_1, &timing), HB_DNN_TIMEOUT);
  EXPECT_EQ(timing.fcCount, 1);
  EXPECT_EQ(timing.bpuNs, 2000000);
  EXPECT_EQ(timing.latencyNs, 2000000);
  InstallFaults("timeout:fc=3");
  ASSERT_EQ(Run(bpu, io, HB_BPU_CORE_1, &timing), HB_DNN_TIMEOUT);
  EXPECT_EQ(timing.fcCount, 3);
  EXPECT_EQ(timing.latencyNs, 200000 + 2 * kBernoulli2OverheadNs + kWatchdogNs);
  // Several faults at once: FCs on core 1 take twice their modelled time, the third fails after
  // the overhead.
  InstallFaults("slow:core=1:factor=2;error:fc=3");
  ASSERT_EQ(Run(bpu, io, HB_BPU_CORE_1, &timing), HB_DNN_RUN_TASK_FAILED);
  EXPECT_EQ(timing.fcCount, 3);
  EXPECT_EQ(timing.latencyNs, 240000 + 160000 + 3 * kBernoulli2OverheadNs);
  // Faults filtered by core leave the other core alone.
  InstallFaults("error:core=1");
  ASSERT_EQ(Run(bpu, io, HB_BPU_CORE_0, &timing), 0) << Detail();
  EXPECT_EQ(timing.latencyNs, kDefaultNs);
  ASSERT_EQ(Run(bpu, io, HB_BPU_CORE_1, &timing), HB_DNN_RUN_TASK_FAILED);
  EXPECT_EQ(timing.fcCount, 1);
}

// ---- HB_DNN_SIM_CACHE_CHECK=1: the cache model of cached hbSysMem. -----------------------------

// The cache model reports through warnings: HB_DNN_LOG_LEVEL must be unset or 1..3.
bool WarningsLogged() {
  std::string level = Env("HB_DNN_LOG_LEVEL");
  return level.empty() || level == "1" || level == "2" || level == "3";
}

class BpuCacheCheck : public BpuTest {
 protected:
  bool EnvSuits() const override { return StandardSimEnv() && CacheCheckOn() && WarningsLogged(); }

  // Runs the network twice without any flush and expects correct results and no warning.
  void ExpectNoFlushNeeded(BpuNetIo net, Memory memory, uint32_t seed) {
    hbDNNHandle_t bpu = LoadNet(net);
    ASSERT_NE(bpu, nullptr);
    IoTensors& io = NewIo(bpu, memory);
    Bytes input = InputBytes(net, seed);
    for (int round = 0; round < 2; ++round) {
      FillInput(io, input, /*clean=*/false);
      testing::internal::CaptureStderr();
      int32_t rc = Run(bpu, io);
      std::string log = testing::internal::GetCapturedStderr();
      ASSERT_EQ(rc, 0) << Detail();
      EXPECT_EQ(Pull(io, /*invalidate=*/false), Expected(net, input));
      EXPECT_THAT(log, Not(HasSubstr("hbSysFlushMem")));
    }
  }
};

TEST_F(BpuCacheCheck, UnpublishedInputIsStaleAndNamed) {
  hbDNNHandle_t bpu = LoadNet(BpuNetIo::kS8);
  ASSERT_NE(bpu, nullptr);
  IoTensors& io = NewIo(bpu, Memory::kCached);
  Bytes input = InputBytes(BpuNetIo::kS8, 21);
  FillInput(io, input, /*clean=*/false);
  testing::internal::CaptureStderr();
  hbDNNTaskHandle_t task = Submit(bpu, io);
  std::string log = testing::internal::GetCapturedStderr();
  ASSERT_NE(task, nullptr);
  ASSERT_EQ(hbDNNWaitTaskDone(task, 0), 0) << Detail();
  ReleaseTask(task);
  EXPECT_THAT(log, HasSubstr("model 'bpu_s8' input 0 'x_q'"));
  EXPECT_THAT(log, HasSubstr("hbSysFlushMem(HB_SYS_MEM_CACHE_CLEAN)"));
  // The device view still holds what the allocation left there: zeros.
  Outputs stale = Pull(io);
  EXPECT_NE(stale, Expected(BpuNetIo::kS8, input));
  EXPECT_EQ(stale, Expected(BpuNetIo::kS8, Bytes(input.size(), 0)));

  ASSERT_EQ(hbSysFlushMem(&io.input(0).sysMem[0], HB_SYS_MEM_CACHE_CLEAN), 0);
  testing::internal::CaptureStderr();
  int32_t rc = Run(bpu, io);
  log = testing::internal::GetCapturedStderr();
  ASSERT_EQ(rc, 0) << Detail();
  EXPECT_EQ(Pull(io), Expected(BpuNetIo::kS8, input));
  EXPECT_THAT(log, Not(HasSubstr("hbSysFlushMem")));
}

TEST_F(BpuCacheCheck, BpuOutputNeedsInvalidate) {
  hbDNNHandle_t bpu = LoadNet(BpuNetIo::kS8);
  ASSERT_NE(bpu, nullptr);
  IoTensors& io = NewIo(bpu, Memory::kCached);
  Bytes input = InputBytes(BpuNetIo::kS8, 22);
  FillInput(io, input);
  io.PoisonOutputs(0x5A);
  ASSERT_EQ(Run(bpu, io), 0) << Detail();
  // Without INVALIDATE the CPU still sees its own bytes.
  for (const Bytes& stale : Pull(io, /*invalidate=*/false)) {
    EXPECT_EQ(stale, Bytes(stale.size(), 0x5A));
  }
  EXPECT_EQ(Pull(io), Expected(BpuNetIo::kS8, input));
}

TEST_F(BpuCacheCheck, UnpulledOutputIsNamedAtTheNextInference) {
  hbDNNHandle_t bpu = LoadNet(BpuNetIo::kS8);
  ASSERT_NE(bpu, nullptr);
  IoTensors& io = NewIo(bpu, Memory::kCached);
  Bytes input = InputBytes(BpuNetIo::kS8, 23);
  FillInput(io, input);
  testing::internal::CaptureStderr();
  int32_t first = Run(bpu, io);
  int32_t second = Run(bpu, io);
  std::string log = testing::internal::GetCapturedStderr();
  ASSERT_EQ(first, 0);
  ASSERT_EQ(second, 0);
  EXPECT_THAT(log, HasSubstr("model 'bpu_s8' output 0 'y32'"));
  EXPECT_THAT(log, HasSubstr("model 'bpu_s8' output 1 'g'"));
  EXPECT_THAT(log, HasSubstr("hbSysFlushMem(HB_SYS_MEM_CACHE_INVALIDATE)"));
  EXPECT_THAT(log, Not(HasSubstr("input 0")));
  EXPECT_EQ(Pull(io), Expected(BpuNetIo::kS8, input));
  testing::internal::CaptureStderr();
  int32_t third = Run(bpu, io);
  log = testing::internal::GetCapturedStderr();
  ASSERT_EQ(third, 0);
  EXPECT_THAT(log, Not(HasSubstr("hbSysFlushMem")));
  // Freeing a block whose BPU results were never pulled is reported too.
  testing::internal::CaptureStderr();
  io.Free();
  log = testing::internal::GetCapturedStderr();
  EXPECT_THAT(log, HasSubstr("never pulled"));
}

TEST_F(BpuCacheCheck, UncachedMemoryNeedsNoFlush) {
  ExpectNoFlushNeeded(BpuNetIo::kS8, Memory::kUncached, 24);
}

// The F32 network's input is read, and its outputs written, by CPU segments.
TEST_F(BpuCacheCheck, CpuSideTensorsNeedNoFlush) {
  ExpectNoFlushNeeded(BpuNetIo::kF32, Memory::kCached, 25);
}

// Applications INVALIDATE every output before reading it, as the vendor samples do; the F32
// network's outputs come from a CPU segment and must survive that.
TEST_F(BpuCacheCheck, CpuProducedOutputSurvivesInvalidate) {
  hbDNNHandle_t bpu = LoadNet(BpuNetIo::kF32);
  ASSERT_NE(bpu, nullptr);
  IoTensors& io = NewIo(bpu, Memory::kCached);
  for (uint32_t seed : {26u, 27u}) {
    Bytes input = InputBytes(BpuNetIo::kF32, seed);
    FillInput(io, input);
    ASSERT_EQ(Run(bpu, io), 0) << Detail();
    EXPECT_EQ(Pull(io, /*invalidate=*/true), Expected(BpuNetIo::kF32, input));
  }
}

// ---- Environments the simulated BPU rejects or replaces. --------------------------------------

class BpuNullBackend : public BpuTest {
 protected:
  bool EnvSuits() const override { return Env("HB_DNN_SIM_BACKEND") == "null"; }
};

TEST_F(BpuNullBackend, ModelsLoadButBpuWorkFails) {
  hbDNNHandle_t f32 = LoadNet(BpuNetIo::kF32);
  hbDNNHandle_t s8 = LoadNet(BpuNetIo::kS8);
  hbDNNHandle_t cpu = LoadNet(BpuNetIo::kF32, BpuNetPlacement::kCpu);
  ASSERT_NE(f32, nullptr);
  ASSERT_NE(s8, nullptr);
  ASSERT_NE(cpu, nullptr);
  for (hbDNNHandle_t model : {f32, s8}) {
    for (int32_t core : {HB_BPU_CORE_ANY, HB_BPU_CORE_1}) {
      IoTensors& io = NewIo(model);
      CallbackLog log;
      hbDNNTaskHandle_t task = Submit(model, io, core);
      ASSERT_NE(task, nullptr);
      ASSERT_EQ(hbDNNSetTaskDoneCb(task, &RecordDone, &log), 0);
      EXPECT_EQ(hbDNNWaitTaskDone(task, 0), HB_DNN_RUN_TASK_FAILED);
      EXPECT_THAT(Detail(), HasSubstr("'null'"));
      AwaitCallback(log);
      EXPECT_EQ(log.calls.load(), 1);
      EXPECT_EQ(log.status.load(), HB_DNN_RUN_TASK_FAILED);
      EXPECT_EQ(TimingOf(task).fcCount, 0);
      ReleaseTask(task);
    }
  }
  EXPECT_EQ(hbDNNSimSetFaults("error"), HB_DNN_API_USE_ERROR);
  EXPECT_THAT(Detail(), HasSubstr("'null' BPU backend has no fault injection"));
  // CPU-only models are unaffected.
  IoTensors& io = NewIo(cpu);
  FillInput(io, InputBytes(BpuNetIo::kF32, 1));
  EXPECT_EQ(Run(cpu, io), 0) << Detail();
}

class BpuBayesPlatform : public BpuTest {
 protected:
  bool EnvSuits() const override { return Lower(Env("HB_DNN_SIM_PLATFORM")) == "bayes"; }
};

TEST_F(BpuBayesPlatform, Bernoulli2ModelIsIncompatible) {
  std::string bytes = hb_dnn::testing::BpuNetPackageBytes({BpuNetOptions{}});
  ASSERT_FALSE(bytes.empty());
  const void* data[] = {bytes.data()};
  int32_t lengths[] = {static_cast<int32_t>(bytes.size())};
  hbPackedDNNHandle_t packed = nullptr;
  EXPECT_EQ(hbDNNInitializeFromDDR(&packed, data, lengths, 1), HB_DNN_INCOMPATIBLE_MODEL);
  EXPECT_THAT(Detail(), HasSubstr("Incompatible Platform"));
  EXPECT_THAT(Detail(), HasSubstr("bernoulli2"));
  EXPECT_EQ(packed, nullptr);

  std::string path = hb_dnn::testing::TempPath("bernoulli2.hbm");
  hb_dnn::testing::WriteBytes(path, bytes);
  const char* files[] = {path.c_str()};
  EXPECT_EQ(hbDNNInitializeFromFiles(&packed, files, 1), HB_DNN_INCOMPATIBLE_MODEL);
  EXPECT_THAT(Detail(), HasSubstr("Incompatible Platform"));
  std::remove(path.c_str());
}

TEST_F(BpuBayesPlatform, BayesModelRunsWithBayesOverhead) {
  BpuNetOptions options;
  options.name = "bayes_net";
  options.march = "bayes";
  hbDNNHandle_t bpu = Load(options);
  ASSERT_NE(bpu, nullptr);
  IoTensors& io = NewIo(bpu);
  Bytes input = InputBytes(BpuNetIo::kF32, 1);
  FillInput(io, input);
  hbDNNSimTaskTiming timing;
  ASSERT_EQ(Run(bpu, io, HB_BPU_CORE_1, &timing), 0) << Detail();
  EXPECT_EQ(Pull(io), Expected(BpuNetIo::kF32, input));
  EXPECT_EQ(timing.fcCount, kBpuNetFcCount);
  EXPECT_EQ(timing.bpuCoreId, 1);
  if (TimingMode() == "virtual") {
    EXPECT_EQ(timing.latencyNs, ModelledNs(kDefaultFcUs, kBayesOverheadNs));
  }
}

class BpuBadTimingMode : public BpuTest {
 protected:
  bool EnvSuits() const override { return !ValidTimingMode(); }
};

TEST_F(BpuBadTimingMode, BpuModelLoadFailsNamingTheVariable) {
  std::string bytes = hb_dnn::testing::BpuNetPackageBytes({BpuNetOptions{}});
  ASSERT_FALSE(bytes.empty());
  const void* data[] = {bytes.data()};
  int32_t lengths[] = {static_cast<int32_t>(bytes.size())};
  hbPackedDNNHandle_t packed = nullptr;
  EXPECT_EQ(hbDNNInitializeFromDDR(&packed, data, lengths, 1), HB_DNN_INVALID_ARGUMENT);
  EXPECT_THAT(Detail(), HasSubstr("HB_DNN_SIM_TIMING '" + Env("HB_DNN_SIM_TIMING") + "'"));
  // Still no device: nothing to install faults on. CPU-only models load and run.
  EXPECT_EQ(hbDNNSimSetFaults(""), HB_DNN_API_USE_ERROR);
  hbDNNHandle_t cpu = LoadNet(BpuNetIo::kF32, BpuNetPlacement::kCpu);
  ASSERT_NE(cpu, nullptr);
  IoTensors& io = NewIo(cpu);
  FillInput(io, InputBytes(BpuNetIo::kF32, 1));
  EXPECT_EQ(Run(cpu, io), 0) << Detail();
}

// HB_DNN_SIM_FAULTS=error:fc=1 (valid) or =error:fc=first (malformed).
class BpuPresetFaults : public BpuTest {
 protected:
  bool EnvSuits() const override { return !Env("HB_DNN_SIM_FAULTS").empty(); }
};

TEST_F(BpuPresetFaults, EnvironmentPlanAppliesFromTheStart) {
  if (Env("HB_DNN_SIM_FAULTS") != "error:fc=1") GTEST_SKIP() << "needs HB_DNN_SIM_FAULTS=error:fc=1";
  hbDNNHandle_t bpu = LoadNet(BpuNetIo::kS8);
  ASSERT_NE(bpu, nullptr);
  IoTensors& io = NewIo(bpu);
  Bytes input = InputBytes(BpuNetIo::kS8, 1);
  FillInput(io, input);
  EXPECT_EQ(Run(bpu, io), HB_DNN_RUN_TASK_FAILED);
  EXPECT_THAT(Detail(), HasSubstr("segment 'bpu_main' function-call 0"));
  ASSERT_EQ(Run(bpu, io), 0) << Detail();
  EXPECT_EQ(Pull(io), Expected(BpuNetIo::kS8, input));
}

TEST_F(BpuPresetFaults, MalformedEnvironmentPlanFailsTheLoad) {
  if (Env("HB_DNN_SIM_FAULTS") != "error:fc=first") {
    GTEST_SKIP() << "needs HB_DNN_SIM_FAULTS=error:fc=first";
  }
  std::string bytes = hb_dnn::testing::BpuNetPackageBytes({BpuNetOptions{}});
  ASSERT_FALSE(bytes.empty());
  const void* data[] = {bytes.data()};
  int32_t lengths[] = {static_cast<int32_t>(bytes.size())};
  hbPackedDNNHandle_t packed = nullptr;
  EXPECT_EQ(hbDNNInitializeFromDDR(&packed, data, lengths, 1), HB_DNN_INVALID_ARGUMENT);
  EXPECT_THAT(Detail(), HasSubstr("HB_DNN_SIM_FAULTS"));
  EXPECT_THAT(Detail(), HasSubstr("field 'fc=first'"));
}

}  // namespace
