#include "tests/testing/test_models.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>

#include "gtest/gtest.h"

namespace hb_dnn::testing {

void AddSmallModel(tools::PackageBuilder& package, const std::string& name,
                   const std::function<void(tools::ModelBuilder&)>& customize) {
  tools::ModelBuilder& m = package.AddModel(name, "bernoulli2");
  m.SetTag("tag-" + name);
  runtime::QuantParams per_tensor;
  per_tensor.type = fb::QuantiType::SCALE;
  per_tensor.scale = {0.5f};
  runtime::QuantParams weights;
  weights.type = fb::QuantiType::SCALE;
  weights.axis = 0;
  for (int c = 0; c < 8; ++c) weights.scale.push_back(0.01f * static_cast<float>(c + 1));
  runtime::QuantParams out_quant;
  out_quant.type = fb::QuantiType::SCALE;
  out_quant.axis = 3;
  for (int c = 0; c < 8; ++c) out_quant.scale.push_back(0.001f * static_cast<float>(c + 1));

  int x = m.AddTensor("x", {1, 3, 4, 4}, fb::DataType::F32);
  int xq = m.AddTensor("x_q", {1, 3, 4, 4}, fb::DataType::S8, per_tensor);
  int w = m.AddConstant("w", {8, 3, 3, 3}, fb::DataType::S8, std::string(8 * 27, '\x03'), weights);
  int y = m.AddTensor("y", {1, 4, 4, 8}, fb::DataType::S32, out_quant);
  int z = m.AddTensor("z", {1, 4, 4, 8}, fb::DataType::F32);
  uint32_t q = m.AddNode("quantize", "Quantize", {x}, {xq});
  uint32_t conv = m.AddNode("conv", "Conv", {xq, w}, {y},
                            {tools::Attr::Ints("pads", {1, 1, 1, 1}), tools::Attr::Int("group", 1)});
  uint32_t deq = m.AddNode("dequantize", "Dequantize", {y}, {z});
  m.AddCpuSegment({q});
  m.AddBpuSegment({{{conv}, 120}, });
  m.AddCpuSegment({deq});
  if (customize) customize(m);

  tools::IoSpec in;
  in.layout = fb::Layout::NCHW;
  ASSERT_TRUE(m.AddInput(x, in).ok());
  tools::IoSpec y_spec;
  y_spec.data_type = fb::DataType::S32;
  y_spec.layout = fb::Layout::NHWC;
  y_spec.bpu_side = true;
  y_spec.quant = out_quant;
  y_spec.desc = "raw conv output";
  y_spec.desc_type = fb::DescType::STRING;
  y_spec.output_operator_type = 1;
  ASSERT_TRUE(m.AddOutput(y, y_spec).ok());
  tools::IoSpec z_spec;
  z_spec.layout = fb::Layout::NHWC;
  ASSERT_TRUE(m.AddOutput(z, z_spec).ok());
}

std::string SmallPackageBytes() {
  tools::PackageBuilder package;
  AddSmallModel(package, "tiny");
  absl::StatusOr<std::string> bytes = package.Serialize();
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *bytes : std::string();
}

std::string TempPath(const std::string& file_name) {
  static std::atomic<int> counter{0};
  const char* dir = std::getenv("TEST_TMPDIR");
  std::string base = dir != nullptr ? dir : ::testing::TempDir();
  if (!base.empty() && base.back() != '/') base += '/';
  return base + "hb_dnn_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
         file_name;
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

}  // namespace hb_dnn::testing
