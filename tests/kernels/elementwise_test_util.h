// Helpers for the elementwise group's hand-written kernel tests: typed test tensors and a
// one-call "create from the builtin registry, Prepare, Run" driver.
#ifndef HB_DNN_TESTS_KERNELS_ELEMENTWISE_TEST_UTIL_H_
#define HB_DNN_TESTS_KERNELS_ELEMENTWISE_TEST_UTIL_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "src/kernels/attributes.h"
#include "src/kernels/op_registry.h"
#include "src/kernels/tensor.h"

namespace hb_dnn::testing {

// Owns a tensor's bytes. `constant` decides whether Prepare sees the data (an initializer) or
// only type and shape (a run-time value).
struct TestTensor {
  kernels::DType dtype = kernels::DType::kUndefined;
  kernels::Shape shape;
  std::string bytes;
  bool constant = true;

  template <typename T>
  static TestTensor Of(kernels::DType dtype, kernels::Shape shape, const std::vector<T>& values) {
    TestTensor t;
    t.dtype = dtype;
    t.shape = std::move(shape);
    t.bytes.assign(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
    return t;
  }

  // An omitted optional input.
  static TestTensor Absent() { return TestTensor(); }

  TestTensor RunTime() const {
    TestTensor t = *this;
    t.constant = false;
    return t;
  }

  template <typename T>
  std::vector<T> Values() const {
    std::vector<T> values(bytes.size() / sizeof(T));
    std::memcpy(values.data(), bytes.data(), values.size() * sizeof(T));
    return values;
  }
};

inline TestTensor F32(kernels::Shape shape, const std::vector<float>& values) {
  return TestTensor::Of(kernels::DType::kF32, std::move(shape), values);
}
inline TestTensor I64(kernels::Shape shape, const std::vector<int64_t>& values) {
  return TestTensor::Of(kernels::DType::kI64, std::move(shape), values);
}
inline TestTensor I32(kernels::Shape shape, const std::vector<int32_t>& values) {
  return TestTensor::Of(kernels::DType::kI32, std::move(shape), values);
}
inline TestTensor Bool(kernels::Shape shape, const std::vector<uint8_t>& values) {
  return TestTensor::Of(kernels::DType::kBool, std::move(shape), values);
}

// Creates `op` (default domain) at `opset` from the builtin registry's reference kernels,
// Prepares and Runs it; returns its outputs or the first error.
inline absl::StatusOr<std::vector<TestTensor>> RunKernel(const std::string& op, int opset,
                                                         const kernels::Attributes& attributes,
                                                         const std::vector<TestTensor>& inputs,
                                                         int num_outputs = 1) {
  kernels::KernelCreateArgs args{attributes, opset, static_cast<int>(inputs.size()), num_outputs};
  auto kernel = kernels::OpRegistry::Builtin().Create("", op, args, /*prefer_optimized=*/false);
  if (!kernel.ok()) return kernel.status();
  std::vector<kernels::TensorInfo> infos;
  std::vector<kernels::ConstTensorView> views;
  for (const TestTensor& t : inputs) {
    infos.push_back({t.dtype, t.shape, t.constant ? t.bytes.data() : nullptr});
    views.push_back({t.bytes.data(), t.dtype, t.shape});
  }
  std::vector<kernels::TensorInfo> out_infos;
  absl::Status prepared = (*kernel)->Prepare(infos, &out_infos);
  if (!prepared.ok()) return prepared;
  std::vector<TestTensor> outputs(out_infos.size());
  std::vector<kernels::TensorView> out_views;
  for (size_t i = 0; i < out_infos.size(); ++i) {
    outputs[i].dtype = out_infos[i].dtype;
    outputs[i].shape = out_infos[i].shape;
    outputs[i].bytes.assign(
        static_cast<size_t>(out_infos[i].num_elements()) * kernels::DTypeSize(out_infos[i].dtype),
        '\xCD');
    out_views.push_back({outputs[i].bytes.data(), outputs[i].dtype, outputs[i].shape});
  }
  absl::Status ran = (*kernel)->Run(views, out_views);
  if (!ran.ok()) return ran;
  return outputs;
}

// RunKernel for single-output ops.
inline absl::StatusOr<TestTensor> RunKernel1(const std::string& op, int opset,
                                             const kernels::Attributes& attributes,
                                             const std::vector<TestTensor>& inputs) {
  auto outputs = RunKernel(op, opset, attributes, inputs);
  if (!outputs.ok()) return outputs.status();
  return (*outputs)[0];
}

}  // namespace hb_dnn::testing

#endif  // HB_DNN_TESTS_KERNELS_ELEMENTWISE_TEST_UTIL_H_
