// hb_sys.h through libdnn.so: real allocation, tracking, and every misuse the board would punish.

#include <cstdint>
#include <cstring>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hb_dnn/hb_dnn_sim.h"
#include "hb_dnn/hb_sys.h"

namespace {

using ::testing::HasSubstr;

std::string Detail() { return hbDNNGetLastErrorDetail(); }

TEST(SysMem, AllocGivesAlignedZeroedMemoryWithUniquePhysicalAddresses) {
  std::vector<hbSysMem> blocks(16);
  std::set<uint64_t> phys;
  for (size_t i = 0; i < blocks.size(); ++i) {
    uint32_t size = static_cast<uint32_t>(1 + i * 97);
    int32_t rc = i % 2 ? hbSysAllocCachedMem(&blocks[i], size) : hbSysAllocMem(&blocks[i], size);
    ASSERT_EQ(rc, 0) << Detail();
    EXPECT_EQ(blocks[i].memSize, size);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(blocks[i].virAddr) % 64, 0u);
    EXPECT_NE(blocks[i].phyAddr, 0u);
    phys.insert(blocks[i].phyAddr);
    const auto* bytes = static_cast<const uint8_t*>(blocks[i].virAddr);
    for (uint32_t b = 0; b < size; ++b) ASSERT_EQ(bytes[b], 0);
  }
  EXPECT_EQ(phys.size(), blocks.size());
  for (hbSysMem& m : blocks) EXPECT_EQ(hbSysFreeMem(&m), 0);
}

TEST(SysMem, PhysicalAddressesAreNeverReused) {
  hbSysMem a, b;
  ASSERT_EQ(hbSysAllocMem(&a, 4096), 0);
  uint64_t first = a.phyAddr;
  ASSERT_EQ(hbSysFreeMem(&a), 0);
  ASSERT_EQ(hbSysAllocMem(&b, 4096), 0);
  EXPECT_NE(b.phyAddr, first);
  ASSERT_EQ(hbSysFreeMem(&b), 0);
}

TEST(SysMem, WriteReadFlushRoundTrip) {
  hbSysMem m;
  ASSERT_EQ(hbSysAllocCachedMem(&m, 1000), 0);
  std::string src(1000, '\0');
  for (size_t i = 0; i < src.size(); ++i) src[i] = static_cast<char>(i * 7);
  ASSERT_EQ(hbSysWriteMem(&m, src.data(), 1000), 0) << Detail();
  EXPECT_EQ(hbSysFlushMem(&m, HB_SYS_MEM_CACHE_CLEAN), 0);
  EXPECT_EQ(hbSysFlushMem(&m, HB_SYS_MEM_CACHE_INVALIDATE), 0);
  std::string dst(1000, '\0');
  ASSERT_EQ(hbSysReadMem(dst.data(), &m, 1000), 0);
  EXPECT_EQ(src, dst);
  EXPECT_EQ(std::memcmp(m.virAddr, src.data(), 1000), 0);
  // A partial copy touches only its bytes.
  ASSERT_EQ(hbSysReadMem(dst.data(), &m, 10), 0);
  EXPECT_EQ(hbSysFreeMem(&m), 0);
}

TEST(SysMem, SubRangeViewsWithMatchingPhysicalAddress) {
  hbSysMem m;
  ASSERT_EQ(hbSysAllocCachedMem(&m, 4096), 0);
  hbSysMem view{m.phyAddr + 1024, static_cast<uint8_t*>(m.virAddr) + 1024, 512};
  EXPECT_EQ(hbSysFlushMem(&view, HB_SYS_MEM_CACHE_CLEAN), 0) << Detail();
  char buf[512] = {1};
  EXPECT_EQ(hbSysWriteMem(&view, buf, 512), 0) << Detail();
  hbSysMem bad_phy = view;
  bad_phy.phyAddr += 16;
  EXPECT_EQ(hbSysFlushMem(&bad_phy, HB_SYS_MEM_CACHE_CLEAN), HB_SYS_INVALID_ARGUMENT);
  EXPECT_THAT(Detail(), HasSubstr("does not match virAddr"));
  hbSysMem past_end = view;
  past_end.memSize = 4096;
  EXPECT_EQ(hbSysFlushMem(&past_end, HB_SYS_MEM_CACHE_CLEAN), HB_SYS_INVALID_ARGUMENT);
  EXPECT_THAT(Detail(), HasSubstr("runs 1024 bytes past the end of its 4096-byte block"));
  // A view is not a whole block: it cannot be freed.
  EXPECT_EQ(hbSysFreeMem(&view), HB_SYS_INVALID_ARGUMENT);
  EXPECT_THAT(Detail(), HasSubstr("is not a whole block"));
  EXPECT_EQ(hbSysFreeMem(&m), 0);
}

TEST(SysMem, Misuse) {
  hbSysMem m;
  EXPECT_EQ(hbSysAllocMem(&m, 0), HB_SYS_INVALID_ARGUMENT);
  EXPECT_EQ(Detail(), "hbSysAllocMem: size is 0");
  EXPECT_EQ(hbSysAllocCachedMem(nullptr, 16), HB_SYS_INVALID_ARGUMENT);
  EXPECT_EQ(Detail(), "hbSysAllocCachedMem: mem is null");
  EXPECT_EQ(hbSysFreeMem(nullptr), HB_SYS_INVALID_ARGUMENT);
  EXPECT_EQ(hbSysFlushMem(nullptr, 1), HB_SYS_INVALID_ARGUMENT);
  EXPECT_EQ(hbSysRegisterMem(nullptr), HB_SYS_INVALID_ARGUMENT);
  EXPECT_EQ(hbSysUnregisterMem(nullptr), HB_SYS_INVALID_ARGUMENT);

  ASSERT_EQ(hbSysAllocMem(&m, 256), 0);
  char buf[512] = {0};
  EXPECT_EQ(hbSysWriteMem(&m, buf, 257), HB_SYS_INVALID_ARGUMENT);
  EXPECT_EQ(Detail(), "hbSysWriteMem: size 257 > hbSysMem memSize 256");
  EXPECT_EQ(hbSysReadMem(buf, &m, 300), HB_SYS_INVALID_ARGUMENT);
  EXPECT_EQ(hbSysWriteMem(&m, nullptr, 16), HB_SYS_INVALID_ARGUMENT);
  EXPECT_EQ(hbSysReadMem(nullptr, &m, 16), HB_SYS_INVALID_ARGUMENT);
  EXPECT_EQ(hbSysWriteMem(&m, buf, 0), HB_SYS_INVALID_ARGUMENT);
  EXPECT_EQ(hbSysWriteMem(nullptr, buf, 1), HB_SYS_INVALID_ARGUMENT);
  EXPECT_EQ(hbSysFlushMem(&m, 0), HB_SYS_INVALID_ARGUMENT);
  EXPECT_EQ(hbSysFlushMem(&m, 4), HB_SYS_INVALID_ARGUMENT);
  EXPECT_THAT(Detail(), HasSubstr("flag 4 is not"));
  EXPECT_EQ(hbSysFlushMem(&m, HB_SYS_MEM_CACHE_CLEAN | HB_SYS_MEM_CACHE_INVALIDATE),
            HB_SYS_INVALID_ARGUMENT);
  // A shrunken memSize still addresses the block; a grown one runs past it.
  hbSysMem grown = m;
  grown.memSize = 257;
  EXPECT_EQ(hbSysWriteMem(&grown, buf, 257), HB_SYS_INVALID_ARGUMENT);
  EXPECT_THAT(Detail(), HasSubstr("past the end"));

  hbSysMem copy = m;
  ASSERT_EQ(hbSysFreeMem(&m), 0);
  EXPECT_EQ(hbSysFreeMem(&copy), HB_SYS_INVALID_ARGUMENT);
  EXPECT_THAT(Detail(), HasSubstr("was already freed"));
  EXPECT_EQ(hbSysWriteMem(&copy, buf, 1), HB_SYS_INVALID_ARGUMENT);
  EXPECT_EQ(hbSysReadMem(buf, &copy, 1), HB_SYS_INVALID_ARGUMENT);
  EXPECT_EQ(hbSysFlushMem(&copy, HB_SYS_MEM_CACHE_CLEAN), HB_SYS_INVALID_ARGUMENT);

  // Memory the library never handed out.
  hbSysMem foreign{0x1234, buf, sizeof(buf)};
  EXPECT_EQ(hbSysFreeMem(&foreign), HB_SYS_INVALID_ARGUMENT);
  EXPECT_THAT(Detail(), HasSubstr("is not memory from hbSysAllocMem"));
  EXPECT_EQ(hbSysFlushMem(&foreign, HB_SYS_MEM_CACHE_CLEAN), HB_SYS_INVALID_ARGUMENT);
  hbSysMem null_vir{0, nullptr, 16};
  EXPECT_EQ(hbSysFreeMem(&null_vir), HB_SYS_INVALID_ARGUMENT);
}

TEST(SysMem, RegisterExternalMemory) {
  std::vector<char> camera(8192);
  hbSysMem m{0, camera.data(), 8192};
  ASSERT_EQ(hbSysRegisterMem(&m), 0) << Detail();
  EXPECT_NE(m.phyAddr, 0u);  // a simulated physical address was assigned
  EXPECT_EQ(hbSysFlushMem(&m, HB_SYS_MEM_CACHE_CLEAN), 0);
  char buf[16] = "hello";
  EXPECT_EQ(hbSysWriteMem(&m, buf, 16), 0);
  EXPECT_STREQ(camera.data(), "hello");
  // Overlapping registration and freeing registered memory are errors.
  hbSysMem overlap{0, camera.data() + 100, 100};
  EXPECT_EQ(hbSysRegisterMem(&overlap), HB_SYS_REGISTER_MEM_FAILED);
  EXPECT_EQ(hbSysFreeMem(&m), HB_SYS_INVALID_ARGUMENT);
  EXPECT_THAT(Detail(), HasSubstr("use hbSysUnregisterMem"));
  hbSysMem empty{0, camera.data(), 0};
  EXPECT_EQ(hbSysRegisterMem(&empty), HB_SYS_INVALID_ARGUMENT);
  EXPECT_EQ(hbSysUnregisterMem(&m), 0);
  EXPECT_EQ(hbSysUnregisterMem(&m), HB_SYS_INVALID_ARGUMENT);
  // Allocated memory cannot be unregistered.
  hbSysMem a;
  ASSERT_EQ(hbSysAllocMem(&a, 64), 0);
  EXPECT_EQ(hbSysUnregisterMem(&a), HB_SYS_INVALID_ARGUMENT);
  EXPECT_EQ(hbSysFreeMem(&a), 0);
}

TEST(SysMem, ConcurrentAllocFree) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < 500; ++i) {
        hbSysMem m;
        ASSERT_EQ(hbSysAllocCachedMem(&m, static_cast<uint32_t>(64 + (i * 13 + t) % 4096)), 0);
        std::memset(m.virAddr, t, m.memSize);
        ASSERT_EQ(hbSysFlushMem(&m, HB_SYS_MEM_CACHE_CLEAN), 0);
        ASSERT_EQ(hbSysFreeMem(&m), 0);
      }
    });
  }
  for (auto& t : threads) t.join();
}

}  // namespace
