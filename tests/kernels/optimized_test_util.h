#ifndef HB_DNN_TESTS_KERNELS_OPTIMIZED_TEST_UTIL_H_
#define HB_DNN_TESTS_KERNELS_OPTIMIZED_TEST_UTIL_H_

// Helpers of the optimized-kernel tests: run a kernel on host float tensors, compare against
// the reference kernel's output, and enumerate the ISA levels this CPU can run.

#include <cmath>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "src/base/cpu_features.h"
#include "src/base/status_macros.h"
#include "src/kernels/op_kernel.h"
#include "src/kernels/tensor.h"

namespace hb_dnn::kernels::optimized_test {

// A float32 input; `constant` ones are shown to Prepare with their data (like initializers),
// absent ones are omitted optional inputs.
struct Input {
  Shape shape;
  std::vector<float> values;
  bool constant = false;
  bool present = true;
};

inline Input Absent() {
  Input input;
  input.present = false;
  return input;
}

// Deterministic values in [-1, 1).
inline std::vector<float> RandomValues(int64_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = dist(rng);
  return v;
}

inline Input RandomInput(Shape shape, uint32_t seed, bool constant = false) {
  Input input;
  input.values = RandomValues(NumElements(shape), seed);
  input.shape = std::move(shape);
  input.constant = constant;
  return input;
}

struct Output {
  Shape shape;
  std::vector<float> values;
};

// Prepares `kernel` with `inputs` and runs it once.
inline absl::StatusOr<Output> PrepareAndRun(OpKernel* kernel, const std::vector<Input>& inputs) {
  std::vector<TensorInfo> infos;
  std::vector<ConstTensorView> views;
  for (const Input& input : inputs) {
    if (!input.present) {
      infos.emplace_back();
      views.emplace_back();
      continue;
    }
    infos.push_back({DType::kF32, input.shape, input.constant ? input.values.data() : nullptr});
    views.push_back({input.values.data(), DType::kF32, input.shape});
  }
  std::vector<TensorInfo> out_infos;
  HB_RETURN_IF_ERROR(kernel->Prepare(infos, &out_infos));
  Output out;
  out.shape = out_infos[0].shape;
  // A canary pattern, so unwritten outputs show.
  out.values.assign(static_cast<size_t>(NumElements(out.shape)), -12345.0f);
  std::vector<TensorView> outputs = {{out.values.data(), DType::kF32, out.shape}};
  HB_RETURN_IF_ERROR(kernel->Run(views, outputs));
  return out;
}

// Elementwise |actual - expected| <= atol + rtol * |expected|; reports the worst element.
inline ::testing::AssertionResult Near(const Output& expected, const Output& actual, double rtol,
                                       double atol) {
  if (expected.shape != actual.shape) {
    return ::testing::AssertionFailure() << "shape " << ShapeString(actual.shape)
                                         << ", expected " << ShapeString(expected.shape);
  }
  int64_t worst = -1;
  double worst_excess = 0;
  int64_t failures = 0;
  for (size_t i = 0; i < expected.values.size(); ++i) {
    const double e = expected.values[i];
    const double a = actual.values[i];
    const double excess = std::fabs(a - e) - (atol + rtol * std::fabs(e));
    if (!(excess <= 0)) {
      ++failures;
      if (worst < 0 || excess > worst_excess || std::isnan(excess)) {
        worst = static_cast<int64_t>(i);
        worst_excess = excess;
      }
    }
  }
  if (failures == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << failures << " of " << expected.values.size() << " elements differ; worst at "
         << worst << ": " << actual.values[worst] << " vs expected " << expected.values[worst];
}

// Levels this CPU runs, lowest first.
inline std::vector<IsaLevel> IsaLevelsToTest() {
  std::vector<IsaLevel> levels;
  for (IsaLevel level : kAllIsaLevels) {
    if (static_cast<int>(level) <= static_cast<int>(HardwareIsaLevel())) levels.push_back(level);
  }
  return levels;
}

}  // namespace hb_dnn::kernels::optimized_test

#endif  // HB_DNN_TESTS_KERNELS_OPTIMIZED_TEST_UTIL_H_
