#include "tools/hrt_model_exec/dnn_error.h"

#include "absl/strings/str_cat.h"
#include "hb_dnn/hb_dnn.h"
#include "hb_dnn/hb_dnn_sim.h"
#include "hb_dnn/hb_dnn_status.h"

namespace hb_dnn::tools {

absl::Status DnnStatus(int32_t code, absl::string_view what) {
  if (code == 0) return absl::OkStatus();
  std::string message = absl::StrCat(what, " failed: ", code, " (", hbDNNGetErrorDesc(code), ")");
  absl::string_view detail = hbDNNGetLastErrorDetail();
  if (!detail.empty()) absl::StrAppend(&message, ": ", detail);
  return absl::InternalError(message);
}

}  // namespace hb_dnn::tools
