#ifndef HB_DNN_TESTS_ONNX_IMPORT_TEST_KERNELS_H_
#define HB_DNN_TESTS_ONNX_IMPORT_TEST_KERNELS_H_

#include "src/kernels/op_registry.h"

namespace hb_dnn::testing {

// A small registry of plain kernels for the importer's tests, so they do not depend on the
// builtin kernels being complete. Ops (default domain, versions 1..17): Conv (2-D, NCHW, group,
// strides, pads, dilations), BatchNormalization, Relu, Add (broadcasting, float), Identity,
// Shape (does not compute its output in Prepare, exercising the importer's evaluation), Size
// (computes its output in Prepare), Gather, Unsqueeze (axes attribute before opset 13, input
// from 13), Concat, Reshape (0 and -1), MaxPool (2-D, ceil_mode), GlobalAveragePool, Flatten,
// Clip (attributes before opset 11, inputs from 11), Gemm, ConstantOfShape. Enough to run mobilenetv2, resnet18 and
// squeezenet1_1 of the shared model set.
const kernels::OpRegistry& TestRegistry();

}  // namespace hb_dnn::testing

#endif  // HB_DNN_TESTS_ONNX_IMPORT_TEST_KERNELS_H_
