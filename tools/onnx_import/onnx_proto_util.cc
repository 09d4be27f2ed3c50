#include "tools/onnx_import/onnx_proto_util.h"

#include <cstring>
#include <fstream>
#include <sstream>

#include "src/base/status.h"
#include "src/base/status_macros.h"

namespace hb_dnn::onnx_import {
namespace {

using kernels::DType;

template <typename Dst, typename Field>
std::string PackAs(const Field& field) {
  std::string bytes(static_cast<size_t>(field.size()) * sizeof(Dst), '\0');
  Dst* out = reinterpret_cast<Dst*>(bytes.data());
  for (int i = 0; i < field.size(); ++i) out[i] = static_cast<Dst>(field.Get(i));
  return bytes;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Errorf(ErrorCode::kCanNotOpenFile, "cannot open '", path, "'");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

absl::StatusOr<DType> DTypeFromOnnx(int32_t elem_type) {
  switch (elem_type) {
    case onnx::TensorProto::FLOAT: return DType::kF32;
    case onnx::TensorProto::DOUBLE: return DType::kF64;
    case onnx::TensorProto::FLOAT16: return DType::kF16;
    case onnx::TensorProto::INT8: return DType::kI8;
    case onnx::TensorProto::UINT8: return DType::kU8;
    case onnx::TensorProto::INT16: return DType::kI16;
    case onnx::TensorProto::UINT16: return DType::kU16;
    case onnx::TensorProto::INT32: return DType::kI32;
    case onnx::TensorProto::UINT32: return DType::kU32;
    case onnx::TensorProto::INT64: return DType::kI64;
    case onnx::TensorProto::UINT64: return DType::kU64;
    case onnx::TensorProto::BOOL: return DType::kBool;
    default:
      break;
  }
  const char* name = onnx::TensorProto::DataType_IsValid(elem_type)
                         ? onnx::TensorProto::DataType_Name(
                               static_cast<onnx::TensorProto::DataType>(elem_type)).c_str()
                         : "unknown";
  return Errorf(ErrorCode::kInvalidModel, "tensor element type ", elem_type, " (", name,
                ") is not supported");
}

absl::StatusOr<int32_t> OnnxTypeOf(DType dtype) {
  switch (dtype) {
    case DType::kF32: return onnx::TensorProto::FLOAT;
    case DType::kF64: return onnx::TensorProto::DOUBLE;
    case DType::kF16: return onnx::TensorProto::FLOAT16;
    case DType::kI8: return onnx::TensorProto::INT8;
    case DType::kU8: return onnx::TensorProto::UINT8;
    case DType::kI16: return onnx::TensorProto::INT16;
    case DType::kU16: return onnx::TensorProto::UINT16;
    case DType::kI32: return onnx::TensorProto::INT32;
    case DType::kU32: return onnx::TensorProto::UINT32;
    case DType::kI64: return onnx::TensorProto::INT64;
    case DType::kU64: return onnx::TensorProto::UINT64;
    case DType::kBool: return onnx::TensorProto::BOOL;
    case DType::kUndefined: break;
  }
  return Error(ErrorCode::kInvalidModel, "a tensor has no element type");
}

absl::StatusOr<DecodedTensor> DecodeTensor(const onnx::TensorProto& proto) {
  DecodedTensor t;
  t.name = proto.name();
  HB_ASSIGN_OR_RETURN(t.dtype, DTypeFromOnnx(proto.data_type()));
  for (int64_t d : proto.dims()) {
    if (d < 0) return Errorf(ErrorCode::kInvalidModel, "tensor '", t.name, "' has dimension ", d);
    t.shape.push_back(d);
  }
  if (proto.data_location() == onnx::TensorProto::EXTERNAL) {
    return Errorf(ErrorCode::kInvalidModel, "tensor '", t.name,
                  "' uses external data, which is not supported: save the model with all "
                  "tensors inside the .onnx file");
  }
  if (proto.has_raw_data()) {
    t.bytes = proto.raw_data();
  } else {
    switch (t.dtype) {
      case DType::kF32: t.bytes = PackAs<float>(proto.float_data()); break;
      case DType::kF64: t.bytes = PackAs<double>(proto.double_data()); break;
      case DType::kI64: t.bytes = PackAs<int64_t>(proto.int64_data()); break;
      case DType::kU64: t.bytes = PackAs<uint64_t>(proto.uint64_data()); break;
      case DType::kU32: t.bytes = PackAs<uint32_t>(proto.uint64_data()); break;
      case DType::kI32: t.bytes = PackAs<int32_t>(proto.int32_data()); break;
      case DType::kI16: t.bytes = PackAs<int16_t>(proto.int32_data()); break;
      case DType::kU16:
      case DType::kF16: t.bytes = PackAs<uint16_t>(proto.int32_data()); break;
      case DType::kI8: t.bytes = PackAs<int8_t>(proto.int32_data()); break;
      case DType::kU8:
      case DType::kBool: t.bytes = PackAs<uint8_t>(proto.int32_data()); break;
      case DType::kUndefined: break;
    }
  }
  uint64_t expected = static_cast<uint64_t>(kernels::NumElements(t.shape)) * kernels::DTypeSize(t.dtype);
  if (t.bytes.size() != expected) {
    return Errorf(ErrorCode::kInvalidModel, "tensor '", t.name, "' of shape ",
                  kernels::ShapeString(t.shape), " and type ", kernels::DTypeName(t.dtype),
                  " has ", t.bytes.size(), " bytes of data, expected ", expected);
  }
  return t;
}

absl::StatusOr<DecodedTensor> ReadTensorFile(const std::string& path) {
  HB_ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
  onnx::TensorProto proto;
  if (!proto.ParseFromString(bytes)) {
    return Errorf(ErrorCode::kInvalidModel, "'", path, "' is not a serialized onnx TensorProto");
  }
  return DecodeTensor(proto);
}

absl::StatusOr<onnx::ModelProto> ReadModelFile(const std::string& path) {
  HB_ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes)) {
    return Errorf(ErrorCode::kInvalidModel, "'", path, "' is not an ONNX model (protobuf parse failed)");
  }
  return model;
}

absl::StatusOr<kernels::Attributes> DecodeAttributes(const onnx::NodeProto& node) {
  kernels::Attributes attrs;
  for (const onnx::AttributeProto& a : node.attribute()) {
    switch (a.type()) {
      case onnx::AttributeProto::INT: attrs.SetInt(a.name(), a.i()); break;
      case onnx::AttributeProto::FLOAT: attrs.SetFloat(a.name(), a.f()); break;
      case onnx::AttributeProto::STRING: attrs.SetString(a.name(), a.s()); break;
      case onnx::AttributeProto::INTS:
        attrs.SetInts(a.name(), std::vector<int64_t>(a.ints().begin(), a.ints().end()));
        break;
      case onnx::AttributeProto::FLOATS:
        attrs.SetFloats(a.name(), std::vector<float>(a.floats().begin(), a.floats().end()));
        break;
      case onnx::AttributeProto::STRINGS:
        attrs.SetStrings(a.name(), std::vector<std::string>(a.strings().begin(), a.strings().end()));
        break;
      case onnx::AttributeProto::TENSOR: {
        HB_ASSIGN_OR_RETURN(DecodedTensor t, DecodeTensor(a.t()));
        attrs.SetTensor(a.name(), {t.dtype, t.shape, std::move(t.bytes)});
        break;
      }
      default:
        return Errorf(ErrorCode::kInvalidModel, "node '", node.name(), "' (", node.op_type(),
                      "): attribute '", a.name(), "' of type ",
                      onnx::AttributeProto::AttributeType_Name(a.type()), " is not supported");
    }
  }
  return attrs;
}

int64_t OpsetVersion(const onnx::ModelProto& model, const std::string& domain) {
  bool default_domain = domain.empty() || domain == "ai.onnx";
  for (const onnx::OperatorSetIdProto& opset : model.opset_import()) {
    bool match = default_domain ? (opset.domain().empty() || opset.domain() == "ai.onnx")
                                : opset.domain() == domain;
    if (match) return opset.version();
  }
  return 0;
}

}  // namespace hb_dnn::onnx_import
