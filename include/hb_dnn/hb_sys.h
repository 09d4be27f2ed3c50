/*
 * hb_dnn: an open reimplementation of the libdnn board-runtime C API.
 *
 * hb_sys.h: memory that the (simulated) BPU can access.
 *
 * Tensors handed to inference live in hbSysMem blocks. On a board these are
 * physically contiguous buffers; in hb_dnn they are host allocations with a
 * simulated physical address, and cacheable blocks model a CPU cache that
 * must be cleaned / invalidated exactly as on a board.
 *
 * Every int32_t function returns HB_SYS_SUCCESS (0) on success, otherwise a
 * negative hbSysStatus code. All functions are thread-safe as long as two
 * threads do not operate on the same block at the same time (for example
 * freeing a block while another thread reads it is undefined). None of them
 * blocks for longer than the copy or allocation it performs.
 */
#ifndef DNN_HB_SYS_H_
#define DNN_HB_SYS_H_

#include <stdint.h>

#include "hb_dnn_export.h"

#ifdef __cplusplus
extern "C" {
#endif /* __cplusplus */

/**
 * BPU core selection. The values are bits, so a mask of cores can be formed;
 * HB_BPU_CORE_ANY lets the runtime pick a core.
 */
typedef enum {
  HB_BPU_CORE_ANY = 0,
  HB_BPU_CORE_0 = (1 << 0),
  HB_BPU_CORE_1 = (1 << 1)
} hbBPUCore;

/**
 * DSP core selection. Present for source compatibility; the supported
 * targets have no DSP, so the value is accepted and otherwise ignored.
 */
typedef enum {
  HB_DSP_CORE_ANY = 0,
  HB_DSP_CORE_0 = (1 << 0),
  HB_DSP_CORE_1 = (1 << 1)
} hbDSPCore;

/**
 * A block of BPU-accessible memory.
 *
 * phyAddr: address of the block as seen by the BPU (simulated in hb_dnn;
 *          never dereference it).
 * virAddr: CPU address of the first byte.
 * memSize: usable size of the block in bytes.
 *
 * Layout (LP64): phyAddr @0, virAddr @8, memSize @16, sizeof == 24.
 */
typedef struct {
  uint64_t phyAddr;
  void *virAddr;
  uint32_t memSize;
} hbSysMem;

/**
 * Cache maintenance direction for hbSysFlushMem().
 *
 * HB_SYS_MEM_CACHE_INVALIDATE: drop the CPU's cached copy so the CPU sees
 *   what the BPU wrote (use after a task finished, before reading outputs).
 * HB_SYS_MEM_CACHE_CLEAN: write CPU-cached data back so the BPU sees it
 *   (use after the CPU filled inputs, before submitting a task).
 */
typedef enum {
  HB_SYS_MEM_CACHE_INVALIDATE = 1,
  HB_SYS_MEM_CACHE_CLEAN = 2
} hbSysMemFlushFlag;

/** Status codes of the hbSys* functions. */
typedef enum {
  HB_SYS_SUCCESS = 0,
  HB_SYS_INVALID_ARGUMENT = -6000129,
  HB_SYS_OUT_OF_MEMORY = -6000130,
  HB_SYS_REGISTER_MEM_FAILED = -6000131
} hbSysStatus;

/**
 * Allocates a non-cacheable block of at least @p size bytes.
 *
 * CPU writes are visible to the BPU without hbSysFlushMem() (flushing such a
 * block is allowed and does nothing). On success phyAddr, virAddr and memSize
 * of @p mem are filled in; the caller owns the block and must release it with
 * hbSysFreeMem(). The contents are zero-initialised.
 *
 * @param[out] mem   receives the block description.
 * @param[in]  size  requested size in bytes, > 0.
 * @return HB_SYS_SUCCESS;
 *         HB_SYS_INVALID_ARGUMENT if @p mem is NULL or @p size is 0;
 *         HB_SYS_OUT_OF_MEMORY if the allocation fails (then @p mem is left
 *         unchanged).
 */
HB_DNN_API int32_t hbSysAllocMem(hbSysMem *mem, uint32_t size);

/**
 * Allocates a cacheable block of at least @p size bytes.
 *
 * Same contract as hbSysAllocMem(), except that the CPU view is cached:
 * call hbSysFlushMem(mem, HB_SYS_MEM_CACHE_CLEAN) after the CPU writes and
 * before the BPU reads, and HB_SYS_MEM_CACHE_INVALIDATE after the BPU writes
 * and before the CPU reads. Release with hbSysFreeMem().
 *
 * @param[out] mem   receives the block description.
 * @param[in]  size  requested size in bytes, > 0.
 * @return HB_SYS_SUCCESS, HB_SYS_INVALID_ARGUMENT or HB_SYS_OUT_OF_MEMORY.
 */
HB_DNN_API int32_t hbSysAllocCachedMem(hbSysMem *mem, uint32_t size);

/**
 * Performs cache maintenance on a whole block.
 *
 * For non-cacheable and registered blocks this is a successful no-op.
 * Non-blocking apart from the maintenance itself.
 *
 * @param[in] mem   a block obtained from hbSysAllocMem(),
 *                  hbSysAllocCachedMem() or hbSysRegisterMem().
 * @param[in] flag  HB_SYS_MEM_CACHE_CLEAN or HB_SYS_MEM_CACHE_INVALIDATE.
 * @return HB_SYS_SUCCESS;
 *         HB_SYS_INVALID_ARGUMENT if @p mem is NULL, does not describe a
 *         live block of this library, or @p flag is not one of the two
 *         hbSysMemFlushFlag values.
 */
HB_DNN_API int32_t hbSysFlushMem(hbSysMem *mem, int32_t flag);

/**
 * Copies @p size bytes from the host buffer @p src to the start of @p dest.
 *
 * The copy goes through the CPU view of the block: for cacheable blocks,
 * clean the cache afterwards before the BPU reads the data.
 *
 * @param[in] dest  destination block (its virAddr must be valid).
 * @param[in] src   host source buffer of at least @p size bytes.
 * @param[in] size  number of bytes; must not exceed dest->memSize.
 * @return HB_SYS_SUCCESS;
 *         HB_SYS_INVALID_ARGUMENT if a pointer is NULL or @p size exceeds
 *         dest->memSize (nothing is copied then).
 */
HB_DNN_API int32_t hbSysWriteMem(hbSysMem *dest, char *src, uint32_t size);

/**
 * Copies @p size bytes from the start of block @p src to host buffer @p dest.
 *
 * For cacheable blocks written by the BPU, invalidate the cache first.
 *
 * @param[out] dest  host destination buffer of at least @p size bytes.
 * @param[in]  src   source block (its virAddr must be valid).
 * @param[in]  size  number of bytes; must not exceed src->memSize.
 * @return HB_SYS_SUCCESS;
 *         HB_SYS_INVALID_ARGUMENT if a pointer is NULL or @p size exceeds
 *         src->memSize (nothing is copied then).
 */
HB_DNN_API int32_t hbSysReadMem(char *dest, hbSysMem *src, uint32_t size);

/**
 * Releases a block obtained from hbSysAllocMem() or hbSysAllocCachedMem().
 *
 * The block must no longer be referenced by a task that has not finished.
 * After success the addresses in @p mem are dangling.
 *
 * @param[in] mem  the block to free.
 * @return HB_SYS_SUCCESS;
 *         HB_SYS_INVALID_ARGUMENT if @p mem is NULL or does not describe a
 *         live allocation of this library; in particular freeing the same
 *         block twice returns HB_SYS_INVALID_ARGUMENT the second time.
 */
HB_DNN_API int32_t hbSysFreeMem(hbSysMem *mem);

/**
 * Registers caller-owned memory so it can back tensors.
 *
 * Deprecated; kept for source compatibility. The caller fills phyAddr,
 * virAddr and memSize; the library does not take ownership and never frees
 * the memory. Registered memory is treated as cacheable. Undo with
 * hbSysUnregisterMem() before releasing the memory.
 *
 * @param[in] mem  description of the region to register.
 * @return HB_SYS_SUCCESS;
 *         HB_SYS_INVALID_ARGUMENT if @p mem is NULL, virAddr is NULL or
 *         memSize is 0;
 *         HB_SYS_REGISTER_MEM_FAILED if the region overlaps a block that is
 *         already allocated or registered.
 */
HB_DNN_API int32_t hbSysRegisterMem(hbSysMem *mem);

/**
 * Unregisters memory registered with hbSysRegisterMem().
 *
 * Deprecated; kept for source compatibility. Does not free the memory.
 *
 * @param[in] mem  the same description that was registered.
 * @return HB_SYS_SUCCESS;
 *         HB_SYS_INVALID_ARGUMENT if @p mem is NULL or was not registered.
 */
HB_DNN_API int32_t hbSysUnregisterMem(hbSysMem *mem);

#ifdef __cplusplus
}
#endif /* __cplusplus */

#endif /* DNN_HB_SYS_H_ */
