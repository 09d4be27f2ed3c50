// hbDNNGetErrorDesc (hb_dnn_status.h) and the hb_dnn_sim.h error-detail extension.

#include "hb_dnn/hb_dnn_sim.h"
#include "hb_dnn/hb_dnn_status.h"
#include "src/base/error_code.h"
#include "src/base/last_error.h"

extern "C" {

char const* hbDNNGetErrorDesc(int32_t errorCode) {
  const char* description = hb_dnn::ErrorCodeDescription(errorCode);
  return description != nullptr ? description : "unknown error code";
}

char const* hbDNNGetLastErrorDetail(void) { return hb_dnn::LastErrorDetail(); }

}  // extern "C"
