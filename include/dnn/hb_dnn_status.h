/* Vendor-compatible include path: forwards to hb_dnn/hb_dnn_status.h. */
#include "hb_dnn/hb_dnn_status.h"
