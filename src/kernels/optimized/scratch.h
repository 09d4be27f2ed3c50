#ifndef HB_DNN_SRC_KERNELS_OPTIMIZED_SCRATCH_H_
#define HB_DNN_SRC_KERNELS_OPTIMIZED_SCRATCH_H_

// Per-thread scratch memory for the optimized kernels. Run is const and may run concurrently,
// so packing buffers cannot live in the kernel; they live in thread_local storage instead. Each
// thread has a few independent slots; a slot grows (the only heap allocation, on first use or
// for a larger problem) and is kept until the thread exits.

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "src/base/parallel_for.h"

namespace hb_dnn::kernels::optimized {

// Scratch slots; a caller uses distinct slots for buffers it needs at the same time.
// kConvInput is for code outside ParallelFor bodies, kConvInputTask for code inside them (a
// thread waiting in ParallelFor may run another kernel's body, which must not clobber the
// buffer its outer frame is still using).
enum class ScratchSlot : int {
  kPackA = 0,
  kPackB,
  kOutput,
  kConvInput,
  kConvInputTask,
  kCount,
};

// At least `floats` floats, 64-byte aligned, for the calling thread. Valid until the next call
// for the same slot on this thread; the contents are unspecified. Aborts if memory runs out.
// A ParallelFor body may use it but must finish with the buffer before returning, since the
// thread may then run another body (of any kernel) that takes the same slot.
float* ThreadScratch(ScratchSlot slot, size_t floats);

// Calls run_one(p, parallel, task) for each of the `problems` GEMMs of a convolution (one per
// image and group), each of `macs` multiply-adds. Many small GEMMs (grouped convolutions,
// batches of small images) are spread over the threads whole, in chunks of at least
// `min_chunk_macs`: parallel = false and task = true (inside a ParallelFor body, whose buffers
// take kConvInputTask). Otherwise they run one after another with parallel = true, task = false.
template <typename RunOne>
void ForEachConvGemm(int64_t problems, int64_t macs, int64_t min_chunk_macs,
                     const RunOne& run_one) {
  const bool across = problems > 1 && macs * MaxParallelism() < (int64_t{1} << 22);
  if (!across) {
    for (int64_t p = 0; p < problems; ++p) run_one(p, true, false);
    return;
  }
  const int64_t grain = std::max<int64_t>(1, min_chunk_macs / std::max<int64_t>(1, macs));
  ParallelFor(0, problems, grain, [&](int64_t begin, int64_t end) {
    for (int64_t p = begin; p < end; ++p) run_one(p, false, true);
  });
}

}  // namespace hb_dnn::kernels::optimized

#endif  // HB_DNN_SRC_KERNELS_OPTIMIZED_SCRATCH_H_
