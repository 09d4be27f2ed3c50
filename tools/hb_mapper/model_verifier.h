#ifndef HB_DNN_TOOLS_HB_MAPPER_MODEL_VERIFIER_H_
#define HB_DNN_TOOLS_HB_MAPPER_MODEL_VERIFIER_H_

// hb_model_verifier's library part: runs the float ONNX model (ONNX import + runtime, all CPU)
// and the converted hbm model (runtime, BPU segments on the simulated BPU) through the C API on
// the same inputs and compares their outputs.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace hb_dnn::mapper {

struct VerifyOptions {
  std::string onnx_path;
  std::string model_path;
  // One raw file per input of the converted model, in its input order, holding the compact
  // (validShape) data of the converted model's input: float32 for F32 inputs (the float model
  // gets the same values; for int8 inputs the float values are quantized with the input's
  // scales), uint8 images for image inputs (NV12: H*3/2 rows of W bytes; the float model gets
  // the output of the model's own Preprocess node). Empty = seeded random inputs.
  std::vector<std::string> input_files;
  uint32_t seed = 1;
  // Shapes of dynamic ONNX inputs by name (as makertbin's input_shape).
  std::map<std::string, std::vector<int64_t>> input_shapes;
};

struct OutputComparison {
  std::string name;
  int64_t elements = 0;
  double cosine = 0;
  double max_abs_error = 0;
};

// Outputs are matched by position and must have the same element count; the converted model's
// integer outputs are dequantized with their SCALE/SHIFT parameters, padding is skipped.
// Errors name the model, input/output and file concerned, with the library's error detail.
absl::StatusOr<std::vector<OutputComparison>> VerifyModel(const VerifyOptions& options);

}  // namespace hb_dnn::mapper

#endif  // HB_DNN_TOOLS_HB_MAPPER_MODEL_VERIFIER_H_
