// Model-query functions of hb_dnn_ext.h (the host-side utilities live in hb_dnn_ext_utils.cc).

#include <limits>

#include "hb_dnn/hb_dnn_ext.h"
#include "src/base/status.h"
#include "src/base/status_macros.h"
#include "src/capi/capi_call.h"
#include "src/capi/handles.h"

using hb_dnn::ErrorCode;
using hb_dnn::capi::CheckNotNull;
using hb_dnn::capi::DnnCall;
using hb_dnn::capi::IoTensorAt;
using hb_dnn::capi::ModelFromHandle;

namespace {

// Descriptions are stored as bytes; an absent one reads as NULL, size 0, type UNKNOWN.
absl::Status ReturnDesc(const std::string& bytes, hb_dnn::fb::DescType type, char const** desc,
                        uint32_t* size, int32_t* desc_type) {
  *desc = bytes.empty() ? nullptr : bytes.c_str();
  *size = static_cast<uint32_t>(bytes.size());
  *desc_type = static_cast<int32_t>(type);
  return absl::OkStatus();
}

int32_t GetIoDesc(const char* function, char const** desc, uint32_t* size, int32_t* type,
                  hbDNNHandle_t handle, int32_t index, bool inputs) {
  return DnnCall(function, [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckNotNull(desc, "desc"));
    HB_RETURN_IF_ERROR(CheckNotNull(size, "size"));
    HB_RETURN_IF_ERROR(CheckNotNull(type, "type"));
    HB_ASSIGN_OR_RETURN(auto model, ModelFromHandle(handle));
    HB_ASSIGN_OR_RETURN(const hb_dnn::runtime::IoTensor* io, IoTensorAt(*model, inputs, index));
    return ReturnDesc(io->desc, io->desc_type, desc, size, type);
  });
}

}  // namespace

extern "C" {

int32_t hbDNNGetInputSource(int32_t* inputSource, hbDNNHandle_t dnnHandle, int32_t inputIndex) {
  return DnnCall("hbDNNGetInputSource", [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckNotNull(inputSource, "inputSource"));
    HB_ASSIGN_OR_RETURN(auto model, ModelFromHandle(dnnHandle));
    HB_ASSIGN_OR_RETURN(const hb_dnn::runtime::IoTensor* io, IoTensorAt(*model, true, inputIndex));
    *inputSource = static_cast<int32_t>(io->input_source);
    return absl::OkStatus();
  });
}

int32_t hbDNNGetInputDesc(char const** desc, uint32_t* size, int32_t* type, hbDNNHandle_t dnnHandle,
                          int32_t inputIndex) {
  return GetIoDesc("hbDNNGetInputDesc", desc, size, type, dnnHandle, inputIndex, true);
}

int32_t hbDNNGetOutputDesc(char const** desc, uint32_t* size, int32_t* type,
                           hbDNNHandle_t dnnHandle, int32_t outputIndex) {
  return GetIoDesc("hbDNNGetOutputDesc", desc, size, type, dnnHandle, outputIndex, false);
}

int32_t hbDNNGetModelDesc(char const** desc, uint32_t* size, int32_t* type,
                          hbDNNHandle_t dnnHandle) {
  return DnnCall("hbDNNGetModelDesc", [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckNotNull(desc, "desc"));
    HB_RETURN_IF_ERROR(CheckNotNull(size, "size"));
    HB_RETURN_IF_ERROR(CheckNotNull(type, "type"));
    HB_ASSIGN_OR_RETURN(auto model, ModelFromHandle(dnnHandle));
    return ReturnDesc(model->desc(), model->desc_type(), desc, size, type);
  });
}

int32_t hbDNNGetOutputOperatorType(int32_t* operatorType, hbDNNHandle_t dnnHandle,
                                   int32_t outputIndex) {
  return DnnCall("hbDNNGetOutputOperatorType", [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckNotNull(operatorType, "operatorType"));
    HB_ASSIGN_OR_RETURN(auto model, ModelFromHandle(dnnHandle));
    HB_ASSIGN_OR_RETURN(const hb_dnn::runtime::IoTensor* io, IoTensorAt(*model, false, outputIndex));
    *operatorType = io->output_operator_type;
    return absl::OkStatus();
  });
}

int32_t hbDNNGetEstimateLatency(int32_t* estimateLatency, hbDNNHandle_t dnnHandle) {
  return DnnCall("hbDNNGetEstimateLatency", [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckNotNull(estimateLatency, "estimateLatency"));
    HB_ASSIGN_OR_RETURN(auto model, ModelFromHandle(dnnHandle));
    // Until tasks run (a later release), the estimate is the converter's modelled BPU time.
    int64_t us = model->modelled_bpu_latency_us();
    *estimateLatency = static_cast<int32_t>(
        us > std::numeric_limits<int32_t>::max() ? std::numeric_limits<int32_t>::max() : us);
    return absl::OkStatus();
  });
}

int32_t hbDNNGetModelTag(char const** tag, hbDNNHandle_t dnnHandle) {
  return DnnCall("hbDNNGetModelTag", [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckNotNull(tag, "tag"));
    HB_ASSIGN_OR_RETURN(auto model, ModelFromHandle(dnnHandle));
    *tag = model->tag().c_str();
    return absl::OkStatus();
  });
}

int32_t hbDNNGetTaskEstimateTime(int32_t* estimateTime, hbDNNTaskHandle_t taskHandle) {
  (void)estimateTime;
  (void)taskHandle;
  return DnnCall("hbDNNGetTaskEstimateTime", [&]() -> absl::Status {
    return hb_dnn::Error(ErrorCode::kApiUseError,
                         "task estimates are not available yet in this hb_dnn release "
                         "(tasks arrive with the scheduler)");
  });
}

int32_t hbDNNGetTaskEstimateStartTime(int32_t* estimateTime, hbDNNInferCtrlParam* inferCtrlParam) {
  (void)estimateTime;
  (void)inferCtrlParam;
  return DnnCall("hbDNNGetTaskEstimateStartTime", [&]() -> absl::Status {
    return hb_dnn::Error(ErrorCode::kApiUseError,
                         "task estimates are not available yet in this hb_dnn release "
                         "(tasks arrive with the scheduler)");
  });
}

}  // extern "C"
