// AddPreprocessNode on the converter's Graph: the rewritten graph, and end to end through the C
// API: the NV12 model gives the float model's result on the equivalent normalized RGB tensor.

#include "tools/hb_mapper/preprocess_node.h"

#include <cmath>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/kernels/reference/preprocess.h"
#include "tests/hb_mapper/mapper_test_util.h"

namespace hb_dnn::mapper {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int kH = 4, kW = 20;
const std::vector<float> kWeights = {0.5f, -1.0f, 0.25f, 1.5f, 0.75f, -0.5f};

// data (1,3,4,20) F32 -> 1x1 Conv -> out (1,2,4,20).
Graph FloatGraph() {
  Graph g;
  g.name = "float_conv";
  int32_t data = g.AddTensor("data", {1, 3, kH, kW}, fb::DataType::F32);
  int32_t w = g.AddConstant("w", {2, 3, 1, 1}, fb::DataType::F32, BytesOf(kWeights));
  int32_t out = g.AddTensor("out", {1, 2, kH, kW}, fb::DataType::F32);
  GraphNode conv;
  conv.name = "conv";
  conv.op_type = "Conv";
  conv.op_version = 13;
  conv.inputs = {data, w};
  conv.outputs = {out};
  g.nodes.push_back(conv);
  GraphIo in, o;
  in.tensor = data;
  in.spec.name = "data";
  in.spec.valid_shape = {1, 3, kH, kW};
  o.tensor = out;
  o.spec.name = "out";
  o.spec.valid_shape = {1, 2, kH, kW};
  g.inputs.push_back(in);
  g.outputs.push_back(o);
  return g;
}

InputConfig Nv12Config() {
  InputConfig c;
  c.input_type_rt = "nv12";
  c.input_type_train = "rgb";
  c.input_layout_train = "NCHW";
  c.norm_type = "data_mean_and_scale";
  c.mean_value = {123.675f, 116.28f, 103.53f};
  c.scale_value = {0.01712f, 0.0175f, 0.01743f};
  return c;
}

// The graph as an all-CPU model file.
std::string Serialize(const Graph& g) {
  tools::PackageBuilder package;
  tools::ModelBuilder& m = package.AddModel(g.name, g.march);
  for (const GraphTensor& t : g.tensors) {
    if (t.constant) {
      m.AddConstant(t.name, t.shape, t.type, t.data);
    } else {
      m.AddTensor(t.name, t.shape, t.type);
    }
  }
  std::vector<uint32_t> nodes;
  for (const GraphNode& n : g.nodes) {
    nodes.push_back(
        m.AddNode(n.name, n.op_type, n.inputs, n.outputs, n.attributes, n.op_version, n.domain));
  }
  m.AddCpuSegment(nodes);
  for (const GraphIo& io : g.inputs) EXPECT_TRUE(m.AddInput(io.tensor, io.spec).ok());
  for (const GraphIo& io : g.outputs) EXPECT_TRUE(m.AddOutput(io.tensor, io.spec).ok());
  absl::StatusOr<std::string> bytes = package.Serialize();
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *bytes : "";
}

// Loads `bytes`, feeds `input` (float values for an F32 input, byte values for an image one,
// compact) and returns the F32 output.
std::vector<float> RunModel(const std::string& bytes, const std::vector<float>& input) {
  absl::StatusOr<std::vector<std::vector<double>>> got =
      testing::InferWithLibdnnFromMemory(bytes, {input});
  EXPECT_TRUE(got.ok()) << got.status();
  if (!got.ok()) return {};
  EXPECT_EQ(got->at(0).size(), static_cast<size_t>(2 * kH * kW));
  return std::vector<float>(got->at(0).begin(), got->at(0).end());
}

TEST(PreprocessNodeTest, RewritesTheGraphForNv12) {
  Graph g = FloatGraph();
  std::vector<std::string> log;
  ASSERT_TRUE(AddPreprocessNode(&g, 0, Nv12Config(), &log).ok());
  ASSERT_EQ(g.nodes.size(), 2u);
  const GraphNode& pre = g.nodes[0];
  EXPECT_EQ(pre.name, "HZ_PREPROCESS_FOR_data");
  EXPECT_EQ(pre.op_type, kernels::kPreprocessOp);
  EXPECT_EQ(pre.domain, kernels::kHbDnnDomain);
  EXPECT_EQ(pre.String(kernels::kAttrInputTypeRt, ""), "nv12");
  const GraphTensor& image = g.tensors[g.inputs[0].tensor];
  EXPECT_EQ(image.name, "data");
  EXPECT_EQ(image.type, fb::DataType::U8);
  EXPECT_THAT(image.shape, ElementsAre(1, kH * 3 / 2, kW));
  EXPECT_EQ(g.inputs[0].spec.data_type, fb::DataType::IMG_NV12);
  EXPECT_THAT(g.inputs[0].spec.valid_shape, ElementsAre(1, 3, kH, kW));
  EXPECT_EQ(g.tensors[pre.outputs[0]].name, "data_preprocessed");
  EXPECT_EQ(g.nodes[1].inputs[0], pre.outputs[0]);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_THAT(log[0], HasSubstr("input 'data' takes nv12 (1x6x20)"));
}

TEST(PreprocessNodeTest, Nv12ModelMatchesTheFloatModelOnRgb) {
  Graph float_graph = FloatGraph();
  Graph nv12_graph = FloatGraph();
  nv12_graph.name = "nv12_conv";
  ASSERT_TRUE(AddPreprocessNode(&nv12_graph, 0, Nv12Config(), nullptr).ok());
  // An NV12 image and its normalized RGB equivalent (BT.601 full range).
  std::vector<uint8_t> nv12(kH * kW * 3 / 2);
  for (size_t i = 0; i < nv12.size(); ++i) nv12[i] = static_cast<uint8_t>(20 + (i * 53) % 215);
  InputConfig c = Nv12Config();
  std::vector<float> rgb(3 * kH * kW);
  for (int y = 0; y < kH; ++y) {
    for (int x = 0; x < kW; ++x) {
      float l = nv12[y * kW + x];
      const uint8_t* uv = &nv12[kH * kW + (y / 2) * kW + (x / 2) * 2];
      float u = uv[0] - 128.0f, v = uv[1] - 128.0f;
      float px[3] = {l + 1.402f * v, l - 0.344136f * u - 0.714136f * v, l + 1.772f * u};
      for (int ch = 0; ch < 3; ++ch) {
        float clamped = std::fmin(255.0f, std::fmax(0.0f, px[ch]));
        rgb[(ch * kH + y) * kW + x] = (clamped - c.mean_value[ch]) * c.scale_value[ch];
      }
    }
  }
  std::vector<float> expected = RunModel(Serialize(float_graph), rgb);
  std::vector<float> actual =
      RunModel(Serialize(nv12_graph), std::vector<float>(nv12.begin(), nv12.end()));
  ASSERT_EQ(actual.size(), expected.size());
  ASSERT_FALSE(actual.empty());
  for (size_t i = 0; i < actual.size(); ++i) EXPECT_NEAR(actual[i], expected[i], 1e-4) << i;
}

TEST(PreprocessNodeTest, FeaturemapAndErrors) {
  Graph g = FloatGraph();
  InputConfig featuremap;
  featuremap.input_type_rt = "featuremap";
  featuremap.input_type_train = "featuremap";
  featuremap.input_layout_train = "NCHW";
  ASSERT_TRUE(AddPreprocessNode(&g, 0, featuremap, nullptr).ok());
  EXPECT_EQ(g.nodes.size(), 1u);  // no_preprocess: nothing to do
  featuremap.norm_type = "data_scale";
  featuremap.scale_value = {2.0f};
  ASSERT_TRUE(AddPreprocessNode(&g, 0, featuremap, nullptr).ok());
  EXPECT_EQ(g.nodes.size(), 2u);
  EXPECT_EQ(g.tensors[g.inputs[0].tensor].type, fb::DataType::F32);

  Graph h = FloatGraph();
  InputConfig gray = Nv12Config();
  gray.input_type_rt = "gray";
  gray.input_type_train = "gray";
  gray.mean_value = {128.0f};
  gray.scale_value = {1.0f};
  absl::Status wrong = AddPreprocessNode(&h, 0, gray, nullptr);
  EXPECT_THAT(wrong.message(), HasSubstr("input 0 'data' has shape (1,3,4,20), but "
                                         "input_type_train 'gray' with layout NCHW needs (1, 1, "
                                         "H, W)"));
  EXPECT_EQ(h.nodes.size(), 1u);
  EXPECT_EQ(h.tensors.size(), 3u);
  EXPECT_THAT(AddPreprocessNode(&h, 3, gray, nullptr).message(),
              HasSubstr("input 3 does not exist"));
}

}  // namespace
}  // namespace hb_dnn::mapper
