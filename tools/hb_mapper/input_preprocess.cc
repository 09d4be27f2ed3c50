#include "tools/hb_mapper/input_preprocess.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/base/status_macros.h"
#include "src/kernels/op_registry.h"
#include "src/kernels/reference/preprocess.h"
#include "tools/hb_mapper/graph_runner.h"
#include "tools/hb_mapper/preprocess_node.h"

namespace hb_dnn::mapper {
namespace {

bool IsInputPreprocess(const GraphNode& node) {
  return node.op_type == kernels::kPreprocessOp && node.domain == kernels::kHbDnnDomain &&
         node.inputs.size() == 1 && node.outputs.size() == 1;
}

// The Preprocess node reading graph input tensor `tensor`, or -1.
int32_t PreprocessNodeOf(const Graph& graph, int32_t tensor) {
  for (size_t n = 0; n < graph.nodes.size(); ++n) {
    if (IsInputPreprocess(graph.nodes[n]) && graph.nodes[n].inputs[0] == tensor) {
      return static_cast<int32_t>(n);
    }
  }
  return -1;
}

using Rgb = std::array<double, 3>;

Rgb YuvToRgb(double y, double u, double v) {
  u -= 128.0;
  v -= 128.0;
  return {y + 1.402 * v, y - 0.344136 * u - 0.714136 * v, y + 1.772 * u};
}

Rgb RgbToYuv(const Rgb& p) {
  return {0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2],
          -0.168736 * p[0] - 0.331264 * p[1] + 0.5 * p[2] + 128.0,
          0.5 * p[0] - 0.418688 * p[1] - 0.081312 * p[2] + 128.0};
}

float ToByte(double v) { return static_cast<float>(std::nearbyint(std::clamp(v, 0.0, 255.0))); }

// Per-channel mean and scale as the Preprocess op applies them (y = (x - mean) * scale).
absl::Status NormOf(const GraphNode& node, const std::string& what, int64_t channels,
                    std::vector<double>* mean, std::vector<double>* scale) {
  const std::string norm = node.String(kernels::kAttrNormType, "no_preprocess");
  const bool use_mean = norm == "data_mean" || norm == "data_mean_and_scale";
  const bool use_scale = norm == "data_scale" || norm == "data_mean_and_scale";
  const std::vector<float> means = node.Floats(kernels::kAttrMeanValue);
  const std::vector<float> scales = node.Floats(kernels::kAttrScaleValue);
  mean->assign(static_cast<size_t>(channels), 0.0);
  scale->assign(static_cast<size_t>(channels), 1.0);
  for (int64_t c = 0; c < channels; ++c) {
    if (use_mean && !means.empty()) (*mean)[c] = means[means.size() == 1 ? 0 : c];
    if (use_scale && !scales.empty()) (*scale)[c] = scales[scales.size() == 1 ? 0 : c];
    if ((*scale)[c] == 0.0) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, "scale_value (", absl::StrJoin(scales, ","),
                       ") has a zero: the image equivalent of a normalized sample is undefined"));
    }
  }
  return absl::OkStatus();
}

// The image `node` turns into `sample` (float tensor in the training domain), as float bytes in
// the model input's layout.
absl::StatusOr<std::vector<float>> ImageFor(const Graph& graph, const GraphNode& node,
                                            const std::string& what,
                                            const std::vector<float>& sample) {
  const std::string rt = node.String(kernels::kAttrInputTypeRt, "");
  const std::string train = node.String(kernels::kAttrInputTypeTrain, "");
  const bool train_nhwc = node.String(kernels::kAttrInputLayoutTrain, "NCHW") == "NHWC";
  const bool rt_nhwc =
      rt != "nv12" && rt != "gray" && node.String(kernels::kAttrInputLayoutRt, "NCHW") == "NHWC";
  const std::vector<int64_t>& shape = graph.tensors[node.outputs[0]].shape;
  if (shape.size() != 4 ||
      static_cast<int64_t>(sample.size()) != graph.tensors[node.outputs[0]].num_elements()) {
    return absl::InvalidArgumentError(absl::StrCat(what, "needs a 4-D sample of shape (",
                                                   absl::StrJoin(shape, ","), "), got ",
                                                   sample.size(), " values"));
  }
  const int64_t channels = train_nhwc ? shape[3] : shape[1];
  const int64_t h = train_nhwc ? shape[1] : shape[2];
  const int64_t w = train_nhwc ? shape[2] : shape[3];
  std::vector<double> mean, scale;
  HB_RETURN_IF_ERROR(NormOf(node, what, channels, &mean, &scale));
  auto train_value = [&](int64_t c, int64_t y, int64_t x) {
    const int64_t index = train_nhwc ? (y * w + x) * channels + c : (c * h + y) * w + x;
    return sample[index] / scale[c] + mean[c];
  };
  auto pixel_rgb = [&](int64_t y, int64_t x) -> Rgb {
    if (channels == 1) {
      const double g = train_value(0, y, x);
      return {g, g, g};
    }
    const Rgb v = {train_value(0, y, x), train_value(1, y, x), train_value(2, y, x)};
    if (train == "bgr") return {v[2], v[1], v[0]};
    if (train == "yuv444") return YuvToRgb(v[0], v[1], v[2]);
    return v;
  };

  std::vector<float> image;
  if (rt == "nv12") {
    if (h % 2 != 0 || w % 2 != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, "nv12 needs an even height and width, got ", h, "x", w));
    }
    image.resize(static_cast<size_t>(h * w * 3 / 2));
    std::vector<double> u(static_cast<size_t>(h * w)), v(u.size());
    for (int64_t y = 0; y < h; ++y) {
      for (int64_t x = 0; x < w; ++x) {
        const Rgb yuv = RgbToYuv(pixel_rgb(y, x));
        image[y * w + x] = ToByte(yuv[0]);
        u[y * w + x] = yuv[1];
        v[y * w + x] = yuv[2];
      }
    }
    for (int64_t y = 0; y < h; y += 2) {
      for (int64_t x = 0; x < w; x += 2) {
        const int64_t a = y * w + x, b = a + w;
        float* uv = &image[h * w + (y / 2) * w + x];
        uv[0] = ToByte((u[a] + u[a + 1] + u[b] + u[b + 1]) / 4.0);
        uv[1] = ToByte((v[a] + v[a + 1] + v[b] + v[b + 1]) / 4.0);
      }
    }
    return image;
  }
  const int64_t rt_channels = rt == "gray" ? 1 : 3;
  if (rt != "gray" && rt != "rgb" && rt != "bgr" && rt != "yuv444") {
    return absl::InvalidArgumentError(
        absl::StrCat(what, "input_type_rt '", rt, "' is not an image type"));
  }
  image.resize(static_cast<size_t>(rt_channels * h * w));
  for (int64_t y = 0; y < h; ++y) {
    for (int64_t x = 0; x < w; ++x) {
      Rgb p = pixel_rgb(y, x);
      if (rt == "bgr") p = {p[2], p[1], p[0]};
      if (rt == "yuv444" || rt == "gray") p = RgbToYuv(p);
      if (rt == "gray" && channels == 1) p[0] = train_value(0, y, x);
      for (int64_t c = 0; c < rt_channels; ++c) {
        const int64_t index = rt_nhwc ? (y * w + x) * rt_channels + c : (c * h + y) * w + x;
        image[index] = ToByte(p[c]);
      }
    }
  }
  return image;
}

// Runs `node` alone on `image` (a constant in a one-node graph) with the CPU kernels.
absl::StatusOr<std::vector<float>> RunPreprocess(const Graph& graph, const GraphNode& node,
                                                 const std::vector<float>& image) {
  const GraphTensor& image_tensor = graph.tensors[node.inputs[0]];
  const GraphTensor& out_tensor = graph.tensors[node.outputs[0]];
  Graph one;
  one.name = "preprocess_only";
  one.march = graph.march;
  std::string bytes;
  if (image_tensor.type == fb::DataType::U8) {
    std::vector<uint8_t> u8(image.begin(), image.end());
    bytes = BytesOf(u8);
  } else {
    bytes = BytesOf(image);
  }
  const int32_t in =
      one.AddConstant(image_tensor.name, image_tensor.shape, image_tensor.type, std::move(bytes));
  const int32_t out = one.AddTensor(out_tensor.name, out_tensor.shape, fb::DataType::F32);
  GraphNode copy = node;
  copy.inputs = {in};
  copy.outputs = {out};
  one.nodes.push_back(std::move(copy));
  GraphIo io;
  io.tensor = out;
  io.spec.name = out_tensor.name;
  one.outputs.push_back(io);
  HB_ASSIGN_OR_RETURN(std::unique_ptr<GraphRunner> runner,
                      GraphRunner::Create(one, kernels::OpRegistry::Builtin()));
  HB_ASSIGN_OR_RETURN(std::vector<TensorValue> values, runner->Run({}));
  const TensorValue& value = values[out];
  std::vector<float> result(value.bytes / sizeof(float));
  std::memcpy(result.data(), value.data(), result.size() * sizeof(float));
  return result;
}

}  // namespace

absl::Status InsertInputPreprocess(Graph* graph, size_t input_index, const InputConfig& input,
                                   std::vector<std::string>* log) {
  if (input.input_type_rt.empty() || input.input_type_rt == "featuremap") {
    if (log != nullptr && !input.norm_type.empty() && input.norm_type != "no_preprocess") {
      log->push_back(absl::StrCat("preprocess: input ", input_index, " '", input.name,
                                  "' is a featuremap: norm_type ", input.norm_type,
                                  " is not applied in the model (its data counts as normalized)"));
    }
    return absl::OkStatus();
  }
  return AddPreprocessNode(graph, input_index, input, log);
}

Graph WithoutInputPreprocess(const Graph& graph) {
  Graph view = graph;
  std::vector<bool> drop(view.nodes.size(), false);
  for (GraphIo& io : view.inputs) {
    const int32_t n = PreprocessNodeOf(graph, io.tensor);
    if (n < 0) continue;
    drop[n] = true;
    io.tensor = graph.nodes[n].outputs[0];
    io.spec.data_type = fb::DataType::F32;
  }
  std::vector<GraphNode> kept;
  for (size_t n = 0; n < view.nodes.size(); ++n) {
    if (!drop[n]) kept.push_back(std::move(view.nodes[n]));
  }
  view.nodes = std::move(kept);
  return view;
}

absl::Status RuntimeInputsFor(const Graph& graph, const std::vector<std::vector<float>>& sample,
                              std::vector<std::vector<float>>* runtime_inputs,
                              std::vector<std::vector<float>>* preprocessed) {
  if (sample.size() != graph.inputs.size()) {
    return absl::InvalidArgumentError(absl::StrCat("a sample needs ", graph.inputs.size(),
                                                   " input tensors, got ", sample.size()));
  }
  runtime_inputs->clear();
  preprocessed->clear();
  for (size_t k = 0; k < graph.inputs.size(); ++k) {
    const int32_t n = PreprocessNodeOf(graph, graph.inputs[k].tensor);
    if (n < 0) {
      runtime_inputs->push_back(sample[k]);
      preprocessed->push_back(sample[k]);
      continue;
    }
    const GraphNode& node = graph.nodes[n];
    const std::string what =
        absl::StrCat("input ", k, " '", graph.inputs[k].spec.name, "' (", node.name, "): ");
    HB_ASSIGN_OR_RETURN(std::vector<float> image, ImageFor(graph, node, what, sample[k]));
    HB_ASSIGN_OR_RETURN(std::vector<float> value, RunPreprocess(graph, node, image));
    runtime_inputs->push_back(std::move(image));
    preprocessed->push_back(std::move(value));
  }
  return absl::OkStatus();
}

}  // namespace hb_dnn::mapper
