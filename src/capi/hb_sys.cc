// hb_sys.h: BPU-visible memory, simulated on the host by runtime::SysMemory.

#include <cstring>

#include "hb_dnn/hb_sys.h"
#include "src/base/status.h"
#include "src/base/status_macros.h"
#include "src/capi/capi_call.h"
#include "src/runtime/sys_memory.h"

using hb_dnn::ErrorCode;
using hb_dnn::Errorf;
using hb_dnn::capi::CheckNotNull;
using hb_dnn::capi::SysCall;
using hb_dnn::runtime::SysMemory;

namespace {

SysMemory::Region RegionOf(const hbSysMem& mem) {
  return SysMemory::Region{mem.phyAddr, static_cast<uint8_t*>(mem.virAddr), mem.memSize};
}

absl::Status CheckMem(const hbSysMem* mem, const char* name) {
  return CheckNotNull(mem, name, ErrorCode::kSysInvalidArgument);
}

int32_t Allocate(const char* function, hbSysMem* mem, uint32_t size, bool cached) {
  return SysCall(function, [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckMem(mem, "mem"));
    HB_ASSIGN_OR_RETURN(SysMemory::Region region, SysMemory::Instance().Allocate(size, cached));
    mem->phyAddr = region.phy_addr;
    mem->virAddr = region.vir_addr;
    mem->memSize = region.size;
    return absl::OkStatus();
  });
}

// Checks a host copy of `size` bytes against the hbSysMem's own range.
absl::Status CheckCopy(const hbSysMem& mem, const void* host, const char* host_name,
                       uint32_t size) {
  HB_RETURN_IF_ERROR(CheckNotNull(host, host_name, ErrorCode::kSysInvalidArgument));
  if (size == 0) return hb_dnn::Error(ErrorCode::kSysInvalidArgument, "size is 0");
  if (size > mem.memSize) {
    return Errorf(ErrorCode::kSysInvalidArgument, "size ", size, " > hbSysMem memSize ",
                  mem.memSize);
  }
  return SysMemory::Instance().Lookup(RegionOf(mem)).status();
}

}  // namespace

extern "C" {

int32_t hbSysAllocMem(hbSysMem* mem, uint32_t size) {
  return Allocate("hbSysAllocMem", mem, size, /*cached=*/false);
}

int32_t hbSysAllocCachedMem(hbSysMem* mem, uint32_t size) {
  return Allocate("hbSysAllocCachedMem", mem, size, /*cached=*/true);
}

int32_t hbSysFlushMem(hbSysMem* mem, int32_t flag) {
  return SysCall("hbSysFlushMem", [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckMem(mem, "mem"));
    return SysMemory::Instance().Flush(RegionOf(*mem), flag);
  });
}

int32_t hbSysWriteMem(hbSysMem* dest, char* src, uint32_t size) {
  return SysCall("hbSysWriteMem", [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckMem(dest, "dest"));
    HB_RETURN_IF_ERROR(CheckCopy(*dest, src, "src", size));
    std::memmove(dest->virAddr, src, size);
    return absl::OkStatus();
  });
}

int32_t hbSysReadMem(char* dest, hbSysMem* src, uint32_t size) {
  return SysCall("hbSysReadMem", [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckMem(src, "src"));
    HB_RETURN_IF_ERROR(CheckCopy(*src, dest, "dest", size));
    std::memmove(dest, src->virAddr, size);
    return absl::OkStatus();
  });
}

int32_t hbSysFreeMem(hbSysMem* mem) {
  return SysCall("hbSysFreeMem", [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckMem(mem, "mem"));
    return SysMemory::Instance().Free(RegionOf(*mem));
  });
}

int32_t hbSysRegisterMem(hbSysMem* mem) {
  return SysCall("hbSysRegisterMem", [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckMem(mem, "mem"));
    SysMemory::Region region = RegionOf(*mem);
    HB_RETURN_IF_ERROR(SysMemory::Instance().Register(&region));
    mem->phyAddr = region.phy_addr;
    return absl::OkStatus();
  });
}

int32_t hbSysUnregisterMem(hbSysMem* mem) {
  return SysCall("hbSysUnregisterMem", [&]() -> absl::Status {
    HB_RETURN_IF_ERROR(CheckMem(mem, "mem"));
    return SysMemory::Instance().Unregister(RegionOf(*mem));
  });
}

}  // extern "C"
