// The converter library on small generated ONNX models: placement reasons, calibration
// methods, quantized accuracy through libdnn, function-call splitting, integer outputs, batch,
// and the failures the checker/makertbin must report.

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "onnx/onnx_pb.h"
#include "tests/hb_mapper/mapper_test_util.h"
#include "tests/onnx_import/import_test_util.h"
#include "tools/hb_mapper/calibration.h"
#include "tools/hb_mapper/converter.h"
#include "tools/hb_mapper/graph.h"
#include "tools/hb_mapper/placement.h"
#include "tools/onnx_import/onnx_importer.h"

namespace hb_dnn::testing {
namespace {

using ::testing::HasSubstr;
using mapper::CalibrationSample;
using mapper::Convert;
using mapper::MapperConfig;

std::string TempDir(const std::string& name) {
  std::string dir = (std::filesystem::temp_directory_path() /
                     ("hb_mapper_test_" + name + "_" + std::to_string(::getpid())))
                        .string();
  std::filesystem::create_directories(dir);
  return dir;
}

std::string Save(const onnx::ModelProto& model, const std::string& dir, const std::string& name) {
  std::string path = dir + "/" + name + ".onnx";
  std::ofstream file(path, std::ios::binary);
  model.SerializeToOstream(&file);
  return path;
}

// x[1,3,8,8] -> Conv 3x3 (8) -> Relu -> MaxPool 2 -> Conv 1x1 (8) -> Add(skip) -> Sigmoid*x
// -> GlobalAveragePool -> Flatten -> Gemm (5) -> Softmax.
onnx::ModelProto SmallNet(int outputs = 1, int64_t size = 8) {
  onnx::ModelProto m = NewOnnxModel(13);
  AddGraphInput(&m, "x", {1, 3, size, size});
  AddInitializer(&m, MakeFloatTensor("w1", {8, 3, 3, 3}, UniformFloats(8 * 27, -0.4f, 0.4f, 1)));
  AddInitializer(&m, MakeFloatTensor("b1", {8}, UniformFloats(8, -0.1f, 0.1f, 2)));
  AddInitializer(&m, MakeFloatTensor("w2", {8, 8, 1, 1}, UniformFloats(64, -0.5f, 0.5f, 3)));
  AddInitializer(&m, MakeFloatTensor("wf", {5, 8}, UniformFloats(40, -0.8f, 0.8f, 4)));
  AddInitializer(&m, MakeFloatTensor("bf", {5}, UniformFloats(5, -0.1f, 0.1f, 5)));
  onnx::NodeProto* conv = AddNode(&m, "Conv", {"x", "w1", "b1"}, {"c1"}, "conv1");
  SetIntsAttr(conv, "pads", {1, 1, 1, 1});
  AddNode(&m, "Relu", {"c1"}, {"r1"}, "relu1");
  onnx::NodeProto* pool = AddNode(&m, "MaxPool", {"r1"}, {"p1"}, "pool1");
  SetIntsAttr(pool, "kernel_shape", {2, 2});
  SetIntsAttr(pool, "strides", {2, 2});
  AddNode(&m, "Conv", {"p1", "w2"}, {"c2"}, "conv2");
  AddNode(&m, "Add", {"c2", "p1"}, {"s"}, "add");
  AddNode(&m, "Sigmoid", {"s"}, {"sg"}, "sigmoid");
  AddNode(&m, "Mul", {"s", "sg"}, {"silu"}, "silu");
  AddNode(&m, "GlobalAveragePool", {"silu"}, {"g"}, "gap");
  AddNode(&m, "Flatten", {"g"}, {"f"}, "flatten");
  onnx::NodeProto* gemm = AddNode(&m, "Gemm", {"f", "wf", "bf"}, {"logits"}, "fc");
  SetIntAttr(gemm, "transB", 1);
  AddNode(&m, "Softmax", {"logits"}, {"prob"}, "softmax");
  AddGraphOutput(&m, "prob", {1, 5});
  for (int k = 1; k < outputs; ++k) {
    std::string name = "extra" + std::to_string(k);
    AddNode(&m, "Sigmoid", {"logits"}, {name}, "extra_node" + std::to_string(k));
    AddGraphOutput(&m, name, {1, 5});
  }
  return m;
}

std::vector<CalibrationSample> Samples(int count, int64_t size = 8) {
  std::vector<CalibrationSample> samples;
  for (int k = 0; k < count; ++k) {
    samples.push_back({UniformFloats(static_cast<size_t>(3 * size * size), -1.0f, 1.0f,
                              100 + static_cast<uint32_t>(k))});
  }
  return samples;
}

// The converted model at `model_path` through the C API against the float ONNX model at
// `onnx_path` on `sample` (one input): the cosine of output 0, or -1 after a test failure.
double LibdnnCosineToFloat(const std::string& onnx_path, const std::string& model_path,
                           const CalibrationSample& sample) {
  absl::StatusOr<std::vector<std::vector<double>>> got = InferWithLibdnn(model_path, sample);
  tools::PackageBuilder float_package;
  absl::Status imported = onnx_import::ImportOnnxFile(onnx_path, {}, &float_package).status();
  absl::StatusOr<LoadedPackage> loaded = LoadedPackage::From(float_package);
  if (!got.ok() || !imported.ok() || !loaded.ok()) {
    ADD_FAILURE() << got.status() << " / " << imported << " / " << loaded.status();
    return -1;
  }
  absl::StatusOr<std::vector<std::string>> want =
      RunModel(*loaded, 0, kernels::OpRegistry::Builtin(), {BytesOf(sample[0])});
  if (!want.ok()) {
    ADD_FAILURE() << want.status();
    return -1;
  }
  std::vector<float> want_f = ValuesOf<float>((*want)[0]);
  return CosineSimilarity(std::vector<double>(want_f.begin(), want_f.end()), (*got)[0]);
}

// The nodes of the model file `model_path` as the converter wrote them, by name; empty after a
// test failure.
std::map<std::string, mapper::GraphNode> WrittenNodes(const std::string& model_path) {
  std::ifstream file(model_path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  absl::StatusOr<mapper::Graph> graph = mapper::GraphFromPackageBytes(bytes);
  std::map<std::string, mapper::GraphNode> nodes;
  if (!graph.ok()) {
    ADD_FAILURE() << graph.status();
    return nodes;
  }
  for (const mapper::GraphNode& node : graph->nodes) nodes[node.name] = node;
  return nodes;
}

MapperConfig ConfigFor(const std::string& path, const std::string& dir) {
  MapperConfig config;
  config.onnx_model = path;
  config.working_dir = dir;
  config.output_model_file_prefix = "small";
  return config;
}

TEST(CalibrationTest, ThresholdRules) {
  // A long-tailed distribution (exponential bulk) with a few far outliers.
  std::vector<double> hist(mapper::kHistogramBins, 0);
  for (int k = 0; k < mapper::kHistogramBins; ++k) hist[k] = std::floor(1e6 * std::exp(-k / 60.0));
  hist[2047] = 3;
  double max_t = mapper::PercentileThreshold(hist, 1.0, 1.0);
  EXPECT_DOUBLE_EQ(max_t, 1.0);
  double p_t = mapper::PercentileThreshold(hist, 1.0, 0.999);
  EXPECT_LT(p_t, 0.25);
  double kl_t = mapper::KlThreshold(hist, 1.0);
  EXPECT_LT(kl_t, 0.5);
  EXPECT_GT(kl_t, 0.03);
  EXPECT_LT(mapper::QuantizationMse(hist, 1.0, kl_t), mapper::QuantizationMse(hist, 1.0, max_t));
  // A uniform bulk plus one outlier: 128 levels represent it exactly, so kl keeps the max.
  std::vector<double> flat(mapper::kHistogramBins, 0);
  for (int k = 0; k < 1024; ++k) flat[k] = 100;
  flat[2047] = 1;
  EXPECT_DOUBLE_EQ(mapper::KlThreshold(flat, 1.0), 1.0);
}

TEST(CheckModelTest, PlacesNodesWithReasons) {
  std::string dir = TempDir("check");
  std::string path = Save(SmallNet(), dir, "small");
  absl::StatusOr<std::vector<mapper::NodePlacement>> rows =
      mapper::CheckModel(path, mapper::CheckOptions());
  ASSERT_TRUE(rows.ok()) << rows.status();
  bool saw_softmax = false, saw_conv = false;
  for (const mapper::NodePlacement& row : *rows) {
    if (row.op_type == "Softmax") {
      saw_softmax = true;
      EXPECT_FALSE(row.on_bpu);
      EXPECT_THAT(row.reason, HasSubstr("Unsupported op Softmax"));
    }
    if (row.op_type == "Conv") {
      saw_conv = true;
      EXPECT_TRUE(row.on_bpu) << row.reason;
    }
  }
  EXPECT_TRUE(saw_softmax && saw_conv);
}

TEST(CheckModelTest, RunOnCpuAndRunOnBpu) {
  std::string dir = TempDir("overrides");
  std::string path = Save(SmallNet(), dir, "small");
  mapper::CheckOptions options;
  options.run_on_cpu = {"conv2"};
  absl::StatusOr<std::vector<mapper::NodePlacement>> rows = mapper::CheckModel(path, options);
  ASSERT_TRUE(rows.ok()) << rows.status();
  for (const mapper::NodePlacement& row : *rows) {
    if (row.name == "conv2") {
      EXPECT_FALSE(row.on_bpu);
      EXPECT_EQ(row.reason, "run_on_cpu");
    }
  }
  options.run_on_cpu.clear();
  options.run_on_bpu = {"softmax"};
  absl::StatusOr<std::vector<mapper::NodePlacement>> bad = mapper::CheckModel(path, options);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("run_on_bpu"));
  options.run_on_bpu = {"no_such_node"};
  EXPECT_FALSE(mapper::CheckModel(path, options).ok());
}

TEST(CheckModelTest, Failures) {
  std::string dir = TempDir("failures");
  // Malformed file.
  std::string garbage = dir + "/garbage.onnx";
  std::ofstream(garbage) << "this is not a protobuf \x01\x02\x03";
  absl::StatusOr<std::vector<mapper::NodePlacement>> r =
      mapper::CheckModel(garbage, mapper::CheckOptions());
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(mapper::CheckModel(dir + "/missing.onnx", mapper::CheckOptions()).ok());

  // Dynamic input without a shape, then with one.
  onnx::ModelProto dynamic = SmallNet();
  SetDimParam(dynamic.mutable_graph()->mutable_input(0), 0, "N");
  std::string dynamic_path = Save(dynamic, dir, "dynamic");
  r = mapper::CheckModel(dynamic_path, mapper::CheckOptions());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("which has dimensions of 0. Please specify input-shape parameter"));
  mapper::CheckOptions shaped;
  shaped.input_shapes["x"] = {1, 3, 8, 8};
  EXPECT_TRUE(mapper::CheckModel(dynamic_path, shaped).ok());

  // More than 32 outputs.
  r = mapper::CheckModel(Save(SmallNet(33), dir, "many"), mapper::CheckOptions());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("max output num is 32"));

  // No node the BPU can run.
  onnx::ModelProto cpu_only = NewOnnxModel(13);
  AddGraphInput(&cpu_only, "x", {1, 10});
  AddNode(&cpu_only, "Softmax", {"x"}, {"y"}, "softmax");
  AddGraphOutput(&cpu_only, "y", {1, 10});
  r = mapper::CheckModel(Save(cpu_only, dir, "cpu_only"), mapper::CheckOptions());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("There is no node can execute on BPU"));

  // A custom-domain op.
  onnx::ModelProto custom = SmallNet();
  custom.mutable_graph()->mutable_node(0)->set_domain("com.example");
  r = mapper::CheckModel(Save(custom, dir, "custom"), mapper::CheckOptions());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("domain:com.example"));
}

class ConvertSmallNet : public ::testing::TestWithParam<std::string> {};

TEST_P(ConvertSmallNet, ReachesFloatAccuracyThroughLibdnn) {
  std::string dir = TempDir("convert_" + GetParam());
  std::string path = Save(SmallNet(), dir, "small");
  MapperConfig config = ConfigFor(path, dir);
  config.calibration.calibration_type = GetParam();
  std::vector<CalibrationSample> samples = Samples(6);
  int progress_calls = 0;
  absl::StatusOr<mapper::ConversionResult> result =
      Convert(config, samples, [&](int, int) { ++progress_calls; });
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_GT(progress_calls, 0);
  ASSERT_EQ(result->accuracy.size(), 1u);
  EXPECT_GE(result->accuracy[0].cosine, 0.99);
  // The written file through the C API, against the float model.
  const double cosine = LibdnnCosineToFloat(path, result->model_path, samples[0]);
  EXPECT_GE(cosine, 0.99);
  EXPECT_NEAR(cosine, result->accuracy[0].cosine, 1e-6);
  bool has_bpu = false;
  for (const mapper::SegmentLatency& s : result->segments) has_bpu = has_bpu || s.bpu;
  EXPECT_TRUE(has_bpu);
}

INSTANTIATE_TEST_SUITE_P(Methods, ConvertSmallNet, ::testing::Values("default", "max", "kl"));

TEST(ConvertTest, MissingCalibrationData) {
  std::string dir = TempDir("nodata");
  MapperConfig config = ConfigFor(Save(SmallNet(), dir, "small"), dir);
  absl::StatusOr<mapper::ConversionResult> result = Convert(config, {});
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("calibration data"));
}

TEST(ConvertTest, UnsupportedOpStaysOnCpuAndRunOnCpuWorks) {
  std::string dir = TempDir("unsupported");
  onnx::ModelProto m = SmallNet();
  // Put an op without an int8 form (Erf) between the two convs.
  for (onnx::NodeProto& node : *m.mutable_graph()->mutable_node()) {
    if (node.name() == "conv2") node.set_input(0, "e1");
  }
  onnx::NodeProto* erf = m.mutable_graph()->add_node();
  erf->set_op_type("Erf");
  erf->set_name("erf");
  erf->add_input("p1");
  erf->add_output("e1");
  // Keep the node order topological: move erf right after pool1.
  auto* nodes = m.mutable_graph()->mutable_node();
  for (int k = nodes->size() - 1; k > 3; --k) nodes->SwapElements(k, k - 1);
  MapperConfig config = ConfigFor(Save(m, dir, "erf"), dir);
  absl::StatusOr<mapper::ConversionResult> result = Convert(config, Samples(4));
  ASSERT_TRUE(result.ok()) << result.status();
  for (const mapper::NodePlacement& row : result->placements) {
    if (row.name == "erf") {
      EXPECT_THAT(row.reason, HasSubstr("Unsupported op Erf"));
    }
  }
  EXPECT_GE(result->accuracy[0].cosine, 0.99);
  int bpu_segments = 0;
  for (const mapper::SegmentLatency& s : result->segments) bpu_segments += s.bpu ? 1 : 0;
  EXPECT_EQ(bpu_segments, 2);

  config.calibration.run_on_cpu = {"conv1", "conv2"};
  result = Convert(config, Samples(4));
  ASSERT_TRUE(result.ok()) << result.status();
  for (const mapper::NodePlacement& row : result->placements) {
    if (row.name == "conv1") {
      EXPECT_EQ(row.reason, "run_on_cpu");
    }
  }
  EXPECT_GE(result->accuracy[0].cosine, 0.99);
  ASSERT_TRUE(InferWithLibdnn(result->model_path, Samples(1)[0]).ok());
}

// Activation functions become tables: SiLU after a Conv (with the scalar Mul and Add after it)
// and HardSigmoid after a Conv are computed in the Convs' output stages, Tanh after an Add is a
// Lut that absorbs the scalar Mul after it. The result stays at float accuracy through libdnn.
TEST(ConvertTest, ActivationFunctionsFuseIntoConvOrLut) {
  std::string dir = TempDir("functions");
  onnx::ModelProto m = NewOnnxModel(13);
  AddGraphInput(&m, "x", {1, 3, 8, 8});
  AddInitializer(&m, MakeFloatTensor("w1", {8, 3, 3, 3}, UniformFloats(8 * 27, -0.4f, 0.4f, 1)));
  AddInitializer(&m, MakeFloatTensor("b1", {8}, UniformFloats(8, -0.1f, 0.1f, 2)));
  AddInitializer(&m, MakeFloatTensor("w2", {8, 8, 1, 1}, UniformFloats(64, -0.5f, 0.5f, 3)));
  AddInitializer(&m, MakeFloatTensor("k", {1}, {0.7f}));
  AddInitializer(&m, MakeFloatTensor("shift", {1}, {-0.2f}));
  AddInitializer(&m, MakeFloatTensor("two", {1}, {2.0f}));
  onnx::NodeProto* conv = AddNode(&m, "Conv", {"x", "w1", "b1"}, {"c1"}, "conv1");
  SetIntsAttr(conv, "pads", {1, 1, 1, 1});
  AddNode(&m, "Sigmoid", {"c1"}, {"sg"}, "gate");
  AddNode(&m, "Mul", {"c1", "sg"}, {"silu"}, "silu");
  AddNode(&m, "Mul", {"silu", "k"}, {"scaled"}, "lab_scale");
  AddNode(&m, "Add", {"scaled", "shift"}, {"a"}, "lab_shift");
  AddNode(&m, "Conv", {"a", "w2"}, {"c2"}, "conv2");
  AddNode(&m, "HardSigmoid", {"c2"}, {"hs"}, "hsig");
  AddNode(&m, "Add", {"hs", "a"}, {"s"}, "add");
  AddNode(&m, "Tanh", {"s"}, {"t"}, "tanh");
  AddNode(&m, "Mul", {"t", "two"}, {"t2"}, "double");
  AddNode(&m, "GlobalAveragePool", {"t2"}, {"y"}, "gap");
  AddGraphOutput(&m, "y", {1, 8, 1, 1});
  std::string path = Save(m, dir, "functions");
  MapperConfig config = ConfigFor(path, dir);
  config.calibration.calibration_type = "max";
  std::vector<CalibrationSample> samples = Samples(6);
  absl::StatusOr<mapper::ConversionResult> result = Convert(config, samples);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->accuracy.size(), 1u);
  EXPECT_GE(result->accuracy[0].cosine, 0.999);

  std::map<std::string, mapper::GraphNode> by_name = WrittenNodes(result->model_path);
  ASSERT_EQ(by_name.count("conv1"), 1u);
  const mapper::GraphNode& conv1 = by_name["conv1"];
  EXPECT_EQ(conv1.String("lut_function", ""), "SiLU");
  EXPECT_FLOAT_EQ(conv1.Float("lut_post_mul", 1.0f), 0.7f);
  EXPECT_FLOAT_EQ(conv1.Float("lut_post_add", 0.0f), 0.7f * 0.0f - 0.2f);
  EXPECT_GT(conv1.Float("lut_x_scale", 0.0f), 0.0f);
  ASSERT_EQ(by_name.count("conv2"), 1u);
  EXPECT_EQ(by_name["conv2"].String("lut_function", ""), "HardSigmoid");
  EXPECT_FLOAT_EQ(by_name["conv2"].Float("lut_alpha", 0.0f), 0.2f);
  ASSERT_EQ(by_name.count("tanh"), 1u);
  EXPECT_EQ(by_name["tanh"].op_type, "Lut");
  EXPECT_EQ(by_name["tanh"].String("function", ""), "Tanh");
  EXPECT_FLOAT_EQ(by_name["tanh"].Float("post_mul", 1.0f), 2.0f);
  for (const char* gone : {"gate", "silu", "lab_scale", "lab_shift", "hsig", "double"}) {
    EXPECT_EQ(by_name.count(gone), 0u) << gone;
  }

  EXPECT_GE(LibdnnCosineToFloat(path, result->model_path, samples[1]), 0.999);
}

// A Concat input that only the Concat reads is written on the Concat's grid (the Concat copies
// it), even when its own range is smaller; one that is also read elsewhere keeps its own, finer
// scale and is requantized.
TEST(ConvertTest, ConcatInputsReadOnlyByTheConcatShareItsScale) {
  std::string dir = TempDir("concat");
  onnx::ModelProto m = NewOnnxModel(13);
  AddGraphInput(&m, "x", {1, 3, 8, 8});
  AddInitializer(&m, MakeFloatTensor("wa", {4, 3, 1, 1}, UniformFloats(12, -0.2f, 0.2f, 11)));
  AddInitializer(&m, MakeFloatTensor("wb", {4, 3, 1, 1}, UniformFloats(12, -0.2f, 0.2f, 12)));
  AddInitializer(&m, MakeFloatTensor("wd", {4, 3, 1, 1}, UniformFloats(12, -2.0f, 2.0f, 13)));
  AddInitializer(&m, MakeFloatTensor("wc", {5, 12, 1, 1}, UniformFloats(60, -0.5f, 0.5f, 14)));
  AddNode(&m, "Conv", {"x", "wa"}, {"a"}, "conv_a");  // small range, read by the Concat only
  AddNode(&m, "Conv", {"x", "wb"}, {"b"}, "conv_b");  // small range, read by the GAP too
  AddNode(&m, "Conv", {"x", "wd"}, {"d"}, "conv_d");  // the large range the Concat takes
  onnx::NodeProto* concat = AddNode(&m, "Concat", {"a", "b", "d"}, {"c"}, "concat");
  SetIntAttr(concat, "axis", 1);
  AddNode(&m, "Conv", {"c", "wc"}, {"y1"}, "conv_c");
  AddNode(&m, "GlobalAveragePool", {"b"}, {"y2"}, "gap");
  AddGraphOutput(&m, "y1", {1, 5, 8, 8});
  AddGraphOutput(&m, "y2", {1, 4, 1, 1});
  std::string path = Save(m, dir, "concat");
  MapperConfig config = ConfigFor(path, dir);
  config.calibration.calibration_type = "max";
  std::vector<CalibrationSample> samples = Samples(6);
  absl::StatusOr<mapper::ConversionResult> result = Convert(config, samples);
  ASSERT_TRUE(result.ok()) << result.status();
  for (const mapper::OutputAccuracy& a : result->accuracy) EXPECT_GE(a.cosine, 0.999) << a.name;

  std::map<std::string, mapper::GraphNode> by_name = WrittenNodes(result->model_path);
  ASSERT_EQ(by_name.count("concat"), 1u);
  ASSERT_EQ(by_name.count("conv_a"), 1u);
  const float y_scale = by_name["concat"].Float("y_scale", 0.0f);
  const std::vector<float> x_scales = by_name["concat"].Floats("x_scales");
  ASSERT_EQ(x_scales.size(), 3u);
  EXPECT_EQ(x_scales[0], y_scale);
  EXPECT_EQ(by_name["conv_a"].Float("y_scale", 0.0f), y_scale);  // written on the Concat's grid
  EXPECT_LT(x_scales[1], y_scale / 4);
  EXPECT_EQ(x_scales[2], y_scale);
}

// cosine_target: a target the BPU placement meets changes nothing; one it misses moves leading
// nodes to the CPU (placement reason and log say so).
TEST(ConvertTest, CosineTargetMovesLeadingNodesToTheCpu) {
  std::string dir = TempDir("cosine_target");
  std::string path = Save(SmallNet(), dir, "small");
  std::vector<CalibrationSample> samples = Samples(6);
  auto has_line = [](const mapper::ConversionResult& r, const std::string& text) {
    for (const std::string& line : r.log) {
      if (line.find(text) != std::string::npos) return true;
    }
    return false;
  };
  auto prefix_nodes = [](const mapper::ConversionResult& r) {
    int count = 0;
    for (const mapper::NodePlacement& p : r.placements) {
      count += p.reason.rfind("cosine_target: the first", 0) == 0 ? 1 : 0;
    }
    return count;
  };
  MapperConfig config = ConfigFor(path, dir);
  absl::StatusOr<mapper::ConversionResult> plain = Convert(config, samples);
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(prefix_nodes(*plain), 0);
  EXPECT_FALSE(has_line(*plain, "conversions tried"));

  config.calibration.cosine_target = 0.5;
  absl::StatusOr<mapper::ConversionResult> met = Convert(config, samples);
  ASSERT_TRUE(met.ok()) << met.status();
  EXPECT_EQ(prefix_nodes(*met), 0);
  EXPECT_TRUE(has_line(*met, "all nodes stay where placed; 1 conversions tried"));
  EXPECT_NEAR(met->accuracy[0].cosine, plain->accuracy[0].cosine, 1e-12);

  config.calibration.cosine_target = 0.9999999;
  absl::StatusOr<mapper::ConversionResult> moved = Convert(config, samples);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_GT(prefix_nodes(*moved), 0);
  EXPECT_TRUE(has_line(*moved, "nodes (through '"));
  EXPECT_TRUE(has_line(*moved, "% of the BPU's multiply-accumulates) run on the CPU"));
  // Both are at float accuracy here (within 1e-5 on the report's sample); the search itself
  // only keeps a prefix that raised its figure.
  EXPECT_GT(moved->accuracy[0].cosine, 0.9999);
  // The leading nodes are the ones moved, and a BPU segment remains.
  EXPECT_FALSE(moved->placements[0].on_bpu);
  bool has_bpu = false;
  for (const mapper::SegmentLatency& s : moved->segments) has_bpu = has_bpu || s.bpu;
  EXPECT_TRUE(has_bpu);
}

TEST(ConvertTest, MaxTimePerFcSplitsFunctionCalls) {
  std::string dir = TempDir("fc");
  MapperConfig config = ConfigFor(Save(SmallNet(1, 64), dir, "small64"), dir);
  absl::StatusOr<mapper::ConversionResult> one = Convert(config, Samples(2, 64));
  ASSERT_TRUE(one.ok()) << one.status();
  config.compiler.max_time_per_fc_us = 1;
  absl::StatusOr<mapper::ConversionResult> split = Convert(config, Samples(2, 64));
  ASSERT_TRUE(split.ok()) << split.status();
  int fcs_one = 0, fcs_split = 0;
  for (const auto& s : one->segments) fcs_one += s.function_calls;
  for (const auto& s : split->segments) fcs_split += s.function_calls;
  EXPECT_EQ(fcs_one, 1);
  EXPECT_GT(fcs_split, 2);
  bool logged_long_node = false;
  for (const std::string& line : split->log) {
    logged_long_node = logged_long_node || line.find("function-call of its own") != std::string::npos;
  }
  EXPECT_TRUE(logged_long_node);
  EXPECT_NEAR(split->accuracy[0].cosine, one->accuracy[0].cosine, 1e-9);
  ASSERT_TRUE(InferWithLibdnn(split->model_path, Samples(1, 64)[0]).ok());
}

TEST(ConvertTest, RemoveDequantizeKeepsIntegerOutputs) {
  std::string dir = TempDir("integer");
  onnx::ModelProto m = SmallNet();
  // Drop the Softmax so the Gemm result is the model output.
  m.mutable_graph()->mutable_node()->RemoveLast();
  m.mutable_graph()->mutable_output(0)->set_name("logits");
  MapperConfig config = ConfigFor(Save(m, dir, "logits"), dir);
  config.remove_node_type = {"Dequantize"};
  absl::StatusOr<mapper::ConversionResult> result = Convert(config, Samples(4));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_GE(result->accuracy[0].cosine, 0.99);
  absl::StatusOr<std::vector<std::vector<double>>> got =
      InferWithLibdnn(result->model_path, Samples(1)[0]);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ((*got)[0].size(), 5u);
}

TEST(ConvertTest, LayerOutDumpComparesEveryTensor) {
  std::string dir = TempDir("layer_dump");
  MapperConfig config = ConfigFor(Save(SmallNet(), dir, "small"), dir);
  absl::StatusOr<mapper::ConversionResult> plain = Convert(config, Samples(4));
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_TRUE(plain->layer_dump_path.empty());

  config.layer_out_dump = true;
  absl::StatusOr<mapper::ConversionResult> result = Convert(config, Samples(4));
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->layer_dump_path, dir + "/small_layer_out_dump.txt");
  std::ifstream file(result->layer_dump_path);
  ASSERT_TRUE(file.good());
  std::map<std::string, std::vector<std::string>> rows;
  std::string line;
  while (std::getline(file, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields = absl::StrSplit(line, '\t');
    ASSERT_EQ(fields.size(), 9u) << line;
    rows[fields[0]] = fields;
  }
  // Every node output of the float model (conv1 writes r1: the importer fused the Relu), with
  // the node's op and placement; the BPU ones have a scale, and the quantized values follow the
  // float ones.
  for (const char* name : {"r1", "p1", "c2", "s", "silu", "g", "f", "logits", "prob"}) {
    ASSERT_EQ(rows.count(name), 1u) << name;
  }
  EXPECT_EQ(rows["c2"][1], "Conv");
  EXPECT_EQ(rows["c2"][2], "BPU");
  EXPECT_GT(std::stod(rows["c2"][6]), 0.0);
  EXPECT_EQ(rows["prob"][2], "CPU");  // Softmax
  for (const auto& [name, fields] : rows) {
    EXPECT_GE(std::stod(fields[3]), 0.98) << name;
  }
  // The model file is the same with or without the dump.
  std::ifstream a(plain->model_path, std::ios::binary), b(result->model_path, std::ios::binary);
  std::string bytes_a((std::istreambuf_iterator<char>(a)), std::istreambuf_iterator<char>());
  std::string bytes_b((std::istreambuf_iterator<char>(b)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes_a, bytes_b);
}

TEST(ConvertTest, DebugEstimatesFramesPerSecondAndDdrTraffic) {
  std::string dir = TempDir("debug");
  MapperConfig config = ConfigFor(Save(SmallNet(1, 64), dir, "small64"), dir);
  absl::StatusOr<mapper::ConversionResult> plain = Convert(config, Samples(2, 64));
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_FALSE(plain->performance.valid);

  config.compiler.debug = true;
  config.compiler.max_time_per_fc_us = 1;  // several function-calls
  absl::StatusOr<mapper::ConversionResult> result = Convert(config, Samples(2, 64));
  ASSERT_TRUE(result.ok()) << result.status();
  const mapper::PerformanceEstimate& perf = result->performance;
  ASSERT_TRUE(perf.valid);
  int fcs = 0;
  for (const mapper::SegmentLatency& s : result->segments) fcs += s.bpu ? s.function_calls : 0;
  ASSERT_EQ(static_cast<int>(perf.function_calls.size()), fcs);
  ASSERT_GT(fcs, 1);
  uint64_t macs = 0, bytes = 0;
  int64_t ns = 0;
  for (const mapper::FunctionCallEstimate& fc : perf.function_calls) {
    EXPECT_GE(fc.nodes, 1);
    EXPECT_GT(fc.bytes, 0u);
    EXPECT_GT(fc.modelled_ns, 0);
    macs += fc.macs;
    bytes += fc.bytes;
    ns += fc.modelled_ns;
  }
  // conv1 (8 outputs of 64x64, 27 MACs each) takes over 1 us alone: a function-call of its own.
  EXPECT_EQ(perf.function_calls[0].first_node, "conv1");
  EXPECT_EQ(perf.function_calls[0].last_node, "conv1");
  EXPECT_EQ(perf.function_calls[0].macs, 8u * 64 * 64 * 27);
  EXPECT_EQ(perf.macs, macs);
  EXPECT_EQ(perf.bytes, bytes);
  // Each function-call adds the march's fixed overhead (bernoulli2: 15 us).
  EXPECT_EQ(perf.bpu_ns, ns + static_cast<int64_t>(fcs) * 15000);
  EXPECT_DOUBLE_EQ(perf.frames_per_second, 1e9 / static_cast<double>(perf.bpu_ns));
  EXPECT_DOUBLE_EQ(perf.ddr_gb_per_second,
                   static_cast<double>(perf.bytes) * perf.frames_per_second / 1e9);
  bool logged = false;
  for (const std::string& line : result->log) {
    logged = logged || line.find("frames/s on one core") != std::string::npos;
  }
  EXPECT_TRUE(logged);
}

TEST(ConvertTest, InputBatch) {
  std::string dir = TempDir("batch");
  onnx::ModelProto m = SmallNet();
  MapperConfig config = ConfigFor(Save(m, dir, "small"), dir);
  config.input_batch = 2;
  // Flatten and Gemm follow the batch; Softmax too.
  m.mutable_graph()->mutable_output(0)->mutable_type()->mutable_tensor_type()->mutable_shape()
      ->mutable_dim(0)->set_dim_value(2);
  config.onnx_model = Save(m, dir, "small_b2");
  absl::StatusOr<mapper::ConversionResult> result = Convert(config, Samples(3));
  ASSERT_TRUE(result.ok()) << result.status();
  std::vector<float> x = Samples(1)[0][0];
  std::vector<float> x2 = x;
  x2.insert(x2.end(), x.begin(), x.end());
  absl::StatusOr<std::vector<std::vector<double>>> got =
      InferWithLibdnn(result->model_path, {x2});
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ((*got)[0].size(), 10u);
  for (int k = 0; k < 5; ++k) EXPECT_DOUBLE_EQ((*got)[0][k], (*got)[0][k + 5]);
}

TEST(ConvertTest, ImageInputTypeIsReportedUntilPreprocessExists) {
  std::string dir = TempDir("nv12");
  MapperConfig config = ConfigFor(Save(SmallNet(), dir, "small"), dir);
  mapper::InputConfig input;
  input.input_type_rt = "nv12";
  config.inputs = {input};
  absl::StatusOr<mapper::ConversionResult> result = Convert(config, Samples(2));
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("Preprocess"));
}

}  // namespace
}  // namespace hb_dnn::testing
