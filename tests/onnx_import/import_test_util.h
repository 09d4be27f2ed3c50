#ifndef HB_DNN_TESTS_ONNX_IMPORT_IMPORT_TEST_UTIL_H_
#define HB_DNN_TESTS_ONNX_IMPORT_IMPORT_TEST_UTIL_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "hbm_generated.h"
#include "onnx/onnx_pb.h"
#include "src/base/aligned_buffer.h"
#include "src/kernels/op_registry.h"
#include "tools/model_builder/model_builder.h"

namespace hb_dnn::testing {

// ---- Building ONNX models in tests ---------------------------------------------------------

// An empty model importing the default domain at `opset`.
onnx::ModelProto NewOnnxModel(int64_t opset);

// A graph input/output of `elem_type` (onnx::TensorProto::FLOAT, ...) with static `dims`.
onnx::ValueInfoProto* AddGraphInput(onnx::ModelProto* model, const std::string& name,
                                    std::vector<int64_t> dims,
                                    int32_t elem_type = onnx::TensorProto::FLOAT);
onnx::ValueInfoProto* AddGraphOutput(onnx::ModelProto* model, const std::string& name,
                                     std::vector<int64_t> dims,
                                     int32_t elem_type = onnx::TensorProto::FLOAT);
// Makes dimension `index` of `info` symbolic.
void SetDimParam(onnx::ValueInfoProto* info, int index, const std::string& param);

onnx::TensorProto MakeFloatTensor(const std::string& name, std::vector<int64_t> dims,
                                  const std::vector<float>& values);
onnx::TensorProto MakeInt64Tensor(const std::string& name, std::vector<int64_t> dims,
                                  const std::vector<int64_t>& values);
void AddInitializer(onnx::ModelProto* model, onnx::TensorProto tensor);

onnx::NodeProto* AddNode(onnx::ModelProto* model, const std::string& op_type,
                         std::vector<std::string> inputs, std::vector<std::string> outputs,
                         const std::string& name = "");
void SetIntAttr(onnx::NodeProto* node, const std::string& name, int64_t value);
void SetIntsAttr(onnx::NodeProto* node, const std::string& name, std::vector<int64_t> values);
void SetFloatAttr(onnx::NodeProto* node, const std::string& name, float value);
void SetFloatsAttr(onnx::NodeProto* node, const std::string& name, std::vector<float> values);
void SetTensorAttr(onnx::NodeProto* node, const std::string& name, onnx::TensorProto tensor);

// ---- Reading what the importer wrote ----------------------------------------------------------

// A serialized package, copied to aligned memory and checked by the runtime loader's verifier.
class LoadedPackage {
 public:
  static absl::StatusOr<LoadedPackage> From(const tools::PackageBuilder& package);

  const fb::Package* package() const { return package_; }
  const uint8_t* data() const { return data_.get(); }
  const fb::Model* model(int index = 0) const;
  // Index of the tensor named `name` in `model`, or -1.
  static int TensorIndex(const fb::Model* model, const std::string& name);
  const fb::Tensor* Tensor(const fb::Model* model, const std::string& name) const;
  // The op types of the model's nodes, in node order.
  static std::vector<std::string> OpTypes(const fb::Model* model);
  static std::string Metadata(const fb::Model* model, const std::string& key);
  // The bytes of constant tensor `index` ("" for run-time tensors).
  std::string ConstantBytes(const fb::Model* model, int index) const;
  template <typename T>
  std::vector<T> Constant(const fb::Model* model, int index) const {
    std::string bytes = ConstantBytes(model, index);
    std::vector<T> values(bytes.size() / sizeof(T));
    if (!values.empty()) std::memcpy(values.data(), bytes.data(), values.size() * sizeof(T));
    return values;
  }

 private:
  AlignedBytes data_;
  size_t size_ = 0;
  const fb::Package* package_ = nullptr;
};

// Runs model `index` through the runtime's CPU executor (runtime::Program) built with
// `registry`'s kernels: `inputs` holds each model input's bytes in input order; returns each
// output's bytes in output order.
absl::StatusOr<std::vector<std::string>> RunModel(const LoadedPackage& package, int index,
                                                  const kernels::OpRegistry& registry,
                                                  const std::vector<std::string>& inputs);

template <typename T>
std::string BytesOf(const std::vector<T>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

template <typename T>
std::vector<T> ValuesOf(const std::string& bytes) {
  std::vector<T> values(bytes.size() / sizeof(T));
  if (!values.empty()) std::memcpy(values.data(), bytes.data(), values.size() * sizeof(T));
  return values;
}

}  // namespace hb_dnn::testing

#endif  // HB_DNN_TESTS_ONNX_IMPORT_IMPORT_TEST_UTIL_H_
