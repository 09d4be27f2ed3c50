#include "src/bpu/null/null_device.h"

#include "src/base/status.h"

namespace hb_dnn::bpu {

absl::Status NullDevice::Submit(int core, QueueClass, FunctionCall fc, CompletionCallback) {
  if (core < 0 || core >= core_count()) {
    return Errorf(ErrorCode::kInvalidArgument, "BPU core ", core, " does not exist (",
                  profile_->chip, " has ", core_count(), " cores)");
  }
  return Errorf(ErrorCode::kRunTaskFailed, "function-call ", fc.id,
                ": the 'null' BPU backend executes nothing (HB_DNN_SIM_BACKEND=null)");
}

absl::StatusOr<QueueDepth> NullDevice::GetQueueDepth(int core) const {
  if (core < 0 || core >= core_count()) {
    return Errorf(ErrorCode::kInvalidArgument, "BPU core ", core, " does not exist (",
                  profile_->chip, " has ", core_count(), " cores)");
  }
  return Errorf(ErrorCode::kRunTaskFailed,
                "the 'null' BPU backend has no queues (HB_DNN_SIM_BACKEND=null)");
}

}  // namespace hb_dnn::bpu
