#ifndef HB_DNN_TOOLS_HB_MAPPER_GRAPH_H_
#define HB_DNN_TOOLS_HB_MAPPER_GRAPH_H_

// The converter's mutable graph: tensors and nodes of one hbm model, read from what the ONNX
// importer wrote, rewritten by the passes (quantize, partition) and written back with
// tools::ModelBuilder. Nodes are kept in a topological order.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "hbm_generated.h"
#include "src/kernels/attributes.h"
#include "src/runtime/model.h"
#include "tools/model_builder/model_builder.h"

namespace hb_dnn::mapper {

struct GraphTensor {
  std::string name;
  std::vector<int64_t> shape;
  fb::DataType type = fb::DataType::F32;
  bool constant = false;
  std::string data;  // constants: dense row-major bytes
  runtime::QuantParams quant;

  int64_t num_elements() const;
  // The values of a constant F32 tensor.
  std::vector<float> Floats() const;
};

struct GraphNode {
  std::string name;
  std::string op_type;
  std::string domain;  // "" = ai.onnx
  int op_version = 1;
  std::vector<int32_t> inputs;  // -1 = omitted optional input
  std::vector<int32_t> outputs;
  std::vector<tools::Attr> attributes;

  const tools::Attr* FindAttr(const std::string& attr_name) const;
  int64_t Int(const std::string& attr_name, int64_t default_value) const;
  float Float(const std::string& attr_name, float default_value) const;
  std::string String(const std::string& attr_name, const std::string& default_value) const;
  std::vector<int64_t> Ints(const std::string& attr_name) const;
  std::vector<float> Floats(const std::string& attr_name) const;
  // Replaces or adds.
  void SetAttr(tools::Attr attr);
  void EraseAttr(const std::string& attr_name);
  // "node 'conv1' (Conv)" for messages.
  std::string Label() const;
};

struct GraphIo {
  int32_t tensor = -1;
  tools::IoSpec spec;
};

struct Graph {
  std::string name;
  std::string march = "bernoulli2";
  std::vector<GraphTensor> tensors;
  std::vector<GraphNode> nodes;
  std::vector<GraphIo> inputs;
  std::vector<GraphIo> outputs;
  std::vector<std::pair<std::string, std::string>> metadata;

  int32_t AddTensor(std::string tensor_name, std::vector<int64_t> shape, fb::DataType type);
  int32_t AddConstant(std::string tensor_name, std::vector<int64_t> shape, fb::DataType type,
                      std::string bytes);
  // Per tensor: the node writing it, or -1 (inputs, constants).
  std::vector<int32_t> Producers() const;
  // Per tensor: the nodes reading it, in node order.
  std::vector<std::vector<int32_t>> Consumers() const;
  bool IsGraphOutput(int32_t tensor) const;
  // Index of the tensor named `tensor_name`, or -1.
  int32_t FindTensor(const std::string& tensor_name) const;
  int32_t FindNode(const std::string& node_name) const;
};

// Model 0 of a serialized package (as tools::PackageBuilder::Serialize writes it), verified by
// the runtime's loader, as a Graph whose nodes follow the model's segment order.
absl::StatusOr<Graph> GraphFromPackageBytes(const std::string& bytes);

// The node's attributes in the kernels' form (TENSOR attributes resolved against `graph`).
absl::StatusOr<kernels::Attributes> KernelAttributes(const Graph& graph, const GraphNode& node);

// Bytes of a vector, for constants.
template <typename T>
std::string BytesOf(const std::vector<T>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

}  // namespace hb_dnn::mapper

#endif  // HB_DNN_TOOLS_HB_MAPPER_GRAPH_H_
