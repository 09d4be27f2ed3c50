// ABI checks of the public headers from C++, and unit tests of the plugin
// types (Tuple, TShape, NDArray, TypeSize).
//
// Layout, enum, macro and prototype checks are static_asserts (the build
// fails on a mismatch) and are repeated as GoogleTest expectations so that
// ctest reports them. The plugin tests exercise the out-of-line NDArray code
// of libdnn; no hbDNN* / hbSys* function is called.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

#include "dnn/hb_dnn.h"
#include "dnn/hb_dnn_ext.h"
#include "dnn/hb_dnn_status.h"
#include "dnn/hb_sys.h"
#include "dnn/plugin/hb_dnn_dtype.h"
#include "dnn/plugin/hb_dnn_layer.h"
#include "dnn/plugin/hb_dnn_ndarray.h"
#include "dnn/plugin/hb_dnn_plugin.h"
#include "dnn/plugin/hb_dnn_tuple.h"
#include "hb_dnn/hb_dnn_sim.h"

namespace {

using hobot::dnn::DataType;
using hobot::dnn::NDArray;
using hobot::dnn::TShape;
using hobot::dnn::Tuple;
using hobot::dnn::TypeFlag;

// Every check is X(actual, expected). The lists are expanded twice: into
// static_asserts and into runtime EXPECT_EQs.

#define HB_ABI_MACRO_AND_ENUM_CHECKS(X)                                   \
  X(HB_DNN_VERSION_MAJOR, 1U)                                             \
  X(HB_DNN_VERSION_MINOR, 18U)                                            \
  X(HB_DNN_VERSION_PATCH, 6U)                                             \
  X(HB_DNN_TENSOR_MAX_DIMENSIONS, 8)                                      \
  X(HB_BPU_CORE_ANY, 0)                                                   \
  X(HB_BPU_CORE_0, 1)                                                     \
  X(HB_BPU_CORE_1, 2)                                                     \
  X(HB_DSP_CORE_ANY, 0)                                                   \
  X(HB_DSP_CORE_0, 1)                                                     \
  X(HB_DSP_CORE_1, 2)                                                     \
  X(HB_SYS_MEM_CACHE_INVALIDATE, 1)                                       \
  X(HB_SYS_MEM_CACHE_CLEAN, 2)                                            \
  X(HB_SYS_SUCCESS, 0)                                                    \
  X(HB_SYS_INVALID_ARGUMENT, -6000129)                                    \
  X(HB_SYS_OUT_OF_MEMORY, -6000130)                                       \
  X(HB_SYS_REGISTER_MEM_FAILED, -6000131)                                 \
  X(HB_DNN_SUCCESS, 0)                                                    \
  X(HB_DNN_INVALID_ARGUMENT, -6000001)                                    \
  X(HB_DNN_INVALID_MODEL, -6000002)                                       \
  X(HB_DNN_MODEL_NUMBER_EXCEED_LIMIT, -6000003)                           \
  X(HB_DNN_INVALID_PACKED_DNN_HANDLE, -6000004)                           \
  X(HB_DNN_INVALID_DNN_HANDLE, -6000005)                                  \
  X(HB_DNN_CAN_NOT_OPEN_FILE, -6000006)                                   \
  X(HB_DNN_OUT_OF_MEMORY, -6000007)                                       \
  X(HB_DNN_TIMEOUT, -6000008)                                             \
  X(HB_DNN_TASK_NUM_EXCEED_LIMIT, -6000009)                               \
  X(HB_DNN_TASK_BATCH_SIZE_EXCEED_LIMIT, -6000010)                        \
  X(HB_DNN_INVALID_TASK_HANDLE, -6000011)                                 \
  X(HB_DNN_RUN_TASK_FAILED, -6000012)                                     \
  X(HB_DNN_MODEL_IS_RUNNING, -6000013)                                    \
  X(HB_DNN_INCOMPATIBLE_MODEL, -6000014)                                  \
  X(HB_DNN_API_USE_ERROR, -6000015)                                       \
  X(HB_DNN_MULTI_PROGRESS_USE_ERROR, -6000016)                            \
  X(HB_DNN_LAYOUT_NHWC, 0)                                                \
  X(HB_DNN_LAYOUT_NCHW, 2)                                                \
  X(HB_DNN_LAYOUT_NONE, 255)                                              \
  X(HB_DNN_IMG_TYPE_Y, 0)                                                 \
  X(HB_DNN_IMG_TYPE_NV12, 1)                                              \
  X(HB_DNN_IMG_TYPE_NV12_SEPARATE, 2)                                     \
  X(HB_DNN_IMG_TYPE_YUV444, 3)                                            \
  X(HB_DNN_IMG_TYPE_RGB, 4)                                               \
  X(HB_DNN_IMG_TYPE_BGR, 5)                                               \
  X(HB_DNN_TENSOR_TYPE_S4, 6)                                             \
  X(HB_DNN_TENSOR_TYPE_U4, 7)                                             \
  X(HB_DNN_TENSOR_TYPE_S8, 8)                                             \
  X(HB_DNN_TENSOR_TYPE_U8, 9)                                             \
  X(HB_DNN_TENSOR_TYPE_F16, 10)                                           \
  X(HB_DNN_TENSOR_TYPE_S16, 11)                                           \
  X(HB_DNN_TENSOR_TYPE_U16, 12)                                           \
  X(HB_DNN_TENSOR_TYPE_F32, 13)                                           \
  X(HB_DNN_TENSOR_TYPE_S32, 14)                                           \
  X(HB_DNN_TENSOR_TYPE_U32, 15)                                           \
  X(HB_DNN_TENSOR_TYPE_F64, 16)                                           \
  X(HB_DNN_TENSOR_TYPE_S64, 17)                                           \
  X(HB_DNN_TENSOR_TYPE_U64, 18)                                           \
  X(HB_DNN_TENSOR_TYPE_MAX, 19)                                           \
  X(NONE, 0)                                                              \
  X(SHIFT, 1)                                                             \
  X(SCALE, 2)                                                             \
  X(HB_DNN_PRIORITY_LOWEST, 0)                                            \
  X(HB_DNN_PRIORITY_HIGHEST, 255)                                         \
  X(HB_DNN_PRIORITY_PREEMP, 255)                                          \
  X(HB_DNN_RESIZE_TYPE_BILINEAR, 0)                                       \
  X(HB_DNN_LAYOUT_NHCW_NATIVE, 1)                                         \
  X(HB_DNN_INPUT_FROM_DDR, 0)                                             \
  X(HB_DNN_INPUT_FROM_RESIZER, 1)                                         \
  X(HB_DNN_INPUT_FROM_PYRAMID, 2)                                         \
  X(HB_DNN_OUTPUT_OPERATOR_TYPE_UNKNOWN, 0)                               \
  X(HB_DNN_OUTPUT_OPERATOR_TYPE_CONV, 1)                                  \
  X(HB_DNN_OUTPUT_OPERATOR_TYPE_DETECTION_POST_PROCESS, 2)                \
  X(HB_DNN_OUTPUT_OPERATOR_TYPE_RCNN_POST_PROCESS, 3)                     \
  X(HB_DNN_OUTPUT_OPERATOR_TYPE_DETECTION_POST_PROCESS_STABLE_SORT, 4)    \
  X(HB_DNN_OUTPUT_OPERATOR_TYPE_CHANNEL_ARGMAX, 5)                        \
  X(HB_DNN_OUTPUT_OPERATOR_TYPE_AUX_DPP_STABLE_SORT, 6)                   \
  X(HB_DNN_OUTPUT_OPERATOR_TYPE_CHANNEL_ARGMAX_SPLIT, 7)                  \
  X(HB_DNN_OUTPUT_OPERATOR_TYPE_FILTER, 8)                                \
  X(HB_DNN_OUTPUT_OPERATOR_TYPE_CONV3D, 9)                                \
  X(HB_DNN_OUTPUT_OPERATOR_TYPE_MAGIC, 10)                                \
  X(HB_DNN_OUTPUT_OPERATOR_TYPE_RLE, 11)                                  \
  X(HB_DNN_OUTPUT_OPERATOR_TYPE_MODEL_INPUT_SCATTER, 12)                  \
  X(HB_DNN_OUTPUT_OPERATOR_TYPE_MODEL_INPUT_GATHER, 13)                   \
  X(HB_DNN_OUTPUT_OPERATOR_TYPE_MODEL_INPUT_GATHER_ELEMENTS, 14)          \
  X(HB_DNN_OUTPUT_OPERATOR_TYPE_MODEL_INPUT_TOP_K, 15)                    \
  X(HB_DNN_DESC_TYPE_UNKNOWN, 0)                                          \
  X(HB_DNN_DESC_TYPE_STRING, 1)                                           \
  X(HB_DNN_DESC_TYPE_BINARY, 2)

#define HB_ABI_LAYOUT_CHECKS(X)                                     \
  X(sizeof(hbDNNQuantiType), 4)                                     \
  X(sizeof(hbDNNResizeType), 4)                                     \
  X(sizeof(hbDNNTensorShape), 36)                                   \
  X(offsetof(hbDNNTensorShape, dimensionSize), 0)                   \
  X(offsetof(hbDNNTensorShape, numDimensions), 32)                  \
  X(sizeof(hbDNNDimension), 36)                                     \
  X(sizeof(hbDNNRoi), 16)                                           \
  X(offsetof(hbDNNRoi, left), 0)                                    \
  X(offsetof(hbDNNRoi, top), 4)                                     \
  X(offsetof(hbDNNRoi, right), 8)                                   \
  X(offsetof(hbDNNRoi, bottom), 12)                                 \
  X(sizeof(hbDNNInferCtrlParam), 32)                                \
  X(offsetof(hbDNNInferCtrlParam, bpuCoreId), 0)                    \
  X(offsetof(hbDNNInferCtrlParam, dspCoreId), 4)                    \
  X(offsetof(hbDNNInferCtrlParam, priority), 8)                     \
  X(offsetof(hbDNNInferCtrlParam, more), 12)                        \
  X(offsetof(hbDNNInferCtrlParam, customId), 16)                    \
  X(offsetof(hbDNNInferCtrlParam, reserved1), 24)                   \
  X(offsetof(hbDNNInferCtrlParam, reserved2), 28)                   \
  X(sizeof(hbDNNResizeCtrlParam), 28)                               \
  X(offsetof(hbDNNResizeCtrlParam, bpuCoreId), 0)                   \
  X(offsetof(hbDNNResizeCtrlParam, priority), 4)                    \
  X(offsetof(hbDNNResizeCtrlParam, resizeType), 8)                  \
  X(offsetof(hbDNNResizeCtrlParam, reserved1), 12)                  \
  X(offsetof(hbDNNResizeCtrlParam, reserved2), 16)                  \
  X(offsetof(hbDNNResizeCtrlParam, reserved3), 20)                  \
  X(offsetof(hbDNNResizeCtrlParam, reserved4), 24)                  \
  X(sizeof(hbSysMem), 24)                                           \
  X(offsetof(hbSysMem, phyAddr), 0)                                 \
  X(offsetof(hbSysMem, virAddr), 8)                                 \
  X(offsetof(hbSysMem, memSize), 16)                                \
  X(sizeof(hbDNNQuantiShift), 16)                                   \
  X(offsetof(hbDNNQuantiShift, shiftLen), 0)                        \
  X(offsetof(hbDNNQuantiShift, shiftData), 8)                       \
  X(sizeof(hbDNNQuantiScale), 32)                                   \
  X(offsetof(hbDNNQuantiScale, scaleLen), 0)                        \
  X(offsetof(hbDNNQuantiScale, scaleData), 8)                       \
  X(offsetof(hbDNNQuantiScale, zeroPointLen), 16)                   \
  X(offsetof(hbDNNQuantiScale, zeroPointData), 24)                  \
  X(sizeof(hbDNNTensorProperties), 176)                             \
  X(offsetof(hbDNNTensorProperties, validShape), 0)                 \
  X(offsetof(hbDNNTensorProperties, alignedShape), 36)              \
  X(offsetof(hbDNNTensorProperties, tensorLayout), 72)              \
  X(offsetof(hbDNNTensorProperties, tensorType), 76)                \
  X(offsetof(hbDNNTensorProperties, shift), 80)                     \
  X(offsetof(hbDNNTensorProperties, scale), 96)                     \
  X(offsetof(hbDNNTensorProperties, quantiType), 128)               \
  X(offsetof(hbDNNTensorProperties, quantizeAxis), 132)             \
  X(offsetof(hbDNNTensorProperties, alignedByteSize), 136)          \
  X(offsetof(hbDNNTensorProperties, stride), 140)                   \
  X(sizeof(hbDNNTensor), 272)                                       \
  X(offsetof(hbDNNTensor, sysMem), 0)                               \
  X(offsetof(hbDNNTensor, properties), 96)                          \
  X(sizeof(hbPackedDNNHandle_t), 8)                                 \
  X(sizeof(hbDNNHandle_t), 8)                                       \
  X(sizeof(hbDNNTaskHandle_t), 8)                                   \
  X(sizeof(hbDNNSimTaskTiming), 40)                                 \
  X(offsetof(hbDNNSimTaskTiming, submitNs), 0)                      \
  X(offsetof(hbDNNSimTaskTiming, endNs), 8)                         \
  X(offsetof(hbDNNSimTaskTiming, latencyNs), 16)                    \
  X(offsetof(hbDNNSimTaskTiming, bpuNs), 24)                        \
  X(offsetof(hbDNNSimTaskTiming, fcCount), 32)                      \
  X(offsetof(hbDNNSimTaskTiming, bpuCoreId), 36)                    \
  X(sizeof(hobot::dnn::Tuple<uint32_t>), 40)                        \
  X(sizeof(hobot::dnn::TShape), 40)                                 \
  X(sizeof(hobot::dnn::NDArray), 80)                                \
  X(static_cast<uint32_t>(TypeFlag::kBool), 0U)                     \
  X(static_cast<uint32_t>(TypeFlag::kUInt8), 1U)                    \
  X(static_cast<uint32_t>(TypeFlag::kInt8), 2U)                     \
  X(static_cast<uint32_t>(TypeFlag::kUInt16), 3U)                   \
  X(static_cast<uint32_t>(TypeFlag::kInt16), 4U)                    \
  X(static_cast<uint32_t>(TypeFlag::kUInt32), 5U)                   \
  X(static_cast<uint32_t>(TypeFlag::kInt32), 6U)                    \
  X(static_cast<uint32_t>(TypeFlag::kUInt64), 7U)                   \
  X(static_cast<uint32_t>(TypeFlag::kInt64), 8U)                    \
  X(static_cast<uint32_t>(TypeFlag::kFloat16), 9U)                  \
  X(static_cast<uint32_t>(TypeFlag::kFloat32), 10U)                 \
  X(static_cast<uint32_t>(TypeFlag::kFloat64), 11U)                 \
  X(static_cast<uint32_t>(TypeFlag::kUnused), 12U)                  \
  X(sizeof(TypeFlag), 4U)                                           \
  X(hobot::dnn::Tuple<uint32_t>::kStackCache, 4U)

#define HB_ABI_STATIC_CHECK(actual, expected) \
  static_assert((actual) == (expected), #actual " == " #expected);

static_assert(sizeof(void *) == 8, "the ABI checks assume LP64");
HB_ABI_MACRO_AND_ENUM_CHECKS(HB_ABI_STATIC_CHECK)
HB_ABI_LAYOUT_CHECKS(HB_ABI_STATIC_CHECK)

// Field types that offsets alone do not pin down.
static_assert(std::is_same<decltype(hbSysMem::phyAddr), uint64_t>::value, "");
static_assert(std::is_same<decltype(hbSysMem::virAddr), void *>::value, "");
static_assert(std::is_same<decltype(hbSysMem::memSize), uint32_t>::value, "");
static_assert(std::is_same<decltype(hbDNNTensorShape::dimensionSize),
                           int32_t[8]>::value,
              "");
static_assert(std::is_same<decltype(hbDNNQuantiShift::shiftData),
                           uint8_t *>::value,
              "");
static_assert(std::is_same<decltype(hbDNNQuantiScale::scaleData),
                           float *>::value,
              "");
static_assert(std::is_same<decltype(hbDNNQuantiScale::zeroPointData),
                           int8_t *>::value,
              "");
static_assert(std::is_same<decltype(hbDNNTensorProperties::quantiType),
                           hbDNNQuantiType>::value,
              "");
static_assert(std::is_same<decltype(hbDNNTensorProperties::stride),
                           int32_t[8]>::value,
              "");
static_assert(std::is_same<decltype(hbDNNTensor::sysMem), hbSysMem[4]>::value,
              "");
static_assert(std::is_same<decltype(hbDNNInferCtrlParam::customId),
                           int64_t>::value,
              "");
static_assert(std::is_same<decltype(hbDNNResizeCtrlParam::resizeType),
                           hbDNNResizeType>::value,
              "");
static_assert(std::is_same<decltype(hbDNNSimTaskTiming::submitNs), int64_t>::value, "");
static_assert(std::is_same<decltype(hbDNNSimTaskTiming::endNs), int64_t>::value, "");
static_assert(std::is_same<decltype(hbDNNSimTaskTiming::latencyNs), int64_t>::value, "");
static_assert(std::is_same<decltype(hbDNNSimTaskTiming::bpuNs), int64_t>::value, "");
static_assert(std::is_same<decltype(hbDNNSimTaskTiming::fcCount), int32_t>::value, "");
static_assert(std::is_same<decltype(hbDNNSimTaskTiming::bpuCoreId), int32_t>::value, "");
static_assert(std::is_same<hbDNNDimension, hbDNNTensorShape>::value, "");
static_assert(std::is_same<hbPackedDNNHandle_t, void *>::value, "");
static_assert(std::is_same<hbDNNHandle_t, void *>::value, "");
static_assert(std::is_same<hbDNNTaskHandle_t, void *>::value, "");
static_assert(std::is_same<hbDNNTaskDoneCb,
                           void (*)(hbDNNTaskHandle_t, int32_t, void *)>::value,
              "");
static_assert(std::is_same<decltype(hobot::dnn::TypeSize), size_t[13]>::value,
              "");
static_assert(std::is_same<hbDNNLayerCreator, hobot::dnn::Layer *(*)()>::value,
              "");

// The plugin quirk: Forward takes hobot::dnn::hbDNNInferCtrlParam, a type
// distinct from the global C struct.
static_assert(!std::is_same<hobot::dnn::hbDNNInferCtrlParam,
                            ::hbDNNInferCtrlParam>::value,
              "");
static_assert(
    std::is_same<decltype(&hobot::dnn::Layer::Forward),
                 int32_t (hobot::dnn::Layer::*)(
                     const std::vector<NDArray *> &, std::vector<NDArray *> &,
                     const hobot::dnn::hbDNNInferCtrlParam *)>::value,
    "");

// Every prototype, checked without odr-using (so without linking) it.
#define HB_ABI_SIGNATURE(function, type)                              \
  static_assert(std::is_same<decltype(&function), type>::value, \
                #function " has the vendor signature");

HB_ABI_SIGNATURE(hbDNNGetVersion, char const *(*)())
HB_ABI_SIGNATURE(hbDNNInitializeFromFiles,
                 int32_t (*)(hbPackedDNNHandle_t *, char const **, int32_t))
HB_ABI_SIGNATURE(hbDNNInitializeFromDDR,
                 int32_t (*)(hbPackedDNNHandle_t *, const void **, int32_t *,
                             int32_t))
HB_ABI_SIGNATURE(hbDNNRelease, int32_t (*)(hbPackedDNNHandle_t))
HB_ABI_SIGNATURE(hbDNNGetModelNameList,
                 int32_t (*)(char const ***, int32_t *, hbPackedDNNHandle_t))
HB_ABI_SIGNATURE(hbDNNGetModelHandle,
                 int32_t (*)(hbDNNHandle_t *, hbPackedDNNHandle_t,
                             char const *))
HB_ABI_SIGNATURE(hbDNNGetInputCount, int32_t (*)(int32_t *, hbDNNHandle_t))
HB_ABI_SIGNATURE(hbDNNGetInputName,
                 int32_t (*)(char const **, hbDNNHandle_t, int32_t))
HB_ABI_SIGNATURE(hbDNNGetInputTensorProperties,
                 int32_t (*)(hbDNNTensorProperties *, hbDNNHandle_t, int32_t))
HB_ABI_SIGNATURE(hbDNNGetOutputCount, int32_t (*)(int32_t *, hbDNNHandle_t))
HB_ABI_SIGNATURE(hbDNNGetOutputName,
                 int32_t (*)(char const **, hbDNNHandle_t, int32_t))
HB_ABI_SIGNATURE(hbDNNGetOutputTensorProperties,
                 int32_t (*)(hbDNNTensorProperties *, hbDNNHandle_t, int32_t))
HB_ABI_SIGNATURE(hbDNNInfer,
                 int32_t (*)(hbDNNTaskHandle_t *, hbDNNTensor **,
                             hbDNNTensor const *, hbDNNHandle_t,
                             hbDNNInferCtrlParam *))
HB_ABI_SIGNATURE(hbDNNRoiInfer,
                 int32_t (*)(hbDNNTaskHandle_t *, hbDNNTensor **,
                             hbDNNTensor const *, hbDNNRoi *, int32_t,
                             hbDNNHandle_t, hbDNNInferCtrlParam *))
HB_ABI_SIGNATURE(hbDNNResize,
                 int32_t (*)(hbDNNTaskHandle_t *, hbDNNTensor *,
                             hbDNNTensor const *, hbDNNRoi const *,
                             hbDNNResizeCtrlParam *))
HB_ABI_SIGNATURE(hbDNNSetTaskDoneCb,
                 int32_t (*)(hbDNNTaskHandle_t, hbDNNTaskDoneCb, void *))
HB_ABI_SIGNATURE(hbDNNWaitTaskDone, int32_t (*)(hbDNNTaskHandle_t, int32_t))
HB_ABI_SIGNATURE(hbDNNReleaseTask, int32_t (*)(hbDNNTaskHandle_t))
HB_ABI_SIGNATURE(hbDNNGetErrorDesc, char const *(*)(int32_t))
HB_ABI_SIGNATURE(hbDNNGetLastErrorDetail, char const *(*)())
HB_ABI_SIGNATURE(hbDNNSimGetTaskTiming,
                 int32_t (*)(hbDNNTaskHandle_t, hbDNNSimTaskTiming *))
HB_ABI_SIGNATURE(hbDNNSimSetFaults, int32_t (*)(char const *))
HB_ABI_SIGNATURE(hbSysAllocMem, int32_t (*)(hbSysMem *, uint32_t))
HB_ABI_SIGNATURE(hbSysAllocCachedMem, int32_t (*)(hbSysMem *, uint32_t))
HB_ABI_SIGNATURE(hbSysFlushMem, int32_t (*)(hbSysMem *, int32_t))
HB_ABI_SIGNATURE(hbSysWriteMem, int32_t (*)(hbSysMem *, char *, uint32_t))
HB_ABI_SIGNATURE(hbSysReadMem, int32_t (*)(char *, hbSysMem *, uint32_t))
HB_ABI_SIGNATURE(hbSysFreeMem, int32_t (*)(hbSysMem *))
HB_ABI_SIGNATURE(hbSysRegisterMem, int32_t (*)(hbSysMem *))
HB_ABI_SIGNATURE(hbSysUnregisterMem, int32_t (*)(hbSysMem *))
HB_ABI_SIGNATURE(hbDNNGetInputSource,
                 int32_t (*)(int32_t *, hbDNNHandle_t, int32_t))
HB_ABI_SIGNATURE(hbDNNGetInputDesc,
                 int32_t (*)(char const **, uint32_t *, int32_t *,
                             hbDNNHandle_t, int32_t))
HB_ABI_SIGNATURE(hbDNNGetOutputDesc,
                 int32_t (*)(char const **, uint32_t *, int32_t *,
                             hbDNNHandle_t, int32_t))
HB_ABI_SIGNATURE(hbDNNGetModelDesc,
                 int32_t (*)(char const **, uint32_t *, int32_t *,
                             hbDNNHandle_t))
HB_ABI_SIGNATURE(hbDNNGetOutputOperatorType,
                 int32_t (*)(int32_t *, hbDNNHandle_t, int32_t))
HB_ABI_SIGNATURE(hbDNNGetEstimateLatency, int32_t (*)(int32_t *, hbDNNHandle_t))
HB_ABI_SIGNATURE(hbDNNGetTaskEstimateTime,
                 int32_t (*)(int32_t *, hbDNNTaskHandle_t))
HB_ABI_SIGNATURE(hbDNNGetTaskEstimateStartTime,
                 int32_t (*)(int32_t *, hbDNNInferCtrlParam *))
HB_ABI_SIGNATURE(hbDNNGetModelTag, int32_t (*)(char const **, hbDNNHandle_t))
HB_ABI_SIGNATURE(hbDNNUnquantizeByScale,
                 int32_t (*)(float *, int32_t, hbDNNTensorShape, const float *,
                             const void *))
HB_ABI_SIGNATURE(hbDNNGetLayoutName, int32_t (*)(char const **, int32_t))
HB_ABI_SIGNATURE(hbDNNConvertLayout,
                 int32_t (*)(void *, int32_t, const void *, int32_t, int32_t,
                             hbDNNTensorShape, bool))
HB_ABI_SIGNATURE(hbDNNConvertLayoutRoi,
                 int32_t (*)(void *, int32_t, const void *, int32_t, int32_t,
                             hbDNNTensorShape, bool, hbDNNDimension,
                             hbDNNDimension))
HB_ABI_SIGNATURE(hbDNNConvertLayoutToNative1HW1,
                 int32_t (*)(void *, const void *, int32_t, int32_t,
                             hbDNNTensorShape, bool, uint32_t, uint32_t))
HB_ABI_SIGNATURE(hbDNNConvertLayoutToNative111C,
                 int32_t (*)(void *, const void *, int32_t, int32_t,
                             hbDNNTensorShape, bool, uint32_t, uint32_t,
                             uint32_t))
HB_ABI_SIGNATURE(hbDNNConvertLayoutToNative1111,
                 int32_t (*)(void *, const void *, int32_t, int32_t,
                             hbDNNTensorShape, bool, hbDNNDimension))
HB_ABI_SIGNATURE(hbDNNAddPaddingWithStride,
                 int32_t (*)(void *, void const *, uint32_t, const uint32_t *,
                             const int32_t *, uint32_t))
HB_ABI_SIGNATURE(hbDNNRemovePaddingWithStride,
                 int32_t (*)(void *, void const *, uint32_t, const uint32_t *,
                             const int32_t *, uint32_t))
HB_ABI_SIGNATURE(hbDNNAddPadding,
                 int32_t (*)(void *, hbDNNTensorShape, void const *,
                             hbDNNTensorShape, int32_t))
HB_ABI_SIGNATURE(hbDNNRemovePadding,
                 int32_t (*)(void *, hbDNNTensorShape, void const *,
                             hbDNNTensorShape, int32_t))
HB_ABI_SIGNATURE(hbDNNConvertEndianness,
                 int32_t (*)(void *, const void *, uint32_t))
HB_ABI_SIGNATURE(hbDNNRegisterLayerCreator,
                 int32_t (*)(char const *, hbDNNLayerCreator))
HB_ABI_SIGNATURE(hbDNNUnregisterLayerCreator, int32_t (*)(char const *))

#define HB_ABI_RUNTIME_CHECK(actual, expected)                 \
  EXPECT_EQ(static_cast<long long>(actual),                    \
            static_cast<long long>(expected))                  \
      << #actual;

TEST(AbiLayout, MacroAndEnumValues) {
  HB_ABI_MACRO_AND_ENUM_CHECKS(HB_ABI_RUNTIME_CHECK)
  // The version macros are unsigned.
  EXPECT_TRUE(std::is_unsigned<decltype(HB_DNN_VERSION_MAJOR)>::value);
  EXPECT_TRUE(std::is_unsigned<decltype(HB_DNN_VERSION_MINOR)>::value);
  EXPECT_TRUE(std::is_unsigned<decltype(HB_DNN_VERSION_PATCH)>::value);
}

TEST(AbiLayout, StructSizesAndOffsets) {
  HB_ABI_LAYOUT_CHECKS(HB_ABI_RUNTIME_CHECK)
}

TEST(AbiLayout, InitializeInferCtrlParamMacro) {
  hbDNNInferCtrlParam param;
  std::memset(&param, 0x5A, sizeof(param));
  HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&param);
  EXPECT_EQ(param.bpuCoreId, HB_BPU_CORE_ANY);
  EXPECT_EQ(param.dspCoreId, HB_DSP_CORE_ANY);
  EXPECT_EQ(param.priority, HB_DNN_PRIORITY_LOWEST);
  EXPECT_EQ(param.more, 0);
  EXPECT_EQ(param.customId, 0);
  EXPECT_EQ(param.reserved1, 0);
  EXPECT_EQ(param.reserved2, 0);
}

TEST(AbiLayout, InitializeResizeCtrlParamMacro) {
  hbDNNResizeCtrlParam param;
  std::memset(&param, 0x5A, sizeof(param));
  HB_DNN_INITIALIZE_RESIZE_CTRL_PARAM(&param);
  EXPECT_EQ(param.bpuCoreId, HB_BPU_CORE_ANY);
  EXPECT_EQ(param.priority, HB_DNN_PRIORITY_LOWEST);
  EXPECT_EQ(param.resizeType, HB_DNN_RESIZE_TYPE_BILINEAR);
  EXPECT_EQ(param.reserved1, 0);
  EXPECT_EQ(param.reserved2, 0);
  EXPECT_EQ(param.reserved3, 0);
  EXPECT_EQ(param.reserved4, 0);
}

// ---- Plugin types -----------------------------------------------------

TEST(PluginDtype, TypeSizeTable) {
  EXPECT_EQ(HB_DNN_SIZEOF_TYPE(TypeFlag::kBool), 1U);
  EXPECT_EQ(HB_DNN_SIZEOF_TYPE(TypeFlag::kUInt8), 1U);
  EXPECT_EQ(HB_DNN_SIZEOF_TYPE(TypeFlag::kInt8), 1U);
  EXPECT_EQ(HB_DNN_SIZEOF_TYPE(TypeFlag::kUInt16), 2U);
  EXPECT_EQ(HB_DNN_SIZEOF_TYPE(TypeFlag::kInt16), 2U);
  EXPECT_EQ(HB_DNN_SIZEOF_TYPE(TypeFlag::kUInt32), 4U);
  EXPECT_EQ(HB_DNN_SIZEOF_TYPE(TypeFlag::kInt32), 4U);
  EXPECT_EQ(HB_DNN_SIZEOF_TYPE(TypeFlag::kUInt64), 8U);
  EXPECT_EQ(HB_DNN_SIZEOF_TYPE(TypeFlag::kInt64), 8U);
  EXPECT_EQ(HB_DNN_SIZEOF_TYPE(TypeFlag::kFloat16), 2U);
  EXPECT_EQ(HB_DNN_SIZEOF_TYPE(TypeFlag::kFloat32), 4U);
  EXPECT_EQ(HB_DNN_SIZEOF_TYPE(TypeFlag::kFloat64), 8U);
  EXPECT_EQ(HB_DNN_SIZEOF_TYPE(TypeFlag::kUnused), 0U);
}

TEST(PluginDtype, DataTypeFlags) {
  EXPECT_EQ(DataType<bool>::kFlag(), TypeFlag::kBool);
  EXPECT_EQ(DataType<uint8_t>::kFlag(), TypeFlag::kUInt8);
  EXPECT_EQ(DataType<int8_t>::kFlag(), TypeFlag::kInt8);
  EXPECT_EQ(DataType<uint16_t>::kFlag(), TypeFlag::kUInt16);
  EXPECT_EQ(DataType<int16_t>::kFlag(), TypeFlag::kInt16);
  EXPECT_EQ(DataType<uint32_t>::kFlag(), TypeFlag::kUInt32);
  EXPECT_EQ(DataType<int32_t>::kFlag(), TypeFlag::kInt32);
  EXPECT_EQ(DataType<uint64_t>::kFlag(), TypeFlag::kUInt64);
  EXPECT_EQ(DataType<int64_t>::kFlag(), TypeFlag::kInt64);
  EXPECT_EQ(DataType<float>::kFlag(), TypeFlag::kFloat32);
  EXPECT_EQ(DataType<double>::kFlag(), TypeFlag::kFloat64);
  EXPECT_EQ(DataType<char>::kFlag(), TypeFlag::kUnused);
}

TEST(PluginTuple, StackAndHeapStorage) {
  Tuple<int32_t> small{1, 2, 3};
  EXPECT_EQ(small.NDim(), 3U);
  EXPECT_EQ(small[2], 3);

  Tuple<int32_t> large{1, 2, 3, 4, 5, 6};
  EXPECT_EQ(large.NDim(), 6U);
  EXPECT_EQ(large[5], 6);

  Tuple<int32_t> copy(large);
  copy[0] = 100;
  EXPECT_EQ(large[0], 1) << "copies are deep";
  EXPECT_TRUE(copy != large);

  Tuple<int32_t> moved(std::move(copy));
  EXPECT_EQ(moved.NDim(), 6U);
  EXPECT_EQ(moved[0], 100);

  moved = small;  // heap -> stack
  EXPECT_TRUE(moved == small);
  moved = large;  // stack -> heap
  EXPECT_TRUE(moved == large);
  moved.Assign(moved.Begin() + 1, moved.End());  // self-aliasing range
  EXPECT_EQ(moved.NDim(), 5U);
  EXPECT_EQ(moved[0], 2);
  moved.Assign(moved.Begin() + 2, moved.End());  // aliasing, heap -> stack
  EXPECT_EQ(moved.NDim(), 3U);
  EXPECT_EQ(moved[0], 4);

  int32_t sum = 0;
  for (int32_t value : large) {
    sum += value;
  }
  EXPECT_EQ(sum, 21);
}

TEST(PluginTShape, StrAndProdSize) {
  EXPECT_EQ(TShape().Str(), "()");
  EXPECT_EQ(TShape({7}).Str(), "(7,)");
  EXPECT_EQ(TShape({1, 3, 224, 224}).Str(), "(1,3,224,224)");
  EXPECT_EQ(TShape({1, 2, 3, 4, 5, 6}).Str(), "(1,2,3,4,5,6)");

  const TShape shape{2, 3, 4, 5, 6};
  EXPECT_EQ(shape.ProdSize(), 720U);
  EXPECT_EQ(shape.ProdSize(2), 120U);
  EXPECT_EQ(shape.ProdSize(1, 3), 12U);
  EXPECT_EQ(TShape().ProdSize(), 1U);
  EXPECT_EQ(TShape({3, 0, 2}).ProdSize(), 0U);

  const TShape ones(6);
  EXPECT_EQ(ones.NDim(), 6U);
  EXPECT_EQ(ones.ProdSize(), 1U);

  TShape assigned;
  assigned = shape;
  EXPECT_TRUE(assigned == shape);
  TShape moved(std::move(assigned));
  EXPECT_TRUE(moved == shape);
}

TEST(PluginNDArray, OwnedArrayIsZeroFilled) {
  NDArray array(TShape{2, 3}, TypeFlag::kInt32);
  ASSERT_FALSE(array.IsNone());
  EXPECT_EQ(array.Size(), 6U);
  EXPECT_EQ(array.NDim(), 2U);
  EXPECT_EQ(array.Dtype(), TypeFlag::kInt32);
  EXPECT_EQ(array.PhyAddr(), 0U);
  EXPECT_EQ(array.VirAddr(), array.RawData());
  const int32_t *data = array.Dptr<int32_t>();
  ASSERT_NE(data, nullptr);
  for (uint32_t i = 0; i < array.Size(); ++i) {
    EXPECT_EQ(data[i], 0);
  }
  EXPECT_EQ(array.Dptr<float>(), nullptr) << "type mismatch";
  EXPECT_NE(array.Dptr<const int32_t>(), nullptr);
}

TEST(PluginNDArray, NoneArrays) {
  NDArray none;
  EXPECT_TRUE(none.IsNone());
  EXPECT_EQ(none.RawData(), nullptr);
  EXPECT_TRUE(none.DeepCopy().IsNone());
  EXPECT_TRUE(none.Reshape(TShape{1}).IsNone());
  EXPECT_TRUE(none[0].IsNone());
  char byte = 0;
  EXPECT_FALSE(none.SyncCopyFrom(&byte, 1));
  EXPECT_FALSE(none.SyncCopyTo(&byte, 1));
  std::ostringstream out;
  EXPECT_FALSE(none.Save(&out));

  EXPECT_TRUE(NDArray(TShape{2}, TypeFlag::kUnused).IsNone());
  EXPECT_TRUE(NDArray(nullptr, TShape{2}, TypeFlag::kFloat32).IsNone());
}

TEST(PluginNDArray, SyncCopyIsBoundsChecked) {
  NDArray array(TShape{4}, TypeFlag::kFloat32);  // 16 bytes
  const float source[5] = {1.0F, 2.0F, 3.0F, 4.0F, 5.0F};
  EXPECT_FALSE(array.SyncCopyFrom(source, sizeof(source)))
      << "20 bytes do not fit in 16";
  EXPECT_EQ(array.Dptr<float>()[0], 0.0F) << "nothing copied on failure";
  EXPECT_TRUE(array.SyncCopyFrom(source, 4 * sizeof(float)));
  EXPECT_TRUE(array.SyncCopyFrom(source, 0));
  EXPECT_FALSE(array.SyncCopyFrom(nullptr, 4));

  float target[5] = {-1.0F, -1.0F, -1.0F, -1.0F, -1.0F};
  EXPECT_FALSE(array.SyncCopyTo(target, sizeof(target)));
  EXPECT_EQ(target[0], -1.0F) << "nothing copied on failure";
  EXPECT_TRUE(array.SyncCopyTo(target, 2 * sizeof(float)));
  EXPECT_EQ(target[0], 1.0F);
  EXPECT_EQ(target[1], 2.0F);
  EXPECT_EQ(target[2], -1.0F) << "prefix copy only";
}

TEST(PluginNDArray, DeepCopyIsIndependent) {
  NDArray array(TShape{2, 2}, TypeFlag::kInt16);
  const int16_t values[4] = {1, 2, 3, 4};
  ASSERT_TRUE(array.SyncCopyFrom(values, sizeof(values)));

  NDArray shallow = array;
  NDArray deep = array.DeepCopy();
  ASSERT_FALSE(deep.IsNone());
  EXPECT_NE(deep.RawData(), array.RawData());
  EXPECT_TRUE(deep.Shape() == array.Shape());
  EXPECT_EQ(deep.Dtype(), TypeFlag::kInt16);

  array.Dptr<int16_t>()[0] = 42;
  EXPECT_EQ(shallow.Dptr<int16_t>()[0], 42) << "copies share memory";
  EXPECT_EQ(deep.Dptr<int16_t>()[0], 1) << "deep copies do not";
  EXPECT_EQ(deep.Dptr<int16_t>()[3], 4);
}

TEST(PluginNDArray, ReshapeAndAsArrayCheckSize) {
  NDArray array(TShape{2, 3, 4}, TypeFlag::kFloat32);  // 24 floats
  NDArray same = array.Reshape(TShape{6, 4});
  ASSERT_FALSE(same.IsNone());
  EXPECT_EQ(same.RawData(), array.RawData());
  EXPECT_EQ(same.Shape().Str(), "(6,4)");
  EXPECT_FALSE(array.Reshape(TShape{4, 6}).IsNone());
  EXPECT_FALSE(array.Reshape(TShape{2, 2}).IsNone()) << "a smaller view fits";
  EXPECT_TRUE(array.Reshape(TShape{5, 5}).IsNone()) << "25 > 24 elements";

  NDArray bytes = array.AsArray(TShape{96}, TypeFlag::kUInt8);
  ASSERT_FALSE(bytes.IsNone());
  EXPECT_EQ(bytes.Dtype(), TypeFlag::kUInt8);
  EXPECT_TRUE(array.AsArray(TShape{97}, TypeFlag::kUInt8).IsNone());
  EXPECT_TRUE(array.AsArray(TShape{13}, TypeFlag::kFloat64).IsNone());
  EXPECT_TRUE(array.AsArray(TShape{1}, TypeFlag::kUnused).IsNone());

  NDArray flat = array.Flatten();
  ASSERT_FALSE(flat.IsNone());
  EXPECT_EQ(flat.Shape().Str(), "(24,)");
}

TEST(PluginNDArray, SliceFirstDimension) {
  NDArray array(TShape{3, 2}, TypeFlag::kInt32);
  const int32_t values[6] = {0, 1, 10, 11, 20, 21};
  ASSERT_TRUE(array.SyncCopyFrom(values, sizeof(values)));
  NDArray row = array[2];
  ASSERT_FALSE(row.IsNone());
  EXPECT_EQ(row.Shape().Str(), "(2,)");
  EXPECT_EQ(row.Dptr<int32_t>()[0], 20);
  EXPECT_EQ(row.Dptr<int32_t>()[1], 21);
  EXPECT_TRUE(array[3].IsNone());
  EXPECT_FALSE(row.SyncCopyFrom(values, 3 * sizeof(int32_t)))
      << "a slice is bounded by its own size";
}

TEST(PluginNDArray, BorrowedMemoryAndResetPtr) {
  float external[4] = {1.0F, 2.0F, 3.0F, 4.0F};
  NDArray view(external, TShape{4}, TypeFlag::kFloat32);
  ASSERT_FALSE(view.IsNone());
  EXPECT_EQ(view.RawData(), static_cast<void *>(external));
  view.Dptr<float>()[1] = 20.0F;
  EXPECT_EQ(external[1], 20.0F);

  float other[4] = {};
  NDArray shared = view;
  view.ResetPtr(other);
  EXPECT_EQ(view.RawData(), static_cast<void *>(other));
  EXPECT_EQ(shared.RawData(), static_cast<void *>(external))
      << "other handles keep the previous memory";
  view.ResetPtr(nullptr);
  EXPECT_TRUE(view.IsNone());
}

TEST(PluginNDArray, CanonicalAxis) {
  NDArray array(TShape{1, 2, 3}, TypeFlag::kUInt8);
  EXPECT_EQ(array.CanonicalAxis(0), 0);
  EXPECT_EQ(array.CanonicalAxis(2), 2);
  EXPECT_EQ(array.CanonicalAxis(-1), 2);
  EXPECT_EQ(array.CanonicalAxis(-3), 0);
  EXPECT_EQ(array.CanonicalAxis(3), -1);
  EXPECT_EQ(array.CanonicalAxis(-4), -1);
}

TEST(PluginNDArray, SaveBinaryAndText) {
  NDArray array(TShape{2, 3}, TypeFlag::kInt32);
  const int32_t values[6] = {1, -2, 3, 4, 5, -6};
  ASSERT_TRUE(array.SyncCopyFrom(values, sizeof(values)));

  std::ostringstream binary;
  ASSERT_TRUE(array.Save(&binary));
  const std::string bytes = binary.str();
  ASSERT_EQ(bytes.size(), sizeof(values));
  EXPECT_EQ(std::memcmp(bytes.data(), values, sizeof(values)), 0);

  std::ostringstream text;
  ASSERT_TRUE(array.Save(&text, true));
  EXPECT_EQ(text.str(), "1 -2 3\n4 5 -6\n");

  NDArray floats(TShape{2}, TypeFlag::kFloat32);
  const float float_values[2] = {0.5F, 0.1F};
  ASSERT_TRUE(floats.SyncCopyFrom(float_values, sizeof(float_values)));
  std::ostringstream float_text;
  ASSERT_TRUE(floats.Save(&float_text, true));
  std::istringstream parse(float_text.str());
  float first = 0.0F;
  float second = 0.0F;
  parse >> first >> second;
  EXPECT_EQ(first, 0.5F);
  EXPECT_EQ(second, 0.1F) << "text output round-trips floats";

  NDArray halves(TShape{3}, TypeFlag::kFloat16);
  const uint16_t half_values[3] = {0x3C00U, 0xC000U, 0x3800U};  // 1, -2, 0.5
  ASSERT_TRUE(halves.SyncCopyFrom(half_values, sizeof(half_values)));
  std::ostringstream half_text;
  ASSERT_TRUE(halves.Save(&half_text, true));
  EXPECT_EQ(half_text.str(), "1 -2 0.5\n");

  EXPECT_FALSE(array.Save(nullptr));
}

// A minimal plugin layer: checks that the Layer interface can be
// implemented as existing plugins do.
class IdentityLayer : public hobot::dnn::Layer {
 public:
  int32_t Forward(const std::vector<NDArray *> &bottom_blobs,
                  std::vector<NDArray *> &top_blobs,
                  const hobot::dnn::hbDNNInferCtrlParam *) override {
    const NDArray *input = bottom_blobs[0];
    return top_blobs[0]->SyncCopyFrom(
               input->RawData(),
               input->Size() * HB_DNN_SIZEOF_TYPE(input->Dtype()))
               ? 0
               : -1;
  }
  std::string GetType() const override { return "CustomIdentity"; }
};

TEST(PluginLayer, ImplementableAsBefore) {
  IdentityLayer layer;
  EXPECT_EQ(layer.GetInputCount(), 1U);
  EXPECT_EQ(layer.GetOutputCount(), 1U);
  EXPECT_EQ(layer.GetType(), "CustomIdentity");

  NDArray input(TShape{3}, TypeFlag::kUInt8);
  input.Dptr<uint8_t>()[2] = 7;
  NDArray output(TShape{3}, TypeFlag::kUInt8);
  std::vector<NDArray *> bottom{&input};
  std::vector<NDArray *> top{&output};
  ::hbDNNInferCtrlParam param;
  HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&param);
  EXPECT_EQ(layer.Forward(
                bottom, top,
                reinterpret_cast<const hobot::dnn::hbDNNInferCtrlParam *>(
                    &param)),
            0);
  EXPECT_EQ(output.Dptr<uint8_t>()[2], 7);
}

}  // namespace
