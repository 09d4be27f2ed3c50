/*
 * hb_dnn: an open reimplementation of the libdnn board-runtime C API.
 *
 * hb_dnn.h: loading models, querying their tensors and running inference.
 *
 * Object model:
 *  - A *packed handle* (hbPackedDNNHandle_t) owns every model loaded by one
 *    hbDNNInitializeFromFiles() / hbDNNInitializeFromDDR() call. It is freed
 *    with hbDNNRelease().
 *  - A *model handle* (hbDNNHandle_t) designates one model inside a packed
 *    handle. It is never freed on its own and becomes invalid when its packed
 *    handle is released.
 *  - A *task handle* (hbDNNTaskHandle_t) designates one asynchronous
 *    submission (hbDNNInfer(), hbDNNRoiInfer(), hbDNNResize()). It is freed
 *    with hbDNNReleaseTask().
 *
 * Every int32_t function returns HB_DNN_SUCCESS (0) on success, otherwise a
 * negative hbDNNStatus code (see hb_dnn_status.h; note that this header does
 * not include it). Unless stated otherwise, functions are thread-safe: the
 * same packed handle and model handles may be used from several threads at
 * once. Strings and arrays returned through `char const **` parameters are
 * owned by the library; never free or modify them.
 */
#ifndef DNN_HB_DNN_H_
#define DNN_HB_DNN_H_

#include "hb_sys.h"

#ifndef __cplusplus
#include <stdbool.h>
#endif /* __cplusplus */

#include "hb_dnn_export.h"

#ifdef __cplusplus
extern "C" {
#endif /* __cplusplus */

/** API version implemented by this header (libdnn 1.18.6). */
#define HB_DNN_VERSION_MAJOR 1U
#define HB_DNN_VERSION_MINOR 18U
#define HB_DNN_VERSION_PATCH 6U

/** Capacity of hbDNNTensorShape::dimensionSize and of the stride array. */
#define HB_DNN_TENSOR_MAX_DIMENSIONS 8

/**
 * Sets every field of the hbDNNInferCtrlParam pointed to by @p param to its
 * default: any BPU core, any DSP core, lowest priority, no follow-up
 * submission, customId 0, reserved fields 0.
 * Expands to a brace block (not an expression).
 */
#define HB_DNN_INITIALIZE_INFER_CTRL_PARAM(param) \
  {                                               \
    (param)->bpuCoreId = HB_BPU_CORE_ANY;         \
    (param)->dspCoreId = HB_DSP_CORE_ANY;         \
    (param)->priority = HB_DNN_PRIORITY_LOWEST;   \
    (param)->more = false;                        \
    (param)->customId = 0;                        \
    (param)->reserved1 = 0;                       \
    (param)->reserved2 = 0;                       \
  }

/**
 * Sets every field of the hbDNNResizeCtrlParam pointed to by @p param to its
 * default: any BPU core, bilinear resize, lowest priority, reserved fields 0.
 * Expands to a brace block (not an expression).
 */
#define HB_DNN_INITIALIZE_RESIZE_CTRL_PARAM(param)     \
  {                                                    \
    (param)->bpuCoreId = HB_BPU_CORE_ANY;              \
    (param)->resizeType = HB_DNN_RESIZE_TYPE_BILINEAR; \
    (param)->priority = HB_DNN_PRIORITY_LOWEST;        \
    (param)->reserved1 = 0;                            \
    (param)->reserved2 = 0;                            \
    (param)->reserved3 = 0;                            \
    (param)->reserved4 = 0;                            \
  }

/** Opaque handle to a set of loaded models. */
typedef void *hbPackedDNNHandle_t;
/** Opaque handle to one model inside a packed handle. */
typedef void *hbDNNHandle_t;
/** Opaque handle to one asynchronous task. */
typedef void *hbDNNTaskHandle_t;

/** Memory order of a tensor's dimensions. */
typedef enum {
  HB_DNN_LAYOUT_NHWC = 0,
  HB_DNN_LAYOUT_NCHW = 2,
  HB_DNN_LAYOUT_NONE = 255
} hbDNNTensorLayout;

/**
 * Element / image type of a tensor.
 *
 * IMG types describe image inputs: Y (luma only), NV12 (Y plane followed by
 * interleaved UV in sysMem[0]), NV12_SEPARATE (Y in sysMem[0], UV in
 * sysMem[1]), YUV444, RGB and BGR (8 bits per channel).
 * TENSOR types are plain element types: S = signed integer, U = unsigned
 * integer, F = IEEE float, followed by the width in bits.
 */
typedef enum {
  HB_DNN_IMG_TYPE_Y = 0,
  HB_DNN_IMG_TYPE_NV12 = 1,
  HB_DNN_IMG_TYPE_NV12_SEPARATE = 2,
  HB_DNN_IMG_TYPE_YUV444 = 3,
  HB_DNN_IMG_TYPE_RGB = 4,
  HB_DNN_IMG_TYPE_BGR = 5,
  HB_DNN_TENSOR_TYPE_S4 = 6,
  HB_DNN_TENSOR_TYPE_U4 = 7,
  HB_DNN_TENSOR_TYPE_S8 = 8,
  HB_DNN_TENSOR_TYPE_U8 = 9,
  HB_DNN_TENSOR_TYPE_F16 = 10,
  HB_DNN_TENSOR_TYPE_S16 = 11,
  HB_DNN_TENSOR_TYPE_U16 = 12,
  HB_DNN_TENSOR_TYPE_F32 = 13,
  HB_DNN_TENSOR_TYPE_S32 = 14,
  HB_DNN_TENSOR_TYPE_U32 = 15,
  HB_DNN_TENSOR_TYPE_F64 = 16,
  HB_DNN_TENSOR_TYPE_S64 = 17,
  HB_DNN_TENSOR_TYPE_U64 = 18,
  HB_DNN_TENSOR_TYPE_MAX = 19
} hbDNNDataType;

/**
 * A tensor shape: numDimensions entries of dimensionSize are meaningful,
 * outermost first, in the order given by the tensor's layout.
 * sizeof == 36.
 */
typedef struct {
  int32_t dimensionSize[HB_DNN_TENSOR_MAX_DIMENSIONS];
  int32_t numDimensions;
} hbDNNTensorShape;

/**
 * Power-of-two quantization: real = q / 2^shiftData[k].
 * shiftLen is 1 for per-tensor quantization, otherwise the size of the
 * quantized axis. shiftData points into library memory owned by the model.
 * sizeof == 16 (LP64).
 */
typedef struct {
  int32_t shiftLen;
  uint8_t *shiftData;
} hbDNNQuantiShift;

/**
 * Affine quantization.
 * Dequantize: real = (q - zeroPointData[k]) * scaleData[k], or
 *             real = q * scaleData[k] when zeroPointLen is 0.
 * Quantize:   q = clamp(round_half_even(real / scaleData[k] + zp[k])) to the
 *             element type's range (zp[k] taken as 0 when zeroPointLen is 0).
 * k is 0 for per-tensor quantization (scaleLen == 1), otherwise the index
 * along hbDNNTensorProperties::quantizeAxis. zeroPointLen is 0 or equal to
 * scaleLen. Both arrays point into library memory owned by the model.
 * Layout (LP64): scaleLen @0, scaleData @8, zeroPointLen @16,
 * zeroPointData @24, sizeof == 32.
 */
typedef struct {
  int32_t scaleLen;
  float *scaleData;
  int32_t zeroPointLen;
  int8_t *zeroPointData;
} hbDNNQuantiScale;

/** Which quantization description of a tensor applies. */
typedef enum {
  NONE = 0,  /**< not quantized: values are used as they are */
  SHIFT = 1, /**< hbDNNTensorProperties::shift applies */
  SCALE = 2  /**< hbDNNTensorProperties::scale applies */
} hbDNNQuantiType;

/**
 * Static description of a model input or output, and the description of the
 * caller's buffer when passed back in an hbDNNTensor.
 *
 * validShape:      shape of the meaningful data.
 * alignedShape:    padded shape the BPU reads or writes. For inputs the
 *                  caller may set it to validShape to supply compact data;
 *                  the runtime then pads internally.
 * tensorLayout:    an hbDNNTensorLayout value.
 * tensorType:      an hbDNNDataType value. For NV12 inputs the caller may
 *                  switch between NV12 and NV12_SEPARATE.
 * shift, scale:    quantization parameters, see quantiType.
 * quantizeAxis:    axis of per-axis quantization (ignored when per-tensor).
 * alignedByteSize: bytes needed to hold the tensor in its aligned layout;
 *                  allocate at least this much.
 * stride:          byte step of each dimension of validShape (all 0 for
 *                  NV12 / Y image inputs).
 *
 * Layout (LP64): validShape @0, alignedShape @36, tensorLayout @72,
 * tensorType @76, shift @80, scale @96, quantiType @128, quantizeAxis @132,
 * alignedByteSize @136, stride @140, sizeof == 176.
 */
typedef struct {
  hbDNNTensorShape validShape;
  hbDNNTensorShape alignedShape;
  int32_t tensorLayout;
  int32_t tensorType;
  hbDNNQuantiShift shift;
  hbDNNQuantiScale scale;
  hbDNNQuantiType quantiType;
  int32_t quantizeAxis;
  int32_t alignedByteSize;
  int32_t stride[HB_DNN_TENSOR_MAX_DIMENSIONS];
} hbDNNTensorProperties;

/**
 * A tensor handed to inference: its memory and its description.
 * NV12_SEPARATE uses sysMem[0] (Y) and sysMem[1] (UV); every other type uses
 * sysMem[0] only. The memory stays owned by the caller.
 * Layout (LP64): sysMem @0, properties @96, sizeof == 272.
 */
typedef struct {
  hbSysMem sysMem[4];
  hbDNNTensorProperties properties;
} hbDNNTensor;

/**
 * A rectangle in pixel coordinates, both corners inclusive: columns
 * left..right and rows top..bottom. sizeof == 16.
 */
typedef struct {
  int32_t left;
  int32_t top;
  int32_t right;
  int32_t bottom;
} hbDNNRoi;

/**
 * Task priority, 0 (lowest) .. 255. HB_DNN_PRIORITY_PREEMP (= 255) marks a
 * preempting task that may interrupt lower-priority work at function-call
 * boundaries.
 */
typedef enum {
  HB_DNN_PRIORITY_LOWEST = 0,
  HB_DNN_PRIORITY_HIGHEST = 255,
  HB_DNN_PRIORITY_PREEMP = HB_DNN_PRIORITY_HIGHEST
} hbDNNTaskPriority;

/**
 * Per-submission control parameters; initialise with
 * HB_DNN_INITIALIZE_INFER_CTRL_PARAM.
 *
 * bpuCoreId: an hbBPUCore value (ANY, CORE_0 or CORE_1).
 * dspCoreId: an hbDSPCore value; accepted and ignored.
 * priority:  0..255, see hbDNNTaskPriority.
 * more:      non-zero if further submissions will be appended to the same
 *            task; the last submission of a batch passes 0.
 * customId:  secondary ordering key among equal priorities: smaller values
 *            are scheduled first (e.g. a timestamp or frame id).
 * reserved1, reserved2: must be 0.
 *
 * Layout: bpuCoreId @0, dspCoreId @4, priority @8, more @12, customId @16,
 * reserved1 @24, reserved2 @28, sizeof == 32.
 */
typedef struct {
  int32_t bpuCoreId;
  int32_t dspCoreId;
  int32_t priority;
  int32_t more;
  int64_t customId;
  int32_t reserved1;
  int32_t reserved2;
} hbDNNInferCtrlParam;

/** Interpolation of hbDNNResize(). */
typedef enum {
  HB_DNN_RESIZE_TYPE_BILINEAR = 0
} hbDNNResizeType;

/**
 * Control parameters of hbDNNResize(); initialise with
 * HB_DNN_INITIALIZE_RESIZE_CTRL_PARAM. reserved1..reserved4 must be 0.
 * Layout: bpuCoreId @0, priority @4, resizeType @8, reserved1..4 @12..24,
 * sizeof == 28.
 */
typedef struct {
  int32_t bpuCoreId;
  int32_t priority;
  hbDNNResizeType resizeType;
  int32_t reserved1;
  int32_t reserved2;
  int32_t reserved3;
  int32_t reserved4;
} hbDNNResizeCtrlParam;

/**
 * Completion callback, see hbDNNSetTaskDoneCb().
 * @param taskHandle  the task that reached its final state.
 * @param status      HB_DNN_SUCCESS, or the negative code the task failed
 *                    with (HB_DNN_RUN_TASK_FAILED, ...), including when the
 *                    task was cancelled by hbDNNReleaseTask().
 * @param userdata    the pointer given at registration.
 */
typedef void (*hbDNNTaskDoneCb)(hbDNNTaskHandle_t taskHandle, int32_t status,
                                void *userdata);

/**
 * Returns the version string of the library.
 *
 * The string starts with the API version "MAJOR.MINOR.PATCH" of the macros
 * above and may be followed by build information. It is a static string
 * owned by the library: never NULL, valid for the life of the process.
 * Thread-safe, non-blocking.
 */
HB_DNN_API char const *hbDNNGetVersion(void);

/**
 * Loads the models of one or more model files into a new packed handle.
 *
 * Blocking: reads, verifies and prepares every model before returning.
 * Thread-safe. The caller owns the new handle and frees it with
 * hbDNNRelease(). On failure nothing stays loaded and, if
 * @p packedDNNHandle is not NULL, *packedDNNHandle is set to NULL.
 *
 * @param[out] packedDNNHandle  receives the new packed handle.
 * @param[in]  modelFileNames   array of @p modelFileCount file paths.
 * @param[in]  modelFileCount   number of files, >= 1.
 * @return HB_DNN_SUCCESS;
 *         HB_DNN_INVALID_ARGUMENT for a NULL pointer, a NULL path or a
 *         count < 1;
 *         HB_DNN_CAN_NOT_OPEN_FILE if a file is missing or unreadable;
 *         HB_DNN_INVALID_MODEL if a file is not a valid model file of this
 *         runtime (vendor .bin/.hbm files are rejected with this code), or
 *         two models have the same name;
 *         HB_DNN_INCOMPATIBLE_MODEL if a model targets an unsupported BPU
 *         architecture or a newer format version;
 *         HB_DNN_MODEL_NUMBER_EXCEED_LIMIT if too many models are loaded;
 *         HB_DNN_OUT_OF_MEMORY.
 */
HB_DNN_API int32_t hbDNNInitializeFromFiles(hbPackedDNNHandle_t *packedDNNHandle,
                                            char const **modelFileNames,
                                            int32_t modelFileCount);

/**
 * Loads models from in-memory model images into a new packed handle.
 *
 * Same contract and codes as hbDNNInitializeFromFiles() (except
 * HB_DNN_CAN_NOT_OPEN_FILE), with images instead of files. The library
 * COPIES the bytes it needs before returning: the caller may free or reuse
 * the images as soon as this function returns.
 *
 * @param[out] packedDNNHandle   receives the new packed handle.
 * @param[in]  modelData         array of @p modelDataCount image pointers.
 * @param[in]  modelDataLengths  array of the images' sizes in bytes, each > 0.
 * @param[in]  modelDataCount    number of images, >= 1.
 * @return HB_DNN_SUCCESS, HB_DNN_INVALID_ARGUMENT, HB_DNN_INVALID_MODEL,
 *         HB_DNN_INCOMPATIBLE_MODEL, HB_DNN_MODEL_NUMBER_EXCEED_LIMIT or
 *         HB_DNN_OUT_OF_MEMORY.
 */
HB_DNN_API int32_t hbDNNInitializeFromDDR(hbPackedDNNHandle_t *packedDNNHandle,
                                          const void **modelData,
                                          int32_t *modelDataLengths,
                                          int32_t modelDataCount);

/**
 * Releases a packed handle and every model in it.
 *
 * All model handles obtained from it, and every name, description and
 * quantization array returned for its models, become invalid. All tasks
 * created from its models must have been released with hbDNNReleaseTask()
 * first. Blocking only for the time needed to free memory.
 *
 * @param[in] packedDNNHandle  the handle to release.
 * @return HB_DNN_SUCCESS;
 *         HB_DNN_INVALID_PACKED_DNN_HANDLE if the handle is NULL, unknown or
 *         already released;
 *         HB_DNN_MODEL_IS_RUNNING if a task created from one of its models
 *         has not been released (nothing is released then).
 */
HB_DNN_API int32_t hbDNNRelease(hbPackedDNNHandle_t packedDNNHandle);

/**
 * Lists the names of the models in a packed handle.
 *
 * The array and its strings are owned by the library and stay valid until
 * the packed handle is released. Models are listed in file order, then in
 * their order inside each file.
 *
 * @param[out] modelNameList    receives the array of names.
 * @param[out] modelNameCount   receives the number of names.
 * @param[in]  packedDNNHandle  the packed handle.
 * @return HB_DNN_SUCCESS;
 *         HB_DNN_INVALID_ARGUMENT if an output pointer is NULL;
 *         HB_DNN_INVALID_PACKED_DNN_HANDLE.
 */
HB_DNN_API int32_t hbDNNGetModelNameList(char const ***modelNameList,
                                         int32_t *modelNameCount,
                                         hbPackedDNNHandle_t packedDNNHandle);

/**
 * Looks up one model of a packed handle by name.
 *
 * The model handle is not released separately; it stays valid until the
 * packed handle is released and may be shared between threads.
 *
 * @param[out] dnnHandle        receives the model handle.
 * @param[in]  packedDNNHandle  the packed handle.
 * @param[in]  modelName        exact model name (see hbDNNGetModelNameList()).
 * @return HB_DNN_SUCCESS;
 *         HB_DNN_INVALID_ARGUMENT if a pointer is NULL or no model has this
 *         name;
 *         HB_DNN_INVALID_PACKED_DNN_HANDLE.
 */
HB_DNN_API int32_t hbDNNGetModelHandle(hbDNNHandle_t *dnnHandle,
                                       hbPackedDNNHandle_t packedDNNHandle,
                                       char const *modelName);

/**
 * Gets the number of input tensors of a model.
 *
 * @param[out] inputCount  receives the count.
 * @param[in]  dnnHandle   the model.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_ARGUMENT if @p inputCount is NULL;
 *         HB_DNN_INVALID_DNN_HANDLE.
 */
HB_DNN_API int32_t hbDNNGetInputCount(int32_t *inputCount,
                                      hbDNNHandle_t dnnHandle);

/**
 * Gets the name of an input tensor.
 *
 * The string is owned by the library and valid until the packed handle is
 * released.
 *
 * @param[out] name        receives the name.
 * @param[in]  dnnHandle   the model.
 * @param[in]  inputIndex  0 <= index < input count.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_ARGUMENT for a NULL pointer or an
 *         index out of range; HB_DNN_INVALID_DNN_HANDLE.
 */
HB_DNN_API int32_t hbDNNGetInputName(char const **name,
                                     hbDNNHandle_t dnnHandle,
                                     int32_t inputIndex);

/**
 * Copies the properties of an input tensor into @p properties.
 *
 * The struct is the caller's; the shift / scale / zero-point arrays it points
 * to are owned by the library, read-only, and valid until the packed handle
 * is released.
 *
 * @param[out] properties  receives the properties.
 * @param[in]  dnnHandle   the model.
 * @param[in]  inputIndex  0 <= index < input count.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_ARGUMENT for a NULL pointer or an
 *         index out of range; HB_DNN_INVALID_DNN_HANDLE.
 */
HB_DNN_API int32_t hbDNNGetInputTensorProperties(
    hbDNNTensorProperties *properties, hbDNNHandle_t dnnHandle,
    int32_t inputIndex);

/**
 * Gets the number of output tensors of a model.
 *
 * @param[out] outputCount  receives the count.
 * @param[in]  dnnHandle    the model.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_ARGUMENT if @p outputCount is NULL;
 *         HB_DNN_INVALID_DNN_HANDLE.
 */
HB_DNN_API int32_t hbDNNGetOutputCount(int32_t *outputCount,
                                       hbDNNHandle_t dnnHandle);

/**
 * Gets the name of an output tensor.
 *
 * The string is owned by the library and valid until the packed handle is
 * released.
 *
 * @param[out] name         receives the name.
 * @param[in]  dnnHandle    the model.
 * @param[in]  outputIndex  0 <= index < output count.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_ARGUMENT for a NULL pointer or an
 *         index out of range; HB_DNN_INVALID_DNN_HANDLE.
 */
HB_DNN_API int32_t hbDNNGetOutputName(char const **name,
                                      hbDNNHandle_t dnnHandle,
                                      int32_t outputIndex);

/**
 * Copies the properties of an output tensor into @p properties.
 *
 * Same ownership rules as hbDNNGetInputTensorProperties(). When a model ends
 * with a BPU operator the output is written in alignedShape layout and the
 * caller skips the padding; when it ends with a CPU operator
 * validShape == alignedShape.
 *
 * @param[out] properties   receives the properties.
 * @param[in]  dnnHandle    the model.
 * @param[in]  outputIndex  0 <= index < output count.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_ARGUMENT for a NULL pointer or an
 *         index out of range; HB_DNN_INVALID_DNN_HANDLE.
 */
HB_DNN_API int32_t hbDNNGetOutputTensorProperties(
    hbDNNTensorProperties *properties, hbDNNHandle_t dnnHandle,
    int32_t outputIndex);

/**
 * Submits one inference of a model; asynchronous.
 *
 * Validates the tensors, creates (or extends) a task and returns without
 * waiting for the result; use hbDNNWaitTaskDone() or hbDNNSetTaskDoneCb()
 * to learn when it has finished, then hbDNNReleaseTask().
 *
 * *taskHandle must be NULL to create a new task. To batch several small
 * submissions into one task, pass inferCtrlParam->more = 1 on every
 * submission but the last, passing back the task handle returned by the
 * first one; the batch is scheduled once the last one (more = 0) arrives.
 *
 * The input and output tensors (descriptions and memory) must stay valid
 * and the inputs unmodified until the task has finished. Input memory must
 * hold at least the bytes implied by its alignedShape (at least
 * alignedByteSize when the alignedShape is the model's); output memory must
 * hold at least the output's alignedByteSize. Cacheable input memory must be
 * cleaned before the call; cacheable output memory must be invalidated after
 * completion before the CPU reads it.
 *
 * @param[in,out] taskHandle  in: NULL, or the task being extended with
 *                            `more`; out: the task. Left unchanged on
 *                            error (so a NULL stays NULL).
 * @param[in]     output      pointer to the caller's array of output tensors
 *                            (one per model output, in output-index order).
 * @param[in]     input       array of input tensors (one per model input).
 * @param[in]     dnnHandle   the model.
 * @param[in]     inferCtrlParam  core, priority, `more` and customId.
 * @return HB_DNN_SUCCESS;
 *         HB_DNN_INVALID_ARGUMENT for NULL pointers, out-of-range control
 *         parameters, or tensors whose type, layout, shape or memory size do
 *         not fit the model;
 *         HB_DNN_INVALID_DNN_HANDLE;
 *         HB_DNN_INVALID_TASK_HANDLE if *taskHandle is neither NULL nor a
 *         task still open for `more` submissions;
 *         HB_DNN_TASK_NUM_EXCEED_LIMIT if too many tasks coexist (32);
 *         HB_DNN_TASK_BATCH_SIZE_EXCEED_LIMIT if a task would hold more than
 *         255 submissions;
 *         HB_DNN_OUT_OF_MEMORY.
 */
HB_DNN_API int32_t hbDNNInfer(hbDNNTaskHandle_t *taskHandle,
                              hbDNNTensor **output, hbDNNTensor const *input,
                              hbDNNHandle_t dnnHandle,
                              hbDNNInferCtrlParam *inferCtrlParam);

/**
 * Submits a batch of ROI inferences of a resizer-input model; asynchronous.
 *
 * For batch b (0 <= b < batch): its inputs are
 * input[b * inputCount .. (b + 1) * inputCount) and, if the model has n
 * resizer inputs, its ROIs are rois[b * n .. (b + 1) * n); so
 * roiCount = batch * n. Each ROI selects the region of the matching resizer
 * input that the BPU resizes to the model's input size. Task handling,
 * lifetime and memory rules are those of hbDNNInfer().
 *
 * @param[in,out] taskHandle      as for hbDNNInfer().
 * @param[in]     output          pointer to the caller's output tensors.
 * @param[in]     input           inputCount * batch input tensors.
 * @param[in]     rois            roiCount regions (inclusive corners).
 * @param[in]     roiCount        number of ROIs, batch * n with
 *                                1 <= batch <= 255.
 * @param[in]     dnnHandle       the model.
 * @param[in]     inferCtrlParam  core, priority, `more` and customId.
 * @return the codes of hbDNNInfer(); HB_DNN_INVALID_ARGUMENT also for a ROI
 *         outside its image or outside the resizer's size limits, or a
 *         roiCount that is not a multiple of the resizer-input count.
 */
HB_DNN_API int32_t hbDNNRoiInfer(hbDNNTaskHandle_t *taskHandle,
                                 hbDNNTensor **output, hbDNNTensor const *input,
                                 hbDNNRoi *rois, int32_t roiCount,
                                 hbDNNHandle_t dnnHandle,
                                 hbDNNInferCtrlParam *inferCtrlParam);

/**
 * Resizes (part of) an image with the BPU; asynchronous.
 *
 * Kept for compatibility with older applications; hbDNNRoiInfer() with a
 * resizer-input model is the preferred way. Input and output must have the
 * same image type (HB_DNN_IMG_TYPE_*); NV12 sizes must be even. The output
 * size is taken from output->properties.validShape. Completion and release
 * work as for hbDNNInfer(): the returned task is waited on and released with
 * hbDNNWaitTaskDone() / hbDNNReleaseTask().
 *
 * @param[out] taskHandle       receives the task; must point to NULL.
 * @param[in]  output           destination image tensor.
 * @param[in]  input            source image tensor.
 * @param[in]  roi              source region (inclusive corners); NULL
 *                              selects the whole input image.
 * @param[in]  resizeCtrlParam  core, interpolation and priority.
 * @return HB_DNN_SUCCESS;
 *         HB_DNN_INVALID_ARGUMENT for NULL pointers, mismatched or non-image
 *         types, odd NV12 sizes, a ROI outside the image or a scale factor
 *         out of range;
 *         HB_DNN_TASK_NUM_EXCEED_LIMIT if too many resize tasks coexist (32);
 *         HB_DNN_OUT_OF_MEMORY.
 */
HB_DNN_API int32_t hbDNNResize(hbDNNTaskHandle_t *taskHandle,
                               hbDNNTensor *output, hbDNNTensor const *input,
                               hbDNNRoi const *roi,
                               hbDNNResizeCtrlParam *resizeCtrlParam);

/**
 * Registers a function called once when a task reaches its final state.
 *
 * The callback fires exactly once per task: on success, on failure and on
 * cancellation by hbDNNReleaseTask(), with the task's status. It runs on a
 * library thread, must return quickly and must not call hbDNNWaitTaskDone()
 * on the same task. If the task has already finished when the callback is
 * registered, it is called before this function returns, on the calling
 * thread. Registering again before it has fired replaces the previous
 * callback. Non-blocking (apart from that immediate call).
 *
 * @param[in] taskHandle  the task.
 * @param[in] cb          the callback; NULL removes a pending registration.
 * @param[in] userdata    passed unchanged to @p cb.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_TASK_HANDLE.
 */
HB_DNN_API int32_t hbDNNSetTaskDoneCb(hbDNNTaskHandle_t taskHandle,
                                      hbDNNTaskDoneCb cb, void *userdata);

/**
 * Waits until a task has finished or the timeout elapses. Blocking.
 *
 * A timeout does not cancel the task; a later wait may succeed. Several
 * threads may wait on the same task. After a successful return the outputs
 * are complete (invalidate cacheable output memory before reading it).
 *
 * @param[in] taskHandle  the task.
 * @param[in] timeout     maximum wait in milliseconds; a value <= 0 waits
 *                        without limit.
 * @return HB_DNN_SUCCESS when the task finished successfully;
 *         HB_DNN_TIMEOUT if it had not finished in time;
 *         HB_DNN_INVALID_TASK_HANDLE for a NULL, unknown or released task;
 *         HB_DNN_RUN_TASK_FAILED (or the task's own error code) if the task
 *         failed.
 */
HB_DNN_API int32_t hbDNNWaitTaskDone(hbDNNTaskHandle_t taskHandle,
                                     int32_t timeout);

/**
 * Releases a task; returns at once.
 *
 * A task that has not started is cancelled; a running task is stopped at its
 * next function-call boundary; a finished task is simply freed. The cleanup
 * completes in the background. The handle is invalid after the call.
 * The caller's tensor memory is never freed by the library. Outputs of a
 * task released before it finished have unspecified contents, and the
 * caller must not free that task's tensor memory until the task's callback
 * (if one was registered) has fired; for a task that a wait reported as
 * finished the memory may be reused at once.
 *
 * @param[in] taskHandle  the task.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_TASK_HANDLE for a NULL, unknown or
 *         already released task.
 */
HB_DNN_API int32_t hbDNNReleaseTask(hbDNNTaskHandle_t taskHandle);

#ifdef __cplusplus
}
#endif /* __cplusplus */

#endif /* DNN_HB_DNN_H_ */
