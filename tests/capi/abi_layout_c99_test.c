/*
 * ABI layout checks of the public C headers, compiled as strict C99.
 *
 * Everything is checked at compile time (the build fails on a mismatch):
 * struct sizes and field offsets, enum and macro values, and every function
 * prototype (by redeclaring it with the expected types: an incompatible
 * redeclaration is a compile error in C). main() additionally checks the
 * initialisation macros at run time. Nothing is linked: no function of the
 * library is called.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "hb_dnn/hb_dnn.h"
#include "hb_dnn/hb_dnn_ext.h"
#include "hb_dnn/hb_dnn_sim.h"
#include "hb_dnn/hb_dnn_status.h"
#include "hb_dnn/hb_sys.h"

/* C99 has no _Static_assert: a negative array size fails the build. */
#define ABI_CONCAT_INNER(a, b) a##b
#define ABI_CONCAT(a, b) ABI_CONCAT_INNER(a, b)
#define ABI_CHECK(cond) \
  typedef char ABI_CONCAT(abi_check_at_line_, __LINE__)[(cond) ? 1 : -1]

#if defined(__LP64__) || defined(_LP64)
#define ABI_LP64 1
#else
#define ABI_LP64 0
#endif

/* ---- Macros ---------------------------------------------------------- */
ABI_CHECK(HB_DNN_VERSION_MAJOR == 1U);
ABI_CHECK(HB_DNN_VERSION_MINOR == 18U);
ABI_CHECK(HB_DNN_VERSION_PATCH == 6U);
/* The version macros are unsigned literals: 1U - 2 wraps around. */
ABI_CHECK((HB_DNN_VERSION_MAJOR - 2) > 1000U);
ABI_CHECK((HB_DNN_VERSION_MINOR - 19) > 1000U);
ABI_CHECK((HB_DNN_VERSION_PATCH - 7) > 1000U);
ABI_CHECK(HB_DNN_TENSOR_MAX_DIMENSIONS == 8);

/* ---- hb_sys.h enums -------------------------------------------------- */
ABI_CHECK(HB_BPU_CORE_ANY == 0);
ABI_CHECK(HB_BPU_CORE_0 == 1);
ABI_CHECK(HB_BPU_CORE_1 == 2);
ABI_CHECK(HB_DSP_CORE_ANY == 0);
ABI_CHECK(HB_DSP_CORE_0 == 1);
ABI_CHECK(HB_DSP_CORE_1 == 2);
ABI_CHECK(HB_SYS_MEM_CACHE_INVALIDATE == 1);
ABI_CHECK(HB_SYS_MEM_CACHE_CLEAN == 2);
ABI_CHECK(HB_SYS_SUCCESS == 0);
ABI_CHECK(HB_SYS_INVALID_ARGUMENT == -6000129);
ABI_CHECK(HB_SYS_OUT_OF_MEMORY == -6000130);
ABI_CHECK(HB_SYS_REGISTER_MEM_FAILED == -6000131);

/* ---- hb_dnn_status.h ------------------------------------------------- */
ABI_CHECK(HB_DNN_SUCCESS == 0);
ABI_CHECK(HB_DNN_INVALID_ARGUMENT == -6000001);
ABI_CHECK(HB_DNN_INVALID_MODEL == -6000002);
ABI_CHECK(HB_DNN_MODEL_NUMBER_EXCEED_LIMIT == -6000003);
ABI_CHECK(HB_DNN_INVALID_PACKED_DNN_HANDLE == -6000004);
ABI_CHECK(HB_DNN_INVALID_DNN_HANDLE == -6000005);
ABI_CHECK(HB_DNN_CAN_NOT_OPEN_FILE == -6000006);
ABI_CHECK(HB_DNN_OUT_OF_MEMORY == -6000007);
ABI_CHECK(HB_DNN_TIMEOUT == -6000008);
ABI_CHECK(HB_DNN_TASK_NUM_EXCEED_LIMIT == -6000009);
ABI_CHECK(HB_DNN_TASK_BATCH_SIZE_EXCEED_LIMIT == -6000010);
ABI_CHECK(HB_DNN_INVALID_TASK_HANDLE == -6000011);
ABI_CHECK(HB_DNN_RUN_TASK_FAILED == -6000012);
ABI_CHECK(HB_DNN_MODEL_IS_RUNNING == -6000013);
ABI_CHECK(HB_DNN_INCOMPATIBLE_MODEL == -6000014);
ABI_CHECK(HB_DNN_API_USE_ERROR == -6000015);
ABI_CHECK(HB_DNN_MULTI_PROGRESS_USE_ERROR == -6000016);

/* ---- hb_dnn.h enums -------------------------------------------------- */
ABI_CHECK(HB_DNN_LAYOUT_NHWC == 0);
ABI_CHECK(HB_DNN_LAYOUT_NCHW == 2);
ABI_CHECK(HB_DNN_LAYOUT_NONE == 255);
ABI_CHECK(HB_DNN_IMG_TYPE_Y == 0);
ABI_CHECK(HB_DNN_IMG_TYPE_NV12 == 1);
ABI_CHECK(HB_DNN_IMG_TYPE_NV12_SEPARATE == 2);
ABI_CHECK(HB_DNN_IMG_TYPE_YUV444 == 3);
ABI_CHECK(HB_DNN_IMG_TYPE_RGB == 4);
ABI_CHECK(HB_DNN_IMG_TYPE_BGR == 5);
ABI_CHECK(HB_DNN_TENSOR_TYPE_S4 == 6);
ABI_CHECK(HB_DNN_TENSOR_TYPE_U4 == 7);
ABI_CHECK(HB_DNN_TENSOR_TYPE_S8 == 8);
ABI_CHECK(HB_DNN_TENSOR_TYPE_U8 == 9);
ABI_CHECK(HB_DNN_TENSOR_TYPE_F16 == 10);
ABI_CHECK(HB_DNN_TENSOR_TYPE_S16 == 11);
ABI_CHECK(HB_DNN_TENSOR_TYPE_U16 == 12);
ABI_CHECK(HB_DNN_TENSOR_TYPE_F32 == 13);
ABI_CHECK(HB_DNN_TENSOR_TYPE_S32 == 14);
ABI_CHECK(HB_DNN_TENSOR_TYPE_U32 == 15);
ABI_CHECK(HB_DNN_TENSOR_TYPE_F64 == 16);
ABI_CHECK(HB_DNN_TENSOR_TYPE_S64 == 17);
ABI_CHECK(HB_DNN_TENSOR_TYPE_U64 == 18);
ABI_CHECK(HB_DNN_TENSOR_TYPE_MAX == 19);
ABI_CHECK(NONE == 0);
ABI_CHECK(SHIFT == 1);
ABI_CHECK(SCALE == 2);
ABI_CHECK(HB_DNN_PRIORITY_LOWEST == 0);
ABI_CHECK(HB_DNN_PRIORITY_HIGHEST == 255);
ABI_CHECK(HB_DNN_PRIORITY_PREEMP == 255);
ABI_CHECK(HB_DNN_RESIZE_TYPE_BILINEAR == 0);

/* ---- hb_dnn_ext.h enums ---------------------------------------------- */
ABI_CHECK(HB_DNN_LAYOUT_NHCW_NATIVE == 1);
ABI_CHECK(HB_DNN_INPUT_FROM_DDR == 0);
ABI_CHECK(HB_DNN_INPUT_FROM_RESIZER == 1);
ABI_CHECK(HB_DNN_INPUT_FROM_PYRAMID == 2);
ABI_CHECK(HB_DNN_OUTPUT_OPERATOR_TYPE_UNKNOWN == 0);
ABI_CHECK(HB_DNN_OUTPUT_OPERATOR_TYPE_CONV == 1);
ABI_CHECK(HB_DNN_OUTPUT_OPERATOR_TYPE_DETECTION_POST_PROCESS == 2);
ABI_CHECK(HB_DNN_OUTPUT_OPERATOR_TYPE_RCNN_POST_PROCESS == 3);
ABI_CHECK(HB_DNN_OUTPUT_OPERATOR_TYPE_DETECTION_POST_PROCESS_STABLE_SORT == 4);
ABI_CHECK(HB_DNN_OUTPUT_OPERATOR_TYPE_CHANNEL_ARGMAX == 5);
ABI_CHECK(HB_DNN_OUTPUT_OPERATOR_TYPE_AUX_DPP_STABLE_SORT == 6);
ABI_CHECK(HB_DNN_OUTPUT_OPERATOR_TYPE_CHANNEL_ARGMAX_SPLIT == 7);
ABI_CHECK(HB_DNN_OUTPUT_OPERATOR_TYPE_FILTER == 8);
ABI_CHECK(HB_DNN_OUTPUT_OPERATOR_TYPE_CONV3D == 9);
ABI_CHECK(HB_DNN_OUTPUT_OPERATOR_TYPE_MAGIC == 10);
ABI_CHECK(HB_DNN_OUTPUT_OPERATOR_TYPE_RLE == 11);
ABI_CHECK(HB_DNN_OUTPUT_OPERATOR_TYPE_MODEL_INPUT_SCATTER == 12);
ABI_CHECK(HB_DNN_OUTPUT_OPERATOR_TYPE_MODEL_INPUT_GATHER == 13);
ABI_CHECK(HB_DNN_OUTPUT_OPERATOR_TYPE_MODEL_INPUT_GATHER_ELEMENTS == 14);
ABI_CHECK(HB_DNN_OUTPUT_OPERATOR_TYPE_MODEL_INPUT_TOP_K == 15);
ABI_CHECK(HB_DNN_DESC_TYPE_UNKNOWN == 0);
ABI_CHECK(HB_DNN_DESC_TYPE_STRING == 1);
ABI_CHECK(HB_DNN_DESC_TYPE_BINARY == 2);

/* Enum-typed struct fields are 4 bytes wide. */
ABI_CHECK(sizeof(hbDNNQuantiType) == 4);
ABI_CHECK(sizeof(hbDNNResizeType) == 4);

/* ---- Struct layouts (pointer-free) ----------------------------------- */
ABI_CHECK(sizeof(hbDNNTensorShape) == 36);
ABI_CHECK(offsetof(hbDNNTensorShape, dimensionSize) == 0);
ABI_CHECK(sizeof(((hbDNNTensorShape *)0)->dimensionSize) == 32);
ABI_CHECK(offsetof(hbDNNTensorShape, numDimensions) == 32);
ABI_CHECK(sizeof(hbDNNDimension) == 36);

ABI_CHECK(sizeof(hbDNNRoi) == 16);
ABI_CHECK(offsetof(hbDNNRoi, left) == 0);
ABI_CHECK(offsetof(hbDNNRoi, top) == 4);
ABI_CHECK(offsetof(hbDNNRoi, right) == 8);
ABI_CHECK(offsetof(hbDNNRoi, bottom) == 12);

ABI_CHECK(sizeof(hbDNNInferCtrlParam) == 32);
ABI_CHECK(offsetof(hbDNNInferCtrlParam, bpuCoreId) == 0);
ABI_CHECK(offsetof(hbDNNInferCtrlParam, dspCoreId) == 4);
ABI_CHECK(offsetof(hbDNNInferCtrlParam, priority) == 8);
ABI_CHECK(offsetof(hbDNNInferCtrlParam, more) == 12);
ABI_CHECK(offsetof(hbDNNInferCtrlParam, customId) == 16);
ABI_CHECK(sizeof(((hbDNNInferCtrlParam *)0)->customId) == 8);
ABI_CHECK(offsetof(hbDNNInferCtrlParam, reserved1) == 24);
ABI_CHECK(offsetof(hbDNNInferCtrlParam, reserved2) == 28);

ABI_CHECK(sizeof(hbDNNResizeCtrlParam) == 28);
ABI_CHECK(offsetof(hbDNNResizeCtrlParam, bpuCoreId) == 0);
ABI_CHECK(offsetof(hbDNNResizeCtrlParam, priority) == 4);
ABI_CHECK(offsetof(hbDNNResizeCtrlParam, resizeType) == 8);
ABI_CHECK(offsetof(hbDNNResizeCtrlParam, reserved1) == 12);
ABI_CHECK(offsetof(hbDNNResizeCtrlParam, reserved2) == 16);
ABI_CHECK(offsetof(hbDNNResizeCtrlParam, reserved3) == 20);
ABI_CHECK(offsetof(hbDNNResizeCtrlParam, reserved4) == 24);

/* ---- Struct layouts with pointers (LP64: Linux x86-64 / aarch64) ----- */
#if ABI_LP64
ABI_CHECK(sizeof(hbSysMem) == 24);
ABI_CHECK(offsetof(hbSysMem, phyAddr) == 0);
ABI_CHECK(sizeof(((hbSysMem *)0)->phyAddr) == 8);
ABI_CHECK(offsetof(hbSysMem, virAddr) == 8);
ABI_CHECK(offsetof(hbSysMem, memSize) == 16);
ABI_CHECK(sizeof(((hbSysMem *)0)->memSize) == 4);

ABI_CHECK(sizeof(hbDNNQuantiShift) == 16);
ABI_CHECK(offsetof(hbDNNQuantiShift, shiftLen) == 0);
ABI_CHECK(offsetof(hbDNNQuantiShift, shiftData) == 8);

ABI_CHECK(sizeof(hbDNNQuantiScale) == 32);
ABI_CHECK(offsetof(hbDNNQuantiScale, scaleLen) == 0);
ABI_CHECK(offsetof(hbDNNQuantiScale, scaleData) == 8);
ABI_CHECK(offsetof(hbDNNQuantiScale, zeroPointLen) == 16);
ABI_CHECK(offsetof(hbDNNQuantiScale, zeroPointData) == 24);

ABI_CHECK(sizeof(hbDNNTensorProperties) == 176);
ABI_CHECK(offsetof(hbDNNTensorProperties, validShape) == 0);
ABI_CHECK(offsetof(hbDNNTensorProperties, alignedShape) == 36);
ABI_CHECK(offsetof(hbDNNTensorProperties, tensorLayout) == 72);
ABI_CHECK(offsetof(hbDNNTensorProperties, tensorType) == 76);
ABI_CHECK(offsetof(hbDNNTensorProperties, shift) == 80);
ABI_CHECK(offsetof(hbDNNTensorProperties, scale) == 96);
ABI_CHECK(offsetof(hbDNNTensorProperties, quantiType) == 128);
ABI_CHECK(offsetof(hbDNNTensorProperties, quantizeAxis) == 132);
ABI_CHECK(offsetof(hbDNNTensorProperties, alignedByteSize) == 136);
ABI_CHECK(offsetof(hbDNNTensorProperties, stride) == 140);
ABI_CHECK(sizeof(((hbDNNTensorProperties *)0)->stride) == 32);

ABI_CHECK(sizeof(hbDNNTensor) == 272);
ABI_CHECK(offsetof(hbDNNTensor, sysMem) == 0);
ABI_CHECK(sizeof(((hbDNNTensor *)0)->sysMem) == 96);
ABI_CHECK(offsetof(hbDNNTensor, properties) == 96);

ABI_CHECK(sizeof(hbPackedDNNHandle_t) == 8);
ABI_CHECK(sizeof(hbDNNHandle_t) == 8);
ABI_CHECK(sizeof(hbDNNTaskHandle_t) == 8);
#endif /* ABI_LP64 */

/* ---- hb_dnn_sim.h: fixed-width fields, the same on every ABI --------- */
ABI_CHECK(sizeof(hbDNNSimTaskTiming) == 40);
ABI_CHECK(offsetof(hbDNNSimTaskTiming, submitNs) == 0);
ABI_CHECK(offsetof(hbDNNSimTaskTiming, endNs) == 8);
ABI_CHECK(offsetof(hbDNNSimTaskTiming, latencyNs) == 16);
ABI_CHECK(offsetof(hbDNNSimTaskTiming, bpuNs) == 24);
ABI_CHECK(offsetof(hbDNNSimTaskTiming, fcCount) == 32);
ABI_CHECK(offsetof(hbDNNSimTaskTiming, bpuCoreId) == 36);
ABI_CHECK(sizeof(((hbDNNSimTaskTiming *)0)->submitNs) == 8);
ABI_CHECK(sizeof(((hbDNNSimTaskTiming *)0)->fcCount) == 4);

/* ---- Prototypes: redeclarations must be compatible ------------------- */
char const *hbDNNGetVersion(void);
int32_t hbDNNInitializeFromFiles(hbPackedDNNHandle_t *packedDNNHandle,
                                 char const **modelFileNames,
                                 int32_t modelFileCount);
int32_t hbDNNInitializeFromDDR(hbPackedDNNHandle_t *packedDNNHandle,
                               const void **modelData,
                               int32_t *modelDataLengths,
                               int32_t modelDataCount);
int32_t hbDNNRelease(hbPackedDNNHandle_t packedDNNHandle);
int32_t hbDNNGetModelNameList(char const ***modelNameList,
                              int32_t *modelNameCount,
                              hbPackedDNNHandle_t packedDNNHandle);
int32_t hbDNNGetModelHandle(hbDNNHandle_t *dnnHandle,
                            hbPackedDNNHandle_t packedDNNHandle,
                            char const *modelName);
int32_t hbDNNGetInputCount(int32_t *inputCount, hbDNNHandle_t dnnHandle);
int32_t hbDNNGetInputName(char const **name, hbDNNHandle_t dnnHandle,
                          int32_t inputIndex);
int32_t hbDNNGetInputTensorProperties(hbDNNTensorProperties *properties,
                                      hbDNNHandle_t dnnHandle,
                                      int32_t inputIndex);
int32_t hbDNNGetOutputCount(int32_t *outputCount, hbDNNHandle_t dnnHandle);
int32_t hbDNNGetOutputName(char const **name, hbDNNHandle_t dnnHandle,
                           int32_t outputIndex);
int32_t hbDNNGetOutputTensorProperties(hbDNNTensorProperties *properties,
                                       hbDNNHandle_t dnnHandle,
                                       int32_t outputIndex);
int32_t hbDNNInfer(hbDNNTaskHandle_t *taskHandle, hbDNNTensor **output,
                   hbDNNTensor const *input, hbDNNHandle_t dnnHandle,
                   hbDNNInferCtrlParam *inferCtrlParam);
int32_t hbDNNRoiInfer(hbDNNTaskHandle_t *taskHandle, hbDNNTensor **output,
                      hbDNNTensor const *input, hbDNNRoi *rois,
                      int32_t roiCount, hbDNNHandle_t dnnHandle,
                      hbDNNInferCtrlParam *inferCtrlParam);
int32_t hbDNNResize(hbDNNTaskHandle_t *taskHandle, hbDNNTensor *output,
                    hbDNNTensor const *input, hbDNNRoi const *roi,
                    hbDNNResizeCtrlParam *resizeCtrlParam);
int32_t hbDNNSetTaskDoneCb(hbDNNTaskHandle_t taskHandle, hbDNNTaskDoneCb cb,
                           void *userdata);
int32_t hbDNNWaitTaskDone(hbDNNTaskHandle_t taskHandle, int32_t timeout);
int32_t hbDNNReleaseTask(hbDNNTaskHandle_t taskHandle);

char const *hbDNNGetErrorDesc(int32_t errorCode);
char const *hbDNNGetLastErrorDetail(void);
int32_t hbDNNSimGetTaskTiming(hbDNNTaskHandle_t taskHandle,
                              hbDNNSimTaskTiming *timing);
int32_t hbDNNSimSetFaults(char const *spec);

int32_t hbSysAllocMem(hbSysMem *mem, uint32_t size);
int32_t hbSysAllocCachedMem(hbSysMem *mem, uint32_t size);
int32_t hbSysFlushMem(hbSysMem *mem, int32_t flag);
int32_t hbSysWriteMem(hbSysMem *dest, char *src, uint32_t size);
int32_t hbSysReadMem(char *dest, hbSysMem *src, uint32_t size);
int32_t hbSysFreeMem(hbSysMem *mem);
int32_t hbSysRegisterMem(hbSysMem *mem);
int32_t hbSysUnregisterMem(hbSysMem *mem);

int32_t hbDNNGetInputSource(int32_t *inputSource, hbDNNHandle_t dnnHandle,
                            int32_t inputIndex);
int32_t hbDNNGetInputDesc(char const **desc, uint32_t *size, int32_t *type,
                          hbDNNHandle_t dnnHandle, int32_t inputIndex);
int32_t hbDNNGetOutputDesc(char const **desc, uint32_t *size, int32_t *type,
                           hbDNNHandle_t dnnHandle, int32_t outputIndex);
int32_t hbDNNGetModelDesc(char const **desc, uint32_t *size, int32_t *type,
                          hbDNNHandle_t dnnHandle);
int32_t hbDNNGetOutputOperatorType(int32_t *operatorType,
                                   hbDNNHandle_t dnnHandle,
                                   int32_t outputIndex);
int32_t hbDNNGetEstimateLatency(int32_t *estimateLatency,
                                hbDNNHandle_t dnnHandle);
int32_t hbDNNGetTaskEstimateTime(int32_t *estimateTime,
                                 hbDNNTaskHandle_t taskHandle);
int32_t hbDNNGetTaskEstimateStartTime(int32_t *estimateTime,
                                      hbDNNInferCtrlParam *inferCtrlParam);
int32_t hbDNNGetModelTag(char const **tag, hbDNNHandle_t dnnHandle);
int32_t hbDNNUnquantizeByScale(float *output, int32_t inputDataType,
                               hbDNNTensorShape inputShape, const float *scales,
                               const void *input);
int32_t hbDNNGetLayoutName(char const **name, int32_t layout);
int32_t hbDNNConvertLayout(void *output, int32_t outputLayout,
                           const void *input, int32_t inputLayout,
                           int32_t dataType, hbDNNTensorShape inputShape,
                           bool convertEndianness);
int32_t hbDNNConvertLayoutRoi(void *output, int32_t outputLayout,
                              const void *input, int32_t inputLayout,
                              int32_t dataType, hbDNNTensorShape inputShape,
                              bool convertEndianness, hbDNNDimension coord,
                              hbDNNDimension size);
int32_t hbDNNConvertLayoutToNative1HW1(void *output, const void *input,
                                       int32_t inputLayout, int32_t dataType,
                                       hbDNNTensorShape inputShape,
                                       bool convertEndianness, uint32_t nIndex,
                                       uint32_t cIndex);
int32_t hbDNNConvertLayoutToNative111C(void *output, const void *input,
                                       int32_t inputLayout, int32_t dataType,
                                       hbDNNTensorShape inputShape,
                                       bool convertEndianness, uint32_t nIndex,
                                       uint32_t hIndex, uint32_t wIndex);
int32_t hbDNNConvertLayoutToNative1111(void *output, const void *input,
                                       int32_t inputLayout, int32_t dataType,
                                       hbDNNTensorShape inputShape,
                                       bool convertEndianness,
                                       hbDNNDimension coord);
int32_t hbDNNAddPaddingWithStride(void *output, void const *input,
                                  uint32_t dimNum, const uint32_t *dim,
                                  const int32_t *stride, uint32_t elementSize);
int32_t hbDNNRemovePaddingWithStride(void *output, void const *input,
                                     uint32_t dimNum, const uint32_t *dim,
                                     const int32_t *stride,
                                     uint32_t elementSize);
int32_t hbDNNAddPadding(void *output, hbDNNTensorShape outputShape,
                        void const *input, hbDNNTensorShape inputShape,
                        int32_t dataType);
int32_t hbDNNRemovePadding(void *output, hbDNNTensorShape outputShape,
                           void const *input, hbDNNTensorShape inputShape,
                           int32_t dataType);
int32_t hbDNNConvertEndianness(void *output, const void *input, uint32_t size);

/* The callback type: assigning a function of the expected type must work. */
static void ExpectedCallback(hbDNNTaskHandle_t taskHandle, int32_t status,
                             void *userdata) {
  (void)taskHandle;
  (void)status;
  (void)userdata;
}

static int failures = 0;

static void Expect(int condition, const char *what) {
  printf("%s: %s\n", condition ? "ok  " : "FAIL", what);
  if (!condition) {
    ++failures;
  }
}

int main(void) {
  hbDNNInferCtrlParam infer_param;
  hbDNNResizeCtrlParam resize_param;
  hbDNNTaskDoneCb callback = ExpectedCallback;

  memset(&infer_param, 0x5A, sizeof(infer_param));
  HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&infer_param);
  Expect(infer_param.bpuCoreId == HB_BPU_CORE_ANY, "infer init: bpuCoreId");
  Expect(infer_param.dspCoreId == HB_DSP_CORE_ANY, "infer init: dspCoreId");
  Expect(infer_param.priority == HB_DNN_PRIORITY_LOWEST,
         "infer init: priority");
  Expect(infer_param.more == 0, "infer init: more");
  Expect(infer_param.customId == 0, "infer init: customId");
  Expect(infer_param.reserved1 == 0, "infer init: reserved1");
  Expect(infer_param.reserved2 == 0, "infer init: reserved2");

  memset(&resize_param, 0x5A, sizeof(resize_param));
  HB_DNN_INITIALIZE_RESIZE_CTRL_PARAM(&resize_param);
  Expect(resize_param.bpuCoreId == HB_BPU_CORE_ANY, "resize init: bpuCoreId");
  Expect(resize_param.priority == HB_DNN_PRIORITY_LOWEST,
         "resize init: priority");
  Expect(resize_param.resizeType == HB_DNN_RESIZE_TYPE_BILINEAR,
         "resize init: resizeType");
  Expect(resize_param.reserved1 == 0 && resize_param.reserved2 == 0 &&
             resize_param.reserved3 == 0 && resize_param.reserved4 == 0,
         "resize init: reserved1..4");

  Expect(callback != NULL, "hbDNNTaskDoneCb accepts the expected signature");
  Expect(ABI_LP64 == 1, "LP64 layout checks were compiled in");

  printf("%s\n", failures == 0 ? "all ABI checks passed" : "ABI checks FAILED");
  return failures == 0 ? 0 : 1;
}
