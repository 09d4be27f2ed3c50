#ifndef HB_DNN_TOOLS_HRT_MODEL_EXEC_TENSOR_GEOMETRY_H_
#define HB_DNN_TOOLS_HRT_MODEL_EXEC_TENSOR_GEOMETRY_H_

#include <cstdint>
#include <vector>

#include "hb_dnn/hb_dnn.h"

namespace hb_dnn::tools {

// Bytes per element of `tensor_type`: 1 for the image types and 8-bit types, 2, 4 or 8 for the
// wider ones. S4/U4 count as 1 (the tool handles them unpacked).
int ElementBytes(int32_t tensor_type);

bool IsImageType(int32_t tensor_type);

// Number of elements of `shape`.
int64_t ElementCount(const hbDNNTensorShape& shape);

// Bytes of the tensor's valid data stored without padding: elements * ElementBytes, or
// H*W*3/2 for NV12 (H, W read from the layout).
int64_t CompactByteSize(const hbDNNTensorProperties& properties);

// Byte stride of each dimension of the aligned buffer: the model's strides when it gives them
// (non-zero), else the compact strides of alignedShape.
std::vector<int64_t> ByteStrides(const hbDNNTensorProperties& properties);

}  // namespace hb_dnn::tools

#endif  // HB_DNN_TOOLS_HRT_MODEL_EXEC_TENSOR_GEOMETRY_H_
