#ifndef HB_DNN_TESTS_KERNELS_TENSOR_TEST_UTIL_H_
#define HB_DNN_TESTS_KERNELS_TENSOR_TEST_UTIL_H_

// Running one tensor-group kernel by hand: tensors built from value lists, created through the
// builtin registry, prepared (constant inputs carry their data) and run.

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "src/kernels/attributes.h"
#include "src/kernels/op_registry.h"
#include "src/kernels/tensor.h"

namespace hb_dnn::testing {

template <typename T>
constexpr kernels::DType DTypeOf() {
  using kernels::DType;
  if constexpr (std::is_same_v<T, float>) return DType::kF32;
  if constexpr (std::is_same_v<T, double>) return DType::kF64;
  if constexpr (std::is_same_v<T, int8_t>) return DType::kI8;
  if constexpr (std::is_same_v<T, uint8_t>) return DType::kU8;
  if constexpr (std::is_same_v<T, int16_t>) return DType::kI16;
  if constexpr (std::is_same_v<T, uint16_t>) return DType::kU16;
  if constexpr (std::is_same_v<T, int32_t>) return DType::kI32;
  if constexpr (std::is_same_v<T, uint32_t>) return DType::kU32;
  if constexpr (std::is_same_v<T, int64_t>) return DType::kI64;
  if constexpr (std::is_same_v<T, uint64_t>) return DType::kU64;
  return DType::kUndefined;
}

struct TestTensor {
  kernels::DType dtype = kernels::DType::kUndefined;  // kUndefined = omitted optional input
  kernels::Shape shape;
  std::vector<uint64_t> words;  // the bytes, 8-byte aligned
  bool constant = false;        // passes its data to Prepare

  const void* data() const { return words.data(); }
  void* data() { return words.data(); }

  template <typename T>
  std::vector<T> values() const {
    std::vector<T> v(static_cast<size_t>(kernels::NumElements(shape)));
    if (!v.empty()) std::memcpy(v.data(), words.data(), v.size() * sizeof(T));
    return v;
  }
};

// A tensor of `shape` holding `values` as `dtype` (defaults to T's dtype; kBool for uint8 data).
template <typename T>
TestTensor MakeTensor(kernels::Shape shape, const std::vector<T>& values, bool constant = false,
                      kernels::DType dtype = DTypeOf<T>()) {
  TestTensor t;
  t.dtype = dtype;
  t.shape = std::move(shape);
  t.constant = constant;
  t.words.assign(values.size() * sizeof(T) / 8 + 1, 0);
  if (!values.empty()) std::memcpy(t.words.data(), values.data(), values.size() * sizeof(T));
  return t;
}

template <typename T>
TestTensor Const(kernels::Shape shape, const std::vector<T>& values) {
  return MakeTensor(std::move(shape), values, true);
}

inline TestTensor Omitted() { return TestTensor(); }

// 0, 1, 2, ... as T in `shape`.
template <typename T>
TestTensor Iota(kernels::Shape shape) {
  std::vector<T> v(static_cast<size_t>(kernels::NumElements(shape)));
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<T>(i);
  return MakeTensor(std::move(shape), v);
}

struct OpRun {
  std::vector<kernels::TensorInfo> infos;  // as Prepare filled them
  std::vector<TestTensor> outputs;         // after Run
  std::unique_ptr<kernels::OpKernel> kernel;  // keeps `infos[i].data` valid
};

// Creates `op` at `opset` from the builtin registry, prepares and runs it. Errors from Create,
// Prepare or Run come back as is.
inline absl::StatusOr<OpRun> RunOp(const std::string& op, int opset,
                                   const kernels::Attributes& attributes,
                                   const std::vector<TestTensor>& inputs, int num_outputs = 1) {
  kernels::KernelCreateArgs args{attributes, opset, static_cast<int>(inputs.size()),
                                 num_outputs};
  absl::StatusOr<std::unique_ptr<kernels::OpKernel>> kernel =
      kernels::OpRegistry::Builtin().Create("", op, args, /*prefer_optimized=*/false);
  if (!kernel.ok()) return kernel.status();
  OpRun run;
  run.kernel = std::move(*kernel);
  std::vector<kernels::TensorInfo> infos;
  std::vector<kernels::ConstTensorView> views;
  for (const TestTensor& t : inputs) {
    infos.push_back({t.dtype, t.shape, t.constant ? t.data() : nullptr});
    views.push_back({t.dtype == kernels::DType::kUndefined ? nullptr : t.data(), t.dtype, t.shape});
  }
  absl::Status status = run.kernel->Prepare(infos, &run.infos);
  if (!status.ok()) return status;
  std::vector<kernels::TensorView> outs;
  for (const kernels::TensorInfo& info : run.infos) {
    TestTensor t;
    t.dtype = info.dtype;
    t.shape = info.shape;
    t.words.assign(
        static_cast<size_t>(info.num_elements()) * kernels::DTypeSize(info.dtype) / 8 + 1,
        0xCDCDCDCDCDCDCDCDull);
    run.outputs.push_back(std::move(t));
  }
  for (TestTensor& t : run.outputs) outs.push_back({t.data(), t.dtype, t.shape});
  status = run.kernel->Run(views, outs);
  if (!status.ok()) return status;
  return run;
}

}  // namespace hb_dnn::testing

#endif  // HB_DNN_TESTS_KERNELS_TENSOR_TEST_UTIL_H_
