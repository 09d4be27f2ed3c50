// Vendor-compatible include path: forwards to hb_dnn/plugin/hb_dnn_plugin.h.
#include "hb_dnn/plugin/hb_dnn_plugin.h"
