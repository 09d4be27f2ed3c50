#ifndef HB_DNN_SRC_BASE_PARALLEL_FOR_H_
#define HB_DNN_SRC_BASE_PARALLEL_FOR_H_

// Data-parallel loops for the CPU kernels. oneTBB is used only behind this interface, so the
// runtime's worker arena (and its concurrency limit) governs how many threads a kernel uses:
// ParallelFor runs on the arena of the calling thread.

#include <cstdint>
#include <memory>

#include "absl/functional/function_ref.h"

namespace hb_dnn {

// Calls `fn(chunk_begin, chunk_end)` on disjoint chunks that together cover [begin, end),
// possibly concurrently, and returns when all have finished. `grain` is the length below which a
// chunk is not split further (chunks are about grain / 2 .. grain long or longer; grain 1 lets
// every index be its own chunk). `fn` must be safe to call concurrently on different chunks. A
// thread waiting for its chunks may run chunks of other ParallelFor calls meanwhile. An empty
// range calls nothing. Serial (one call fn(begin, end)) when HB_DNN_SIM_THREADS=1 was set at
// start-up, when the range is at most `grain` long, or when MaxParallelism() is 1.
void ParallelFor(int64_t begin, int64_t end, int64_t grain,
                 absl::FunctionRef<void(int64_t, int64_t)> fn);

// How many threads a ParallelFor started from the calling thread may use at most (1 in serial
// mode). Kernels use it to size their work split.
int MaxParallelism();

// Caps, while alive, the threads every ParallelFor in the process may use (tbb::global_control;
// with several alive the smallest cap wins). For benchmarks and tests that compare thread
// counts; not for the runtime's hot path.
class ScopedParallelismLimit {
 public:
  explicit ScopedParallelismLimit(int max_threads);
  ~ScopedParallelismLimit();
  ScopedParallelismLimit(const ScopedParallelismLimit&) = delete;
  ScopedParallelismLimit& operator=(const ScopedParallelismLimit&) = delete;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hb_dnn

#endif  // HB_DNN_SRC_BASE_PARALLEL_FOR_H_
