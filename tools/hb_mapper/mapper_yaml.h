#ifndef HB_DNN_TOOLS_HB_MAPPER_MAPPER_YAML_H_
#define HB_DNN_TOOLS_HB_MAPPER_MAPPER_YAML_H_

// Reads the vendor's `hb_mapper makertbin` YAML (the seed's onnx_config.yaml template) into a
// validated MapperConfig.
//
// Accepted form:
//   model_parameters:       onnx_model (required), march (required: bernoulli2 | bayes),
//                           layer_out_dump, working_dir, output_model_file_prefix,
//                           remove_node_type (';'-list of Quantize | Dequantize)
//   input_parameters:       input_name, input_type_rt (required), input_layout_rt,
//                           input_type_train (required), input_layout_train (required),
//                           input_shape ('1x3x224x224'), input_batch, norm_type, mean_value,
//                           scale_value
//   calibration_parameters: cal_data_dir (required unless calibration_type is load),
//                           cal_data_type, preprocess_on, calibration_type, max_percentile,
//                           run_on_cpu, run_on_bpu (';'-lists of node names)
//   compiler_parameters:    compile_mode, debug, core_num, optimize_level, max_time_per_fc
//                           (the whole section may be omitted)
// Every input_parameters value is a ';'-separated list with one item per model input (the
// number of inputs is the longest list); mean_value/scale_value items are one number or one
// number per channel separated by spaces. An absent key, an empty value, '' and None all mean
// the default.
//
// Errors are kInvalidArgument; every problem found is reported, one per line, each starting with
// the key path ("input_parameters.norm_type: 'data_mean_and_scal' is not one of ..."), with
// "[k]" after the key for the k-th of several inputs. Beyond types and enums the reader checks
// the seed's rules: norm_type versus mean_value/scale_value, value counts per channel,
// input_type_rt/input_type_train pairs the runtime's Preprocess op can convert, input_layout_rt
// for packed images, one cal_data_dir per input, max_percentile in [0, 1]. Caffe keys
// (caffe_model, prototxt) are rejected: only --model-type onnx is supported.

#include <string>

#include "absl/status/statusor.h"
#include "tools/hb_mapper/mapper_config.h"

namespace hb_dnn::mapper {

// Relative paths in the file (onnx_model, working_dir, cal_data_dir) are resolved against the
// directory of `path` (the vendor's samples run hb_mapper from the YAML's directory, so both
// readings agree there). kCanNotOpenFile when the file cannot be read; errors start with `path`.
absl::StatusOr<MapperConfig> ReadMapperYaml(const std::string& path);

// The same from text; relative paths are resolved against `base_dir` (kept relative when empty).
absl::StatusOr<MapperConfig> ParseMapperYaml(const std::string& text,
                                             const std::string& base_dir = "");

// "1x3x224x224" of one input; kInvalidArgument naming the text otherwise.
absl::StatusOr<std::vector<int64_t>> ParseInputShape(const std::string& text);

// The config echoed as YAML-like "section.key: value" lines (for the conversion log).
std::string DescribeConfig(const MapperConfig& config);

}  // namespace hb_dnn::mapper

#endif  // HB_DNN_TOOLS_HB_MAPPER_MAPPER_YAML_H_
