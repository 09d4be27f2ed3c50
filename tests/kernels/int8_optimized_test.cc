// The optimized int8 kernels of domain hb_dnn.bpu (Conv, Gemm, MatMul) against the int8
// reference kernels: byte-identical outputs (memcmp) for every microkernel variant this CPU runs
// (scalar, AVX2, AVX-512 VNNI), with the default thread count and with one thread, on shapes
// whose channel, position and depth counts are not multiples of any vector width, and on every
// path (pointwise, im2col, transposed GEMM, groups, depthwise, reference fallback).

#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "src/base/cpu_features.h"
#include "src/base/parallel_for.h"
#include "src/base/status_macros.h"
#include "src/kernels/int8/optimized/int8_optimized_kernels.h"
#include "src/kernels/int8/reference/int8_kernels.h"
#include "src/kernels/int8/requantize.h"
#include "src/kernels/op_registry.h"
#include "src/kernels/ukernels/s8_gemm.h"

namespace hb_dnn::kernels::int8 {
namespace {

struct HostTensor {
  DType dtype = DType::kUndefined;
  Shape shape;
  std::vector<uint8_t> bytes;
  bool constant = false;
};

HostTensor RandomInt8(Shape shape, uint32_t seed, bool constant, int lo = -128, int hi = 127) {
  HostTensor t;
  t.dtype = DType::kI8;
  t.bytes.resize(static_cast<size_t>(NumElements(shape)));
  t.shape = std::move(shape);
  t.constant = constant;
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> dist(lo, hi);
  for (uint8_t& b : t.bytes) b = static_cast<uint8_t>(static_cast<int8_t>(dist(rng)));
  return t;
}

HostTensor RandomInt32(Shape shape, uint32_t seed, int lo, int hi) {
  HostTensor t;
  t.dtype = DType::kI32;
  const int64_t n = NumElements(shape);
  t.bytes.resize(static_cast<size_t>(n) * 4);
  t.shape = std::move(shape);
  t.constant = true;
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> dist(lo, hi);
  for (int64_t i = 0; i < n; ++i) {
    const int32_t v = dist(rng);
    std::memcpy(t.bytes.data() + i * 4, &v, 4);
  }
  return t;
}

// Prepares `kernel` with `inputs` and runs it once; the output starts as a canary pattern so
// that unwritten elements show.
absl::StatusOr<HostTensor> PrepareAndRun(OpKernel* kernel, const std::vector<HostTensor>& inputs) {
  std::vector<TensorInfo> infos;
  std::vector<ConstTensorView> views;
  for (const HostTensor& t : inputs) {
    infos.push_back({t.dtype, t.shape, t.constant ? t.bytes.data() : nullptr});
    views.push_back({t.bytes.data(), t.dtype, t.shape});
  }
  std::vector<TensorInfo> out_infos;
  HB_RETURN_IF_ERROR(kernel->Prepare(infos, &out_infos));
  HostTensor out;
  out.dtype = out_infos[0].dtype;
  out.shape = out_infos[0].shape;
  out.bytes.assign(static_cast<size_t>(out_infos[0].num_elements()) * DTypeSize(out.dtype),
                   0xa5);
  HB_RETURN_IF_ERROR(kernel->Run(views, {TensorView{out.bytes.data(), out.dtype, out.shape}}));
  return out;
}

::testing::AssertionResult SameBytes(const HostTensor& expected, const HostTensor& actual) {
  if (expected.dtype != actual.dtype || expected.shape != actual.shape) {
    return ::testing::AssertionFailure()
           << "output " << DTypeName(actual.dtype) << " " << ShapeString(actual.shape)
           << ", expected " << DTypeName(expected.dtype) << " " << ShapeString(expected.shape);
  }
  if (std::memcmp(expected.bytes.data(), actual.bytes.data(), expected.bytes.size()) == 0) {
    return ::testing::AssertionSuccess();
  }
  const size_t size = DTypeSize(expected.dtype);
  const size_t count = expected.bytes.size() / size;
  int64_t mismatches = 0;
  int64_t first = -1;
  for (size_t i = 0; i < count; ++i) {
    if (std::memcmp(expected.bytes.data() + i * size, actual.bytes.data() + i * size, size) != 0) {
      if (first < 0) first = static_cast<int64_t>(i);
      ++mismatches;
    }
  }
  auto value = [&](const HostTensor& t, int64_t i) -> int64_t {
    if (size == 4) {
      int32_t v;
      std::memcpy(&v, t.bytes.data() + i * 4, 4);
      return v;
    }
    return static_cast<int8_t>(t.bytes[i]);
  };
  return ::testing::AssertionFailure() << mismatches << " of " << count
                                       << " elements differ; first at " << first << ": "
                                       << value(actual, first) << " vs expected "
                                       << value(expected, first);
}

// One level per distinct int8 microkernel variant this CPU runs (levels without a variant of
// their own reuse a lower one).
std::vector<IsaLevel> Int8Levels() {
  std::vector<IsaLevel> levels;
  std::set<std::string> seen;
  for (IsaLevel level : kAllIsaLevels) {
    if (static_cast<int>(level) > static_cast<int>(HardwareIsaLevel())) break;
    if (seen.insert(ukernels::GetS8GemmConfig(level).name).second) levels.push_back(level);
  }
  return levels;
}

// The quantization attributes shared by Conv, Gemm and MatMul.
struct Quant {
  bool per_channel = true;
  int output_type = 8;
  std::optional<float> activation_min;
  std::optional<float> activation_max;
  // Output scale relative to the typical accumulator: < 1 saturates most outputs.
  double y_spread = 1.0;
  // Multiplier exactly 0.5 (x_scale 0.5, w_scale 1, y_scale 1): every odd accumulator is a tie.
  bool ties = false;
  // Activations and weights drawn from [lo, hi] (the full range by default).
  int lo = -128;
  int hi = 127;
  // A fused function (lut_function), on a 12-bit input grid `lut_spread` times the typical
  // accumulator's range (< 1 saturates the grid), with HardSigmoid's alpha/beta and an
  // affine map after it for every function.
  std::string function;
  double lut_spread = 1.0;
};

void SetQuantAttributes(const Quant& q, int64_t channels, int64_t depth, Attributes* a) {
  if (q.output_type != 8) a->SetInt("output_type", q.output_type);
  if (q.ties) {
    a->SetFloat("x_scale", 0.5f);
    a->SetFloats("w_scale", {1.0f});
    a->SetFloat("y_scale", 1.0f);
    return;
  }
  const float x_scale = 0.02f;
  std::vector<float> w_scale;
  if (q.per_channel) {
    std::mt19937 rng(static_cast<uint32_t>(channels * 31 + depth));
    std::uniform_real_distribution<float> dist(0.002f, 0.02f);
    for (int64_t c = 0; c < channels; ++c) w_scale.push_back(dist(rng));
  } else {
    w_scale.push_back(0.01f);
  }
  a->SetFloats("w_scale", w_scale);
  a->SetFloat("x_scale", x_scale);
  // A typical |accumulator| of random full-range data is about 64 * 64 * sqrt(depth).
  const double typical = 4096.0 * std::sqrt(static_cast<double>(depth)) * x_scale * 0.01;
  a->SetFloat("y_scale", static_cast<float>(typical / 50.0 * q.y_spread));
  if (!q.function.empty()) {
    a->SetString("lut_function", q.function);
    a->SetFloat("lut_x_scale", static_cast<float>(typical * 4.0 / 2047.0 * q.lut_spread));
    a->SetFloat("lut_alpha", 0.25f);
    a->SetFloat("lut_beta", 0.4f);
    a->SetFloat("lut_post_mul", -1.5f);
    a->SetFloat("lut_post_add", 0.3f);
  }
  if (q.activation_min.has_value()) a->SetFloat("activation_min", *q.activation_min);
  if (q.activation_max.has_value()) a->SetFloat("activation_max", *q.activation_max);
}

// ---------------------------------------------------------------------------------------------
// Conv.

struct ConvCase {
  std::string name;
  Shape x;
  int64_t m = 1;
  std::vector<int64_t> kernel;
  std::vector<int64_t> strides = {1, 1};
  std::vector<int64_t> dilations = {1, 1};
  std::vector<int64_t> pads = {0, 0, 0, 0};
  int64_t group = 1;
  bool bias = true;
  bool constant_weights = true;
  Quant quant;
};

struct Conv : ConvCase {
  Conv(std::string n, Shape x_shape, int64_t out_channels, std::vector<int64_t> k) {
    name = std::move(n);
    x = std::move(x_shape);
    m = out_channels;
    kernel = std::move(k);
  }
  Conv& Strides(std::vector<int64_t> v) { strides = std::move(v); return *this; }
  Conv& Dilations(std::vector<int64_t> v) { dilations = std::move(v); return *this; }
  Conv& Pads(std::vector<int64_t> v) { pads = std::move(v); return *this; }
  Conv& Group(int64_t v) { group = v; return *this; }
  Conv& NoBias() { bias = false; return *this; }
  Conv& RuntimeWeights() { constant_weights = false; return *this; }
  Conv& PerTensor() { quant.per_channel = false; return *this; }
  Conv& Int32() { quant.output_type = 32; return *this; }
  Conv& Relu6(float y_max) { return Bounds(0.0f, y_max); }
  Conv& Bounds(float lo, float hi) {
    quant.activation_min = lo;
    quant.activation_max = hi;
    return *this;
  }
  Conv& Saturating() { quant.y_spread = 0.05; return *this; }
  Conv& Ties() { quant.ties = true; quant.lo = -3; quant.hi = 3; return *this; }
  Conv& Function(std::string f, double spread = 1.0) {
    quant.function = std::move(f);
    quant.lut_spread = spread;
    return *this;
  }
};

std::vector<ConvCase> ConvCases() {
  return {
      // Pointwise: the input is the GEMM's activation matrix.
      Conv("pw_odd", {1, 13, 9, 11}, 19, {1, 1}),
      Conv("pw_many_channels", {1, 37, 5, 7}, 70, {1, 1}),
      Conv("pw_tiny", {1, 1, 1, 1}, 1, {1, 1}),
      Conv("pw_transposed_7x7", {1, 64, 7, 7}, 160, {1, 1}),
      Conv("pw_deep", {1, 301, 6, 5}, 23, {1, 1}).PerTensor(),
      Conv("pw_wide", {1, 5, 3, 77}, 33, {1, 1}),
      Conv("pw_stride2", {1, 24, 13, 13}, 17, {1, 1}).Strides({2, 2}),
      Conv("pw_padded", {1, 8, 6, 5}, 9, {1, 1}).Pads({1, 0, 0, 2}),
      Conv("pw_int32", {1, 22, 9, 9}, 35, {1, 1}).Int32(),
      Conv("pw_saturating", {1, 40, 8, 9}, 21, {1, 1}).Saturating(),
      Conv("pw_ties", {1, 6, 7, 9}, 10, {1, 1}).Ties(),
      // im2col GEMM.
      Conv("k3_p1", {1, 3, 17, 19}, 10, {3, 3}).Pads({1, 1, 1, 1}),
      Conv("k3_s2_first", {1, 3, 35, 33}, 16, {3, 3}).Strides({2, 2}).Pads({1, 1, 1, 1}),
      Conv("k3_c20", {1, 20, 12, 14}, 27, {3, 3}).Pads({1, 1, 1, 1}),
      Conv("k3_transposed", {1, 48, 5, 5}, 70, {3, 3}).Pads({1, 1, 1, 1}),
      Conv("k5_p2", {1, 6, 15, 13}, 11, {5, 5}).Pads({2, 2, 2, 2}),
      Conv("k7_s2_p3", {1, 3, 29, 30}, 12, {7, 7}).Strides({2, 2}).Pads({3, 3, 3, 3}),
      Conv("k3_dilated", {1, 5, 16, 17}, 7, {3, 3}).Dilations({2, 2}).Pads({2, 2, 2, 2}),
      Conv("dilation_stride_mix", {1, 4, 19, 15}, 9, {3, 2}).Dilations({2, 3}).Strides({2, 1}),
      Conv("asymmetric_pads", {1, 4, 11, 10}, 6, {3, 3}).Pads({0, 1, 2, 1}),
      Conv("big_pads", {1, 2, 4, 5}, 3, {3, 3}).Pads({3, 4, 2, 5}),
      Conv("kernel_1x5", {1, 3, 9, 16}, 5, {1, 5}).Pads({0, 2, 0, 2}),
      Conv("k3_no_bias", {1, 8, 9, 9}, 8, {3, 3}).NoBias(),
      Conv("k3_batch3", {3, 6, 8, 9}, 10, {3, 3}).Pads({1, 1, 1, 1}),
      Conv("k3_per_tensor", {1, 7, 10, 10}, 9, {3, 3}).PerTensor().Pads({1, 1, 1, 1}),
      Conv("k3_int32", {2, 5, 9, 8}, 13, {3, 3}).Int32().Pads({1, 1, 1, 1}),
      Conv("k3_relu6", {1, 9, 11, 12}, 17, {3, 3}).Relu6(6.0f).Pads({1, 1, 1, 1}),
      Conv("k3_bounds", {1, 9, 11, 12}, 17, {3, 3}).Bounds(-0.5f, 0.7f),
      Conv("k3_saturating", {1, 16, 8, 8}, 33, {3, 3}).Saturating().Pads({1, 1, 1, 1}),
      Conv("k3_ties", {1, 4, 9, 9}, 6, {3, 3}).Ties().Pads({1, 1, 1, 1}),
      Conv("k3_deep_k", {1, 130, 6, 7}, 20, {3, 3}).Pads({1, 1, 1, 1}),
      Conv("runtime_weights", {1, 5, 9, 8}, 7, {3, 3}).Pads({1, 1, 1, 1}).RuntimeWeights(),
      // Groups.
      Conv("group2", {1, 8, 10, 11}, 12, {3, 3}).Group(2).Pads({1, 1, 1, 1}),
      Conv("group3_pw", {1, 9, 7, 7}, 15, {1, 1}).Group(3),
      Conv("group4_batch2", {2, 16, 9, 7}, 8, {3, 3}).Group(4).Int32(),
      Conv("group_big", {1, 64, 12, 12}, 64, {3, 3}).Group(2).Pads({1, 1, 1, 1}),
      // Depthwise.
      Conv("dw3_s1", {1, 19, 13, 15}, 19, {3, 3}).Group(19).Pads({1, 1, 1, 1}),
      Conv("dw3_s2", {1, 10, 16, 17}, 10, {3, 3}).Group(10).Strides({2, 2}).Pads({1, 1, 1, 1}),
      Conv("dw3_wide_row", {1, 3, 4, 131}, 3, {3, 3}).Group(3).Pads({1, 1, 1, 1}),
      Conv("dw3_tiny", {1, 3, 1, 1}, 3, {3, 3}).Group(3).Pads({1, 1, 1, 1}),
      Conv("dw5_s2_batch2", {2, 6, 20, 21}, 6, {5, 5}).Group(6).Strides({2, 2}).Pads({2, 2, 2, 2}),
      Conv("dw7", {1, 4, 14, 14}, 4, {7, 7}).Group(4).Pads({3, 3, 3, 3}),
      Conv("dw9_as_gemm", {1, 3, 12, 11}, 3, {9, 9}).Group(3).Pads({4, 4, 4, 4}),
      Conv("dw3_s2_wide", {1, 4, 9, 141}, 4, {3, 3}).Group(4).Strides({2, 2}).Pads({1, 1, 1, 1}),
      Conv("dw3_s1_row70", {1, 3, 6, 70}, 3, {3, 3}).Group(3).Pads({1, 1, 1, 1}),
      Conv("dw_dilated", {1, 6, 18, 18}, 6, {3, 3}).Group(6).Dilations({2, 3}).Pads({2, 3, 2, 3}),
      Conv("dw_multiplier2", {1, 8, 11, 12}, 16, {3, 3}).Group(8).Pads({1, 1, 1, 1}),
      Conv("dw_stride3_asym", {1, 5, 23, 29}, 5, {3, 5}).Group(5).Strides({3, 3}).Pads(
          {0, 2, 1, 1}),
      Conv("dw_no_bias_no_pad", {1, 7, 9, 10}, 7, {3, 3}).Group(7).NoBias(),
      Conv("dw_single_channel", {1, 1, 12, 12}, 4, {3, 3}).Pads({1, 1, 1, 1}),
      Conv("dw_int32", {1, 12, 10, 9}, 12, {3, 3}).Group(12).Int32().Pads({1, 1, 1, 1}),
      Conv("dw_relu6", {1, 12, 10, 9}, 12, {3, 3}).Group(12).Relu6(6.0f).Pads({1, 1, 1, 1}),
      Conv("dw_saturating", {1, 12, 10, 9}, 12, {3, 3}).Group(12).Saturating(),
      Conv("dw_ties", {1, 5, 9, 33}, 5, {3, 3}).Group(5).Ties().Pads({1, 1, 1, 1}),
      Conv("dw_per_tensor", {1, 9, 8, 20}, 9, {3, 3}).Group(9).PerTensor().Strides({1, 2}),
      Conv("dw_runtime_weights", {1, 8, 10, 10}, 8, {3, 3}).Group(8).RuntimeWeights(),
      // Channel-blocked depthwise (16 channels per block): partial blocks, tiny planes, odd
      // sizes, pads, strides, dilations, multipliers, bands of rows.
      Conv("dwb_c37_s1", {1, 37, 9, 11}, 37, {3, 3}).Group(37).Pads({1, 1, 1, 1}),
      Conv("dwb_c33_s2_odd", {1, 33, 15, 17}, 33, {3, 3}).Group(33).Strides({2, 2}).Pads(
          {1, 1, 1, 1}),
      Conv("dwb_s2_even", {1, 18, 14, 14}, 18, {3, 3}).Group(18).Strides({2, 2}).Pads(
          {0, 0, 1, 1}),
      Conv("dwb_tiny_1x1", {2, 17, 1, 1}, 17, {3, 3}).Group(17).Pads({1, 1, 1, 1}),
      Conv("dwb_tiny_2x3", {1, 20, 2, 3}, 20, {3, 3}).Group(20).Pads({1, 1, 1, 1}),
      Conv("dwb_tiny_2x3_s2", {1, 21, 2, 3}, 21, {3, 3}).Group(21).Strides({2, 2}).Pads(
          {1, 1, 1, 1}),
      Conv("dwb_7x7_c40", {1, 40, 7, 7}, 40, {3, 3}).Group(40).Pads({1, 1, 1, 1}),
      Conv("dwb_asym_pads", {1, 23, 10, 13}, 23, {3, 3}).Group(23).Pads({0, 2, 1, 1}),
      Conv("dwb_big_pads", {1, 19, 4, 5}, 19, {3, 3}).Group(19).Pads({3, 4, 2, 5}),
      Conv("dwb_big_pads_s2", {1, 17, 5, 6}, 17, {3, 3}).Group(17).Strides({2, 2}).Pads(
          {4, 3, 5, 4}),
      Conv("dwb_multiplier2", {1, 9, 8, 13}, 18, {3, 3}).Group(9).Pads({1, 1, 1, 1}),
      Conv("dwb_multiplier3_s2", {1, 7, 11, 10}, 21, {3, 3}).Group(7).Strides({2, 2}).Pads(
          {1, 1, 1, 1}),
      Conv("dwb_dilation2", {1, 20, 13, 14}, 20, {3, 3}).Group(20).Dilations({2, 2}).Pads(
          {2, 2, 2, 2}),
      Conv("dwb_dilation2_s2", {1, 17, 16, 15}, 17, {3, 3}).Group(17).Dilations({2, 2}).Strides(
          {2, 2}).Pads({1, 2, 2, 1}),
      Conv("dwb_k2_even", {1, 18, 9, 10}, 18, {2, 2}).Group(18).Pads({0, 0, 1, 1}),
      Conv("dwb_k1_s2", {1, 19, 9, 8}, 19, {1, 1}).Group(19).Strides({2, 2}),
      Conv("dwb_k5_s1", {1, 20, 11, 12}, 20, {5, 5}).Group(20).Pads({2, 2, 2, 2}),
      Conv("dwb_k3x5_s1x2", {1, 17, 12, 19}, 17, {3, 5}).Group(17).Strides({1, 2}).Pads(
          {1, 2, 1, 2}),
      Conv("dwb_wide_odd", {1, 17, 5, 37}, 17, {3, 3}).Group(17).Pads({1, 1, 1, 1}),
      Conv("dwb_tall_bands", {1, 3, 40, 9}, 3, {3, 3}).Group(3).Pads({1, 1, 1, 1}),
      Conv("dwb_large_plane", {1, 16, 40, 301}, 16, {3, 3}).Group(16).Pads({1, 1, 1, 1}),
      Conv("dwb_large_plane_s2", {1, 17, 41, 301}, 17, {3, 3}).Group(17).Strides({2, 2}).Pads(
          {1, 1, 1, 1}),
      Conv("dwb_int32", {1, 19, 9, 10}, 19, {3, 3}).Group(19).Int32().Pads({1, 1, 1, 1}),
      Conv("dwb_int32_s2_mult2", {2, 9, 11, 9}, 18, {3, 3}).Group(9).Int32().Strides(
          {2, 2}).Pads({1, 0, 1, 1}),
      Conv("dwb_relu6_batch3", {3, 18, 6, 7}, 18, {3, 3}).Group(18).Relu6(6.0f).Pads(
          {1, 1, 1, 1}),
      Conv("dwb_saturating", {1, 33, 8, 9}, 33, {3, 3}).Group(33).Saturating(),
      Conv("dwb_ties", {1, 17, 9, 10}, 17, {3, 3}).Group(17).Ties().Pads({1, 1, 1, 1}),
      // A fused function in the output stage, on every path.
      Conv("fn_pw_silu", {1, 13, 9, 11}, 19, {1, 1}).Function("SiLU"),
      Conv("fn_pw_transposed_sigmoid", {1, 64, 7, 7}, 160, {1, 1}).Function("Sigmoid"),
      Conv("fn_k3_hardswish_batch2", {2, 6, 11, 9}, 10, {3, 3}).Function("HardSwish").Pads(
          {1, 1, 1, 1}),
      Conv("fn_k3_per_tensor_tanh", {1, 7, 10, 10}, 9, {3, 3}).PerTensor().Function("Tanh"),
      Conv("fn_k3_relu6_hardsigmoid", {1, 9, 11, 12}, 17, {3, 3}).Relu6(0.6f).Function(
          "HardSigmoid"),
      Conv("fn_group2_grid_saturating", {1, 8, 10, 11}, 12, {3, 3}).Group(2).Function(
          "SiLU", 0.01),
      Conv("fn_dw3_s2_hardswish", {1, 10, 16, 17}, 10, {3, 3}).Group(10).Strides({2, 2}).Pads(
          {1, 1, 1, 1}).Function("HardSwish"),
      Conv("fn_dwb_c37_silu", {1, 37, 9, 11}, 37, {3, 3}).Group(37).Pads({1, 1, 1, 1}).Function(
          "SiLU"),
      Conv("fn_runtime_weights_sigmoid", {1, 5, 9, 8}, 7, {3, 3}).RuntimeWeights().Function(
          "Sigmoid"),
  };
}

Attributes ConvAttributes(const ConvCase& c) {
  Attributes a;
  a.SetInts("kernel_shape", c.kernel);
  a.SetInts("strides", c.strides);
  a.SetInts("dilations", c.dilations);
  a.SetInts("pads", c.pads);
  if (c.group != 1) a.SetInt("group", c.group);
  SetQuantAttributes(c.quant, c.m, c.x[1] / c.group * c.kernel[0] * c.kernel[1], &a);
  return a;
}

std::vector<HostTensor> ConvInputs(const ConvCase& c) {
  const Shape w = {c.m, c.x[1] / c.group, c.kernel[0], c.kernel[1]};
  std::vector<HostTensor> inputs = {RandomInt8(c.x, 1, false, c.quant.lo, c.quant.hi),
                                    RandomInt8(w, 2, c.constant_weights, c.quant.lo, c.quant.hi)};
  if (c.bias) {
    const int range = c.quant.ties ? 9 : 20000;
    inputs.push_back(RandomInt32({c.m}, 3, -range, range));
  }
  return inputs;
}

template <typename Case>
struct Param {
  Case c;
  IsaLevel isa;
  int threads;  // 0: the default
};

template <typename Case>
void PrintTo(const Param<Case>& p, std::ostream* os) {
  *os << p.c.name << " " << IsaLevelName(p.isa) << " threads " << p.threads;
}

template <typename Case>
std::vector<Param<Case>> Params(const std::vector<Case>& cases) {
  std::vector<Param<Case>> params;
  for (const Case& c : cases) {
    for (IsaLevel isa : Int8Levels()) {
      params.push_back({c, isa, 0});
      params.push_back({c, isa, 1});
    }
  }
  return params;
}

template <typename Case>
std::string ParamName(const ::testing::TestParamInfo<Param<Case>>& info) {
  return info.param.c.name + "_" + IsaLevelName(info.param.isa) +
         (info.param.threads == 1 ? "_1thread" : "");
}

// Runs `reference` and `optimized` on `inputs` (the latter under the thread limit and twice,
// re-prepared in between) and expects identical bytes.
void ExpectSameAsReference(OpKernel* reference, OpKernel* optimized,
                           const std::vector<HostTensor>& inputs, int threads) {
  auto expected = PrepareAndRun(reference, inputs);
  ASSERT_TRUE(expected.ok()) << expected.status();
  std::unique_ptr<ScopedParallelismLimit> limit;
  if (threads > 0) limit = std::make_unique<ScopedParallelismLimit>(threads);
  auto actual = PrepareAndRun(optimized, inputs);
  ASSERT_TRUE(actual.ok()) << actual.status();
  EXPECT_TRUE(SameBytes(*expected, *actual));
  auto again = PrepareAndRun(optimized, inputs);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(SameBytes(*expected, *again));
}

class Int8ConvOptimizedTest : public ::testing::TestWithParam<Param<ConvCase>> {};

TEST_P(Int8ConvOptimizedTest, MatchesReferenceBytes) {
  const Param<ConvCase>& p = GetParam();
  const Attributes attributes = ConvAttributes(p.c);
  const KernelCreateArgs args{attributes, 1, p.c.bias ? 3 : 2, 1};
  auto reference = CreateInt8ConvReference(args);
  ASSERT_TRUE(reference.ok()) << reference.status();
  auto optimized = CreateInt8ConvOptimizedForIsa(args, p.isa);
  ASSERT_TRUE(optimized.ok()) << optimized.status();
  ExpectSameAsReference(reference->get(), optimized->get(), ConvInputs(p.c), p.threads);
}

INSTANTIATE_TEST_SUITE_P(Cases, Int8ConvOptimizedTest, ::testing::ValuesIn(Params(ConvCases())),
                         ParamName<ConvCase>);

// ---------------------------------------------------------------------------------------------
// Gemm and MatMul.

struct GemmCase {
  std::string name;
  bool matmul = false;
  Shape a;  // [M, K] (Gemm) or [..., M, K] (MatMul)
  int64_t n = 1;
  bool trans_b = false;
  bool bias = false;
  bool constant_b = true;
  Quant quant;
};

struct Gemm : GemmCase {
  Gemm(std::string case_name, Shape a_shape, int64_t cols) {
    name = std::move(case_name);
    a = std::move(a_shape);
    n = cols;
  }
  Gemm& MatMul() { matmul = true; return *this; }
  Gemm& TransB() { trans_b = true; return *this; }
  Gemm& Bias() { bias = true; return *this; }
  Gemm& RuntimeB() { constant_b = false; return *this; }
  Gemm& PerTensor() { quant.per_channel = false; return *this; }
  Gemm& Int32() { quant.output_type = 32; return *this; }
  Gemm& Bounds(float lo, float hi) {
    quant.activation_min = lo;
    quant.activation_max = hi;
    return *this;
  }
  Gemm& Saturating() { quant.y_spread = 0.05; return *this; }
  Gemm& Ties() { quant.ties = true; quant.lo = -3; quant.hi = 3; return *this; }
  Gemm& Function(std::string f) { quant.function = std::move(f); return *this; }
};

std::vector<GemmCase> GemmCases() {
  return {
      Gemm("fc_1x37x29", {1, 29}, 37).Bias(),
      Gemm("fc_1x1000x129", {1, 129}, 1000).Bias().TransB(),
      Gemm("gemm_tiny", {1, 1}, 1),
      Gemm("gemm_odd", {13, 35}, 19).Bias(),
      Gemm("gemm_odd_transb", {17, 3}, 45).Bias().TransB(),
      Gemm("gemm_fn_silu", {5, 33}, 21).Bias().Function("SiLU"),
      Gemm("gemm_k_not_4", {9, 7}, 33).Bias(),
      Gemm("gemm_larger", {70, 150}, 90).Bias().PerTensor(),
      Gemm("gemm_deep", {5, 1031}, 21).Bias(),
      Gemm("gemm_int32", {11, 26}, 17).Bias().Int32(),
      Gemm("gemm_int32_transb", {6, 33}, 40).TransB().Int32(),
      Gemm("gemm_bounds", {12, 40}, 31).Bias().Bounds(-0.3f, 0.4f),
      Gemm("gemm_saturating", {12, 40}, 31).Bias().Saturating(),
      Gemm("gemm_ties", {10, 9}, 23).Bias().Ties(),
      Gemm("gemm_runtime_b", {4, 10}, 6).RuntimeB(),
      Gemm("matmul_2d", {9, 21}, 14).MatMul(),
      Gemm("matmul_3d", {3, 7, 19}, 11).MatMul(),
      Gemm("matmul_4d", {2, 2, 5, 40}, 35).MatMul().PerTensor(),
      Gemm("matmul_int32", {2, 9, 13}, 18).MatMul().Int32(),
      Gemm("matmul_saturating", {4, 33}, 50).MatMul().Saturating(),
      Gemm("matmul_ties", {7, 6}, 20).MatMul().Ties(),
  };
}

Attributes GemmAttributes(const GemmCase& c) {
  Attributes a;
  if (c.trans_b) a.SetInt("transB", 1);
  SetQuantAttributes(c.quant, c.n, c.a.back(), &a);
  return a;
}

std::vector<HostTensor> GemmInputs(const GemmCase& c) {
  const int64_t k = c.a.back();
  const Shape b = c.trans_b ? Shape{c.n, k} : Shape{k, c.n};
  std::vector<HostTensor> inputs = {RandomInt8(c.a, 4, false, c.quant.lo, c.quant.hi),
                                    RandomInt8(b, 5, c.constant_b, c.quant.lo, c.quant.hi)};
  if (c.bias) {
    const int range = c.quant.ties ? 9 : 20000;
    inputs.push_back(RandomInt32({c.n}, 6, -range, range));
  }
  return inputs;
}

class Int8GemmOptimizedTest : public ::testing::TestWithParam<Param<GemmCase>> {};

TEST_P(Int8GemmOptimizedTest, MatchesReferenceBytes) {
  const Param<GemmCase>& p = GetParam();
  const Attributes attributes = GemmAttributes(p.c);
  const std::vector<HostTensor> inputs = GemmInputs(p.c);
  const KernelCreateArgs args{attributes, 1, static_cast<int>(inputs.size()), 1};
  auto reference =
      p.c.matmul ? CreateInt8MatMulReference(args) : CreateInt8GemmReference(args);
  ASSERT_TRUE(reference.ok()) << reference.status();
  auto optimized = p.c.matmul ? CreateInt8MatMulOptimizedForIsa(args, p.isa)
                              : CreateInt8GemmOptimizedForIsa(args, p.isa);
  ASSERT_TRUE(optimized.ok()) << optimized.status();
  ExpectSameAsReference(reference->get(), optimized->get(), inputs, p.threads);
}

INSTANTIATE_TEST_SUITE_P(Cases, Int8GemmOptimizedTest, ::testing::ValuesIn(Params(GemmCases())),
                         ParamName<GemmCase>);

// ---------------------------------------------------------------------------------------------
// Registry, errors, extreme values.

TEST(Int8OptimizedRegistry, OptimizedVariantsAreRegistered) {
  for (const char* op : {"Conv", "Gemm", "MatMul"}) {
    auto optimized = OpRegistry::Builtin().Find(kBpuDomain, op, 1, /*prefer_optimized=*/true);
    ASSERT_TRUE(optimized.ok()) << optimized.status();
    EXPECT_EQ((*optimized)->variant, KernelVariant::kOptimized) << op;
    auto reference = OpRegistry::Builtin().Find(kBpuDomain, op, 1, /*prefer_optimized=*/false);
    ASSERT_TRUE(reference.ok()) << reference.status();
    EXPECT_EQ((*reference)->variant, KernelVariant::kReference) << op;
  }
}

TEST(Int8OptimizedRegistry, RegisteredConvMatchesReference) {
  const ConvCase c = Conv("registry", {1, 16, 10, 10}, 24, {3, 3}).Pads({1, 1, 1, 1});
  const Attributes attributes = ConvAttributes(c);
  const KernelCreateArgs args{attributes, 1, 3, 1};
  auto reference = OpRegistry::Builtin().Create(kBpuDomain, "Conv", args, false);
  ASSERT_TRUE(reference.ok()) << reference.status();
  auto optimized = OpRegistry::Builtin().Create(kBpuDomain, "Conv", args, true);
  ASSERT_TRUE(optimized.ok()) << optimized.status();
  ExpectSameAsReference(reference->get(), optimized->get(), ConvInputs(c), 0);
}

TEST(Int8OptimizedErrors, PrepareErrorsAreTheReferences) {
  Attributes attributes;
  attributes.SetInts("kernel_shape", {3, 3});
  attributes.SetFloat("x_scale", 0.1f);
  attributes.SetFloats("w_scale", {0.1f});
  // y_scale missing.
  const KernelCreateArgs args{attributes, 1, 2, 1};
  const std::vector<HostTensor> inputs = {RandomInt8({1, 2, 5, 5}, 1, false),
                                          RandomInt8({3, 2, 3, 3}, 2, true)};
  auto reference = CreateInt8ConvReference(args);
  ASSERT_TRUE(reference.ok());
  auto optimized = CreateInt8ConvOptimized(args);
  ASSERT_TRUE(optimized.ok());
  const absl::Status expected = PrepareAndRun(reference->get(), inputs).status();
  const absl::Status actual = PrepareAndRun(optimized->get(), inputs).status();
  EXPECT_FALSE(actual.ok());
  EXPECT_EQ(actual, expected);
}

// All-extreme operands: accumulators of +-128 * 127 * K and -128 * -128 * K (the VNNI
// compensation's worst case), int32 and saturated int8 outputs.
TEST(Int8OptimizedExtremes, ExtremeOperandsMatchReference) {
  for (IsaLevel isa : Int8Levels()) {
    for (int output_type : {8, 32}) {
      for (int x_value : {-128, 127}) {
        for (int w_value : {-128, 127}) {
          SCOPED_TRACE(std::string(IsaLevelName(isa)) + " out " + std::to_string(output_type) +
                       " x " + std::to_string(x_value) + " w " + std::to_string(w_value));
          ConvCase c = Conv("extreme", {1, 300, 5, 6}, 37, {3, 3}).Pads({1, 1, 1, 1});
          c.quant.output_type = output_type;
          c.quant.lo = c.quant.hi = 0;
          const Attributes attributes = ConvAttributes(c);
          std::vector<HostTensor> inputs = ConvInputs(c);
          std::memset(inputs[0].bytes.data(), x_value, inputs[0].bytes.size());
          std::memset(inputs[1].bytes.data(), w_value, inputs[1].bytes.size());
          const KernelCreateArgs args{attributes, 1, 3, 1};
          auto reference = CreateInt8ConvReference(args);
          ASSERT_TRUE(reference.ok());
          auto optimized = CreateInt8ConvOptimizedForIsa(args, isa);
          ASSERT_TRUE(optimized.ok());
          ExpectSameAsReference(reference->get(), optimized->get(), inputs, 0);
        }
      }
    }
  }
}

}  // namespace
}  // namespace hb_dnn::kernels::int8
