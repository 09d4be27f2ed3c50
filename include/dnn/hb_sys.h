/* Vendor-compatible include path: forwards to hb_dnn/hb_sys.h. */
#include "hb_dnn/hb_sys.h"
