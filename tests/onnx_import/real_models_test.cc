// Imports the shared model set (../shared/models, see its README) and, where the folder has ONNX
// test data, runs the imported model and compares with the reference output.
//  - RealModelTest uses the builtin CPU kernels and the runtime loader/executor; it skips, naming
//    them, while the builtin kernels lack ops the model uses.
//  - TestKernelModelTest imports the CNNs the test-only kernels cover, independent of the
//    builtin kernels.
// Both skip when the model folder is absent (a fresh checkout has no shared models); set
// HB_DNN_MODELS_DIR to use another folder.

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/runtime/packed_model.h"
#include "tests/onnx_import/import_test_util.h"
#include "tests/onnx_import/test_kernels.h"
#include "tools/onnx_import/onnx_importer.h"
#include "tools/onnx_import/onnx_proto_util.h"

namespace hb_dnn::onnx_import {
namespace {

using ::hb_dnn::testing::LoadedPackage;

struct RealModel {
  std::string name;  // test name
  std::string file;  // relative to the models folder
  std::map<std::string, std::vector<int64_t>> input_shapes;
  bool has_test_data = false;
  // Tolerated |got - want| relative to max(1, max |want|).
  double tolerance = 1e-3;
};

void PrintTo(const RealModel& model, std::ostream* os) { *os << model.name; }

std::string ModelsDir() {
  const char* env = std::getenv("HB_DNN_MODELS_DIR");
  return env != nullptr ? env : HB_DNN_DEFAULT_MODELS_DIR;
}

// Imports `param` with `registry` (null = builtin), checks the loader accepts the result and what
// folded, and compares with the test data when there is some.
void ImportAndRun(const RealModel& param, const kernels::OpRegistry* registry) {
  std::string path = ModelsDir() + "/" + param.file;
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is absent";
  ImportOptions options;
  options.input_shapes = param.input_shapes;
  options.registry = registry;
  tools::PackageBuilder package;
  absl::StatusOr<ImportReport> report = ImportOnnxFile(path, options, &package);
  ASSERT_TRUE(report.ok()) << report.status();
  absl::StatusOr<LoadedPackage> loaded = LoadedPackage::From(package);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  std::string file = ::testing::TempDir() + "/" + param.name + ".hbm";
  ASSERT_TRUE(package.WriteFile(file).ok());

  const fb::Model* model = loaded->model(0);
  std::vector<std::string> ops = LoadedPackage::OpTypes(model);
  // Constants and the shape arithmetic of static models fold away; Identity of initializers too.
  for (const char* folded :
       {"Constant", "Shape", "Gather", "Unsqueeze", "ConstantOfShape", "Identity"}) {
    EXPECT_THAT(ops, ::testing::Not(::testing::Contains(std::string(folded))));
  }
  EXPECT_LE(report->nodes_out, report->nodes_in);
  std::printf("%s: %s\n", param.name.c_str(), SummaryLine(*report).c_str());

  if (registry == nullptr) {
    // The written file loads through the runtime as an application would load it.
    absl::StatusOr<std::unique_ptr<runtime::PackedModel>> packed =
        runtime::PackedModel::LoadFiles({file});
    ASSERT_TRUE(packed.ok()) << packed.status();
  }
  const kernels::OpRegistry& kernels =
      registry != nullptr ? *registry : kernels::OpRegistry::Builtin();
  if (!param.has_test_data) {
    // No reference output: run once on a ramp and check the outputs are finite.
    const fb::TensorDesc* desc = model->inputs()->Get(0);
    int64_t elements = 1;
    for (int32_t d : *desc->valid_shape()) elements *= d;
    std::vector<float> ramp(static_cast<size_t>(elements));
    for (size_t i = 0; i < ramp.size(); ++i) ramp[i] = static_cast<float>(i % 255) / 255.0f - 0.5f;
    absl::StatusOr<std::vector<std::string>> outputs =
        RunModel(*loaded, 0, kernels, {testing::BytesOf(ramp)});
    ASSERT_TRUE(outputs.ok()) << outputs.status();
    for (const std::string& output : *outputs) {
      for (float v : testing::ValuesOf<float>(output)) ASSERT_TRUE(std::isfinite(v));
    }
    return;
  }
  std::string data_dir = std::filesystem::path(path).parent_path().string() + "/test_data_set_0";
  absl::StatusOr<DecodedTensor> input = ReadTensorFile(data_dir + "/input_0.pb");
  absl::StatusOr<DecodedTensor> expected = ReadTensorFile(data_dir + "/output_0.pb");
  ASSERT_TRUE(input.ok()) << input.status();
  ASSERT_TRUE(expected.ok()) << expected.status();
  absl::StatusOr<std::vector<std::string>> outputs = RunModel(*loaded, 0, kernels, {input->bytes});
  ASSERT_TRUE(outputs.ok()) << outputs.status();
  std::vector<float> got = testing::ValuesOf<float>((*outputs)[0]);
  std::vector<float> want = testing::ValuesOf<float>(expected->bytes);
  ASSERT_EQ(got.size(), want.size());
  double scale = 1.0, worst = 0.0;
  for (float v : want) scale = std::max(scale, static_cast<double>(std::fabs(v)));
  for (size_t i = 0; i < got.size(); ++i) {
    worst = std::max(worst, static_cast<double>(std::fabs(got[i] - want[i])));
  }
  EXPECT_LE(worst, param.tolerance * scale) << "max |diff| " << worst << ", max |want| " << scale;
}

class RealModelTest : public ::testing::TestWithParam<RealModel> {};

// The op types of `path`'s nodes that the builtin kernels lack (empty when all are there, or
// when the file cannot be read: the import then reports that).
std::set<std::string> MissingBuiltinOps(const std::string& path) {
  std::set<std::string> missing;
  absl::StatusOr<onnx::ModelProto> model = ReadModelFile(path);
  if (!model.ok()) return missing;
  int opset = static_cast<int>(OpsetVersion(*model, ""));
  for (const onnx::NodeProto& node : model->graph().node()) {
    if (node.op_type() == "Constant" || node.op_type() == "Identity") continue;
    if (!kernels::OpRegistry::Builtin().Find("", node.op_type(), opset).ok()) {
      missing.insert(node.op_type());
    }
  }
  return missing;
}

// Runs once the builtin kernels cover the model; skips (naming the missing ops) until then.
TEST_P(RealModelTest, ImportsAndRuns) {
  std::set<std::string> missing = MissingBuiltinOps(ModelsDir() + "/" + GetParam().file);
  if (!missing.empty()) {
    GTEST_SKIP() << "the builtin kernels lack " << absl::StrJoin(missing, ", ");
  }
  ImportAndRun(GetParam(), nullptr);
}

class TestKernelModelTest : public ::testing::TestWithParam<RealModel> {};

TEST_P(TestKernelModelTest, ImportsAndRuns) { ImportAndRun(GetParam(), &testing::TestRegistry()); }

INSTANTIATE_TEST_SUITE_P(
    SharedModels, TestKernelModelTest,
    ::testing::Values(RealModel{"mobilenetv2", "mobilenetv2/model.onnx", {}, true},
                      RealModel{"squeezenet1_1", "squeezenet1_1/model.onnx", {}, true}),
    [](const ::testing::TestParamInfo<RealModel>& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    SharedModels, RealModelTest,
    ::testing::Values(
        RealModel{"mobilenetv2", "mobilenetv2/model.onnx", {}, true},
        RealModel{"resnet18", "resnet18/model.onnx", {}, true},
        RealModel{"squeezenet1_1", "squeezenet1_1/model.onnx", {}, true},
        RealModel{"yolov5n_like_320", "yolov5n_like_320/model.onnx", {}, true},
        // QDQ model: the reference output is PyTorch's, a few quantization steps from ONNX
        // semantics (models README).
        RealModel{
            "mobilenetv2_int8_perchannel", "mobilenetv2_int8_perchannel/model.onnx", {}, true, 0.1},
        RealModel{"ppocr_det", "ppocr/ch_PP-OCRv4_det_infer.onnx", {{"x", {1, 3, 640, 640}}}},
        RealModel{"ppocr_rec", "ppocr/ch_PP-OCRv4_rec_infer.onnx", {{"x", {1, 3, 48, 320}}}},
        RealModel{
            "ppocr_cls", "ppocr/ch_ppocr_mobile_v2.0_cls_infer.onnx", {{"x", {1, 3, 48, 192}}}}),
    [](const ::testing::TestParamInfo<RealModel>& info) { return info.param.name; });

}  // namespace
}  // namespace hb_dnn::onnx_import
