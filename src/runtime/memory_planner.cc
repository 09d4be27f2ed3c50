#include "src/runtime/memory_planner.h"

#include <algorithm>
#include <numeric>

#include "src/base/aligned_buffer.h"

namespace hb_dnn::runtime {

ArenaPlan PlanArena(const std::vector<BufferLifetime>& buffers, uint64_t alignment) {
  ArenaPlan plan;
  plan.offsets.assign(buffers.size(), 0);
  std::vector<size_t> order(buffers.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return buffers[a].size > buffers[b].size; });
  struct Placed {
    uint64_t begin, end;
    int first_use, last_use;
  };
  std::vector<Placed> placed;
  for (size_t index : order) {
    const BufferLifetime& b = buffers[index];
    uint64_t size = RoundUp(std::max<uint64_t>(b.size, 1), alignment);
    // Intervals of live-overlapping buffers, sorted by start: take the first gap that fits.
    std::vector<std::pair<uint64_t, uint64_t>> busy;
    for (const Placed& p : placed) {
      if (p.first_use <= b.last_use && b.first_use <= p.last_use) busy.emplace_back(p.begin, p.end);
    }
    std::sort(busy.begin(), busy.end());
    uint64_t offset = 0;
    for (const auto& [begin, end] : busy) {
      if (offset + size <= begin) break;
      offset = std::max(offset, end);
    }
    plan.offsets[index] = offset;
    plan.arena_size = std::max(plan.arena_size, offset + size);
    placed.push_back({offset, offset + size, b.first_use, b.last_use});
  }
  return plan;
}

}  // namespace hb_dnn::runtime
