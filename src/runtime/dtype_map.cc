#include "src/runtime/dtype_map.h"

#include "src/base/status.h"

namespace hb_dnn::runtime {

absl::StatusOr<kernels::DType> KernelDType(fb::DataType type) {
  using kernels::DType;
  switch (type) {
    case fb::DataType::S8: return DType::kI8;
    case fb::DataType::U8: return DType::kU8;
    case fb::DataType::F16: return DType::kF16;
    case fb::DataType::S16: return DType::kI16;
    case fb::DataType::U16: return DType::kU16;
    case fb::DataType::F32: return DType::kF32;
    case fb::DataType::S32: return DType::kI32;
    case fb::DataType::U32: return DType::kU32;
    case fb::DataType::F64: return DType::kF64;
    case fb::DataType::S64: return DType::kI64;
    case fb::DataType::U64: return DType::kU64;
    case fb::DataType::BOOL: return DType::kBool;
    default:
      break;
  }
  return Errorf(ErrorCode::kInvalidModel, "data type ", fb::EnumNameDataType(type),
                " has no CPU kernel representation");
}

absl::StatusOr<fb::DataType> ModelDataType(kernels::DType type) {
  using kernels::DType;
  switch (type) {
    case DType::kI8: return fb::DataType::S8;
    case DType::kU8: return fb::DataType::U8;
    case DType::kF16: return fb::DataType::F16;
    case DType::kI16: return fb::DataType::S16;
    case DType::kU16: return fb::DataType::U16;
    case DType::kF32: return fb::DataType::F32;
    case DType::kI32: return fb::DataType::S32;
    case DType::kU32: return fb::DataType::U32;
    case DType::kF64: return fb::DataType::F64;
    case DType::kI64: return fb::DataType::S64;
    case DType::kU64: return fb::DataType::U64;
    case DType::kBool: return fb::DataType::BOOL;
    case DType::kUndefined: break;
  }
  return Error(ErrorCode::kInvalidModel, "a tensor has no element type");
}

}  // namespace hb_dnn::runtime
