/*
 * hb_dnn: an open reimplementation of the libdnn board-runtime C API.
 *
 * hb_dnn_export.h: symbol visibility for the public API.
 *
 * The library is built with hidden default visibility; every function, class
 * or variable that belongs to the public ABI is marked with HB_DNN_API so it
 * is exported from libdnn.so. A build system may pre-define HB_DNN_API (for
 * example to nothing for a static build) before including any header.
 */
#ifndef DNN_HB_DNN_EXPORT_H_
#define DNN_HB_DNN_EXPORT_H_

#ifndef HB_DNN_API
#if defined(__GNUC__) || defined(__clang__)
#define HB_DNN_API __attribute__((visibility("default")))
#else
#define HB_DNN_API
#endif
#endif /* HB_DNN_API */

#endif /* DNN_HB_DNN_EXPORT_H_ */
