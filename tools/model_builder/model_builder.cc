#include "tools/model_builder/model_builder.h"

#include <fstream>

#include "flatbuffers/flatbuffers.h"
#include "src/base/aligned_buffer.h"
#include "src/base/status.h"
#include "src/base/status_macros.h"

namespace hb_dnn::tools {

Attr Attr::Int(std::string name, int64_t v) {
  Attr a;
  a.name = std::move(name);
  a.type = fb::AttributeType::INT;
  a.i = v;
  return a;
}

Attr Attr::Float(std::string name, float v) {
  Attr a;
  a.name = std::move(name);
  a.type = fb::AttributeType::FLOAT;
  a.f = v;
  return a;
}

Attr Attr::String(std::string name, std::string v) {
  Attr a;
  a.name = std::move(name);
  a.type = fb::AttributeType::STRING;
  a.s = std::move(v);
  return a;
}

Attr Attr::Ints(std::string name, std::vector<int64_t> v) {
  Attr a;
  a.name = std::move(name);
  a.type = fb::AttributeType::INTS;
  a.ints = std::move(v);
  return a;
}

Attr Attr::Floats(std::string name, std::vector<float> v) {
  Attr a;
  a.name = std::move(name);
  a.type = fb::AttributeType::FLOATS;
  a.floats = std::move(v);
  return a;
}

ModelBuilder::ModelBuilder(PackageBuilder* package, std::string name, std::string march)
    : package_(package), name_(std::move(name)), march_(std::move(march)) {}

int32_t ModelBuilder::AddTensor(std::string name, std::vector<int64_t> shape, fb::DataType type,
                                runtime::QuantParams quant) {
  tensors_.push_back({std::move(name), std::move(shape), type, std::move(quant), -1});
  return static_cast<int32_t>(tensors_.size() - 1);
}

int32_t ModelBuilder::AddConstant(std::string name, std::vector<int64_t> shape, fb::DataType type,
                                  std::string bytes, runtime::QuantParams quant) {
  int32_t buffer = package_->AddBuffer(std::move(bytes));
  tensors_.push_back({std::move(name), std::move(shape), type, std::move(quant), buffer});
  return static_cast<int32_t>(tensors_.size() - 1);
}

int32_t ModelBuilder::AddTensorOnBuffer(std::string name, std::vector<int64_t> shape,
                                        fb::DataType type, int32_t buffer,
                                        runtime::QuantParams quant) {
  tensors_.push_back({std::move(name), std::move(shape), type, std::move(quant), buffer});
  return static_cast<int32_t>(tensors_.size() - 1);
}

uint32_t ModelBuilder::AddNode(std::string name, std::string op_type, std::vector<int32_t> inputs,
                               std::vector<int32_t> outputs, std::vector<Attr> attributes,
                               int32_t op_version, std::string domain) {
  nodes_.push_back({std::move(name), std::move(op_type), std::move(domain), op_version,
                    std::move(inputs), std::move(outputs), std::move(attributes)});
  return static_cast<uint32_t>(nodes_.size() - 1);
}

absl::StatusOr<ModelBuilder::IoRecord> ModelBuilder::MakeIo(int32_t tensor, IoSpec spec) const {
  if (tensor < 0 || static_cast<size_t>(tensor) >= tensors_.size()) {
    return Errorf(ErrorCode::kInvalidArgument, "model '", name_, "': tensor index ", tensor,
                  " outside [0, ", tensors_.size(), ")");
  }
  HB_ASSIGN_OR_RETURN(runtime::March march, runtime::ParseMarch(march_));
  if (spec.valid_shape.empty()) {
    for (int64_t d : tensors_[tensor].shape) spec.valid_shape.push_back(static_cast<int32_t>(d));
  }
  HB_ASSIGN_OR_RETURN(runtime::TensorGeometry geometry,
                      runtime::ComputeGeometry(march, spec.data_type, spec.layout, spec.valid_shape,
                                               spec.bpu_side));
  IoRecord record;
  record.tensor = tensor;
  runtime::IoTensor& io = record.io;
  io.name = spec.name.empty() ? tensors_[tensor].name : spec.name;
  io.tensor_index = tensor;
  io.valid_shape = spec.valid_shape;
  io.aligned_shape = geometry.aligned_shape;
  io.stride = geometry.stride;
  io.aligned_byte_size = geometry.aligned_byte_size;
  io.layout = spec.layout;
  io.data_type = spec.data_type;
  io.quant = std::move(spec.quant);
  io.input_source = spec.input_source;
  io.output_operator_type = spec.output_operator_type;
  io.desc = std::move(spec.desc);
  io.desc_type = spec.desc_type;
  return record;
}

absl::Status ModelBuilder::AddInput(int32_t tensor, IoSpec spec) {
  HB_ASSIGN_OR_RETURN(IoRecord record, MakeIo(tensor, std::move(spec)));
  inputs_.push_back(std::move(record));
  return absl::OkStatus();
}

absl::Status ModelBuilder::AddOutput(int32_t tensor, IoSpec spec) {
  HB_ASSIGN_OR_RETURN(IoRecord record, MakeIo(tensor, std::move(spec)));
  outputs_.push_back(std::move(record));
  return absl::OkStatus();
}

void ModelBuilder::AddCpuSegment(std::vector<uint32_t> nodes, std::string name) {
  segments_.push_back({std::move(name), fb::SegmentKind::CPU, std::move(nodes), {}, 1});
}

void ModelBuilder::AddBpuSegment(std::vector<FunctionCallSpec> function_calls, std::string name,
                                 int32_t core_num) {
  segments_.push_back(
      {std::move(name), fb::SegmentKind::BPU, {}, std::move(function_calls), core_num});
}

ModelBuilder& PackageBuilder::AddModel(std::string name, std::string march) {
  models_.push_back(ModelBuilder(this, std::move(name), std::move(march)));
  return models_.back();
}

int32_t PackageBuilder::AddBuffer(std::string bytes) {
  buffers_.push_back(std::move(bytes));
  return static_cast<int32_t>(buffers_.size() - 1);
}

namespace {

using flatbuffers::FlatBufferBuilder;
using flatbuffers::Offset;

Offset<fb::Quantization> WriteQuant(FlatBufferBuilder& b, const runtime::QuantParams& q) {
  if (q.type == fb::QuantiType::NONE && q.scale.empty() && q.shift.empty()) return 0;
  auto shift = q.shift.empty() ? 0 : b.CreateVector(q.shift);
  auto scale = q.scale.empty() ? 0 : b.CreateVector(q.scale);
  auto zero_point = q.zero_point.empty() ? 0 : b.CreateVector(q.zero_point);
  return fb::CreateQuantization(b, q.type, q.axis, shift, scale, zero_point);
}

Offset<fb::TensorDesc> WriteIo(FlatBufferBuilder& b, const runtime::IoTensor& io) {
  auto desc = io.desc.empty()
                  ? 0
                  : b.CreateVector(reinterpret_cast<const uint8_t*>(io.desc.data()), io.desc.size());
  return fb::CreateTensorDesc(b, b.CreateString(io.name), io.tensor_index,
                              b.CreateVector(io.valid_shape), b.CreateVector(io.aligned_shape),
                              b.CreateVector(io.stride), io.aligned_byte_size, io.layout,
                              io.data_type, WriteQuant(b, io.quant), io.input_source,
                              io.output_operator_type, desc, io.desc_type);
}

}  // namespace

absl::StatusOr<std::string> PackageBuilder::Serialize() const {
  // Buffer offsets depend on the FlatBuffer's size, which does not depend on their values
  // (fixed-size structs), so: build with placeholder offsets, measure, build again.
  auto build = [&](const std::vector<fb::Buffer>& buffer_table) {
    FlatBufferBuilder b(1 << 16);
    std::vector<Offset<fb::Model>> models;
    for (const ModelBuilder& m : models_) {
      std::vector<Offset<fb::Tensor>> tensors;
      for (const auto& t : m.tensors_) {
        tensors.push_back(fb::CreateTensor(b, b.CreateString(t.name), b.CreateVector(t.shape),
                                           t.type, WriteQuant(b, t.quant), t.buffer));
      }
      std::vector<Offset<fb::Node>> nodes;
      for (const auto& n : m.nodes_) {
        std::vector<Offset<fb::Attribute>> attrs;
        for (const Attr& a : n.attributes) {
          std::vector<Offset<flatbuffers::String>> strings;
          for (const std::string& s : a.strings) strings.push_back(b.CreateString(s));
          attrs.push_back(fb::CreateAttribute(
              b, b.CreateString(a.name), a.type, a.i, a.f, a.s.empty() ? 0 : b.CreateString(a.s),
              a.ints.empty() ? 0 : b.CreateVector(a.ints),
              a.floats.empty() ? 0 : b.CreateVector(a.floats),
              strings.empty() ? 0 : b.CreateVector(strings), a.tensor));
        }
        nodes.push_back(fb::CreateNode(b, b.CreateString(n.name), b.CreateString(n.op_type),
                                       n.domain.empty() ? 0 : b.CreateString(n.domain),
                                       n.op_version, b.CreateVector(attrs),
                                       b.CreateVector(n.inputs), b.CreateVector(n.outputs)));
      }
      std::vector<Offset<fb::Segment>> segments;
      for (const auto& s : m.segments_) {
        std::vector<Offset<fb::FunctionCall>> fcs;
        for (const auto& fc : s.function_calls) {
          fcs.push_back(fb::CreateFunctionCall(b, b.CreateVector(fc.nodes), fc.modelled_duration_us));
        }
        segments.push_back(fb::CreateSegment(
            b, s.name.empty() ? 0 : b.CreateString(s.name), s.kind,
            s.nodes.empty() ? 0 : b.CreateVector(s.nodes), fcs.empty() ? 0 : b.CreateVector(fcs),
            s.core_num));
      }
      std::vector<Offset<fb::TensorDesc>> inputs, outputs;
      for (const auto& r : m.inputs_) inputs.push_back(WriteIo(b, r.io));
      for (const auto& r : m.outputs_) outputs.push_back(WriteIo(b, r.io));
      std::vector<Offset<fb::InputPreprocess>> preprocess;
      for (const auto& p : m.preprocess_) {
        preprocess.push_back(fb::CreateInputPreprocess(
            b, p.input, b.CreateString(p.input_type_rt), b.CreateString(p.input_layout_rt),
            b.CreateString(p.input_type_train), b.CreateString(p.input_layout_train),
            b.CreateString(p.norm_type), b.CreateVector(p.mean), b.CreateVector(p.scale)));
      }
      std::vector<Offset<fb::KeyValue>> metadata;
      for (const auto& [key, value] : m.metadata_) {
        metadata.push_back(fb::CreateKeyValue(b, b.CreateString(key), b.CreateString(value)));
      }
      auto desc = m.desc_.empty() ? 0
                                  : b.CreateVector(reinterpret_cast<const uint8_t*>(m.desc_.data()),
                                                   m.desc_.size());
      models.push_back(fb::CreateModel(
          b, b.CreateString(m.name_), m.tag_.empty() ? 0 : b.CreateString(m.tag_), desc,
          m.desc_type_, b.CreateString(m.march_), b.CreateVector(tensors), b.CreateVector(nodes),
          b.CreateVector(segments), b.CreateVector(inputs), b.CreateVector(outputs),
          preprocess.empty() ? 0 : b.CreateVector(preprocess),
          metadata.empty() ? 0 : b.CreateVector(metadata)));
    }
    auto package = fb::CreatePackage(b, version_major_, version_minor_,
                                     b.CreateString("hb_dnn " HB_DNN_BUILDER_VERSION),
                                     b.CreateVector(models), b.CreateVectorOfStructs(buffer_table));
    fb::FinishSizePrefixedPackageBuffer(b, package);
    return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
  };

  std::vector<fb::Buffer> table(buffers_.size(), fb::Buffer(0, 0));
  size_t flat_size = build(table).size();
  uint64_t offset = RoundUp(flat_size, kBufferAlignment);
  for (size_t i = 0; i < buffers_.size(); ++i) {
    table[i] = fb::Buffer(offset, buffers_[i].size());
    offset = RoundUp(offset + buffers_[i].size(), kBufferAlignment);
  }
  std::string file = build(table);
  if (file.size() != flat_size) {
    return Error(ErrorCode::kInvalidModel, "model builder: description size changed between passes");
  }
  for (size_t i = 0; i < buffers_.size(); ++i) {
    file.resize(table[i].offset(), '\0');
    file += buffers_[i];
  }
  return file;
}

absl::Status PackageBuilder::WriteFile(const std::string& path) const {
  HB_ASSIGN_OR_RETURN(std::string bytes, Serialize());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return Errorf(ErrorCode::kCanNotOpenFile, "cannot write '", path, "'");
  return absl::OkStatus();
}

}  // namespace hb_dnn::tools
