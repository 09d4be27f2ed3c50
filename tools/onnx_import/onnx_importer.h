#ifndef HB_DNN_TOOLS_ONNX_IMPORT_ONNX_IMPORTER_H_
#define HB_DNN_TOOLS_ONNX_IMPORT_ONNX_IMPORTER_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "onnx/onnx_pb.h"
#include "src/kernels/op_registry.h"
#include "tools/model_builder/model_builder.h"

namespace hb_dnn::onnx_import {

// Turns an fp32 ONNX model into one hbm model whose nodes all run on the CPU kernels.
//
// What an import does, in order:
//  1. Checks the default-domain opset (9..17) and rejects nodes of any other domain.
//  2. Makes constants of initializers (also those listed as graph inputs, as old exporters do)
//     and of `Constant` nodes; fixes every graph input's shape (declared or `input_shapes`).
//  3. Walks the nodes in file order (which must be topological) and runs each kernel's Prepare
//     for its output types and shapes. A node whose inputs are all constant is evaluated with its
//     kernel's Run; `Shape`/`Size` of a static tensor are evaluated too. With `fold_constants`
//     evaluated nodes are removed, `Identity` nodes are bypassed and their values become
//     constants, so Shape->Gather->Unsqueeze->Concat->Reshape chains of static models vanish.
//  4. With `fuse_batchnorm`, folds an inference-mode BatchNormalization into the Conv feeding it
//     when that Conv output has no other reader and every parameter is constant.
//  5. Removes nodes whose results reach no graph output, and constants nobody reads.
//  6. Emits tensors, constants, nodes (op_version = the model's opset), one CPU segment in
//     execution order, the inputs/outputs and provenance metadata.
//
// Errors are kInvalidModel (kInvalidArgument for bad options) and name the node, op type and
// opset, the tensor, or the graph input concerned. `package` is modified only when the import
// succeeds, so a failed import leaves it as it was.

// Version of the importer written into each model's metadata.
const char* ImporterVersion();

struct ImportOptions {
  // The hbm model name; empty = the ONNX graph name, or "model" when that is empty too.
  std::string model_name;
  std::string march = "bernoulli2";
  // Full shapes for graph inputs, overriding their declared (possibly dynamic) dimensions.
  std::map<std::string, std::vector<int64_t>> input_shapes;
  // Evaluate and remove constant subgraphs (and bypass Identity). When false every node except
  // `Constant` is kept: values are still evaluated so later nodes can be prepared, but a model
  // whose shape inputs come from kept nodes will not prepare at load time.
  bool fold_constants = true;
  // Fold BatchNormalization into the preceding Conv (new weight and bias constants).
  bool fuse_batchnorm = true;
  bool fuse_activations = true;   // fold Relu/Clip into the preceding Conv (hb_dnn_fused_clamp)
  // Kernels used for shape inference and folding, and that define which ops are supported;
  // null = kernels::OpRegistry::Builtin(). Must outlive the call.
  const kernels::OpRegistry* registry = nullptr;
  // Recorded as the model's "source" metadata (ImportOnnxFile sets it to the path).
  std::string source;
};

struct ImportReport {
  int nodes_in = 0;                // nodes of the ONNX graph
  int nodes_out = 0;               // nodes of the emitted model
  int folded_constants = 0;        // nodes turned into constants (Constant, Identity, evaluated)
  int fused_batchnorms = 0;        // BatchNormalization nodes folded into a Conv
  int fused_activations = 0;       // Relu/Clip nodes folded into the Conv before them
  std::vector<std::string> notes;  // what the importer changed or assumed, for the user
};

// Adds one model to `package`: all nodes in a single CPU segment, in execution order.
absl::StatusOr<ImportReport> ImportOnnx(const onnx::ModelProto& model, const ImportOptions& options,
                                        tools::PackageBuilder* package);

// Reads `onnx_path` (kCanNotOpenFile / kInvalidModel) and imports it; `options.source` defaults
// to the path.
absl::StatusOr<ImportReport> ImportOnnxFile(const std::string& onnx_path,
                                            const ImportOptions& options,
                                            tools::PackageBuilder* package);

// "1x3x224x224" -> {1, 3, 224, 224}; kInvalidArgument naming the text unless every dimension is
// a positive integer.
absl::StatusOr<std::vector<int64_t>> ParseShapeText(absl::string_view text);

// One line: "nodes 152 -> 65, folded 87 constants, fused 0 BatchNormalization".
std::string SummaryLine(const ImportReport& report);

}  // namespace hb_dnn::onnx_import

#endif  // HB_DNN_TOOLS_ONNX_IMPORT_ONNX_IMPORTER_H_
