#include "src/base/aligned_buffer.h"

#include <cstring>
#include <limits>

namespace hb_dnn {

AlignedBytes AllocateAligned(size_t size, bool zeroed) {
  if (size > std::numeric_limits<size_t>::max() - kBufferAlignment) return nullptr;
  size_t rounded = RoundUp(size == 0 ? 1 : size, kBufferAlignment);
  void* p = std::aligned_alloc(kBufferAlignment, rounded);
  if (p == nullptr) return nullptr;
  if (zeroed) {
    std::memset(p, 0, rounded);
  } else if (rounded > size) {
    std::memset(static_cast<uint8_t*>(p) + size, 0, rounded - size);  // the tail past `size`
  }
  return AlignedBytes(static_cast<uint8_t*>(p));
}

}  // namespace hb_dnn
