/*
 * hb_dnn: an open reimplementation of the libdnn board-runtime C API.
 *
 * hb_dnn_status.h: status codes of the hbDNN* functions.
 *
 * Every int32_t hbDNN* function returns HB_DNN_SUCCESS (0) on success and one
 * of the negative codes below otherwise. Memory functions (hb_sys.h) use the
 * separate hbSysStatus range (-6000129 ...).
 */
#ifndef DNN_HB_DNN_STATUS_H_
#define DNN_HB_DNN_STATUS_H_

#include <stdint.h>

#include "hb_dnn_export.h"

#ifdef __cplusplus
extern "C" {
#endif /* __cplusplus */

/** Status codes; the numeric values are part of the ABI. */
typedef enum {
  /** The call succeeded. */
  HB_DNN_SUCCESS = 0,
  /** A pointer, index, count, shape or enum argument is invalid. */
  HB_DNN_INVALID_ARGUMENT = -6000001,
  /** A model file or image is malformed, truncated or of an unknown format. */
  HB_DNN_INVALID_MODEL = -6000002,
  /** Too many models (or model files) in one packed handle. */
  HB_DNN_MODEL_NUMBER_EXCEED_LIMIT = -6000003,
  /** The packed handle is NULL, unknown or already released. */
  HB_DNN_INVALID_PACKED_DNN_HANDLE = -6000004,
  /** The model handle is NULL, unknown or its packed handle was released. */
  HB_DNN_INVALID_DNN_HANDLE = -6000005,
  /** A model file does not exist or cannot be opened / read. */
  HB_DNN_CAN_NOT_OPEN_FILE = -6000006,
  /** The library ran out of memory. */
  HB_DNN_OUT_OF_MEMORY = -6000007,
  /** A wait ended before the task finished; the task keeps running. */
  HB_DNN_TIMEOUT = -6000008,
  /** Too many tasks exist at the same time. */
  HB_DNN_TASK_NUM_EXCEED_LIMIT = -6000009,
  /** Too many submissions were batched into one task. */
  HB_DNN_TASK_BATCH_SIZE_EXCEED_LIMIT = -6000010,
  /** The task handle is NULL, unknown or already released. */
  HB_DNN_INVALID_TASK_HANDLE = -6000011,
  /** The task failed while executing. */
  HB_DNN_RUN_TASK_FAILED = -6000012,
  /** The operation conflicts with a task that is still running. */
  HB_DNN_MODEL_IS_RUNNING = -6000013,
  /** The model was built for a different BPU architecture or runtime. */
  HB_DNN_INCOMPATIBLE_MODEL = -6000014,
  /** The API was used in an unsupported way or order. */
  HB_DNN_API_USE_ERROR = -6000015,
  /** The library was used from several processes in an unsupported way. */
  HB_DNN_MULTI_PROGRESS_USE_ERROR = -6000016
} hbDNNStatus;

/**
 * Returns a short English description of a status code.
 *
 * Accepts every hbDNNStatus and hbSysStatus value; any other value yields a
 * generic "unknown error code" text. The returned string is a static string
 * owned by the library: never NULL, never to be freed, valid for the life of
 * the process. Thread-safe, non-blocking.
 *
 * For the detail of the latest failure on the calling thread (which file,
 * which tensor, ...) see hbDNNGetLastErrorDetail() in hb_dnn_sim.h.
 *
 * @param[in] errorCode  a status code returned by this library.
 * @return the description.
 */
HB_DNN_API char const *hbDNNGetErrorDesc(int32_t errorCode);

#ifdef __cplusplus
}
#endif /* __cplusplus */

#endif /* DNN_HB_DNN_STATUS_H_ */
