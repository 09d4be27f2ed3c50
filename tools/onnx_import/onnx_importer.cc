#include "tools/onnx_import/onnx_importer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "src/base/aligned_buffer.h"
#include "src/base/status.h"
#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/runtime/dtype_map.h"
#include "src/runtime/tensor_geometry.h"
#include "tools/onnx_import/onnx_proto_util.h"

#ifndef HB_DNN_IMPORTER_VERSION
#define HB_DNN_IMPORTER_VERSION "unknown"
#endif

namespace hb_dnn::onnx_import {
namespace {

using kernels::DType;
using kernels::Shape;
using kernels::TensorInfo;

constexpr int64_t kMinOpset = 9;
constexpr int64_t kMaxOpset = 17;

// Evaluated values larger than this stay run-time tensors: folding them would mostly bloat the
// model file (an Expand or ConstantOfShape feeding a run-time op).
constexpr uint64_t kMaxFoldBytes = uint64_t{64} << 20;

// Ops whose result is not a function of their inputs: never evaluated at import time.
const std::set<std::string>& NondeterministicOps() {
  static const auto* ops =
      new std::set<std::string>{"RandomNormal",      "RandomUniform", "RandomNormalLike",
                                "RandomUniformLike", "Multinomial",   "Bernoulli"};
  return *ops;
}

// Ops whose output depends only on the input's type and shape, which are static here.
bool IsShapeOnlyOp(const std::string& op_type) { return op_type == "Shape" || op_type == "Size"; }

template <typename... Parts>
absl::Status ModelError(const Parts&... parts) {
  return Errorf(ErrorCode::kInvalidModel, parts...);
}

// Bytes of a dense tensor; nullopt when a dimension is negative or the size is absurd (> 2^62).
std::optional<uint64_t> ByteSize(DType dtype, const Shape& shape) {
  constexpr uint64_t kLimit = uint64_t{1} << 62;
  uint64_t bytes = kernels::DTypeSize(dtype);
  for (int64_t d : shape) {
    if (d < 0) return std::nullopt;
    uint64_t dim = static_cast<uint64_t>(d);
    if (dim != 0 && bytes > kLimit / dim) return std::nullopt;
    bytes *= dim;
  }
  return bytes;
}

std::string JoinShape(const std::vector<int64_t>& shape, const char* separator = "x") {
  return absl::StrJoin(shape, separator);
}

const char* OnnxTypeName(int32_t elem_type) {
  if (!onnx::TensorProto::DataType_IsValid(elem_type)) return "unknown";
  return onnx::TensorProto::DataType_Name(static_cast<onnx::TensorProto::DataType>(elem_type))
      .c_str();
}

bool IsFloatType(DType dtype) {
  return dtype == DType::kF32 || dtype == DType::kF64 || dtype == DType::kF16;
}

// Immutable bytes of a value known at import time, 64-byte aligned (kernels read them in place).
class ConstData {
 public:
  static absl::StatusOr<std::shared_ptr<ConstData>> Allocate(size_t size) {
    auto data = std::shared_ptr<ConstData>(new ConstData());
    data->bytes_ = AllocateAligned(size);
    if (data->bytes_ == nullptr) {
      return Errorf(ErrorCode::kOutOfMemory, "cannot allocate ", size, " bytes for a constant");
    }
    data->size_ = size;
    return data;
  }

  static absl::StatusOr<std::shared_ptr<const ConstData>> Copy(const void* source, size_t size) {
    HB_ASSIGN_OR_RETURN(std::shared_ptr<ConstData> data, Allocate(size));
    if (size != 0) std::memcpy(data->mutable_data(), source, size);
    return std::shared_ptr<const ConstData>(std::move(data));
  }

  const uint8_t* data() const { return bytes_.get(); }
  uint8_t* mutable_data() { return bytes_.get(); }
  size_t size() const { return size_; }
  std::string ToString() const { return std::string(reinterpret_cast<const char*>(data()), size_); }

 private:
  ConstData() = default;
  AlignedBytes bytes_;
  size_t size_ = 0;
};

using ConstPtr = std::shared_ptr<const ConstData>;

// One tensor of the graph while importing.
struct Value {
  DType dtype = DType::kUndefined;
  Shape shape;
  // The value when known at import time (initializers, Constant nodes, evaluated nodes).
  ConstPtr constant;
  // Index into Importer::nodes_ of the kept node computing it at run time; -1 when none (graph
  // inputs, and constants of the emitted model).
  int producer = -1;
  // Where the name came from, for messages.
  bool graph_input = false;
  bool initializer = false;
  int origin_node = -1;
};

// One node while importing; `kept` = it will be emitted.
struct Node {
  std::string name;  // unique, non-empty
  std::string op_type;
  std::string label;  // "node 'conv1' (Conv, opset 13)" for messages
  kernels::Attributes attributes;
  std::vector<std::string> inputs;       // "" = omitted optional input; trailing omissions removed
  std::vector<std::string> outputs;      // "" = omitted optional output; trailing omissions removed
  std::vector<TensorInfo> output_infos;  // type and shape per entry of `outputs` (data unset)
  bool kept = false;
};

class Importer {
 public:
  Importer(const onnx::ModelProto& model, const ImportOptions& options)
      : model_(model),
        graph_(model.graph()),
        options_(options),
        registry_(options.registry != nullptr ? options.registry
                                              : &kernels::OpRegistry::Builtin()) {}

  absl::StatusOr<ImportReport> Run(tools::PackageBuilder* package) {
    if (package == nullptr) return Errorf(ErrorCode::kInvalidArgument, "package is null");
    absl::StatusOr<runtime::March> march = runtime::ParseMarch(options_.march);
    if (!march.ok()) return Errorf(ErrorCode::kInvalidArgument, march.status().message());
    march_ = *march;
    report_.nodes_in = graph_.node_size();

    HB_RETURN_IF_ERROR(CheckOpset());
    HB_RETURN_IF_ERROR(CheckDomainsAndSupport());
    HB_RETURN_IF_ERROR(AddInitializers());
    HB_RETURN_IF_ERROR(AddGraphInputs());
    HB_RETURN_IF_ERROR(ImportNodes());
    HB_RETURN_IF_ERROR(CheckGraphOutputs());
    if (options_.fold_constants) BypassIdentities();
    if (options_.fuse_batchnorm) HB_RETURN_IF_ERROR(FuseBatchNorms());
    if (options_.fuse_activations) FuseActivations();
    RemoveDeadNodes();
    HB_RETURN_IF_ERROR(AddOutputIdentities());
    HB_RETURN_IF_ERROR(CheckKeptIdentities());
    HB_RETURN_IF_ERROR(PrepareOutputSpecs());
    HB_RETURN_IF_ERROR(Emit(package));
    return std::move(report_);
  }

 private:
  // ---- Names --------------------------------------------------------------------------------

  // `base`, or `base_1`, `base_2`, ... whichever is not yet a tensor name.
  std::string UniqueTensorName(const std::string& base) { return UniqueName(base, &tensor_names_); }
  std::string UniqueNodeName(const std::string& base) { return UniqueName(base, &node_names_); }

  static std::string UniqueName(const std::string& base, std::unordered_set<std::string>* taken) {
    if (taken->insert(base).second) return base;
    for (int suffix = 1;; ++suffix) {
      std::string candidate = absl::StrCat(base, "_", suffix);
      if (taken->insert(candidate).second) return candidate;
    }
  }

  std::string NodeRef(int index) const {
    const onnx::NodeProto& node = graph_.node(index);
    return node.name().empty() ? absl::StrCat("node #", index)
                               : absl::StrCat("node '", node.name(), "'");
  }

  std::string NodeLabel(int index) const {
    return absl::StrCat(NodeRef(index), " (", graph_.node(index).op_type(), ", opset ", opset_,
                        ")");
  }

  // Who defined `name`, for duplicate-definition messages.
  std::string OriginOf(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end()) return "another definition";
    if (it->second.initializer) return "an initializer";
    if (it->second.graph_input) return "a graph input";
    if (it->second.origin_node >= 0) return NodeLabel(it->second.origin_node);
    return "another definition";
  }

  // ---- Model-level checks -------------------------------------------------------------------

  absl::Status CheckOpset() {
    int64_t version = OpsetVersion(model_, "");
    if (version == 0) {
      return ModelError(
          "the model imports no opset of the default ONNX domain (opset_import has "
          "no entry for domain '' or 'ai.onnx')");
    }
    if (version < kMinOpset || version > kMaxOpset) {
      return ModelError("the opset version of the onnx model is ", version,
                        ", only opset versions ", kMinOpset, "..", kMaxOpset,
                        " are supported: re-export the model with an opset_version in that range");
    }
    opset_ = static_cast<int>(version);
    return absl::OkStatus();
  }

  // Every node must be of the default domain and have a kernel (Constant and Identity are
  // handled by the importer itself). Unsupported ops are reported together, as the vendor's
  // checker does, with the first node named.
  absl::Status CheckDomainsAndSupport() {
    for (int i = 0; i < graph_.node_size(); ++i) {
      const onnx::NodeProto& node = graph_.node(i);
      if (node.op_type().empty()) return ModelError(NodeRef(i), " has no op type");
      const std::string& domain = node.domain();
      if (domain.empty() || domain == "ai.onnx") continue;
      std::set<std::string> same_domain;
      for (const onnx::NodeProto& other : graph_.node()) {
        if (other.domain() == domain) same_domain.insert(other.op_type());
      }
      return ModelError(NodeRef(i), " (", node.op_type(), ", domain '", domain, "'): domain '",
                        domain,
                        "' is not supported by official onnx, and custom operators are not "
                        "supported by the CPU kernels (ops of this domain in the model: ",
                        absl::StrJoin(same_domain, ", "), ")");
    }
    int first_unsupported = -1;
    absl::Status first_status;
    std::map<std::string, int> unsupported;  // op type -> node count
    for (int i = 0; i < graph_.node_size(); ++i) {
      const std::string& op_type = graph_.node(i).op_type();
      if (op_type == "Constant" || op_type == "Identity") continue;
      absl::StatusOr<const kernels::OpRegistration*> found = registry_->Find("", op_type, opset_);
      if (found.ok()) continue;
      if (first_unsupported < 0) {
        first_unsupported = i;
        first_status = found.status();
      }
      ++unsupported[op_type];
    }
    if (first_unsupported < 0) return absl::OkStatus();
    const std::string& op_type = graph_.node(first_unsupported).op_type();
    std::string reason = registry_->Supports("", op_type)
                             ? std::string(first_status.message())
                             : std::string("op is not supported by the CPU kernels");
    std::string message = absl::StrCat(NodeLabel(first_unsupported), ": ", reason);
    int total = 0;
    for (const auto& [op, count] : unsupported) total += count;
    if (total > 1) {
      std::vector<std::string> parts;
      for (const auto& [op, count] : unsupported) {
        parts.push_back(absl::StrCat(op, " (", count, count == 1 ? " node)" : " nodes)"));
      }
      absl::StrAppend(&message, "; the CPU kernels do not support these ops of the model: ",
                      absl::StrJoin(parts, ", "));
    }
    return ModelError(message);
  }

  absl::Status AddInitializers() {
    if (graph_.sparse_initializer_size() > 0) {
      const onnx::SparseTensorProto& sparse = graph_.sparse_initializer(0);
      return ModelError("sparse initializer '", sparse.values().name(),
                        "' is not supported: store initializers as dense tensors");
    }
    for (int k = 0; k < graph_.initializer_size(); ++k) {
      const onnx::TensorProto& proto = graph_.initializer(k);
      if (proto.name().empty()) return ModelError("initializer #", k, " has no name");
      if (values_.count(proto.name()) != 0) {
        return ModelError("initializer '", proto.name(), "' appears twice");
      }
      absl::StatusOr<DecodedTensor> tensor = DecodeTensor(proto);
      if (!tensor.ok()) return ModelError("initializer ", tensor.status().message());
      HB_ASSIGN_OR_RETURN(ConstPtr data,
                          ConstData::Copy(tensor->bytes.data(), tensor->bytes.size()));
      Value& value = values_[proto.name()];
      value.dtype = tensor->dtype;
      value.shape = tensor->shape;
      value.constant = std::move(data);
      value.initializer = true;
      tensor_names_.insert(proto.name());
      initializer_names_.push_back(proto.name());
    }
    return absl::OkStatus();
  }

  // The shape of graph input `input`: the override when given, else the declared static shape.
  absl::StatusOr<Shape> InputShape(const onnx::ValueInfoProto& input,
                                   const onnx::TypeProto::Tensor& tensor_type) {
    const std::string& name = input.name();
    const bool declared = tensor_type.has_shape();
    const onnx::TensorShapeProto& dims = tensor_type.shape();
    auto override_it = options_.input_shapes.find(name);
    if (override_it != options_.input_shapes.end()) {
      const std::vector<int64_t>& shape = override_it->second;
      if (declared && dims.dim_size() != static_cast<int>(shape.size())) {
        return Errorf(ErrorCode::kInvalidArgument, "input '", name, "' has rank ", dims.dim_size(),
                      " but --input-shape gives ", shape.size(), " dimensions (", JoinShape(shape),
                      ")");
      }
      for (int64_t d : shape) {
        if (d < 1) {
          return Errorf(ErrorCode::kInvalidArgument, "--input-shape for input '", name, "' (",
                        JoinShape(shape), ") has a dimension < 1");
        }
      }
      if (declared) {
        std::vector<std::string> declared_text;
        bool changes_static = false;
        for (int k = 0; k < dims.dim_size(); ++k) {
          const onnx::TensorShapeProto::Dimension& dim = dims.dim(k);
          bool is_static = dim.value_case() == onnx::TensorShapeProto::Dimension::kDimValue &&
                           dim.dim_value() > 0;
          declared_text.push_back(is_static ? absl::StrCat(dim.dim_value()) : "?");
          if (is_static && dim.dim_value() != shape[k]) changes_static = true;
        }
        if (changes_static) overrides_static_dims_ = true;
        report_.notes.push_back(absl::StrCat("input '", name, "': shape ", JoinShape(shape),
                                             " from --input-shape (declared ",
                                             absl::StrJoin(declared_text, "x"), ")"));
      }
      return shape;
    }
    if (!declared) {
      return ModelError("input '", name, "' has no declared shape: pass --input-shape ", name,
                        " <shape, e.g. 1x3x224x224>");
    }
    Shape shape;
    // The command to suggest: dynamic batch (dimension 0) as 1, other dynamic dimensions as '?'.
    std::vector<std::string> suggestion;
    bool needs_sizes = false;
    int first_dynamic = -1;
    std::string dynamic_what;
    for (int k = 0; k < dims.dim_size(); ++k) {
      const onnx::TensorShapeProto::Dimension& dim = dims.dim(k);
      if (dim.value_case() == onnx::TensorShapeProto::Dimension::kDimValue && dim.dim_value() > 0) {
        shape.push_back(dim.dim_value());
        suggestion.push_back(absl::StrCat(dim.dim_value()));
        continue;
      }
      suggestion.push_back(k == 0 ? "1" : "?");
      if (k != 0) needs_sizes = true;
      if (first_dynamic >= 0) continue;
      first_dynamic = k;
      if (dim.value_case() == onnx::TensorShapeProto::Dimension::kDimParam &&
          !dim.dim_param().empty()) {
        dynamic_what = absl::StrCat("is dynamic ('", dim.dim_param(), "')");
      } else if (dim.value_case() == onnx::TensorShapeProto::Dimension::kDimValue) {
        dynamic_what = absl::StrCat("is ", dim.dim_value());
      } else {
        dynamic_what = "is dynamic (unnamed)";
      }
    }
    if (first_dynamic >= 0) {
      return ModelError("input '", name, "' dimension ", first_dynamic, " ", dynamic_what,
                        ": pass --input-shape ", name, " ", absl::StrJoin(suggestion, "x"),
                        needs_sizes ? " (with each ? replaced by a size)" : "");
    }
    return shape;
  }

  absl::Status AddGraphInputs() {
    std::unordered_set<std::string> runtime_inputs;
    int constant_inputs = 0;
    for (int k = 0; k < graph_.input_size(); ++k) {
      const onnx::ValueInfoProto& input = graph_.input(k);
      const std::string& name = input.name();
      if (name.empty()) return ModelError("graph input #", k, " has no name");
      auto existing = values_.find(name);
      if (existing != values_.end()) {
        if (existing->second.initializer && !existing->second.graph_input) {
          // An initializer listed among the inputs (IR < 4 exporters): a constant.
          existing->second.graph_input = true;
          ++constant_inputs;
          continue;
        }
        return ModelError("graph input '", name, "' is listed twice");
      }
      if (!input.type().has_tensor_type()) {
        return ModelError("input '", name, "' is not a tensor: only tensor inputs are supported");
      }
      const onnx::TypeProto::Tensor& tensor_type = input.type().tensor_type();
      absl::StatusOr<DType> dtype = DTypeFromOnnx(tensor_type.elem_type());
      if (!dtype.ok()) return ModelError("input '", name, "': ", dtype.status().message());
      HB_ASSIGN_OR_RETURN(Shape shape, InputShape(input, tensor_type));
      Value& value = values_[name];
      value.dtype = *dtype;
      value.shape = shape;
      value.graph_input = true;
      tensor_names_.insert(name);
      HB_ASSIGN_OR_RETURN(tools::IoSpec spec, MakeIoSpec("input", name, value));
      input_specs_.push_back(std::move(spec));
      input_names_.push_back(name);
      runtime_inputs.insert(name);
    }
    if (constant_inputs > 0) {
      report_.notes.push_back(absl::StrCat(constant_inputs,
                                           " graph inputs are initializers and were treated as "
                                           "constants"));
    }
    for (const auto& [name, shape] : options_.input_shapes) {
      if (runtime_inputs.count(name) != 0) continue;
      auto it = values_.find(name);
      if (it != values_.end() && it->second.initializer) {
        return Errorf(ErrorCode::kInvalidArgument, "--input-shape names '", name,
                      "', which is an initializer (a constant), not a model input");
      }
      return Errorf(ErrorCode::kInvalidArgument, "--input-shape names '", name,
                    "', which is not an input of the model (inputs: ",
                    absl::StrJoin(input_names_, ", "), ")");
    }
    if (input_names_.empty()) {
      return ModelError(
          "the graph has no inputs besides initializers: a model needs at least one "
          "input");
    }
    return absl::OkStatus();
  }

  // How model input/output `name` appears at the C API; validates its geometry so that emitting
  // cannot fail later.
  absl::StatusOr<tools::IoSpec> MakeIoSpec(const char* kind, const std::string& name,
                                           const Value& value) {
    tools::IoSpec spec;
    spec.name = name;
    HB_ASSIGN_OR_RETURN(spec.data_type, runtime::ModelDataType(value.dtype));
    // The C API has no boolean type; booleans are bytes holding 0 or 1.
    if (spec.data_type == fb::DataType::BOOL) spec.data_type = fb::DataType::U8;
    spec.layout =
        value.shape.size() == 4 && IsFloatType(value.dtype) ? fb::Layout::NCHW : fb::Layout::NONE;
    spec.bpu_side = false;
    for (int64_t d : value.shape) {
      if (d < 1 || d > std::numeric_limits<int32_t>::max()) {
        return ModelError(kind, " '", name, "' has shape ", kernels::ShapeString(value.shape),
                          ": model inputs and outputs need dimensions in 1..2147483647");
      }
      spec.valid_shape.push_back(static_cast<int32_t>(d));
    }
    if (value.shape.empty()) {
      // The C API has no rank-0 tensors: a scalar is presented as one element.
      spec.valid_shape = {1};
      report_.notes.push_back(
          absl::StrCat(kind, " '", name, "' is a scalar, presented as shape (1)"));
    }
    absl::StatusOr<runtime::TensorGeometry> geometry = runtime::ComputeGeometry(
        march_, spec.data_type, spec.layout, spec.valid_shape, spec.bpu_side);
    if (!geometry.ok()) return ModelError(kind, " '", name, "': ", geometry.status().message());
    return spec;
  }

  // ---- Nodes --------------------------------------------------------------------------------

  absl::Status ImportNodes() {
    std::unordered_map<std::string, int> first_producer;
    for (int i = 0; i < graph_.node_size(); ++i) {
      for (const std::string& output : graph_.node(i).output()) {
        if (!output.empty()) first_producer.emplace(output, i);
      }
    }
    nodes_.resize(graph_.node_size());
    for (int i = 0; i < graph_.node_size(); ++i) {
      const onnx::NodeProto& proto = graph_.node(i);
      Node& node = nodes_[i];
      node.op_type = proto.op_type();
      node.label = NodeLabel(i);
      node.name = UniqueNodeName(proto.name().empty() ? absl::StrCat(proto.op_type(), "_", i)
                                                      : proto.name());
      node.inputs.assign(proto.input().begin(), proto.input().end());
      while (!node.inputs.empty() && node.inputs.back().empty()) node.inputs.pop_back();
      node.outputs.assign(proto.output().begin(), proto.output().end());
      while (!node.outputs.empty() && node.outputs.back().empty()) node.outputs.pop_back();

      for (const std::string& input : node.inputs) {
        if (input.empty() || values_.count(input) != 0) continue;
        auto producer = first_producer.find(input);
        if (producer == first_producer.end()) {
          return ModelError(node.label, ": input '", input,
                            "' is not produced by any node, graph input or initializer");
        }
        if (producer->second == i) {
          return ModelError(node.label, ": input '", input, "' is the node's own output");
        }
        return ModelError(node.label, ": input '", input, "' is produced by a later node, ",
                          NodeLabel(producer->second),
                          ": the graph is not topologically sorted (re-export the model or sort "
                          "it with onnx tools)");
      }
      std::unordered_set<std::string> own_outputs;
      for (const std::string& output : node.outputs) {
        if (output.empty()) continue;
        if (!own_outputs.insert(output).second) {
          return ModelError(node.label, ": output '", output, "' is listed twice");
        }
        if (values_.count(output) != 0) {
          return ModelError(node.label, ": output '", output, "' is already produced by ",
                            OriginOf(output), " (tensor names must be unique)");
        }
      }
      if (node.outputs.empty()) return ModelError(node.label, ": the node has no outputs");

      if (node.op_type == "Constant") {
        HB_RETURN_IF_ERROR(ImportConstant(i));
      } else {
        HB_RETURN_IF_ERROR(CheckAttributeTypes(i));
        absl::StatusOr<kernels::Attributes> attributes = DecodeAttributes(proto);
        if (!attributes.ok()) return ModelError(node.label, ": ", attributes.status().message());
        node.attributes = std::move(*attributes);
        if (node.op_type == "Identity") {
          HB_RETURN_IF_ERROR(ImportIdentity(i));
        } else {
          HB_RETURN_IF_ERROR(ImportKernelNode(i));
        }
      }
      for (const std::string& output : node.outputs) {
        if (!output.empty()) tensor_names_.insert(output);
      }
    }
    return absl::OkStatus();
  }

  // Subgraph-valued and other exotic attributes have no kernel representation.
  absl::Status CheckAttributeTypes(int index) {
    for (const onnx::AttributeProto& attribute : graph_.node(index).attribute()) {
      switch (attribute.type()) {
        case onnx::AttributeProto::INT:
        case onnx::AttributeProto::FLOAT:
        case onnx::AttributeProto::STRING:
        case onnx::AttributeProto::INTS:
        case onnx::AttributeProto::FLOATS:
        case onnx::AttributeProto::STRINGS:
        case onnx::AttributeProto::TENSOR: break;
        case onnx::AttributeProto::GRAPH:
        case onnx::AttributeProto::GRAPHS:
          return ModelError(nodes_[index].label, ": attribute '", attribute.name(),
                            "' is a subgraph: control flow (If, Loop, Scan) is not supported");
        default:
          return ModelError(nodes_[index].label, ": attribute '", attribute.name(), "' of type ",
                            onnx::AttributeProto::AttributeType_IsValid(attribute.type())
                                ? onnx::AttributeProto::AttributeType_Name(attribute.type())
                                : std::string("unknown"),
                            " is not supported");
      }
    }
    return absl::OkStatus();
  }

  // Records node `index`'s outputs: known values (or null) per entry of `outputs`.
  void SetOutputs(int index, const std::vector<TensorInfo>& infos,
                  const std::vector<ConstPtr>& known, bool kept) {
    Node& node = nodes_[index];
    node.kept = kept;
    node.output_infos.clear();
    for (size_t k = 0; k < node.outputs.size(); ++k) {
      node.output_infos.push_back({infos[k].dtype, infos[k].shape, nullptr});
      if (node.outputs[k].empty()) continue;
      Value& value = values_[node.outputs[k]];
      value.dtype = infos[k].dtype;
      value.shape = infos[k].shape;
      value.constant = k < known.size() ? known[k] : nullptr;
      value.producer = kept ? index : -1;
      value.origin_node = index;
    }
    if (!kept) ++report_.folded_constants;
  }

  absl::Status ImportConstant(int index) {
    const onnx::NodeProto& proto = graph_.node(index);
    Node& node = nodes_[index];
    if (!node.inputs.empty()) return ModelError(node.label, ": Constant takes no inputs");
    if (node.outputs.size() != 1 || node.outputs[0].empty()) {
      return ModelError(node.label, ": Constant needs exactly one output");
    }
    const onnx::AttributeProto* value_attribute = nullptr;
    for (const onnx::AttributeProto& attribute : proto.attribute()) {
      if (attribute.name().rfind("value", 0) != 0 && attribute.name() != "sparse_value") continue;
      if (value_attribute != nullptr) {
        return ModelError(node.label, ": Constant has both '", value_attribute->name(), "' and '",
                          attribute.name(), "'; exactly one value attribute is allowed");
      }
      value_attribute = &attribute;
    }
    if (value_attribute == nullptr) {
      return ModelError(node.label, ": Constant has no value attribute");
    }
    const onnx::AttributeProto& a = *value_attribute;
    auto expect = [&](onnx::AttributeProto::AttributeType type) -> absl::Status {
      if (a.type() == type) return absl::OkStatus();
      return ModelError(node.label, ": attribute '", a.name(), "' has type ",
                        onnx::AttributeProto::AttributeType_IsValid(a.type())
                            ? onnx::AttributeProto::AttributeType_Name(a.type())
                            : std::string("unknown"),
                        ", expected ", onnx::AttributeProto::AttributeType_Name(type));
    };
    DType dtype = DType::kUndefined;
    Shape shape;
    std::string bytes;
    if (a.name() == "value") {
      HB_RETURN_IF_ERROR(expect(onnx::AttributeProto::TENSOR));
      absl::StatusOr<DecodedTensor> tensor = DecodeTensor(a.t());
      if (!tensor.ok()) return ModelError(node.label, ": ", tensor.status().message());
      dtype = tensor->dtype;
      shape = tensor->shape;
      bytes = std::move(tensor->bytes);
    } else if (a.name() == "value_float") {
      HB_RETURN_IF_ERROR(expect(onnx::AttributeProto::FLOAT));
      dtype = DType::kF32;
      float v = a.f();
      bytes.assign(reinterpret_cast<const char*>(&v), sizeof(v));
    } else if (a.name() == "value_floats") {
      HB_RETURN_IF_ERROR(expect(onnx::AttributeProto::FLOATS));
      dtype = DType::kF32;
      shape = {a.floats_size()};
      for (float v : a.floats()) bytes.append(reinterpret_cast<const char*>(&v), sizeof(v));
    } else if (a.name() == "value_int") {
      HB_RETURN_IF_ERROR(expect(onnx::AttributeProto::INT));
      dtype = DType::kI64;
      int64_t v = a.i();
      bytes.assign(reinterpret_cast<const char*>(&v), sizeof(v));
    } else if (a.name() == "value_ints") {
      HB_RETURN_IF_ERROR(expect(onnx::AttributeProto::INTS));
      dtype = DType::kI64;
      shape = {a.ints_size()};
      for (int64_t v : a.ints()) bytes.append(reinterpret_cast<const char*>(&v), sizeof(v));
    } else {
      return ModelError(node.label, ": attribute '", a.name(),
                        "' is not supported: only dense numeric constants (value, value_float(s), "
                        "value_int(s)) can be imported");
    }
    HB_ASSIGN_OR_RETURN(ConstPtr data, ConstData::Copy(bytes.data(), bytes.size()));
    SetOutputs(index, {TensorInfo{dtype, shape, nullptr}}, {std::move(data)}, /*kept=*/false);
    return absl::OkStatus();
  }

  // Identity needs no kernel at import time: its output is its input. Of a constant it folds to
  // the same bytes; otherwise it is kept here and bypassed later when possible.
  absl::Status ImportIdentity(int index) {
    Node& node = nodes_[index];
    if (node.inputs.size() != 1 || node.inputs[0].empty() || node.outputs.size() != 1 ||
        node.outputs[0].empty()) {
      return ModelError(node.label, ": Identity needs one input and one output, found ",
                        node.inputs.size(), " and ", node.outputs.size());
    }
    const Value& input = values_.at(node.inputs[0]);
    TensorInfo info{input.dtype, input.shape, nullptr};
    ConstPtr known = input.constant;
    bool fold = options_.fold_constants && known != nullptr;
    SetOutputs(index, {info}, {known}, /*kept=*/!fold);
    return absl::OkStatus();
  }

  absl::Status ImportKernelNode(int index) {
    Node& node = nodes_[index];
    kernels::KernelCreateArgs args{node.attributes, opset_, static_cast<int>(node.inputs.size()),
                                   static_cast<int>(node.outputs.size())};
    absl::StatusOr<std::unique_ptr<kernels::OpKernel>> kernel =
        registry_->Create("", node.op_type, args);
    if (!kernel.ok()) return ModelError(node.label, ": ", kernel.status().message());

    std::vector<TensorInfo> input_infos;
    bool all_known = NondeterministicOps().count(node.op_type) == 0;
    for (const std::string& input : node.inputs) {
      if (input.empty()) {
        input_infos.emplace_back();
        continue;
      }
      const Value& value = values_.at(input);
      input_infos.push_back(
          {value.dtype, value.shape, value.constant ? value.constant->data() : nullptr});
      if (value.constant == nullptr) all_known = false;
    }
    std::vector<TensorInfo> output_infos;
    absl::Status prepared = (*kernel)->Prepare(input_infos, &output_infos);
    if (!prepared.ok()) return ModelError(node.label, ": ", prepared.message());
    if (output_infos.size() < node.outputs.size()) {
      return ModelError(node.label, ": the kernel computed ", output_infos.size(),
                        " outputs but the node has ", node.outputs.size());
    }
    bool fits = true;
    bool prepare_known = true;
    for (size_t k = 0; k < node.outputs.size(); ++k) {
      const TensorInfo& info = output_infos[k];
      std::optional<uint64_t> bytes = ByteSize(info.dtype, info.shape);
      if (info.dtype == DType::kUndefined || !bytes.has_value()) {
        return ModelError(node.label, ": the kernel gave output ", k, " '", node.outputs[k],
                          "' type ", kernels::DTypeName(info.dtype), " and shape ",
                          kernels::ShapeString(info.shape));
      }
      if (*bytes > kMaxFoldBytes) fits = false;
      if (info.data == nullptr) prepare_known = false;
    }

    std::vector<ConstPtr> known;
    if (fits && all_known) {
      HB_ASSIGN_OR_RETURN(known, Evaluate(node, **kernel, input_infos, output_infos, {}));
    } else if (fits && prepare_known) {
      for (size_t k = 0; k < node.outputs.size(); ++k) {
        const TensorInfo& info = output_infos[k];
        HB_ASSIGN_OR_RETURN(ConstPtr data,
                            ConstData::Copy(info.data, *ByteSize(info.dtype, info.shape)));
        known.push_back(std::move(data));
      }
    } else if (fits && IsShapeOnlyOp(node.op_type) && !input_infos.empty() &&
               input_infos[0].present()) {
      // The result does not depend on the values: run the kernel on zeros of the static shape.
      std::optional<uint64_t> input_bytes = ByteSize(input_infos[0].dtype, input_infos[0].shape);
      if (input_bytes.has_value() && *input_bytes <= kMaxFoldBytes) {
        HB_ASSIGN_OR_RETURN(std::shared_ptr<ConstData> zeros,
                            ConstData::Allocate(static_cast<size_t>(*input_bytes)));
        HB_ASSIGN_OR_RETURN(known, Evaluate(node, **kernel, input_infos, output_infos,
                                            {std::shared_ptr<const ConstData>(std::move(zeros))}));
      }
    }
    if (!fits && all_known) ++too_large_to_fold_;
    bool folded = !known.empty() && options_.fold_constants;
    SetOutputs(index, output_infos, known, /*kept=*/!folded);
    return absl::OkStatus();
  }

  // Runs `kernel` on known inputs (`substitutes[k]`, when given, replaces input k's data) and
  // returns the node's outputs as constants.
  absl::StatusOr<std::vector<ConstPtr>> Evaluate(const Node& node, const kernels::OpKernel& kernel,
                                                 const std::vector<TensorInfo>& input_infos,
                                                 const std::vector<TensorInfo>& output_infos,
                                                 const std::vector<ConstPtr>& substitutes) {
    std::vector<kernels::ConstTensorView> inputs;
    for (size_t k = 0; k < input_infos.size(); ++k) {
      const TensorInfo& info = input_infos[k];
      if (!info.present()) {
        inputs.emplace_back();
        continue;
      }
      const void* data =
          k < substitutes.size() && substitutes[k] ? substitutes[k]->data() : info.data;
      inputs.push_back({data, info.dtype, info.shape});
    }
    std::vector<std::shared_ptr<ConstData>> storage;
    std::vector<kernels::TensorView> outputs;
    for (size_t k = 0; k < output_infos.size(); ++k) {
      const TensorInfo& info = output_infos[k];
      if (k >= node.outputs.size()) {
        // Outputs the node does not name get no storage; kernels skip null outputs.
        outputs.push_back({nullptr, info.dtype, info.shape});
        continue;
      }
      HB_ASSIGN_OR_RETURN(
          std::shared_ptr<ConstData> data,
          ConstData::Allocate(static_cast<size_t>(*ByteSize(info.dtype, info.shape))));
      outputs.push_back({data->mutable_data(), info.dtype, info.shape});
      storage.push_back(std::move(data));
    }
    absl::Status ran = kernel.Run(inputs, outputs);
    if (!ran.ok()) {
      return ModelError(node.label,
                        ": evaluating the node on constant inputs failed: ", ran.message());
    }
    return std::vector<ConstPtr>(storage.begin(), storage.end());
  }

  // ---- Graph outputs ------------------------------------------------------------------------

  absl::Status CheckGraphOutputs() {
    if (graph_.output_size() == 0) return ModelError("the graph has no outputs");
    for (int k = 0; k < graph_.output_size(); ++k) {
      const onnx::ValueInfoProto& output = graph_.output(k);
      const std::string& name = output.name();
      if (name.empty()) return ModelError("graph output #", k, " has no name");
      if (std::find(output_names_.begin(), output_names_.end(), name) != output_names_.end()) {
        return ModelError("graph output '", name, "' is listed twice");
      }
      auto it = values_.find(name);
      if (it == values_.end()) {
        return ModelError("graph output '", name,
                          "' is not produced by any node, graph input or initializer");
      }
      output_names_.push_back(name);
      const Value& value = it->second;
      if (!output.has_type()) continue;
      if (!output.type().has_tensor_type()) {
        return ModelError("graph output '", name,
                          "' is not a tensor: only tensor outputs are "
                          "supported");
      }
      const onnx::TypeProto::Tensor& declared = output.type().tensor_type();
      if (declared.elem_type() != onnx::TensorProto::UNDEFINED) {
        absl::StatusOr<DType> dtype = DTypeFromOnnx(declared.elem_type());
        if (!dtype.ok() || *dtype != value.dtype) {
          return ModelError("graph output '", name, "' is declared ",
                            OnnxTypeName(declared.elem_type()), " but the model computes ",
                            kernels::DTypeName(value.dtype));
        }
      }
      if (!declared.has_shape()) continue;
      absl::Status mismatch = CompareDeclaredShape(name, declared.shape(), value.shape);
      if (mismatch.ok()) continue;
      if (!overrides_static_dims_) return mismatch;
      report_.notes.push_back(absl::StrCat(mismatch.message(),
                                           " (accepted: --input-shape changed static input "
                                           "dimensions)"));
    }
    return absl::OkStatus();
  }

  static absl::Status CompareDeclaredShape(const std::string& name,
                                           const onnx::TensorShapeProto& declared,
                                           const Shape& inferred) {
    if (declared.dim_size() != static_cast<int>(inferred.size())) {
      return ModelError("graph output '", name, "': inferred shape ",
                        kernels::ShapeString(inferred), " has rank ", inferred.size(),
                        " but the declared shape has rank ", declared.dim_size());
    }
    for (int k = 0; k < declared.dim_size(); ++k) {
      const onnx::TensorShapeProto::Dimension& dim = declared.dim(k);
      if (dim.value_case() != onnx::TensorShapeProto::Dimension::kDimValue) continue;
      if (dim.dim_value() == inferred[k]) continue;
      return ModelError("graph output '", name, "': inferred shape ",
                        kernels::ShapeString(inferred), " and declared shape differ in dimension ",
                        k, ": (", inferred[k], ") vs (", dim.dim_value(), ")");
    }
    return absl::OkStatus();
  }

  bool IsGraphOutput(const std::string& name) const {
    return std::find(output_names_.begin(), output_names_.end(), name) != output_names_.end();
  }

  // ---- Graph rewrites -----------------------------------------------------------------------

  // A value the emitted model stores as a constant.
  bool IsConstant(const std::string& name) const {
    auto it = values_.find(name);
    return it != values_.end() && it->second.constant != nullptr && it->second.producer < 0;
  }

  // Kept Identity nodes whose output is not a graph output: readers take the input instead.
  void BypassIdentities() {
    int bypassed = 0;
    for (size_t i = 0; i < nodes_.size(); ++i) {
      Node& identity = nodes_[i];
      if (!identity.kept || identity.op_type != "Identity") continue;
      const std::string& from = identity.outputs[0];
      if (IsGraphOutput(from)) continue;
      const std::string to = identity.inputs[0];
      for (size_t j = i + 1; j < nodes_.size(); ++j) {
        if (!nodes_[j].kept) continue;
        for (std::string& input : nodes_[j].inputs) {
          if (input == from) input = to;
        }
      }
      identity.kept = false;
      values_[from].producer = -1;
      ++bypassed;
    }
    if (bypassed > 0) {
      report_.notes.push_back(absl::StrCat("bypassed ", bypassed, " Identity nodes"));
    }
  }

  std::unordered_map<std::string, int> CountReaders() const {
    std::unordered_map<std::string, int> readers;
    for (const Node& node : nodes_) {
      if (!node.kept) continue;
      for (const std::string& input : node.inputs) {
        if (!input.empty()) ++readers[input];
      }
    }
    return readers;
  }

  // The float values of constant `name` when it is an F32 tensor of `elements` elements.
  std::optional<const float*> ConstantFloats(const std::string& name, int64_t elements) const {
    if (!IsConstant(name)) return std::nullopt;
    const Value& value = values_.at(name);
    if (value.dtype != DType::kF32 || kernels::NumElements(value.shape) != elements) {
      return std::nullopt;
    }
    return reinterpret_cast<const float*>(value.constant->data());
  }

  absl::Status FuseBatchNorms() {
    std::unordered_map<std::string, int> readers = CountReaders();
    for (Node& bn : nodes_) {
      if (!bn.kept || bn.op_type != "BatchNormalization" || bn.inputs.size() != 5) continue;
      const std::string& x = bn.inputs[0];
      if (x.empty() || IsGraphOutput(x) || readers[x] != 1) continue;
      int conv_index = values_.at(x).producer;
      if (conv_index < 0) continue;
      Node& conv = nodes_[conv_index];
      if (!conv.kept || conv.op_type != "Conv" || conv.outputs.size() != 1 ||
          conv.inputs.size() < 2) {
        continue;
      }
      absl::StatusOr<int64_t> training = bn.attributes.GetInt("training_mode", 0);
      if (!training.ok() || *training != 0) continue;
      bool extra_outputs_used = false;
      for (size_t k = 1; k < bn.outputs.size(); ++k) {
        const std::string& extra = bn.outputs[k];
        if (!extra.empty() && (readers[extra] > 0 || IsGraphOutput(extra))) {
          extra_outputs_used = true;
        }
      }
      if (extra_outputs_used) continue;
      const std::string& w_name = conv.inputs[1];
      if (!IsConstant(w_name)) continue;
      const Value& w = values_.at(w_name);
      if (w.dtype != DType::kF32 || w.shape.size() < 3 || w.shape[0] < 1) continue;
      const int64_t channels = w.shape[0];
      std::optional<const float*> scale = ConstantFloats(bn.inputs[1], channels);
      std::optional<const float*> beta = ConstantFloats(bn.inputs[2], channels);
      std::optional<const float*> mean = ConstantFloats(bn.inputs[3], channels);
      std::optional<const float*> var = ConstantFloats(bn.inputs[4], channels);
      if (!scale || !beta || !mean || !var) continue;
      std::optional<const float*> bias;
      bool has_bias = conv.inputs.size() > 2 && !conv.inputs[2].empty();
      if (has_bias) {
        bias = ConstantFloats(conv.inputs[2], channels);
        if (!bias) continue;
      }
      absl::StatusOr<float> epsilon = bn.attributes.GetFloat("epsilon", 1e-5f);
      if (!epsilon.ok()) continue;

      // y = scale * (conv(x) + b - mean) / sqrt(var + eps) + beta per output channel m, so
      // W'[m] = W[m] * s[m] and b'[m] = (b[m] - mean[m]) * s[m] + beta[m] with
      // s = scale / sqrt(var + eps); computed in double, rounded once to float.
      const int64_t per_channel = kernels::NumElements(w.shape) / channels;
      const float* w_data = reinterpret_cast<const float*>(w.constant->data());
      HB_ASSIGN_OR_RETURN(std::shared_ptr<ConstData> new_w,
                          ConstData::Allocate(w.constant->size()));
      HB_ASSIGN_OR_RETURN(std::shared_ptr<ConstData> new_b,
                          ConstData::Allocate(static_cast<size_t>(channels) * sizeof(float)));
      float* w_out = reinterpret_cast<float*>(new_w->mutable_data());
      float* b_out = reinterpret_cast<float*>(new_b->mutable_data());
      for (int64_t m = 0; m < channels; ++m) {
        double s = static_cast<double>((*scale)[m]) /
                   std::sqrt(static_cast<double>((*var)[m]) + static_cast<double>(*epsilon));
        for (int64_t e = 0; e < per_channel; ++e) {
          w_out[m * per_channel + e] = static_cast<float>(w_data[m * per_channel + e] * s);
        }
        double b = has_bias ? static_cast<double>((*bias)[m]) : 0.0;
        b_out[m] = static_cast<float>((b - (*mean)[m]) * s + (*beta)[m]);
      }
      std::string w_fused = UniqueTensorName(absl::StrCat(w_name, "_bn_fused"));
      std::string b_fused = UniqueTensorName(has_bias ? absl::StrCat(conv.inputs[2], "_bn_fused")
                                                      : absl::StrCat(conv.name, "_bias_bn_fused"));
      values_[w_fused] = Value{DType::kF32, w.shape, std::move(new_w), -1, false, false, -1};
      values_[b_fused] = Value{DType::kF32, {channels}, std::move(new_b), -1, false, false, -1};
      conv.inputs.resize(3);
      conv.inputs[1] = w_fused;
      conv.inputs[2] = b_fused;
      conv.outputs[0] = bn.outputs[0];
      values_[bn.outputs[0]].producer = conv_index;
      values_[x].producer = -1;
      bn.kept = false;
      ++report_.fused_batchnorms;
    }
    return absl::OkStatus();
  }

  // The clamp bounds of a Relu or Clip node, or nullopt when they are not import-time constants.
  std::optional<std::pair<float, float>> ClampBounds(const Node& act) const {
    constexpr float kInf = std::numeric_limits<float>::infinity();
    if (act.op_type == "Relu") return std::make_pair(0.0f, kInf);
    if (opset_ < 11) {
      absl::StatusOr<float> lo = act.attributes.GetFloat("min", -kInf);
      absl::StatusOr<float> hi = act.attributes.GetFloat("max", kInf);
      if (!lo.ok() || !hi.ok()) return std::nullopt;
      return std::make_pair(*lo, *hi);
    }
    float bounds[2] = {-kInf, kInf};
    for (size_t k = 1; k <= 2 && k < act.inputs.size(); ++k) {
      if (act.inputs[k].empty()) continue;
      std::optional<const float*> value = ConstantFloats(act.inputs[k], 1);
      if (!value) return std::nullopt;
      bounds[k - 1] = **value;
    }
    return std::make_pair(bounds[0], bounds[1]);
  }

  // Folds a Relu or Clip that is the only reader of a float Conv's output into the Conv, as the
  // attribute kernels::kFusedClampAttribute = [min, max]; every Conv kernel clamps its output to
  // it, so the activation costs no extra pass over memory (MobileNetV2's ReLU6, ResNet's ReLU).
  void FuseActivations() {
    std::unordered_map<std::string, int> readers = CountReaders();
    for (Node& act : nodes_) {
      if (!act.kept || (act.op_type != "Relu" && act.op_type != "Clip") || act.inputs.empty() ||
          act.outputs.size() != 1) {
        continue;
      }
      const std::string& x = act.inputs[0];
      if (x.empty() || IsGraphOutput(x) || readers[x] != 1) continue;
      int conv_index = values_.at(x).producer;
      if (conv_index < 0) continue;
      Node& conv = nodes_[conv_index];
      if (!conv.kept || conv.op_type != "Conv" || conv.outputs.size() != 1 ||
          values_.at(x).dtype != DType::kF32 ||
          conv.attributes.Has(kernels::kFusedClampAttribute)) {
        continue;
      }
      std::optional<std::pair<float, float>> bounds = ClampBounds(act);
      if (!bounds || !(bounds->first <= bounds->second)) continue;
      conv.attributes.SetFloats(kernels::kFusedClampAttribute, {bounds->first, bounds->second});
      conv.outputs[0] = act.outputs[0];
      values_[act.outputs[0]].producer = conv_index;
      values_[x].producer = -1;
      act.kept = false;
      ++report_.fused_activations;
    }
  }

  void RemoveDeadNodes() {
    std::unordered_set<std::string> live(output_names_.begin(), output_names_.end());
    int removed = 0;
    for (size_t i = nodes_.size(); i-- > 0;) {
      Node& node = nodes_[i];
      if (!node.kept) continue;
      bool used = false;
      for (const std::string& output : node.outputs) {
        if (!output.empty() && live.count(output) != 0) used = true;
      }
      if (!used) {
        node.kept = false;
        for (const std::string& output : node.outputs) {
          if (!output.empty()) values_[output].producer = -1;
        }
        ++removed;
        continue;
      }
      for (const std::string& input : node.inputs) {
        if (!input.empty()) live.insert(input);
      }
    }
    if (removed > 0) {
      report_.notes.push_back(
          absl::StrCat("removed ", removed, " nodes whose results reach no graph output"));
    }
  }

  // A graph output that is a graph input or a constant gets an Identity node, so the executor
  // has a node computing every output. The node writes a new tensor; the C API keeps the name.
  absl::Status AddOutputIdentities() {
    for (const std::string& name : output_names_) {
      const Value& value = values_.at(name);
      if (value.producer >= 0) continue;
      if (!(value.graph_input && !value.initializer) && !IsConstant(name)) {
        return ModelError("graph output '", name, "' is computed by no node");
      }
      const char* what = value.graph_input && !value.initializer ? "a graph input" : "a constant";
      Node identity;
      identity.op_type = "Identity";
      identity.name = UniqueNodeName(absl::StrCat(name, "_identity"));
      identity.label = absl::StrCat("node '", identity.name, "' (Identity, opset ", opset_, ")");
      identity.inputs = {name};
      std::string tensor = UniqueTensorName(absl::StrCat(name, "_output"));
      identity.outputs = {tensor};
      identity.output_infos = {{value.dtype, value.shape, nullptr}};
      identity.kept = true;
      nodes_.push_back(std::move(identity));
      Value& out = values_[tensor];
      out.dtype = value.dtype;
      out.shape = value.shape;
      out.producer = static_cast<int>(nodes_.size() - 1);
      output_tensor_[name] = tensor;
      report_.notes.push_back(absl::StrCat("graph output '", name, "' is ", what,
                                           ": added an Identity node computing it"));
    }
    return absl::OkStatus();
  }

  // Identity is handled by the importer, but the executor needs a kernel for those it runs.
  absl::Status CheckKeptIdentities() {
    for (const Node& node : nodes_) {
      if (!node.kept || node.op_type != "Identity") continue;
      absl::StatusOr<const kernels::OpRegistration*> found =
          registry_->Find("", "Identity", opset_);
      if (!found.ok()) return ModelError(node.label, ": ", found.status().message());
    }
    return absl::OkStatus();
  }

  absl::Status PrepareOutputSpecs() {
    for (const std::string& name : output_names_) {
      const Value& value = values_.at(TensorOfOutput(name));
      if (value.producer < 0) {
        // Every output is computed by a kept node by now (AddOutputIdentities); checked here so
        // that emitting cannot fail halfway.
        return ModelError("graph output '", name, "' is computed by no node");
      }
      HB_ASSIGN_OR_RETURN(tools::IoSpec spec, MakeIoSpec("output", name, value));
      output_specs_.push_back(std::move(spec));
    }
    return absl::OkStatus();
  }

  const std::string& TensorOfOutput(const std::string& name) const {
    auto it = output_tensor_.find(name);
    return it == output_tensor_.end() ? name : it->second;
  }

  // ---- Emission -----------------------------------------------------------------------------

  absl::StatusOr<std::vector<tools::Attr>> ConvertAttributes(const Node& node,
                                                             tools::ModelBuilder& builder) {
    std::vector<tools::Attr> attrs;
    for (const auto& [name, value] : node.attributes.values()) {
      tools::Attr attr;
      attr.name = name;
      switch (value.kind) {
        case kernels::Attributes::Kind::kInt: attr = tools::Attr::Int(name, value.i); break;
        case kernels::Attributes::Kind::kFloat: attr = tools::Attr::Float(name, value.f); break;
        case kernels::Attributes::Kind::kString: attr = tools::Attr::String(name, value.s); break;
        case kernels::Attributes::Kind::kInts: attr = tools::Attr::Ints(name, value.ints); break;
        case kernels::Attributes::Kind::kFloats:
          attr = tools::Attr::Floats(name, value.floats);
          break;
        case kernels::Attributes::Kind::kStrings:
          attr.type = fb::AttributeType::STRINGS;
          attr.strings = value.strings;
          break;
        case kernels::Attributes::Kind::kTensor: {
          absl::StatusOr<fb::DataType> type = runtime::ModelDataType(value.tensor.dtype);
          if (!type.ok()) {
            return ModelError(node.label, ": attribute '", name, "': ", type.status().message());
          }
          attr.type = fb::AttributeType::TENSOR;
          attr.tensor = builder.AddConstant(UniqueTensorName(absl::StrCat(node.name, "_", name)),
                                            value.tensor.shape, *type, value.tensor.bytes);
          break;
        }
      }
      attrs.push_back(std::move(attr));
    }
    return attrs;
  }

  absl::Status Emit(tools::PackageBuilder* package) {
    std::string model_name = options_.model_name;
    if (model_name.empty()) model_name = graph_.name();
    if (model_name.empty()) model_name = "model";
    tools::ModelBuilder& builder = package->AddModel(model_name, runtime::MarchName(march_));

    std::unordered_map<std::string, int32_t> index;
    auto add_runtime = [&](const std::string& name, const Value& value) -> absl::Status {
      HB_ASSIGN_OR_RETURN(fb::DataType type, runtime::ModelDataType(value.dtype));
      index[name] = builder.AddTensor(name, value.shape, type);
      return absl::OkStatus();
    };
    for (const std::string& name : input_names_) {
      HB_RETURN_IF_ERROR(add_runtime(name, values_.at(name)));
    }
    std::vector<uint32_t> order;
    std::unordered_set<std::string> emitted_initializers;
    for (Node& node : nodes_) {
      if (!node.kept) continue;
      std::vector<int32_t> inputs;
      for (const std::string& input : node.inputs) {
        if (input.empty()) {
          inputs.push_back(-1);
          continue;
        }
        auto found = index.find(input);
        if (found == index.end()) {
          const Value& value = values_.at(input);
          if (!IsConstant(input)) {
            return ModelError(node.label, ": input '", input,
                              "' is neither computed before the node nor constant");
          }
          HB_ASSIGN_OR_RETURN(fb::DataType type, runtime::ModelDataType(value.dtype));
          found = index
                      .emplace(input, builder.AddConstant(input, value.shape, type,
                                                          value.constant->ToString()))
                      .first;
          if (value.initializer) emitted_initializers.insert(input);
        }
        inputs.push_back(found->second);
      }
      std::vector<int32_t> outputs;
      for (size_t k = 0; k < node.outputs.size(); ++k) {
        const TensorInfo& info = node.output_infos[k];
        std::string name = node.outputs[k];
        if (name.empty()) {
          // fb nodes cannot omit an output: the kernel gets a scratch tensor nobody reads.
          name = UniqueTensorName(absl::StrCat(node.name, "_unused_output_", k));
        }
        HB_RETURN_IF_ERROR(add_runtime(name, Value{info.dtype, info.shape, nullptr}));
        outputs.push_back(index[name]);
      }
      HB_ASSIGN_OR_RETURN(std::vector<tools::Attr> attrs, ConvertAttributes(node, builder));
      order.push_back(builder.AddNode(node.name, node.op_type, std::move(inputs),
                                      std::move(outputs), std::move(attrs), opset_, ""));
    }
    builder.AddCpuSegment(order, "cpu");
    report_.nodes_out = static_cast<int>(order.size());

    for (size_t k = 0; k < input_names_.size(); ++k) {
      HB_RETURN_IF_ERROR(builder.AddInput(index.at(input_names_[k]), input_specs_[k]));
    }
    for (size_t k = 0; k < output_names_.size(); ++k) {
      auto found = index.find(TensorOfOutput(output_names_[k]));
      if (found == index.end()) {
        return ModelError("graph output '", output_names_[k], "' is computed by no node");
      }
      HB_RETURN_IF_ERROR(builder.AddOutput(found->second, output_specs_[k]));
    }

    int unused_initializers =
        static_cast<int>(initializer_names_.size()) - static_cast<int>(emitted_initializers.size());
    if (unused_initializers > 0) {
      report_.notes.push_back(
          absl::StrCat("dropped ", unused_initializers, " initializers no kept node reads"));
    }
    if (too_large_to_fold_ > 0) {
      report_.notes.push_back(absl::StrCat(too_large_to_fold_,
                                           " constant nodes were kept because their results "
                                           "exceed ",
                                           kMaxFoldBytes >> 20, " MiB"));
    }

    if (!options_.source.empty()) builder.AddMetadata("source", options_.source);
    builder.AddMetadata("source_format", "onnx");
    builder.AddMetadata("onnx_opset", absl::StrCat(opset_));
    builder.AddMetadata("onnx_ir_version", absl::StrCat(model_.ir_version()));
    std::string producer = model_.producer_name();
    if (!model_.producer_version().empty())
      absl::StrAppend(&producer, " ", model_.producer_version());
    if (!producer.empty()) builder.AddMetadata("producer", producer);
    builder.AddMetadata("importer", absl::StrCat("hb_dnn onnx importer ", ImporterVersion()));
    builder.AddMetadata("fold_constants", options_.fold_constants ? "true" : "false");
    builder.AddMetadata("fuse_batchnorm", options_.fuse_batchnorm ? "true" : "false");
    builder.AddMetadata("fuse_activations", options_.fuse_activations ? "true" : "false");
    if (!options_.input_shapes.empty()) {
      std::vector<std::string> shapes;
      for (const auto& [name, shape] : options_.input_shapes) {
        shapes.push_back(absl::StrCat(name, " ", JoinShape(shape)));
      }
      builder.AddMetadata("input_shapes", absl::StrJoin(shapes, "; "));
    }
    return absl::OkStatus();
  }

  const onnx::ModelProto& model_;
  const onnx::GraphProto& graph_;
  const ImportOptions& options_;
  const kernels::OpRegistry* registry_;
  runtime::March march_ = runtime::March::kBernoulli2;
  int opset_ = 0;
  ImportReport report_;

  std::unordered_map<std::string, Value> values_;
  std::unordered_set<std::string> tensor_names_;
  std::unordered_set<std::string> node_names_;
  std::vector<std::string> initializer_names_;
  std::vector<std::string> input_names_;  // run-time graph inputs, in graph order
  std::vector<tools::IoSpec> input_specs_;
  std::vector<std::string> output_names_;  // graph outputs, in graph order
  std::vector<tools::IoSpec> output_specs_;
  // Graph output name -> the tensor holding it, when an added Identity writes a new tensor.
  std::unordered_map<std::string, std::string> output_tensor_;
  std::vector<Node> nodes_;  // graph nodes by ONNX index, then added Identity nodes
  bool overrides_static_dims_ = false;
  int too_large_to_fold_ = 0;
};

}  // namespace

const char* ImporterVersion() { return HB_DNN_IMPORTER_VERSION; }

absl::StatusOr<ImportReport> ImportOnnx(const onnx::ModelProto& model, const ImportOptions& options,
                                        tools::PackageBuilder* package) {
  // The importer builds everything in its own state and touches `package` only in the last step,
  // so a failed import leaves the package unchanged.
  Importer importer(model, options);
  return importer.Run(package);
}

absl::StatusOr<ImportReport> ImportOnnxFile(const std::string& onnx_path,
                                            const ImportOptions& options,
                                            tools::PackageBuilder* package) {
  HB_ASSIGN_OR_RETURN(onnx::ModelProto model, ReadModelFile(onnx_path));
  ImportOptions with_source = options;
  if (with_source.source.empty()) with_source.source = onnx_path;
  absl::StatusOr<ImportReport> report = ImportOnnx(model, with_source, package);
  if (!report.ok()) {
    return Errorf(ErrorCodeOf(report.status(), ErrorCode::kInvalidModel), "'", onnx_path,
                  "': ", report.status().message());
  }
  return report;
}

absl::StatusOr<std::vector<int64_t>> ParseShapeText(absl::string_view text) {
  std::vector<int64_t> shape;
  if (text.empty()) return Errorf(ErrorCode::kInvalidArgument, "empty shape");
  for (absl::string_view part : absl::StrSplit(text, absl::ByAnyChar("x,"))) {
    int64_t d = 0;
    if (!absl::SimpleAtoi(part, &d) || d < 1) {
      return Errorf(ErrorCode::kInvalidArgument, "shape '", text,
                    "' is not of the form 1x3x224x224 with positive dimensions");
    }
    shape.push_back(d);
  }
  return shape;
}

std::string SummaryLine(const ImportReport& report) {
  return absl::StrCat("nodes ", report.nodes_in, " -> ", report.nodes_out, ", folded ",
                      report.folded_constants, " constants, fused ", report.fused_activations,
                      " activations and ", report.fused_batchnorms,
                      " BatchNormalization");
}

}  // namespace hb_dnn::onnx_import
