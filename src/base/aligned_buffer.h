#ifndef HB_DNN_SRC_BASE_ALIGNED_BUFFER_H_
#define HB_DNN_SRC_BASE_ALIGNED_BUFFER_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>

namespace hb_dnn {

// Alignment of every buffer the library hands out or reads weights from: a cache line, and the
// widest SIMD register (AVX-512).
inline constexpr size_t kBufferAlignment = 64;

struct AlignedFree {
  void operator()(void* p) const { std::free(p); }
};

// An owned, zero-initialised, kBufferAlignment-aligned byte block.
using AlignedBytes = std::unique_ptr<uint8_t[], AlignedFree>;

// Allocates `size` bytes (size 0 allocates one alignment unit so the pointer is unique), zeroed
// unless `zeroed` is false (for callers that overwrite every byte at once); nullptr when the
// allocation fails. Never throws.
AlignedBytes AllocateAligned(size_t size, bool zeroed = true);

inline constexpr size_t RoundUp(size_t value, size_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

}  // namespace hb_dnn

#endif  // HB_DNN_SRC_BASE_ALIGNED_BUFFER_H_
