// Model loading and model-information functions through the public C API (libdnn.so), including
// every failure path: bad arguments, bad files, null/released/foreign handles.

#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hb_dnn/hb_dnn.h"
#include "hb_dnn/hb_dnn_ext.h"
#include "hb_dnn/hb_dnn_sim.h"
#include "hb_dnn/hb_dnn_status.h"
#include "tests/testing/test_models.h"

namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string Detail() { return hbDNNGetLastErrorDetail(); }

class ModelApi : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = hb_dnn::testing::TempPath("small.hbm");
    hb_dnn::testing::WriteBytes(path_, hb_dnn::testing::SmallPackageBytes());
    const char* files[] = {path_.c_str()};
    ASSERT_EQ(hbDNNInitializeFromFiles(&packed_, files, 1), 0) << Detail();
    ASSERT_EQ(hbDNNGetModelHandle(&model_, packed_, "tiny"), 0) << Detail();
  }
  void TearDown() override {
    if (packed_ != nullptr) {
      EXPECT_EQ(hbDNNRelease(packed_), 0) << Detail();
    }
    std::remove(path_.c_str());
  }

  std::string path_;
  hbPackedDNNHandle_t packed_ = nullptr;
  hbDNNHandle_t model_ = nullptr;
};

TEST(Version, StartsWithApiVersion) {
  EXPECT_THAT(hbDNNGetVersion(), StartsWith("1.18.6"));
}

TEST(ErrorDesc, EveryCodeHasText) {
  for (int32_t code = -6000001; code >= -6000016; --code) {
    EXPECT_STRNE(hbDNNGetErrorDesc(code), "unknown error code") << code;
  }
  EXPECT_STREQ(hbDNNGetErrorDesc(HB_DNN_SUCCESS), "success");
  EXPECT_STREQ(hbDNNGetErrorDesc(HB_DNN_INVALID_MODEL), "invalid model");
  EXPECT_STREQ(hbDNNGetErrorDesc(-6000129), "system memory: invalid argument");
  EXPECT_STREQ(hbDNNGetErrorDesc(12345), "unknown error code");
}

TEST_F(ModelApi, NamesCountsAndProperties) {
  char const** names = nullptr;
  int32_t count = 0;
  ASSERT_EQ(hbDNNGetModelNameList(&names, &count, packed_), 0);
  ASSERT_EQ(count, 1);
  EXPECT_STREQ(names[0], "tiny");

  int32_t inputs = 0, outputs = 0;
  ASSERT_EQ(hbDNNGetInputCount(&inputs, model_), 0);
  ASSERT_EQ(hbDNNGetOutputCount(&outputs, model_), 0);
  EXPECT_EQ(inputs, 1);
  EXPECT_EQ(outputs, 2);

  char const* name = nullptr;
  ASSERT_EQ(hbDNNGetInputName(&name, model_, 0), 0);
  EXPECT_STREQ(name, "x");
  ASSERT_EQ(hbDNNGetOutputName(&name, model_, 1), 0);
  EXPECT_STREQ(name, "z");

  hbDNNTensorProperties p;
  std::memset(&p, 0xAB, sizeof(p));  // every field must be written
  ASSERT_EQ(hbDNNGetInputTensorProperties(&p, model_, 0), 0);
  EXPECT_EQ(p.validShape.numDimensions, 4);
  EXPECT_EQ(p.validShape.dimensionSize[1], 3);
  EXPECT_EQ(p.validShape.dimensionSize[4], 0);
  EXPECT_EQ(p.tensorType, HB_DNN_TENSOR_TYPE_F32);
  EXPECT_EQ(p.tensorLayout, HB_DNN_LAYOUT_NCHW);
  EXPECT_EQ(p.quantiType, NONE);
  EXPECT_EQ(p.shift.shiftData, nullptr);
  EXPECT_EQ(p.scale.scaleData, nullptr);
  EXPECT_EQ(p.alignedByteSize, 1 * 3 * 4 * 4 * 4);
  EXPECT_EQ(p.stride[0], 192);
  EXPECT_EQ(p.stride[3], 4);
  EXPECT_EQ(p.stride[4], 0);

  ASSERT_EQ(hbDNNGetOutputTensorProperties(&p, model_, 0), 0);
  EXPECT_EQ(p.tensorType, HB_DNN_TENSOR_TYPE_S32);
  EXPECT_EQ(p.tensorLayout, HB_DNN_LAYOUT_NHWC);
  EXPECT_EQ(p.quantiType, SCALE);
  EXPECT_EQ(p.quantizeAxis, 3);
  ASSERT_EQ(p.scale.scaleLen, 8);
  EXPECT_FLOAT_EQ(p.scale.scaleData[7], 0.008f);
  EXPECT_EQ(p.scale.zeroPointLen, 0);
  EXPECT_EQ(p.alignedByteSize, 512);
}

TEST_F(ModelApi, ExtQueries) {
  int32_t source = -1;
  ASSERT_EQ(hbDNNGetInputSource(&source, model_, 0), 0);
  EXPECT_EQ(source, HB_DNN_INPUT_FROM_DDR);
  char const* desc = nullptr;
  uint32_t size = 0;
  int32_t type = -1;
  ASSERT_EQ(hbDNNGetOutputDesc(&desc, &size, &type, model_, 0), 0);
  EXPECT_EQ(std::string(desc, size), "raw conv output");
  EXPECT_EQ(type, HB_DNN_DESC_TYPE_STRING);
  ASSERT_EQ(hbDNNGetInputDesc(&desc, &size, &type, model_, 0), 0);
  EXPECT_EQ(desc, nullptr);
  EXPECT_EQ(size, 0u);
  EXPECT_EQ(type, HB_DNN_DESC_TYPE_UNKNOWN);
  ASSERT_EQ(hbDNNGetModelDesc(&desc, &size, &type, model_), 0);
  EXPECT_EQ(size, 0u);
  int32_t op = -1;
  ASSERT_EQ(hbDNNGetOutputOperatorType(&op, model_, 0), 0);
  EXPECT_EQ(op, HB_DNN_OUTPUT_OPERATOR_TYPE_CONV);
  int32_t latency = -1;
  ASSERT_EQ(hbDNNGetEstimateLatency(&latency, model_), 0);
  EXPECT_EQ(latency, 120);
  char const* tag = nullptr;
  ASSERT_EQ(hbDNNGetModelTag(&tag, model_), 0);
  EXPECT_STREQ(tag, "tag-tiny");
}

TEST_F(ModelApi, IndexOutOfRange) {
  char const* name = nullptr;
  EXPECT_EQ(hbDNNGetInputName(&name, model_, 1), HB_DNN_INVALID_ARGUMENT);
  EXPECT_EQ(Detail(), "hbDNNGetInputName: input index 1 is outside [0, 1) of model 'tiny'");
  EXPECT_EQ(hbDNNGetOutputName(&name, model_, -1), HB_DNN_INVALID_ARGUMENT);
  hbDNNTensorProperties p;
  EXPECT_EQ(hbDNNGetOutputTensorProperties(&p, model_, 2), HB_DNN_INVALID_ARGUMENT);
  EXPECT_EQ(hbDNNGetInputTensorProperties(&p, model_, 7), HB_DNN_INVALID_ARGUMENT);
  int32_t v = 0;
  EXPECT_EQ(hbDNNGetInputSource(&v, model_, 3), HB_DNN_INVALID_ARGUMENT);
  EXPECT_EQ(hbDNNGetOutputOperatorType(&v, model_, 2), HB_DNN_INVALID_ARGUMENT);
  char const* desc;
  uint32_t size;
  EXPECT_EQ(hbDNNGetOutputDesc(&desc, &size, &v, model_, 5), HB_DNN_INVALID_ARGUMENT);
}

TEST_F(ModelApi, NullOutputPointers) {
  EXPECT_EQ(hbDNNGetInputCount(nullptr, model_), HB_DNN_INVALID_ARGUMENT);
  EXPECT_EQ(Detail(), "hbDNNGetInputCount: inputCount is null");
  EXPECT_EQ(hbDNNGetOutputCount(nullptr, model_), HB_DNN_INVALID_ARGUMENT);
  EXPECT_EQ(hbDNNGetInputName(nullptr, model_, 0), HB_DNN_INVALID_ARGUMENT);
  EXPECT_EQ(hbDNNGetOutputTensorProperties(nullptr, model_, 0), HB_DNN_INVALID_ARGUMENT);
  EXPECT_EQ(hbDNNGetModelTag(nullptr, model_), HB_DNN_INVALID_ARGUMENT);
  EXPECT_EQ(hbDNNGetEstimateLatency(nullptr, model_), HB_DNN_INVALID_ARGUMENT);
  int32_t count;
  EXPECT_EQ(hbDNNGetModelNameList(nullptr, &count, packed_), HB_DNN_INVALID_ARGUMENT);
  char const** names;
  EXPECT_EQ(hbDNNGetModelNameList(&names, nullptr, packed_), HB_DNN_INVALID_ARGUMENT);
  EXPECT_EQ(hbDNNGetModelHandle(nullptr, packed_, "tiny"), HB_DNN_INVALID_ARGUMENT);
  hbDNNHandle_t h = reinterpret_cast<hbDNNHandle_t>(0x1);
  EXPECT_EQ(hbDNNGetModelHandle(&h, packed_, nullptr), HB_DNN_INVALID_ARGUMENT);
  EXPECT_EQ(h, nullptr);
}

TEST_F(ModelApi, UnknownModelNameListsTheModels) {
  hbDNNHandle_t h = nullptr;
  EXPECT_EQ(hbDNNGetModelHandle(&h, packed_, "resnet"), HB_DNN_INVALID_ARGUMENT);
  EXPECT_THAT(Detail(), HasSubstr("no model named 'resnet' in the packed handle (models: tiny)"));
}

TEST_F(ModelApi, ReleasedHandlesAreRejected) {
  hbPackedDNNHandle_t released = packed_;
  hbDNNHandle_t stale_model = model_;
  ASSERT_EQ(hbDNNRelease(packed_), 0);
  packed_ = nullptr;
  EXPECT_EQ(hbDNNRelease(released), HB_DNN_INVALID_PACKED_DNN_HANDLE);
  EXPECT_THAT(Detail(), HasSubstr("already released"));
  char const** names;
  int32_t count;
  EXPECT_EQ(hbDNNGetModelNameList(&names, &count, released), HB_DNN_INVALID_PACKED_DNN_HANDLE);
  hbDNNHandle_t h;
  EXPECT_EQ(hbDNNGetModelHandle(&h, released, "tiny"), HB_DNN_INVALID_PACKED_DNN_HANDLE);
  EXPECT_EQ(hbDNNGetInputCount(&count, stale_model), HB_DNN_INVALID_DNN_HANDLE);
  EXPECT_THAT(Detail(), HasSubstr("already released"));
  hbDNNTensorProperties p;
  EXPECT_EQ(hbDNNGetOutputTensorProperties(&p, stale_model, 0), HB_DNN_INVALID_DNN_HANDLE);
}

TEST_F(ModelApi, ForeignAndCrossedHandles) {
  int local = 0;
  int32_t count;
  EXPECT_EQ(hbDNNGetInputCount(&count, &local), HB_DNN_INVALID_DNN_HANDLE);
  EXPECT_THAT(Detail(), HasSubstr("was not returned by hbDNNGetModelHandle"));
  EXPECT_EQ(hbDNNGetInputCount(&count, nullptr), HB_DNN_INVALID_DNN_HANDLE);
  EXPECT_EQ(hbDNNRelease(&local), HB_DNN_INVALID_PACKED_DNN_HANDLE);
  EXPECT_EQ(hbDNNRelease(nullptr), HB_DNN_INVALID_PACKED_DNN_HANDLE);
  // A packed handle is not a model handle and vice versa.
  EXPECT_EQ(hbDNNGetInputCount(&count, packed_), HB_DNN_INVALID_DNN_HANDLE);
  EXPECT_EQ(hbDNNRelease(model_), HB_DNN_INVALID_PACKED_DNN_HANDLE);
  char const** names;
  EXPECT_EQ(hbDNNGetModelNameList(&names, &count, model_), HB_DNN_INVALID_PACKED_DNN_HANDLE);
}

TEST_F(ModelApi, ConcurrentQueriesAndRelease) {
  // Many threads query while one releases: every call either succeeds or reports an invalid
  // handle; none crashes (TSan/ASan presets check the memory side).
  std::vector<std::thread> threads;
  std::atomic<bool> go{false};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < 2000; ++i) {
        hbDNNTensorProperties p;
        int32_t rc = hbDNNGetOutputTensorProperties(&p, model_, 0);
        ASSERT_TRUE(rc == 0 || rc == HB_DNN_INVALID_DNN_HANDLE) << rc;
      }
    });
  }
  go = true;
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_EQ(hbDNNRelease(packed_), 0);
  packed_ = nullptr;
  for (auto& t : threads) t.join();
}

TEST(LoadFailures, BadArguments) {
  hbPackedDNNHandle_t packed = reinterpret_cast<hbPackedDNNHandle_t>(0x1);
  const char* files[] = {"a.hbm", nullptr};
  EXPECT_EQ(hbDNNInitializeFromFiles(nullptr, files, 1), HB_DNN_INVALID_ARGUMENT);
  EXPECT_EQ(hbDNNInitializeFromFiles(&packed, nullptr, 1), HB_DNN_INVALID_ARGUMENT);
  EXPECT_EQ(packed, nullptr);
  EXPECT_EQ(hbDNNInitializeFromFiles(&packed, files, 0), HB_DNN_INVALID_ARGUMENT);
  EXPECT_EQ(Detail(), "hbDNNInitializeFromFiles: modelFileCount 0 is < 1");
  EXPECT_EQ(hbDNNInitializeFromFiles(&packed, files, -3), HB_DNN_INVALID_ARGUMENT);
  EXPECT_EQ(hbDNNInitializeFromFiles(&packed, files, 100000), HB_DNN_MODEL_NUMBER_EXCEED_LIMIT);
  const char* with_null[] = {nullptr};
  EXPECT_EQ(hbDNNInitializeFromFiles(&packed, with_null, 1), HB_DNN_INVALID_ARGUMENT);
  EXPECT_EQ(Detail(), "hbDNNInitializeFromFiles: modelFileNames[0] is null");

  const void* data[] = {nullptr};
  int32_t lengths[] = {10};
  EXPECT_EQ(hbDNNInitializeFromDDR(&packed, data, lengths, 1), HB_DNN_INVALID_ARGUMENT);
  EXPECT_EQ(hbDNNInitializeFromDDR(&packed, nullptr, lengths, 1), HB_DNN_INVALID_ARGUMENT);
  const void* some[] = {"x"};
  EXPECT_EQ(hbDNNInitializeFromDDR(&packed, some, nullptr, 1), HB_DNN_INVALID_ARGUMENT);
  int32_t negative[] = {-1};
  EXPECT_EQ(hbDNNInitializeFromDDR(&packed, some, negative, 1), HB_DNN_INVALID_ARGUMENT);
  EXPECT_EQ(hbDNNInitializeFromDDR(&packed, some, lengths, 0), HB_DNN_INVALID_ARGUMENT);
  EXPECT_EQ(packed, nullptr);
}

TEST(LoadFailures, MissingFileNamesTheFile) {
  hbPackedDNNHandle_t packed = nullptr;
  const char* files[] = {"/no/such/model.hbm"};
  EXPECT_EQ(hbDNNInitializeFromFiles(&packed, files, 1), HB_DNN_CAN_NOT_OPEN_FILE);
  EXPECT_EQ(packed, nullptr);
  EXPECT_EQ(Detail(),
            "hbDNNInitializeFromFiles: file '/no/such/model.hbm': No such file or directory");
}

TEST(LoadFailures, SecondFileBadLoadsNothing) {
  std::string good = hb_dnn::testing::TempPath("good.hbm");
  std::string bad = hb_dnn::testing::TempPath("bad.hbm");
  hb_dnn::testing::WriteBytes(good, hb_dnn::testing::SmallPackageBytes());
  hb_dnn::testing::WriteBytes(bad, "garbage garbage garbage");
  hbPackedDNNHandle_t packed = nullptr;
  const char* files[] = {good.c_str(), bad.c_str()};
  EXPECT_EQ(hbDNNInitializeFromFiles(&packed, files, 2), HB_DNN_INVALID_MODEL);
  EXPECT_EQ(packed, nullptr);
  EXPECT_THAT(Detail(), HasSubstr(bad));
  EXPECT_THAT(Detail(), HasSubstr("not an hb_dnn model"));
  // The same file twice: duplicate model names.
  const char* twice[] = {good.c_str(), good.c_str()};
  EXPECT_EQ(hbDNNInitializeFromFiles(&packed, twice, 2), HB_DNN_INVALID_MODEL);
  EXPECT_THAT(Detail(), HasSubstr("model name 'tiny' is already loaded"));
  std::remove(good.c_str());
  std::remove(bad.c_str());
}

TEST(LoadFailures, TruncatedFileOnDisk) {
  std::string bytes = hb_dnn::testing::SmallPackageBytes();
  std::string path = hb_dnn::testing::TempPath("trunc.hbm");
  hb_dnn::testing::WriteBytes(path, bytes.substr(0, bytes.size() / 2));
  hbPackedDNNHandle_t packed = nullptr;
  const char* files[] = {path.c_str()};
  EXPECT_EQ(hbDNNInitializeFromFiles(&packed, files, 1), HB_DNN_INVALID_MODEL);
  EXPECT_EQ(packed, nullptr);
  std::remove(path.c_str());
}

TEST(LoadFromDDR, CopiesTheCallersBytes) {
  std::string bytes = hb_dnn::testing::SmallPackageBytes();
  std::vector<char> image(bytes.begin(), bytes.end());
  const void* data[] = {image.data()};
  int32_t lengths[] = {static_cast<int32_t>(image.size())};
  hbPackedDNNHandle_t packed = nullptr;
  ASSERT_EQ(hbDNNInitializeFromDDR(&packed, data, lengths, 1), 0) << Detail();
  // The caller may scribble over or free its bytes at once.
  std::fill(image.begin(), image.end(), '\xFF');
  image.clear();
  image.shrink_to_fit();
  hbDNNHandle_t model = nullptr;
  ASSERT_EQ(hbDNNGetModelHandle(&model, packed, "tiny"), 0);
  hbDNNTensorProperties p;
  ASSERT_EQ(hbDNNGetOutputTensorProperties(&p, model, 0), 0);
  EXPECT_EQ(p.alignedByteSize, 512);
  EXPECT_FLOAT_EQ(p.scale.scaleData[0], 0.001f);
  EXPECT_EQ(hbDNNRelease(packed), 0);
}

TEST(LoadFromDDR, UnalignedImageLoads) {
  std::string bytes = hb_dnn::testing::SmallPackageBytes();
  std::vector<char> storage(bytes.size() + 3);
  std::memcpy(storage.data() + 3, bytes.data(), bytes.size());  // deliberately misaligned
  const void* data[] = {storage.data() + 3};
  int32_t lengths[] = {static_cast<int32_t>(bytes.size())};
  hbPackedDNNHandle_t packed = nullptr;
  ASSERT_EQ(hbDNNInitializeFromDDR(&packed, data, lengths, 1), 0) << Detail();
  EXPECT_EQ(hbDNNRelease(packed), 0);
}

TEST(LoadFromDDR, EmptyAndGarbageImages) {
  const void* data[] = {"HBM1"};
  int32_t zero[] = {0};
  hbPackedDNNHandle_t packed = nullptr;
  EXPECT_EQ(hbDNNInitializeFromDDR(&packed, data, zero, 1), HB_DNN_INVALID_ARGUMENT);
  EXPECT_EQ(Detail(), "hbDNNInitializeFromDDR: modelDataLengths[0] 0 is not positive");
  int32_t four[] = {4};
  EXPECT_EQ(hbDNNInitializeFromDDR(&packed, data, four, 1), HB_DNN_INVALID_MODEL);
  EXPECT_THAT(Detail(), HasSubstr("too short"));
}

TEST(NotYetAvailable, BpuFeaturesSaySo) {
  hbDNNTaskHandle_t task = nullptr;
  hbDNNInferCtrlParam param;
  HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&param);
  hbDNNTensor out[1] = {};
  hbDNNTensor* outp = out;
  hbDNNTensor in[1] = {};
  EXPECT_EQ(hbDNNRoiInfer(&task, &outp, in, nullptr, 0, nullptr, &param), HB_DNN_API_USE_ERROR);
  EXPECT_THAT(Detail(), HasSubstr("not available yet"));
  EXPECT_EQ(hbDNNResize(&task, out, in, nullptr, nullptr), HB_DNN_API_USE_ERROR);
  int32_t t;
  EXPECT_EQ(hbDNNGetTaskEstimateTime(&t, task), HB_DNN_API_USE_ERROR);
  EXPECT_EQ(hbDNNGetTaskEstimateStartTime(&t, &param), HB_DNN_API_USE_ERROR);
  EXPECT_EQ(task, nullptr);
}

TEST(LastErrorDetail, IsPerThread) {
  int32_t count;
  EXPECT_EQ(hbDNNGetInputCount(&count, nullptr), HB_DNN_INVALID_DNN_HANDLE);
  std::string here = Detail();
  std::string there;
  std::thread([&] { there = hbDNNGetLastErrorDetail(); }).join();
  EXPECT_EQ(here, "hbDNNGetInputCount: dnn handle is null");
  EXPECT_EQ(there, "");
}

}  // namespace
