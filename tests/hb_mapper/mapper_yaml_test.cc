// The makertbin YAML reader: the seed's template parses unchanged, and every kind of mistake is
// reported with its key path.

#include "tools/hb_mapper/mapper_yaml.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/status.h"

namespace hb_dnn::mapper {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// A minimal valid file; tests replace one line.
constexpr char kValid[] = R"(model_parameters:
  onnx_model: 'm.onnx'
  march: "bernoulli2"
input_parameters:
  input_type_rt: 'nv12'
  input_type_train: 'rgb'
  input_layout_train: 'NCHW'
  norm_type: 'data_mean_and_scale'
  mean_value: 128.0
  scale_value: 0.0078125
calibration_parameters:
  cal_data_dir: './cal'
compiler_parameters:
  compile_mode: 'latency'
)";

std::string Replace(const std::string& text, const std::string& from, const std::string& to) {
  std::string out = text;
  size_t at = out.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) out.replace(at, from.size(), to);
  return out;
}

std::string ErrorOf(const std::string& text) {
  absl::StatusOr<MapperConfig> config = ParseMapperYaml(text);
  EXPECT_FALSE(config.ok()) << text;
  return config.ok() ? "" : std::string(config.status().message());
}

TEST(MapperYamlTest, SeedOnnxTemplateParsesUnchanged) {
  std::string path = std::string(HB_MAPPER_TEST_DATA_DIR) + "/onnx_config.yaml";
  absl::StatusOr<MapperConfig> config = ReadMapperYaml(path);
  ASSERT_TRUE(config.ok()) << config.status();
  std::string dir = HB_MAPPER_TEST_DATA_DIR;
  EXPECT_EQ(config->onnx_model, dir + "/mobilenet_v2.onnx");
  EXPECT_EQ(config->march, "bernoulli2");
  EXPECT_FALSE(config->layer_out_dump);
  EXPECT_EQ(config->working_dir, dir + "/model_output");
  EXPECT_EQ(config->output_model_file_prefix, "mobilenetv2_224x224_nv12");
  ASSERT_EQ(config->inputs.size(), 1u);
  const InputConfig& in = config->inputs[0];
  EXPECT_EQ(in.name, "");
  EXPECT_EQ(in.input_type_rt, "nv12");
  EXPECT_EQ(in.input_layout_rt, "");
  EXPECT_EQ(in.input_type_train, "rgb");
  EXPECT_EQ(in.input_layout_train, "NCHW");
  EXPECT_TRUE(in.input_shape.empty());
  EXPECT_EQ(in.norm_type, "data_mean_and_scale");
  EXPECT_THAT(in.mean_value, ElementsAre(123.675f, 116.28f, 103.53f));
  EXPECT_THAT(in.scale_value, ElementsAre(0.01712f, 0.0175f, 0.01743f));
  EXPECT_EQ(config->input_batch, 1);
  EXPECT_THAT(config->calibration.cal_data_dir, ElementsAre(dir + "/calibration_data_rgb_f32"));
  EXPECT_EQ(config->calibration.cal_data_type, "float32");
  EXPECT_EQ(config->calibration.calibration_type, "default");
  EXPECT_FALSE(config->calibration.preprocess_on);
  EXPECT_TRUE(config->calibration.bias_correction);  // the hb_dnn extension's default
  EXPECT_EQ(config->calibration.cosine_target, 0.0);  // off
  EXPECT_EQ(config->compiler.compile_mode, "latency");
  EXPECT_FALSE(config->compiler.debug);
  EXPECT_EQ(config->compiler.core_num, 1);
  EXPECT_EQ(config->compiler.optimize_level, "O3");
  EXPECT_EQ(config->compiler.max_time_per_fc_us, 0);
  EXPECT_THAT(DescribeConfig(*config), HasSubstr("input_parameters[0].input_type_rt: nv12"));
}

TEST(MapperYamlTest, EveryKeyAndMultipleInputs) {
  absl::StatusOr<MapperConfig> config = ParseMapperYaml(R"(
model_parameters:
  onnx_model: /abs/m.onnx
  march: bayes
  layer_out_dump: True
  working_dir: out
  output_model_file_prefix: net
  remove_node_type: 'Quantize;Dequantize'
input_parameters:
  input_name: 'img;feat'
  input_type_rt: 'bgr;featuremap'
  input_layout_rt: 'NHWC;None'
  input_type_train: 'rgb;featuremap'
  input_layout_train: 'NCHW;NCHW'
  input_shape: '1x3x64x64;1x8x4x4'
  norm_type: 'data_scale;no_preprocess'
  mean_value: ''
  scale_value: '0.5 0.25 0.125;'
calibration_parameters:
  cal_data_dir: 'a;b'
  cal_data_type: uint8
  preprocess_on: False
  calibration_type: max
  max_percentile: 0.99995
  run_on_cpu: 'conv1;conv2'
  run_on_bpu: relu9
  bias_correction: False
  cosine_target: 0.992
compiler_parameters:
  compile_mode: bandwidth
  debug: True
  core_num: 2
  optimize_level: O2
  max_time_per_fc: 500
)",
                                                        "/base");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->onnx_model, "/abs/m.onnx");
  EXPECT_EQ(config->march, "bayes");
  EXPECT_TRUE(config->layer_out_dump);
  EXPECT_EQ(config->working_dir, "/base/out");
  EXPECT_THAT(config->remove_node_type, ElementsAre("Quantize", "Dequantize"));
  ASSERT_EQ(config->inputs.size(), 2u);
  EXPECT_EQ(config->inputs[0].name, "img");
  EXPECT_EQ(config->inputs[0].input_layout_rt, "NHWC");
  EXPECT_THAT(config->inputs[0].input_shape, ElementsAre(1, 3, 64, 64));
  EXPECT_THAT(config->inputs[0].scale_value, ElementsAre(0.5f, 0.25f, 0.125f));
  EXPECT_EQ(config->inputs[1].input_layout_rt, "NCHW");  // featuremap: the training layout
  EXPECT_EQ(config->inputs[1].norm_type, "no_preprocess");
  EXPECT_THAT(config->calibration.cal_data_dir, ElementsAre("/base/a", "/base/b"));
  EXPECT_EQ(config->calibration.cal_data_type, "uint8");
  EXPECT_EQ(config->calibration.calibration_type, "max");
  EXPECT_DOUBLE_EQ(config->calibration.max_percentile, 0.99995);
  EXPECT_THAT(config->calibration.run_on_cpu, ElementsAre("conv1", "conv2"));
  EXPECT_THAT(config->calibration.run_on_bpu, ElementsAre("relu9"));
  EXPECT_FALSE(config->calibration.bias_correction);
  EXPECT_DOUBLE_EQ(config->calibration.cosine_target, 0.992);
  EXPECT_EQ(config->compiler.compile_mode, "bandwidth");
  EXPECT_TRUE(config->compiler.debug);
  EXPECT_EQ(config->compiler.core_num, 2);
  EXPECT_EQ(config->compiler.optimize_level, "O2");
  EXPECT_EQ(config->compiler.max_time_per_fc_us, 500);
}

TEST(MapperYamlTest, DefaultsForEmptyNoneAndAbsent) {
  absl::StatusOr<MapperConfig> config = ParseMapperYaml(Replace(
      Replace(kValid,
              "  norm_type: 'data_mean_and_scale'\n  mean_value: 128.0\n  scale_value: 0.0078125\n",
              "  norm_type: None\n  mean_value:\n  scale_value: ''\n  input_shape: ~\n"),
      "compiler_parameters:\n  compile_mode: 'latency'\n", ""));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->inputs[0].norm_type, "no_preprocess");
  EXPECT_EQ(config->working_dir, "model_output");
  EXPECT_EQ(config->output_model_file_prefix, "model");
  EXPECT_EQ(config->compiler.optimize_level, "O3");
  EXPECT_EQ(config->calibration.calibration_type, "default");
  EXPECT_DOUBLE_EQ(config->calibration.max_percentile, 1.0);
}

TEST(MapperYamlTest, UnknownKeysAndSectionsNameThePath) {
  EXPECT_THAT(ErrorOf(Replace(kValid, "  input_type_rt:", "  input_typ_rt: 'x'\n  input_type_rt:")),
              HasSubstr("input_parameters.input_typ_rt: unknown key (did you mean "
                        "'input_type_rt'?)"));
  EXPECT_THAT(ErrorOf(std::string(kValid) + "runtime_parameters:\n  x: 1\n"),
              HasSubstr("runtime_parameters: unknown section"));
  EXPECT_THAT(ErrorOf(Replace(kValid, "  march:", "  onnx_model: 'n.onnx'\n  march:")),
              HasSubstr("model_parameters.onnx_model: appears twice"));
}

TEST(MapperYamlTest, WrongTypesNameThePath) {
  EXPECT_THAT(ErrorOf(std::string(kValid) + "  debug: maybe\n"),
              HasSubstr("compiler_parameters.debug: expected True or False, got 'maybe'"));
  EXPECT_THAT(ErrorOf(std::string(kValid) + "  core_num: two\n"),
              HasSubstr("compiler_parameters.core_num: expected an integer, got 'two'"));
  EXPECT_THAT(ErrorOf(std::string(kValid) + "  core_num: 4\n"),
              HasSubstr("compiler_parameters.core_num: 4 is outside [1, 2]"));
  EXPECT_THAT(ErrorOf(Replace(kValid, "onnx_model: 'm.onnx'", "onnx_model: [a, b]")),
              HasSubstr("model_parameters.onnx_model: expected a single value, got a list"));
  EXPECT_THAT(ErrorOf(Replace(kValid, "mean_value: 128.0", "mean_value: 12x")),
              HasSubstr("input_parameters.mean_value: '12x' is not a number"));
  EXPECT_THAT(ErrorOf(Replace(kValid, "cal_data_dir: './cal'",
                              "cal_data_dir: './cal'\n  max_percentile: 1.5")),
              HasSubstr("calibration_parameters.max_percentile: 1.5 is outside [0, 1]"));
  EXPECT_THAT(ErrorOf(Replace(kValid, "cal_data_dir: './cal'",
                              "cal_data_dir: './cal'\n  cosine_target: 1.5")),
              HasSubstr("calibration_parameters.cosine_target: 1.5 is outside [0, 1]"));
  EXPECT_THAT(ErrorOf(Replace(kValid, "cal_data_dir: './cal'",
                              "cal_data_dir: './cal'\n  cosine_target: high")),
              HasSubstr("calibration_parameters.cosine_target: expected a number, got 'high'"));
  EXPECT_THAT(ErrorOf(Replace(kValid, "cal_data_dir: './cal'",
                              "cal_data_dir: './cal'\n  bias_correction: often")),
              HasSubstr("calibration_parameters.bias_correction: expected True or False, got "
                        "'often'"));
  EXPECT_THAT(ErrorOf(Replace(kValid, "input_parameters:\n", "input_parameters: 3\nx:\n")),
              HasSubstr("input_parameters: is a scalar; expected a mapping of keys"));
}

TEST(MapperYamlTest, BadEnumValuesListTheChoices) {
  EXPECT_THAT(ErrorOf(Replace(kValid, "'data_mean_and_scale'", "'data_mean_and_scal'")),
              HasSubstr("input_parameters.norm_type: 'data_mean_and_scal' is not one of "
                        "no_preprocess, data_mean, data_scale, data_mean_and_scale"));
  EXPECT_THAT(ErrorOf(Replace(kValid, "\"bernoulli2\"", "x3")),
              HasSubstr("model_parameters.march: 'x3' is not one of bernoulli2, bayes"));
  EXPECT_THAT(ErrorOf(Replace(kValid, "'nv12'", "'yuv420'")),
              HasSubstr("input_parameters.input_type_rt: 'yuv420' is not one of nv12, rgb"));
  EXPECT_THAT(ErrorOf(Replace(kValid, "'NCHW'", "'CHW'")),
              HasSubstr("input_parameters.input_layout_train: 'CHW' is not one of NHWC, NCHW"));
  EXPECT_THAT(
      ErrorOf(Replace(kValid, "compile_mode: 'latency'", "compile_mode: fast")),
      HasSubstr("compiler_parameters.compile_mode: 'fast' is not one of latency, bandwidth"));
  EXPECT_THAT(ErrorOf(Replace(kValid, "cal_data_dir: './cal'",
                              "cal_data_dir: './cal'\n  calibration_type: entropy")),
              HasSubstr("calibration_parameters.calibration_type: 'entropy' is not one of default, "
                        "max, kl, load"));
}

TEST(MapperYamlTest, MissingRequiredKeys) {
  EXPECT_THAT(ErrorOf(Replace(kValid, "  onnx_model: 'm.onnx'\n", "")),
              HasSubstr("model_parameters.onnx_model: required"));
  EXPECT_THAT(ErrorOf(Replace(kValid, "  onnx_model: 'm.onnx'\n", "  onnx_model: ''\n")),
              HasSubstr("model_parameters.onnx_model: required"));
  EXPECT_THAT(ErrorOf(Replace(kValid, "  march: \"bernoulli2\"\n", "")),
              HasSubstr("model_parameters.march: required"));
  EXPECT_THAT(ErrorOf(Replace(kValid, "  input_type_train: 'rgb'\n", "")),
              HasSubstr("input_parameters.input_type_train: required"));
  EXPECT_THAT(ErrorOf(Replace(kValid, "  cal_data_dir: './cal'\n", "  cal_data_type: float32\n")),
              HasSubstr("calibration_parameters.cal_data_dir: required for calibration_type "
                        "'default'"));
  EXPECT_THAT(ErrorOf(Replace(kValid, "calibration_parameters:\n  cal_data_dir: './cal'\n", "")),
              HasSubstr("calibration_parameters: required section is missing"));
  EXPECT_THAT(ErrorOf(Replace(kValid, "'nv12'", "'rgb'")),
              HasSubstr("input_parameters.input_layout_rt: required for input_type_rt 'rgb'"));
  EXPECT_THAT(ErrorOf(""), HasSubstr("<file>: is empty"));
  // calibration_type load needs no calibration data.
  EXPECT_TRUE(
      ParseMapperYaml(Replace(kValid, "  cal_data_dir: './cal'\n", "  calibration_type: load\n"))
          .ok());
}

TEST(MapperYamlTest, SeedRules) {
  // data_mean_and_scale needs both values; unused values are rejected.
  EXPECT_THAT(ErrorOf(Replace(kValid, "  scale_value: 0.0078125\n", "")),
              HasSubstr("input_parameters.scale_value: required by norm_type "
                        "'data_mean_and_scale'"));
  EXPECT_THAT(ErrorOf(Replace(kValid, "'data_mean_and_scale'", "data_mean")),
              HasSubstr("input_parameters.scale_value: given, but norm_type 'data_mean' does not "
                        "use it"));
  EXPECT_THAT(ErrorOf(Replace(kValid, "mean_value: 128.0", "mean_value: 1 2")),
              HasSubstr("input_parameters.mean_value: 2 values ('1 2'); give 1 or one per channel "
                        "(3)"));
  EXPECT_THAT(ErrorOf(Replace(kValid, "input_type_train: 'rgb'", "input_type_train: featuremap")),
              HasSubstr("input_parameters.input_type_train: 'featuremap' cannot be produced from "
                        "input_type_rt 'nv12'"));
  EXPECT_THAT(ErrorOf(Replace(kValid, "  norm_type:", "  input_shape: 1x224x224x3\n  norm_type:")),
              HasSubstr("input_parameters.input_shape: '1x224x224x3' has 224 channels (NCHW)"));
  EXPECT_THAT(ErrorOf(Replace(kValid, "  norm_type:", "  input_shape: 1x3x2x\n  norm_type:")),
              HasSubstr("input_parameters.input_shape: '1x3x2x' is not a shape"));
  EXPECT_THAT(ErrorOf(Replace(kValid, "input_type_rt: 'nv12'", "input_type_rt: 'nv12;nv12'")),
              HasSubstr("input_parameters.input_type_train: 1 value(s) for 2 inputs"));
  EXPECT_THAT(ErrorOf(Replace(kValid, "  norm_type:", "  input_batch: 0\n  norm_type:")),
              HasSubstr("input_parameters.input_batch: 0 is outside [1, 4096]"));
  EXPECT_THAT(ErrorOf(Replace(kValid, "march: \"bernoulli2\"",
                              "march: \"bernoulli2\"\n  remove_node_type: Softmax")),
              HasSubstr("model_parameters.remove_node_type: 'Softmax' is not one of Quantize, "
                        "Dequantize"));
  // Several problems are all reported, one per line.
  std::string many = ErrorOf(Replace(Replace(kValid, "\"bernoulli2\"", "x3"), "'latency'", "x"));
  EXPECT_THAT(many, HasSubstr("model_parameters.march"));
  EXPECT_THAT(many, HasSubstr("\ncompiler_parameters.compile_mode"));
}

TEST(MapperYamlTest, CaffeKeysAreRejectedForOnnx) {
  std::string message = ErrorOf(
      Replace(kValid, "  onnx_model: 'm.onnx'\n",
              "  caffe_model: './horizon_x3_caffe.caffemodel'\n  prototxt: './x.prototxt'\n"));
  EXPECT_THAT(message, HasSubstr("model_parameters.caffe_model: is a key of the Caffe template, "
                                 "but this hb_mapper converts ONNX models only (--model-type "
                                 "onnx)"));
  EXPECT_THAT(message, HasSubstr("model_parameters.prototxt: is a key of the Caffe template"));
}

TEST(MapperYamlTest, SyntaxErrorsAndMissingFile) {
  EXPECT_THAT(ErrorOf("model_parameters:\n  onnx_model: [m.onnx\n"),
              HasSubstr("YAML syntax error"));
  absl::StatusOr<MapperConfig> missing = ReadMapperYaml("/nonexistent/cfg.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(ErrorCodeOf(missing.status()), ErrorCode::kCanNotOpenFile);
  EXPECT_THAT(missing.status().message(), HasSubstr("/nonexistent/cfg.yaml: cannot open"));
  EXPECT_THAT(std::string(missing.status().message()), Not(HasSubstr("YAML")));
}

}  // namespace
}  // namespace hb_dnn::mapper
