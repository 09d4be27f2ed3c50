/*
 * A plain C99 application of libdnn: it includes only the vendor-style
 * headers "dnn/hb_dnn.h" and "dnn/hb_sys.h", links against libdnn and calls
 * a few functions that need no model. It proves that the headers are usable
 * from C and that the C symbols are exported unmangled.
 *
 * hb_dnn.h does not include hb_dnn_status.h (as in the vendor layout), so
 * the expected hbDNNStatus values are spelled out here.
 *
 * Prints one line per check; exits non-zero if any check fails.
 */
#include <stdio.h>
#include <string.h>

#include "dnn/hb_dnn.h"
#include "dnn/hb_sys.h"

enum {
  kExpectInvalidPackedDnnHandle = -6000004, /* HB_DNN_INVALID_PACKED_DNN_HANDLE */
  kExpectCanNotOpenFile = -6000006          /* HB_DNN_CAN_NOT_OPEN_FILE */
};

#define kBufferSize 1000U

static int failures = 0;

static void Expect(int condition, const char *what) {
  printf("%s: %s\n", condition ? "ok  " : "FAIL", what);
  if (!condition) {
    ++failures;
  }
}

static void CheckVersion(void) {
  char const *version = hbDNNGetVersion();
  Expect(version != NULL, "hbDNNGetVersion() returns a string");
  Expect(version != NULL && version[0] != '\0',
         "hbDNNGetVersion() is not empty");
  if (version != NULL) {
    printf("      version: %s\n", version);
  }
}

static void CheckInferCtrlParamMacro(void) {
  hbDNNInferCtrlParam param;
  memset(&param, 0x7F, sizeof(param));
  HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&param);
  Expect(param.bpuCoreId == HB_BPU_CORE_ANY &&
             param.dspCoreId == HB_DSP_CORE_ANY &&
             param.priority == HB_DNN_PRIORITY_LOWEST && param.more == 0 &&
             param.customId == 0 && param.reserved1 == 0 &&
             param.reserved2 == 0,
         "HB_DNN_INITIALIZE_INFER_CTRL_PARAM sets the defaults");
}

static void CheckSysMemRoundTrip(void) {
  hbSysMem mem;
  char expected[kBufferSize];
  char actual[kBufferSize];
  uint32_t i;
  int32_t status;

  memset(&mem, 0, sizeof(mem));
  status = hbSysAllocMem(&mem, kBufferSize);
  Expect(status == HB_SYS_SUCCESS, "hbSysAllocMem(1000) succeeds");
  if (status != HB_SYS_SUCCESS) {
    return;
  }
  Expect(mem.virAddr != NULL, "allocated block has a CPU address");
  Expect(mem.memSize >= kBufferSize, "allocated block holds 1000 bytes");

  for (i = 0U; i < kBufferSize; ++i) {
    expected[i] = (char)(i * 7U + 3U);
  }
  memcpy(mem.virAddr, expected, kBufferSize);
  Expect(hbSysFlushMem(&mem, HB_SYS_MEM_CACHE_CLEAN) == HB_SYS_SUCCESS,
         "hbSysFlushMem(CLEAN) succeeds");

  memset(actual, 0, sizeof(actual));
  Expect(hbSysReadMem(actual, &mem, kBufferSize) == HB_SYS_SUCCESS,
         "hbSysReadMem succeeds");
  Expect(memcmp(actual, expected, kBufferSize) == 0,
         "hbSysReadMem returns the bytes written through virAddr");

  Expect(hbSysFreeMem(&mem) == HB_SYS_SUCCESS, "hbSysFreeMem succeeds");
  Expect(hbSysFreeMem(&mem) == HB_SYS_INVALID_ARGUMENT,
         "a second hbSysFreeMem returns HB_SYS_INVALID_ARGUMENT");
}

static void CheckMissingModelFile(void) {
  int sentinel = 0;
  hbPackedDNNHandle_t packed = &sentinel;
  char const *files[1];
  int32_t status;

  files[0] = "/nonexistent/hb_dnn_pure_c_test/no_such_model.hbm";
  status = hbDNNInitializeFromFiles(&packed, files, 1);
  printf("      hbDNNInitializeFromFiles returned %d\n", (int)status);
  Expect(status == kExpectCanNotOpenFile,
         "missing model file gives HB_DNN_CAN_NOT_OPEN_FILE (-6000006)");
  Expect(packed == NULL, "the packed handle is NULL after the failure");
}

static void CheckReleaseNull(void) {
  Expect(hbDNNRelease(NULL) == kExpectInvalidPackedDnnHandle,
         "hbDNNRelease(NULL) gives HB_DNN_INVALID_PACKED_DNN_HANDLE "
         "(-6000004)");
}

int main(void) {
  CheckVersion();
  CheckInferCtrlParamMacro();
  CheckSysMemRoundTrip();
  CheckMissingModelFile();
  CheckReleaseNull();
  printf("%s (%d failure%s)\n", failures == 0 ? "PASSED" : "FAILED", failures,
         failures == 1 ? "" : "s");
  return failures == 0 ? 0 : 1;
}
