#include "tests/onnx_import/import_test_util.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "src/base/status.h"
#include "src/base/status_macros.h"
#include "src/runtime/program.h"
#include "src/runtime/model.h"
#include "src/runtime/model_loader.h"

namespace hb_dnn::testing {
namespace {

void SetTensorType(onnx::ValueInfoProto* info, int32_t elem_type,
                   const std::vector<int64_t>& dims) {
  onnx::TypeProto::Tensor* tensor = info->mutable_type()->mutable_tensor_type();
  tensor->set_elem_type(elem_type);
  onnx::TensorShapeProto* shape = tensor->mutable_shape();
  for (int64_t d : dims) shape->add_dim()->set_dim_value(d);
}

onnx::AttributeProto* NewAttr(onnx::NodeProto* node, const std::string& name,
                              onnx::AttributeProto::AttributeType type) {
  onnx::AttributeProto* attr = node->add_attribute();
  attr->set_name(name);
  attr->set_type(type);
  return attr;
}

}  // namespace

onnx::ModelProto NewOnnxModel(int64_t opset) {
  onnx::ModelProto model;
  model.set_ir_version(8);
  model.set_producer_name("hb_dnn-test");
  model.set_producer_version("1");
  onnx::OperatorSetIdProto* import = model.add_opset_import();
  import->set_domain("");
  import->set_version(opset);
  model.mutable_graph()->set_name("test_graph");
  return model;
}

onnx::ValueInfoProto* AddGraphInput(onnx::ModelProto* model, const std::string& name,
                                    std::vector<int64_t> dims, int32_t elem_type) {
  onnx::ValueInfoProto* info = model->mutable_graph()->add_input();
  info->set_name(name);
  SetTensorType(info, elem_type, dims);
  return info;
}

onnx::ValueInfoProto* AddGraphOutput(onnx::ModelProto* model, const std::string& name,
                                     std::vector<int64_t> dims, int32_t elem_type) {
  onnx::ValueInfoProto* info = model->mutable_graph()->add_output();
  info->set_name(name);
  SetTensorType(info, elem_type, dims);
  return info;
}

void SetDimParam(onnx::ValueInfoProto* info, int index, const std::string& param) {
  info->mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim(index)->set_dim_param(
      param);
}

onnx::TensorProto MakeFloatTensor(const std::string& name, std::vector<int64_t> dims,
                                  const std::vector<float>& values) {
  onnx::TensorProto tensor;
  tensor.set_name(name);
  tensor.set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : dims) tensor.add_dims(d);
  for (float v : values) tensor.add_float_data(v);
  return tensor;
}

onnx::TensorProto MakeInt64Tensor(const std::string& name, std::vector<int64_t> dims,
                                  const std::vector<int64_t>& values) {
  onnx::TensorProto tensor;
  tensor.set_name(name);
  tensor.set_data_type(onnx::TensorProto::INT64);
  for (int64_t d : dims) tensor.add_dims(d);
  tensor.set_raw_data(BytesOf(values));
  return tensor;
}

void AddInitializer(onnx::ModelProto* model, onnx::TensorProto tensor) {
  *model->mutable_graph()->add_initializer() = std::move(tensor);
}

onnx::NodeProto* AddNode(onnx::ModelProto* model, const std::string& op_type,
                         std::vector<std::string> inputs, std::vector<std::string> outputs,
                         const std::string& name) {
  onnx::NodeProto* node = model->mutable_graph()->add_node();
  node->set_op_type(op_type);
  node->set_name(name);
  for (const std::string& input : inputs) node->add_input(input);
  for (const std::string& output : outputs) node->add_output(output);
  return node;
}

void SetIntAttr(onnx::NodeProto* node, const std::string& name, int64_t value) {
  NewAttr(node, name, onnx::AttributeProto::INT)->set_i(value);
}

void SetIntsAttr(onnx::NodeProto* node, const std::string& name, std::vector<int64_t> values) {
  onnx::AttributeProto* attr = NewAttr(node, name, onnx::AttributeProto::INTS);
  for (int64_t v : values) attr->add_ints(v);
}

void SetFloatAttr(onnx::NodeProto* node, const std::string& name, float value) {
  NewAttr(node, name, onnx::AttributeProto::FLOAT)->set_f(value);
}

void SetFloatsAttr(onnx::NodeProto* node, const std::string& name, std::vector<float> values) {
  onnx::AttributeProto* attr = NewAttr(node, name, onnx::AttributeProto::FLOATS);
  for (float v : values) attr->add_floats(v);
}

void SetTensorAttr(onnx::NodeProto* node, const std::string& name, onnx::TensorProto tensor) {
  *NewAttr(node, name, onnx::AttributeProto::TENSOR)->mutable_t() = std::move(tensor);
}

absl::StatusOr<LoadedPackage> LoadedPackage::From(const tools::PackageBuilder& package) {
  HB_ASSIGN_OR_RETURN(std::string bytes, package.Serialize());
  LoadedPackage loaded;
  loaded.size_ = bytes.size();
  loaded.data_ = AllocateAligned(bytes.size());
  if (loaded.data_ == nullptr) return Error(ErrorCode::kOutOfMemory, "package copy");
  std::memcpy(loaded.data_.get(), bytes.data(), bytes.size());
  HB_ASSIGN_OR_RETURN(loaded.package_,
                      runtime::VerifyPackage(loaded.data_.get(), loaded.size_, "imported"));
  return loaded;
}

const fb::Model* LoadedPackage::model(int index) const {
  return package_->models()->Get(static_cast<flatbuffers::uoffset_t>(index));
}

int LoadedPackage::TensorIndex(const fb::Model* model, const std::string& name) {
  if (model->tensors() == nullptr) return -1;
  for (flatbuffers::uoffset_t i = 0; i < model->tensors()->size(); ++i) {
    if (model->tensors()->Get(i)->name()->str() == name) return static_cast<int>(i);
  }
  return -1;
}

const fb::Tensor* LoadedPackage::Tensor(const fb::Model* model, const std::string& name) const {
  int index = TensorIndex(model, name);
  return index < 0 ? nullptr : model->tensors()->Get(static_cast<flatbuffers::uoffset_t>(index));
}

std::vector<std::string> LoadedPackage::OpTypes(const fb::Model* model) {
  std::vector<std::string> ops;
  if (model->nodes() == nullptr) return ops;
  for (const fb::Node* node : *model->nodes()) ops.push_back(node->op_type()->str());
  return ops;
}

std::string LoadedPackage::Metadata(const fb::Model* model, const std::string& key) {
  if (model->metadata() == nullptr) return "";
  for (const fb::KeyValue* kv : *model->metadata()) {
    if (kv->key()->str() == key) return kv->value() == nullptr ? "" : kv->value()->str();
  }
  return "";
}

std::string LoadedPackage::ConstantBytes(const fb::Model* model, int index) const {
  const fb::Tensor* tensor = model->tensors()->Get(static_cast<flatbuffers::uoffset_t>(index));
  if (tensor->buffer() < 0) return "";
  const fb::Buffer* buffer =
      package_->buffers()->Get(static_cast<flatbuffers::uoffset_t>(tensor->buffer()));
  return std::string(reinterpret_cast<const char*>(data_.get() + buffer->offset()), buffer->size());
}

absl::StatusOr<std::vector<std::string>> RunModel(const LoadedPackage& package, int index,
                                                  const kernels::OpRegistry& registry,
                                                  const std::vector<std::string>& inputs) {
  const fb::Model* flat = package.model(index);
  runtime::Model model(flat, package.data(), package.package());
  HB_ASSIGN_OR_RETURN(std::unique_ptr<runtime::Program> program,
                      runtime::Program::Build(model, registry));
  if (inputs.size() != model.inputs().size()) {
    return Errorf(ErrorCode::kInvalidArgument, inputs.size(), " inputs for ",
                  model.inputs().size());
  }
  HB_ASSIGN_OR_RETURN(std::unique_ptr<runtime::Program::ExecutionContext> context,
                      program->Acquire());
  for (size_t k = 0; k < inputs.size(); ++k) {
    if (inputs[k].size() != program->InputBytes(k)) {
      return Errorf(ErrorCode::kInvalidArgument, "input ", k, " has ", inputs[k].size(),
                    " bytes, the model needs ", program->InputBytes(k));
    }
    std::memcpy(program->InputData(*context, k), inputs[k].data(), inputs[k].size());
  }
  HB_RETURN_IF_ERROR(program->Run(*context));
  std::vector<std::string> outputs;
  for (size_t k = 0; k < model.outputs().size(); ++k) {
    outputs.emplace_back(reinterpret_cast<const char*>(program->OutputData(*context, k)),
                         program->OutputBytes(k));
  }
  program->Release(std::move(context));
  return outputs;
}

}  // namespace hb_dnn::testing
