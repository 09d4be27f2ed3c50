#include "tools/hb_mapper/preprocess_node.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/base/status.h"
#include "src/kernels/reference/preprocess.h"
#include "src/runtime/tensor_geometry.h"

namespace hb_dnn::mapper {
namespace {

absl::StatusOr<fb::DataType> ImageType(const std::string& rt) {
  if (rt == "nv12") return fb::DataType::IMG_NV12;
  if (rt == "rgb") return fb::DataType::IMG_RGB;
  if (rt == "bgr") return fb::DataType::IMG_BGR;
  if (rt == "yuv444") return fb::DataType::IMG_YUV444;
  if (rt == "gray") return fb::DataType::IMG_Y;
  return Errorf(ErrorCode::kInvalidArgument, "input_type_rt '", rt, "' is not an image type");
}

}  // namespace

absl::Status AddPreprocessNode(Graph* graph, size_t input_index, const InputConfig& input,
                               std::vector<std::string>* log) {
  if (input_index >= graph->inputs.size()) {
    return Errorf(ErrorCode::kInvalidArgument, "input ", input_index, " does not exist (model has ",
                  graph->inputs.size(), ")");
  }
  const bool featuremap = input.input_type_rt.empty() || input.input_type_rt == "featuremap";
  if (featuremap && (input.norm_type.empty() || input.norm_type == "no_preprocess")) {
    return absl::OkStatus();
  }
  GraphIo& io = graph->inputs[input_index];
  const int32_t float_index = io.tensor;
  const GraphTensor& tensor = graph->tensors[float_index];
  const std::string name = io.spec.name.empty() ? tensor.name : io.spec.name;
  const std::string what = absl::StrCat("input ", input_index, " '", name, "' ");
  const std::vector<int64_t> shape = tensor.shape;
  if (tensor.type != fb::DataType::F32) {
    return Errorf(ErrorCode::kInvalidArgument, what, "is ", fb::EnumNameDataType(tensor.type),
                  "; preprocessing needs a float32 input");
  }

  fb::DataType rt_type = fb::DataType::F32;
  std::vector<int64_t> rt_shape = shape;
  tools::IoSpec spec = io.spec;
  spec.name = name;
  if (!featuremap) {
    auto type = ImageType(input.input_type_rt);
    if (!type.ok()) return type.status();
    rt_type = *type;
    const bool nchw = input.input_layout_train != "NHWC";
    const int64_t channels = input.input_type_train == "gray" ? 1 : 3;
    if (shape.size() != 4 || shape[0] != 1 || (nchw ? shape[1] : shape[3]) != channels) {
      return Errorf(ErrorCode::kInvalidArgument, what, "has shape (", absl::StrJoin(shape, ","),
                    "), but input_type_train '", input.input_type_train, "' with layout ",
                    input.input_layout_train, " needs ", nchw ? "(1, " : "(1, H, W, ", channels,
                    nchw ? ", H, W)" : ")", " (image inputs have batch 1)");
    }
    const int32_t h = static_cast<int32_t>(nchw ? shape[2] : shape[1]);
    const int32_t w = static_cast<int32_t>(nchw ? shape[3] : shape[2]);
    const int32_t rt_channels = input.input_type_rt == "gray" ? 1 : 3;
    const bool rt_nhwc = input.input_type_rt != "nv12" && input.input_type_rt != "gray" &&
                         input.input_layout_rt == "NHWC";
    spec.data_type = rt_type;
    spec.layout = rt_nhwc ? fb::Layout::NHWC : fb::Layout::NCHW;
    spec.valid_shape = rt_nhwc ? std::vector<int32_t>{1, h, w, rt_channels}
                               : std::vector<int32_t>{1, rt_channels, h, w};
    // The loader and the C API check images with the same rules (even NV12 sizes, ...).
    absl::StatusOr<runtime::TensorGeometry> geometry = runtime::ComputeGeometry(
        runtime::March::kBernoulli2, rt_type, spec.layout, spec.valid_shape, false);
    if (!geometry.ok()) {
      return Errorf(ErrorCode::kInvalidArgument, what, "as input_type_rt '", input.input_type_rt,
                    "': ", geometry.status().message());
    }
    rt_shape = runtime::ImageTensorShape(rt_type, spec.valid_shape);
  }

  namespace k = kernels;
  GraphNode node;
  node.name = absl::StrCat("HZ_PREPROCESS_FOR_", name);
  node.op_type = k::kPreprocessOp;
  node.domain = k::kHbDnnDomain;
  node.op_version = k::kPreprocessVersion;
  node.attributes = {
      tools::Attr::String(k::kAttrInputTypeRt, featuremap ? "featuremap" : input.input_type_rt),
      tools::Attr::String(k::kAttrInputLayoutRt, input.input_layout_rt),
      tools::Attr::String(k::kAttrInputTypeTrain,
                          input.input_type_train.empty() ? "featuremap" : input.input_type_train),
      tools::Attr::String(k::kAttrInputLayoutTrain, input.input_layout_train),
      tools::Attr::String(k::kAttrNormType, input.norm_type),
      tools::Attr::Floats(k::kAttrMeanValue, input.mean_value),
      tools::Attr::Floats(k::kAttrScaleValue, input.scale_value)};
  graph->tensors[float_index].name = absl::StrCat(name, "_preprocessed");
  int32_t rt_index =
      graph->AddTensor(name, rt_shape, featuremap ? fb::DataType::F32 : fb::DataType::U8);
  node.inputs = {rt_index};
  node.outputs = {float_index};
  graph->nodes.insert(graph->nodes.begin(), std::move(node));
  io.tensor = rt_index;
  io.spec = std::move(spec);
  if (log != nullptr) {
    log->push_back(absl::StrCat(
        "preprocess: input '", name, "' takes ", featuremap ? "featuremap" : input.input_type_rt,
        " (", absl::StrJoin(rt_shape, "x"), "), converted to ", input.input_type_train, " ",
        input.input_layout_train, ", norm_type ", input.norm_type, " by node ",
        graph->nodes.front().name));
  }
  return absl::OkStatus();
}

}  // namespace hb_dnn::mapper
