#include "src/runtime/cpu_pool.h"

#include <optional>
#include <thread>
#include <utility>

#include "oneapi/tbb/global_control.h"
#include "oneapi/tbb/info.h"
#include "oneapi/tbb/task_arena.h"
#include "src/base/env.h"

namespace hb_dnn::runtime {
namespace {

// Tasks are enqueued from application threads that then block in hbDNNWaitTaskDone, so no arena
// slot is reserved for them and the process allows one more TBB thread than the arena uses
// (oneTBB's default pool is one thread short of the core count, because it counts the main thread
// as a worker).
oneapi::tbb::task_arena& CpuArena() {
  static oneapi::tbb::task_arena* arena = [] {
    std::optional<int64_t> threads = GetEnvInt("HB_MAX_THREAD_NUM");
    int concurrency = threads.has_value() && *threads > 0 && *threads <= 256
                          ? static_cast<int>(*threads)
                          : oneapi::tbb::info::default_concurrency();
    static oneapi::tbb::global_control pool_size(
        oneapi::tbb::global_control::max_allowed_parallelism,
        static_cast<size_t>(concurrency) + 1);
    return new oneapi::tbb::task_arena(concurrency, /*reserved_for_masters=*/0);
  }();
  return *arena;
}

}  // namespace

void RunOnCpuPool(std::function<void()> work, Clock* clock) {
  if (clock != nullptr) clock->BeginWork();
  auto job = [work = std::move(work), clock] {
    work();
    if (clock != nullptr) clock->EndWork();
  };
#if defined(__SANITIZE_THREAD__)
  // ThreadSanitizer cannot see the synchronization inside Debian's (uninstrumented) oneTBB and
  // would report every hand-over to a worker as a race; a thread per job keeps its reports about
  // our own code. (Run TSan tests with HB_DNN_SIM_THREADS=1 so kernels stay serial too.)
  std::thread(std::move(job)).detach();
#else
  CpuArena().enqueue(std::move(job));
#endif
}

}  // namespace hb_dnn::runtime
