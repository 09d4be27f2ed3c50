// End-to-end latency of the real models through the public C API on the CPU executor:
// ONNX -> import -> model bytes -> hbDNNInitializeFromDDR -> hbDNNInfer + hbDNNWaitTaskDone.
// One benchmark per model of ../shared/models that is present (skipped otherwise). The CPU
// worker pool size is HB_MAX_THREAD_NUM (set it to 1 or 2 before running), so the same binary
// gives 1- and 2-thread numbers:
//   HB_MAX_THREAD_NUM=1 bench_model_latency --benchmark_min_time=2
// HB_DNN_BENCH_NO_FUSE=1 imports without Conv+Relu/Clip fusion.
// Inputs: the deterministic ramp of ../shared/peers/ort_bench.js, so ORT numbers compare.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "hb_dnn/hb_dnn.h"
#include "hb_dnn/hb_dnn_sim.h"
#include "tools/onnx_import/onnx_importer.h"
#include "tools/onnx_import/onnx_proto_util.h"

namespace {

struct ModelCase {
  const char* name;
  const char* path;  // relative to the shared models folder
  std::vector<int64_t> shape;
};

const ModelCase kModels[] = {
    {"mobilenetv2", "mobilenetv2/model.onnx", {1, 3, 224, 224}},
    {"resnet18", "resnet18/model.onnx", {1, 3, 224, 224}},
    {"squeezenet1_1", "squeezenet1_1/model.onnx", {1, 3, 224, 224}},
    {"yolov5n_like_320", "yolov5n_like_320/model.onnx", {1, 3, 320, 320}},
    {"ppocr_det_640", "ppocr/ch_PP-OCRv4_det_infer.onnx", {1, 3, 640, 640}},
    {"ppocr_rec_48x320", "ppocr/ch_PP-OCRv4_rec_infer.onnx", {1, 3, 48, 320}},
    {"ppocr_cls_48x192", "ppocr/ch_ppocr_mobile_v2.0_cls_infer.onnx", {1, 3, 48, 192}},
};

void BM_ModelLatency(benchmark::State& state, const ModelCase& c) {
  std::string path = std::string(HB_DNN_SHARED_MODELS) + "/" + c.path;
  if (!std::filesystem::exists(path)) {
    state.SkipWithError("model not available");
    return;
  }
  hb_dnn::onnx_import::ImportOptions options;
  options.model_name = "bench";
  // HB_DNN_BENCH_NO_FUSE=1 keeps Relu/Clip separate, to measure what the Conv fusion gains.
  const char* no_fuse = std::getenv("HB_DNN_BENCH_NO_FUSE");
  options.fuse_activations = no_fuse == nullptr || std::string(no_fuse) != "1";
  hb_dnn::tools::PackageBuilder package;
  auto model = hb_dnn::onnx_import::ReadModelFile(path);
  if (!model.ok()) {
    state.SkipWithError(std::string(model.status().message()).c_str());
    return;
  }
  options.input_shapes[model->graph().input(0).name()] = c.shape;
  auto report = hb_dnn::onnx_import::ImportOnnx(*model, options, &package);
  auto bytes = report.ok() ? package.Serialize() : absl::StatusOr<std::string>(report.status());
  if (!bytes.ok()) {
    state.SkipWithError(std::string(bytes.status().message()).c_str());
    return;
  }
  hbPackedDNNHandle_t packed = nullptr;
  hbDNNHandle_t handle = nullptr;
  const void* data[] = {bytes->data()};
  int32_t lengths[] = {static_cast<int32_t>(bytes->size())};
  if (hbDNNInitializeFromDDR(&packed, data, lengths, 1) != 0 ||
      hbDNNGetModelHandle(&handle, packed, "bench") != 0) {
    state.SkipWithError(hbDNNGetLastErrorDetail());
    return;
  }
  int32_t outputs = 0;
  hbDNNGetOutputCount(&outputs, handle);
  hbDNNTensor in{};
  std::vector<hbDNNTensor> out(static_cast<size_t>(outputs));
  hbDNNGetInputTensorProperties(&in.properties, handle, 0);
  hbSysAllocCachedMem(&in.sysMem[0], static_cast<uint32_t>(in.properties.alignedByteSize));
  float* x = static_cast<float*>(in.sysMem[0].virAddr);
  for (int64_t i = 0; i < in.properties.alignedByteSize / 4; ++i) {
    x[i] = static_cast<float>((static_cast<uint64_t>(i) * 2654435761ull) % 1000) / 1000.0f;
  }
  hbSysFlushMem(&in.sysMem[0], HB_SYS_MEM_CACHE_CLEAN);
  for (int32_t i = 0; i < outputs; ++i) {
    hbDNNGetOutputTensorProperties(&out[i].properties, handle, i);
    hbSysAllocCachedMem(&out[i].sysMem[0], static_cast<uint32_t>(out[i].properties.alignedByteSize));
  }
  hbDNNInferCtrlParam param;
  HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&param);
  for (auto _ : state) {
    hbDNNTaskHandle_t task = nullptr;
    hbDNNTensor* outp = out.data();
    if (hbDNNInfer(&task, &outp, &in, handle, &param) != 0 || hbDNNWaitTaskDone(task, 0) != 0) {
      state.SkipWithError(hbDNNGetLastErrorDetail());
      break;
    }
    hbDNNReleaseTask(task);
  }
  for (hbDNNTensor& t : out) hbSysFreeMem(&t.sysMem[0]);
  hbSysFreeMem(&in.sysMem[0]);
  hbDNNRelease(packed);
}

int RegisterAll() {
  for (const ModelCase& c : kModels) {
    benchmark::RegisterBenchmark(c.name, [&c](benchmark::State& s) { BM_ModelLatency(s, c); })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  return 0;
}
const int kRegistered = RegisterAll();

}  // namespace

BENCHMARK_MAIN();
