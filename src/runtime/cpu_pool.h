#ifndef HB_DNN_SRC_RUNTIME_CPU_POOL_H_
#define HB_DNN_SRC_RUNTIME_CPU_POOL_H_

#include <functional>

#include "src/base/clock.h"

namespace hb_dnn::runtime {

// Runs `work` on the runtime's CPU worker pool: a oneTBB arena of HB_MAX_THREAD_NUM threads (the
// board's knob for CPU operator threads; default: the hardware threads). Returns at once.
//
// `clock` (may be null) is the BPU device's clock: the work holds one of its work units from
// this call until it returns, so virtual time cannot pass while CPU work is pending.
void RunOnCpuPool(std::function<void()> work, Clock* clock = nullptr);

}  // namespace hb_dnn::runtime

#endif  // HB_DNN_SRC_RUNTIME_CPU_POOL_H_
