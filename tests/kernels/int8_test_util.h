#ifndef HB_DNN_TESTS_KERNELS_INT8_TEST_UTIL_H_
#define HB_DNN_TESTS_KERNELS_INT8_TEST_UTIL_H_

// Helpers of the int8 (hb_dnn.bpu) kernel tests: run a node of the BPU domain on host tensors
// and compute the contract's rounding independently of src/kernels/int8.

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "src/base/status.h"
#include "src/kernels/attributes.h"
#include "src/kernels/op_registry.h"
#include "tests/kernels/nn_test_util.h"

namespace hb_dnn::kernels::int8_test {

using nn_test::HostTensor;
using nn_test::Tensor;

inline constexpr char kBpu[] = "hb_dnn.bpu";

// Creates `op` of domain hb_dnn.bpu version 1 (the reference kernel unless `prefer_optimized`),
// prepares it with `inputs` and runs it; returns its single output.
inline absl::StatusOr<HostTensor> RunBpuNode(const std::string& op, const Attributes& attributes,
                                             const std::vector<HostTensor>& inputs,
                                             bool prefer_optimized = false) {
  KernelCreateArgs args{attributes, 1, static_cast<int>(inputs.size()), 1};
  HB_ASSIGN_OR_RETURN(auto kernel, OpRegistry::Builtin().Create(kBpu, op, args, prefer_optimized));
  std::vector<TensorInfo> infos;
  std::vector<ConstTensorView> views;
  for (const HostTensor& t : inputs) {
    infos.push_back({t.dtype, t.shape,
                     t.constant && t.dtype != DType::kUndefined
                         ? static_cast<const void*>(t.bytes.data())
                         : nullptr});
    views.push_back({t.bytes.data(), t.dtype, t.shape});
  }
  std::vector<TensorInfo> out_infos;
  HB_RETURN_IF_ERROR(kernel->Prepare(infos, &out_infos));
  HostTensor out;
  out.dtype = out_infos.at(0).dtype;
  out.shape = out_infos[0].shape;
  out.bytes.assign(static_cast<size_t>(out_infos[0].num_elements()) * DTypeSize(out.dtype), '\0');
  HB_RETURN_IF_ERROR(kernel->Run(views, {TensorView{out.bytes.data(), out.dtype, out.shape}}));
  return out;
}

// Deterministic int8 values in [lo, hi].
inline std::vector<int8_t> RandomInt8(int64_t n, uint32_t seed, int lo = -128, int hi = 127) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> dist(lo, hi);
  std::vector<int8_t> v(static_cast<size_t>(n));
  for (int8_t& x : v) x = static_cast<int8_t>(dist(rng));
  return v;
}

// Round half to even of a double, written out without nearbyint.
inline double RoundHalfEven(double v) {
  double f = std::floor(v);
  double r = v - f;
  if (r > 0.5) return f + 1;
  if (r < 0.5) return f;
  return std::fmod(f, 2.0) == 0 ? f : f + 1;
}

inline int SaturateInt8(double v) {
  return v < -128 ? -128 : (v > 127 ? 127 : static_cast<int>(v));
}

// The contract's rule for one accumulator, from its text: float(acc) times the float multiplier
// (one IEEE product, volatile so that no FMA can form), ties to even, saturate, clamp.
inline int RuleRequantize(int32_t acc, double in_scale, double w_scale, double y_scale,
                          int q_min = -128, int q_max = 127) {
  const float m = static_cast<float>(in_scale * w_scale / y_scale);
  volatile float product = static_cast<float>(acc) * m;
  int q = SaturateInt8(RoundHalfEven(product));
  return q < q_min ? q_min : (q > q_max ? q_max : q);
}

// The values of an int8 or int32 tensor as ints (for ElementsAre).
inline std::vector<int> AsInts(const HostTensor& t) {
  std::vector<int> v;
  if (t.dtype == DType::kI8) {
    for (int8_t x : t.values<int8_t>()) v.push_back(x);
  } else {
    for (int32_t x : t.values<int32_t>()) v.push_back(x);
  }
  return v;
}

// RunBpuNode with the reference kernel, expected to succeed (an empty tensor and a test failure
// otherwise).
inline HostTensor MustRun(const std::string& op, const Attributes& a,
                          const std::vector<HostTensor>& inputs) {
  absl::StatusOr<HostTensor> y = RunBpuNode(op, a, inputs);
  EXPECT_TRUE(y.ok()) << y.status();
  return y.ok() ? *y : HostTensor();
}

// The message of RunBpuNode's error, which must be kInvalidModel; "(ok)" when it succeeds.
inline std::string ErrorOf(const std::string& op, const Attributes& a,
                           const std::vector<HostTensor>& inputs) {
  absl::StatusOr<HostTensor> y = RunBpuNode(op, a, inputs);
  if (y.ok()) return "(ok)";
  EXPECT_EQ(ErrorCodeOf(y.status()), ErrorCode::kInvalidModel) << y.status();
  return std::string(y.status().message());
}

}  // namespace hb_dnn::kernels::int8_test

#endif  // HB_DNN_TESTS_KERNELS_INT8_TEST_UTIL_H_
