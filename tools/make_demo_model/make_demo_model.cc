// Writes the demo package the README demo, hrt_model_exec and the examples load: two runnable
// int8 models in one hbm file, built with the model builder (no external model needed).
//
//   classifier_nv12: NV12 224x224 camera input (PYRAMID)
//                    -> Preprocess (nv12 -> rgb, mean/scale) -> QuantizeLinear       [CPU]
//                    -> a MobileNet-style int8 network in four function-calls        [BPU]
//                    -> DequantizeLinear -> Flatten -> Softmax: F32 (1,1000)          [CPU]
//   detector_head:   F32 NHWC (1,20,20,64) feature map -> QuantizeLinear              [CPU]
//                    -> 3x3 conv + 1x1 head conv with an int32 output                 [BPU]
//                    S32 (1,20,20,85) NHWC output left quantized (SCALE, per channel on axis 3)
//                    as with remove_node_type: the application dequantizes it.
//
// Weights are deterministic pseudo-random values: every build writes the same bytes.
//
// Each function-call's modelled duration is bpu::ModelledDurationNs of its MACs and DDR bytes on
// the march's profile (docs/simulated_bpu.md), rounded up to whole microseconds. Bytes count every
// node's inputs, weights and outputs (no on-chip reuse between the nodes of a function-call), an
// upper bound that keeps the roofline honest for feature maps larger than the BPU's SRAM.
//
// Usage: make_demo_model OUTPUT.hbm

#include <cstdint>
#include <cstdio>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "src/base/status_macros.h"
#include "src/bpu/march_profile.h"
#include "src/kernels/reference/preprocess.h"
#include "src/runtime/tensor_geometry.h"
#include "tools/model_builder/model_builder.h"

namespace {

using hb_dnn::fb::DataType;
using hb_dnn::fb::Layout;
using hb_dnn::runtime::QuantParams;
using hb_dnn::tools::Attr;
using hb_dnn::tools::ConstantBytes;
using hb_dnn::tools::FunctionCallSpec;
using hb_dnn::tools::IoSpec;
using hb_dnn::tools::Lcg;
using hb_dnn::tools::ModelBuilder;

constexpr char kMarch[] = "bernoulli2";
constexpr char kBpuDomain[] = "hb_dnn.bpu";
constexpr int32_t kBpuOpVersion = 1;

QuantParams PerTensor(float scale) {
  QuantParams q;
  q.type = hb_dnn::fb::QuantiType::SCALE;
  q.scale = {scale};
  return q;
}

QuantParams PerChannel(std::vector<float> scales, int32_t axis) {
  QuantParams q;
  q.type = hb_dnn::fb::QuantiType::SCALE;
  q.axis = axis;
  q.scale = std::move(scales);
  return q;
}

int64_t Elements(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

int64_t ElementBytes(DataType type) {
  switch (type) {
    case DataType::S32:
    case DataType::F32:
      return 4;
    default:
      return 1;
  }
}

// Adds tensors and nodes to a model while accounting each BPU node's MACs and bytes to the
// function-call being assembled.
class NetBuilder {
 public:
  NetBuilder(ModelBuilder& model, const hb_dnn::bpu::MarchProfile& profile, uint32_t seed)
      : m_(model), profile_(profile), values_(seed) {}

  int32_t Tensor(std::string name, std::vector<int64_t> shape, DataType type,
                 QuantParams quant = {}) {
    int64_t bytes = Elements(shape) * ElementBytes(type);
    int32_t index = m_.AddTensor(std::move(name), std::move(shape), type, std::move(quant));
    Record(index, bytes);
    return index;
  }

  // Weights in [-range, range] with per-output-channel scales around `base_scale`.
  int32_t Weights(std::string name, std::vector<int64_t> shape, int32_t range, float base_scale,
                  std::vector<float>* scales) {
    scales->clear();
    for (int64_t c = 0; c < shape[0]; ++c) {
      scales->push_back(base_scale * (1.0f + 0.05f * static_cast<float>(c % 5)));
    }
    std::vector<int8_t> w(static_cast<size_t>(Elements(shape)));
    for (int8_t& v : w) v = static_cast<int8_t>(values_.Next(-range, range));
    int64_t bytes = static_cast<int64_t>(w.size());
    int32_t index = m_.AddConstant(std::move(name), std::move(shape), DataType::S8,
                                   ConstantBytes(w), PerChannel(*scales, 0));
    Record(index, bytes);
    return index;
  }

  int32_t Bias(std::string name, int64_t count, int32_t range) {
    std::vector<int32_t> b(static_cast<size_t>(count));
    for (int32_t& v : b) v = values_.Next(-range, range);
    int32_t index = m_.AddConstant(std::move(name), {count}, DataType::S32, ConstantBytes(b));
    Record(index, count * 4);
    return index;
  }

  int32_t FloatConstant(std::string name, const std::vector<float>& values) {
    return m_.AddConstant(std::move(name), {static_cast<int64_t>(values.size())}, DataType::F32,
                          ConstantBytes(values));
  }

  int32_t ZeroPoint(std::string name) {
    return m_.AddConstant(std::move(name), {1}, DataType::S8,
                          ConstantBytes(std::vector<int8_t>{0}));
  }

  uint32_t CpuNode(std::string name, std::string op, std::vector<int32_t> in,
                   std::vector<int32_t> out, std::vector<Attr> attrs = {},
                   int32_t version = 13, std::string domain = "") {
    return m_.AddNode(std::move(name), std::move(op), std::move(in), std::move(out),
                      std::move(attrs), version, std::move(domain));
  }

  // An hb_dnn.bpu node (or, with onnx_domain, a byte-moving ONNX op such as Transpose) in the
  // current function-call.
  void BpuNode(std::string name, std::string op, std::vector<int32_t> in,
               std::vector<int32_t> out, std::vector<Attr> attrs, uint64_t macs,
               bool onnx_domain = false) {
    for (int32_t t : in) fc_bytes_ += bytes_[t];
    for (int32_t t : out) fc_bytes_ += bytes_[t];
    fc_macs_ += macs;
    fc_names_.push_back(name);
    fc_nodes_.push_back(onnx_domain
                            ? m_.AddNode(std::move(name), std::move(op), std::move(in),
                                         std::move(out), std::move(attrs))
                            : m_.AddNode(std::move(name), std::move(op), std::move(in),
                                         std::move(out), std::move(attrs), kBpuOpVersion,
                                         kBpuDomain));
  }

  // Closes the current function-call and prints its cost.
  void EndFunctionCall(const std::string& model) {
    int64_t ns = hb_dnn::bpu::ModelledDurationNs(profile_, fc_macs_, fc_bytes_);
    uint32_t us = static_cast<uint32_t>((ns + 999) / 1000);
    std::printf("  %s fc%zu (%s): %.2f M MAC, %.1f KB -> %u us\n", model.c_str(), fcs_.size(),
                absl::StrJoin(fc_names_, ", ").c_str(), static_cast<double>(fc_macs_) / 1e6,
                static_cast<double>(fc_bytes_) / 1024.0, us);
    fcs_.push_back({fc_nodes_, us});
    fc_nodes_.clear();
    fc_names_.clear();
    fc_macs_ = 0;
    fc_bytes_ = 0;
  }

  std::vector<FunctionCallSpec> TakeFunctionCalls() { return std::move(fcs_); }

 private:
  void Record(int32_t index, int64_t bytes) {
    if (static_cast<size_t>(index) >= bytes_.size()) bytes_.resize(static_cast<size_t>(index) + 1);
    bytes_[static_cast<size_t>(index)] = static_cast<uint64_t>(bytes);
  }

  ModelBuilder& m_;
  const hb_dnn::bpu::MarchProfile& profile_;
  Lcg values_;
  std::vector<uint64_t> bytes_;
  std::vector<uint32_t> fc_nodes_;
  std::vector<std::string> fc_names_;
  uint64_t fc_macs_ = 0;
  uint64_t fc_bytes_ = 0;
  std::vector<FunctionCallSpec> fcs_;
};

std::vector<float> Products(float x_scale, const std::vector<float>& w_scales) {
  std::vector<float> out;
  for (float w : w_scales) {
    out.push_back(static_cast<float>(static_cast<double>(x_scale) * static_cast<double>(w)));
  }
  return out;
}

// Attributes of an hb_dnn.bpu Conv: square kernel k, stride s, pads k/2, int8 output with ReLU6
// bounds unless output_int32.
std::vector<Attr> ConvAttrs(int64_t k, int64_t s, int64_t group, float x_scale,
                            const std::vector<float>& w_scales, float y_scale, bool relu6,
                            bool output_int32 = false) {
  std::vector<Attr> attrs = {Attr::Ints("kernel_shape", {k, k}),
                             Attr::Ints("strides", {s, s}),
                             Attr::Ints("pads", {k / 2, k / 2, k / 2, k / 2}),
                             Attr::Int("group", group), Attr::Float("x_scale", x_scale),
                             Attr::Floats("w_scale", w_scales)};
  if (output_int32) {
    attrs.push_back(Attr::Int("output_type", 32));
    return attrs;
  }
  attrs.push_back(Attr::Float("y_scale", y_scale));
  if (relu6) {
    attrs.push_back(Attr::Float("activation_min", 0.0f));
    attrs.push_back(Attr::Float("activation_max", 6.0f));
  }
  return attrs;
}

uint64_t ConvMacs(int64_t out_c, int64_t out_h, int64_t out_w, int64_t in_c_per_group,
                  int64_t k) {
  return static_cast<uint64_t>(out_c * out_h * out_w * in_c_per_group * k * k);
}

absl::Status BuildClassifier(ModelBuilder& m, const hb_dnn::bpu::MarchProfile& profile) {
  namespace k = hb_dnn::kernels;
  m.SetTag("hb_dnn demo classifier");
  m.SetDesc("{\"task\":\"classification\",\"classes\":1000}", hb_dnn::fb::DescType::STRING);
  m.AddMetadata("input_type_rt", "nv12");
  m.AddMetadata("input_type_train", "rgb");
  m.AddMetadata("calibration_type", "max");
  NetBuilder net(m, profile, 20240611u);

  constexpr float kInScale = 0.018f;  // normalized RGB spans about [-2.1, 2.3]
  constexpr float kAct = 0.05f;       // ReLU6 outputs: 6 / 127, rounded up
  const std::vector<float> mean = {123.675f, 116.28f, 103.53f};
  const std::vector<float> scale = {0.0171f, 0.0175f, 0.0174f};

  std::vector<int32_t> valid = {1, 3, 224, 224};
  int32_t image = net.Tensor("data", hb_dnn::runtime::ImageTensorShape(DataType::IMG_NV12, valid),
                             DataType::U8);
  int32_t rgb = net.Tensor("data_preprocessed", {1, 3, 224, 224}, DataType::F32);
  int32_t x = net.Tensor("data_quantized", {1, 3, 224, 224}, DataType::S8, PerTensor(kInScale));
  std::vector<uint32_t> pre = {
      net.CpuNode(
          "HZ_PREPROCESS_FOR_data", k::kPreprocessOp, {image}, {rgb},
          {Attr::String(k::kAttrInputTypeRt, "nv12"), Attr::String(k::kAttrInputLayoutRt, ""),
           Attr::String(k::kAttrInputTypeTrain, "rgb"),
           Attr::String(k::kAttrInputLayoutTrain, "NCHW"),
           Attr::String(k::kAttrNormType, "data_mean_and_scale"),
           Attr::Floats(k::kAttrMeanValue, mean), Attr::Floats(k::kAttrScaleValue, scale)},
          k::kPreprocessVersion, k::kHbDnnDomain),
      net.CpuNode("data_quantize", "QuantizeLinear",
                  {rgb, net.FloatConstant("data_scale", {kInScale}), net.ZeroPoint("data_zero")},
                  {x})};

  std::vector<float> ws;
  const std::string name = "classifier_nv12";
  // fc0: stem conv 3x3/2 and depthwise 3x3/2.
  int32_t w = net.Weights("conv1_weight", {16, 3, 3, 3}, 64, 0.01f, &ws);
  int32_t b = net.Bias("conv1_bias", 16, 200);
  int32_t a0 = net.Tensor("conv1_out", {1, 16, 112, 112}, DataType::S8, PerTensor(kAct));
  net.BpuNode("conv1", "Conv", {x, w, b}, {a0}, ConvAttrs(3, 2, 1, kInScale, ws, kAct, true),
              ConvMacs(16, 112, 112, 3, 3));
  w = net.Weights("dw1_weight", {16, 1, 3, 3}, 64, 0.008f, &ws);
  int32_t a1 = net.Tensor("dw1_out", {1, 16, 56, 56}, DataType::S8, PerTensor(kAct));
  net.BpuNode("dw1", "Conv", {a0, w}, {a1}, ConvAttrs(3, 2, 16, kAct, ws, kAct, true),
              ConvMacs(16, 56, 56, 1, 3));
  net.EndFunctionCall(name);
  // fc1: pointwise 16->32 and depthwise 3x3/2.
  w = net.Weights("pw1_weight", {32, 16, 1, 1}, 64, 0.006f, &ws);
  int32_t a2 = net.Tensor("pw1_out", {1, 32, 56, 56}, DataType::S8, PerTensor(kAct));
  net.BpuNode("pw1", "Conv", {a1, w}, {a2}, ConvAttrs(1, 1, 1, kAct, ws, kAct, true),
              ConvMacs(32, 56, 56, 16, 1));
  w = net.Weights("dw2_weight", {32, 1, 3, 3}, 64, 0.008f, &ws);
  int32_t a3 = net.Tensor("dw2_out", {1, 32, 28, 28}, DataType::S8, PerTensor(kAct));
  net.BpuNode("dw2", "Conv", {a2, w}, {a3}, ConvAttrs(3, 2, 32, kAct, ws, kAct, true),
              ConvMacs(32, 28, 28, 1, 3));
  net.EndFunctionCall(name);
  // fc2: pointwise 32->64, a residual depthwise branch, and the global pool.
  w = net.Weights("pw2_weight", {64, 32, 1, 1}, 64, 0.005f, &ws);
  int32_t a4 = net.Tensor("pw2_out", {1, 64, 28, 28}, DataType::S8, PerTensor(kAct));
  net.BpuNode("pw2", "Conv", {a3, w}, {a4}, ConvAttrs(1, 1, 1, kAct, ws, kAct, true),
              ConvMacs(64, 28, 28, 32, 1));
  w = net.Weights("dw3_weight", {64, 1, 3, 3}, 64, 0.008f, &ws);
  int32_t a5 = net.Tensor("dw3_out", {1, 64, 28, 28}, DataType::S8, PerTensor(kAct));
  net.BpuNode("dw3", "Conv", {a4, w}, {a5}, ConvAttrs(3, 1, 64, kAct, ws, kAct, false),
              ConvMacs(64, 28, 28, 1, 3));
  constexpr float kSum = 0.08f;
  int32_t a6 = net.Tensor("add_out", {1, 64, 28, 28}, DataType::S8, PerTensor(kSum));
  net.BpuNode("add", "Add", {a4, a5}, {a6},
              {Attr::Float("a_scale", kAct), Attr::Float("b_scale", kAct),
               Attr::Float("y_scale", kSum), Attr::Float("activation_min", 0.0f)},
              0);
  constexpr float kPool = 0.03f;
  int32_t g = net.Tensor("pool_out", {1, 64, 1, 1}, DataType::S8, PerTensor(kPool));
  net.BpuNode("pool", "GlobalAveragePool", {a6}, {g},
              {Attr::Float("x_scale", kSum), Attr::Float("y_scale", kPool)}, 0);
  net.EndFunctionCall(name);
  // fc3: the 1000-way classifier as a 1x1 conv, left as int32 accumulators.
  w = net.Weights("fc_weight", {1000, 64, 1, 1}, 127, 0.015f, &ws);
  b = net.Bias("fc_bias", 1000, 3000);
  std::vector<float> logit_scales = Products(kPool, ws);
  int32_t logits_q = net.Tensor("fc_out", {1, 1000, 1, 1}, DataType::S32,
                                PerChannel(logit_scales, 1));
  net.BpuNode("fc", "Conv", {g, w, b}, {logits_q}, ConvAttrs(1, 1, 1, kPool, ws, 0, false, true),
              ConvMacs(1000, 1, 1, 64, 1));
  net.EndFunctionCall(name);

  int32_t logits = net.Tensor("fc_out_dequantized", {1, 1000, 1, 1}, DataType::F32);
  int32_t flat = net.Tensor("logits", {1, 1000}, DataType::F32);
  int32_t prob = net.Tensor("prob", {1, 1000}, DataType::F32);
  std::vector<uint32_t> post = {
      net.CpuNode("fc_dequantize", "DequantizeLinear",
                  {logits_q, net.FloatConstant("fc_out_scale", logit_scales)}, {logits},
                  {Attr::Int("axis", 1)}),
      net.CpuNode("flatten", "Flatten", {logits}, {flat}, {Attr::Int("axis", 1)}),
      net.CpuNode("softmax", "Softmax", {flat}, {prob}, {Attr::Int("axis", 1)})};

  m.AddCpuSegment(pre, "CPU_classifier_nv12_subgraph_0");
  m.AddBpuSegment(net.TakeFunctionCalls(), "BPU_classifier_nv12_subgraph_0");
  m.AddCpuSegment(post, "CPU_classifier_nv12_subgraph_1");

  IoSpec in;
  in.name = "data";
  in.data_type = DataType::IMG_NV12;
  in.layout = Layout::NCHW;
  in.valid_shape = valid;
  in.input_source = hb_dnn::fb::InputSource::PYRAMID;
  HB_RETURN_IF_ERROR(m.AddInput(image, in));
  m.AddPreprocess({0, "nv12", "", "rgb", "NCHW", "data_mean_and_scale", mean, scale});

  IoSpec out;
  out.data_type = DataType::F32;
  out.layout = Layout::NONE;
  out.output_operator_type = 1;  // CONV
  return m.AddOutput(prob, out);
}

absl::Status BuildDetectorHead(ModelBuilder& m, const hb_dnn::bpu::MarchProfile& profile) {
  m.SetTag("hb_dnn demo detector head");
  m.SetDesc("{\"task\":\"detection\",\"anchors_per_cell\":1,\"classes\":80}",
            hb_dnn::fb::DescType::STRING);
  NetBuilder net(m, profile, 20240612u);
  constexpr float kInScale = 0.03f;
  constexpr float kHidden = 0.05f;
  const std::string name = "detector_head";

  int32_t feature = net.Tensor("feature", {1, 20, 20, 64}, DataType::F32);
  int32_t feature_q = net.Tensor("feature_quantized", {1, 20, 20, 64}, DataType::S8,
                                 PerTensor(kInScale));
  uint32_t quantize = net.CpuNode(
      "feature_quantize", "QuantizeLinear",
      {feature, net.FloatConstant("feature_scale", {kInScale}), net.ZeroPoint("feature_zero")},
      {feature_q});

  std::vector<float> ws;
  int32_t x = net.Tensor("feature_nchw", {1, 64, 20, 20}, DataType::S8, PerTensor(kInScale));
  net.BpuNode("to_nchw", "Transpose", {feature_q}, {x}, {Attr::Ints("perm", {0, 3, 1, 2})}, 0,
              true);
  int32_t w = net.Weights("neck_weight", {64, 64, 3, 3}, 64, 0.002f, &ws);
  int32_t b = net.Bias("neck_bias", 64, 500);
  int32_t h = net.Tensor("neck_out", {1, 64, 20, 20}, DataType::S8, PerTensor(kHidden));
  net.BpuNode("neck_conv", "Conv", {x, w, b}, {h}, ConvAttrs(3, 1, 1, kInScale, ws, kHidden, true),
              ConvMacs(64, 20, 20, 64, 3));
  w = net.Weights("head_weight", {85, 64, 1, 1}, 127, 0.003f, &ws);
  b = net.Bias("head_bias", 85, 4000);
  std::vector<float> out_scales = Products(kHidden, ws);
  int32_t y_nchw = net.Tensor("head_out_nchw", {1, 85, 20, 20}, DataType::S32,
                              PerChannel(out_scales, 1));
  net.BpuNode("head_conv", "Conv", {h, w, b}, {y_nchw},
              ConvAttrs(1, 1, 1, kHidden, ws, 0, false, true), ConvMacs(85, 20, 20, 64, 1));
  int32_t y = net.Tensor("head_out", {1, 20, 20, 85}, DataType::S32, PerChannel(out_scales, 3));
  net.BpuNode("to_nhwc", "Transpose", {y_nchw}, {y}, {Attr::Ints("perm", {0, 2, 3, 1})}, 0, true);
  net.EndFunctionCall(name);

  m.AddCpuSegment({quantize}, "CPU_detector_head_subgraph_0");
  m.AddBpuSegment(net.TakeFunctionCalls(), "BPU_detector_head_subgraph_0");

  IoSpec in;
  in.data_type = DataType::F32;
  in.layout = Layout::NHWC;
  HB_RETURN_IF_ERROR(m.AddInput(feature, in));
  IoSpec out;
  out.data_type = DataType::S32;
  out.layout = Layout::NHWC;
  out.bpu_side = true;
  out.quant = PerChannel(out_scales, 3);
  out.output_operator_type = 1;  // CONV
  return m.AddOutput(y, out);
}

absl::Status Run(const std::string& path) {
  HB_ASSIGN_OR_RETURN(const hb_dnn::bpu::MarchProfile* profile,
                      hb_dnn::bpu::FindMarchProfile(kMarch));
  std::printf("function-call durations on %s (%s): max(MACs / %.0f MAC/ns, bytes / %.1f B/ns), "
              "plus %lld us overhead per FC at run time\n",
              profile->march, profile->chip, profile->macs_per_ns, profile->bytes_per_ns,
              static_cast<long long>(profile->fc_overhead_ns / 1000));
  hb_dnn::tools::PackageBuilder package;
  HB_RETURN_IF_ERROR(BuildClassifier(package.AddModel("classifier_nv12", kMarch), *profile));
  HB_RETURN_IF_ERROR(BuildDetectorHead(package.AddModel("detector_head", kMarch), *profile));
  return package.WriteFile(path);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string usage = std::string("usage: ") + argv[0] + " OUTPUT.hbm\n";
  if (argc == 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
    std::cout << usage;
    return 0;
  }
  // Anything else starting with '-' is a mistyped option, not a file to write.
  if (argc != 2 || argv[1][0] == '-' || argv[1][0] == '\0') {
    std::cerr << usage;
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
