#include "tools/hb_mapper/quantize.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <tuple>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "src/base/status_macros.h"

namespace hb_dnn::mapper {
namespace {

constexpr char kBpuDomain[] = "hb_dnn.bpu";
constexpr int kBpuOpVersion = 1;
constexpr char kFusedClamp[] = "hb_dnn_fused_clamp";

runtime::QuantParams PerTensor(float scale) {
  runtime::QuantParams q;
  q.type = fb::QuantiType::SCALE;
  q.scale = {scale};
  return q;
}

runtime::QuantParams PerAxis(std::vector<float> scales, int32_t axis) {
  runtime::QuantParams q;
  q.type = fb::QuantiType::SCALE;
  q.axis = axis;
  q.scale = std::move(scales);
  return q;
}

int8_t QuantizeValue(double v, double scale) {
  double q = std::nearbyint(v / scale);
  return static_cast<int8_t>(std::min(127.0, std::max(-127.0, q)));
}

float AbsMaxScale(const std::vector<float>& values) {
  float m = 0;
  for (float v : values) m = std::max(m, std::fabs(v));
  return m > 0 ? m / 127.0f : 1.0f;
}

// A per-output-channel affine map y = acc * scale + shift folded into a Conv, whose result is
// then tensor `out` of the float graph.
struct ConvAffine {
  std::vector<float> scale;
  std::vector<float> shift;
  int32_t out = -1;
};

// A function the BPU evaluates by table (lut_function.h), found by FindLutFusions: the nodes of
// its pattern, keyed by the last one, compute out = f(x) * post_mul + post_add.
struct LutFusion {
  int32_t x = -1;
  std::string function;
  float alpha = 0.2f;  // HardSigmoid
  float beta = 0.5f;
  float post_mul = 1.0f;  // a scalar Mul and/or Add after the function, absorbed
  float post_add = 0.0f;
  int32_t out = -1;
  int x_readers = 1;  // nodes of the pattern that read x
  int32_t conv = -1;  // the BPU Conv writing x that computes the function too, or -1
};

// A Conv's fused function reads its input on a 12-bit grid (docs/int8_numerics.md) spanning this
// many times the int8 threshold of the input: values the calibration clipped still reach the
// function, at 8 times the int8 resolution.
constexpr double kFunctionInputHeadroom = 2.0;

class Rewriter {
 public:
  Rewriter(const Graph& graph, const Placement& placement, const std::vector<float>& scales,
           const QuantizeOptions& options, std::vector<std::string>* log)
      : fg_(graph), placement_(placement), scales_(scales), options_(options), log_(log) {
    out_.graph.name = graph.name;
    out_.graph.march = graph.march;
    out_.graph.tensors = graph.tensors;
    out_.graph.metadata = graph.metadata;
    int8_of_.assign(graph.tensors.size(), -1);
    float_ready_.assign(graph.tensors.size(), false);
    consumers_ = graph.Consumers();
    producers_ = graph.Producers();
    skipped_.assign(graph.nodes.size(), false);
    FindLutFusions();
    ResolveLutFusions();
  }

  absl::StatusOr<QuantizedGraph> Run() {
    for (const GraphIo& io : fg_.inputs) {
      float_ready_[io.tensor] = true;
      out_.graph.inputs.push_back(io);
    }
    for (size_t t = 0; t < fg_.tensors.size(); ++t) {
      if (fg_.tensors[t].constant) float_ready_[t] = true;
    }
    if (options_.keep_integer_inputs) HB_RETURN_IF_ERROR(IntegerInputs());
    for (size_t k = 0; k < fg_.nodes.size(); ++k) {
      const GraphNode& node = fg_.nodes[k];
      if (skipped_[k]) continue;
      auto fused = lut_fusions_.find(static_cast<int32_t>(k));
      if (fused != lut_fusions_.end()) {
        // A function computed by its Conv was emitted with the Conv.
        if (fused->second.conv < 0) HB_RETURN_IF_ERROR(EmitFusedLut(node, fused->second));
      } else if (placement_.on_bpu[k]) {
        HB_RETURN_IF_ERROR(RewriteBpu(node));
      } else {
        for (int32_t t : node.inputs) {
          if (t >= 0) HB_RETURN_IF_ERROR(EnsureFloat(t));
        }
        Emit(node, false);
        for (int32_t t : node.outputs) {
          if (t >= 0) float_ready_[t] = true;
        }
      }
    }
    for (const GraphIo& io : fg_.outputs) {
      GraphIo out = io;
      if (!float_ready_[io.tensor] && options_.keep_integer_outputs) {
        int32_t q = int8_of_[io.tensor];
        const GraphTensor& tensor = out_.graph.tensors[q];
        out.tensor = q;
        out.spec.data_type = tensor.type;
        out.spec.quant = tensor.quant;
        out.spec.layout = tensor.shape.size() == 4 ? fb::Layout::NCHW : fb::Layout::NONE;
        log_->push_back(absl::StrCat("output '", io.spec.name, "' stays integer (",
                                     tensor.type == fb::DataType::S32 ? "S32" : "S8",
                                     ", SCALE quantization): remove_node_type Dequantize"));
      } else {
        HB_RETURN_IF_ERROR(EnsureFloat(io.tensor));
      }
      out_.graph.outputs.push_back(out);
    }
    return std::move(out_);
  }

 private:
  // The BPU node writing run-time tensor `t`, when `t` has no other reader than one node and
  // is no model output (so a fusion may drop it); -1 otherwise.
  int32_t SoleBpuProducer(int32_t t) const {
    if (t < 0 || fg_.tensors[t].constant || consumers_[t].size() != 1 || fg_.IsGraphOutput(t)) {
      return -1;
    }
    int32_t p = producers_[t];
    return p >= 0 && placement_.on_bpu[p] ? p : -1;
  }

  // The single value of a constant tensor (any shape with one element), or NaN.
  float ScalarOf(int32_t t) const {
    if (t < 0 || !fg_.tensors[t].constant || fg_.tensors[t].num_elements() != 1) return NAN;
    return fg_.tensors[t].Floats()[0];
  }

  static bool Near(float v, double want) { return std::fabs(v - want) <= 1e-5 * std::fabs(want); }

  // Clip bounds (opset 11+: inputs, before: attributes); infinite when absent.
  std::pair<float, float> ClipBounds(const GraphNode& node) const {
    float lo = -std::numeric_limits<float>::infinity();
    float hi = std::numeric_limits<float>::infinity();
    if (node.op_version < 11) {
      lo = node.Float("min", lo);
      hi = node.Float("max", hi);
    } else {
      if (node.inputs.size() > 1 && node.inputs[1] >= 0) {
        lo = fg_.tensors[node.inputs[1]].Floats()[0];
      }
      if (node.inputs.size() > 2 && node.inputs[2] >= 0) {
        hi = fg_.tensors[node.inputs[2]].Floats()[0];
      }
    }
    return {lo, hi};
  }

  // Per output channel values of constant `t` for a Conv with `channels` outputs ([], [1],
  // [C,1,1] or [1,C,1,1]); empty when it is not such a constant.
  std::vector<float> ChannelConstant(int32_t t, int64_t channels) const {
    if (t < 0 || !fg_.tensors[t].constant || fg_.tensors[t].type != fb::DataType::F32) return {};
    std::vector<float> values = fg_.tensors[t].Floats();
    if (values.size() == 1) return std::vector<float>(static_cast<size_t>(channels), values[0]);
    std::vector<int64_t> shape = fg_.tensors[t].shape;
    while (!shape.empty() && shape.front() == 1) shape.erase(shape.begin());
    if (shape != std::vector<int64_t>{channels, 1, 1}) return {};
    return values;
  }

  // A Conv whose only reader is Mul by a per-channel constant, optionally followed by Add of
  // one (or only the Add), as exporters write BatchNormalization and learnable affine blocks:
  // the affine map is folded into the Conv's float weights and bias before quantization, which
  // saves two requantizations and the per-tensor quantization of the constants.
  void FindConvAffine(int32_t k) {
    const GraphNode& conv = fg_.nodes[k];
    if (conv.op_type != "Conv" || conv.FindAttr(kFusedClamp) != nullptr) return;
    if (options_.weight_scales.count(fg_.tensors[conv.inputs[1]].name) > 0) return;
    const int64_t channels = fg_.tensors[conv.inputs[1]].shape[0];
    ConvAffine affine;
    affine.scale.assign(static_cast<size_t>(channels), 1.0f);
    affine.shift.assign(static_cast<size_t>(channels), 0.0f);
    int32_t t = conv.outputs[0];
    std::vector<int32_t> folded;
    for (const char* op : {"Mul", "Add"}) {
      if (consumers_[t].size() != 1 || fg_.IsGraphOutput(t)) break;
      int32_t r = consumers_[t][0];
      const GraphNode& reader = fg_.nodes[r];
      if (!placement_.on_bpu[r] || reader.op_type != op || reader.inputs.size() != 2) continue;
      int32_t other = reader.inputs[0] == t ? reader.inputs[1] : reader.inputs[0];
      std::vector<float> c = ChannelConstant(other, channels);
      if (c.empty()) continue;
      for (int64_t ch = 0; ch < channels; ++ch) {
        if (std::string(op) == "Mul") {
          affine.scale[ch] *= c[ch];
          affine.shift[ch] *= c[ch];
        } else {
          affine.shift[ch] += c[ch];
        }
      }
      folded.push_back(r);
      t = reader.outputs[0];
    }
    if (folded.empty()) return;
    for (int32_t r : folded) skipped_[r] = true;
    affine.out = t;
    conv_affine_[k] = std::move(affine);
  }

  // Activation functions the exporters spell out as several element-wise nodes become one Lut
  // (docs/int8_numerics.md), evaluated exactly on the int8 grid instead of through a chain of
  // requantized intermediates: SiLU = Mul(x, Sigmoid(x)), HardSwish = x * Clip(x + 3, 0, 6) / 6
  // (Div by 6 or Mul by 1/6) and Mul(x, HardSigmoid(x)) with alpha 1/6, beta 0.5. Every node of
  // the pattern must be on the BPU and every intermediate read only inside it. Also finds the
  // Conv affine folds (FindConvAffine).
  void FindLutFusions() {
    for (size_t k = 0; k < fg_.nodes.size(); ++k) {
      const GraphNode& node = fg_.nodes[k];
      if (!placement_.on_bpu[k] || !node.domain.empty() || skipped_[k]) continue;
      if (node.op_type == "Conv") FindConvAffine(static_cast<int32_t>(k));
      if (node.op_type == "Mul" && node.inputs.size() == 2) {
        for (int side = 0; side < 2; ++side) {
          int32_t x = node.inputs[side];
          int32_t g = SoleBpuProducer(node.inputs[1 - side]);
          if (g < 0 || fg_.nodes[g].inputs[0] != x || x < 0 || fg_.tensors[x].constant) continue;
          const GraphNode& gate = fg_.nodes[g];
          const char* function = nullptr;
          if (gate.op_type == "Sigmoid") function = "SiLU";
          if (gate.op_type == "HardSigmoid" && Near(gate.Float("alpha", 0.2f), 1.0 / 6.0) &&
              Near(gate.Float("beta", 0.5f), 0.5)) {
            function = "HardSwish";
          }
          if (function == nullptr) continue;
          skipped_[g] = true;
          LutFusion fusion;
          fusion.x = x;
          fusion.function = function;
          fusion.x_readers = 2;
          lut_fusions_[static_cast<int32_t>(k)] = fusion;
          break;
        }
        if (lut_fusions_.count(static_cast<int32_t>(k)) > 0) continue;
      }
      // HardSwish: last node Div(p, 6) or Mul(p, 1/6), p = Mul(x, c), c = Clip(a, 0, 6),
      // a = Add(x, 3).
      bool by_div = node.op_type == "Div" && Near(ScalarOf(node.inputs[1]), 6.0);
      bool by_mul = node.op_type == "Mul" && node.inputs.size() == 2 &&
                    (Near(ScalarOf(node.inputs[1]), 1.0 / 6.0) ||
                     Near(ScalarOf(node.inputs[0]), 1.0 / 6.0));
      if (!by_div && !by_mul) continue;
      int32_t p_in = by_mul && Near(ScalarOf(node.inputs[0]), 1.0 / 6.0) ? node.inputs[1]
                                                                          : node.inputs[0];
      int32_t pm = SoleBpuProducer(p_in);
      if (pm < 0 || fg_.nodes[pm].op_type != "Mul" || fg_.nodes[pm].inputs.size() != 2) continue;
      for (int side = 0; side < 2; ++side) {
        int32_t x = fg_.nodes[pm].inputs[side];
        int32_t cl = SoleBpuProducer(fg_.nodes[pm].inputs[1 - side]);
        if (x < 0 || fg_.tensors[x].constant || cl < 0 || fg_.nodes[cl].op_type != "Clip") continue;
        std::pair<float, float> bounds = ClipBounds(fg_.nodes[cl]);
        if (bounds.first != 0.0f || bounds.second != 6.0f) continue;
        int32_t ad = SoleBpuProducer(fg_.nodes[cl].inputs[0]);
        if (ad < 0 || fg_.nodes[ad].op_type != "Add") continue;
        const GraphNode& add = fg_.nodes[ad];
        bool plus_three = (add.inputs[0] == x && Near(ScalarOf(add.inputs[1]), 3.0)) ||
                          (add.inputs[1] == x && Near(ScalarOf(add.inputs[0]), 3.0));
        if (!plus_three) continue;
        skipped_[pm] = skipped_[cl] = skipped_[ad] = true;
        LutFusion fusion;
        fusion.x = x;
        fusion.function = "HardSwish";
        fusion.x_readers = 2;
        lut_fusions_[static_cast<int32_t>(k)] = fusion;
        break;
      }
    }
    // The functions that stand alone as one node (after the patterns took their gates).
    for (size_t k = 0; k < fg_.nodes.size(); ++k) {
      const GraphNode& node = fg_.nodes[k];
      const std::string& op = node.op_type;
      if (!placement_.on_bpu[k] || !node.domain.empty() || skipped_[k] ||
          lut_fusions_.count(static_cast<int32_t>(k)) > 0 ||
          (op != "Sigmoid" && op != "Tanh" && op != "HardSigmoid" && op != "HardSwish") ||
          node.inputs[0] < 0 || fg_.tensors[node.inputs[0]].constant) {
        continue;
      }
      LutFusion fusion;
      fusion.x = node.inputs[0];
      fusion.function = op;
      if (op == "HardSigmoid") {
        fusion.alpha = node.Float("alpha", 0.2f);
        fusion.beta = node.Float("beta", 0.5f);
      }
      lut_fusions_[static_cast<int32_t>(k)] = fusion;
    }
  }

  // The BPU node reading `t`, when it is the only reader, is not a fusion's and `t` is no model
  // output; -1 otherwise.
  int32_t SoleFreeBpuReader(int32_t t) const {
    if (consumers_[t].size() != 1 || fg_.IsGraphOutput(t)) return -1;
    int32_t r = consumers_[t][0];
    if (!placement_.on_bpu[r] || skipped_[r] || lut_fusions_.count(r) > 0) return -1;
    return r;
  }

  // Completes each function of lut_fusions_: a scalar Mul and then a scalar Add reading its
  // result alone (the learnable affine blocks after activations) join the table, and a BPU Conv
  // whose result only the function reads computes the function in its output stage, so the
  // function's input is never rounded to int8 (docs/int8_numerics.md, fused function).
  void ResolveLutFusions() {
    std::map<int32_t, int32_t> conv_writing;  // float tensor -> BPU Conv computing it
    for (size_t k = 0; k < fg_.nodes.size(); ++k) {
      const GraphNode& node = fg_.nodes[k];
      if (node.op_type != "Conv" || !node.domain.empty() || !placement_.on_bpu[k] ||
          skipped_[k] || node.FindAttr(kFusedClamp) != nullptr) {
        continue;
      }
      auto affine = conv_affine_.find(static_cast<int32_t>(k));
      conv_writing[affine != conv_affine_.end() ? affine->second.out : node.outputs[0]] =
          static_cast<int32_t>(k);
    }
    for (auto& [k, fusion] : lut_fusions_) {
      fusion.out = fg_.nodes[k].outputs[0];
      for (const char* op : {"Mul", "Add"}) {
        int32_t r = SoleFreeBpuReader(fusion.out);
        if (r < 0 || fg_.nodes[r].op_type != op || fg_.nodes[r].inputs.size() != 2) continue;
        const GraphNode& reader = fg_.nodes[r];
        float c = ScalarOf(reader.inputs[0] == fusion.out ? reader.inputs[1] : reader.inputs[0]);
        if (!std::isfinite(c) || (std::string(op) == "Mul" && c == 0.0f)) continue;
        if (std::string(op) == "Mul") {
          fusion.post_mul *= c;
          fusion.post_add *= c;
        } else {
          fusion.post_add += c;
        }
        skipped_[r] = true;
        fusion.out = reader.outputs[0];
      }
      auto conv = conv_writing.find(fusion.x);
      if (conv == conv_writing.end() || fg_.IsGraphOutput(fusion.x) ||
          static_cast<int>(consumers_[fusion.x].size()) != fusion.x_readers) {
        continue;
      }
      fusion.conv = conv->second;
      conv_function_[conv->second] = k;
    }
  }

  // The table's attributes (lut_function.h) under `prefix` ("" for Lut, "lut_" for a Conv).
  static void AddFunctionAttributes(const LutFusion& fusion, const std::string& prefix,
                                    GraphNode* q) {
    q->attributes.push_back(tools::Attr::String(prefix + "function", fusion.function));
    if (fusion.function == "HardSigmoid") {
      q->attributes.push_back(tools::Attr::Float(prefix + "alpha", fusion.alpha));
      q->attributes.push_back(tools::Attr::Float(prefix + "beta", fusion.beta));
    }
    if (fusion.post_mul != 1.0f) {
      q->attributes.push_back(tools::Attr::Float(prefix + "post_mul", fusion.post_mul));
    }
    if (fusion.post_add != 0.0f) {
      q->attributes.push_back(tools::Attr::Float(prefix + "post_add", fusion.post_add));
    }
  }

  absl::Status EmitFusedLut(const GraphNode& node, const LutFusion& fusion) {
    HB_RETURN_IF_ERROR(NeedScale(fusion.out, node));
    GraphNode q;
    q.name = node.name;
    q.op_type = "Lut";
    q.domain = kBpuDomain;
    q.op_version = kBpuOpVersion;
    HB_ASSIGN_OR_RETURN(int32_t xq, EnsureInt8(fusion.x, node));
    q.inputs = {xq};
    AddFunctionAttributes(fusion, "", &q);
    q.attributes.push_back(tools::Attr::Float("x_scale", scales_[fusion.x]));
    q.attributes.push_back(tools::Attr::Float("y_scale", scales_[fusion.out]));
    q.outputs = {NewInt8Tensor(fusion.out, scales_[fusion.out])};
    int8_of_[fusion.out] = q.outputs[0];
    Emit(std::move(q), true);
    return absl::OkStatus();
  }

  float ScaleOf(int32_t t, const GraphNode& /*node*/) const {
    return t >= 0 && t < static_cast<int32_t>(scales_.size()) ? scales_[t] : 0.0f;
  }

  absl::Status NeedScale(int32_t t, const GraphNode& node) const {
    if (ScaleOf(t, node) > 0) return absl::OkStatus();
    return absl::FailedPreconditionError(absl::StrCat(
        node.Label(), ": tensor '", fg_.tensors[t].name,
        "' has no activation scale (no calibration data and no QDQ scale for it)"));
  }

  void Emit(GraphNode node, bool bpu) {
    out_.graph.nodes.push_back(std::move(node));
    out_.on_bpu.push_back(bpu);
  }

  int32_t NewInt8Tensor(int32_t t, float scale) {
    const GraphTensor& f = fg_.tensors[t];
    int32_t q = out_.graph.AddTensor(f.name + "_int8", f.shape, fb::DataType::S8);
    out_.graph.tensors[q].quant = PerTensor(scale);
    return q;
  }

  int32_t ScalarConstant(const std::string& name, std::vector<float> values) {
    return out_.graph.AddConstant(name, {static_cast<int64_t>(values.size())},
                                  fb::DataType::F32, BytesOf(values));
  }

  absl::Status IntegerInputs() {
    for (GraphIo& io : out_.graph.inputs) {
      int32_t t = io.tensor;
      bool all_bpu = !consumers_[t].empty();
      for (int32_t c : consumers_[t]) all_bpu = all_bpu && placement_.on_bpu[c];
      if (!all_bpu || scales_[t] <= 0) continue;
      int32_t q = NewInt8Tensor(t, scales_[t]);
      int8_of_[t] = q;
      float_ready_[t] = false;
      io.tensor = q;
      io.spec.data_type = fb::DataType::S8;
      io.spec.quant = PerTensor(scales_[t]);
      log_->push_back(absl::StrCat("input '", io.spec.name,
                                   "' is S8 (remove_node_type Quantize), scale ", scales_[t]));
    }
    return absl::OkStatus();
  }

  // The int8 version of run-time float tensor `t`, quantizing it on the CPU when needed.
  absl::StatusOr<int32_t> EnsureInt8(int32_t t, const GraphNode& reader) {
    if (int8_of_[t] >= 0) return int8_of_[t];
    HB_RETURN_IF_ERROR(NeedScale(t, reader));
    float scale = scales_[t];
    int32_t q = NewInt8Tensor(t, scale);
    const std::string& name = fg_.tensors[t].name;
    GraphNode node;
    node.name = name + "_quantize";
    node.op_type = "QuantizeLinear";
    node.op_version = 13;
    node.inputs = {t, ScalarConstant(name + "_quantize_scale", {scale}),
                   out_.graph.AddConstant(name + "_quantize_zero_point", {1}, fb::DataType::S8,
                                          std::string(1, '\0'))};
    node.outputs = {q};
    Emit(std::move(node), false);
    int8_of_[t] = q;
    return q;
  }

  // Makes float tensor `t` available (dequantizing its integer version when the BPU wrote it).
  absl::Status EnsureFloat(int32_t t) {
    if (float_ready_[t]) return absl::OkStatus();
    int32_t q = int8_of_[t];
    // A copy: ScalarConstant adds a tensor, which may move the graph's tensors.
    const auto quant = out_.graph.tensors[q].quant;
    const std::string& name = fg_.tensors[t].name;
    GraphNode node;
    node.name = name + "_dequantize";
    node.op_type = "DequantizeLinear";
    node.op_version = 13;
    node.inputs = {q, ScalarConstant(name + "_dequantize_scale", quant.scale)};
    if (quant.scale.size() > 1) node.attributes.push_back(tools::Attr::Int("axis", quant.axis));
    node.outputs = {t};
    Emit(std::move(node), false);
    float_ready_[t] = true;
    return absl::OkStatus();
  }

  // Whether the accumulating node writing `t` may keep int32 accumulators: no BPU reader.
  bool OnlyCpuReaders(int32_t t) const {
    for (int32_t c : consumers_[t]) {
      if (placement_.on_bpu[c]) return false;
    }
    return true;
  }

  int32_t Int8Operand(int32_t t, const GraphNode& node, float* scale, bool reciprocal = false) {
    const GraphTensor& c = fg_.tensors[t];
    std::vector<float> values = c.Floats();
    if (reciprocal) {
      for (float& v : values) v = 1.0f / v;
    }
    *scale = AbsMaxScale(values);
    std::string bytes(values.size(), '\0');
    for (size_t k = 0; k < values.size(); ++k) {
      bytes[k] = static_cast<char>(QuantizeValue(values[k], *scale));
    }
    int32_t q = out_.graph.AddConstant(absl::StrCat(node.name, "_", c.name, "_int8"), c.shape,
                                       fb::DataType::S8, std::move(bytes));
    out_.graph.tensors[q].quant = PerTensor(*scale);
    return q;
  }

  // Activation bounds of the BPU op from a fused clamp, if any.
  void AddBounds(const GraphNode& from, GraphNode* to) {
    const tools::Attr* clamp = from.FindAttr(kFusedClamp);
    if (clamp == nullptr || clamp->floats.size() != 2) return;
    if (std::isfinite(clamp->floats[0])) {
      to->attributes.push_back(tools::Attr::Float("activation_min", clamp->floats[0]));
    }
    if (std::isfinite(clamp->floats[1])) {
      to->attributes.push_back(tools::Attr::Float("activation_max", clamp->floats[1]));
    }
  }

  absl::Status RewriteBpu(const GraphNode& node) {
    const std::string& op = node.op_type;
    GraphNode q;
    q.name = node.name;
    q.op_type = op;
    q.domain = kBpuDomain;
    q.op_version = kBpuOpVersion;
    int32_t out = node.outputs[0];
    if (IsDataMovementOp(node)) {
      q = node;
      HB_ASSIGN_OR_RETURN(q.inputs[0], EnsureInt8(node.inputs[0], node));
      q.outputs = {NewInt8Tensor(out, scales_[node.inputs[0]])};
      int8_of_[out] = q.outputs[0];
      Emit(std::move(q), true);
      return absl::OkStatus();
    }
    HB_RETURN_IF_ERROR(NeedScale(out, node));
    const float y_scale = scales_[out];
    const float x_scale = ScaleOf(node.inputs[0], node);
    if (op == "Conv" || op == "Gemm" || op == "MatMul") return RewriteAccumulating(node);
    if (op == "MaxPool" || op == "AveragePool" || op == "GlobalAveragePool" || op == "Resize" ||
        op == "Relu" || op == "Clip") {
      HB_ASSIGN_OR_RETURN(int32_t x, EnsureInt8(node.inputs[0], node));
      q.inputs = {x};
      for (const char* name : {"kernel_shape", "strides", "pads", "dilations", "ceil_mode",
                               "count_include_pad"}) {
        if (op != "Resize" && node.FindAttr(name) != nullptr) q.SetAttr(*node.FindAttr(name));
      }
      if (op == "AveragePool") q.EraseAttr("dilations");
      if (op != "MaxPool") {
        q.attributes.push_back(tools::Attr::Float("x_scale", x_scale));
        q.attributes.push_back(tools::Attr::Float("y_scale", y_scale));
      }
      if (op == "Resize") {
        bool v11 = node.op_version >= 11;
        q.attributes.push_back(tools::Attr::String("mode", node.String("mode", "nearest")));
        q.attributes.push_back(tools::Attr::String(
            "coordinate_transformation_mode",
            node.String("coordinate_transformation_mode", v11 ? "half_pixel" : "asymmetric")));
        q.attributes.push_back(tools::Attr::String(
            "nearest_mode", node.String("nearest_mode", v11 ? "round_prefer_floor" : "floor")));
        q.attributes.push_back(tools::Attr::Ints("sizes", fg_.tensors[out].shape));
      }
      if (op == "Relu" || op == "Clip") {
        q.op_type = "Add";
        q.attributes.clear();
        int32_t zero = out_.graph.AddConstant(node.name + "_zero", {1}, fb::DataType::S8,
                                              std::string(1, '\0'));
        out_.graph.tensors[zero].quant = PerTensor(1.0f);
        q.inputs.push_back(zero);
        q.attributes.push_back(tools::Attr::Float("a_scale", x_scale));
        q.attributes.push_back(tools::Attr::Float("b_scale", 1.0f));
        q.attributes.push_back(tools::Attr::Float("y_scale", y_scale));
        float lo = 0, hi = std::numeric_limits<float>::infinity();
        if (op == "Clip") std::tie(lo, hi) = ClipBounds(node);
        if (std::isfinite(lo)) q.attributes.push_back(tools::Attr::Float("activation_min", lo));
        if (std::isfinite(hi)) q.attributes.push_back(tools::Attr::Float("activation_max", hi));
      }
      float out_scale = op == "MaxPool" ? x_scale : y_scale;
      q.outputs = {NewInt8Tensor(out, out_scale)};
      int8_of_[out] = q.outputs[0];
      Emit(std::move(q), true);
      return absl::OkStatus();
    }
    if (op == "Add" || op == "Mul" || op == "Div" || op == "Concat") {
      // Div by a constant (placement.h) is a Mul by its reciprocal.
      if (op == "Div") q.op_type = "Mul";
      std::vector<float> in_scales;
      for (size_t k = 0; k < node.inputs.size(); ++k) {
        int32_t t = node.inputs[k];
        float s = 0;
        int32_t qt;
        if (fg_.tensors[t].constant) {
          qt = Int8Operand(t, node, &s, op == "Div" && k == 1);
        } else {
          HB_ASSIGN_OR_RETURN(qt, EnsureInt8(t, node));
          s = scales_[t];
        }
        q.inputs.push_back(qt);
        in_scales.push_back(s);
      }
      if (op == "Concat") {
        q.attributes.push_back(tools::Attr::Int("axis", node.Int("axis", 0)));
        q.attributes.push_back(tools::Attr::Floats("x_scales", in_scales));
      } else {
        q.attributes.push_back(tools::Attr::Float("a_scale", in_scales[0]));
        q.attributes.push_back(tools::Attr::Float("b_scale", in_scales[1]));
      }
      q.attributes.push_back(tools::Attr::Float("y_scale", y_scale));
      q.outputs = {NewInt8Tensor(out, y_scale)};
      int8_of_[out] = q.outputs[0];
      Emit(std::move(q), true);
      return absl::OkStatus();
    }
    return absl::InternalError(absl::StrCat(node.Label(), " has no int8 rewrite"));
  }

  absl::Status RewriteAccumulating(const GraphNode& node) {
    const std::string& op = node.op_type;
    int32_t out = node.outputs[0];
    const ConvAffine* affine = nullptr;
    if (auto it = conv_affine_.find(static_cast<int32_t>(&node - fg_.nodes.data()));
        it != conv_affine_.end()) {
      affine = &it->second;
      out = affine->out;
    }
    GraphNode q;
    q.name = node.name;
    q.op_type = op;
    q.domain = kBpuDomain;
    q.op_version = kBpuOpVersion;
    HB_ASSIGN_OR_RETURN(int32_t x, EnsureInt8(node.inputs[0], node));
    const float x_scale = scales_[node.inputs[0]];
    const GraphTensor& w = fg_.tensors[node.inputs[1]];
    bool trans_b = op == "Gemm" && node.Int("transB", 0) != 0;
    int64_t channels = op == "Conv" ? w.shape[0] : (trans_b ? w.shape[0] : w.shape[1]);
    std::vector<float> w_scales;
    const std::vector<float>* fixed = nullptr;
    auto found = options_.weight_scales.find(w.name);
    if (found != options_.weight_scales.end()) {
      if (found->second.size() == static_cast<size_t>(channels)) {
        fixed = &found->second;
      } else if (found->second.size() == 1) {
        fixed_storage_.assign(static_cast<size_t>(channels), found->second[0]);
        fixed = &fixed_storage_;
      }
    }
    std::vector<float> w_values = w.Floats();
    if (affine != nullptr) {
      const size_t per_channel = w_values.size() / static_cast<size_t>(channels);
      for (size_t e = 0; e < w_values.size(); ++e) w_values[e] *= affine->scale[e / per_channel];
    }
    std::string w_bytes = QuantizeWeights(w_values, channels, op != "Conv" && !trans_b,
                                          &w_scales, fixed);
    int32_t wq = out_.graph.AddConstant(w.name + "_int8", w.shape, fb::DataType::S8,
                                        std::move(w_bytes));
    out_.graph.tensors[wq].quant = PerAxis(w_scales, op != "Conv" && !trans_b ? 1 : 0);
    q.inputs = {x, wq};
    int32_t bias = node.inputs.size() > 2 ? node.inputs[2] : -1;
    if ((bias >= 0 || affine != nullptr) && op != "MatMul") {
      std::vector<float> b = bias >= 0 ? fg_.tensors[bias].Floats() : std::vector<float>{0.0f};
      if (affine != nullptr) {
        std::vector<float> folded(static_cast<size_t>(channels));
        for (int64_t c = 0; c < channels; ++c) {
          folded[c] = b[b.size() == 1 ? 0 : c] * affine->scale[c] + affine->shift[c];
        }
        b = std::move(folded);
      }
      std::vector<int32_t> bq(static_cast<size_t>(channels));
      for (int64_t c = 0; c < channels; ++c) {
        double v = std::nearbyint(static_cast<double>(b[b.size() == 1 ? 0 : c]) /
                                  (static_cast<double>(x_scale) * w_scales[c]));
        v = std::min<double>(std::numeric_limits<int32_t>::max(),
                             std::max<double>(std::numeric_limits<int32_t>::min(), v));
        bq[c] = static_cast<int32_t>(v);
      }
      std::string bias_name = bias >= 0 ? fg_.tensors[bias].name : node.name + "_bias";
      q.inputs.push_back(out_.graph.AddConstant(bias_name + "_int32", {channels},
                                                fb::DataType::S32, BytesOf(bq)));
    }
    if (op == "Conv") {
      const std::vector<int64_t> kernel = {w.shape[2], w.shape[3]};
      q.attributes.push_back(node.FindAttr("kernel_shape") != nullptr
                                 ? *node.FindAttr("kernel_shape")
                                 : tools::Attr::Ints("kernel_shape", kernel));
      for (const char* name : {"strides", "pads", "dilations", "group"}) {
        if (node.FindAttr(name) != nullptr) q.attributes.push_back(*node.FindAttr(name));
      }
    }
    if (op == "Gemm") q.attributes.push_back(tools::Attr::Int("transB", trans_b ? 1 : 0));
    q.attributes.push_back(tools::Attr::Float("x_scale", x_scale));
    q.attributes.push_back(tools::Attr::Floats("w_scale", w_scales));
    bool bounded = node.FindAttr(kFusedClamp) != nullptr;
    auto function = conv_function_.find(static_cast<int32_t>(&node - fg_.nodes.data()));
    bool wide = !bounded && function == conv_function_.end() && OnlyCpuReaders(out);
    if (function != conv_function_.end()) {
      const LutFusion& fusion = lut_fusions_.at(function->second);
      HB_RETURN_IF_ERROR(NeedScale(out, node));
      HB_RETURN_IF_ERROR(NeedScale(fusion.out, node));
      q.attributes.push_back(tools::Attr::Float("y_scale", scales_[fusion.out]));
      AddFunctionAttributes(fusion, "lut_", &q);
      q.attributes.push_back(tools::Attr::Float(
          "lut_x_scale",
          static_cast<float>(scales_[out] * 127.0 * kFunctionInputHeadroom / 2047.0)));
      q.outputs = {NewInt8Tensor(fusion.out, scales_[fusion.out])};
      int8_of_[fusion.out] = q.outputs[0];
    } else if (wide) {
      std::vector<float> acc_scales;
      for (float s : w_scales) {
        acc_scales.push_back(static_cast<float>(static_cast<double>(x_scale) * s));
      }
      q.attributes.push_back(tools::Attr::Int("output_type", 32));
      const GraphTensor& f = fg_.tensors[out];
      int32_t acc = out_.graph.AddTensor(f.name + "_int32", f.shape, fb::DataType::S32);
      int32_t axis = op == "Conv" ? 1 : static_cast<int32_t>(f.shape.size()) - 1;
      out_.graph.tensors[acc].quant = PerAxis(acc_scales, axis);
      q.outputs = {acc};
      int8_of_[out] = acc;
    } else {
      HB_RETURN_IF_ERROR(NeedScale(out, node));
      q.attributes.push_back(tools::Attr::Float("y_scale", scales_[out]));
      AddBounds(node, &q);
      q.outputs = {NewInt8Tensor(out, scales_[out])};
      int8_of_[out] = q.outputs[0];
    }
    Emit(std::move(q), true);
    return absl::OkStatus();
  }

  const Graph& fg_;
  const Placement& placement_;
  const std::vector<float>& scales_;
  QuantizeOptions options_;
  std::vector<std::string>* log_;
  QuantizedGraph out_;
  std::vector<int32_t> int8_of_;
  std::vector<bool> float_ready_;
  std::vector<std::vector<int32_t>> consumers_;
  std::vector<int32_t> producers_;
  std::vector<bool> skipped_;  // float nodes folded into a fused Lut or a Conv
  std::map<int32_t, ConvAffine> conv_affine_;  // Conv node -> folded Mul/Add
  std::map<int32_t, LutFusion> lut_fusions_;  // keyed by the pattern's last node
  std::map<int32_t, int32_t> conv_function_;  // Conv node -> key of the function it computes
  std::vector<float> fixed_storage_;
};

}  // namespace

std::string QuantizeWeights(const std::vector<float>& values, int64_t channels,
                            bool channel_axis_last, std::vector<float>* channel_scales,
                            const std::vector<float>* fixed_scales) {
  const int64_t per_channel = static_cast<int64_t>(values.size()) / channels;
  auto index = [&](int64_t c, int64_t k) {
    return channel_axis_last ? k * channels + c : c * per_channel + k;
  };
  channel_scales->assign(static_cast<size_t>(channels), 1.0f);
  std::string bytes(values.size(), '\0');
  for (int64_t c = 0; c < channels; ++c) {
    float m = 0;
    for (int64_t k = 0; k < per_channel; ++k) m = std::max(m, std::fabs(values[index(c, k)]));
    float scale = m > 0 ? m / 127.0f : 1.0f;
    if (fixed_scales != nullptr && (*fixed_scales)[c] > 0) scale = (*fixed_scales)[c];
    (*channel_scales)[c] = scale;
    for (int64_t k = 0; k < per_channel; ++k) {
      bytes[index(c, k)] = static_cast<char>(QuantizeValue(values[index(c, k)], scale));
    }
  }
  return bytes;
}

void PropagateScales(const Graph& graph, const Placement& placement, std::vector<float>* scales) {
  const std::vector<std::vector<int32_t>> consumers = graph.Consumers();
  const std::vector<int32_t> producers = graph.Producers();
  auto passes_scale_on = [&](int32_t n) {
    return n >= 0 && placement.on_bpu[n] &&
           (graph.nodes[n].op_type == "MaxPool" || IsDataMovementOp(graph.nodes[n]));
  };
  for (size_t k = 0; k < graph.nodes.size(); ++k) {
    const GraphNode& node = graph.nodes[k];
    if (!placement.on_bpu[k]) continue;
    if (passes_scale_on(static_cast<int32_t>(k))) {
      (*scales)[node.outputs[0]] = (*scales)[node.inputs[0]];
    }
    // A Concat input only the Concat reads is written on the Concat's grid right away: the
    // Concat then copies it instead of rounding it a second time.
    const float concat_scale = (*scales)[node.outputs[0]];
    if (node.op_type != "Concat" || !(concat_scale > 0)) continue;
    for (int32_t t : node.inputs) {
      if (t < 0 || graph.tensors[t].constant || consumers[t].size() != 1 ||
          graph.IsGraphOutput(t) || passes_scale_on(producers[t])) {
        continue;
      }
      (*scales)[t] = concat_scale;
    }
  }
}

absl::StatusOr<QuantizedGraph> QuantizeGraph(const Graph& graph, const Placement& placement,
                                             const std::vector<float>& scales,
                                             const QuantizeOptions& options,
                                             std::vector<std::string>* log) {
  Rewriter rewriter(graph, placement, scales, options, log);
  return rewriter.Run();
}

}  // namespace hb_dnn::mapper
