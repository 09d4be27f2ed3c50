#include "tests/kernels/onnx_node_runner.h"

#include "tests/kernels/tensor_compare.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "src/kernels/op_registry.h"
#include "tools/onnx_import/onnx_proto_util.h"

namespace hb_dnn::testing {
namespace {

using kernels::DType;
using onnx_import::DecodedTensor;

}  // namespace

::testing::AssertionResult RunOnnxNodeTest(const std::string& name, double rtol, double atol,
                                           bool prefer_optimized) {
  namespace fs = std::filesystem;
  std::string dir = std::string(kOnnxNodeTestRoot) + name;
  auto model = onnx_import::ReadModelFile(dir + "/model.onnx");
  if (!model.ok()) return ::testing::AssertionFailure() << model.status().message();
  const onnx::GraphProto& graph = model->graph();
  if (graph.node_size() != 1) {
    return ::testing::AssertionFailure() << name << ": " << graph.node_size()
                                         << " nodes, not a single-node test";
  }
  const onnx::NodeProto& node = graph.node(0);
  int opset = static_cast<int>(onnx_import::OpsetVersion(*model, node.domain()));
  auto attrs = onnx_import::DecodeAttributes(node);
  if (!attrs.ok()) return ::testing::AssertionFailure() << attrs.status().message();
  kernels::KernelCreateArgs args{*attrs, opset, node.input_size(), node.output_size()};
  auto kernel = kernels::OpRegistry::Builtin().Create(node.domain(), node.op_type(), args,
                                                      prefer_optimized);
  if (!kernel.ok()) return ::testing::AssertionFailure() << name << ": " << kernel.status().message();

  std::vector<std::string> data_sets;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_directory() && entry.path().filename().string().rfind("test_data_set_", 0) == 0) {
      data_sets.push_back(entry.path().string());
    }
  }
  std::sort(data_sets.begin(), data_sets.end());
  if (data_sets.empty()) return ::testing::AssertionFailure() << name << ": no test data";

  for (const std::string& set : data_sets) {
    std::map<std::string, DecodedTensor> values;
    for (const onnx::TensorProto& init : graph.initializer()) {
      auto t = onnx_import::DecodeTensor(init);
      if (!t.ok()) return ::testing::AssertionFailure() << t.status().message();
      values[init.name()] = std::move(*t);
    }
    int input_index = 0;
    for (const onnx::ValueInfoProto& in : graph.input()) {
      if (values.count(in.name())) continue;
      std::string path = absl::StrCat(set, "/input_", input_index++, ".pb");
      if (!fs::exists(path)) continue;  // optional input left out of the data set
      auto t = onnx_import::ReadTensorFile(path);
      if (!t.ok()) return ::testing::AssertionFailure() << t.status().message();
      values[in.name()] = std::move(*t);
    }
    std::vector<kernels::TensorInfo> infos;
    std::vector<kernels::ConstTensorView> inputs;
    for (const std::string& input : node.input()) {
      auto it = values.find(input);
      if (input.empty() || it == values.end()) {
        infos.emplace_back();
        inputs.emplace_back();
        continue;
      }
      infos.push_back(it->second.info());
      inputs.push_back({it->second.bytes.data(), it->second.dtype, it->second.shape});
    }
    std::vector<kernels::TensorInfo> out_infos;
    absl::Status prepared = (*kernel)->Prepare(infos, &out_infos);
    if (!prepared.ok()) {
      return ::testing::AssertionFailure() << name << ": Prepare: " << prepared.message();
    }
    if (out_infos.size() < static_cast<size_t>(node.output_size())) {
      return ::testing::AssertionFailure() << name << ": Prepare gave " << out_infos.size()
                                           << " outputs for " << node.output_size();
    }
    std::vector<std::string> storage(out_infos.size());
    std::vector<kernels::TensorView> outputs;
    for (size_t i = 0; i < out_infos.size(); ++i) {
      storage[i].assign(static_cast<size_t>(out_infos[i].num_elements()) *
                            kernels::DTypeSize(out_infos[i].dtype) + 1,
                        '\xCD');
      outputs.push_back({storage[i].data(), out_infos[i].dtype, out_infos[i].shape});
    }
    absl::Status ran = (*kernel)->Run(inputs, outputs);
    if (!ran.ok()) return ::testing::AssertionFailure() << name << ": Run: " << ran.message();
    for (int k = 0; k < graph.output_size(); ++k) {
      const std::string& out_name = graph.output(k).name();
      auto pos = std::find(node.output().begin(), node.output().end(), out_name);
      if (pos == node.output().end()) continue;
      size_t index = static_cast<size_t>(pos - node.output().begin());
      auto expected = onnx_import::ReadTensorFile(absl::StrCat(set, "/output_", k, ".pb"));
      if (!expected.ok()) return ::testing::AssertionFailure() << expected.status().message();
      auto result = CompareTensor(absl::StrCat(name, " ", fs::path(set).filename().string(), " output ",
                                         k, " '", out_name, "'"),
                            *expected, outputs[index].dtype, outputs[index].shape,
                            outputs[index].data, rtol, atol);
      if (!result) return result;
    }
  }
  return ::testing::AssertionSuccess();
}

std::vector<std::string> OnnxNodeTestsForOp(const std::string& op) {
  namespace fs = std::filesystem;
  static std::mutex mutex;
  static std::map<std::string, std::vector<std::string>>* by_op = nullptr;
  std::lock_guard<std::mutex> lock(mutex);
  if (by_op == nullptr) {
    by_op = new std::map<std::string, std::vector<std::string>>();
    for (const auto& entry : fs::directory_iterator(kOnnxNodeTestRoot)) {
      auto model = onnx_import::ReadModelFile(entry.path().string() + "/model.onnx");
      if (!model.ok() || model->graph().node_size() != 1) continue;
      const onnx::NodeProto& node = model->graph().node(0);
      if (!node.domain().empty() && node.domain() != "ai.onnx") continue;
      (*by_op)[node.op_type()].push_back(entry.path().filename().string());
    }
    for (auto& [key, names] : *by_op) std::sort(names.begin(), names.end());
  }
  auto it = by_op->find(op);
  return it == by_op->end() ? std::vector<std::string>() : it->second;
}

}  // namespace hb_dnn::testing
