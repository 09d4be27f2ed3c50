#include "tests/testing/bpu_test_models.h"

#include "gtest/gtest.h"

namespace hb_dnn::testing {
namespace {

using tools::Attr;

constexpr char kBpuDomain[] = "hb_dnn.bpu";
constexpr int32_t kBpuOpVersion = 1;

constexpr float kC1Scale = 0.1f;
constexpr float kC2Scale = 0.1f;
constexpr float kSumScale = 0.15f;

using tools::ConstantBytes;
using tools::Lcg;

std::vector<int8_t> Int8s(Lcg& values, size_t count, int32_t lo, int32_t hi) {
  std::vector<int8_t> out(count);
  for (int8_t& v : out) v = static_cast<int8_t>(values.Next(lo, hi));
  return out;
}

std::vector<int32_t> Int32s(Lcg& values, size_t count, int32_t lo, int32_t hi) {
  std::vector<int32_t> out(count);
  for (int32_t& v : out) v = values.Next(lo, hi);
  return out;
}

std::vector<float> Conv1WeightScales() {
  std::vector<float> scales;
  for (int c = 0; c < 8; ++c) scales.push_back(0.004f + 0.001f * static_cast<float>(c));
  return scales;
}

std::vector<float> HeadWeightScales() { return {0.01f, 0.02f, 0.015f, 0.03f}; }

runtime::QuantParams PerTensor(float scale) {
  runtime::QuantParams q;
  q.type = fb::QuantiType::SCALE;
  q.scale = {scale};
  return q;
}

runtime::QuantParams PerChannel(std::vector<float> scales, int32_t axis) {
  runtime::QuantParams q;
  q.type = fb::QuantiType::SCALE;
  q.axis = axis;
  q.scale = std::move(scales);
  return q;
}

}  // namespace

std::vector<float> BpuNetHeadScales() {
  std::vector<float> scales;
  for (float w : HeadWeightScales()) {
    scales.push_back(static_cast<float>(static_cast<double>(kSumScale) * w));
  }
  return scales;
}

void AddBpuNet(tools::PackageBuilder& package, const BpuNetOptions& options) {
  ASSERT_EQ(options.fc_us.size(), static_cast<size_t>(kBpuNetFcCount));
  tools::ModelBuilder& m = package.AddModel(options.name, options.march);
  const bool f32_io = options.io == BpuNetIo::kF32;
  const bool on_bpu = options.placement == BpuNetPlacement::kBpu;
  Lcg values(20240611u);

  int x = -1;
  if (f32_io) x = m.AddTensor("x", {1, 3, 6, 6}, fb::DataType::F32);
  int x_q = m.AddTensor("x_q", {1, 3, 6, 6}, fb::DataType::S8, PerTensor(kBpuNetInputScale));
  int c1 = m.AddTensor("c1", {1, 8, 6, 6}, fb::DataType::S8, PerTensor(kC1Scale));
  int c2 = m.AddTensor("c2", {1, 8, 6, 6}, fb::DataType::S8, PerTensor(kC2Scale));
  int s = m.AddTensor("s", {1, 8, 6, 6}, fb::DataType::S8, PerTensor(kSumScale));
  int g = m.AddTensor("g", {1, 8, 1, 1}, fb::DataType::S8, PerTensor(kBpuNetGapScale));
  int y32 = m.AddTensor("y32", {1, 4, 6, 6}, fb::DataType::S32, PerChannel(BpuNetHeadScales(), 1));

  int w1 = m.AddConstant("w1", {8, 3, 3, 3}, fb::DataType::S8,
                         ConstantBytes(Int8s(values, 8 * 27, -40, 40)),
                         PerChannel(Conv1WeightScales(), 0));
  int b1 = m.AddConstant("b1", {8}, fb::DataType::S32, ConstantBytes(Int32s(values, 8, -400, 400)));
  int w2 = m.AddConstant("w2", {8, 1, 3, 3}, fb::DataType::S8,
                         ConstantBytes(Int8s(values, 8 * 9, -30, 50)), PerTensor(0.02f));
  int w3 = m.AddConstant("w3", {4, 8, 1, 1}, fb::DataType::S8,
                         ConstantBytes(Int8s(values, 4 * 8, -60, 60)),
                         PerChannel(HeadWeightScales(), 0));
  int b3 =
      m.AddConstant("b3", {4}, fb::DataType::S32, ConstantBytes(Int32s(values, 4, -2000, 2000)));

  std::vector<uint32_t> pre_nodes, post_nodes;
  if (f32_io) {
    int scale = m.AddConstant("x_scale", {1}, fb::DataType::F32,
                              ConstantBytes(std::vector<float>{kBpuNetInputScale}));
    int zero =
        m.AddConstant("x_zero_point", {1}, fb::DataType::S8, ConstantBytes(std::vector<int8_t>{0}));
    pre_nodes.push_back(m.AddNode("quantize", "QuantizeLinear", {x, scale, zero}, {x_q}));
  }
  auto bpu_node = [&](std::string name, std::string op, std::vector<int32_t> in,
                      std::vector<int32_t> out, std::vector<Attr> attrs) {
    return m.AddNode(std::move(name), std::move(op), std::move(in), std::move(out),
                     std::move(attrs), kBpuOpVersion, kBpuDomain);
  };
  uint32_t conv1 = bpu_node(
      "conv1", "Conv", {x_q, w1, b1}, {c1},
      {Attr::Ints("kernel_shape", {3, 3}), Attr::Ints("pads", {1, 1, 1, 1}),
       Attr::Ints("strides", {1, 1}), Attr::Float("x_scale", kBpuNetInputScale),
       Attr::Floats("w_scale", Conv1WeightScales()), Attr::Float("y_scale", kC1Scale),
       Attr::Float("activation_min", 0.0f), Attr::Float("activation_max", 6.0f)});
  uint32_t dw = bpu_node(
      "dw", "Conv", {c1, w2}, {c2},
      {Attr::Ints("kernel_shape", {3, 3}), Attr::Ints("pads", {1, 1, 1, 1}),
       Attr::Int("group", 8), Attr::Float("x_scale", kC1Scale), Attr::Floats("w_scale", {0.02f}),
       Attr::Float("y_scale", kC2Scale)});
  uint32_t add = bpu_node("add", "Add", {c1, c2}, {s},
                          {Attr::Float("a_scale", kC1Scale), Attr::Float("b_scale", kC2Scale),
                           Attr::Float("y_scale", kSumScale), Attr::Float("activation_min", 0.0f)});
  uint32_t gap =
      bpu_node("gap", "GlobalAveragePool", {s}, {g},
               {Attr::Float("x_scale", kSumScale), Attr::Float("y_scale", kBpuNetGapScale)});
  uint32_t head = bpu_node("head", "Conv", {s, w3, b3}, {y32},
                           {Attr::Ints("kernel_shape", {1, 1}), Attr::Float("x_scale", kSumScale),
                            Attr::Floats("w_scale", HeadWeightScales()),
                            Attr::Int("output_type", 32)});

  int y = -1, gf = -1;
  if (f32_io) {
    y = m.AddTensor("y", {1, 4, 6, 6}, fb::DataType::F32);
    gf = m.AddTensor("gf", {1, 8, 1, 1}, fb::DataType::F32);
    int y_scale =
        m.AddConstant("y_scale", {4}, fb::DataType::F32, ConstantBytes(BpuNetHeadScales()));
    int g_scale = m.AddConstant("g_scale", {1}, fb::DataType::F32,
                                ConstantBytes(std::vector<float>{kBpuNetGapScale}));
    post_nodes.push_back(m.AddNode("dequantize_y", "DequantizeLinear", {y32, y_scale}, {y},
                                   {Attr::Int("axis", 1)}));
    post_nodes.push_back(m.AddNode("dequantize_g", "DequantizeLinear", {g, g_scale}, {gf}));
  }

  if (on_bpu) {
    if (!pre_nodes.empty()) m.AddCpuSegment(pre_nodes, "cpu_pre");
    m.AddBpuSegment({{{conv1, dw}, options.fc_us[0]},
                     {{add, gap}, options.fc_us[1]},
                     {{head}, options.fc_us[2]}},
                    kBpuNetSegmentName);
    if (!post_nodes.empty()) m.AddCpuSegment(post_nodes, "cpu_post");
  } else {
    std::vector<uint32_t> all = pre_nodes;
    for (uint32_t n : {conv1, dw, add, gap, head}) all.push_back(n);
    all.insert(all.end(), post_nodes.begin(), post_nodes.end());
    m.AddCpuSegment(all, "cpu_all");
  }

  tools::IoSpec spec;
  spec.layout = fb::Layout::NCHW;
  if (f32_io) {
    ASSERT_TRUE(m.AddInput(x, spec).ok());
    ASSERT_TRUE(m.AddOutput(y, spec).ok());
    ASSERT_TRUE(m.AddOutput(gf, spec).ok());
    return;
  }
  spec.bpu_side = on_bpu;
  spec.data_type = fb::DataType::S8;
  spec.quant = PerTensor(kBpuNetInputScale);
  ASSERT_TRUE(m.AddInput(x_q, spec).ok());
  spec.data_type = fb::DataType::S32;
  spec.quant = PerChannel(BpuNetHeadScales(), 1);
  ASSERT_TRUE(m.AddOutput(y32, spec).ok());
  spec.data_type = fb::DataType::S8;
  spec.quant = PerTensor(kBpuNetGapScale);
  ASSERT_TRUE(m.AddOutput(g, spec).ok());
}

std::string BpuNetPackageBytes(const std::vector<BpuNetOptions>& models) {
  tools::PackageBuilder package;
  for (const BpuNetOptions& options : models) {
    AddBpuNet(package, options);
    if (::testing::Test::HasFatalFailure()) return std::string();
  }
  absl::StatusOr<std::string> bytes = package.Serialize();
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *bytes : std::string();
}

}  // namespace hb_dnn::testing
