// Model loading, release and model-information functions of hb_dnn.h.

#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "hb_dnn/hb_dnn.h"
#include "src/base/status.h"
#include "src/base/status_macros.h"
#include "src/capi/capi_call.h"
#include "src/capi/handles.h"
#include "src/runtime/handle_registry.h"
#include "src/runtime/packed_model.h"
#include "src/runtime/task_registry.h"

using hb_dnn::ErrorCode;
using hb_dnn::Errorf;
using hb_dnn::capi::CheckNotNull;
using hb_dnn::capi::DnnCall;
using hb_dnn::runtime::HandleRegistry;
using hb_dnn::runtime::IoTensor;
using hb_dnn::runtime::PackedModel;

namespace {

absl::Status CheckFileCount(int32_t count, const char* name) {
  if (count < 1) return Errorf(ErrorCode::kInvalidArgument, name, " ", count, " is < 1");
  if (static_cast<size_t>(count) > hb_dnn::runtime::kMaxModelsPerPackage) {
    return Errorf(ErrorCode::kModelNumberExceedLimit, name, " ", count, " exceeds the limit of ",
                  hb_dnn::runtime::kMaxModelsPerPackage);
  }
  return absl::OkStatus();
}

void FillShape(const std::vector<int32_t>& dims, hbDNNTensorShape* shape) {
  std::memset(shape, 0, sizeof(*shape));
  shape->numDimensions = static_cast<int32_t>(dims.size());
  for (size_t i = 0; i < dims.size() && i < HB_DNN_TENSOR_MAX_DIMENSIONS; ++i) {
    shape->dimensionSize[i] = dims[i];
  }
}

// The quantization arrays point into the model (library-owned, read-only by contract; the
// struct's fields are non-const only because the vendor declared them so).
void FillProperties(const IoTensor& io, hbDNNTensorProperties* p) {
  std::memset(p, 0, sizeof(*p));
  FillShape(io.valid_shape, &p->validShape);
  FillShape(io.aligned_shape, &p->alignedShape);
  p->tensorLayout = static_cast<int32_t>(io.layout);
  p->tensorType = static_cast<int32_t>(io.data_type);
  const auto& q = io.quant;
  if (q.type == hb_dnn::fb::QuantiType::SHIFT) {
    p->shift.shiftLen = static_cast<int32_t>(q.shift.size());
    p->shift.shiftData = const_cast<uint8_t*>(q.shift.data());
  }
  if (q.type == hb_dnn::fb::QuantiType::SCALE) {
    p->scale.scaleLen = static_cast<int32_t>(q.scale.size());
    p->scale.scaleData = const_cast<float*>(q.scale.data());
    p->scale.zeroPointLen = static_cast<int32_t>(q.zero_point.size());
    p->scale.zeroPointData = q.zero_point.empty() ? nullptr : const_cast<int8_t*>(q.zero_point.data());
  }
  p->quantiType = static_cast<hbDNNQuantiType>(q.type);
  p->quantizeAxis = q.axis;
  p->alignedByteSize = io.aligned_byte_size;
  for (size_t i = 0; i < io.stride.size() && i < HB_DNN_TENSOR_MAX_DIMENSIONS; ++i) {
    p->stride[i] = io.stride[i];
  }
}

int32_t GetCount(const char* function, int32_t* count, hbDNNHandle_t handle, bool inputs) {
  return DnnCall(function, [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckNotNull(count, inputs ? "inputCount" : "outputCount"));
    HB_ASSIGN_OR_RETURN(auto model, hb_dnn::capi::ModelFromHandle(handle));
    *count = static_cast<int32_t>(inputs ? model->inputs().size() : model->outputs().size());
    return absl::OkStatus();
  });
}

int32_t GetName(const char* function, char const** name, hbDNNHandle_t handle, int32_t index,
                bool inputs) {
  return DnnCall(function, [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckNotNull(name, "name"));
    HB_ASSIGN_OR_RETURN(auto model, hb_dnn::capi::ModelFromHandle(handle));
    HB_ASSIGN_OR_RETURN(const IoTensor* io, hb_dnn::capi::IoTensorAt(*model, inputs, index));
    *name = io->name.c_str();
    return absl::OkStatus();
  });
}

int32_t GetProperties(const char* function, hbDNNTensorProperties* properties,
                      hbDNNHandle_t handle, int32_t index, bool inputs) {
  return DnnCall(function, [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckNotNull(properties, "properties"));
    HB_ASSIGN_OR_RETURN(auto model, hb_dnn::capi::ModelFromHandle(handle));
    HB_ASSIGN_OR_RETURN(const IoTensor* io, hb_dnn::capi::IoTensorAt(*model, inputs, index));
    FillProperties(*io, properties);
    return absl::OkStatus();
  });
}

}  // namespace

extern "C" {

char const* hbDNNGetVersion(void) {
  return "1.18.6_(hb_dnn " HB_DNN_PROJECT_VERSION ")";
}

int32_t hbDNNInitializeFromFiles(hbPackedDNNHandle_t* packedDNNHandle, char const** modelFileNames,
                                 int32_t modelFileCount) {
  return DnnCall("hbDNNInitializeFromFiles", [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckNotNull(packedDNNHandle, "packedDNNHandle"));
    *packedDNNHandle = nullptr;
    HB_RETURN_IF_ERROR(CheckNotNull(modelFileNames, "modelFileNames"));
    HB_RETURN_IF_ERROR(CheckFileCount(modelFileCount, "modelFileCount"));
    std::vector<std::string> paths;
    for (int32_t i = 0; i < modelFileCount; ++i) {
      if (modelFileNames[i] == nullptr) {
        return Errorf(ErrorCode::kInvalidArgument, "modelFileNames[", i, "] is null");
      }
      paths.emplace_back(modelFileNames[i]);
    }
    HB_ASSIGN_OR_RETURN(auto packed, PackedModel::LoadFiles(paths));
    size_t models = packed->model_count();
    *packedDNNHandle = HandleRegistry::Instance().AddPacked(std::move(packed));
    HB_LOG(Info) << "loaded " << models << " model(s) from " << absl::StrJoin(paths, ", ");
    return absl::OkStatus();
  });
}

int32_t hbDNNInitializeFromDDR(hbPackedDNNHandle_t* packedDNNHandle, const void** modelData,
                               int32_t* modelDataLengths, int32_t modelDataCount) {
  return DnnCall("hbDNNInitializeFromDDR", [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckNotNull(packedDNNHandle, "packedDNNHandle"));
    *packedDNNHandle = nullptr;
    HB_RETURN_IF_ERROR(CheckNotNull(modelData, "modelData"));
    HB_RETURN_IF_ERROR(CheckNotNull(modelDataLengths, "modelDataLengths"));
    HB_RETURN_IF_ERROR(CheckFileCount(modelDataCount, "modelDataCount"));
    std::vector<PackedModel::Image> images;
    for (int32_t i = 0; i < modelDataCount; ++i) {
      if (modelData[i] == nullptr) {
        return Errorf(ErrorCode::kInvalidArgument, "modelData[", i, "] is null");
      }
      if (modelDataLengths[i] <= 0) {
        return Errorf(ErrorCode::kInvalidArgument, "modelDataLengths[", i, "] ",
                      modelDataLengths[i], " is not positive");
      }
      images.push_back({modelData[i], static_cast<size_t>(modelDataLengths[i])});
    }
    HB_ASSIGN_OR_RETURN(auto packed, PackedModel::LoadImages(images));
    *packedDNNHandle = HandleRegistry::Instance().AddPacked(std::move(packed));
    return absl::OkStatus();
  });
}

int32_t hbDNNRelease(hbPackedDNNHandle_t packedDNNHandle) {
  return DnnCall("hbDNNRelease", [&]() -> absl::Status {
    return hb_dnn::runtime::TaskRegistry::Instance().ReleasePackedIfIdle(packedDNNHandle);
  });
}

int32_t hbDNNGetModelNameList(char const*** modelNameList, int32_t* modelNameCount,
                              hbPackedDNNHandle_t packedDNNHandle) {
  return DnnCall("hbDNNGetModelNameList", [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckNotNull(modelNameList, "modelNameList"));
    HB_RETURN_IF_ERROR(CheckNotNull(modelNameCount, "modelNameCount"));
    HB_ASSIGN_OR_RETURN(auto packed, HandleRegistry::Instance().Packed(packedDNNHandle));
    // The vendor signature hands out a non-const array; it is library-owned and read-only.
    *modelNameList = const_cast<char const**>(packed->name_list().data());
    *modelNameCount = static_cast<int32_t>(packed->name_list().size());
    return absl::OkStatus();
  });
}

int32_t hbDNNGetModelHandle(hbDNNHandle_t* dnnHandle, hbPackedDNNHandle_t packedDNNHandle,
                            char const* modelName) {
  return DnnCall("hbDNNGetModelHandle", [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckNotNull(dnnHandle, "dnnHandle"));
    *dnnHandle = nullptr;
    HB_ASSIGN_OR_RETURN(auto packed, HandleRegistry::Instance().Packed(packedDNNHandle));
    HB_RETURN_IF_ERROR(CheckNotNull(modelName, "modelName"));
    const hb_dnn::runtime::Model* model = packed->FindModel(modelName);
    if (model == nullptr) {
      return Errorf(ErrorCode::kInvalidArgument, "no model named '", modelName,
                    "' in the packed handle (models: ", absl::StrJoin(packed->name_list(), ", "),
                    ")");
    }
    HB_ASSIGN_OR_RETURN(*dnnHandle, HandleRegistry::Instance().ModelHandle(packedDNNHandle, model));
    return absl::OkStatus();
  });
}

int32_t hbDNNGetInputCount(int32_t* inputCount, hbDNNHandle_t dnnHandle) {
  return GetCount("hbDNNGetInputCount", inputCount, dnnHandle, /*inputs=*/true);
}

int32_t hbDNNGetOutputCount(int32_t* outputCount, hbDNNHandle_t dnnHandle) {
  return GetCount("hbDNNGetOutputCount", outputCount, dnnHandle, /*inputs=*/false);
}

int32_t hbDNNGetInputName(char const** name, hbDNNHandle_t dnnHandle, int32_t inputIndex) {
  return GetName("hbDNNGetInputName", name, dnnHandle, inputIndex, /*inputs=*/true);
}

int32_t hbDNNGetOutputName(char const** name, hbDNNHandle_t dnnHandle, int32_t outputIndex) {
  return GetName("hbDNNGetOutputName", name, dnnHandle, outputIndex, /*inputs=*/false);
}

int32_t hbDNNGetInputTensorProperties(hbDNNTensorProperties* properties, hbDNNHandle_t dnnHandle,
                                      int32_t inputIndex) {
  return GetProperties("hbDNNGetInputTensorProperties", properties, dnnHandle, inputIndex,
                       /*inputs=*/true);
}

int32_t hbDNNGetOutputTensorProperties(hbDNNTensorProperties* properties, hbDNNHandle_t dnnHandle,
                                       int32_t outputIndex) {
  return GetProperties("hbDNNGetOutputTensorProperties", properties, dnnHandle, outputIndex,
                       /*inputs=*/false);
}

}  // extern "C"
