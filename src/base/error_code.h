#ifndef HB_DNN_SRC_BASE_ERROR_CODE_H_
#define HB_DNN_SRC_BASE_ERROR_CODE_H_

#include <cstdint>

namespace hb_dnn {

// The library's failure classes. Values equal the public hbDNNStatus / hbSysStatus codes; base may
// not include the public headers (DESIGN §2), so src/capi static_asserts that the two agree.
enum class ErrorCode : int32_t {
  kOk = 0,
  kInvalidArgument = -6000001,
  kInvalidModel = -6000002,
  kModelNumberExceedLimit = -6000003,
  kInvalidPackedDnnHandle = -6000004,
  kInvalidDnnHandle = -6000005,
  kCanNotOpenFile = -6000006,
  kOutOfMemory = -6000007,
  kTimeout = -6000008,
  kTaskNumExceedLimit = -6000009,
  kTaskBatchSizeExceedLimit = -6000010,
  kInvalidTaskHandle = -6000011,
  kRunTaskFailed = -6000012,
  kModelIsRunning = -6000013,
  kIncompatibleModel = -6000014,
  kApiUseError = -6000015,
  kMultiProgressUseError = -6000016,
  kSysInvalidArgument = -6000129,
  kSysOutOfMemory = -6000130,
  kSysRegisterMemFailed = -6000131,
};

// Short English description of a code ("invalid model"), or nullptr for an unknown value.
const char* ErrorCodeDescription(int32_t code);

}  // namespace hb_dnn

#endif  // HB_DNN_SRC_BASE_ERROR_CODE_H_
