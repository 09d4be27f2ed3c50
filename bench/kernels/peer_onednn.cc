// oneDNN (Debian libdnnl-dev, OpenMP runtime) as a peer: convolution and matmul primitives for
// inference with every layout left to oneDNN (format_tag::any), i.e. its best case: the blocked
// activation layouts it picks, with weights reordered once up front and no reorders timed.

#include "bench/kernels/bench_shapes.h"

#if HB_DNN_BENCH_WITH_ONEDNN

#include <omp.h>

#include <cstdint>
#include <vector>

#include "oneapi/dnnl/dnnl.hpp"

namespace hb_dnn::bench {
namespace {

using dnnl::memory;
using Tag = memory::format_tag;
using DataType = memory::data_type;

// A primitive with its memories in the layouts it asked for.
class OneDnnRunner : public Runner {
 public:
  OneDnnRunner(dnnl::engine engine, dnnl::primitive primitive,
               std::unordered_map<int, memory> args, int threads)
      : engine_(engine), stream_(engine), primitive_(primitive), args_(std::move(args)),
        threads_(threads) {}

  void Run() override {
    omp_set_num_threads(threads_);
    primitive_.execute(stream_, args_);
    stream_.wait();
  }

 private:
  dnnl::engine engine_;
  dnnl::stream stream_;
  dnnl::primitive primitive_;
  std::unordered_map<int, memory> args_;
  int threads_;
};

// A memory of `desc` filled with small values.
memory Filled(const memory::desc& desc, const dnnl::engine& engine) {
  memory m(desc, engine);
  float* data = static_cast<float*>(m.get_data_handle());
  const size_t count = desc.get_size() / sizeof(float);
  for (size_t i = 0; i < count; ++i) data[i] = static_cast<float>(i % 7) * 0.1f - 0.3f;
  return m;
}

}  // namespace

std::unique_ptr<Runner> MakeOneDnnConv(const ConvShape& s, int threads) {
  omp_set_num_threads(threads);
  dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  const memory::dims src = {s.n, s.c, s.h, s.w};
  const memory::dims dst = {s.n, s.m, s.out_h(), s.out_w()};
  const memory::dims weights =
      s.group == 1 ? memory::dims{s.m, s.c, s.kernel, s.kernel}
                   : memory::dims{s.group, s.m / s.group, s.c / s.group, s.kernel, s.kernel};
  const memory::dims bias = {s.m};
  const memory::desc src_md(src, DataType::f32, Tag::any);
  const memory::desc dst_md(dst, DataType::f32, Tag::any);
  const memory::desc weights_md(weights, DataType::f32, Tag::any);
  const memory::desc bias_md(bias, DataType::f32, Tag::x);
  try {
    dnnl::convolution_forward::desc desc(
        dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct, src_md,
        weights_md, bias_md, dst_md, {s.stride, s.stride}, {s.pad, s.pad}, {s.pad, s.pad});
    dnnl::convolution_forward::primitive_desc pd(desc, engine);
    std::unordered_map<int, memory> args = {
        {DNNL_ARG_SRC, Filled(pd.src_desc(), engine)},
        {DNNL_ARG_WEIGHTS, Filled(pd.weights_desc(), engine)},
        {DNNL_ARG_BIAS, Filled(pd.bias_desc(), engine)},
        {DNNL_ARG_DST, memory(pd.dst_desc(), engine)}};
    return std::make_unique<OneDnnRunner>(engine, dnnl::convolution_forward(pd), std::move(args),
                                          threads);
  } catch (const dnnl::error&) {
    return nullptr;
  }
}

std::unique_ptr<Runner> MakeOneDnnGemm(const GemmShape& s, int threads) {
  omp_set_num_threads(threads);
  dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  const memory::desc a_md({s.m, s.k}, DataType::f32, Tag::ab);
  const memory::desc b_md({s.k, s.n}, DataType::f32, Tag::any);
  const memory::desc c_md({s.m, s.n}, DataType::f32, Tag::ab);
  try {
    dnnl::matmul::desc desc(a_md, b_md, c_md);
    dnnl::matmul::primitive_desc pd(desc, engine);
    std::unordered_map<int, memory> args = {{DNNL_ARG_SRC, Filled(pd.src_desc(), engine)},
                                            {DNNL_ARG_WEIGHTS, Filled(pd.weights_desc(), engine)},
                                            {DNNL_ARG_DST, memory(pd.dst_desc(), engine)}};
    return std::make_unique<OneDnnRunner>(engine, dnnl::matmul(pd), std::move(args), threads);
  } catch (const dnnl::error&) {
    return nullptr;
  }
}

namespace {

// A memory of `desc` filled with small bytes (int8 and uint8 memories).
memory FilledBytes(const memory::desc& desc, const dnnl::engine& engine) {
  memory m(desc, engine);
  auto* data = static_cast<uint8_t*>(m.get_data_handle());
  const size_t count = desc.get_size();
  for (size_t i = 0; i < count; ++i) data[i] = static_cast<uint8_t>(i % 7);
  return m;
}

// A memory of `desc` (s32) filled with small values.
memory FilledInt32(const memory::desc& desc, const dnnl::engine& engine) {
  memory m(desc, engine);
  auto* data = static_cast<int32_t*>(m.get_data_handle());
  const size_t count = desc.get_size() / sizeof(int32_t);
  for (size_t i = 0; i < count; ++i) data[i] = static_cast<int32_t>(i % 7) - 3;
  return m;
}

}  // namespace

std::unique_ptr<Runner> MakeOneDnnConvU8S8(const ConvShape& s, int threads) {
  omp_set_num_threads(threads);
  dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  const memory::dims src = {s.n, s.c, s.h, s.w};
  const memory::dims dst = {s.n, s.m, s.out_h(), s.out_w()};
  const memory::dims weights =
      s.group == 1 ? memory::dims{s.m, s.c, s.kernel, s.kernel}
                   : memory::dims{s.group, s.m / s.group, s.c / s.group, s.kernel, s.kernel};
  const memory::desc src_md(src, DataType::u8, Tag::any);
  const memory::desc dst_md(dst, DataType::s8, Tag::any);
  const memory::desc weights_md(weights, DataType::s8, Tag::any);
  const memory::desc bias_md({s.m}, DataType::s32, Tag::x);
  try {
    dnnl::convolution_forward::desc desc(
        dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct, src_md,
        weights_md, bias_md, dst_md, {s.stride, s.stride}, {s.pad, s.pad}, {s.pad, s.pad});
    // Per-output-channel requantization scales, as the BPU's int8 Conv has.
    dnnl::primitive_attr attr;
    std::vector<float> scales(static_cast<size_t>(s.m));
    for (size_t i = 0; i < scales.size(); ++i) scales[i] = 1e-3f * static_cast<float>(1 + i % 5);
    attr.set_output_scales(1 << 1, scales);
    dnnl::convolution_forward::primitive_desc pd(desc, attr, engine);
    std::unordered_map<int, memory> args = {
        {DNNL_ARG_SRC, FilledBytes(pd.src_desc(), engine)},
        {DNNL_ARG_WEIGHTS, FilledBytes(pd.weights_desc(), engine)},
        {DNNL_ARG_BIAS, FilledInt32(pd.bias_desc(), engine)},
        {DNNL_ARG_DST, memory(pd.dst_desc(), engine)}};
    return std::make_unique<OneDnnRunner>(engine, dnnl::convolution_forward(pd), std::move(args),
                                          threads);
  } catch (const dnnl::error&) {
    return nullptr;
  }
}

std::unique_ptr<Runner> MakeOneDnnGemmU8S8(const GemmShape& s, int threads) {
  omp_set_num_threads(threads);
  dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  const memory::desc a_md({s.m, s.k}, DataType::u8, Tag::ab);
  const memory::desc b_md({s.k, s.n}, DataType::s8, Tag::any);
  const memory::desc c_md({s.m, s.n}, DataType::s8, Tag::ab);
  try {
    dnnl::matmul::desc desc(a_md, b_md, c_md);
    dnnl::primitive_attr attr;
    std::vector<float> scales(static_cast<size_t>(s.n));
    for (size_t i = 0; i < scales.size(); ++i) scales[i] = 1e-3f * static_cast<float>(1 + i % 5);
    attr.set_output_scales(1 << 1, scales);
    dnnl::matmul::primitive_desc pd(desc, attr, engine);
    std::unordered_map<int, memory> args = {
        {DNNL_ARG_SRC, FilledBytes(pd.src_desc(), engine)},
        {DNNL_ARG_WEIGHTS, FilledBytes(pd.weights_desc(), engine)},
        {DNNL_ARG_DST, memory(pd.dst_desc(), engine)}};
    return std::make_unique<OneDnnRunner>(engine, dnnl::matmul(pd), std::move(args), threads);
  } catch (const dnnl::error&) {
    return nullptr;
  }
}

}  // namespace hb_dnn::bench

#else

namespace hb_dnn::bench {

std::unique_ptr<Runner> MakeOneDnnConv(const ConvShape&, int) { return nullptr; }
std::unique_ptr<Runner> MakeOneDnnGemm(const GemmShape&, int) { return nullptr; }
std::unique_ptr<Runner> MakeOneDnnConvU8S8(const ConvShape&, int) { return nullptr; }
std::unique_ptr<Runner> MakeOneDnnGemmU8S8(const GemmShape&, int) { return nullptr; }

}  // namespace hb_dnn::bench

#endif
