#include "tools/hrt_model_exec/model_info_command.h"

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "hb_dnn/hb_dnn.h"
#include "hb_dnn/hb_dnn_ext.h"
#include "tools/hrt_model_exec/dnn_error.h"
#include "tools/hrt_model_exec/json_writer.h"
#include "tools/hrt_model_exec/type_names.h"

namespace hb_dnn::tools {
namespace {

constexpr char kSeparator[] =
    "---------------------------------------------------------------------";

struct TensorInfo {
  std::string name;
  int32_t source = -1;  // outputs have none
  hbDNNTensorProperties properties;
  std::string desc;
};

struct ModelInfo {
  std::string name;
  std::string desc;
  std::vector<TensorInfo> inputs;
  std::vector<TensorInfo> outputs;
};

std::string TextDesc(char const* desc, uint32_t size, int32_t type) {
  if (desc == nullptr || size == 0) return "";
  if (type == HB_DNN_DESC_TYPE_BINARY) return absl::StrCat("<", size, " bytes of binary data>");
  std::string text(desc, size);
  while (!text.empty() && text.back() == '\0') text.pop_back();
  return text;
}

absl::StatusOr<ModelInfo> Query(const PackedModels& models, const std::string& name) {
  absl::StatusOr<hbDNNHandle_t> model = models.Model(name);
  if (!model.ok()) return model.status();
  ModelInfo info;
  info.name = name;
  char const* desc = nullptr;
  uint32_t desc_size = 0;
  int32_t desc_type = 0;
  if (hbDNNGetModelDesc(&desc, &desc_size, &desc_type, *model) == 0) {
    info.desc = TextDesc(desc, desc_size, desc_type);
  }
  int32_t input_count = 0;
  int32_t output_count = 0;
  absl::Status status = DnnStatus(hbDNNGetInputCount(&input_count, *model), "hbDNNGetInputCount");
  if (status.ok()) {
    status = DnnStatus(hbDNNGetOutputCount(&output_count, *model), "hbDNNGetOutputCount");
  }
  for (int32_t i = 0; status.ok() && i < input_count; ++i) {
    TensorInfo tensor;
    char const* tensor_name = nullptr;
    status = DnnStatus(hbDNNGetInputName(&tensor_name, *model, i), "hbDNNGetInputName");
    if (status.ok()) {
      status = DnnStatus(hbDNNGetInputSource(&tensor.source, *model, i), "hbDNNGetInputSource");
    }
    if (status.ok()) {
      status = DnnStatus(hbDNNGetInputTensorProperties(&tensor.properties, *model, i),
                         "hbDNNGetInputTensorProperties");
    }
    if (!status.ok()) break;
    tensor.name = tensor_name;
    if (hbDNNGetInputDesc(&desc, &desc_size, &desc_type, *model, i) == 0) {
      tensor.desc = TextDesc(desc, desc_size, desc_type);
    }
    info.inputs.push_back(tensor);
  }
  for (int32_t i = 0; status.ok() && i < output_count; ++i) {
    TensorInfo tensor;
    char const* tensor_name = nullptr;
    status = DnnStatus(hbDNNGetOutputName(&tensor_name, *model, i), "hbDNNGetOutputName");
    if (status.ok()) {
      status = DnnStatus(hbDNNGetOutputTensorProperties(&tensor.properties, *model, i),
                         "hbDNNGetOutputTensorProperties");
    }
    if (!status.ok()) break;
    tensor.name = tensor_name;
    if (hbDNNGetOutputDesc(&desc, &desc_size, &desc_type, *model, i) == 0) {
      tensor.desc = TextDesc(desc, desc_size, desc_type);
    }
    info.outputs.push_back(tensor);
  }
  if (!status.ok()) return status;
  return info;
}

std::string ShapeText(const hbDNNTensorShape& shape) {
  std::string text = "(";
  for (int32_t i = 0; i < shape.numDimensions; ++i)
    absl::StrAppend(&text, shape.dimensionSize[i], ",");
  return text + ")";
}

void PrintTensor(const char* kind, size_t index, const TensorInfo& tensor) {
  const hbDNNTensorProperties& p = tensor.properties;
  std::string text = absl::StrFormat("%s[%d]: \nname: %s\n", kind, index, tensor.name);
  if (tensor.source >= 0)
    absl::StrAppend(&text, "input source: ", InputSourceName(tensor.source), "\n");
  absl::StrAppend(&text, "valid shape: ", ShapeText(p.validShape), "\n");
  absl::StrAppend(&text, "aligned shape: ", ShapeText(p.alignedShape), "\n");
  absl::StrAppend(&text, "aligned byte size: ", p.alignedByteSize, "\n");
  absl::StrAppend(&text, "tensor type: ", TensorTypeName(p.tensorType), "\n");
  absl::StrAppend(&text, "tensor layout: ", LayoutName(p.tensorLayout), "\n");
  absl::StrAppend(&text, "quanti type: ", QuantiTypeName(p.quantiType), "\n");
  absl::StrAppend(&text, "stride: (");
  for (int32_t i = 0; i < p.alignedShape.numDimensions; ++i)
    absl::StrAppend(&text, p.stride[i], ",");
  absl::StrAppend(&text, ")\n");
  if (p.quantiType == SHIFT) {
    absl::StrAppend(&text, "shift data: ");
    for (int32_t i = 0; i < p.shift.shiftLen; ++i)
      absl::StrAppend(&text, p.shift.shiftData[i], ",");
    absl::StrAppend(&text, "\n");
  }
  if (p.quantiType == SCALE) {
    absl::StrAppend(&text, "scale data: ");
    for (int32_t i = 0; i < p.scale.scaleLen; ++i)
      absl::StrAppend(&text, p.scale.scaleData[i], ",");
    absl::StrAppend(&text, "\n");
    if (p.scale.zeroPointLen > 0) {
      absl::StrAppend(&text, "zero point data: ");
      for (int32_t i = 0; i < p.scale.zeroPointLen; ++i) {
        absl::StrAppend(&text, p.scale.zeroPointData[i], ",");
      }
      absl::StrAppend(&text, "\n");
    }
    absl::StrAppend(&text, "quantizeAxis: ", p.quantizeAxis, "\n");
  }
  if (!tensor.desc.empty()) absl::StrAppend(&text, "desc: ", tensor.desc, "\n");
  std::fputs(text.c_str(), stdout);
  std::fputs("\n", stdout);
}

void ShapeJson(const hbDNNTensorShape& shape, JsonWriter* json) {
  json->BeginArray();
  for (int32_t i = 0; i < shape.numDimensions; ++i) json->Int(shape.dimensionSize[i]);
  json->EndArray();
}

void TensorJson(const TensorInfo& tensor, JsonWriter* json) {
  const hbDNNTensorProperties& p = tensor.properties;
  json->BeginObject().Key("name").String(tensor.name);
  if (tensor.source >= 0) json->Key("input_source").String(InputSourceName(tensor.source));
  json->Key("valid_shape");
  ShapeJson(p.validShape, json);
  json->Key("aligned_shape");
  ShapeJson(p.alignedShape, json);
  json->Key("aligned_byte_size").Int(p.alignedByteSize);
  json->Key("tensor_type").String(TensorTypeName(p.tensorType));
  json->Key("tensor_layout").String(LayoutName(p.tensorLayout));
  json->Key("quanti_type").String(QuantiTypeName(p.quantiType));
  json->Key("stride").BeginArray();
  for (int32_t i = 0; i < p.alignedShape.numDimensions; ++i) json->Int(p.stride[i]);
  json->EndArray();
  if (p.quantiType == SHIFT) {
    json->Key("shift_data").BeginArray();
    for (int32_t i = 0; i < p.shift.shiftLen; ++i) json->Int(p.shift.shiftData[i]);
    json->EndArray();
  }
  if (p.quantiType == SCALE) {
    json->Key("scale_data").BeginArray();
    for (int32_t i = 0; i < p.scale.scaleLen; ++i) json->Double(p.scale.scaleData[i]);
    json->EndArray();
    json->Key("zero_point_data").BeginArray();
    for (int32_t i = 0; i < p.scale.zeroPointLen; ++i) json->Int(p.scale.zeroPointData[i]);
    json->EndArray();
    json->Key("quantize_axis").Int(p.quantizeAxis);
  }
  if (!tensor.desc.empty()) json->Key("desc").String(tensor.desc);
  json->EndObject();
}

}  // namespace

absl::Status RunModelInfo(const ExecOptions& options, const PackedModels& models, double load_ms) {
  std::vector<std::string> names = models.names();
  if (!options.models.front().name.empty()) {
    names.clear();
    for (const ModelRunOptions& run : options.models) names.push_back(run.name);
  }
  std::vector<ModelInfo> infos;
  for (const std::string& name : names) {
    absl::StatusOr<ModelInfo> info = Query(models, name);
    if (!info.ok()) return info.status();
    infos.push_back(*std::move(info));
  }

  if (options.json) {
    JsonWriter json;
    json.BeginObject().Key("command").String("model_info");
    json.Key("runtime_version").String(hbDNNGetVersion());
    json.Key("load_ms").Double(load_ms);
    json.Key("models").BeginArray();
    for (const ModelInfo& info : infos) {
      json.BeginObject().Key("name").String(info.name);
      if (!info.desc.empty()) json.Key("desc").String(info.desc);
      json.Key("inputs").BeginArray();
      for (const TensorInfo& tensor : info.inputs) TensorJson(tensor, &json);
      json.EndArray().Key("outputs").BeginArray();
      for (const TensorInfo& tensor : info.outputs) TensorJson(tensor, &json);
      json.EndArray().EndObject();
    }
    json.EndArray().EndObject();
    std::printf("%s\n", json.text().c_str());
    return absl::OkStatus();
  }

  std::printf("This model file has %zu model:\n", models.names().size());
  std::string list;
  for (const std::string& name : models.names()) absl::StrAppend(&list, "[", name, "]\t");
  std::printf("%s\n", list.c_str());
  for (const ModelInfo& info : infos) {
    std::printf("%s\n[model name]: %s\n", kSeparator, info.name.c_str());
    if (!info.desc.empty()) std::printf("[model desc]: %s\n", info.desc.c_str());
    std::printf("\n");
    for (size_t i = 0; i < info.inputs.size(); ++i) PrintTensor("input", i, info.inputs[i]);
    for (size_t i = 0; i < info.outputs.size(); ++i) PrintTensor("output", i, info.outputs[i]);
  }
  std::printf("%s\n", kSeparator);
  return absl::OkStatus();
}

}  // namespace hb_dnn::tools
