#ifndef HB_DNN_SRC_BPU_TIMING_MODE_H_
#define HB_DNN_SRC_BPU_TIMING_MODE_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hb_dnn::bpu {

// HB_DNN_SIM_TIMING: how the simulated BPU spends time.
//   off       FCs finish as soon as their numerics are computed (fastest; timings are host times)
//   realtime  an FC occupies its core for its modelled duration on the host's clock (it sleeps)
//   virtual   a discrete-event clock: FCs take exactly their modelled duration, deterministically
enum class TimingMode { kOff, kRealtime, kVirtual };

// "off", "realtime", "virtual" (case-insensitive); kInvalidArgument naming the value otherwise.
absl::StatusOr<TimingMode> ParseTimingMode(absl::string_view text);
const char* TimingModeName(TimingMode mode);

}  // namespace hb_dnn::bpu

#endif  // HB_DNN_SRC_BPU_TIMING_MODE_H_
