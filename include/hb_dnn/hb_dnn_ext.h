/*
 * hb_dnn: an open reimplementation of the libdnn board-runtime C API.
 *
 * hb_dnn_ext.h: extra model queries, timing estimates and data-layout
 * utilities.
 *
 * Every int32_t function returns HB_DNN_SUCCESS (0) on success, otherwise a
 * negative hbDNNStatus code (hb_dnn_status.h). All functions are thread-safe
 * and non-blocking; the conversion utilities only touch the buffers passed
 * to them. Strings returned through `char const **` are owned by the library.
 *
 * Conventions of the layout utilities:
 *  - Shapes are 4-D (numDimensions == 4) and given in the order of the
 *    layout they describe (N,H,W,C for NHWC; N,C,H,W for NCHW and
 *    N,H,C,W for HB_DNN_LAYOUT_NHCW_NATIVE).
 *  - Coordinates and sizes of regions (hbDNNDimension) are always given in
 *    N,H,W,C order, whatever the layouts involved.
 *  - dataType is an hbDNNDataType TENSOR type of 8, 16, 32 or 64 bits.
 *  - Output buffers must not overlap input buffers unless stated otherwise.
 */
#ifndef DNN_HB_DNN_EXT_H_
#define DNN_HB_DNN_EXT_H_

#include "hb_dnn.h"
#include "hb_sys.h"

#ifndef __cplusplus
#include <stdbool.h>
#endif /* __cplusplus */

#include "hb_dnn_export.h"

#ifdef __cplusplus
extern "C" {
#endif /* __cplusplus */

/** Layouts in addition to hbDNNTensorLayout. */
typedef enum {
  /** BPU-native N,H,C,W order used by the ToNative conversions. */
  HB_DNN_LAYOUT_NHCW_NATIVE = 1
} hbDNNExtraTensorLayout;

/** Where a model input comes from on the board. */
typedef enum {
  /** Plain tensor in memory. */
  HB_DNN_INPUT_FROM_DDR = 0,
  /** Image region resized by the BPU (used with hbDNNRoiInfer()). */
  HB_DNN_INPUT_FROM_RESIZER = 1,
  /** Camera pyramid image (NV12 / Y inputs). */
  HB_DNN_INPUT_FROM_PYRAMID = 2
} hbDNNInputSource;

/** Kind of the operator that produces a model output. */
typedef enum {
  HB_DNN_OUTPUT_OPERATOR_TYPE_UNKNOWN = 0,
  HB_DNN_OUTPUT_OPERATOR_TYPE_CONV = 1,
  HB_DNN_OUTPUT_OPERATOR_TYPE_DETECTION_POST_PROCESS = 2,
  HB_DNN_OUTPUT_OPERATOR_TYPE_RCNN_POST_PROCESS = 3,
  HB_DNN_OUTPUT_OPERATOR_TYPE_DETECTION_POST_PROCESS_STABLE_SORT = 4,
  HB_DNN_OUTPUT_OPERATOR_TYPE_CHANNEL_ARGMAX = 5,
  HB_DNN_OUTPUT_OPERATOR_TYPE_AUX_DPP_STABLE_SORT = 6,
  HB_DNN_OUTPUT_OPERATOR_TYPE_CHANNEL_ARGMAX_SPLIT = 7,
  HB_DNN_OUTPUT_OPERATOR_TYPE_FILTER = 8,
  HB_DNN_OUTPUT_OPERATOR_TYPE_CONV3D = 9,
  HB_DNN_OUTPUT_OPERATOR_TYPE_MAGIC = 10,
  HB_DNN_OUTPUT_OPERATOR_TYPE_RLE = 11,
  HB_DNN_OUTPUT_OPERATOR_TYPE_MODEL_INPUT_SCATTER = 12,
  HB_DNN_OUTPUT_OPERATOR_TYPE_MODEL_INPUT_GATHER = 13,
  HB_DNN_OUTPUT_OPERATOR_TYPE_MODEL_INPUT_GATHER_ELEMENTS = 14,
  HB_DNN_OUTPUT_OPERATOR_TYPE_MODEL_INPUT_TOP_K = 15
} hbDNNOutputOperatorType;

/** How to interpret a user description blob. */
typedef enum {
  /** No description, or of unknown kind. */
  HB_DNN_DESC_TYPE_UNKNOWN = 0,
  /** Text; the bytes are also NUL-terminated. */
  HB_DNN_DESC_TYPE_STRING = 1,
  /** Arbitrary bytes. */
  HB_DNN_DESC_TYPE_BINARY = 2
} hbDNNDescType;

/** A 4-D coordinate or extent, in N,H,W,C order (see the conventions). */
typedef hbDNNTensorShape hbDNNDimension;

/**
 * Gets the source of a model input.
 *
 * @param[out] inputSource  receives an hbDNNInputSource value.
 * @param[in]  dnnHandle    the model.
 * @param[in]  inputIndex   0 <= index < input count.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_ARGUMENT for a NULL pointer or an
 *         index out of range; HB_DNN_INVALID_DNN_HANDLE.
 */
HB_DNN_API int32_t hbDNNGetInputSource(int32_t *inputSource,
                                       hbDNNHandle_t dnnHandle,
                                       int32_t inputIndex);

/**
 * Gets the user description attached to a model input at conversion time.
 *
 * The bytes are owned by the library and valid until the packed handle is
 * released. Without a description, *desc is NULL, *size is 0 and *type is
 * HB_DNN_DESC_TYPE_UNKNOWN (and the call succeeds).
 *
 * @param[out] desc        receives the description bytes.
 * @param[out] size        receives their count (excluding the terminating
 *                         NUL of a STRING description).
 * @param[out] type        receives an hbDNNDescType value.
 * @param[in]  dnnHandle   the model.
 * @param[in]  inputIndex  0 <= index < input count.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_ARGUMENT for a NULL pointer or an
 *         index out of range; HB_DNN_INVALID_DNN_HANDLE.
 */
HB_DNN_API int32_t hbDNNGetInputDesc(char const **desc, uint32_t *size,
                                     int32_t *type, hbDNNHandle_t dnnHandle,
                                     int32_t inputIndex);

/**
 * Gets the user description attached to a model output.
 *
 * Same contract as hbDNNGetInputDesc().
 *
 * @param[out] desc         receives the description bytes.
 * @param[out] size         receives their count.
 * @param[out] type         receives an hbDNNDescType value.
 * @param[in]  dnnHandle    the model.
 * @param[in]  outputIndex  0 <= index < output count.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_ARGUMENT; HB_DNN_INVALID_DNN_HANDLE.
 */
HB_DNN_API int32_t hbDNNGetOutputDesc(char const **desc, uint32_t *size,
                                      int32_t *type, hbDNNHandle_t dnnHandle,
                                      int32_t outputIndex);

/**
 * Gets the user description attached to the model itself.
 *
 * Same contract as hbDNNGetInputDesc().
 *
 * @param[out] desc       receives the description bytes.
 * @param[out] size       receives their count.
 * @param[out] type       receives an hbDNNDescType value.
 * @param[in]  dnnHandle  the model.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_ARGUMENT; HB_DNN_INVALID_DNN_HANDLE.
 */
HB_DNN_API int32_t hbDNNGetModelDesc(char const **desc, uint32_t *size,
                                     int32_t *type, hbDNNHandle_t dnnHandle);

/**
 * Gets the kind of operator producing a model output.
 *
 * @param[out] operatorType  receives an hbDNNOutputOperatorType value.
 * @param[in]  dnnHandle     the model.
 * @param[in]  outputIndex   0 <= index < output count.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_ARGUMENT for a NULL pointer or an
 *         index out of range; HB_DNN_INVALID_DNN_HANDLE.
 */
HB_DNN_API int32_t hbDNNGetOutputOperatorType(int32_t *operatorType,
                                              hbDNNHandle_t dnnHandle,
                                              int32_t outputIndex);

/**
 * Gets the estimated latency of one inference of a model, in microseconds.
 *
 * Before the model has run, this is the sum of the modelled durations of
 * its BPU function-calls (CPU segments are not modelled); once inferences
 * have completed, it will be a running estimate updated from their measured
 * latencies.
 *
 * @param[out] estimateLatency  receives the estimate in microseconds.
 * @param[in]  dnnHandle        the model.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_ARGUMENT if @p estimateLatency is
 *         NULL; HB_DNN_INVALID_DNN_HANDLE.
 */
HB_DNN_API int32_t hbDNNGetEstimateLatency(int32_t *estimateLatency,
                                           hbDNNHandle_t dnnHandle);

/**
 * Gets the estimated time, in microseconds, until a task finishes.
 *
 * Counts the task's queueing behind work of higher or equal priority on its
 * eligible cores plus its own remaining execution time; 0 for a finished
 * task.
 *
 * @param[out] estimateTime  receives the estimate in microseconds.
 * @param[in]  taskHandle    the task.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_ARGUMENT if @p estimateTime is NULL;
 *         HB_DNN_INVALID_TASK_HANDLE.
 */
HB_DNN_API int32_t hbDNNGetTaskEstimateTime(int32_t *estimateTime,
                                            hbDNNTaskHandle_t taskHandle);

/**
 * Gets the estimated delay, in microseconds, before a task submitted now
 * with these control parameters would start running, given the work already
 * queued and running on the cores it may use.
 *
 * @param[out] estimateTime    receives the estimate in microseconds.
 * @param[in]  inferCtrlParam  core selection and priority of the would-be
 *                             task.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_ARGUMENT for a NULL pointer or
 *         out-of-range parameters.
 */
HB_DNN_API int32_t hbDNNGetTaskEstimateStartTime(
    int32_t *estimateTime, hbDNNInferCtrlParam *inferCtrlParam);

/**
 * Gets the tag string recorded in the model at conversion time.
 *
 * The string is owned by the library, valid until the packed handle is
 * released, and empty (never NULL) when the model has no tag.
 *
 * @param[out] tag        receives the tag.
 * @param[in]  dnnHandle  the model.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_ARGUMENT if @p tag is NULL;
 *         HB_DNN_INVALID_DNN_HANDLE.
 */
HB_DNN_API int32_t hbDNNGetModelTag(char const **tag, hbDNNHandle_t dnnHandle);

/**
 * Dequantizes an NHWC integer tensor with one scale per channel:
 * output[n,h,w,c] = input[n,h,w,c] * scales[c].
 *
 * Convert the data to NHWC first (hbDNNConvertLayout()) if needed.
 *
 * @param[out] output         prod(inputShape) floats.
 * @param[in]  inputDataType  HB_DNN_TENSOR_TYPE_S8/U8/S16/U16/S32/U32.
 * @param[in]  inputShape     4-D NHWC shape of the compact input.
 * @param[in]  scales         C scales (C = inputShape.dimensionSize[3]).
 * @param[in]  input          the quantized elements.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_ARGUMENT for NULL pointers, an
 *         unsupported type or an invalid shape.
 */
HB_DNN_API int32_t hbDNNUnquantizeByScale(float *output, int32_t inputDataType,
                                          hbDNNTensorShape inputShape,
                                          const float *scales,
                                          const void *input);

/**
 * Gets the name of a layout value, i.e. the enumerator's own spelling
 * ("HB_DNN_LAYOUT_NHWC", "HB_DNN_LAYOUT_NCHW", "HB_DNN_LAYOUT_NHCW_NATIVE",
 * "HB_DNN_LAYOUT_NONE"). The string is static and owned by the library.
 *
 * @param[out] name    receives the name.
 * @param[in]  layout  an hbDNNTensorLayout or hbDNNExtraTensorLayout value.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_ARGUMENT for a NULL pointer or an
 *         unknown layout.
 */
HB_DNN_API int32_t hbDNNGetLayoutName(char const **name, int32_t layout);

/**
 * Converts a whole 4-D tensor from one layout to another.
 *
 * @param[out] output             destination, same byte size as the input.
 * @param[in]  outputLayout       NHWC, NCHW or NHCW_NATIVE.
 * @param[in]  input              source, compact in @p inputLayout.
 * @param[in]  inputLayout        NHWC, NCHW or NHCW_NATIVE.
 * @param[in]  dataType           element type (fixes the element size).
 * @param[in]  inputShape         shape in the order of @p inputLayout.
 * @param[in]  convertEndianness  also convert the byte order as
 *                                hbDNNConvertEndianness() does.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_ARGUMENT for NULL pointers, unknown
 *         layouts or types, or an invalid shape.
 */
HB_DNN_API int32_t hbDNNConvertLayout(void *output, int32_t outputLayout,
                                      const void *input, int32_t inputLayout,
                                      int32_t dataType,
                                      hbDNNTensorShape inputShape,
                                      bool convertEndianness);

/**
 * Like hbDNNConvertLayout(), but converts only a region of the input; the
 * output holds just that region, compact in @p outputLayout.
 *
 * @param[out] output             destination of prod(size) elements.
 * @param[in]  outputLayout       NHWC, NCHW or NHCW_NATIVE.
 * @param[in]  input              whole source tensor.
 * @param[in]  inputLayout        NHWC, NCHW or NHCW_NATIVE.
 * @param[in]  dataType           element type.
 * @param[in]  inputShape         shape of the whole input, in its layout.
 * @param[in]  convertEndianness  also convert the byte order.
 * @param[in]  coord              first element of the region (inclusive),
 *                                N,H,W,C order.
 * @param[in]  size               extent of the region, N,H,W,C order;
 *                                coord + size must not exceed the input.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_ARGUMENT as for
 *         hbDNNConvertLayout(), or for a region outside the input.
 */
HB_DNN_API int32_t hbDNNConvertLayoutRoi(void *output, int32_t outputLayout,
                                         const void *input, int32_t inputLayout,
                                         int32_t dataType,
                                         hbDNNTensorShape inputShape,
                                         bool convertEndianness,
                                         hbDNNDimension coord,
                                         hbDNNDimension size);

/**
 * Converts the H x W plane at (nIndex, cIndex), i.e. the region starting at
 * {nIndex, 0, 0, cIndex} of size {1, H, W, 1}, to native layout.
 *
 * @param[out] output             destination of H * W elements.
 * @param[in]  input              whole source tensor.
 * @param[in]  inputLayout        NHWC or NCHW.
 * @param[in]  dataType           element type.
 * @param[in]  inputShape         shape of the input, in its layout.
 * @param[in]  convertEndianness  also convert the byte order.
 * @param[in]  nIndex             batch index.
 * @param[in]  cIndex             channel index.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_ARGUMENT for NULL pointers, bad
 *         layout / type / shape, or indices out of range.
 */
HB_DNN_API int32_t hbDNNConvertLayoutToNative1HW1(
    void *output, const void *input, int32_t inputLayout, int32_t dataType,
    hbDNNTensorShape inputShape, bool convertEndianness, uint32_t nIndex,
    uint32_t cIndex);

/**
 * Converts the C channels at (nIndex, hIndex, wIndex), i.e. the region
 * starting at {nIndex, hIndex, wIndex, 0} of size {1, 1, 1, C}, to native
 * layout.
 *
 * @param[out] output             destination of C elements.
 * @param[in]  input              whole source tensor.
 * @param[in]  inputLayout        NHWC or NCHW.
 * @param[in]  dataType           element type.
 * @param[in]  inputShape         shape of the input, in its layout.
 * @param[in]  convertEndianness  also convert the byte order.
 * @param[in]  nIndex             batch index.
 * @param[in]  hIndex             row index.
 * @param[in]  wIndex             column index.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_ARGUMENT as for
 *         hbDNNConvertLayoutToNative1HW1().
 */
HB_DNN_API int32_t hbDNNConvertLayoutToNative111C(
    void *output, const void *input, int32_t inputLayout, int32_t dataType,
    hbDNNTensorShape inputShape, bool convertEndianness, uint32_t nIndex,
    uint32_t hIndex, uint32_t wIndex);

/**
 * Converts the single element at @p coord to native representation.
 *
 * @param[out] output             destination of one element.
 * @param[in]  input              whole source tensor.
 * @param[in]  inputLayout        NHWC or NCHW.
 * @param[in]  dataType           element type.
 * @param[in]  inputShape         shape of the input, in its layout.
 * @param[in]  convertEndianness  also convert the byte order.
 * @param[in]  coord              element coordinate, N,H,W,C order.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_ARGUMENT as for
 *         hbDNNConvertLayoutToNative1HW1().
 */
HB_DNN_API int32_t hbDNNConvertLayoutToNative1111(
    void *output, const void *input, int32_t inputLayout, int32_t dataType,
    hbDNNTensorShape inputShape, bool convertEndianness, hbDNNDimension coord);

/**
 * Copies compact data into a strided (padded) buffer.
 *
 * Element i_0..i_{dimNum-1} of the compact input goes to byte offset
 * sum(i_k * stride[k]) of the output. Padding bytes, i.e. bytes of the
 * output's extent dim[0] * stride[0] not covered by an element, are set to
 * zero.
 *
 * @param[out] output       strided destination of dim[0] * stride[0] bytes.
 * @param[in]  input        compact source of prod(dim) elements.
 * @param[in]  dimNum       number of dimensions, 1..HB_DNN_TENSOR_MAX_DIMENSIONS.
 * @param[in]  dim          size of each dimension (of the real data).
 * @param[in]  stride       byte stride of each output dimension; each
 *                          stride[k] >= dim[k + 1] * stride[k + 1] and
 *                          stride[dimNum - 1] >= elementSize.
 * @param[in]  elementSize  bytes per element.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_ARGUMENT for NULL pointers, zero
 *         sizes or strides too small for the data.
 */
HB_DNN_API int32_t hbDNNAddPaddingWithStride(void *output, void const *input,
                                             uint32_t dimNum,
                                             const uint32_t *dim,
                                             const int32_t *stride,
                                             uint32_t elementSize);

/**
 * Copies the elements of a strided (padded) buffer into compact form; the
 * inverse of hbDNNAddPaddingWithStride().
 *
 * @param[out] output       compact destination of prod(dim) elements.
 * @param[in]  input        strided source.
 * @param[in]  dimNum       number of dimensions, 1..HB_DNN_TENSOR_MAX_DIMENSIONS.
 * @param[in]  dim          size of each dimension (of the real data).
 * @param[in]  stride       byte stride of each input dimension (same rules
 *                          as for hbDNNAddPaddingWithStride()).
 * @param[in]  elementSize  bytes per element.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_ARGUMENT as for
 *         hbDNNAddPaddingWithStride().
 */
HB_DNN_API int32_t hbDNNRemovePaddingWithStride(void *output,
                                                void const *input,
                                                uint32_t dimNum,
                                                const uint32_t *dim,
                                                const int32_t *stride,
                                                uint32_t elementSize);

/**
 * Pads a compact 4-D tensor to a larger 4-D shape of the same layout.
 *
 * Element (a,b,c,d) of the input goes to (a,b,c,d) of the output; all other
 * output elements are set to zero.
 *
 * @param[out] output       destination of prod(outputShape) elements.
 * @param[in]  outputShape  padded shape; each dimension >= the input's.
 * @param[in]  input        compact source.
 * @param[in]  inputShape   shape of the source.
 * @param[in]  dataType     element type.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_ARGUMENT for NULL pointers, shapes
 *         that are not 4-D or an output dimension smaller than the input's.
 */
HB_DNN_API int32_t hbDNNAddPadding(void *output, hbDNNTensorShape outputShape,
                                   void const *input,
                                   hbDNNTensorShape inputShape,
                                   int32_t dataType);

/**
 * Extracts the leading outputShape block of a padded 4-D tensor; the inverse
 * of hbDNNAddPadding().
 *
 * @param[out] output       compact destination of prod(outputShape) elements.
 * @param[in]  outputShape  shape of the real data; each dimension <= the
 *                          input's.
 * @param[in]  input        padded source.
 * @param[in]  inputShape   padded shape of the source.
 * @param[in]  dataType     element type.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_ARGUMENT as for hbDNNAddPadding().
 */
HB_DNN_API int32_t hbDNNRemovePadding(void *output,
                                      hbDNNTensorShape outputShape,
                                      void const *input,
                                      hbDNNTensorShape inputShape,
                                      int32_t dataType);

/**
 * Converts the bytes in [input, input + size) between host byte order and
 * the BPU's native byte order and writes them to @p output.
 *
 * The conversion is its own inverse: applying it twice restores the
 * original bytes. @p output and @p input may be identical (in-place) but
 * must not otherwise overlap.
 *
 * @param[out] output  destination of @p size bytes.
 * @param[in]  input   source of @p size bytes.
 * @param[in]  size    number of bytes.
 * @return HB_DNN_SUCCESS; HB_DNN_INVALID_ARGUMENT for NULL pointers or
 *         partially overlapping buffers.
 */
HB_DNN_API int32_t hbDNNConvertEndianness(void *output, const void *input,
                                          uint32_t size);

#ifdef __cplusplus
}
#endif /* __cplusplus */

#endif /* DNN_HB_DNN_EXT_H_ */
