#ifndef HB_DNN_TESTS_KERNELS_NN_TEST_UTIL_H_
#define HB_DNN_TESTS_KERNELS_NN_TEST_UTIL_H_

// Helpers of the nn kernel tests: build a node's reference kernel from the builtin registry,
// prepare and run it on small host tensors.

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "src/base/status_macros.h"
#include "src/kernels/attributes.h"
#include "src/kernels/op_registry.h"
#include "src/kernels/tensor.h"

namespace hb_dnn::kernels::nn_test {

template <typename T>
constexpr DType DTypeOf();
template <>
constexpr DType DTypeOf<float>() {
  return DType::kF32;
}
template <>
constexpr DType DTypeOf<double>() {
  return DType::kF64;
}
template <>
constexpr DType DTypeOf<int8_t>() {
  return DType::kI8;
}
template <>
constexpr DType DTypeOf<uint8_t>() {
  return DType::kU8;
}
template <>
constexpr DType DTypeOf<int32_t>() {
  return DType::kI32;
}
template <>
constexpr DType DTypeOf<uint32_t>() {
  return DType::kU32;
}
template <>
constexpr DType DTypeOf<int64_t>() {
  return DType::kI64;
}

// A host tensor; `constant` tensors are shown to Prepare with their data.
struct HostTensor {
  DType dtype = DType::kUndefined;
  Shape shape;
  std::string bytes;
  bool constant = true;

  template <typename T>
  std::vector<T> values() const {
    std::vector<T> v(bytes.size() / sizeof(T));
    if (!v.empty()) std::memcpy(v.data(), bytes.data(), v.size() * sizeof(T));
    return v;
  }
};

template <typename T>
HostTensor Tensor(Shape shape, const std::vector<T>& values, bool constant = true) {
  HostTensor t;
  t.dtype = DTypeOf<T>();
  t.shape = std::move(shape);
  if (!values.empty()) {
    t.bytes.assign(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
  }
  t.constant = constant;
  return t;
}

inline HostTensor Absent() { return HostTensor(); }

// Deterministic values in [-1, 1).
inline std::vector<float> RandomFloats(int64_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = dist(rng);
  return v;
}

// Creates `op` at `opset` from the reference registrations, prepares it with `inputs` and runs it.
inline absl::StatusOr<std::vector<HostTensor>> RunNode(const std::string& op, int opset,
                                                       const Attributes& attributes,
                                                       const std::vector<HostTensor>& inputs,
                                                       int num_outputs = 1) {
  KernelCreateArgs args{attributes, opset, static_cast<int>(inputs.size()), num_outputs};
  HB_ASSIGN_OR_RETURN(auto kernel,
                      OpRegistry::Builtin().Create("", op, args, /*prefer_optimized=*/false));
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
  std::vector<HostTensor> outputs(out_infos.size());
  std::vector<TensorView> out_views;
  for (size_t i = 0; i < out_infos.size(); ++i) {
    outputs[i].dtype = out_infos[i].dtype;
    outputs[i].shape = out_infos[i].shape;
    outputs[i].bytes.assign(
        static_cast<size_t>(out_infos[i].num_elements()) * DTypeSize(out_infos[i].dtype), '\0');
    out_views.push_back({outputs[i].bytes.data(), outputs[i].dtype, outputs[i].shape});
  }
  HB_RETURN_IF_ERROR(kernel->Run(views, out_views));
  return outputs;
}

// RunNode for the single float output of a node.
inline absl::StatusOr<HostTensor> RunNode1(const std::string& op, int opset,
                                           const Attributes& attributes,
                                           const std::vector<HostTensor>& inputs) {
  HB_ASSIGN_OR_RETURN(std::vector<HostTensor> outputs, RunNode(op, opset, attributes, inputs));
  return outputs.at(0);
}

}  // namespace hb_dnn::kernels::nn_test

#endif  // HB_DNN_TESTS_KERNELS_NN_TEST_UTIL_H_
