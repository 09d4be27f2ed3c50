/*
 * hb_dnn: an open reimplementation of the libdnn board-runtime C API.
 *
 * hb_dnn_sim.h: hb_dnn extensions that are NOT part of the vendor libdnn
 * API. Code that must also build against the vendor library should include
 * this header and call these functions only when it is available (for
 * example under `__has_include("hb_dnn/hb_dnn_sim.h")`).
 */
#ifndef DNN_HB_DNN_SIM_H_
#define DNN_HB_DNN_SIM_H_

#include <stdint.h>

#include "hb_dnn.h"
#include "hb_dnn_export.h"

#ifdef __cplusplus
extern "C" {
#endif /* __cplusplus */

/**
 * Returns the detailed message of the most recent failing call made by the
 * calling thread into this library (hbDNN* and hbSys* functions), for
 * example "hbDNNInitializeFromFiles: file 'x.hbm': no such file".
 *
 * The status code says what kind of error happened; this message says which
 * argument, file, model or tensor caused it. The message is per thread: a
 * failure on one thread never changes what another thread sees. Successful
 * calls do not clear it.
 *
 * hb_dnn extension; the vendor API has no equivalent.
 *
 * @return a NUL-terminated message, or an empty string if no call of this
 *         thread has failed yet. Never NULL. The pointer is owned by the
 *         library and stays valid until the calling thread makes its next
 *         call into the library (or exits). Thread-safe, non-blocking.
 */
HB_DNN_API char const *hbDNNGetLastErrorDetail(void);

/**
 * Where a finished task's time went, measured on the simulated BPU's clock:
 * the host's monotonic clock, or the simulator's discrete-event clock when
 * HB_DNN_SIM_TIMING=virtual (then the numbers are exact and reproducible:
 * CPU segments take no virtual time, each function-call takes the march's
 * per-FC overhead plus its modelled duration).
 */
typedef struct {
  int64_t submitNs;    /**< when hbDNNInfer created the task */
  int64_t endNs;       /**< when the task completed */
  int64_t latencyNs;   /**< endNs - submitNs */
  int64_t bpuNs;       /**< sum over its function-calls of their core occupancy */
  int32_t fcCount;     /**< function-calls executed */
  int32_t bpuCoreId;   /**< core index (0, 1) its function-calls ran on; -1 if none */
} hbDNNSimTaskTiming;

/**
 * Fills `timing` for a task that has completed (successfully or not).
 *
 * hb_dnn extension.
 *
 * @return 0; HB_DNN_INVALID_ARGUMENT if `timing` is NULL;
 *         HB_DNN_INVALID_TASK_HANDLE for a null, released or foreign handle;
 *         HB_DNN_API_USE_ERROR if the task has not completed yet.
 */
HB_DNN_API int32_t hbDNNSimGetTaskTiming(hbDNNTaskHandle_t taskHandle,
                                         hbDNNSimTaskTiming *timing);

/**
 * Installs a fault plan on the simulated BPU, replacing any previous one
 * (the same syntax as the HB_DNN_SIM_FAULTS environment variable); an empty
 * string removes all faults. FC counting restarts with the next
 * function-call. Faults: "error[:fc=N][:core=K]" (a device error: the task
 * fails with HB_DNN_RUN_TASK_FAILED), "timeout[:fc=N][:core=K][:after_us=T]"
 * (the FC hangs until the watchdog: the task fails with HB_DNN_TIMEOUT),
 * "slow:core=K[:factor=F]" (FCs on core K take F times longer); several
 * faults are separated by ';'.
 *
 * hb_dnn extension, for testing how an application handles BPU failures.
 *
 * @return 0; HB_DNN_INVALID_ARGUMENT for a NULL or malformed spec (the
 *         detail names the offending field); HB_DNN_API_USE_ERROR when no
 *         model with BPU segments has been loaded yet (the simulated BPU
 *         starts with the first one) or the backend is not the simulator.
 */
HB_DNN_API int32_t hbDNNSimSetFaults(char const *spec);

#ifdef __cplusplus
}
#endif /* __cplusplus */

#endif /* DNN_HB_DNN_SIM_H_ */
