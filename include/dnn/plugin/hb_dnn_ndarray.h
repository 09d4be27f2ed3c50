// Vendor-compatible include path: forwards to hb_dnn/plugin/hb_dnn_ndarray.h.
#include "hb_dnn/plugin/hb_dnn_ndarray.h"
