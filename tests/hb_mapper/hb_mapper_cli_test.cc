// Runs the hb_mapper and hb_model_verifier binaries: usage, the checker's table, makertbin's
// files and its failures (bad YAML, missing calibration data), exit codes.

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/onnx_import/import_test_util.h"
#include "tests/testing/command.h"
#include "tests/testing/test_models.h"

namespace hb_dnn::mapper {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

using Result = testing::CommandResult;

Result RunBinary(const std::string& binary, const std::string& args) {
  return testing::RunCommand(binary + " " + args);
}

Result Mapper(const std::string& args) { return RunBinary(HB_MAPPER_PATH, args); }

std::string ReadText(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// x (1,3,8,8) -> Conv 4x3x3x3 (pad 1) -> Relu -> y (1,4,8,8).
std::string WriteConvModel(bool dynamic_batch = false) {
  onnx::ModelProto model = testing::NewOnnxModel(11);
  onnx::ValueInfoProto* x = testing::AddGraphInput(&model, "x", {1, 3, 8, 8});
  if (dynamic_batch) testing::SetDimParam(x, 0, "batch");
  std::vector<float> w(4 * 3 * 3 * 3);
  for (size_t i = 0; i < w.size(); ++i)
    w[i] = 0.05f * static_cast<float>(static_cast<int>(i % 9) - 4);
  testing::AddInitializer(&model, testing::MakeFloatTensor("w", {4, 3, 3, 3}, w));
  testing::AddInitializer(&model, testing::MakeFloatTensor("b", {4}, {0.1f, -0.1f, 0.2f, 0.0f}));
  onnx::NodeProto* conv = testing::AddNode(&model, "Conv", {"x", "w", "b"}, {"c"});
  conv->set_name("conv1");
  testing::SetIntsAttr(conv, "pads", {1, 1, 1, 1});
  testing::SetIntsAttr(conv, "kernel_shape", {3, 3});
  testing::AddNode(&model, "Relu", {"c"}, {"y"})->set_name("relu1");
  testing::AddGraphOutput(&model, "y", {1, 4, 8, 8});
  std::string path = testing::TempPath(dynamic_batch ? "cli_dynamic.onnx" : "cli_conv.onnx");
  testing::WriteBytes(path, model.SerializeAsString());
  return path;
}

std::string WriteConfig(const std::string& dir, const std::string& model,
                        const std::string& cal_dir, const std::string& extra = "") {
  std::string path = dir + "/cfg.yaml";
  testing::WriteBytes(path, "model_parameters:\n  onnx_model: '" + model +
                                "'\n  march: bernoulli2\n  working_dir: out\n"
                                "  output_model_file_prefix: conv\n"
                                "input_parameters:\n  input_type_rt: featuremap\n"
                                "  input_type_train: featuremap\n  input_layout_train: NCHW\n" +
                                extra + "calibration_parameters:\n  cal_data_dir: '" + cal_dir +
                                "'\n  calibration_type: max\n");
  return path;
}

std::string FreshDir(const std::string& name) {
  std::string dir = testing::TempPath(name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(HbMapperCliTest, UsageAndVersion) {
  Result help = Mapper("--help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.output, HasSubstr("usage: hb_mapper <command>"));
  Result version = Mapper("-v");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_THAT(version.output, MatchesRegex("hb_mapper [0-9]+\\.[0-9]+\\.[0-9]+\n"));
  EXPECT_EQ(Mapper("").exit_code, 2);
  Result unknown = Mapper("convert");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.output, HasSubstr("unknown command 'convert'"));
  Result caffe = Mapper("checker --model-type caffe --model m --march bernoulli2");
  EXPECT_EQ(caffe.exit_code, 2);
  EXPECT_THAT(caffe.output, HasSubstr("--model-type caffe is not supported"));
  Result missing = Mapper("checker --model-type onnx --march bernoulli2");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.output, HasSubstr("checker: --model is required"));
  Result march = Mapper("checker --model-type onnx --model m.onnx --march x3");
  EXPECT_EQ(march.exit_code, 2);
  EXPECT_THAT(march.output, HasSubstr("--march 'x3' is not one of bernoulli2, bayes"));
  Result shape =
      Mapper("checker --model-type onnx --model m.onnx --march bayes --input-shape x 1xAx2");
  EXPECT_EQ(shape.exit_code, 2);
  EXPECT_THAT(shape.output, HasSubstr("--input-shape x: '1xAx2' is not a shape"));
}

TEST(HbMapperCliTest, CheckerPrintsEveryNode) {
  Result r =
      Mapper("checker --model-type onnx --model " + WriteConvModel() + " --march bernoulli2");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, MatchesRegex("(.|\n)*Node +Type +Output shape +ON +Reason\n-+\n(.|\n)*"));
  EXPECT_THAT(r.output, MatchesRegex("(.|\n)*\nconv1 +Conv +1x4x8x8 +(BPU|CPU)(.|\n)*"));
  EXPECT_THAT(r.output, HasSubstr(" nodes: "));
}

TEST(HbMapperCliTest, CheckerFailures) {
  Result missing = Mapper("checker --model-type onnx --model /nonexistent.onnx --march bernoulli2");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.output, HasSubstr("ERROR model file '/nonexistent.onnx' does not exist"));
  std::string garbage = testing::TempPath("garbage.onnx");
  testing::WriteBytes(garbage, "not a protobuf");
  Result malformed = Mapper("checker --model-type onnx --model " + garbage + " --march bernoulli2");
  EXPECT_EQ(malformed.exit_code, 1);
  EXPECT_THAT(malformed.output, HasSubstr("ERROR "));
  std::string dynamic = WriteConvModel(/*dynamic_batch=*/true);
  Result no_shape = Mapper("checker --model-type onnx --model " + dynamic + " --march bernoulli2");
  EXPECT_EQ(no_shape.exit_code, 1);
  EXPECT_THAT(no_shape.output, HasSubstr("ERROR "));
  Result with_shape = Mapper("checker --model-type onnx --model " + dynamic +
                             " --march bernoulli2 --input-shape x 1x3x8x8");
  EXPECT_EQ(with_shape.exit_code, 0) << with_shape.output;
}

TEST(HbMapperCliTest, MakertbinReportsYamlAndCalibrationErrors) {
  std::string dir = FreshDir("cli_errors");
  std::string model = WriteConvModel();
  testing::WriteBytes(dir + "/bad.yaml", "model_parameters:\n  onnx_model: m.onnx\n  march: x3\n");
  Result bad = Mapper("makertbin --model-type onnx --config " + dir + "/bad.yaml");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.output, HasSubstr(dir + "/bad.yaml: model_parameters.march: 'x3' is not one of "
                                          "bernoulli2, bayes"));
  Result no_config = Mapper("makertbin --model-type onnx");
  EXPECT_EQ(no_config.exit_code, 2);

  std::string config = WriteConfig(dir, model, dir + "/no_such_dir");
  Result missing = Mapper("makertbin --config " + config + " --model-type onnx");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.output, HasSubstr("calibration_parameters.cal_data_dir: directory '" + dir +
                                        "/no_such_dir' does not exist"));
  EXPECT_THAT(ReadText(dir + "/out/hb_mapper_makertbin.log"), HasSubstr("ERROR calibration_"));

  fs::create_directories(dir + "/cal");
  testing::WriteBytes(dir + "/cal/0.bin", std::string(100, '\0'));
  config = WriteConfig(dir, model, dir + "/cal");
  Result size = Mapper("makertbin --config " + config + " --model-type onnx");
  EXPECT_EQ(size.exit_code, 1);
  EXPECT_THAT(size.output, HasSubstr("calibration file '" + dir +
                                     "/cal/0.bin' has 100 bytes, but "
                                     "input 'x' of shape 1x3x8x8 in float32 needs 768"));
}

TEST(HbMapperCliTest, MakertbinWritesModelLogAndReports) {
  std::string dir = FreshDir("cli_convert");
  std::string model = WriteConvModel();
  fs::create_directories(dir + "/cal");
  for (int k = 0; k < 3; ++k) {
    std::vector<float> x(3 * 8 * 8);
    for (size_t i = 0; i < x.size(); ++i)
      x[i] = static_cast<float>((i * (k + 3)) % 17) / 8.0f - 1.0f;
    testing::WriteBytes(dir + "/cal/" + std::to_string(k) + ".bin", testing::BytesOf(x));
  }
  std::string config = WriteConfig(dir, model, "cal");
  Result r = Mapper("makertbin --config " + config + " --model-type onnx");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(fs::exists(dir + "/out/conv.hbm")) << r.output;
  std::string log = ReadText(dir + "/out/hb_mapper_makertbin.log");
  EXPECT_THAT(log, HasSubstr("calibration_parameters.calibration_type: max"));
  EXPECT_THAT(log, HasSubstr("Loaded 3 calibration samples"));
  std::string report = ReadText(dir + "/out/conv_report.txt");
  EXPECT_THAT(report, HasSubstr("conv1"));
  EXPECT_THAT(report, HasSubstr("Cosine"));
  EXPECT_THAT(report, HasSubstr("Modelled us"));
  std::string json = ReadText(dir + "/out/conv_report.json");
  EXPECT_THAT(json, HasSubstr("\"nodes\": ["));
  EXPECT_THAT(json, HasSubstr("\"total_modelled_us\": "));

  // The verifier on the same pair.
  Result verified = RunBinary(HB_MODEL_VERIFIER_PATH, "--onnx " + model + " --model " + dir +
                                                          "/out/conv.hbm --threshold 0.9");
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_THAT(verified.output, HasSubstr("output 'y': 256 values, cosine similarity"));
  Result strict = RunBinary(HB_MODEL_VERIFIER_PATH,
                            "--onnx " + model + " --model " + dir + "/out/conv.hbm --threshold 1");
  EXPECT_THAT(strict.output, HasSubstr("output 'y'"));
  Result bad_input = RunBinary(HB_MODEL_VERIFIER_PATH, "--onnx " + model + " --model " + dir +
                                                           "/out/conv.hbm --input " + config);
  EXPECT_EQ(bad_input.exit_code, 1);
  EXPECT_THAT(bad_input.output, HasSubstr("input 'x' needs 768 (192 float32)"));
}

// makecaldata from a reference input, then an NV12 model from the same YAML, then the verifier
// on its image input.
TEST(HbMapperCliTest, MakecaldataThenNv12Makertbin) {
  std::string dir = FreshDir("cli_nv12");
  std::string model = WriteConvModel();
  std::vector<float> x(3 * 8 * 8);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>((i * 7) % 23) / 11.5f - 1.0f;
  testing::WriteBytes(dir + "/input_0.pb",
                      testing::MakeFloatTensor("x", {1, 3, 8, 8}, x).SerializeAsString());
  std::string config = dir + "/cfg.yaml";
  testing::WriteBytes(config, "model_parameters:\n  onnx_model: '" + model +
                                  "'\n  march: bernoulli2\n  working_dir: out\n"
                                  "  output_model_file_prefix: conv_nv12\n"
                                  "input_parameters:\n  input_type_rt: nv12\n"
                                  "  input_type_train: rgb\n  input_layout_train: NCHW\n"
                                  "  norm_type: data_mean_and_scale\n  mean_value: 128\n"
                                  "  scale_value: 0.0078125\n"
                                  "calibration_parameters:\n  cal_data_dir: cal\n"
                                  "  calibration_type: max\n");
  Result made = Mapper("makecaldata --config " + config + " --source " + dir +
                       "/input_0.pb --count 4");
  ASSERT_EQ(made.exit_code, 0) << made.output;
  EXPECT_THAT(made.output, HasSubstr("wrote 4 float32 calibration files of input 'x'"));
  std::string first = ReadText(dir + "/cal/cal_0000.bin");
  ASSERT_EQ(first.size(), x.size() * sizeof(float));
  float value = 0;
  std::memcpy(&value, first.data(), sizeof(float));
  EXPECT_FLOAT_EQ(value, x[0] / 0.0078125f + 128.0f);  // the norm undone: pixel units
  EXPECT_TRUE(fs::exists(dir + "/cal/cal_0003.bin"));
  Result again = Mapper("makecaldata --config " + config + " --source " + dir +
                        "/input_0.pb --count 2 --cal-data-dir " + dir + "/again");
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(ReadText(dir + "/again/cal_0001.bin"), ReadText(dir + "/cal/cal_0001.bin"));

  Result r = Mapper("makertbin --config " + config + " --model-type onnx");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::string log = ReadText(dir + "/out/hb_mapper_makertbin.log");
  EXPECT_THAT(log, HasSubstr("preprocess: input 'x' takes nv12 (1x12x8)"));
  EXPECT_THAT(ReadText(dir + "/out/conv_nv12_report.json"), HasSubstr("\"Preprocess\""));
  Result verified = RunBinary(HB_MODEL_VERIFIER_PATH, "--onnx " + model + " --model " + dir +
                                                          "/out/conv_nv12.hbm --threshold 0.9");
  EXPECT_EQ(verified.exit_code, 0) << verified.output;

  Result missing = Mapper("makecaldata --config " + config + " --source " + dir + "/none.pb");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.output, HasSubstr("--source '" + dir + "/none.pb'"));
  Result usage = Mapper("makecaldata --config " + config);
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_THAT(usage.output, HasSubstr("--source is required"));
}

TEST(HbModelVerifierCliTest, Usage) {
  EXPECT_EQ(RunBinary(HB_MODEL_VERIFIER_PATH, "--help").exit_code, 0);
  Result missing = RunBinary(HB_MODEL_VERIFIER_PATH, "--onnx m.onnx");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.output, HasSubstr("--model is required"));
  Result threshold = RunBinary(HB_MODEL_VERIFIER_PATH, "--onnx m --model n --threshold high");
  EXPECT_EQ(threshold.exit_code, 2);
  Result no_file = RunBinary(HB_MODEL_VERIFIER_PATH, "--onnx /nonexistent.onnx --model n.hbm");
  EXPECT_EQ(no_file.exit_code, 1);
  EXPECT_THAT(no_file.output, HasSubstr("ERROR "));
}

}  // namespace
}  // namespace hb_dnn::mapper
