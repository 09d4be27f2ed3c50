// XNNPACK (Debian libxnnpack-dev, 2022-02 snapshot) as a peer: its NHWC convolution and
// fully-connected operators (XNNPACK has no NCHW path for general convolutions), weights packed
// at creation, run on a pthreadpool of the requested size.

#include "bench/kernels/bench_shapes.h"

#if HB_DNN_BENCH_WITH_XNNPACK

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "pthreadpool.h"
#include "xnnpack.h"

namespace hb_dnn::bench {
namespace {

class XnnpackRunner : public Runner {
 public:
  XnnpackRunner(xnn_operator_t op, pthreadpool_t pool, std::vector<float> input,
                std::vector<float> output)
      : op_(op), pool_(pool), input_(std::move(input)), output_(std::move(output)) {}
  ~XnnpackRunner() override {
    xnn_delete_operator(op_);
    if (pool_ != nullptr) pthreadpool_destroy(pool_);
  }

  std::vector<float>& input() { return input_; }
  std::vector<float>& output() { return output_; }
  pthreadpool_t pool() const { return pool_; }
  xnn_operator_t op() const { return op_; }

  void Run() override { xnn_run_operator(op_, pool_); }

 private:
  xnn_operator_t op_;
  pthreadpool_t pool_;
  std::vector<float> input_;
  std::vector<float> output_;
};

bool Initialize() {
  static const bool ok = xnn_initialize(nullptr) == xnn_status_success;
  return ok;
}

std::vector<float> Values(size_t n) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<float>(i % 7) * 0.1f - 0.3f;
  return v;
}

constexpr float kInf = std::numeric_limits<float>::infinity();

}  // namespace

std::unique_ptr<Runner> MakeXnnpackConv(const ConvShape& s, int threads) {
  if (!Initialize()) return nullptr;
  const std::vector<float> weights = Values(s.m * (s.c / s.group) * s.kernel * s.kernel);
  const std::vector<float> bias = Values(s.m);
  xnn_operator_t op = nullptr;
  if (xnn_create_convolution2d_nhwc_f32(
          s.pad, s.pad, s.pad, s.pad, s.kernel, s.kernel, s.stride, s.stride, 1, 1, s.group,
          s.c / s.group, s.m / s.group, s.c, s.m, weights.data(), bias.data(), -kInf, kInf, 0,
          &op) != xnn_status_success) {
    return nullptr;
  }
  pthreadpool_t pool = threads > 1 ? pthreadpool_create(threads) : nullptr;
  auto runner = std::make_unique<XnnpackRunner>(op, pool, Values(s.n * s.h * s.w * s.c),
                                                std::vector<float>(s.n * s.out_h() * s.out_w() * s.m));
  if (xnn_setup_convolution2d_nhwc_f32(op, s.n, s.h, s.w, runner->input().data(),
                                       runner->output().data(), pool) != xnn_status_success) {
    return nullptr;
  }
  return runner;
}

std::unique_ptr<Runner> MakeXnnpackGemm(const GemmShape& s, int threads) {
  if (!Initialize()) return nullptr;
  const std::vector<float> weights = Values(s.n * s.k);  // [N, K]
  xnn_operator_t op = nullptr;
  if (xnn_create_fully_connected_nc_f32(s.k, s.n, s.k, s.n, weights.data(), nullptr, -kInf, kInf,
                                        0, &op) != xnn_status_success) {
    return nullptr;
  }
  pthreadpool_t pool = threads > 1 ? pthreadpool_create(threads) : nullptr;
  auto runner = std::make_unique<XnnpackRunner>(op, pool, Values(s.m * s.k),
                                                std::vector<float>(s.m * s.n));
  if (xnn_setup_fully_connected_nc_f32(op, s.m, runner->input().data(), runner->output().data(),
                                       pool) != xnn_status_success) {
    return nullptr;
  }
  return runner;
}

namespace {

// An int8 (qs8 / qc8) operator with its NHWC int8 input and output.
class XnnpackS8Runner : public Runner {
 public:
  XnnpackS8Runner(xnn_operator_t op, pthreadpool_t pool, size_t input_size, size_t output_size)
      : op_(op), pool_(pool), input_(input_size + XNN_EXTRA_BYTES), output_(output_size) {
    for (size_t i = 0; i < input_.size(); ++i) input_[i] = static_cast<int8_t>(i % 7 - 3);
  }
  ~XnnpackS8Runner() override {
    xnn_delete_operator(op_);
    if (pool_ != nullptr) pthreadpool_destroy(pool_);
  }

  int8_t* input() { return input_.data(); }
  int8_t* output() { return output_.data(); }
  pthreadpool_t pool() const { return pool_; }

  void Run() override { xnn_run_operator(op_, pool_); }

 private:
  xnn_operator_t op_;
  pthreadpool_t pool_;
  std::vector<int8_t> input_;
  std::vector<int8_t> output_;
};

std::vector<int8_t> Int8Values(size_t n) {
  std::vector<int8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<int8_t>(i % 7 - 3);
  return v;
}

std::vector<int32_t> Int32Values(size_t n) {
  std::vector<int32_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<int32_t>(i % 7) - 3;
  return v;
}

constexpr float kInputScale = 0.05f;
constexpr float kKernelScale = 0.01f;
constexpr float kOutputScale = 0.5f;

// `per_channel`: qc8 (a weight scale per output channel), else qs8.
std::unique_ptr<Runner> MakeXnnpackConvS8(const ConvShape& s, int threads, bool per_channel) {
  if (!Initialize()) return nullptr;
  const std::vector<int8_t> weights = Int8Values(s.m * (s.c / s.group) * s.kernel * s.kernel);
  const std::vector<int32_t> bias = Int32Values(s.m);
  xnn_operator_t op = nullptr;
  xnn_status status;
  if (per_channel) {
    std::vector<float> scales(static_cast<size_t>(s.m));
    for (size_t i = 0; i < scales.size(); ++i) scales[i] = kKernelScale * (1 + i % 5) * 0.5f;
    status = xnn_create_convolution2d_nhwc_qc8(
        s.pad, s.pad, s.pad, s.pad, s.kernel, s.kernel, s.stride, s.stride, 1, 1, s.group,
        s.c / s.group, s.m / s.group, s.c, s.m, 0, kInputScale, scales.data(), weights.data(),
        bias.data(), 0, kOutputScale, -128, 127, 0, &op);
  } else {
    status = xnn_create_convolution2d_nhwc_qs8(
        s.pad, s.pad, s.pad, s.pad, s.kernel, s.kernel, s.stride, s.stride, 1, 1, s.group,
        s.c / s.group, s.m / s.group, s.c, s.m, 0, kInputScale, kKernelScale, weights.data(),
        bias.data(), 0, kOutputScale, -128, 127, 0, &op);
  }
  if (status != xnn_status_success) return nullptr;
  pthreadpool_t pool = threads > 1 ? pthreadpool_create(threads) : nullptr;
  auto runner = std::make_unique<XnnpackS8Runner>(op, pool, s.n * s.h * s.w * s.c,
                                                  s.n * s.out_h() * s.out_w() * s.m);
  status = per_channel ? xnn_setup_convolution2d_nhwc_qc8(op, s.n, s.h, s.w, runner->input(),
                                                          runner->output(), pool)
                       : xnn_setup_convolution2d_nhwc_qs8(op, s.n, s.h, s.w, runner->input(),
                                                          runner->output(), pool);
  if (status != xnn_status_success) return nullptr;
  return runner;
}

}  // namespace

std::unique_ptr<Runner> MakeXnnpackConvQs8(const ConvShape& s, int threads) {
  return MakeXnnpackConvS8(s, threads, /*per_channel=*/false);
}

std::unique_ptr<Runner> MakeXnnpackConvQc8(const ConvShape& s, int threads) {
  return MakeXnnpackConvS8(s, threads, /*per_channel=*/true);
}

std::unique_ptr<Runner> MakeXnnpackGemmQs8(const GemmShape& s, int threads) {
  if (!Initialize()) return nullptr;
  const std::vector<int8_t> weights = Int8Values(s.n * s.k);  // [N, K]
  const std::vector<int32_t> bias = Int32Values(s.n);
  xnn_operator_t op = nullptr;
  if (xnn_create_fully_connected_nc_qs8(s.k, s.n, s.k, s.n, 0, kInputScale, kKernelScale,
                                        weights.data(), bias.data(), 0, kOutputScale, -128, 127,
                                        0, &op) != xnn_status_success) {
    return nullptr;
  }
  pthreadpool_t pool = threads > 1 ? pthreadpool_create(threads) : nullptr;
  auto runner = std::make_unique<XnnpackS8Runner>(op, pool, s.m * s.k, s.m * s.n);
  if (xnn_setup_fully_connected_nc_qs8(op, s.m, runner->input(), runner->output(), pool) !=
      xnn_status_success) {
    return nullptr;
  }
  return runner;
}

}  // namespace hb_dnn::bench

#else

namespace hb_dnn::bench {

std::unique_ptr<Runner> MakeXnnpackConv(const ConvShape&, int) { return nullptr; }
std::unique_ptr<Runner> MakeXnnpackGemm(const GemmShape&, int) { return nullptr; }
std::unique_ptr<Runner> MakeXnnpackConvQs8(const ConvShape&, int) { return nullptr; }
std::unique_ptr<Runner> MakeXnnpackConvQc8(const ConvShape&, int) { return nullptr; }
std::unique_ptr<Runner> MakeXnnpackGemmQs8(const GemmShape&, int) { return nullptr; }

}  // namespace hb_dnn::bench

#endif
