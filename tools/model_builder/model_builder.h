#ifndef HB_DNN_TOOLS_MODEL_BUILDER_MODEL_BUILDER_H_
#define HB_DNN_TOOLS_MODEL_BUILDER_MODEL_BUILDER_H_

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "hbm_generated.h"
#include "src/runtime/model.h"
#include "src/runtime/model_loader.h"
#include "src/runtime/tensor_geometry.h"

namespace hb_dnn::tools {

// Writes hbm model files (schema/hbm.fbs). Tests and the converter build models with it.
//
// The builder records what it is told and does not validate the graph: the loader is the single
// validator (so tests can also write deliberately broken files). Only I/O geometry is computed
// here, by runtime::ComputeGeometry, the same function the loader checks against.
//
//   PackageBuilder package;
//   ModelBuilder& m = package.AddModel("classifier", "bernoulli2");
//   int x = m.AddTensor("data", {1, 3, 224, 224}, fb::DataType::F32);
//   ...
//   HB_RETURN_IF_ERROR(m.AddInput(x, {...}));
//   HB_ASSIGN_OR_RETURN(std::string bytes, package.Serialize());

struct Attr {
  std::string name;
  fb::AttributeType type = fb::AttributeType::UNDEFINED;
  int64_t i = 0;
  float f = 0;
  std::string s;
  std::vector<int64_t> ints;
  std::vector<float> floats;
  std::vector<std::string> strings;
  int32_t tensor = -1;

  static Attr Int(std::string name, int64_t v);
  static Attr Float(std::string name, float v);
  static Attr String(std::string name, std::string v);
  static Attr Ints(std::string name, std::vector<int64_t> v);
  static Attr Floats(std::string name, std::vector<float> v);
};

// How a model input/output is presented through the C API.
struct IoSpec {
  std::string name;             // defaults to the tensor's name
  fb::DataType data_type = fb::DataType::F32;
  fb::Layout layout = fb::Layout::NCHW;
  std::vector<int32_t> valid_shape;
  bool bpu_side = false;        // touched by a BPU segment: the march's alignment applies
  runtime::QuantParams quant;
  fb::InputSource input_source = fb::InputSource::DDR;
  int32_t output_operator_type = 0;
  std::string desc;
  fb::DescType desc_type = fb::DescType::UNKNOWN;
};

struct FunctionCallSpec {
  std::vector<uint32_t> nodes;
  uint32_t modelled_duration_us = 0;
};

class PackageBuilder;

class ModelBuilder {
 public:
  // Returns the tensor index. `buffer` = -1 for activations.
  int32_t AddTensor(std::string name, std::vector<int64_t> shape, fb::DataType type,
                    runtime::QuantParams quant = {});

  // A constant tensor whose bytes go into a new 64-byte aligned buffer of the package.
  int32_t AddConstant(std::string name, std::vector<int64_t> shape, fb::DataType type,
                      std::string bytes, runtime::QuantParams quant = {});

  // A constant tensor reading an existing buffer (tied weights). The index is not checked here;
  // the loader rejects one outside the package's buffer table.
  int32_t AddTensorOnBuffer(std::string name, std::vector<int64_t> shape, fb::DataType type,
                            int32_t buffer, runtime::QuantParams quant = {});

  // Returns the node index.
  uint32_t AddNode(std::string name, std::string op_type, std::vector<int32_t> inputs,
                   std::vector<int32_t> outputs, std::vector<Attr> attributes = {},
                   int32_t op_version = 13, std::string domain = "");

  // Computes alignedShape/stride/alignedByteSize for the model's march.
  absl::Status AddInput(int32_t tensor, IoSpec spec);
  absl::Status AddOutput(int32_t tensor, IoSpec spec);

  void AddCpuSegment(std::vector<uint32_t> nodes, std::string name = "");
  void AddBpuSegment(std::vector<FunctionCallSpec> function_calls, std::string name = "",
                     int32_t core_num = 1);

  struct Preprocess {
    int32_t input = 0;
    std::string input_type_rt, input_layout_rt, input_type_train, input_layout_train, norm_type;
    std::vector<float> mean, scale;
  };
  void AddPreprocess(Preprocess p) { preprocess_.push_back(std::move(p)); }

  void SetTag(std::string tag) { tag_ = std::move(tag); }
  void SetDesc(std::string desc, fb::DescType type) {
    desc_ = std::move(desc);
    desc_type_ = type;
  }
  void AddMetadata(std::string key, std::string value) {
    metadata_.emplace_back(std::move(key), std::move(value));
  }

  // Escape hatch for tests that need a file the normal API would not write: raw access to the
  // recorded I/O descriptions (after AddInput/AddOutput computed them).
  struct IoRecord {
    int32_t tensor;
    runtime::IoTensor io;
  };
  std::vector<IoRecord>& mutable_inputs() { return inputs_; }
  std::vector<IoRecord>& mutable_outputs() { return outputs_; }

  const std::string& name() const { return name_; }

 private:
  friend class PackageBuilder;
  struct TensorRecord {
    std::string name;
    std::vector<int64_t> shape;
    fb::DataType type;
    runtime::QuantParams quant;
    int32_t buffer;
  };
  struct NodeRecord {
    std::string name, op_type, domain;
    int32_t op_version;
    std::vector<int32_t> inputs, outputs;
    std::vector<Attr> attributes;
  };
  struct SegmentRecord {
    std::string name;
    fb::SegmentKind kind;
    std::vector<uint32_t> nodes;
    std::vector<FunctionCallSpec> function_calls;
    int32_t core_num;
  };

  ModelBuilder(PackageBuilder* package, std::string name, std::string march);
  absl::StatusOr<IoRecord> MakeIo(int32_t tensor, IoSpec spec) const;

  PackageBuilder* package_;
  std::string name_;
  std::string march_;
  std::string tag_;
  std::string desc_;
  fb::DescType desc_type_ = fb::DescType::UNKNOWN;
  std::vector<TensorRecord> tensors_;
  std::vector<NodeRecord> nodes_;
  std::vector<SegmentRecord> segments_;
  std::vector<IoRecord> inputs_;
  std::vector<IoRecord> outputs_;
  std::vector<Preprocess> preprocess_;
  std::vector<std::pair<std::string, std::string>> metadata_;
};

class PackageBuilder {
 public:
  PackageBuilder() = default;
  PackageBuilder(const PackageBuilder&) = delete;
  PackageBuilder& operator=(const PackageBuilder&) = delete;

  // The reference stays valid for the builder's lifetime.
  ModelBuilder& AddModel(std::string name, std::string march = "bernoulli2");

  // Index of a new constant buffer holding `bytes`.
  int32_t AddBuffer(std::string bytes);

  // Overrides for tests of version handling.
  void SetFormatVersion(uint16_t major, uint16_t minor) {
    version_major_ = major;
    version_minor_ = minor;
  }

  // The complete file: size-prefixed FlatBuffer, then the buffers at 64-byte aligned offsets.
  absl::StatusOr<std::string> Serialize() const;
  absl::Status WriteFile(const std::string& path) const;

 private:
  std::deque<ModelBuilder> models_;  // deque: AddModel's references stay valid
  std::vector<std::string> buffers_;
  uint16_t version_major_ = runtime::kFormatVersionMajor;
  uint16_t version_minor_ = runtime::kFormatVersionMinor;
};

// The bytes of `values` as a constant's data (dense, host byte order).
template <typename T>
std::string ConstantBytes(const std::vector<T>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

// A 32-bit linear congruential generator: deterministic weights for generated models that do
// not depend on the standard library's distributions (which differ between implementations).
class Lcg {
 public:
  explicit Lcg(uint32_t seed) : state_(seed) {}
  // A value in [lo, hi].
  int32_t Next(int32_t lo, int32_t hi) {
    state_ = state_ * 1664525u + 1013904223u;
    return lo + static_cast<int32_t>((state_ >> 8) % static_cast<uint32_t>(hi - lo + 1));
  }

 private:
  uint32_t state_;
};

}  // namespace hb_dnn::tools

#endif  // HB_DNN_TOOLS_MODEL_BUILDER_MODEL_BUILDER_H_
