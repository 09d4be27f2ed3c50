#ifndef HB_DNN_SRC_RUNTIME_MEMORY_PLANNER_H_
#define HB_DNN_SRC_RUNTIME_MEMORY_PLANNER_H_

#include <cstdint>
#include <vector>

namespace hb_dnn::runtime {

// One buffer to place in the arena: `size` bytes live from step `first_use` to `last_use`
// (inclusive, in execution-step units).
struct BufferLifetime {
  uint64_t size = 0;
  int first_use = 0;
  int last_use = 0;
};

struct ArenaPlan {
  std::vector<uint64_t> offsets;  // per buffer, multiples of `alignment`
  uint64_t arena_size = 0;
};

// Greedy-by-size placement: larger buffers first, each at the lowest aligned offset that does not
// overlap a placed buffer whose lifetime intersects its own. Buffers with disjoint lifetimes share
// memory. Deterministic for a given input.
ArenaPlan PlanArena(const std::vector<BufferLifetime>& buffers, uint64_t alignment);

}  // namespace hb_dnn::runtime

#endif  // HB_DNN_SRC_RUNTIME_MEMORY_PLANNER_H_
