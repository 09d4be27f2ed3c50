// Task functions of hb_dnn.h. Inference, resize and task management arrive with the executor and
// scheduler issues; until then each call fails with HB_DNN_API_USE_ERROR and says so, never a
// pretend success.

#include "hb_dnn/hb_dnn.h"
#include "src/base/status.h"
#include "src/capi/capi_call.h"

namespace {

int32_t NotAvailable(const char* function) {
  return hb_dnn::capi::DnnCall(function, [&]() -> absl::Status {
    return hb_dnn::Error(hb_dnn::ErrorCode::kApiUseError,
                         "not available yet in this hb_dnn release: inference and tasks arrive "
                         "with the CPU executor and the scheduler");
  });
}

}  // namespace

extern "C" {

int32_t hbDNNInfer(hbDNNTaskHandle_t*, hbDNNTensor**, hbDNNTensor const*, hbDNNHandle_t,
                   hbDNNInferCtrlParam*) {
  return NotAvailable("hbDNNInfer");
}

int32_t hbDNNRoiInfer(hbDNNTaskHandle_t*, hbDNNTensor**, hbDNNTensor const*, hbDNNRoi*, int32_t,
                      hbDNNHandle_t, hbDNNInferCtrlParam*) {
  return NotAvailable("hbDNNRoiInfer");
}

int32_t hbDNNResize(hbDNNTaskHandle_t*, hbDNNTensor*, hbDNNTensor const*, hbDNNRoi const*,
                    hbDNNResizeCtrlParam*) {
  return NotAvailable("hbDNNResize");
}

int32_t hbDNNSetTaskDoneCb(hbDNNTaskHandle_t, hbDNNTaskDoneCb, void*) {
  return NotAvailable("hbDNNSetTaskDoneCb");
}

int32_t hbDNNWaitTaskDone(hbDNNTaskHandle_t, int32_t) { return NotAvailable("hbDNNWaitTaskDone"); }

int32_t hbDNNReleaseTask(hbDNNTaskHandle_t) { return NotAvailable("hbDNNReleaseTask"); }

}  // extern "C"
