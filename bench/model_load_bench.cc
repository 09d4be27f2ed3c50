// Start-up cost of loading a model through the public API: mmap + verification + validation
// (hbDNNInitializeFromFiles) versus the copying in-memory path (hbDNNInitializeFromDDR), for a
// package whose weights are 1 KiB .. 64 MiB.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "hb_dnn/hb_dnn.h"
#include "tools/model_builder/model_builder.h"

namespace {

using hb_dnn::fb::DataType;

std::string BuildPackage(int64_t weight_bytes) {
  hb_dnn::tools::PackageBuilder package;
  hb_dnn::tools::ModelBuilder& m = package.AddModel("bench", "bernoulli2");
  int x = m.AddTensor("x", {1, weight_bytes}, DataType::S8);
  int w = m.AddConstant("w", {weight_bytes}, DataType::S8, std::string(weight_bytes, '\x01'));
  int y = m.AddTensor("y", {1, weight_bytes}, DataType::S8);
  uint32_t n = m.AddNode("add", "Add", {x, w}, {y});
  m.AddCpuSegment({n});
  hb_dnn::tools::IoSpec spec;
  spec.data_type = DataType::S8;
  spec.layout = hb_dnn::fb::Layout::NONE;
  (void)m.AddInput(x, spec);
  (void)m.AddOutput(y, spec);
  return package.Serialize().value();
}

void BM_InitializeFromFiles(benchmark::State& state) {
  std::string path = "/tmp/hb_dnn_bench_load_" + std::to_string(state.range(0)) + ".hbm";
  {
    std::string bytes = BuildPackage(state.range(0));
    std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  const char* files[] = {path.c_str()};
  for (auto _ : state) {
    hbPackedDNNHandle_t packed = nullptr;
    if (hbDNNInitializeFromFiles(&packed, files, 1) != 0) state.SkipWithError("load failed");
    hbDNNRelease(packed);
  }
  std::remove(path.c_str());
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_InitializeFromFiles)->RangeMultiplier(32)->Range(1 << 10, 64 << 20);

void BM_InitializeFromDDR(benchmark::State& state) {
  std::string bytes = BuildPackage(state.range(0));
  const void* data[] = {bytes.data()};
  int32_t lengths[] = {static_cast<int32_t>(bytes.size())};
  for (auto _ : state) {
    hbPackedDNNHandle_t packed = nullptr;
    if (hbDNNInitializeFromDDR(&packed, data, lengths, 1) != 0) state.SkipWithError("load failed");
    hbDNNRelease(packed);
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_InitializeFromDDR)->RangeMultiplier(32)->Range(1 << 10, 64 << 20);

}  // namespace

BENCHMARK_MAIN();
