/* Vendor-compatible include path: forwards to hb_dnn/hb_dnn.h. */
#include "hb_dnn/hb_dnn.h"
