#include "src/bpu/timing_mode.h"

#include "absl/strings/match.h"
#include "src/base/status.h"

namespace hb_dnn::bpu {

absl::StatusOr<TimingMode> ParseTimingMode(absl::string_view text) {
  if (absl::EqualsIgnoreCase(text, "off")) return TimingMode::kOff;
  if (absl::EqualsIgnoreCase(text, "realtime")) return TimingMode::kRealtime;
  if (absl::EqualsIgnoreCase(text, "virtual")) return TimingMode::kVirtual;
  return Errorf(ErrorCode::kInvalidArgument, "HB_DNN_SIM_TIMING '", text,
                "' is not one of off, realtime, virtual");
}

const char* TimingModeName(TimingMode mode) {
  switch (mode) {
    case TimingMode::kOff: return "off";
    case TimingMode::kRealtime: return "realtime";
    case TimingMode::kVirtual: return "virtual";
  }
  return "?";
}

}  // namespace hb_dnn::bpu
