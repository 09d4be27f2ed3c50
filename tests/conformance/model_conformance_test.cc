// The real models of ../shared/models end to end through the C API, against their reference
// outputs: fp32 max |error| <= 1e-4 x max |reference| (the criterion). Skipped when the
// shared folder is absent (a user's fresh clone); CI has it.

#include <filesystem>
#include <string>
#include <vector>

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

struct OcrCase {
  const char* file;
  std::vector<int64_t> shape;
  SyntheticInput input;
  const char* reference;
};

class PpOcrModel : public ::testing::TestWithParam<OcrCase> {};

// PP-OCR ships no reference outputs: the reference is ONNX Runtime 1.30 on a synthetic input,
// recorded by scripts/ort_reference.js into tests/data/ppocr (the detector gets a synthetic text
// page: on noise its probability map is all zeros, which would test nothing).
TEST_P(PpOcrModel, MatchesOnnxRuntime) {
  const OcrCase& c = GetParam();
  std::string path = std::string(HB_DNN_SHARED_MODELS) + "/ppocr/" + c.file;
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is not available";
  ConformanceOptions options;
  options.max_abs_scale = 1e-4;
  EXPECT_TRUE(RunModelOnSyntheticInput(
      path, c.shape, c.input, std::string(HB_DNN_TEST_DATA) + "/ppocr/" + c.reference, options));
}

INSTANTIATE_TEST_SUITE_P(
    Fp32, PpOcrModel,
    ::testing::Values(OcrCase{"ch_PP-OCRv4_det_infer.onnx", {1, 3, 96, 128}, SyntheticInput::kPage,
                              "det_page_1x3x96x128.bin"},
                      OcrCase{"ch_PP-OCRv4_rec_infer.onnx", {1, 3, 48, 160}, SyntheticInput::kRamp,
                              "rec_ramp_1x3x48x160.bin"},
                      OcrCase{"ch_ppocr_mobile_v2.0_cls_infer.onnx", {1, 3, 48, 192},
                              SyntheticInput::kRamp, "cls_ramp_1x3x48x192.bin"}),
    [](const ::testing::TestParamInfo<OcrCase>& info) {
      std::string name = info.param.reference;
      return name.substr(0, name.find('_'));
    });

}  // namespace
}  // namespace hb_dnn::testing
