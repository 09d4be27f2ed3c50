/*
 * Board-style model inspection in plain C, following the vendor's canonical flow:
 * initialize from file, list model names, get each model handle, count inputs/outputs, read
 * their properties and allocate cached BPU memory of alignedByteSize for each tensor.
 * Prints the properties the way `hrt_model_exec model_info` does.
 *
 * Usage: model_info MODEL_FILE [MODEL_FILE...]
 * Uses only the public headers, so it builds unchanged against the vendor's libdnn.
 */
#include <stdio.h>
#include <stdlib.h>

#include "dnn/hb_dnn.h"
#include "dnn/hb_dnn_ext.h"
#include "dnn/hb_dnn_status.h"
#include "dnn/hb_sys.h"

#define CHECK(call)                                                        \
  do {                                                                     \
    int32_t rc_ = (call);                                                  \
    if (rc_ != 0) {                                                        \
      fprintf(stderr, "%s failed: %d (%s)\n", #call, rc_, hbDNNGetErrorDesc(rc_)); \
      return 1;                                                            \
    }                                                                      \
  } while (0)

static const char *TypeName(int32_t type) {
  static const char *const kNames[] = {
      "HB_DNN_IMG_TYPE_Y",        "HB_DNN_IMG_TYPE_NV12",     "HB_DNN_IMG_TYPE_NV12_SEPARATE",
      "HB_DNN_IMG_TYPE_YUV444",   "HB_DNN_IMG_TYPE_RGB",      "HB_DNN_IMG_TYPE_BGR",
      "HB_DNN_TENSOR_TYPE_S4",    "HB_DNN_TENSOR_TYPE_U4",    "HB_DNN_TENSOR_TYPE_S8",
      "HB_DNN_TENSOR_TYPE_U8",    "HB_DNN_TENSOR_TYPE_F16",   "HB_DNN_TENSOR_TYPE_S16",
      "HB_DNN_TENSOR_TYPE_U16",   "HB_DNN_TENSOR_TYPE_F32",   "HB_DNN_TENSOR_TYPE_S32",
      "HB_DNN_TENSOR_TYPE_U32",   "HB_DNN_TENSOR_TYPE_F64",   "HB_DNN_TENSOR_TYPE_S64",
      "HB_DNN_TENSOR_TYPE_U64"};
  return type >= 0 && type < HB_DNN_TENSOR_TYPE_MAX ? kNames[type] : "UNKNOWN";
}

static const char *SourceName(int32_t source) {
  switch (source) {
    case HB_DNN_INPUT_FROM_DDR: return "HB_DNN_INPUT_FROM_DDR";
    case HB_DNN_INPUT_FROM_RESIZER: return "HB_DNN_INPUT_FROM_RESIZER";
    case HB_DNN_INPUT_FROM_PYRAMID: return "HB_DNN_INPUT_FROM_PYRAMID";
    default: return "UNKNOWN";
  }
}

static void PrintShape(const char *label, const hbDNNTensorShape *shape) {
  int32_t i;
  printf("%s: (", label);
  for (i = 0; i < shape->numDimensions; ++i) printf("%d,", shape->dimensionSize[i]);
  printf(")\n");
}

static void PrintProperties(const hbDNNTensorProperties *p) {
  const char *layout = NULL;
  int32_t i;
  PrintShape("valid shape", &p->validShape);
  PrintShape("aligned shape", &p->alignedShape);
  printf("aligned byte size: %d\n", p->alignedByteSize);
  printf("tensor type: %s\n", TypeName(p->tensorType));
  if (hbDNNGetLayoutName(&layout, p->tensorLayout) != 0) layout = "UNKNOWN";
  printf("tensor layout: %s\n", layout);
  printf("quanti type: %s\n", p->quantiType == SCALE ? "SCALE" : p->quantiType == SHIFT ? "SHIFT" : "NONE");
  if (p->quantiType == SHIFT) {
    printf("shift data: ");
    for (i = 0; i < p->shift.shiftLen; ++i) printf("%d,", p->shift.shiftData[i]);
    printf("\n");
  }
  if (p->quantiType == SCALE) {
    printf("scale data: ");
    for (i = 0; i < p->scale.scaleLen; ++i) printf("%g,", p->scale.scaleData[i]);
    printf("\nquantizeAxis: %d\n", p->quantizeAxis);
  }
  printf("stride: (");
  for (i = 0; i < p->validShape.numDimensions; ++i) printf("%d,", p->stride[i]);
  printf(")\n");
}

/* Allocates the tensor's BPU memory as an application would, then frees it. */
static int AllocateLikeAnApp(const hbDNNTensorProperties *p) {
  hbDNNTensor tensor;
  tensor.properties = *p;
  CHECK(hbSysAllocCachedMem(&tensor.sysMem[0], (uint32_t)p->alignedByteSize));
  CHECK(hbSysFlushMem(&tensor.sysMem[0], HB_SYS_MEM_CACHE_CLEAN));
  CHECK(hbSysFreeMem(&tensor.sysMem[0]));
  return 0;
}

int main(int argc, char **argv) {
  hbPackedDNNHandle_t packed = NULL;
  char const **names = NULL;
  int32_t name_count = 0;
  int32_t m;

  if (argc < 2) {
    fprintf(stderr, "usage: %s MODEL_FILE [MODEL_FILE...]\n", argv[0]);
    return 2;
  }
  printf("[DNN] Runtime version = %s\n", hbDNNGetVersion());
  CHECK(hbDNNInitializeFromFiles(&packed, (char const **)(argv + 1), argc - 1));
  CHECK(hbDNNGetModelNameList(&names, &name_count, packed));

  printf("This model file has %d model:\n", name_count);
  for (m = 0; m < name_count; ++m) printf("[%s]  ", names[m]);
  printf("\n");

  for (m = 0; m < name_count; ++m) {
    hbDNNHandle_t model = NULL;
    int32_t input_count = 0, output_count = 0, i, latency_us = 0;
    char const *tag = NULL;
    CHECK(hbDNNGetModelHandle(&model, packed, names[m]));
    CHECK(hbDNNGetInputCount(&input_count, model));
    CHECK(hbDNNGetOutputCount(&output_count, model));
    CHECK(hbDNNGetModelTag(&tag, model));
    CHECK(hbDNNGetEstimateLatency(&latency_us, model));
    printf("---------------------------------------------------------------------\n");
    printf("[model name]: %s\n", names[m]);
    printf("[model tag]: %s\n", tag);
    printf("[estimated BPU latency]: %d us\n\n", latency_us);
    for (i = 0; i < input_count; ++i) {
      hbDNNTensorProperties p;
      char const *name = NULL;
      int32_t source = 0;
      CHECK(hbDNNGetInputName(&name, model, i));
      CHECK(hbDNNGetInputSource(&source, model, i));
      CHECK(hbDNNGetInputTensorProperties(&p, model, i));
      printf("input[%d]: \nname: %s\ninput source: %s\n", i, name, SourceName(source));
      PrintProperties(&p);
      if (AllocateLikeAnApp(&p) != 0) return 1;
      printf("\n");
    }
    for (i = 0; i < output_count; ++i) {
      hbDNNTensorProperties p;
      char const *name = NULL;
      CHECK(hbDNNGetOutputName(&name, model, i));
      CHECK(hbDNNGetOutputTensorProperties(&p, model, i));
      printf("output[%d]: \nname: %s\n", i, name);
      PrintProperties(&p);
      if (AllocateLikeAnApp(&p) != 0) return 1;
      printf("\n");
    }
  }
  CHECK(hbDNNRelease(packed));
  return 0;
}
