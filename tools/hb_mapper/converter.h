#ifndef HB_DNN_TOOLS_HB_MAPPER_CONVERTER_H_
#define HB_DNN_TOOLS_HB_MAPPER_CONVERTER_H_

// The converter library behind `hb_mapper checker` and `hb_mapper makertbin`: placement of every
// node on the BPU or the CPU (with the reason), post-training quantization, partition into
// segments and function-calls, and the model file. The CLI, the YAML reader, the report writer
// and the verifier sit on top of this interface.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/hb_mapper/mapper_config.h"

namespace hb_dnn::mapper {

// One node of the (imported, folded) float graph and where it goes.
struct NodePlacement {
  std::string name;
  std::string op_type;
  std::vector<int64_t> output_shape;  // first output
  bool on_bpu = false;
  // Why the node is on the CPU, in the seed's wording where one exists (op not supported on the
  // BPU, attribute not supported, a shape over the BPU's limit, non-4-D input, run_on_cpu, ...);
  // empty for BPU nodes.
  std::string reason;
};

struct CheckOptions {
  std::string march = "bernoulli2";
  std::map<std::string, std::vector<int64_t>> input_shapes;  // --input-shape NAME SHAPE
  std::vector<std::string> run_on_cpu;
  std::vector<std::string> run_on_bpu;
};

// `hb_mapper checker`: imports and checks the model and places every node. Errors (non-zero exit
// in the CLI) for what cannot convert: a dynamic input without a shape, an unsupported opset,
// more than 32 outputs, no node that can run on the BPU, ops of unknown custom domains, ...
absl::StatusOr<std::vector<NodePlacement>> CheckModel(const std::string& onnx_path,
                                                      const CheckOptions& options);

// A calibration sample: one float32 tensor per model input, in the training layout, already
// normalized the way the float model expects (the converter applies nothing to it).
using CalibrationSample = std::vector<std::vector<float>>;

struct OutputAccuracy {
  std::string name;
  double cosine = 0;         // quantized vs float, on the first calibration sample
  double max_abs_error = 0;
};

struct SegmentLatency {
  std::string name;
  bool bpu = false;
  int function_calls = 0;
  int64_t modelled_us = 0;   // BPU: sum of its FC durations (excluding per-FC overhead)
};

// compiler_parameters.debug: the modelled cost of one BPU function-call (march profile roofline,
// tools/hb_mapper/fc_split.h).
struct FunctionCallEstimate {
  std::string segment;
  int index = 0;  // within the segment
  int nodes = 0;
  std::string first_node, last_node;
  uint64_t macs = 0;
  uint64_t bytes = 0;        // activations read and written, weights and biases read
  int64_t modelled_ns = 0;   // excluding the per-FC overhead
};

// compiler_parameters.debug: what one frame costs the BPU, from the function-calls above plus
// the march profile's per-FC overhead, on one core with the CPU segments not counted.
struct PerformanceEstimate {
  bool valid = false;
  int64_t bpu_ns = 0;          // sum of FC durations and overheads
  uint64_t macs = 0;
  uint64_t bytes = 0;
  double frames_per_second = 0;
  double ddr_gb_per_second = 0;  // bytes * frames_per_second
  std::vector<FunctionCallEstimate> function_calls;
};

struct ConversionResult {
  std::string model_path;                  // working_dir/output_model_file_prefix.hbm
  std::vector<NodePlacement> placements;
  std::vector<OutputAccuracy> accuracy;
  std::vector<SegmentLatency> segments;
  std::vector<std::string> log;            // what the converter did, line by line
  // layer_out_dump: working_dir/output_model_file_prefix_layer_out_dump.txt, the per-tensor
  // comparison of the converted model with the float one on calibration sample 0 (empty when
  // layer_out_dump is off or there is no sample).
  std::string layer_dump_path;
  PerformanceEstimate performance;  // valid with compiler_parameters.debug
};

// Called after each calibration sample: (done, total).
using ProgressFn = std::function<void(int, int)>;

// `hb_mapper makertbin`: converts config.onnx_model with the calibration samples and writes the
// model into config.working_dir. calibration_type "load" takes the scales from the model's
// QuantizeLinear/DequantizeLinear pairs (QDQ/QAT export) and needs no samples.
absl::StatusOr<ConversionResult> Convert(const MapperConfig& config,
                                         const std::vector<CalibrationSample>& samples,
                                         const ProgressFn& progress = nullptr);

}  // namespace hb_dnn::mapper

#endif  // HB_DNN_TOOLS_HB_MAPPER_CONVERTER_H_
