// Runs the hb_onnx_convert binary: argument handling, exit codes and messages.

#include <cstdio>
#include <cstdlib>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/kernels/op_registry.h"
#include "tests/onnx_import/import_test_util.h"
#include "tests/testing/command.h"
#include "tests/testing/test_models.h"

namespace hb_dnn::onnx_import {
namespace {

using ::testing::HasSubstr;

using Result = testing::CommandResult;

Result RunCli(const std::string& args) {
  return testing::RunCommand(std::string(HB_ONNX_CONVERT_PATH) + " " + args);
}

// x (batch, 3) -> output x: needs only the importer and an Identity kernel.
std::string WritePassThroughModel() {
  onnx::ModelProto model = testing::NewOnnxModel(13);
  testing::SetDimParam(testing::AddGraphInput(&model, "x", {1, 3}), 0, "batch");
  testing::SetDimParam(testing::AddGraphOutput(&model, "x", {1, 3}), 0, "batch");
  std::string path = testing::TempPath("pass_through.onnx");
  testing::WriteBytes(path, model.SerializeAsString());
  return path;
}

TEST(OnnxConvertCliTest, UsageErrorsExitWithTwo) {
  EXPECT_EQ(RunCli("--help").exit_code, 0);
  Result missing = RunCli("--output out.hbm");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.output, HasSubstr("--model is required"));
  Result unknown = RunCli("--model m.onnx --output o.hbm --frobnicate");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.output, HasSubstr("unknown argument '--frobnicate'"));
  Result bad_shape = RunCli("--model m.onnx --output o.hbm --input-shape x 1xAx3");
  EXPECT_EQ(bad_shape.exit_code, 2);
  EXPECT_THAT(bad_shape.output, HasSubstr("--input-shape x: shape '1xAx3'"));
}

TEST(OnnxConvertCliTest, ConversionErrorsExitWithOne) {
  std::string model = WritePassThroughModel();
  std::string out = testing::TempPath("pass_through.hbm");
  Result dynamic = RunCli("--model " + model + " --output " + out);
  EXPECT_EQ(dynamic.exit_code, 1);
  EXPECT_THAT(dynamic.output,
              HasSubstr("input 'x' dimension 0 is dynamic ('batch'): pass --input-shape x 1x3"));
  Result missing = RunCli("--model " + testing::TempPath("absent.onnx") + " --output " + out);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.output, HasSubstr("cannot open"));
}

TEST(OnnxConvertCliTest, ConvertsWithInputShape) {
  if (!kernels::OpRegistry::Builtin().Find("", "Identity", 13).ok()) {
    GTEST_SKIP() << "the builtin kernels have no Identity yet";
  }
  std::string model = WritePassThroughModel();
  std::string out = testing::TempPath("pass_through.hbm");
  Result ok = RunCli("--model " + model + " --output " + out +
                     " --input-shape x 4x3 --name passthrough --march bayes");
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_THAT(ok.output, HasSubstr("nodes 0 -> 1, folded 0 constants, fused 0 activations and 0 BatchNormalization"));
  FILE* file = std::fopen(out.c_str(), "rb");
  ASSERT_NE(file, nullptr);
  std::fclose(file);
}

}  // namespace
}  // namespace hb_dnn::onnx_import
