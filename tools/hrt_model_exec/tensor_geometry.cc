#include "tools/hrt_model_exec/tensor_geometry.h"

#include <cstddef>

namespace hb_dnn::tools {

int ElementBytes(int32_t tensor_type) {
  switch (tensor_type) {
    case HB_DNN_TENSOR_TYPE_F16:
    case HB_DNN_TENSOR_TYPE_S16:
    case HB_DNN_TENSOR_TYPE_U16:
      return 2;
    case HB_DNN_TENSOR_TYPE_F32:
    case HB_DNN_TENSOR_TYPE_S32:
    case HB_DNN_TENSOR_TYPE_U32:
      return 4;
    case HB_DNN_TENSOR_TYPE_F64:
    case HB_DNN_TENSOR_TYPE_S64:
    case HB_DNN_TENSOR_TYPE_U64:
      return 8;
    default:
      return 1;
  }
}

bool IsImageType(int32_t tensor_type) {
  return tensor_type >= HB_DNN_IMG_TYPE_Y && tensor_type <= HB_DNN_IMG_TYPE_BGR;
}

int64_t ElementCount(const hbDNNTensorShape& shape) {
  int64_t count = 1;
  for (int32_t i = 0; i < shape.numDimensions; ++i) count *= shape.dimensionSize[i];
  return count;
}

int64_t CompactByteSize(const hbDNNTensorProperties& properties) {
  const hbDNNTensorShape& shape = properties.validShape;
  if ((properties.tensorType == HB_DNN_IMG_TYPE_NV12 ||
       properties.tensorType == HB_DNN_IMG_TYPE_NV12_SEPARATE) &&
      shape.numDimensions == 4) {
    bool nhwc = properties.tensorLayout == HB_DNN_LAYOUT_NHWC;
    int64_t h = shape.dimensionSize[nhwc ? 1 : 2];
    int64_t w = shape.dimensionSize[nhwc ? 2 : 3];
    return shape.dimensionSize[0] * h * w * 3 / 2;
  }
  return ElementCount(shape) * ElementBytes(properties.tensorType);
}

std::vector<int64_t> ByteStrides(const hbDNNTensorProperties& properties) {
  const hbDNNTensorShape& shape = properties.alignedShape;
  std::vector<int64_t> strides(static_cast<size_t>(shape.numDimensions));
  bool given = shape.numDimensions > 0;
  for (int32_t i = 0; i < shape.numDimensions; ++i) given = given && properties.stride[i] != 0;
  int64_t next = ElementBytes(properties.tensorType);
  for (int32_t i = shape.numDimensions - 1; i >= 0; --i) {
    strides[static_cast<size_t>(i)] = given ? properties.stride[i] : next;
    next *= shape.dimensionSize[i];
  }
  return strides;
}

}  // namespace hb_dnn::tools
