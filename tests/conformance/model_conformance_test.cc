// The real models of ../shared/models end to end through the C API, against their reference
// outputs: fp32 max |error| <= 1e-4 x max |reference| (the criterion). Skipped when the
// shared folder is absent (a user's fresh clone); CI has it.

#include <filesystem>
#include <string>

#include "gtest/gtest.h"
#include "tests/conformance/conformance_runner.h"

namespace hb_dnn::testing {
namespace {

class SharedModel : public ::testing::TestWithParam<std::string> {};

TEST_P(SharedModel, MatchesReferenceOutput) {
  std::string dir = std::string(HB_DNN_SHARED_MODELS) + "/" + GetParam();
  if (!std::filesystem::exists(dir + "/model.onnx")) GTEST_SKIP() << dir << " is not available";
  ConformanceOptions options;
  options.max_abs_scale = 1e-4;
  EXPECT_TRUE(RunModelConformance(dir + "/model.onnx", DataSets(dir), options));
}

INSTANTIATE_TEST_SUITE_P(Fp32, SharedModel,
                         ::testing::Values("mobilenetv2", "resnet18", "squeezenet1_1",
                                           "yolov5n_like_320"));

}  // namespace
}  // namespace hb_dnn::testing
