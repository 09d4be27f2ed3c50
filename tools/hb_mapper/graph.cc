#include "tools/hb_mapper/graph.h"

#include <cstring>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "src/base/aligned_buffer.h"
#include "src/base/status_macros.h"
#include "src/runtime/dtype_map.h"
#include "src/runtime/model_loader.h"

namespace hb_dnn::mapper {
namespace {

std::string StringOf(const flatbuffers::String* s) { return s == nullptr ? std::string() : s->str(); }

template <typename T, typename V>
std::vector<T> VectorOf(const V* v) {
  return v == nullptr ? std::vector<T>() : std::vector<T>(v->begin(), v->end());
}

runtime::QuantParams QuantOf(const fb::Quantization* q) {
  runtime::QuantParams params;
  if (q == nullptr) return params;
  params.type = q->type();
  params.axis = q->axis();
  params.shift = VectorOf<uint8_t>(q->shift());
  params.scale = VectorOf<float>(q->scale());
  params.zero_point = VectorOf<int8_t>(q->zero_point());
  return params;
}

tools::Attr AttrOf(const fb::Attribute* a) {
  tools::Attr attr;
  attr.name = a->name()->str();
  attr.type = a->type();
  attr.i = a->i();
  attr.f = a->f();
  attr.s = StringOf(a->s());
  attr.ints = VectorOf<int64_t>(a->ints());
  attr.floats = VectorOf<float>(a->floats());
  if (a->strings() != nullptr) {
    for (const flatbuffers::String* s : *a->strings()) attr.strings.push_back(s->str());
  }
  attr.tensor = a->tensor();
  return attr;
}

GraphIo IoOf(const fb::TensorDesc* d) {
  GraphIo io;
  io.tensor = d->tensor();
  io.spec.name = d->name()->str();
  io.spec.data_type = d->data_type();
  io.spec.layout = d->layout();
  io.spec.valid_shape = VectorOf<int32_t>(d->valid_shape());
  io.spec.quant = QuantOf(d->quantization());
  io.spec.input_source = d->input_source();
  io.spec.output_operator_type = d->output_operator_type();
  return io;
}

}  // namespace

int64_t GraphTensor::num_elements() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::vector<float> GraphTensor::Floats() const {
  std::vector<float> values(data.size() / sizeof(float));
  if (!values.empty()) std::memcpy(values.data(), data.data(), values.size() * sizeof(float));
  return values;
}

const tools::Attr* GraphNode::FindAttr(const std::string& attr_name) const {
  for (const tools::Attr& a : attributes) {
    if (a.name == attr_name) return &a;
  }
  return nullptr;
}

int64_t GraphNode::Int(const std::string& attr_name, int64_t default_value) const {
  const tools::Attr* a = FindAttr(attr_name);
  return a == nullptr ? default_value : a->i;
}

float GraphNode::Float(const std::string& attr_name, float default_value) const {
  const tools::Attr* a = FindAttr(attr_name);
  return a == nullptr ? default_value : a->f;
}

std::string GraphNode::String(const std::string& attr_name,
                              const std::string& default_value) const {
  const tools::Attr* a = FindAttr(attr_name);
  return a == nullptr ? default_value : a->s;
}

std::vector<int64_t> GraphNode::Ints(const std::string& attr_name) const {
  const tools::Attr* a = FindAttr(attr_name);
  return a == nullptr ? std::vector<int64_t>() : a->ints;
}

std::vector<float> GraphNode::Floats(const std::string& attr_name) const {
  const tools::Attr* a = FindAttr(attr_name);
  return a == nullptr ? std::vector<float>() : a->floats;
}

void GraphNode::SetAttr(tools::Attr attr) {
  for (tools::Attr& a : attributes) {
    if (a.name == attr.name) {
      a = std::move(attr);
      return;
    }
  }
  attributes.push_back(std::move(attr));
}

void GraphNode::EraseAttr(const std::string& attr_name) {
  for (size_t k = 0; k < attributes.size(); ++k) {
    if (attributes[k].name == attr_name) {
      attributes.erase(attributes.begin() + static_cast<std::ptrdiff_t>(k));
      return;
    }
  }
}

std::string GraphNode::Label() const { return absl::StrCat("node '", name, "' (", op_type, ")"); }

int32_t Graph::AddTensor(std::string tensor_name, std::vector<int64_t> shape, fb::DataType type) {
  GraphTensor t;
  t.name = std::move(tensor_name);
  t.shape = std::move(shape);
  t.type = type;
  tensors.push_back(std::move(t));
  return static_cast<int32_t>(tensors.size() - 1);
}

int32_t Graph::AddConstant(std::string tensor_name, std::vector<int64_t> shape, fb::DataType type,
                           std::string bytes) {
  int32_t index = AddTensor(std::move(tensor_name), std::move(shape), type);
  tensors[index].constant = true;
  tensors[index].data = std::move(bytes);
  return index;
}

std::vector<int32_t> Graph::Producers() const {
  std::vector<int32_t> producers(tensors.size(), -1);
  for (size_t n = 0; n < nodes.size(); ++n) {
    for (int32_t t : nodes[n].outputs) {
      if (t >= 0) producers[t] = static_cast<int32_t>(n);
    }
  }
  return producers;
}

std::vector<std::vector<int32_t>> Graph::Consumers() const {
  std::vector<std::vector<int32_t>> consumers(tensors.size());
  for (size_t n = 0; n < nodes.size(); ++n) {
    for (int32_t t : nodes[n].inputs) {
      if (t < 0) continue;
      std::vector<int32_t>& list = consumers[t];
      if (list.empty() || list.back() != static_cast<int32_t>(n)) {
        list.push_back(static_cast<int32_t>(n));
      }
    }
  }
  return consumers;
}

bool Graph::IsGraphOutput(int32_t tensor) const {
  for (const GraphIo& io : outputs) {
    if (io.tensor == tensor) return true;
  }
  return false;
}

int32_t Graph::FindTensor(const std::string& tensor_name) const {
  for (size_t t = 0; t < tensors.size(); ++t) {
    if (tensors[t].name == tensor_name) return static_cast<int32_t>(t);
  }
  return -1;
}

int32_t Graph::FindNode(const std::string& node_name) const {
  for (size_t n = 0; n < nodes.size(); ++n) {
    if (nodes[n].name == node_name) return static_cast<int32_t>(n);
  }
  return -1;
}

absl::StatusOr<Graph> GraphFromPackageBytes(const std::string& bytes) {
  AlignedBytes data = AllocateAligned(bytes.size());
  if (data == nullptr) return absl::ResourceExhaustedError("package copy");
  std::memcpy(data.get(), bytes.data(), bytes.size());
  HB_ASSIGN_OR_RETURN(const fb::Package* package,
                      runtime::VerifyPackage(data.get(), bytes.size(), "imported"));
  if (package->models() == nullptr || package->models()->size() == 0) {
    return absl::InvalidArgumentError("the imported package holds no model");
  }
  const fb::Model* model = package->models()->Get(0);
  Graph graph;
  graph.name = model->name()->str();
  graph.march = StringOf(model->march());
  if (model->tensors() != nullptr) {
    for (const fb::Tensor* t : *model->tensors()) {
      GraphTensor tensor;
      tensor.name = t->name()->str();
      tensor.shape = VectorOf<int64_t>(t->shape());
      tensor.type = t->data_type();
      tensor.quant = QuantOf(t->quantization());
      if (t->buffer() >= 0) {
        const fb::Buffer* buffer =
            package->buffers()->Get(static_cast<flatbuffers::uoffset_t>(t->buffer()));
        tensor.constant = true;
        tensor.data.assign(reinterpret_cast<const char*>(data.get() + buffer->offset()),
                           buffer->size());
      }
      graph.tensors.push_back(std::move(tensor));
    }
  }
  std::vector<uint32_t> order;
  if (model->segments() != nullptr) {
    for (const fb::Segment* s : *model->segments()) {
      if (s->nodes() != nullptr) order.insert(order.end(), s->nodes()->begin(), s->nodes()->end());
      if (s->function_calls() != nullptr) {
        for (const fb::FunctionCall* fc : *s->function_calls()) {
          order.insert(order.end(), fc->nodes()->begin(), fc->nodes()->end());
        }
      }
    }
  }
  for (uint32_t index : order) {
    const fb::Node* n = model->nodes()->Get(index);
    GraphNode node;
    node.name = n->name()->str();
    node.op_type = n->op_type()->str();
    node.domain = StringOf(n->domain());
    node.op_version = n->op_version();
    node.inputs = VectorOf<int32_t>(n->inputs());
    node.outputs = VectorOf<int32_t>(n->outputs());
    if (n->attributes() != nullptr) {
      for (const fb::Attribute* a : *n->attributes()) node.attributes.push_back(AttrOf(a));
    }
    graph.nodes.push_back(std::move(node));
  }
  for (const fb::TensorDesc* d : *model->inputs()) graph.inputs.push_back(IoOf(d));
  for (const fb::TensorDesc* d : *model->outputs()) graph.outputs.push_back(IoOf(d));
  if (model->metadata() != nullptr) {
    for (const fb::KeyValue* kv : *model->metadata()) {
      graph.metadata.emplace_back(kv->key()->str(), StringOf(kv->value()));
    }
  }
  return graph;
}

absl::StatusOr<kernels::Attributes> KernelAttributes(const Graph& graph, const GraphNode& node) {
  kernels::Attributes attrs;
  for (const tools::Attr& a : node.attributes) {
    switch (a.type) {
      case fb::AttributeType::INT: attrs.SetInt(a.name, a.i); break;
      case fb::AttributeType::FLOAT: attrs.SetFloat(a.name, a.f); break;
      case fb::AttributeType::STRING: attrs.SetString(a.name, a.s); break;
      case fb::AttributeType::INTS: attrs.SetInts(a.name, a.ints); break;
      case fb::AttributeType::FLOATS: attrs.SetFloats(a.name, a.floats); break;
      case fb::AttributeType::STRINGS: attrs.SetStrings(a.name, a.strings); break;
      case fb::AttributeType::TENSOR: {
        if (a.tensor < 0 || a.tensor >= static_cast<int32_t>(graph.tensors.size()) ||
            !graph.tensors[a.tensor].constant) {
          return absl::InvalidArgumentError(absl::StrCat(
              node.Label(), ": attribute '", a.name, "' does not refer to a constant tensor"));
        }
        const GraphTensor& t = graph.tensors[a.tensor];
        kernels::AttributeTensor value;
        HB_ASSIGN_OR_RETURN(value.dtype, runtime::KernelDType(t.type));
        value.shape = t.shape;
        value.bytes = t.data;
        attrs.SetTensor(a.name, std::move(value));
        break;
      }
      default:
        return absl::InvalidArgumentError(
            absl::StrCat(node.Label(), ": attribute '", a.name, "' has no type"));
    }
  }
  return attrs;
}

}  // namespace hb_dnn::mapper
