// The hbm loader: builder round trip, then every class of corrupt or inconsistent file.

#include <cstring>
#include <random>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/aligned_buffer.h"
#include "src/base/status.h"
#include "src/runtime/model_loader.h"
#include "src/runtime/packed_model.h"
#include "tests/testing/test_models.h"
#include "tools/model_builder/model_builder.h"

namespace hb_dnn::runtime {
namespace {

using ::testing::HasSubstr;
using testing::AddSmallModel;
using testing::SmallPackageBytes;

// Runs the loader on a 64-byte aligned copy of `bytes`.
absl::Status Verify(const std::string& bytes, const std::string& source = "test.hbm") {
  AlignedBytes copy = AllocateAligned(bytes.size());
  if (!bytes.empty()) std::memcpy(copy.get(), bytes.data(), bytes.size());
  return VerifyPackage(copy.get(), bytes.size(), source).status();
}

// Builds a one-model package after `customize` has altered the small model.
std::string Customized(const std::function<void(tools::ModelBuilder&)>& customize) {
  tools::PackageBuilder package;
  AddSmallModel(package, "tiny", customize);
  absl::StatusOr<std::string> bytes = package.Serialize();
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *bytes : std::string();
}

void ExpectInvalid(const absl::Status& status, const std::string& fragment) {
  EXPECT_EQ(ErrorCodeOf(status), ErrorCode::kInvalidModel) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr(fragment));
}

TEST(Loader, RoundTripKeepsEverything) {
  std::string bytes = SmallPackageBytes();
  ASSERT_TRUE(Verify(bytes).ok()) << Verify(bytes);
  auto packed = PackedModel::LoadImages({{bytes.data(), bytes.size()}});
  ASSERT_TRUE(packed.ok()) << packed.status();
  ASSERT_EQ((*packed)->model_count(), 1u);
  const Model& m = (*packed)->model(0);
  EXPECT_EQ(m.name(), "tiny");
  EXPECT_EQ(m.tag(), "tag-tiny");
  EXPECT_EQ(m.march(), "bernoulli2");
  EXPECT_EQ(m.modelled_bpu_latency_us(), 120);
  ASSERT_EQ(m.inputs().size(), 1u);
  ASSERT_EQ(m.outputs().size(), 2u);
  const IoTensor& y = m.outputs()[0];
  EXPECT_EQ(y.name, "y");
  EXPECT_EQ(y.valid_shape, (std::vector<int32_t>{1, 4, 4, 8}));
  // 8 x S32 = 32 bytes per row: already a burst size, no padding.
  EXPECT_EQ(y.aligned_shape, (std::vector<int32_t>{1, 4, 4, 8}));
  EXPECT_EQ(y.stride, (std::vector<int32_t>{512, 128, 32, 4}));
  EXPECT_EQ(y.aligned_byte_size, 512);
  EXPECT_EQ(y.quant.type, fb::QuantiType::SCALE);
  EXPECT_EQ(y.quant.axis, 3);
  EXPECT_EQ(y.quant.scale.size(), 8u);
  EXPECT_EQ(y.desc, "raw conv output");
  EXPECT_EQ(y.output_operator_type, 1);
  // The constant is reachable and 64-byte aligned.
  const fb::Tensor* w = m.flat()->tensors()->Get(2);
  ASSERT_EQ(w->name()->str(), "w");
  const uint8_t* data = m.buffer_data(w->buffer());
  EXPECT_EQ(reinterpret_cast<uintptr_t>(data) % kBufferAlignment, 0u);
  EXPECT_EQ(m.buffer_size(w->buffer()), 216u);
  EXPECT_EQ(data[0], 3);
}

TEST(Loader, PackedFileHoldsSeveralModels) {
  tools::PackageBuilder package;
  AddSmallModel(package, "a");
  AddSmallModel(package, "b");
  auto bytes = package.Serialize();
  ASSERT_TRUE(bytes.ok());
  auto packed = PackedModel::LoadImages({{bytes->data(), bytes->size()}});
  ASSERT_TRUE(packed.ok()) << packed.status();
  ASSERT_EQ((*packed)->name_list().size(), 2u);
  EXPECT_STREQ((*packed)->name_list()[0], "a");
  EXPECT_STREQ((*packed)->name_list()[1], "b");
  EXPECT_NE((*packed)->FindModel("b"), nullptr);
  EXPECT_EQ((*packed)->FindModel("c"), nullptr);
}

TEST(Loader, DuplicateModelNamesAcrossImagesAreRejected) {
  std::string bytes = SmallPackageBytes();
  auto packed = PackedModel::LoadImages({{bytes.data(), bytes.size()}, {bytes.data(), bytes.size()}});
  ASSERT_FALSE(packed.ok());
  ExpectInvalid(packed.status(), "model name 'tiny' is already loaded from '<memory image 0>'");
}

TEST(Loader, MissingFileIsCanNotOpen) {
  auto packed = PackedModel::LoadFiles({"/nonexistent/dir/model.hbm"});
  ASSERT_FALSE(packed.ok());
  EXPECT_EQ(ErrorCodeOf(packed.status()), ErrorCode::kCanNotOpenFile);
  EXPECT_THAT(std::string(packed.status().message()), HasSubstr("/nonexistent/dir/model.hbm"));
}

TEST(Loader, DirectoryIsCanNotOpen) {
  auto packed = PackedModel::LoadFiles({"/"});
  ASSERT_FALSE(packed.ok());
  EXPECT_EQ(ErrorCodeOf(packed.status()), ErrorCode::kCanNotOpenFile);
}

TEST(Loader, EmptyFile) {
  std::string path = testing::TempPath("empty.hbm");
  testing::WriteBytes(path, "");
  auto packed = PackedModel::LoadFiles({path});
  ASSERT_FALSE(packed.ok());
  ExpectInvalid(packed.status(), "empty");
  EXPECT_THAT(std::string(packed.status().message()), HasSubstr(path));
}

TEST(Loader, TruncatedAtEveryLength) {
  std::string bytes = SmallPackageBytes();
  // Every prefix must be rejected cleanly (never a crash, never accepted).
  for (size_t len = 0; len < bytes.size(); len += (len < 256 ? 1 : 17)) {
    absl::Status status = Verify(bytes.substr(0, len));
    ASSERT_FALSE(status.ok()) << "accepted a file truncated to " << len << " of " << bytes.size();
    ASSERT_EQ(ErrorCodeOf(status), ErrorCode::kInvalidModel) << status;
  }
}

TEST(Loader, OtherFormatsNameTheProblem) {
  ExpectInvalid(Verify("this is plainly a text file, not a model"), "not an hb_dnn model");
  // An ONNX protobuf starts with field 1 (ir_version) as a varint.
  ExpectInvalid(Verify(std::string("\x08\x07\x12\x07pytorch\x1a\x05" "2.1.0", 19)),
                "not an hb_dnn model");
  absl::Status bin = Verify(std::string(64, '\x01'));
  ExpectInvalid(bin, "Horizon's proprietary .bin models cannot be loaded");
}

TEST(Loader, RandomBytesNeverCrash) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    std::string bytes(static_cast<size_t>(rng() % 2048), '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    // Half the trials carry a valid header so the verifier itself is exercised.
    if (trial % 2 == 0 && bytes.size() >= 12) std::memcpy(&bytes[8], "HBM1", 4);
    EXPECT_FALSE(Verify(bytes).ok());
  }
}

TEST(Loader, BitFlipsAreRejectedOrConsistent) {
  std::string good = SmallPackageBytes();
  std::mt19937 rng(11);
  int rejected = 0;
  for (int trial = 0; trial < 2000; ++trial) {
    std::string bytes = good;
    size_t pos = rng() % bytes.size();
    bytes[pos] = static_cast<char>(bytes[pos] ^ (1 << (rng() % 8)));
    absl::Status status = Verify(bytes);
    if (!status.ok()) {
      ++rejected;
      ASSERT_TRUE(ErrorCodeOf(status) == ErrorCode::kInvalidModel ||
                  ErrorCodeOf(status) == ErrorCode::kIncompatibleModel)
          << status;
      continue;
    }
    // Accepted flips (e.g. in weight bytes or a float scale) must still load into models whose
    // I/O description is internally consistent: that is what the loader promises.
    auto packed = PackedModel::LoadImages({{bytes.data(), bytes.size()}});
    ASSERT_TRUE(packed.ok()) << packed.status();
  }
  EXPECT_GT(rejected, 0);
}

TEST(Loader, NewerFormatIsIncompatible) {
  tools::PackageBuilder package;
  AddSmallModel(package, "tiny");
  package.SetFormatVersion(kFormatVersionMajor + 1, 0);
  auto bytes = package.Serialize();
  ASSERT_TRUE(bytes.ok());
  absl::Status status = Verify(*bytes);
  EXPECT_EQ(ErrorCodeOf(status), ErrorCode::kIncompatibleModel) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr("format version 2.0"));
}

TEST(Loader, NewerMinorVersionLoads) {
  tools::PackageBuilder package;
  AddSmallModel(package, "tiny");
  package.SetFormatVersion(kFormatVersionMajor, kFormatVersionMinor + 3);
  auto bytes = package.Serialize();
  ASSERT_TRUE(bytes.ok());
  EXPECT_TRUE(Verify(*bytes).ok());
}

TEST(Loader, UnknownMarchIsIncompatible) {
  tools::PackageBuilder package;
  tools::ModelBuilder& m = package.AddModel("m", "bernoulli2");
  int x = m.AddTensor("x", {1, 4}, fb::DataType::F32);
  uint32_t n = m.AddNode("relu", "Relu", {x}, {x});
  m.AddCpuSegment({n});
  ASSERT_TRUE(m.AddInput(x, {}).ok());
  ASSERT_TRUE(m.AddOutput(x, {}).ok());
  auto good = package.Serialize();
  ASSERT_TRUE(good.ok());
  ASSERT_TRUE(Verify(*good).ok()) << Verify(*good);
  // Same file, march renamed in place (same length keeps the structure valid).
  std::string bytes = *good;
  size_t pos = bytes.find("bernoulli2");
  ASSERT_NE(pos, std::string::npos);
  bytes.replace(pos, 10, "bernoulli9");
  absl::Status status = Verify(bytes);
  EXPECT_EQ(ErrorCodeOf(status), ErrorCode::kIncompatibleModel) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr("bernoulli9"));
}

TEST(Loader, NodeInputOutOfRange) {
  ExpectInvalid(Verify(Customized([](tools::ModelBuilder& m) {
                  uint32_t n = m.AddNode("bad", "Relu", {99}, {0});
                  m.AddCpuSegment({n});
                })),
                "node 3 'bad' (Relu): input tensor index 99 outside [-1, 5)");
}

TEST(Loader, NodeOutputOutOfRange) {
  ExpectInvalid(Verify(Customized([](tools::ModelBuilder& m) {
                  uint32_t n = m.AddNode("bad", "Relu", {0}, {-1});
                  m.AddCpuSegment({n});
                })),
                "output tensor index -1");
}

TEST(Loader, SegmentNodeOutOfRange) {
  ExpectInvalid(Verify(Customized([](tools::ModelBuilder& m) { m.AddCpuSegment({42}); })),
                "node index 42 outside [0, 3)");
}

TEST(Loader, NodeInTwoSegments) {
  ExpectInvalid(Verify(Customized([](tools::ModelBuilder& m) { m.AddCpuSegment({0}); })),
                "node 0 already belongs to segment 0");
}

TEST(Loader, NodeInNoSegment) {
  ExpectInvalid(Verify(Customized([](tools::ModelBuilder& m) {
                  int t = m.AddTensor("extra", {1}, fb::DataType::F32);
                  m.AddNode("orphan", "Relu", {t}, {t});
                })),
                "node 3 belongs to no segment");
}

TEST(Loader, EmptyFunctionCall) {
  ExpectInvalid(Verify(Customized([](tools::ModelBuilder& m) { m.AddBpuSegment({{{}, 10}}); })),
                "function-call 0: no nodes");
}

TEST(Loader, BufferShorterThanShape) {
  ExpectInvalid(Verify(Customized([](tools::ModelBuilder& m) {
                  m.AddConstant("short", {4, 4}, fb::DataType::F32, std::string(60, '\0'));
                })),
                "tensor 5 'short': buffer 1 has 60 bytes, shape (4,4) of F32 needs 64");
}

TEST(Loader, TensorBufferIndexOutOfRange) {
  ExpectInvalid(Verify(Customized([](tools::ModelBuilder& m) {
                  m.AddTensorOnBuffer("c", {2}, fb::DataType::S8, /*buffer=*/5);
                })),
                "tensor 5 'c': buffer index 5 outside [0, 1)");
}

TEST(Loader, TensorsMayShareABuffer) {
  std::string bytes = Customized([](tools::ModelBuilder& m) {
    m.AddTensorOnBuffer("w_tied", {8, 3, 3, 3}, fb::DataType::S8, /*buffer=*/0);
  });
  EXPECT_TRUE(Verify(bytes).ok()) << Verify(bytes);
}

TEST(Loader, DuplicateTensorNames) {
  ExpectInvalid(Verify(Customized([](tools::ModelBuilder& m) {
                  m.AddTensor("x", {1}, fb::DataType::F32);
                })),
                "tensor 5 'x': name appears twice");
}

TEST(Loader, DuplicateOutputNames) {
  std::string bytes = Customized([](tools::ModelBuilder& m) {
    tools::IoSpec spec;
    spec.name = "y";
    spec.layout = fb::Layout::NHWC;
    ASSERT_TRUE(m.AddOutput(4, spec).ok());
  });
  ExpectInvalid(Verify(bytes), "output 1 'y': name appears twice");
}

TEST(Loader, QuantizationLengthMustMatchAxis) {
  ExpectInvalid(Verify(Customized([](tools::ModelBuilder& m) {
                  runtime::QuantParams q;
                  q.type = fb::QuantiType::SCALE;
                  q.axis = 1;
                  q.scale = {1, 2, 3};
                  m.AddTensor("q", {1, 4}, fb::DataType::S8, q);
                })),
                "3 quantization values for axis 1 of size 4");
}

TEST(Loader, ZeroPointCountMustMatchScales) {
  ExpectInvalid(Verify(Customized([](tools::ModelBuilder& m) {
                  runtime::QuantParams q;
                  q.type = fb::QuantiType::SCALE;
                  q.scale = {1};
                  q.zero_point = {0, 1};
                  m.AddTensor("q", {1, 4}, fb::DataType::S8, q);
                })),
                "2 zero points for 1 scales");
}

TEST(Loader, IoGeometryMustMatchTheRules) {
  tools::PackageBuilder package;
  AddSmallModel(package, "tiny");
  // Corrupt the recorded alignedByteSize through the builder's escape hatch... the model is
  // already added, so build a second package where the I/O record is edited before serializing.
  tools::PackageBuilder edited;
  tools::ModelBuilder* model = nullptr;
  AddSmallModel(edited, "tiny", [&](tools::ModelBuilder& m) { model = &m; });
  ASSERT_NE(model, nullptr);
  model->mutable_outputs()[0].io.aligned_byte_size = 100;
  auto bytes = edited.Serialize();
  ASSERT_TRUE(bytes.ok());
  ExpectInvalid(Verify(*bytes), "output 0 'y': aligned byte size 100 differs from 512");

  model->mutable_outputs()[0].io.aligned_byte_size = 512;
  model->mutable_outputs()[0].io.stride = {1, 2, 3, 4};
  bytes = edited.Serialize();
  ASSERT_TRUE(bytes.ok());
  ExpectInvalid(Verify(*bytes), "stride (1,2,3,4) differs from (512,128,32,4)");

  model->mutable_outputs()[0].io.stride = {512, 128, 32, 4};
  model->mutable_outputs()[0].io.valid_shape = {1, 4, 4, 9};
  bytes = edited.Serialize();
  ASSERT_TRUE(bytes.ok());
  ExpectInvalid(Verify(*bytes), "valid shape (1,4,4,9) does not fit aligned shape (1,4,4,8)");

  model->mutable_outputs()[0].io.valid_shape = {1, 4, 4, 8};
  model->mutable_outputs()[0].io.tensor_index = 77;
  bytes = edited.Serialize();
  ASSERT_TRUE(bytes.ok());
  ExpectInvalid(Verify(*bytes), "output 0 'y': tensor index 77 outside [0, 5)");
}

TEST(Loader, AlignedShapeMustFollowTheMarch) {
  tools::PackageBuilder edited;
  tools::ModelBuilder* model = nullptr;
  AddSmallModel(edited, "tiny", [&](tools::ModelBuilder& m) { model = &m; });
  // A self-consistent but made-up padding (strides and size agree with it) is still rejected.
  runtime::IoTensor& y = model->mutable_outputs()[0].io;
  y.aligned_shape = {1, 4, 4, 12};
  y.stride = {768, 192, 48, 4};
  y.aligned_byte_size = 768;
  auto bytes = edited.Serialize();
  ASSERT_TRUE(bytes.ok());
  ExpectInvalid(Verify(*bytes), "aligned shape (1,4,4,12) is not what bernoulli2 gives for valid shape (1,4,4,8)");
}

TEST(Loader, HugeShapesDoNotOverflow) {
  ExpectInvalid(Verify(Customized([](tools::ModelBuilder& m) {
                  m.AddTensor("huge", {int64_t{1} << 39, int64_t{1} << 39}, fb::DataType::F32);
                })),
                "is too large");
}

TEST(Loader, ModelWithoutInputs) {
  tools::PackageBuilder package;
  tools::ModelBuilder& m = package.AddModel("no_inputs");
  int x = m.AddTensor("x", {1}, fb::DataType::F32);
  ASSERT_TRUE(m.AddOutput(x, {}).ok());
  auto bytes = package.Serialize();
  ASSERT_TRUE(bytes.ok());
  ExpectInvalid(Verify(*bytes), "model 'no_inputs': model has no input");
}

TEST(Loader, BufferPastEndOfFile) {
  std::string bytes = SmallPackageBytes();
  // Drop the tail of the weight data: the FlatBuffer is intact, the buffer runs past the end.
  absl::Status status = Verify(bytes.substr(0, bytes.size() - 10));
  ExpectInvalid(status, "runs past the end");
}

TEST(Loader, MisalignedBufferOffset) {
  std::string bytes = SmallPackageBytes();
  // Locate the buffer table entry: its offset value is the 64-aligned start of the weights.
  uint64_t offset = RoundUp(bytes.size() - 216, kBufferAlignment);
  size_t pos = bytes.find(std::string(reinterpret_cast<const char*>(&offset), sizeof(offset)));
  ASSERT_NE(pos, std::string::npos);
  uint64_t shifted = offset + 8;
  std::memcpy(&bytes[pos], &shifted, sizeof(shifted));
  ExpectInvalid(Verify(bytes), "is not a multiple of 64");
}

}  // namespace
}  // namespace hb_dnn::runtime
