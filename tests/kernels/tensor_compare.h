#ifndef HB_DNN_TESTS_KERNELS_TENSOR_COMPARE_H_
#define HB_DNN_TESTS_KERNELS_TENSOR_COMPARE_H_

#include <string>

#include "gtest/gtest.h"
#include "src/kernels/tensor.h"
#include "tools/onnx_import/onnx_proto_util.h"

namespace hb_dnn::testing {

// Element `i` of a tensor of `dtype` as a double (float16 decoded).
double ValueAt(kernels::DType dtype, const void* data, int64_t i);

// Compares a computed tensor with an expected one: same dtype and shape, float values within
// atol + rtol * |expected| (NaNs equal), integers exact. `what` prefixes the failure message,
// which lists the first mismatches.
::testing::AssertionResult CompareTensor(const std::string& what,
                                         const onnx_import::DecodedTensor& expected,
                                         kernels::DType dtype, const kernels::Shape& shape,
                                         const void* data, double rtol, double atol);

}  // namespace hb_dnn::testing

#endif  // HB_DNN_TESTS_KERNELS_TENSOR_COMPARE_H_
