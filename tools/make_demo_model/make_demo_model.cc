// Writes the demo package the README demo and the examples load: two small models in one hbm
// file, built with the model builder (no external model needed).
//   classifier_nv12: NV12 camera input (PYRAMID), a BPU segment of three function-calls, a CPU
//                    segment (dequantize + softmax), F32 probabilities (1,1000,1,1).
//   detector_head:   F32 NHWC feature-map input, one BPU function-call, an S32 output left
//                    quantized (SCALE, per-channel on axis 3) as with remove_node_type.
// Weights are deterministic pseudo-random int8 values; the graph is structurally real.
//
// Usage: make_demo_model OUTPUT.hbm

#include <cstdint>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "src/base/status_macros.h"
#include "tools/model_builder/model_builder.h"

namespace {

using hb_dnn::fb::DataType;
using hb_dnn::fb::Layout;
using hb_dnn::runtime::QuantParams;
using hb_dnn::tools::Attr;
using hb_dnn::tools::IoSpec;
using hb_dnn::tools::ModelBuilder;

std::string RandomInt8(size_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> dist(-127, 127);
  std::string bytes(count, '\0');
  for (char& c : bytes) c = static_cast<char>(dist(rng));
  return bytes;
}

QuantParams PerChannel(int channels, int axis, float base) {
  QuantParams q;
  q.type = hb_dnn::fb::QuantiType::SCALE;
  q.axis = axis;
  for (int c = 0; c < channels; ++c) q.scale.push_back(base * (1.0f + 0.01f * static_cast<float>(c % 7)));
  return q;
}

QuantParams PerTensor(float scale) {
  QuantParams q;
  q.type = hb_dnn::fb::QuantiType::SCALE;
  q.scale = {scale};
  return q;
}

absl::Status BuildClassifier(ModelBuilder& m) {
  m.SetTag("hb_dnn demo classifier");
  m.SetDesc("{\"task\":\"classification\",\"classes\":1000}", hb_dnn::fb::DescType::STRING);
  m.AddMetadata("input_type_rt", "nv12");
  m.AddMetadata("calibration_type", "max");
  int data = m.AddTensor("data", {1, 3, 224, 224}, DataType::S8, PerTensor(1.0f / 128));
  int w1 = m.AddConstant("conv1_weight", {16, 3, 3, 3}, DataType::S8, RandomInt8(16 * 27, 1),
                         PerChannel(16, 0, 0.02f));
  int c1 = m.AddTensor("conv1_out", {1, 16, 112, 112}, DataType::S8, PerTensor(0.05f));
  int w2 = m.AddConstant("dw_weight", {16, 1, 3, 3}, DataType::S8, RandomInt8(16 * 9, 2),
                         PerChannel(16, 0, 0.03f));
  int c2 = m.AddTensor("dw_out", {1, 16, 112, 112}, DataType::S8, PerTensor(0.04f));
  int gap = m.AddTensor("pool_out", {1, 16, 1, 1}, DataType::S8, PerTensor(0.04f));
  int w3 = m.AddConstant("fc_weight", {1000, 16, 1, 1}, DataType::S8, RandomInt8(16000, 3),
                         PerChannel(1000, 0, 0.01f));
  int fc = m.AddTensor("fc_out", {1, 1000, 1, 1}, DataType::S32, PerChannel(1000, 1, 0.0004f));
  int fcf = m.AddTensor("fc_out_f32", {1, 1000, 1, 1}, DataType::F32);
  int prob = m.AddTensor("prob", {1, 1000, 1, 1}, DataType::F32);

  uint32_t n0 = m.AddNode("conv1", "Conv", {data, w1}, {c1},
                          {Attr::Ints("kernel_shape", {3, 3}), Attr::Ints("strides", {2, 2}),
                           Attr::Ints("pads", {1, 1, 1, 1}), Attr::String("activation", "Relu")});
  uint32_t n1 = m.AddNode("conv_dw", "Conv", {c1, w2}, {c2},
                          {Attr::Ints("kernel_shape", {3, 3}), Attr::Int("group", 16),
                           Attr::Ints("pads", {1, 1, 1, 1}), Attr::String("activation", "Relu")});
  uint32_t n2 = m.AddNode("pool", "GlobalAveragePool", {c2}, {gap});
  uint32_t n3 = m.AddNode("fc", "Conv", {gap, w3}, {fc}, {Attr::Ints("kernel_shape", {1, 1})});
  uint32_t n4 = m.AddNode("fc_dequantize", "Dequantize", {fc}, {fcf});
  uint32_t n5 = m.AddNode("softmax", "Softmax", {fcf}, {prob}, {Attr::Int("axis", 1)});
  m.AddBpuSegment({{{n0}, 310}, {{n1, n2}, 180}, {{n3}, 45}}, "BPU_classifier_subgraph_0");
  m.AddCpuSegment({n4, n5}, "CPU_classifier_subgraph_1");

  IoSpec in;
  in.name = "data";
  in.data_type = DataType::IMG_NV12;
  in.layout = Layout::NCHW;
  in.input_source = hb_dnn::fb::InputSource::PYRAMID;
  in.bpu_side = true;
  HB_RETURN_IF_ERROR(m.AddInput(data, in));
  m.AddPreprocess({0, "nv12", "NCHW", "rgb", "NCHW", "data_mean_and_scale", {123.675f, 116.28f, 103.53f},
                   {0.0171f, 0.0175f, 0.0174f}});

  IoSpec out;
  out.data_type = DataType::F32;
  out.layout = Layout::NCHW;
  out.output_operator_type = 1;  // CONV
  return m.AddOutput(prob, out);
}

absl::Status BuildDetectorHead(ModelBuilder& m) {
  m.SetTag("hb_dnn demo detector head");
  int feat = m.AddTensor("feature", {1, 20, 20, 64}, DataType::F32);
  int q = m.AddTensor("feature_q", {1, 20, 20, 64}, DataType::S8, PerTensor(0.03f));
  int w = m.AddConstant("head_weight", {85, 64, 1, 1}, DataType::S8, RandomInt8(85 * 64, 4),
                        PerChannel(85, 0, 0.01f));
  int out = m.AddTensor("head_out", {1, 20, 20, 85}, DataType::S32, PerChannel(85, 3, 0.0003f));
  uint32_t n0 = m.AddNode("quantize", "Quantize", {feat}, {q});
  uint32_t n1 = m.AddNode("head_conv", "Conv", {q, w}, {out}, {Attr::Ints("kernel_shape", {1, 1})});
  m.AddCpuSegment({n0}, "CPU_detector_head_subgraph_0");
  m.AddBpuSegment({{{n1}, 95}}, "BPU_detector_head_subgraph_1");

  IoSpec in;
  in.data_type = DataType::F32;
  in.layout = Layout::NHWC;
  HB_RETURN_IF_ERROR(m.AddInput(feat, in));
  IoSpec o;
  o.data_type = DataType::S32;
  o.layout = Layout::NHWC;
  o.bpu_side = true;
  o.quant = PerChannel(85, 3, 0.0003f);
  o.output_operator_type = 1;
  return m.AddOutput(out, o);
}

absl::Status Run(const std::string& path) {
  hb_dnn::tools::PackageBuilder package;
  HB_RETURN_IF_ERROR(BuildClassifier(package.AddModel("classifier_nv12", "bernoulli2")));
  HB_RETURN_IF_ERROR(BuildDetectorHead(package.AddModel("detector_head", "bernoulli2")));
  return package.WriteFile(path);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " OUTPUT.hbm\n";
    return 2;
  }
  absl::Status status = Run(argv[1]);
  if (!status.ok()) {
    std::cerr << "make_demo_model: " << status.message() << "\n";
    return 1;
  }
  std::cout << "wrote " << argv[1] << "\n";
  return 0;
}
