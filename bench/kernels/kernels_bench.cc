// Conv and GEMM throughput of the optimized kernels next to oneDNN and XNNPACK (when built in),
// on the shapes of bench_shapes.h, with 1 and 2 threads, in fp32 (conv/, gemm/: counter GFLOPS)
// and int8 (conv_s8/, gemm_s8/: the hb_dnn.bpu kernels, counter GOPS); both count useful
// multiply-adds x 2 / second. Names are <op>/<shape>/<implementation>/threads:<n>.
//
//   build/opt/bench/kernels/bench_kernels --benchmark_filter='conv/.*/ours'
//   build/opt/bench/kernels/bench_kernels --benchmark_filter='_s8/.*/threads:1'
//
// Ours runs the registered optimized kernel (ISA from cpu_features; HB_DNN_SIM_ISA lowers it)
// through OpKernel::Prepare/Run on NCHW tensors with constant weights, i.e. what the runtime
// executes. The peers run in their preferred layouts (see peer_*.cc).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/kernels/bench_shapes.h"
#include "benchmark/benchmark.h"
#include "src/base/cpu_features.h"
#include "src/base/parallel_for.h"
#include "src/kernels/attributes.h"
#include "src/kernels/int8/optimized/int8_optimized_kernels.h"
#include "src/kernels/op_kernel.h"
#include "src/kernels/optimized/optimized_kernels.h"

namespace hb_dnn::bench {
namespace {

using kernels::Attributes;
using kernels::ConstTensorView;
using kernels::DType;
using kernels::KernelCreateArgs;
using kernels::OpKernel;
using kernels::Shape;
using kernels::TensorInfo;
using kernels::TensorView;

std::vector<float> Values(int64_t n) {
  std::vector<float> v(static_cast<size_t>(n));
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i % 7) * 0.1f - 0.3f;
  return v;
}

// An optimized kernel prepared on constant weights, with its run-time tensors.
class OursRunner : public Runner {
 public:
  // `inputs`: shapes of the node's inputs; input 0 is the run-time one, the rest constants.
  static std::unique_ptr<Runner> Make(kernels::KernelFactory factory,
                                      const Attributes& attributes,
                                      const std::vector<Shape>& inputs, int threads) {
    auto runner = std::unique_ptr<OursRunner>(new OursRunner(threads));
    const KernelCreateArgs args{attributes, 13, static_cast<int>(inputs.size()), 1};
    auto kernel = factory(args);
    if (!kernel.ok()) return nullptr;
    runner->kernel_ = std::move(*kernel);
    std::vector<TensorInfo> infos;
    for (size_t i = 0; i < inputs.size(); ++i) {
      runner->data_.push_back(Values(kernels::NumElements(inputs[i])));
      infos.push_back({DType::kF32, inputs[i], i == 0 ? nullptr : runner->data_[i].data()});
      runner->inputs_.push_back({runner->data_[i].data(), DType::kF32, inputs[i]});
    }
    std::vector<TensorInfo> outputs;
    if (!runner->kernel_->Prepare(infos, &outputs).ok()) return nullptr;
    runner->output_.resize(static_cast<size_t>(kernels::NumElements(outputs[0].shape)));
    runner->outputs_.push_back({runner->output_.data(), DType::kF32, outputs[0].shape});
    return runner;
  }

  void Run() override { (void)kernel_->Run(inputs_, outputs_); }

 private:
  explicit OursRunner(int threads) : limit_(threads) {}

  ScopedParallelismLimit limit_;
  std::unique_ptr<OpKernel> kernel_;
  std::vector<std::vector<float>> data_;
  std::vector<ConstTensorView> inputs_;
  std::vector<float> output_;
  std::vector<TensorView> outputs_;
};

std::unique_ptr<Runner> MakeOursConv(const ConvShape& s, int threads) {
  Attributes attributes;
  attributes.SetInts("kernel_shape", {s.kernel, s.kernel});
  attributes.SetInts("strides", {s.stride, s.stride});
  attributes.SetInts("pads", {s.pad, s.pad, s.pad, s.pad});
  attributes.SetInt("group", s.group);
  return OursRunner::Make(&kernels::optimized::CreateConvKernel, attributes,
                          {{s.n, s.c, s.h, s.w}, {s.m, s.c / s.group, s.kernel, s.kernel}, {s.m}},
                          threads);
}

std::unique_ptr<Runner> MakeOursGemm(const GemmShape& s, int threads) {
  return OursRunner::Make(&kernels::optimized::CreateGemmKernel, Attributes(),
                          {{s.m, s.k}, {s.k, s.n}}, threads);
}

// An int8 (hb_dnn.bpu) optimized kernel prepared on constant int8 weights and int32 bias.
class OursS8Runner : public Runner {
 public:
  // `inputs`: input 0 is the run-time int8 tensor, input 1 the int8 weights, an optional
  // input 2 the int32 bias.
  static std::unique_ptr<Runner> Make(kernels::KernelFactory factory,
                                      const Attributes& attributes,
                                      const std::vector<Shape>& inputs, int threads) {
    auto runner = std::unique_ptr<OursS8Runner>(new OursS8Runner(threads));
    const KernelCreateArgs args{attributes, 1, static_cast<int>(inputs.size()), 1};
    auto kernel = factory(args);
    if (!kernel.ok()) return nullptr;
    runner->kernel_ = std::move(*kernel);
    std::vector<TensorInfo> infos;
    for (size_t i = 0; i < inputs.size(); ++i) {
      const DType dtype = i == 2 ? DType::kI32 : DType::kI8;
      const size_t bytes = static_cast<size_t>(kernels::NumElements(inputs[i])) *
                           kernels::DTypeSize(dtype);
      runner->data_.emplace_back(bytes);
      for (size_t b = 0; b < bytes; ++b) runner->data_[i][b] = static_cast<uint8_t>(b % 7);
      infos.push_back({dtype, inputs[i], i == 0 ? nullptr : runner->data_[i].data()});
      runner->inputs_.push_back({runner->data_[i].data(), dtype, inputs[i]});
    }
    std::vector<TensorInfo> outputs;
    if (!runner->kernel_->Prepare(infos, &outputs).ok()) return nullptr;
    runner->output_.resize(static_cast<size_t>(kernels::NumElements(outputs[0].shape)) *
                           kernels::DTypeSize(outputs[0].dtype));
    runner->outputs_.push_back({runner->output_.data(), outputs[0].dtype, outputs[0].shape});
    return runner;
  }

  void Run() override { (void)kernel_->Run(inputs_, outputs_); }

 private:
  explicit OursS8Runner(int threads) : limit_(threads) {}

  ScopedParallelismLimit limit_;
  std::unique_ptr<OpKernel> kernel_;
  std::vector<std::vector<uint8_t>> data_;
  std::vector<ConstTensorView> inputs_;
  std::vector<uint8_t> output_;
  std::vector<TensorView> outputs_;
};

// Per-channel weight scales and an output scale that keeps outputs in range, as a converted
// model has them.
void SetS8Scales(int64_t channels, Attributes* attributes) {
  std::vector<float> w_scale(static_cast<size_t>(channels));
  for (size_t i = 0; i < w_scale.size(); ++i) w_scale[i] = 1e-3f * static_cast<float>(1 + i % 5);
  attributes->SetFloat("x_scale", 0.05f);
  attributes->SetFloats("w_scale", w_scale);
  attributes->SetFloat("y_scale", 0.5f);
}

std::unique_ptr<Runner> MakeOursConvS8(const ConvShape& s, int threads) {
  Attributes attributes;
  attributes.SetInts("kernel_shape", {s.kernel, s.kernel});
  attributes.SetInts("strides", {s.stride, s.stride});
  attributes.SetInts("pads", {s.pad, s.pad, s.pad, s.pad});
  attributes.SetInt("group", s.group);
  SetS8Scales(s.m, &attributes);
  return OursS8Runner::Make(&kernels::int8::CreateInt8ConvOptimized, attributes,
                            {{s.n, s.c, s.h, s.w}, {s.m, s.c / s.group, s.kernel, s.kernel}, {s.m}},
                            threads);
}

std::unique_ptr<Runner> MakeOursGemmS8(const GemmShape& s, int threads) {
  Attributes attributes;
  SetS8Scales(s.n, &attributes);
  return OursS8Runner::Make(&kernels::int8::CreateInt8GemmOptimized, attributes,
                            {{s.m, s.k}, {s.k, s.n}, {s.n}}, threads);
}

void RunBenchmark(benchmark::State& state, const std::shared_ptr<Runner>& runner, double flops,
                  const char* counter) {
  for (auto _ : state) runner->Run();
  state.counters[counter] =
      benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

template <typename ShapeT>
using Factory = std::unique_ptr<Runner> (*)(const ShapeT&, int);

// Registers <op>/<shape>/<impl>/threads:<n> for each implementation that accepts the shape.
// Runners are created lazily, on the benchmark's first run, so filtered-out ones cost nothing.
// `counter`: GFLOPS (fp32) or GOPS (int8).
template <typename ShapeT>
void Register(const char* op, const ShapeT& shape,
              const std::vector<std::pair<const char*, Factory<ShapeT>>>& impls,
              const char* counter = "GFLOPS") {
  for (int threads : {1, 2}) {
    for (const auto& [impl, factory] : impls) {
      const std::string name = absl::StrCat(op, "/", shape.name, "/", impl, "/threads:", threads);
      benchmark::RegisterBenchmark(
          name.c_str(),
          [shape, factory = factory, threads, counter](benchmark::State& state) {
            std::shared_ptr<Runner> runner = factory(shape, threads);
            if (runner == nullptr) {
              state.SkipWithError("not supported by this implementation or not built in");
              for (auto _ : state) {
              }
              return;
            }
            runner->Run();  // warm-up: first-touch of buffers, lazy initialization
            RunBenchmark(state, runner, shape.flops(), counter);
          })
          ->UseRealTime()
          ->Unit(benchmark::kMicrosecond);
    }
  }
}

void RegisterAll() {
  for (const ConvShape& shape : ConvShapes()) {
    Register<ConvShape>("conv", shape,
                        {{"ours", &MakeOursConv},
                         {"onednn", &MakeOneDnnConv},
                         {"xnnpack", &MakeXnnpackConv}});
  }
  for (const GemmShape& shape : GemmShapes()) {
    Register<GemmShape>("gemm", shape,
                        {{"ours", &MakeOursGemm},
                         {"onednn", &MakeOneDnnGemm},
                         {"xnnpack", &MakeXnnpackGemm}});
  }
  for (const ConvShape& shape : ConvShapes()) {
    Register<ConvShape>("conv_s8", shape,
                        {{"ours", &MakeOursConvS8},
                         {"onednn_u8s8", &MakeOneDnnConvU8S8},
                         {"xnnpack_qs8", &MakeXnnpackConvQs8},
                         {"xnnpack_qc8", &MakeXnnpackConvQc8}},
                        "GOPS");
  }
  for (const GemmShape& shape : GemmShapes()) {
    Register<GemmShape>("gemm_s8", shape,
                        {{"ours", &MakeOursGemmS8},
                         {"onednn_u8s8", &MakeOneDnnGemmU8S8},
                         {"xnnpack_qs8", &MakeXnnpackGemmQs8}},
                        "GOPS");
  }
}

}  // namespace
}  // namespace hb_dnn::bench

int main(int argc, char** argv) {
  hb_dnn::bench::RegisterAll();
  benchmark::Initialize(&argc, argv);
  benchmark::AddCustomContext("hb_dnn_isa", hb_dnn::IsaLevelName(hb_dnn::ActiveIsaLevel()));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
