#ifndef HB_DNN_SRC_KERNELS_OPTIMIZED_SCRATCH_H_
#define HB_DNN_SRC_KERNELS_OPTIMIZED_SCRATCH_H_

// Per-thread scratch memory for the optimized kernels. Run is const and may run concurrently,
// so packing buffers cannot live in the kernel; they live in thread_local storage instead. Each
// thread has a few independent slots; a slot grows (the only heap allocation, on first use or
// for a larger problem) and is kept until the thread exits.

#include <cstddef>

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

}  // namespace hb_dnn::kernels::optimized

#endif  // HB_DNN_SRC_KERNELS_OPTIMIZED_SCRATCH_H_
