#include "src/runtime/memory_planner.h"

#include <random>

#include "gtest/gtest.h"

namespace hb_dnn::runtime {
namespace {

bool Overlap(const BufferLifetime& a, uint64_t oa, const BufferLifetime& b, uint64_t ob) {
  bool live = a.first_use <= b.last_use && b.first_use <= a.last_use;
  bool space = oa < ob + b.size && ob < oa + a.size;
  return live && space;
}

TEST(MemoryPlanner, ChainReusesMemory) {
  // a -> b -> c -> d: each buffer only lives with its neighbour, so two slots suffice.
  std::vector<BufferLifetime> chain = {{1000, -1, 0}, {1000, 0, 1}, {1000, 1, 2}, {1000, 2, 3}};
  ArenaPlan plan = PlanArena(chain, 64);
  EXPECT_EQ(plan.arena_size, 2 * 1024u);
  EXPECT_EQ(plan.offsets[0], plan.offsets[2]);
  EXPECT_EQ(plan.offsets[1], plan.offsets[3]);
}

TEST(MemoryPlanner, AlignmentAndEmptyBuffers) {
  ArenaPlan plan = PlanArena({{1, 0, 0}, {0, 0, 0}, {65, 0, 0}}, 64);
  for (uint64_t o : plan.offsets) EXPECT_EQ(o % 64, 0u);
  EXPECT_EQ(plan.arena_size, 64u + 64u + 128u);
  EXPECT_EQ(PlanArena({}, 64).arena_size, 0u);
}

TEST(MemoryPlanner, RandomPlansNeverOverlapLiveBuffers) {
  std::mt19937 rng(3);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<BufferLifetime> buffers(1 + rng() % 40);
    uint64_t total = 0;
    for (auto& b : buffers) {
      b.size = rng() % 5000;
      b.first_use = static_cast<int>(rng() % 30) - 1;
      b.last_use = b.first_use + static_cast<int>(rng() % 10);
      total += (b.size + 63) / 64 * 64 + 64;
    }
    ArenaPlan plan = PlanArena(buffers, 64);
    EXPECT_LE(plan.arena_size, total);
    for (size_t i = 0; i < buffers.size(); ++i) {
      EXPECT_LE(plan.offsets[i] + buffers[i].size, plan.arena_size);
      for (size_t j = i + 1; j < buffers.size(); ++j) {
        ASSERT_FALSE(Overlap(buffers[i], plan.offsets[i], buffers[j], plan.offsets[j]))
            << "trial " << trial << " buffers " << i << " and " << j;
      }
    }
  }
}

}  // namespace
}  // namespace hb_dnn::runtime
