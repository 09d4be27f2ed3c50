#include "src/kernels/optimized/scratch.h"

#include <cstdlib>

#include "src/base/aligned_buffer.h"
#include "src/base/logging.h"

namespace hb_dnn::kernels::optimized {
namespace {

struct ScratchBuffer {
  AlignedBytes bytes;
  size_t capacity = 0;  // in floats
};

}  // namespace

float* ThreadScratch(ScratchSlot slot, size_t floats) {
  thread_local ScratchBuffer buffers[static_cast<int>(ScratchSlot::kCount)];
  ScratchBuffer& buffer = buffers[static_cast<int>(slot)];
  if (buffer.capacity < floats) {
    // Grow geometrically so that a sequence of slightly larger problems does not reallocate
    // each time.
    const size_t capacity = floats + floats / 2;
    buffer.bytes.reset();
    buffer.bytes = AllocateAligned(capacity * sizeof(float));
    if (buffer.bytes == nullptr) {
      HB_LOG(Fatal) << "out of memory allocating " << capacity * sizeof(float)
                    << " bytes of kernel scratch";
      std::abort();
    }
    buffer.capacity = capacity;
  }
  return reinterpret_cast<float*>(buffer.bytes.get());
}

}  // namespace hb_dnn::kernels::optimized
