// Image inputs end to end (acceptance): a YAML-equivalent MapperConfig with input_type_rt nv12,
// input_type_train rgb and norm_type data_mean_and_scale converts a small ONNX CNN; its NV12
// input fed through the C API gives the float model's result on the equivalent normalized RGB
// tensor, within quantization error.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hb_dnn/hb_dnn.h"
#include "onnx/onnx_pb.h"
#include "src/kernels/op_registry.h"
#include "tests/hb_mapper/mapper_test_util.h"
#include "tests/onnx_import/import_test_util.h"
#include "tools/hb_mapper/converter.h"
#include "tools/hb_mapper/graph.h"
#include "tools/hb_mapper/input_preprocess.h"
#include "tools/hb_mapper/mapper_yaml.h"
#include "tools/onnx_import/onnx_importer.h"

namespace hb_dnn::testing {
namespace {

constexpr int64_t kH = 16, kW = 16;
constexpr float kMean[3] = {123.675f, 116.28f, 103.53f};
constexpr float kScale[3] = {0.01712f, 0.0175f, 0.01743f};

// x[1,3,16,16] -> Conv 3x3 (8) -> Relu -> Conv 3x3 stride 2 (8) -> Relu -> GlobalAveragePool
// -> Flatten -> Gemm (6).
onnx::ModelProto SmallCnn() {
  onnx::ModelProto m = NewOnnxModel(13);
  AddGraphInput(&m, "image", {1, 3, kH, kW});
  AddInitializer(&m, MakeFloatTensor("w1", {8, 3, 3, 3}, UniformFloats(8 * 27, -0.4f, 0.4f, 11)));
  AddInitializer(&m, MakeFloatTensor("b1", {8}, UniformFloats(8, -0.1f, 0.1f, 12)));
  AddInitializer(&m, MakeFloatTensor("w2", {8, 8, 3, 3}, UniformFloats(8 * 72, -0.25f, 0.25f, 13)));
  AddInitializer(&m, MakeFloatTensor("wf", {6, 8}, UniformFloats(48, -0.8f, 0.8f, 14)));
  AddInitializer(&m, MakeFloatTensor("bf", {6}, UniformFloats(6, -0.1f, 0.1f, 15)));
  SetIntsAttr(AddNode(&m, "Conv", {"image", "w1", "b1"}, {"c1"}, "conv1"), "pads", {1, 1, 1, 1});
  AddNode(&m, "Relu", {"c1"}, {"r1"}, "relu1");
  onnx::NodeProto* conv2 = AddNode(&m, "Conv", {"r1", "w2"}, {"c2"}, "conv2");
  SetIntsAttr(conv2, "pads", {1, 1, 1, 1});
  SetIntsAttr(conv2, "strides", {2, 2});
  AddNode(&m, "Relu", {"c2"}, {"r2"}, "relu2");
  AddNode(&m, "GlobalAveragePool", {"r2"}, {"g"}, "gap");
  AddNode(&m, "Flatten", {"g"}, {"f"}, "flatten");
  SetIntAttr(AddNode(&m, "Gemm", {"f", "wf", "bf"}, {"logits"}, "fc"), "transB", 1);
  AddGraphOutput(&m, "logits", {1, 6});
  return m;
}

// A smooth seeded RGB picture in pixel units (NCHW), so NV12's 2x2 chroma loses little.
std::vector<float> Picture(uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<float> rgb(static_cast<size_t>(3 * kH * kW));
  for (int c = 0; c < 3; ++c) {
    const double base = 40 + 170 * u(rng), fx = 0.2 + 0.5 * u(rng), fy = 0.2 + 0.5 * u(rng);
    for (int64_t y = 0; y < kH; ++y) {
      for (int64_t x = 0; x < kW; ++x) {
        const double v =
            base +
            60 * std::sin(fx * static_cast<double>(x) + c) * std::cos(fy * static_cast<double>(y)) +
            10 * (u(rng) - 0.5);
        rgb[static_cast<size_t>((c * kH + y) * kW + x)] =
            static_cast<float>(std::clamp(v, 0.0, 255.0));
      }
    }
  }
  return rgb;
}

std::vector<float> Normalized(std::vector<float> rgb) {
  for (int c = 0; c < 3; ++c) {
    for (int64_t k = 0; k < kH * kW; ++k) {
      float& v = rgb[static_cast<size_t>(c * kH * kW + k)];
      v = (v - kMean[c]) * kScale[c];
    }
  }
  return rgb;
}

// An NV12 image (BT.601 full range, chroma averaged over 2x2 blocks).
std::vector<uint8_t> ToNv12(const std::vector<float>& rgb) {
  std::vector<uint8_t> nv12(static_cast<size_t>(kH * kW * 3 / 2));
  std::vector<double> u(static_cast<size_t>(kH * kW)), v(u.size());
  auto byte = [](double x) {
    return static_cast<uint8_t>(std::nearbyint(std::clamp(x, 0.0, 255.0)));
  };
  for (int64_t k = 0; k < kH * kW; ++k) {
    const double r = rgb[static_cast<size_t>(k)], g = rgb[static_cast<size_t>(kH * kW + k)],
                 b = rgb[static_cast<size_t>(2 * kH * kW + k)];
    nv12[static_cast<size_t>(k)] = byte(0.299 * r + 0.587 * g + 0.114 * b);
    u[static_cast<size_t>(k)] = -0.168736 * r - 0.331264 * g + 0.5 * b + 128;
    v[static_cast<size_t>(k)] = 0.5 * r - 0.418688 * g - 0.081312 * b + 128;
  }
  for (int64_t y = 0; y < kH; y += 2) {
    for (int64_t x = 0; x < kW; x += 2) {
      const size_t a = static_cast<size_t>(y * kW + x), c = a + static_cast<size_t>(kW);
      uint8_t* uv = &nv12[static_cast<size_t>(kH * kW + (y / 2) * kW + x)];
      uv[0] = byte((u[a] + u[a + 1] + u[c] + u[c + 1]) / 4);
      uv[1] = byte((v[a] + v[a + 1] + v[c] + v[c + 1]) / 4);
    }
  }
  return nv12;
}

// What the NV12 image means as normalized RGB (the Preprocess op's contract, written out here
// independently: BT.601 full range, nearest chroma upsampling, clamp, then (x - mean) * scale).
std::vector<float> Nv12AsNormalizedRgb(const std::vector<uint8_t>& nv12) {
  std::vector<float> rgb(static_cast<size_t>(3 * kH * kW));
  for (int64_t y = 0; y < kH; ++y) {
    for (int64_t x = 0; x < kW; ++x) {
      const float l = nv12[static_cast<size_t>(y * kW + x)];
      const uint8_t* uv = &nv12[static_cast<size_t>(kH * kW + (y / 2) * kW + (x / 2) * 2)];
      const float u = uv[0] - 128.0f, v = uv[1] - 128.0f;
      const float px[3] = {l + 1.402f * v, l - 0.344136f * u - 0.714136f * v, l + 1.772f * u};
      for (int c = 0; c < 3; ++c) {
        rgb[static_cast<size_t>((c * kH + y) * kW + x)] =
            (std::clamp(px[c], 0.0f, 255.0f) - kMean[c]) * kScale[c];
      }
    }
  }
  return rgb;
}

// The model's one NV12 input (compact) through the C API; output 0 as real values.
std::vector<double> InferNv12(const std::string& path, const std::vector<uint8_t>& nv12) {
  std::vector<hbDNNTensorProperties> inputs;
  absl::StatusOr<std::vector<std::vector<double>>> got =
      InferWithLibdnn(path, {std::vector<float>(nv12.begin(), nv12.end())}, &inputs);
  EXPECT_TRUE(got.ok()) << got.status();
  if (!got.ok()) return {};
  EXPECT_EQ(inputs.at(0).tensorType, HB_DNN_IMG_TYPE_NV12);
  EXPECT_EQ(inputs[0].validShape.numDimensions, 4);
  EXPECT_EQ(inputs[0].validShape.dimensionSize[1], 3);
  EXPECT_EQ(inputs[0].validShape.dimensionSize[2], kH);
  EXPECT_EQ(inputs[0].validShape.dimensionSize[3], kW);
  return got->at(0);
}

std::string TempDir(const std::string& name) {
  std::string dir = (std::filesystem::temp_directory_path() /
                     ("hb_mapper_nv12_" + name + "_" + std::to_string(::getpid())))
                        .string();
  std::filesystem::create_directories(dir);
  return dir;
}

// The YAML users write (the seed's keys), read by the same reader as `hb_mapper makertbin`.
mapper::MapperConfig Nv12Config(const std::string& onnx_path, const std::string& dir) {
  // clang-format off
  const std::string yaml = absl::StrCat(
      "model_parameters:\n"
      "  onnx_model: '", onnx_path, "'\n"
      "  march: 'bernoulli2'\n"
      "  working_dir: '", dir, "'\n"
      "  output_model_file_prefix: 'small_nv12'\n"
      "input_parameters:\n"
      "  input_type_rt: 'nv12'\n"
      "  input_type_train: 'rgb'\n"
      "  input_layout_train: 'NCHW'\n"
      "  norm_type: 'data_mean_and_scale'\n"
      "  mean_value: 123.675 116.28 103.53\n"
      "  scale_value: 0.01712 0.0175 0.01743\n"
      "calibration_parameters:\n"
      "  cal_data_dir: '", dir, "/cal'\n"
      "  calibration_type: 'max'\n");
  // clang-format on
  absl::StatusOr<mapper::MapperConfig> config = mapper::ParseMapperYaml(yaml);
  EXPECT_TRUE(config.ok()) << config.status();
  return config.ok() ? *config : mapper::MapperConfig();
}

TEST(Nv12ConvertTest, Nv12ModelMatchesTheFloatModelOnTheEquivalentRgb) {
  const std::string dir = TempDir("small");
  const std::string onnx_path = dir + "/small.onnx";
  {
    std::ofstream file(onnx_path, std::ios::binary);
    ASSERT_TRUE(SmallCnn().SerializeToOstream(&file));
  }
  const mapper::MapperConfig config = Nv12Config(onnx_path, dir);
  ASSERT_EQ(config.inputs.size(), 1u);
  // Calibration samples: float, training layout (RGB NCHW), normalized.
  std::vector<mapper::CalibrationSample> samples;
  for (uint32_t s = 0; s < 16; ++s) samples.push_back({Normalized(Picture(100 + s))});
  absl::StatusOr<mapper::ConversionResult> result = mapper::Convert(config, samples);
  ASSERT_TRUE(result.ok()) << result.status();
  bool logged = false;
  for (const std::string& line : result->log) {
    logged = logged || absl::StrContains(line, "input 'image' takes nv12 (1x24x16)");
  }
  EXPECT_TRUE(logged) << absl::StrJoin(result->log, "\n");
  ASSERT_EQ(result->accuracy.size(), 1u);
  EXPECT_GE(result->accuracy[0].cosine, 0.99);
  ASSERT_FALSE(result->placements.empty());
  EXPECT_EQ(result->placements[0].op_type, "Preprocess");
  EXPECT_FALSE(result->placements[0].on_bpu);

  tools::PackageBuilder float_package;
  ASSERT_TRUE(onnx_import::ImportOnnxFile(onnx_path, {}, &float_package).ok());
  absl::StatusOr<LoadedPackage> loaded = LoadedPackage::From(float_package);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  for (uint32_t s = 0; s < 3; ++s) {
    // A picture the calibration did not see.
    const std::vector<uint8_t> nv12 = ToNv12(Picture(500 + s));
    const std::vector<float> rgb = Nv12AsNormalizedRgb(nv12);
    absl::StatusOr<std::vector<std::string>> want =
        RunModel(*loaded, 0, kernels::OpRegistry::Builtin(), {BytesOf(rgb)});
    ASSERT_TRUE(want.ok()) << want.status();
    const std::vector<float> want_f = ValuesOf<float>((*want)[0]);
    const std::vector<double> want_d(want_f.begin(), want_f.end());
    const std::vector<double> got = InferNv12(result->model_path, nv12);
    ASSERT_EQ(got.size(), want_d.size());
    double range = 0;
    for (double v : want_d) range = std::max(range, std::fabs(v));
    // Tolerance: both sides see the same RGB (the float model gets exactly what the NV12 image
    // means), so only int8 quantization differs: weights per channel, activations per tensor
    // with max calibration (these pictures stay inside the calibrated ranges, no clipping),
    // steps T/127 through three quantized layers. Measured: cosine >= 0.9998, max abs error
    // <= 0.025 on outputs of magnitude up to ~3; the bounds leave about 2x margin. (With
    // calibration_type default, kl thresholds clip picture 0's largest activations: cosine
    // 0.995, error 0.46; that is calibration coverage, not the NV12 path.)
    std::printf("[ mapper ] nv12 picture %u: cosine %.6f max abs error %.4g (output range %.4g)\n",
                s, CosineSimilarity(want_d, got), MaxAbsDifference(want_d, got), range);
    EXPECT_GE(CosineSimilarity(want_d, got), 0.999) << "picture " << s;
    EXPECT_LE(MaxAbsDifference(want_d, got), 0.05) << "picture " << s;
  }
}

// RuntimeInputsFor: the image equivalent of a training-domain sample, and what the model's
// Preprocess node makes of it, close to the sample (NV12 loses chroma detail, uint8 rounding).
TEST(Nv12ConvertTest, RuntimeInputsRoundTrip) {
  mapper::Graph g;
  const int32_t x = g.AddTensor("x", {1, 3, kH, kW}, fb::DataType::F32);
  const int32_t y = g.AddTensor("y", {1, 3, kH, kW}, fb::DataType::F32);
  mapper::GraphNode relu;
  relu.name = "relu";
  relu.op_type = "Relu";
  relu.op_version = 13;
  relu.inputs = {x};
  relu.outputs = {y};
  g.nodes.push_back(relu);
  mapper::GraphIo in, out;
  in.tensor = x;
  in.spec.name = "x";
  in.spec.valid_shape = {1, 3, static_cast<int32_t>(kH), static_cast<int32_t>(kW)};
  out.tensor = y;
  out.spec.name = "y";
  g.inputs.push_back(in);
  g.outputs.push_back(out);
  mapper::InputConfig rgb_rt;
  rgb_rt.input_type_rt = "rgb";
  rgb_rt.input_layout_rt = "NHWC";
  rgb_rt.input_type_train = "bgr";
  rgb_rt.input_layout_train = "NCHW";
  rgb_rt.norm_type = "data_mean_and_scale";
  rgb_rt.mean_value = {kMean[0], kMean[1], kMean[2]};
  rgb_rt.scale_value = {kScale[0], kScale[1], kScale[2]};
  ASSERT_TRUE(mapper::InsertInputPreprocess(&g, 0, rgb_rt, nullptr).ok());
  ASSERT_EQ(g.nodes.size(), 2u);
  const mapper::Graph view = mapper::WithoutInputPreprocess(g);
  ASSERT_EQ(view.nodes.size(), 1u);
  EXPECT_EQ(view.inputs[0].tensor, x);

  const std::vector<float> sample = Normalized(Picture(7));
  std::vector<std::vector<float>> image, preprocessed;
  ASSERT_TRUE(mapper::RuntimeInputsFor(g, {sample}, &image, &preprocessed).ok());
  ASSERT_EQ(image[0].size(), sample.size());
  ASSERT_EQ(preprocessed[0].size(), sample.size());
  // Packed NHWC rgb from a bgr training layout: pixel (0,0) R is training channel 2.
  EXPECT_NEAR(image[0][0], std::nearbyint(sample[2 * kH * kW] / kScale[2] + kMean[2]), 0.5f);
  for (size_t k = 0; k < sample.size(); ++k) {
    EXPECT_NEAR(preprocessed[0][k], sample[k], 0.5f * 0.0176f) << k;  // half a pixel step
  }

  mapper::InputConfig featuremap;
  featuremap.input_type_rt = "featuremap";
  featuremap.input_type_train = "featuremap";
  featuremap.input_layout_train = "NCHW";
  mapper::Graph h = view;
  ASSERT_TRUE(mapper::InsertInputPreprocess(&h, 0, featuremap, nullptr).ok());
  EXPECT_EQ(h.nodes.size(), 1u);
}

}  // namespace
}  // namespace hb_dnn::testing
