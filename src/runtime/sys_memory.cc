#include "src/runtime/sys_memory.h"

#include <cstring>
#include <limits>

#include "absl/strings/str_cat.h"

#include "src/base/env.h"
#include "src/base/logging.h"
#include "src/base/status.h"

namespace hb_dnn::runtime {
namespace {

constexpr size_t kMaxRememberedFrees = 4096;
constexpr uint64_t kPageSize = 4096;

std::string Ptr(uintptr_t p) { return PointerString(reinterpret_cast<const void*>(p)); }

// Simulated BPU memory budget in bytes, from HB_DNN_SIM_BPU_MEM_SIZE (MiB); 0 = unlimited.
uint64_t BudgetBytes() {
  static const uint64_t budget = [] {
    std::optional<int64_t> mib = GetEnvInt("HB_DNN_SIM_BPU_MEM_SIZE");
    return mib.has_value() && *mib > 0 ? static_cast<uint64_t>(*mib) << 20 : 0;
  }();
  return budget;
}

}  // namespace

SysMemory::SysMemory() : cache_check_(GetEnv("HB_DNN_SIM_CACHE_CHECK").value_or("") == "1") {}

SysMemory& SysMemory::Instance() {
  static SysMemory* memory = new SysMemory();  // never destroyed: frees at exit stay valid
  return *memory;
}

uint64_t SysMemory::NextPhysical(uint32_t size) {
  // Monotonic, page-aligned, with a guard page: addresses are never reused in a process, so a
  // stale phyAddr can never alias a new block.
  uint64_t phy = next_phy_;
  next_phy_ += RoundUp(size, kPageSize) + kPageSize;
  return phy;
}

absl::StatusOr<SysMemory::Region> SysMemory::Allocate(uint32_t size, bool cached) {
  if (size == 0) return Error(ErrorCode::kSysInvalidArgument, "size is 0");
  // Host memory is obtained outside the lock; the budget check and the insertion happen under one
  // lock so concurrent allocations cannot overshoot the budget together.
  AlignedBytes bytes = AllocateAligned(size);
  if (bytes == nullptr) {
    return Errorf(ErrorCode::kSysOutOfMemory, "cannot allocate ", size, " bytes of host memory");
  }
  std::lock_guard<std::mutex> lock(mutex_);
  uint64_t budget = BudgetBytes();
  if (budget != 0 && live_bytes_ + size > budget) {
    return Errorf(ErrorCode::kSysOutOfMemory, "cannot allocate ", size, " bytes: ", live_bytes_,
                  " of the ", budget, "-byte simulated BPU memory (HB_DNN_SIM_BPU_MEM_SIZE) in use");
  }
  Block block;
  block.info.block = Region{NextPhysical(size), bytes.get(), size};
  block.info.kind = cached ? Kind::kCached : Kind::kUncached;
  block.owned = std::move(bytes);
  if (cached && cache_check_) {
    block.device_view = AllocateAligned(size, /*zeroed=*/true);
    if (block.device_view == nullptr) {
      return Errorf(ErrorCode::kSysOutOfMemory, "cannot allocate the ", size,
                    "-byte device view of a cached block (HB_DNN_SIM_CACHE_CHECK=1)");
    }
  }
  Region region = block.info.block;
  uintptr_t key = reinterpret_cast<uintptr_t>(region.vir_addr);
  freed_.erase(key);
  live_bytes_ += size;
  blocks_.emplace(key, std::move(block));
  return region;
}

absl::StatusOr<std::map<uintptr_t, SysMemory::Block>::const_iterator> SysMemory::FindConst(
    const Region& region, const char* use) const {
  return const_cast<SysMemory*>(this)->Find(region, use);
}

absl::StatusOr<std::map<uintptr_t, SysMemory::Block>::iterator> SysMemory::Find(
    const Region& region, const char* use) {
  uintptr_t start = reinterpret_cast<uintptr_t>(region.vir_addr);
  if (region.vir_addr == nullptr) {
    return Errorf(ErrorCode::kSysInvalidArgument, use, ": hbSysMem virAddr is null");
  }
  if (region.size == 0) {
    return Errorf(ErrorCode::kSysInvalidArgument, use, ": hbSysMem memSize is 0");
  }
  auto untracked = [&] {
    return Errorf(ErrorCode::kSysInvalidArgument, use, ": hbSysMem virAddr ", Ptr(start),
                  freed_.count(start) ? " was already freed"
                                      : " is not memory from hbSysAllocMem, hbSysAllocCachedMem "
                                        "or hbSysRegisterMem");
  };
  auto it = blocks_.upper_bound(start);
  if (it == blocks_.begin()) return untracked();
  --it;
  const Region& block = it->second.info.block;
  uint64_t offset = start - it->first;
  if (offset >= block.size) return untracked();
  if (region.size > block.size - offset) {
    return Errorf(ErrorCode::kSysInvalidArgument, use, ": hbSysMem [virAddr ", Ptr(start),
                  ", memSize ", region.size, "] runs ", region.size - (block.size - offset),
                  " bytes past the end of its ", block.size, "-byte block");
  }
  if (region.phy_addr != block.phy_addr + offset) {
    return Errorf(ErrorCode::kSysInvalidArgument, use, ": hbSysMem phyAddr 0x", absl::Hex(region.phy_addr),
                  " does not match virAddr ", Ptr(start), " (expected 0x",
                  absl::Hex(block.phy_addr + offset), ")");
  }
  return it;
}

absl::Status SysMemory::Free(const Region& region) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = Find(region, "hbSysFreeMem");
  if (!found.ok()) return found.status();
  auto it = *found;
  if (it->second.info.kind == Kind::kRegistered) {
    return Error(ErrorCode::kSysInvalidArgument,
                 "hbSysFreeMem: memory was registered with hbSysRegisterMem; use hbSysUnregisterMem");
  }
  if (region.vir_addr != it->second.info.block.vir_addr || region.size != it->second.info.block.size) {
    return Errorf(ErrorCode::kSysInvalidArgument, "hbSysFreeMem: hbSysMem [virAddr ",
                  PointerString(region.vir_addr), ", memSize ", region.size,
                  "] is not a whole block (block starts at ",
                  PointerString(it->second.info.block.vir_addr), " with ",
                  it->second.info.block.size, " bytes)");
  }
  if (it->second.device_dirty) {
    HB_LOG(Warning) << "hbSysFreeMem: block at phyAddr 0x" << absl::StrCat(absl::Hex(it->second.info.block.phy_addr))
                    << " holds BPU results that were never pulled to the CPU with "
                       "hbSysFlushMem(HB_SYS_MEM_CACHE_INVALIDATE); CPU reads of it saw stale data";
  }
  live_bytes_ -= it->second.info.block.size;
  if (freed_.size() >= kMaxRememberedFrees) freed_.clear();
  freed_.insert(it->first);
  blocks_.erase(it);
  return absl::OkStatus();
}

absl::Status SysMemory::Register(Region* region) {
  if (region->vir_addr == nullptr) {
    return Error(ErrorCode::kSysInvalidArgument, "hbSysRegisterMem: hbSysMem virAddr is null");
  }
  if (region->size == 0) {
    return Error(ErrorCode::kSysInvalidArgument, "hbSysRegisterMem: hbSysMem memSize is 0");
  }
  uintptr_t start = reinterpret_cast<uintptr_t>(region->vir_addr);
  if (start > std::numeric_limits<uintptr_t>::max() - region->size) {
    return Error(ErrorCode::kSysInvalidArgument, "hbSysRegisterMem: region wraps the address space");
  }
  std::lock_guard<std::mutex> lock(mutex_);
  auto next = blocks_.lower_bound(start);
  bool overlaps_next = next != blocks_.end() && next->first < start + region->size;
  bool overlaps_prev = false;
  if (next != blocks_.begin()) {
    auto prev = std::prev(next);
    overlaps_prev = prev->first + prev->second.info.block.size > start;
  }
  if (overlaps_next || overlaps_prev) {
    return Errorf(ErrorCode::kSysRegisterMemFailed, "hbSysRegisterMem: [", Ptr(start), ", +",
                  region->size, ") overlaps memory that is already tracked");
  }
  if (region->phy_addr == 0) region->phy_addr = NextPhysical(region->size);
  Block block;
  block.info.block = *region;
  block.info.kind = Kind::kRegistered;
  freed_.erase(start);
  blocks_.emplace(start, std::move(block));
  return absl::OkStatus();
}

absl::Status SysMemory::Unregister(const Region& region) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = Find(region, "hbSysUnregisterMem");
  if (!found.ok()) return found.status();
  auto it = *found;
  if (it->second.info.kind != Kind::kRegistered) {
    return Error(ErrorCode::kSysInvalidArgument,
                 "hbSysUnregisterMem: memory was not registered with hbSysRegisterMem");
  }
  const Region& block = it->second.info.block;
  if (region.vir_addr != block.vir_addr || region.size != block.size) {
    return Errorf(ErrorCode::kSysInvalidArgument, "hbSysUnregisterMem: hbSysMem [virAddr ",
                  PointerString(region.vir_addr), ", memSize ", region.size,
                  "] differs from the registration [", PointerString(block.vir_addr), ", ",
                  block.size, "]");
  }
  if (freed_.size() >= kMaxRememberedFrees) freed_.clear();
  freed_.insert(it->first);
  blocks_.erase(it);
  return absl::OkStatus();
}

absl::StatusOr<SysMemory::BlockInfo> SysMemory::Lookup(const Region& region) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = FindConst(region, "hbSysMem");
  if (!found.ok()) return found.status();
  return (*found)->second.info;
}

absl::Status SysMemory::Flush(const Region& region, int32_t flag) {
  constexpr int32_t kInvalidate = 1;
  constexpr int32_t kClean = 2;
  if (flag != kInvalidate && flag != kClean) {
    return Errorf(ErrorCode::kSysInvalidArgument, "hbSysFlushMem: flag ", flag,
                  " is not HB_SYS_MEM_CACHE_INVALIDATE (1) or HB_SYS_MEM_CACHE_CLEAN (2)");
  }
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = Find(region, "hbSysFlushMem");
  if (!found.ok()) return found.status();
  BlockInfo& info = (*found)->second.info;
  if (flag == kClean) ++info.clean_count;
  if (flag == kInvalidate) ++info.invalidate_count;
  Block& block = (*found)->second;
  if (block.device_view != nullptr) {
    uint8_t* device = block.device_view.get() + (region.vir_addr - info.block.vir_addr);
    if (flag == kClean) {
      std::memcpy(device, region.vir_addr, region.size);
    } else {
      std::memcpy(region.vir_addr, device, region.size);
      block.device_dirty = false;
    }
  }
  return absl::OkStatus();
}

std::map<uintptr_t, SysMemory::Block>::const_iterator SysMemory::Containing(const uint8_t* vir,
                                                                            uint64_t size) const {
  uintptr_t start = reinterpret_cast<uintptr_t>(vir);
  auto it = blocks_.upper_bound(start);
  if (it == blocks_.begin()) return blocks_.end();
  --it;
  uint64_t offset = start - it->first;
  if (offset >= it->second.info.block.size || size > it->second.info.block.size - offset) {
    return blocks_.end();
  }
  return it;
}

uint8_t* SysMemory::DeviceView(uint8_t* vir, uint64_t size) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = Containing(vir, size);
  if (it == blocks_.end() || it->second.device_view == nullptr) return vir;
  return it->second.device_view.get() + (vir - it->second.info.block.vir_addr);
}

bool SysMemory::CpuAheadOfDevice(const uint8_t* vir, uint64_t size) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = Containing(vir, size);
  if (it == blocks_.end() || it->second.device_view == nullptr) return false;
  const uint8_t* device = it->second.device_view.get() + (vir - it->second.info.block.vir_addr);
  return std::memcmp(device, vir, size) != 0;
}

void SysMemory::MarkDeviceWritten(const uint8_t* vir, uint64_t size) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = Containing(vir, size);
  if (it == blocks_.end() || it->second.device_view == nullptr) return;
  const_cast<Block&>(it->second).device_dirty = true;
}

bool SysMemory::DeviceWriteNotPulled(const uint8_t* vir, uint64_t size) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = Containing(vir, size);
  return it != blocks_.end() && it->second.device_dirty;
}

size_t SysMemory::live_block_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return blocks_.size();
}

uint64_t SysMemory::live_bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return live_bytes_;
}

}  // namespace hb_dnn::runtime
