// Calibration files -> samples: input matching, file order, uint8/float32, normalization, and
// the errors naming the directory, file and sizes.

#include "tools/hb_mapper/calibration_data.h"

#include <filesystem>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/onnx_import/import_test_util.h"
#include "tests/testing/test_models.h"

namespace hb_dnn::mapper {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A model with one graph input "x" (1, 2, 1, 2) (plus an initializer listed as an input, which
// is not a model input) and an Identity.
std::string WriteModel(bool dynamic = false) {
  onnx::ModelProto model = testing::NewOnnxModel(13);
  onnx::ValueInfoProto* x = testing::AddGraphInput(&model, "x", {1, 2, 1, 2});
  if (dynamic) testing::SetDimParam(x, 0, "batch");
  testing::AddInitializer(&model, testing::MakeFloatTensor("w", {1}, {1.0f}));
  testing::AddGraphInput(&model, "w", {1});
  testing::AddGraphOutput(&model, "x", {1, 2, 1, 2});
  std::string path = testing::TempPath(dynamic ? "cal_dynamic.onnx" : "cal_model.onnx");
  testing::WriteBytes(path, model.SerializeAsString());
  return path;
}

std::string MakeDir(const std::string& name) {
  std::string dir = testing::TempPath(name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

MapperConfig Config(const std::string& model, const std::string& dir) {
  MapperConfig config;
  config.onnx_model = model;
  config.inputs.resize(1);
  config.inputs[0].input_type_train = "featuremap";
  config.inputs[0].input_layout_train = "NCHW";
  config.calibration.cal_data_dir = {dir};
  return config;
}

TEST(CalibrationDataTest, LoadsSortedFloatFilesAndNormalizes) {
  std::string dir = MakeDir("cal_f32");
  testing::WriteBytes(dir + "/b.bin", testing::BytesOf<float>({5, 6, 7, 8}));
  testing::WriteBytes(dir + "/a.bin", testing::BytesOf<float>({1, 2, 3, 4}));
  MapperConfig config = Config(WriteModel(), dir);
  absl::StatusOr<std::vector<CalibrationInput>> inputs = ResolveCalibrationInputs(config);
  ASSERT_TRUE(inputs.ok()) << inputs.status();
  ASSERT_EQ(inputs->size(), 1u);
  EXPECT_EQ((*inputs)[0].name, "x");
  EXPECT_THAT((*inputs)[0].shape, ElementsAre(1, 2, 1, 2));
  absl::StatusOr<std::vector<CalibrationSample>> samples = LoadCalibrationData(config, *inputs);
  ASSERT_TRUE(samples.ok()) << samples.status();
  ASSERT_EQ(samples->size(), 2u);
  EXPECT_THAT((*samples)[0][0], ElementsAre(1, 2, 3, 4));  // a.bin first
  EXPECT_THAT((*samples)[1][0], ElementsAre(5, 6, 7, 8));

  // Per-channel (NCHW, channel = dim 1) mean and scale.
  config.inputs[0].norm_type = "data_mean_and_scale";
  config.inputs[0].mean_value = {1, 3};
  config.inputs[0].scale_value = {2, 10};
  samples = LoadCalibrationData(config, *inputs);
  ASSERT_TRUE(samples.ok()) << samples.status();
  EXPECT_THAT((*samples)[0][0], ElementsAre(0, 2, 0, 10));
}

TEST(CalibrationDataTest, Uint8FilesAndInputShapeOverride) {
  std::string dir = MakeDir("cal_u8");
  testing::WriteBytes(dir + "/0.bin", std::string("\x01\x02\xff\x00\x05\x06", 6));
  MapperConfig config = Config(WriteModel(/*dynamic=*/true), dir);
  config.calibration.cal_data_type = "uint8";
  config.inputs[0].input_shape = {1, 2, 1, 3};
  absl::StatusOr<std::vector<CalibrationInput>> inputs = ResolveCalibrationInputs(config);
  ASSERT_TRUE(inputs.ok()) << inputs.status();
  absl::StatusOr<std::vector<CalibrationSample>> samples = LoadCalibrationData(config, *inputs);
  ASSERT_TRUE(samples.ok()) << samples.status();
  EXPECT_THAT((*samples)[0][0], ElementsAre(1, 2, 255, 0, 5, 6));
}

TEST(CalibrationDataTest, Errors) {
  std::string model = WriteModel();
  std::string dir = MakeDir("cal_errors");
  MapperConfig config = Config(model, dir + "/missing");
  std::vector<CalibrationInput> inputs = {{"x", {1, 2, 1, 2}}};
  EXPECT_THAT(LoadCalibrationData(config, inputs).status().message(),
              HasSubstr("calibration_parameters.cal_data_dir: directory '" + dir +
                        "/missing' does not exist"));
  config.calibration.cal_data_dir = {dir};
  EXPECT_THAT(LoadCalibrationData(config, inputs).status().message(),
              HasSubstr("directory '" + dir + "' holds no calibration files"));
  testing::WriteBytes(dir + "/short.bin", testing::BytesOf<float>({1, 2, 3}));
  EXPECT_THAT(LoadCalibrationData(config, inputs).status().message(),
              HasSubstr("calibration file '" + dir +
                        "/short.bin' has 12 bytes, but input 'x' of "
                        "shape 1x2x1x2 in float32 needs 16 (4 x 4 bytes)"));
  config.calibration.preprocess_on = true;
  EXPECT_THAT(LoadCalibrationData(config, inputs).status().message(),
              HasSubstr("calibration_parameters.preprocess_on: True is not supported"));

  MapperConfig dynamic = Config(WriteModel(/*dynamic=*/true), dir);
  EXPECT_THAT(ResolveCalibrationInputs(dynamic).status().message(),
              HasSubstr("The shape of model input:x is dynamic (dimension 'batch'); please "
                        "specify input_parameters.input_shape"));
  MapperConfig named = Config(model, dir);
  named.inputs[0].name = "y";
  EXPECT_THAT(ResolveCalibrationInputs(named).status().message(),
              HasSubstr("input_parameters.input_name: 'y' is not an input of model"));
  MapperConfig two = Config(model, dir);
  two.inputs.resize(2);
  EXPECT_THAT(ResolveCalibrationInputs(two).status().message(),
              HasSubstr("2 input(s) configured, but model '" + model + "' has 1 (x)"));
}

}  // namespace
}  // namespace hb_dnn::mapper
