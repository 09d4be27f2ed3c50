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

#ifdef __cplusplus
}
#endif /* __cplusplus */

#endif /* DNN_HB_DNN_SIM_H_ */
