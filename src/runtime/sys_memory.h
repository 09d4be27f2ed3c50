#ifndef HB_DNN_SRC_RUNTIME_SYS_MEMORY_H_
#define HB_DNN_SRC_RUNTIME_SYS_MEMORY_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <unordered_set>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "src/base/aligned_buffer.h"

namespace hb_dnn::runtime {

// The host stand-in for the board's BPU-visible memory (ION / hbmem) behind hb_sys.h.
// Every block is tracked by its virtual address range, so the C API can reject a double free, a
// foreign or freed hbSysMem, and an access outside a block, instead of corrupting memory.
// A block may be addressed by any sub-range [virAddr, virAddr + memSize) of itself, provided its
// phyAddr sits at the same offset (as board apps do when pointing a tensor into a larger buffer).
// Thread-safe.
class SysMemory {
 public:
  SysMemory();

  enum class Kind { kUncached, kCached, kRegistered };

  struct Region {
    uint64_t phy_addr = 0;
    uint8_t* vir_addr = nullptr;
    uint32_t size = 0;
  };

  struct BlockInfo {
    Region block;  // the whole block
    Kind kind = Kind::kUncached;
    uint64_t clean_count = 0;       // hbSysFlushMem(CLEAN) calls so far
    uint64_t invalidate_count = 0;  // hbSysFlushMem(INVALIDATE) calls so far
  };

  static SysMemory& Instance();

  // A new zeroed, 64-byte aligned block with a unique simulated physical address.
  // kSysInvalidArgument for size 0; kSysOutOfMemory when the host or the simulated BPU memory
  // budget (HB_DNN_SIM_BPU_MEM_SIZE, MiB; unset = unlimited) is exhausted.
  absl::StatusOr<Region> Allocate(uint32_t size, bool cached);

  // Frees a block from Allocate; `region` must start at the block's first byte.
  absl::Status Free(const Region& region);

  // Tracks caller-owned memory. A zero phy_addr gets a simulated one, written back.
  // kSysRegisterMemFailed if it overlaps a tracked block.
  absl::Status Register(Region* region);
  absl::Status Unregister(const Region& region);

  // Validates that [vir, vir+size) lies inside one tracked block with a consistent phy_addr;
  // returns the block's info (a snapshot).
  absl::StatusOr<BlockInfo> Lookup(const Region& region) const;

  // Cache maintenance; `flag` is HB_SYS_MEM_CACHE_INVALIDATE (1) or CLEAN (2). With cache
  // checking on, CLEAN copies the region's CPU view to its device view and INVALIDATE the other
  // way; otherwise both views are the same bytes and only the counts change.
  absl::Status Flush(const Region& region, int32_t flag);

  // The cache model (HB_DNN_SIM_CACHE_CHECK=1, read once, at the first hbSys call). A cached
  // block then has a CPU view (virAddr) and a separate device view, as on a board where the BPU
  // reads DDR while CPU writes may still sit in the cache: the BPU reads and writes the device
  // view, the CPU sees BPU results only after INVALIDATE. Uncached and registered blocks have one
  // view.
  bool cache_check() const { return cache_check_; }

  // Where the BPU reads/writes `size` bytes at CPU address `vir` (inside a tracked block): the
  // device view, or `vir` itself when the block has a single view or is not tracked.
  uint8_t* DeviceView(uint8_t* vir, uint64_t size) const;

  // Cached block with two views: true when the CPU view of the range differs from the device
  // view (CPU writes not yet published with CLEAN).
  bool CpuAheadOfDevice(const uint8_t* vir, uint64_t size) const;

  // Records that the BPU wrote the range / asks whether a BPU write to the block is still
  // waiting for an INVALIDATE. Both no-ops (false) for single-view blocks.
  void MarkDeviceWritten(const uint8_t* vir, uint64_t size);
  bool DeviceWriteNotPulled(const uint8_t* vir, uint64_t size) const;

  size_t live_block_count() const;
  uint64_t live_bytes() const;

 private:
  struct Block {
    BlockInfo info;
    AlignedBytes owned;         // null for registered memory
    AlignedBytes device_view;   // cached blocks under cache checking; else null
    bool device_dirty = false;  // BPU wrote it since the last INVALIDATE
  };

  // Requires mutex_. The block containing [vir, vir + size), or blocks_.end().
  std::map<uintptr_t, Block>::const_iterator Containing(const uint8_t* vir, uint64_t size) const;

  // Requires mutex_. Returns the block containing the region, or an error naming what is wrong.
  absl::StatusOr<std::map<uintptr_t, Block>::iterator> Find(const Region& region, const char* use);
  absl::StatusOr<std::map<uintptr_t, Block>::const_iterator> FindConst(const Region& region,
                                                                       const char* use) const;
  uint64_t NextPhysical(uint32_t size);

  mutable std::mutex mutex_;
  std::map<uintptr_t, Block> blocks_;  // keyed by first virtual address
  std::unordered_set<uintptr_t> freed_;  // recently freed starts, for clearer messages
  uint64_t next_phy_ = 0x10000000;
  uint64_t live_bytes_ = 0;
  const bool cache_check_;
};

}  // namespace hb_dnn::runtime

#endif  // HB_DNN_SRC_RUNTIME_SYS_MEMORY_H_
