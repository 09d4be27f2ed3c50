// Compile-time proof that the internal enums (which lower layers use without seeing the public
// headers) carry exactly the public values.

#include "hb_dnn/hb_dnn.h"
#include "hb_dnn/hb_dnn_ext.h"
#include "hb_dnn/hb_dnn_status.h"
#include "hb_dnn/hb_sys.h"
#include "hbm_generated.h"
#include "src/base/error_code.h"

namespace hb_dnn::capi {
namespace {

constexpr int32_t V(ErrorCode c) { return static_cast<int32_t>(c); }
static_assert(V(ErrorCode::kInvalidArgument) == HB_DNN_INVALID_ARGUMENT);
static_assert(V(ErrorCode::kInvalidModel) == HB_DNN_INVALID_MODEL);
static_assert(V(ErrorCode::kModelNumberExceedLimit) == HB_DNN_MODEL_NUMBER_EXCEED_LIMIT);
static_assert(V(ErrorCode::kInvalidPackedDnnHandle) == HB_DNN_INVALID_PACKED_DNN_HANDLE);
static_assert(V(ErrorCode::kInvalidDnnHandle) == HB_DNN_INVALID_DNN_HANDLE);
static_assert(V(ErrorCode::kCanNotOpenFile) == HB_DNN_CAN_NOT_OPEN_FILE);
static_assert(V(ErrorCode::kOutOfMemory) == HB_DNN_OUT_OF_MEMORY);
static_assert(V(ErrorCode::kTimeout) == HB_DNN_TIMEOUT);
static_assert(V(ErrorCode::kTaskNumExceedLimit) == HB_DNN_TASK_NUM_EXCEED_LIMIT);
static_assert(V(ErrorCode::kTaskBatchSizeExceedLimit) == HB_DNN_TASK_BATCH_SIZE_EXCEED_LIMIT);
static_assert(V(ErrorCode::kInvalidTaskHandle) == HB_DNN_INVALID_TASK_HANDLE);
static_assert(V(ErrorCode::kRunTaskFailed) == HB_DNN_RUN_TASK_FAILED);
static_assert(V(ErrorCode::kModelIsRunning) == HB_DNN_MODEL_IS_RUNNING);
static_assert(V(ErrorCode::kIncompatibleModel) == HB_DNN_INCOMPATIBLE_MODEL);
static_assert(V(ErrorCode::kApiUseError) == HB_DNN_API_USE_ERROR);
static_assert(V(ErrorCode::kMultiProgressUseError) == HB_DNN_MULTI_PROGRESS_USE_ERROR);
static_assert(V(ErrorCode::kSysInvalidArgument) == HB_SYS_INVALID_ARGUMENT);
static_assert(V(ErrorCode::kSysOutOfMemory) == HB_SYS_OUT_OF_MEMORY);
static_assert(V(ErrorCode::kSysRegisterMemFailed) == HB_SYS_REGISTER_MEM_FAILED);

constexpr int D(fb::DataType t) { return static_cast<int>(t); }
static_assert(D(fb::DataType::IMG_Y) == HB_DNN_IMG_TYPE_Y);
static_assert(D(fb::DataType::IMG_NV12) == HB_DNN_IMG_TYPE_NV12);
static_assert(D(fb::DataType::IMG_NV12_SEPARATE) == HB_DNN_IMG_TYPE_NV12_SEPARATE);
static_assert(D(fb::DataType::IMG_YUV444) == HB_DNN_IMG_TYPE_YUV444);
static_assert(D(fb::DataType::IMG_RGB) == HB_DNN_IMG_TYPE_RGB);
static_assert(D(fb::DataType::IMG_BGR) == HB_DNN_IMG_TYPE_BGR);
static_assert(D(fb::DataType::S4) == HB_DNN_TENSOR_TYPE_S4);
static_assert(D(fb::DataType::U4) == HB_DNN_TENSOR_TYPE_U4);
static_assert(D(fb::DataType::S8) == HB_DNN_TENSOR_TYPE_S8);
static_assert(D(fb::DataType::U8) == HB_DNN_TENSOR_TYPE_U8);
static_assert(D(fb::DataType::F16) == HB_DNN_TENSOR_TYPE_F16);
static_assert(D(fb::DataType::S16) == HB_DNN_TENSOR_TYPE_S16);
static_assert(D(fb::DataType::U16) == HB_DNN_TENSOR_TYPE_U16);
static_assert(D(fb::DataType::F32) == HB_DNN_TENSOR_TYPE_F32);
static_assert(D(fb::DataType::S32) == HB_DNN_TENSOR_TYPE_S32);
static_assert(D(fb::DataType::U32) == HB_DNN_TENSOR_TYPE_U32);
static_assert(D(fb::DataType::F64) == HB_DNN_TENSOR_TYPE_F64);
static_assert(D(fb::DataType::S64) == HB_DNN_TENSOR_TYPE_S64);
static_assert(D(fb::DataType::U64) == HB_DNN_TENSOR_TYPE_U64);
static_assert(D(fb::DataType::U64) + 1 == HB_DNN_TENSOR_TYPE_MAX);

static_assert(static_cast<int>(fb::Layout::NHWC) == HB_DNN_LAYOUT_NHWC);
static_assert(static_cast<int>(fb::Layout::NCHW) == HB_DNN_LAYOUT_NCHW);
static_assert(static_cast<int>(fb::Layout::NONE) == HB_DNN_LAYOUT_NONE);
static_assert(static_cast<int>(fb::Layout::NHCW_NATIVE) == HB_DNN_LAYOUT_NHCW_NATIVE);
static_assert(static_cast<int>(fb::QuantiType::NONE) == NONE);
static_assert(static_cast<int>(fb::QuantiType::SHIFT) == SHIFT);
static_assert(static_cast<int>(fb::QuantiType::SCALE) == SCALE);
static_assert(static_cast<int>(fb::InputSource::DDR) == HB_DNN_INPUT_FROM_DDR);
static_assert(static_cast<int>(fb::InputSource::RESIZER) == HB_DNN_INPUT_FROM_RESIZER);
static_assert(static_cast<int>(fb::InputSource::PYRAMID) == HB_DNN_INPUT_FROM_PYRAMID);
static_assert(static_cast<int>(fb::DescType::UNKNOWN) == HB_DNN_DESC_TYPE_UNKNOWN);
static_assert(static_cast<int>(fb::DescType::STRING) == HB_DNN_DESC_TYPE_STRING);
static_assert(static_cast<int>(fb::DescType::BINARY) == HB_DNN_DESC_TYPE_BINARY);

}  // namespace
}  // namespace hb_dnn::capi
