#ifndef HB_DNN_TOOLS_ONNX_IMPORT_ONNX_PROTO_UTIL_H_
#define HB_DNN_TOOLS_ONNX_IMPORT_ONNX_PROTO_UTIL_H_

#include <string>

#include "absl/status/statusor.h"
#include "onnx/onnx_pb.h"
#include "src/kernels/attributes.h"
#include "src/kernels/tensor.h"

namespace hb_dnn::onnx_import {

// A tensor decoded from an onnx::TensorProto: dense little-endian row-major bytes.
struct DecodedTensor {
  std::string name;
  kernels::DType dtype = kernels::DType::kUndefined;
  kernels::Shape shape;
  std::string bytes;

  kernels::TensorInfo info() const { return {dtype, shape, bytes.data()}; }
};

// ONNX TensorProto.DataType -> our DType; kInvalidModel naming the type for strings, complex,
// bfloat16 and unknown values.
absl::StatusOr<kernels::DType> DTypeFromOnnx(int32_t elem_type);

// The inverse: our DType -> TensorProto.DataType (kInvalidModel for kUndefined).
absl::StatusOr<int32_t> OnnxTypeOf(kernels::DType dtype);

// Decodes typed fields or raw_data; rejects external data and size mismatches with the tensor's
// name in the message.
absl::StatusOr<DecodedTensor> DecodeTensor(const onnx::TensorProto& proto);

// Reads a serialized TensorProto file (the ONNX test-data input_N.pb / output_N.pb format).
absl::StatusOr<DecodedTensor> ReadTensorFile(const std::string& path);

// Reads a serialized ModelProto file; kCanNotOpenFile / kInvalidModel with the path.
absl::StatusOr<onnx::ModelProto> ReadModelFile(const std::string& path);

// A node's attributes as kernel Attributes (graph attributes are rejected, naming them).
absl::StatusOr<kernels::Attributes> DecodeAttributes(const onnx::NodeProto& node);

// The opset version the model imports for `domain` ("" and "ai.onnx" are the same domain);
// 0 when not imported.
int64_t OpsetVersion(const onnx::ModelProto& model, const std::string& domain);

}  // namespace hb_dnn::onnx_import

#endif  // HB_DNN_TOOLS_ONNX_IMPORT_ONNX_PROTO_UTIL_H_
