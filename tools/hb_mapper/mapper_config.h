#ifndef HB_DNN_TOOLS_HB_MAPPER_MAPPER_CONFIG_H_
#define HB_DNN_TOOLS_HB_MAPPER_MAPPER_CONFIG_H_

// The conversion settings of `hb_mapper makertbin`, as the vendor's YAML states them (seed:
// model_parameters / input_parameters / calibration_parameters / compiler_parameters). The YAML
// reader (mapper_yaml.h) fills this; the converter (converter.h) consumes it. Values are already
// validated when they reach the converter.

#include <cstdint>
#include <string>
#include <vector>

namespace hb_dnn::mapper {

// One model input ("input_parameters" entries are ';'-separated lists, one item per input).
struct InputConfig {
  std::string name;                // input_name; empty = the ONNX graph's input (in order)
  std::string input_type_rt;       // nv12 | rgb | bgr | yuv444 | gray | featuremap
  std::string input_layout_rt;     // NHWC | NCHW (ignored for nv12)
  std::string input_type_train;    // rgb | bgr | yuv444 | gray | featuremap
  std::string input_layout_train;  // NHWC | NCHW
  std::vector<int64_t> input_shape;  // empty = the model's (must then be static)
  // norm_type: no_preprocess | data_mean | data_scale | data_mean_and_scale. Applied to the
  // run-time input after colour conversion: y = (x - mean) * scale, per channel (one value =
  // every channel).
  std::string norm_type = "no_preprocess";
  std::vector<float> mean_value;
  std::vector<float> scale_value;
};

struct CalibrationConfig {
  // One directory per input: files of raw tensors in the training layout and shape (the seed's
  // 02_preprocess.sh output), float32 or uint8 per cal_data_type; read in sorted file-name order.
  std::vector<std::string> cal_data_dir;
  std::string cal_data_type = "float32";  // float32 | uint8
  bool preprocess_on = false;
  std::string calibration_type = "default";  // default | max | kl | load
  double max_percentile = 1.0;               // max: the percentile of |x| used as the range
  std::vector<std::string> run_on_cpu;       // node names forced onto the CPU
  std::vector<std::string> run_on_bpu;       // node names forced onto the BPU (when possible)
  // Bias correction after quantization (bias_correction.h); YAML key
  // calibration_parameters.bias_correction (an hb_dnn extension, default True). Not used with
  // calibration_type load (the QDQ model's biases are what it was trained with).
  bool bias_correction = true;
  // The output cosine to float (mean over outputs and up to 4 calibration samples) the converter
  // keeps moving leading nodes to the CPU for (cpu_fallback.h); 0 = off. YAML key
  // calibration_parameters.cosine_target (an hb_dnn extension). Not used with calibration_type
  // load.
  double cosine_target = 0.0;
};

struct CompilerConfig {
  std::string compile_mode = "latency";  // latency | bandwidth (recorded; no effect yet)
  bool debug = false;
  int core_num = 1;                      // 1 | 2
  std::string optimize_level = "O3";     // O0..O3 (recorded)
  int64_t max_time_per_fc_us = 0;        // 0 = one function-call per BPU segment
};

struct MapperConfig {
  std::string onnx_model;                // path
  std::string march = "bernoulli2";      // bernoulli2 | bayes
  std::string working_dir = "model_output";
  std::string output_model_file_prefix = "model";
  bool layer_out_dump = false;
  // remove_node_type: boundary node kinds to drop so outputs stay integer, e.g. "Dequantize"
  // (the outputs then carry SCALE quantiType with per-axis scales) or "Quantize".
  std::vector<std::string> remove_node_type;
  int input_batch = 1;
  std::vector<InputConfig> inputs;
  CalibrationConfig calibration;
  CompilerConfig compiler;
};

}  // namespace hb_dnn::mapper

#endif  // HB_DNN_TOOLS_HB_MAPPER_MAPPER_CONFIG_H_
