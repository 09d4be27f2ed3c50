#ifndef HB_DNN_SRC_SCHEDULER_SCHEDULER_OPTIONS_H_
#define HB_DNN_SRC_SCHEDULER_SCHEDULER_OPTIONS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace hb_dnn::scheduler {

// How tasks and function-calls are ordered. kPreemptive is the runtime's contract (DESIGN §3);
// the others exist so the benchmark can run the baselines on the same code and traces.
enum class Policy {
  kPreemptive,  // priority 0..255, ties by customId then submission; 255 bypasses the running-set
                // cap and its FCs are committed ahead of every other waiting FC
  kPriority,    // priorities order waiting tasks and FCs; 255 is just the highest priority
  kFifo,        // submission order only; priorities ignored
};

struct Options {
  Policy policy = Policy::kPreemptive;
  // HB_MAX_TASK_NUM: normal tasks in the running set at once (default 8).
  int max_running = 8;
  // BPLAT_CORELIMIT: function-calls committed to one core's hardware FIFO at once, COUNTING the
  // one running (so 1 = commit only to an idle core). 0 = unlimited: every ready FC is committed
  // at once, and a preemptive task waits for everything committed before it.
  int core_limit = 0;
};

// Reads HB_MAX_TASK_NUM and BPLAT_CORELIMIT. Unset means the defaults (8, 0). A value that is not
// an integer in range (HB_MAX_TASK_NUM 1..32, BPLAT_CORELIMIT 0..1024) keeps the default and
// adds a warning to `warnings` naming the variable and the value. Read once per process by the
// runtime: changing the variables later has no effect.
Options OptionsFromEnv(std::vector<std::string>* warnings);

}  // namespace hb_dnn::scheduler

#endif  // HB_DNN_SRC_SCHEDULER_SCHEDULER_OPTIONS_H_
