// Empirical bias correction (tools/hb_mapper/bias_correction.h) on small generated graphs, and
// the node-by-node GraphRunner interface it is built on.

#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "onnx/onnx_pb.h"
#include "tests/hb_mapper/mapper_test_util.h"
#include "tests/onnx_import/import_test_util.h"
#include "tools/hb_mapper/bias_correction.h"
#include "tools/hb_mapper/calibration.h"
#include "tools/hb_mapper/graph.h"
#include "tools/hb_mapper/graph_runner.h"
#include "tools/hb_mapper/placement.h"
#include "tools/hb_mapper/quantize.h"
#include "tools/onnx_import/onnx_importer.h"

namespace hb_dnn::testing {
namespace {

using mapper::CalibrationSample;
using mapper::Graph;

// The first Conv's weights: per output channel one large tap (1.27, which sets the int8 step
// to 0.01) and 35 taps of +-0.0545, which all round to 5 steps, 0.45 steps short.
std::vector<float> OffsetWeights() {
  std::vector<float> w(8 * 36);
  for (int c = 0; c < 8; ++c) {
    for (int k = 0; k < 36; ++k) {
      w[c * 36 + k] = k == c ? 1.27f : (c % 2 == 0 ? 0.0545f : -0.0545f);
    }
  }
  return w;
}

// x[1,4,12,12] -> Conv 3x3 (8, pads 1) -> [Relu] -> Conv 1x1 (6) -> y. The input's values are
// all positive with a large mean, so the first Conv's weight rounding (OffsetWeights) becomes a
// constant offset of several output steps per channel.
Graph TwoConvGraph(bool relu) {
  onnx::ModelProto m = NewOnnxModel(13);
  AddGraphInput(&m, "x", {1, 4, 12, 12});
  AddInitializer(&m, MakeFloatTensor("w1", {8, 4, 3, 3}, OffsetWeights()));
  AddInitializer(&m, MakeFloatTensor("b1", {8}, UniformFloats(8, -0.2f, 0.2f, 2)));
  AddInitializer(&m, MakeFloatTensor("w2", {6, 8, 1, 1}, UniformFloats(48, -0.6f, 0.6f, 3)));
  AddInitializer(&m, MakeFloatTensor("b2", {6}, UniformFloats(6, -0.2f, 0.2f, 4)));
  onnx::NodeProto* conv = AddNode(&m, "Conv", {"x", "w1", "b1"}, {"c1"}, "conv1");
  SetIntsAttr(conv, "pads", {1, 1, 1, 1});
  std::string mid = "c1";
  if (relu) {
    AddNode(&m, "Relu", {"c1"}, {"r1"}, "relu1");
    mid = "r1";
  }
  AddNode(&m, "Conv", {mid, "w2", "b2"}, {"y"}, "conv2");
  AddGraphOutput(&m, "y", {1, 6, 12, 12});
  onnx_import::ImportOptions options;
  tools::PackageBuilder package;
  EXPECT_TRUE(onnx_import::ImportOnnx(m, options, &package).ok());
  absl::StatusOr<std::string> bytes = package.Serialize();
  EXPECT_TRUE(bytes.ok());
  absl::StatusOr<Graph> graph = mapper::GraphFromPackageBytes(*bytes);
  EXPECT_TRUE(graph.ok()) << graph.status();
  return *graph;
}

std::vector<CalibrationSample> Samples(int count) {
  std::vector<CalibrationSample> samples;
  for (int k = 0; k < count; ++k) {
    samples.push_back({UniformFloats(4 * 12 * 12, 2.0f, 3.0f, 50 + static_cast<uint32_t>(k))});
  }
  return samples;
}

// The float graph quantized with max calibration, every node on the BPU where it can be.
mapper::QuantizedGraph Quantize(const Graph& graph, const std::vector<CalibrationSample>& samples) {
  absl::StatusOr<mapper::Placement> placement = mapper::PlaceNodes(graph, "bernoulli2", {}, {});
  EXPECT_TRUE(placement.ok()) << placement.status();
  std::vector<bool> wanted(graph.tensors.size(), true);
  absl::StatusOr<std::unique_ptr<mapper::GraphRunner>> runner =
      mapper::GraphRunner::Create(graph, kernels::OpRegistry::Builtin());
  EXPECT_TRUE(runner.ok()) << runner.status();
  absl::StatusOr<std::vector<mapper::TensorRange>> ranges = mapper::Calibrate(
      graph, **runner, samples, wanted, mapper::CalibrationMethod::kMax, 1.0, nullptr);
  EXPECT_TRUE(ranges.ok()) << ranges.status();
  std::vector<float> scales(graph.tensors.size(), 0.0f);
  for (size_t t = 0; t < ranges->size(); ++t) {
    if ((*ranges)[t].valid) scales[t] = static_cast<float>((*ranges)[t].threshold / 127.0);
  }
  mapper::PropagateScales(graph, *placement, &scales);
  std::vector<std::string> log;
  absl::StatusOr<mapper::QuantizedGraph> quantized =
      mapper::QuantizeGraph(graph, *placement, scales, {}, &log);
  EXPECT_TRUE(quantized.ok()) << quantized.status();
  return *quantized;
}

// Per channel of tensor `name`: the mean over samples and positions of quantized - float.
std::vector<double> ChannelMeanError(const Graph& float_graph, const Graph& quantized,
                                     const std::vector<CalibrationSample>& samples,
                                     const std::string& name) {
  auto float_runner = mapper::GraphRunner::Create(float_graph, kernels::OpRegistry::Builtin());
  auto quantized_runner = mapper::GraphRunner::Create(quantized, kernels::OpRegistry::Builtin());
  EXPECT_TRUE(float_runner.ok() && quantized_runner.ok());
  const int32_t f = float_graph.FindTensor(name);
  const int32_t q = quantized.FindTensor(name + "_int8");
  EXPECT_GE(f, 0);
  EXPECT_GE(q, 0);
  const std::vector<int64_t>& shape = float_graph.tensors[f].shape;
  const int64_t channels = shape[1], inner = shape[2] * shape[3];
  std::vector<double> mean(static_cast<size_t>(channels), 0.0);
  for (const CalibrationSample& sample : samples) {
    auto want = (*float_runner)->Run(sample);
    auto got = (*quantized_runner)->Run(sample);
    EXPECT_TRUE(want.ok() && got.ok());
    std::vector<double> a = mapper::RealValuesOf(float_graph.tensors[f], (*want)[f]);
    std::vector<double> b = mapper::RealValuesOf(quantized.tensors[q], (*got)[q]);
    for (int64_t c = 0; c < channels; ++c) {
      for (int64_t k = 0; k < inner; ++k) mean[c] += b[c * inner + k] - a[c * inner + k];
    }
  }
  for (double& m : mean) m /= static_cast<double>(inner * samples.size());
  return mean;
}

double MaxAbs(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m = std::max(m, std::fabs(x));
  return m;
}

TEST(BiasCorrectionTest, RemovesTheChannelOffsetsOfUnboundedConvs) {
  Graph graph = TwoConvGraph(/*relu=*/false);
  std::vector<CalibrationSample> samples = Samples(4);
  mapper::QuantizedGraph quantized = Quantize(graph, samples);
  std::vector<double> before = ChannelMeanError(graph, quantized.graph, samples, "c1");

  absl::StatusOr<mapper::BiasCorrectionResult> result =
      mapper::CorrectBiases(graph, samples, samples, samples.size(), &quantized.graph);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->candidates, 2);
  EXPECT_GE(result->corrected_nodes, 1);
  EXPECT_GT(result->corrected_channels, 0);
  EXPECT_TRUE(result->applied);
  EXPECT_GE(result->cosine_after, result->cosine_before);

  std::vector<double> after = ChannelMeanError(graph, quantized.graph, samples, "c1");
  const int32_t out = quantized.graph.FindTensor("c1_int8");
  ASSERT_GE(out, 0);
  const double step = quantized.graph.tensors[out].quant.scale[0];
  // Before: offsets of several output steps; after: what rounding the int32 bias leaves.
  EXPECT_GT(MaxAbs(before), 1.0 * step);
  EXPECT_LT(MaxAbs(after), 0.25 * MaxAbs(before));
  EXPECT_LT(MaxAbs(after), 0.5 * step);
}

TEST(BiasCorrectionTest, JudgesOnTheSamplesItDidNotFit) {
  Graph graph = TwoConvGraph(/*relu=*/false);
  std::vector<CalibrationSample> samples = Samples(5);
  mapper::QuantizedGraph quantized = Quantize(graph, samples);
  absl::StatusOr<mapper::BiasCorrectionResult> result =
      mapper::CorrectBiases(graph, samples, samples, 3, &quantized.graph);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->fit_samples, 3);
  EXPECT_EQ(result->judge_samples, 2);
  // The offsets are the weights' doing, so the correction carries over to unseen inputs.
  EXPECT_TRUE(result->applied);
  EXPECT_GT(result->cosine_after, result->cosine_before);
  std::vector<CalibrationSample> unseen = {samples[3], samples[4]};
  EXPECT_LT(MaxAbs(ChannelMeanError(graph, quantized.graph, unseen, "c1")),
            0.5 * quantized.graph.tensors[quantized.graph.FindTensor("c1_int8")].quant.scale[0]);
}

TEST(BiasCorrectionTest, LeavesConvsWithFusedBoundsAlone) {
  Graph graph = TwoConvGraph(/*relu=*/true);
  std::vector<CalibrationSample> samples = Samples(2);
  mapper::QuantizedGraph quantized = Quantize(graph, samples);
  // conv1 carries the Relu as activation bounds; only conv2 may move.
  std::vector<std::string> biases_before;
  for (const mapper::GraphNode& node : quantized.graph.nodes) {
    if (node.op_type == "Conv" && node.FindAttr("activation_min") != nullptr) {
      biases_before.push_back(quantized.graph.tensors[node.inputs[2]].data);
    }
  }
  ASSERT_EQ(biases_before.size(), 1u);
  absl::StatusOr<mapper::BiasCorrectionResult> result =
      mapper::CorrectBiases(graph, samples, samples, samples.size(), &quantized.graph);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->candidates, 1);
  for (const mapper::GraphNode& node : quantized.graph.nodes) {
    if (node.op_type == "Conv" && node.FindAttr("activation_min") != nullptr) {
      EXPECT_EQ(quantized.graph.tensors[node.inputs[2]].data, biases_before[0]);
    }
  }
}

TEST(BiasCorrectionTest, Failures) {
  Graph graph = TwoConvGraph(/*relu=*/false);
  std::vector<CalibrationSample> samples = Samples(2);
  mapper::QuantizedGraph quantized = Quantize(graph, samples);
  // Sample lists of different lengths.
  absl::StatusOr<mapper::BiasCorrectionResult> result =
      mapper::CorrectBiases(graph, samples, {samples[0]}, 1, &quantized.graph);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  // A sample of the wrong size.
  result = mapper::CorrectBiases(graph, {{std::vector<float>(5, 1.0f)}}, {samples[0]}, 1,
                                 &quantized.graph);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  // More fitting samples than samples.
  result = mapper::CorrectBiases(graph, samples, samples, samples.size() + 1, &quantized.graph);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  // A quantized graph with other outputs than the float one.
  Graph more_outputs = quantized.graph;
  more_outputs.outputs.push_back(more_outputs.outputs[0]);
  result = mapper::CorrectBiases(graph, samples, samples, samples.size(), &more_outputs);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  // No samples: nothing measured, nothing changed.
  Graph before = quantized.graph;
  result = mapper::CorrectBiases(graph, {}, {}, 0, &quantized.graph);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->corrected_nodes, 0);
  for (size_t t = 0; t < before.tensors.size(); ++t) {
    EXPECT_EQ(before.tensors[t].data, quantized.graph.tensors[t].data);
  }
}

TEST(GraphRunnerTest, NodeByNodeMatchesRunAndRefreshSeesNewConstants) {
  Graph graph = TwoConvGraph(/*relu=*/false);
  std::vector<CalibrationSample> samples = Samples(1);
  auto runner = mapper::GraphRunner::Create(graph, kernels::OpRegistry::Builtin());
  ASSERT_TRUE(runner.ok()) << runner.status();
  auto whole = (*runner)->Run(samples[0]);
  ASSERT_TRUE(whole.ok());
  auto values = (*runner)->Start(samples[0]);
  ASSERT_TRUE(values.ok());
  for (size_t n = 0; n < graph.nodes.size(); ++n) {
    ASSERT_TRUE((*runner)->RunNode(n, &*values).ok());
  }
  const int32_t y = graph.outputs[0].tensor;
  ASSERT_EQ((*values)[y].bytes, (*whole)[y].bytes);
  EXPECT_EQ(std::memcmp((*values)[y].data(), (*whole)[y].data(), (*whole)[y].bytes), 0);

  // Add 1 to conv2's bias in place: after RefreshNode every output moves by 1.
  const int32_t conv2 = graph.FindNode("conv2");
  ASSERT_GE(conv2, 0);
  mapper::GraphTensor& bias = graph.tensors[graph.nodes[conv2].inputs[2]];
  std::vector<float> b = bias.Floats();
  for (float& v : b) v += 1.0f;
  std::memcpy(bias.data.data(), b.data(), b.size() * sizeof(float));
  ASSERT_TRUE((*runner)->RefreshNode(static_cast<size_t>(conv2)).ok());
  ASSERT_TRUE((*runner)->RunNode(static_cast<size_t>(conv2), &*values).ok());
  const float* before = (*whole)[y].as<float>();
  const float* after = (*values)[y].as<float>();
  for (int64_t k = 0; k < graph.tensors[y].num_elements(); ++k) {
    EXPECT_NEAR(after[k] - before[k], 1.0f, 1e-4f) << k;
  }

  // Inputs of the wrong size are refused.
  EXPECT_FALSE((*runner)->Start({std::vector<float>(7, 0.0f)}).ok());
  EXPECT_FALSE((*runner)->Start({}).ok());
  // A node out of range, values of another graph, a node whose input has not been computed.
  EXPECT_EQ((*runner)->RunNode(graph.nodes.size(), &*values).code(),
            absl::StatusCode::kInvalidArgument);
  std::vector<mapper::TensorValue> short_values(2);
  EXPECT_EQ((*runner)->RunNode(0, &short_values).code(), absl::StatusCode::kInvalidArgument);
  auto fresh = (*runner)->Start(samples[0]);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ((*runner)->RunNode(static_cast<size_t>(conv2), &*fresh).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ((*runner)->RefreshNode(graph.nodes.size()).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace hb_dnn::testing
