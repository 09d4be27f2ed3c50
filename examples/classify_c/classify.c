/*
 * The board's canonical inference flow in plain C99:
 *   load -> get the model handle -> read input/output properties -> hbSysAllocCachedMem ->
 *   write the input (a synthetic NV12 or RGB image, or a feature map) -> hbSysFlushMem CLEAN ->
 *   hbDNNInfer -> hbDNNWaitTaskDone -> hbSysFlushMem INVALIDATE on the outputs ->
 *   dequantize (SCALE or SHIFT, per channel along quantizeAxis) -> top-5 -> release everything.
 *
 * Usage: classify MODEL_FILE [MODEL_NAME [FRAMES]]
 * MODEL_NAME defaults to the file's first model, FRAMES to 1 (the top-5 is the last frame's).
 * Uses only the public headers, so it builds unchanged against the vendor's libdnn.
 */
#define _POSIX_C_SOURCE 200112L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dnn/hb_dnn.h"
#include "dnn/hb_dnn_status.h"
#include "dnn/hb_sys.h"

#define CHECK(call)                                                                     \
  do {                                                                                  \
    int32_t rc_ = (call);                                                               \
    if (rc_ != 0) {                                                                     \
      fprintf(stderr, "%s failed: %d (%s)\n", #call, rc_, hbDNNGetErrorDesc(rc_));      \
      goto done;                                                                        \
    }                                                                                   \
  } while (0)

#define kTopK 5

static double NowMs(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int64_t ValidCount(const hbDNNTensorProperties *p) {
  int64_t n = 1;
  int32_t i;
  for (i = 0; i < p->validShape.numDimensions; ++i) n *= p->validShape.dimensionSize[i];
  return n;
}

/* Splits a flat index over validShape into per-dimension indices; returns the byte offset in
 * the aligned buffer (stride[] is in bytes). */
static int64_t Offset(const hbDNNTensorProperties *p, int64_t flat, int32_t *index) {
  int64_t offset = 0;
  int32_t d;
  for (d = p->validShape.numDimensions - 1; d >= 0; --d) {
    int32_t size = p->validShape.dimensionSize[d];
    index[d] = (int32_t)(flat % size);
    flat /= size;
    offset += (int64_t)index[d] * p->stride[d];
  }
  return offset;
}

/* A synthetic test picture: a colour gradient with a bright disc in the middle. */
static void Pixel(int32_t y, int32_t x, int32_t h, int32_t w, double rgb[3]) {
  double dy = y - h / 2.0, dx = x - w / 2.0;
  int disc = dy * dy + dx * dx < (double)(h * w) / 16.0;
  rgb[0] = disc ? 240.0 : 255.0 * x / w;
  rgb[1] = disc ? 220.0 : 255.0 * y / h;
  rgb[2] = disc ? 60.0 : 128.0;
}

static uint8_t Clamp255(double v) { return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v + 0.5); }

/* NV12 with BT.601 full-range colour: H rows of Y, then H/2 rows of interleaved U,V; rows are
 * alignedShape W bytes apart (the Y plane's 16-byte alignment on the board). */
static void FillNv12(const hbDNNTensorProperties *p, uint8_t *data) {
  int32_t h = p->validShape.dimensionSize[2], w = p->validShape.dimensionSize[3];
  int32_t row = p->alignedShape.dimensionSize[3];
  uint8_t *uv = data + (size_t)row * h;
  double rgb[3];
  int32_t y, x;
  for (y = 0; y < h; ++y) {
    for (x = 0; x < w; ++x) {
      Pixel(y, x, h, w, rgb);
      data[(size_t)y * row + x] = Clamp255(0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]);
    }
  }
  for (y = 0; y < h; y += 2) {
    for (x = 0; x < w; x += 2) {
      uint8_t *out = uv + (size_t)(y / 2) * row + x;
      Pixel(y, x, h, w, rgb);
      out[0] = Clamp255(-0.168736 * rgb[0] - 0.331264 * rgb[1] + 0.5 * rgb[2] + 128.0);
      out[1] = Clamp255(0.5 * rgb[0] - 0.418688 * rgb[1] - 0.081312 * rgb[2] + 128.0);
    }
  }
}

/* Any other input: RGB/BGR images (planar NCHW or interleaved NHWC) get the same picture, feature
 * maps a deterministic ramp in [-1, 1], written element by element through the strides. */
static int FillInput(const hbDNNTensorProperties *p, uint8_t *data) {
  int32_t index[HB_DNN_TENSOR_MAX_DIMENSIONS];
  int64_t i, n = ValidCount(p);
  int image = p->tensorType == HB_DNN_IMG_TYPE_RGB || p->tensorType == HB_DNN_IMG_TYPE_BGR;
  int nhwc = p->tensorLayout == HB_DNN_LAYOUT_NHWC;
  if (p->tensorType == HB_DNN_IMG_TYPE_NV12) {
    FillNv12(p, data);
    return 0;
  }
  for (i = 0; i < n; ++i) {
    uint8_t *at = data + Offset(p, i, index);
    double v = (double)((i * 37) % 101) / 50.0 - 1.0;
    if (image) {
      double rgb[3];
      int32_t h = nhwc ? 1 : 2, w = nhwc ? 2 : 3, c = nhwc ? 3 : 1;
      Pixel(index[h], index[w], p->validShape.dimensionSize[h], p->validShape.dimensionSize[w],
            rgb);
      *at = Clamp255(rgb[p->tensorType == HB_DNN_IMG_TYPE_BGR ? 2 - index[c] : index[c]]);
      continue;
    }
    switch (p->tensorType) {
      case HB_DNN_TENSOR_TYPE_F32: { float f = (float)v; memcpy(at, &f, sizeof f); break; }
      case HB_DNN_TENSOR_TYPE_S8: *(int8_t *)at = (int8_t)(v * 100); break;
      case HB_DNN_TENSOR_TYPE_U8: *at = (uint8_t)(v * 100 + 100); break;
      default:
        fprintf(stderr, "input tensor type %d is not handled by this example\n", p->tensorType);
        return 1;
    }
  }
  return 0;
}

static double ReadRaw(const uint8_t *at, int32_t type) {
  switch (type) {
    case HB_DNN_TENSOR_TYPE_S8: return *(const int8_t *)at;
    case HB_DNN_TENSOR_TYPE_S16: { int16_t v; memcpy(&v, at, sizeof v); return v; }
    case HB_DNN_TENSOR_TYPE_U16: { uint16_t v; memcpy(&v, at, sizeof v); return v; }
    case HB_DNN_TENSOR_TYPE_S32: { int32_t v; memcpy(&v, at, sizeof v); return v; }
    case HB_DNN_TENSOR_TYPE_U32: { uint32_t v; memcpy(&v, at, sizeof v); return v; }
    case HB_DNN_TENSOR_TYPE_F32: { float v; memcpy(&v, at, sizeof v); return v; }
    case HB_DNN_TENSOR_TYPE_F64: { double v; memcpy(&v, at, sizeof v); return v; }
    default: return *at;
  }
}

/* real = (q - zero_point[c]) * scale[c] for SCALE, q / 2^shift[c] for SHIFT, with c the index
 * along quantizeAxis (a single scale or shift applies to every element). */
static double Dequantize(const hbDNNTensorProperties *p, double q, const int32_t *index) {
  int32_t c = index[p->quantizeAxis];
  if (p->quantiType == SCALE) {
    int32_t si = p->scale.scaleLen > 1 ? c : 0;
    int32_t zi = p->scale.zeroPointLen > 1 ? c : 0;
    double zero = p->scale.zeroPointLen > 0 ? p->scale.zeroPointData[zi] : 0.0;
    return (q - zero) * p->scale.scaleData[si];
  }
  if (p->quantiType == SHIFT) {
    int32_t shift = p->shift.shiftData[p->shift.shiftLen > 1 ? c : 0];
    return q / (double)(1LL << shift);
  }
  return q;
}

static void PrintTop5(const char *name, const hbDNNTensorProperties *p, const uint8_t *data) {
  int64_t best[kTopK] = {0};
  double value[kTopK] = {0}, sum = 0;
  int32_t index[HB_DNN_TENSOR_MAX_DIMENSIONS];
  int32_t found = 0, k;
  int64_t i, n = ValidCount(p);
  for (i = 0; i < n; ++i) {
    int64_t offset = Offset(p, i, index);
    double v = Dequantize(p, ReadRaw(data + offset, p->tensorType), index);
    sum += v;
    if (found < kTopK) ++found;
    else if (v <= value[kTopK - 1]) continue;
    for (k = found - 1; k > 0 && value[k - 1] < v; --k) {
      value[k] = value[k - 1];
      best[k] = best[k - 1];
    }
    value[k] = v;
    best[k] = i;
  }
  printf("output %s (%s, %lld values, sum %.4f): top %d\n", name,
         p->quantiType == SCALE ? "SCALE, dequantized"
                                : p->quantiType == SHIFT ? "SHIFT, dequantized" : "float",
         (long long)n, sum, found);
  for (k = 0; k < found; ++k) printf("  [%d] index %lld: %.6f\n", k, (long long)best[k], value[k]);
}

int main(int argc, char **argv) {
  hbPackedDNNHandle_t packed = NULL;
  hbDNNHandle_t dnn = NULL;
  hbDNNTensor *inputs = NULL, *outputs = NULL;
  hbDNNTaskHandle_t task = NULL;
  const char **names = NULL;
  const char *model_name = NULL;
  int32_t model_count = 0, input_count = 0, output_count = 0, i, frame, frames = 1;
  double total_ms = 0;
  int status = 1;

  if (argc < 2 || argc > 4) {
    fprintf(stderr, "usage: %s MODEL_FILE [MODEL_NAME [FRAMES]]\n", argv[0]);
    return 2;
  }
  if (argc == 4) frames = atoi(argv[3]);
  if (frames < 1) frames = 1;

  CHECK(hbDNNInitializeFromFiles(&packed, (const char **)&argv[1], 1));
  CHECK(hbDNNGetModelNameList(&names, &model_count, packed));
  model_name = argc >= 3 ? argv[2] : names[0];
  CHECK(hbDNNGetModelHandle(&dnn, packed, model_name));
  CHECK(hbDNNGetInputCount(&input_count, dnn));
  CHECK(hbDNNGetOutputCount(&output_count, dnn));
  inputs = (hbDNNTensor *)calloc((size_t)input_count, sizeof *inputs);
  outputs = (hbDNNTensor *)calloc((size_t)output_count, sizeof *outputs);
  if (inputs == NULL || outputs == NULL) goto done;
  printf("model %s: %d input(s), %d output(s)\n", model_name, input_count, output_count);

  for (i = 0; i < input_count; ++i) {
    hbDNNTensorProperties *p = &inputs[i].properties;
    CHECK(hbDNNGetInputTensorProperties(p, dnn, i));
    CHECK(hbSysAllocCachedMem(&inputs[i].sysMem[0], (uint32_t)p->alignedByteSize));
    if (FillInput(p, (uint8_t *)inputs[i].sysMem[0].virAddr) != 0) goto done;
    /* The CPU wrote through its cache; make the bytes visible to the BPU. */
    CHECK(hbSysFlushMem(&inputs[i].sysMem[0], HB_SYS_MEM_CACHE_CLEAN));
  }
  for (i = 0; i < output_count; ++i) {
    hbDNNTensorProperties *p = &outputs[i].properties;
    CHECK(hbDNNGetOutputTensorProperties(p, dnn, i));
    CHECK(hbSysAllocCachedMem(&outputs[i].sysMem[0], (uint32_t)p->alignedByteSize));
  }

  for (frame = 0; frame < frames; ++frame) {
    hbDNNInferCtrlParam ctrl;
    double start = NowMs();
    HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&ctrl);
    task = NULL;
    CHECK(hbDNNInfer(&task, &outputs, inputs, dnn, &ctrl));
    CHECK(hbDNNWaitTaskDone(task, 0));
    CHECK(hbDNNReleaseTask(task));
    task = NULL;
    total_ms += NowMs() - start;
  }
  printf("%d frame(s), average %.3f ms per frame (host clock)\n", frames, total_ms / frames);

  for (i = 0; i < output_count; ++i) {
    const char *name = NULL;
    /* The BPU wrote the outputs; drop stale cache lines before the CPU reads them. */
    CHECK(hbSysFlushMem(&outputs[i].sysMem[0], HB_SYS_MEM_CACHE_INVALIDATE));
    CHECK(hbDNNGetOutputName(&name, dnn, i));
    PrintTop5(name, &outputs[i].properties, (const uint8_t *)outputs[i].sysMem[0].virAddr);
  }
  status = 0;

done:
  if (task != NULL) hbDNNReleaseTask(task);
  for (i = 0; inputs != NULL && i < input_count; ++i) {
    if (inputs[i].sysMem[0].virAddr != NULL) hbSysFreeMem(&inputs[i].sysMem[0]);
  }
  for (i = 0; outputs != NULL && i < output_count; ++i) {
    if (outputs[i].sysMem[0].virAddr != NULL) hbSysFreeMem(&outputs[i].sysMem[0]);
  }
  free(inputs);
  free(outputs);
  if (packed != NULL && hbDNNRelease(packed) != 0) status = 1;
  return status;
}
