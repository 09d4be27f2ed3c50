// Image inputs through the C API: a hand-built model "NV12 image -> Preprocess -> float Conv"
// gives the float Conv's result on the equivalent normalized RGB tensor, with the caller's NV12
// rows 16-aligned or compact; a packed RGB input works the same way.

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hb_dnn/hb_dnn.h"
#include "hb_dnn/hb_dnn_sim.h"
#include "src/kernels/reference/preprocess.h"
#include "tools/model_builder/model_builder.h"

namespace {

using hb_dnn::fb::DataType;
using hb_dnn::tools::Attr;
using ::testing::HasSubstr;

constexpr int kH = 4;
constexpr int kW = 20;  // not a multiple of 16: the model's alignedShape W is 32
constexpr int kOut = 2;
const std::vector<float> kMean = {123.675f, 116.28f, 103.53f};
const std::vector<float> kScale = {0.01712f, 0.0175f, 0.01743f};
const std::vector<float> kWeights = {0.5f, -1.0f, 0.25f, 1.5f, 0.75f, -0.5f};  // (2, 3, 1, 1)

// image (input_type_rt `rt`) -> Preprocess (to rgb NCHW, data_mean_and_scale) -> 1x1 Conv.
std::string ModelBytes(const std::string& rt) {
  hb_dnn::tools::PackageBuilder package;
  hb_dnn::tools::ModelBuilder& m = package.AddModel("nv12_model", "bernoulli2");
  bool nv12 = rt == "nv12";
  std::vector<int64_t> image_shape =
      nv12 ? std::vector<int64_t>{1, kH * 3 / 2, kW} : std::vector<int64_t>{1, kH, kW, 3};
  int image = m.AddTensor("image", image_shape, DataType::U8);
  int data = m.AddTensor("data", {1, 3, kH, kW}, DataType::F32);
  int w = m.AddConstant(
      "w", {kOut, 3, 1, 1}, DataType::F32,
      std::string(reinterpret_cast<const char*>(kWeights.data()), kWeights.size() * sizeof(float)));
  int out = m.AddTensor("out", {1, kOut, kH, kW}, DataType::F32);
  namespace k = hb_dnn::kernels;
  uint32_t pre = m.AddNode(
      "preprocess", k::kPreprocessOp, {image}, {data},
      {Attr::String(k::kAttrInputTypeRt, rt),
       Attr::String(k::kAttrInputLayoutRt, nv12 ? "" : "NHWC"),
       Attr::String(k::kAttrInputTypeTrain, "rgb"), Attr::String(k::kAttrInputLayoutTrain, "NCHW"),
       Attr::String(k::kAttrNormType, "data_mean_and_scale"),
       Attr::Floats(k::kAttrMeanValue, kMean), Attr::Floats(k::kAttrScaleValue, kScale)},
      k::kPreprocessVersion, k::kHbDnnDomain);
  uint32_t conv = m.AddNode("conv", "Conv", {data, w}, {out});
  m.AddCpuSegment({pre, conv});
  hb_dnn::tools::IoSpec in;
  in.data_type = nv12 ? DataType::IMG_NV12 : DataType::IMG_RGB;
  in.layout = nv12 ? hb_dnn::fb::Layout::NCHW : hb_dnn::fb::Layout::NHWC;
  in.valid_shape = nv12 ? std::vector<int32_t>{1, 3, kH, kW} : std::vector<int32_t>{1, kH, kW, 3};
  EXPECT_TRUE(m.AddInput(image, in).ok());
  EXPECT_TRUE(m.AddOutput(out, {}).ok());
  absl::StatusOr<std::string> bytes = package.Serialize();
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *bytes : "";
}

uint8_t Y(int y, int x) { return static_cast<uint8_t>(16 + (y * 37 + x * 11) % 220); }
uint8_t U(int y2, int x2) { return static_cast<uint8_t>(60 + (y2 * 29 + x2 * 13) % 140); }
uint8_t V(int y2, int x2) { return static_cast<uint8_t>(70 + (y2 * 17 + x2 * 31) % 130); }

float Clamp(float v) { return std::fmin(255.0f, std::fmax(0.0f, v)); }

// The test's own BT.601 full-range NV12 -> RGB, then the normalization and the Conv.
std::vector<float> Expected() {
  std::vector<float> rgb(3 * kH * kW);
  for (int y = 0; y < kH; ++y) {
    for (int x = 0; x < kW; ++x) {
      float l = Y(y, x), u = U(y / 2, x / 2) - 128.0f, v = V(y / 2, x / 2) - 128.0f;
      float c[3] = {Clamp(l + 1.402f * v), Clamp(l - 0.344136f * u - 0.714136f * v),
                    Clamp(l + 1.772f * u)};
      for (int ch = 0; ch < 3; ++ch) {
        rgb[(ch * kH + y) * kW + x] = (c[ch] - kMean[ch]) * kScale[ch];
      }
    }
  }
  std::vector<float> out(kOut * kH * kW, 0.0f);
  for (int o = 0; o < kOut; ++o) {
    for (int i = 0; i < kH * kW; ++i) {
      for (int ch = 0; ch < 3; ++ch)
        out[o * kH * kW + i] += kWeights[o * 3 + ch] * rgb[ch * kH * kW + i];
    }
  }
  return out;
}

class Nv12InferTest : public ::testing::Test {
 protected:
  void Load(const std::string& bytes) {
    bytes_ = bytes;
    const void* data[] = {bytes_.data()};
    int32_t lengths[] = {static_cast<int32_t>(bytes_.size())};
    ASSERT_EQ(hbDNNInitializeFromDDR(&packed_, data, lengths, 1), 0) << hbDNNGetLastErrorDetail();
    const char** names;
    int32_t count;
    ASSERT_EQ(hbDNNGetModelNameList(&names, &count, packed_), 0);
    ASSERT_EQ(hbDNNGetModelHandle(&model_, packed_, names[0]), 0);
  }
  void TearDown() override {
    for (hbSysMem& mem : mems_) hbSysFreeMem(&mem);
    if (packed_ != nullptr) {
      EXPECT_EQ(hbDNNRelease(packed_), 0);
    }
  }
  hbSysMem Alloc(uint32_t bytes) {
    hbSysMem mem = {};
    EXPECT_EQ(hbSysAllocCachedMem(&mem, bytes), 0);
    mems_.push_back(mem);
    return mem;
  }
  // Runs with `in` and returns the output (or fails with the error detail in `error`).
  std::vector<float> Run(hbDNNTensor* in, std::string* error = nullptr) {
    hbDNNTensor out = {};
    EXPECT_EQ(hbDNNGetOutputTensorProperties(&out.properties, model_, 0), 0);
    out.sysMem[0] = Alloc(out.properties.alignedByteSize);
    EXPECT_EQ(hbSysFlushMem(&in->sysMem[0], HB_SYS_MEM_CACHE_CLEAN), 0);
    hbDNNTaskHandle_t task = nullptr;
    hbDNNInferCtrlParam param;
    HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&param);
    hbDNNTensor* outp = &out;
    int32_t rc = hbDNNInfer(&task, &outp, in, model_, &param);
    if (rc != 0) {
      if (error != nullptr) *error = hbDNNGetLastErrorDetail();
      return {};
    }
    EXPECT_EQ(hbDNNWaitTaskDone(task, 0), 0) << hbDNNGetLastErrorDetail();
    EXPECT_EQ(hbDNNReleaseTask(task), 0);
    EXPECT_EQ(hbSysFlushMem(&out.sysMem[0], HB_SYS_MEM_CACHE_INVALIDATE), 0);
    const float* y = static_cast<const float*>(out.sysMem[0].virAddr);
    return std::vector<float>(y, y + kOut * kH * kW);
  }

  std::string bytes_;
  hbPackedDNNHandle_t packed_ = nullptr;
  hbDNNHandle_t model_ = nullptr;
  std::vector<hbSysMem> mems_;
};

void ExpectNear(const std::vector<float>& actual, const std::vector<float>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) ASSERT_NEAR(actual[i], expected[i], 1e-4) << i;
}

// Writes the NV12 test image with rows `stride` bytes apart (padding bytes 0xEE).
void FillNv12(uint8_t* p, int stride) {
  std::memset(p, 0xEE, static_cast<size_t>(stride) * kH * 3 / 2);
  for (int y = 0; y < kH; ++y) {
    for (int x = 0; x < kW; ++x) p[y * stride + x] = Y(y, x);
  }
  uint8_t* uv = p + stride * kH;
  for (int y2 = 0; y2 < kH / 2; ++y2) {
    for (int x2 = 0; x2 < kW / 2; ++x2) {
      uv[y2 * stride + 2 * x2] = U(y2, x2);
      uv[y2 * stride + 2 * x2 + 1] = V(y2, x2);
    }
  }
}

TEST_F(Nv12InferTest, PropertiesDescribeAnAlignedNv12Image) {
  ASSERT_NO_FATAL_FAILURE(Load(ModelBytes("nv12")));
  hbDNNTensorProperties p;
  ASSERT_EQ(hbDNNGetInputTensorProperties(&p, model_, 0), 0);
  EXPECT_EQ(p.tensorType, HB_DNN_IMG_TYPE_NV12);
  EXPECT_EQ(p.tensorLayout, HB_DNN_LAYOUT_NCHW);
  ASSERT_EQ(p.validShape.numDimensions, 4);
  EXPECT_EQ(p.validShape.dimensionSize[3], kW);
  EXPECT_EQ(p.alignedShape.dimensionSize[3], 32);
  EXPECT_EQ(p.alignedByteSize, kH * 32 * 3 / 2);
}

TEST_F(Nv12InferTest, AlignedNv12MatchesTheFloatConvOnRgb) {
  ASSERT_NO_FATAL_FAILURE(Load(ModelBytes("nv12")));
  hbDNNTensor in = {};
  ASSERT_EQ(hbDNNGetInputTensorProperties(&in.properties, model_, 0), 0);
  in.sysMem[0] = Alloc(in.properties.alignedByteSize);
  FillNv12(static_cast<uint8_t*>(in.sysMem[0].virAddr),
           in.properties.alignedShape.dimensionSize[3]);
  ExpectNear(Run(&in), Expected());
}

TEST_F(Nv12InferTest, CompactNv12RowsAreAccepted) {
  ASSERT_NO_FATAL_FAILURE(Load(ModelBytes("nv12")));
  hbDNNTensor in = {};
  ASSERT_EQ(hbDNNGetInputTensorProperties(&in.properties, model_, 0), 0);
  in.properties.alignedShape = in.properties.validShape;
  in.sysMem[0] = Alloc(kH * kW * 3 / 2);
  FillNv12(static_cast<uint8_t*>(in.sysMem[0].virAddr), kW);
  ExpectNear(Run(&in), Expected());
}

TEST_F(Nv12InferTest, ShortNv12BufferIsRejected) {
  ASSERT_NO_FATAL_FAILURE(Load(ModelBytes("nv12")));
  hbDNNTensor in = {};
  ASSERT_EQ(hbDNNGetInputTensorProperties(&in.properties, model_, 0), 0);
  in.sysMem[0] = Alloc(kH * 32);  // the Y plane only
  std::string error;
  EXPECT_TRUE(Run(&in, &error).empty());
  EXPECT_THAT(error, HasSubstr("tensor aligned shape size is 192, but tensor hbSysMem memSize is "
                               "128"));
}

TEST_F(Nv12InferTest, PackedRgbInput) {
  ASSERT_NO_FATAL_FAILURE(Load(ModelBytes("rgb")));
  hbDNNTensor in = {};
  ASSERT_EQ(hbDNNGetInputTensorProperties(&in.properties, model_, 0), 0);
  EXPECT_EQ(in.properties.tensorType, HB_DNN_IMG_TYPE_RGB);
  in.sysMem[0] = Alloc(in.properties.alignedByteSize);
  uint8_t* p = static_cast<uint8_t*>(in.sysMem[0].virAddr);
  std::vector<float> rgb(3 * kH * kW);
  for (int i = 0; i < kH * kW; ++i) {
    for (int c = 0; c < 3; ++c) {
      p[i * 3 + c] = static_cast<uint8_t>((i * 7 + c * 50) % 256);
      rgb[c * kH * kW + i] = (p[i * 3 + c] - kMean[c]) * kScale[c];
    }
  }
  std::vector<float> expected(kOut * kH * kW, 0.0f);
  for (int o = 0; o < kOut; ++o) {
    for (int i = 0; i < kH * kW; ++i) {
      for (int c = 0; c < 3; ++c)
        expected[o * kH * kW + i] += kWeights[o * 3 + c] * rgb[c * kH * kW + i];
    }
  }
  ExpectNear(Run(&in), expected);
}

}  // namespace
