// Registration list of the tensor kernel group: shape and data movement ops. Kernels move
// elements as bytes, so they accept every dtype unless noted (TopK, Range, ScatterElements
// reductions are typed). Version ranges follow the ONNX changelog; where an op's form changed
// (attribute -> input) the ranges are listed separately, served by one factory that reads
// `opset_version`.

#include "src/kernels/op_registry.h"
#include "src/kernels/reference/tensor_kernels.h"

namespace hb_dnn::kernels {

void RegisterTensorOps(OpRegistry* registry) {
  constexpr KernelVariant kRef = KernelVariant::kReference;
  registry->Add({"", "Identity", 1, 17, kRef, &CreateIdentityKernel});
  registry->Add({"", "Reshape", 5, 13, kRef, &CreateReshapeKernel});
  registry->Add({"", "Reshape", 14, 17, kRef, &CreateReshapeKernel});  // + allowzero
  registry->Add({"", "Flatten", 1, 17, kRef, &CreateFlattenKernel});
  registry->Add({"", "Squeeze", 1, 12, kRef, &CreateSqueezeKernel});     // axes attribute
  registry->Add({"", "Squeeze", 13, 17, kRef, &CreateSqueezeKernel});    // axes input
  registry->Add({"", "Unsqueeze", 1, 12, kRef, &CreateUnsqueezeKernel});  // axes attribute
  registry->Add({"", "Unsqueeze", 13, 17, kRef, &CreateUnsqueezeKernel});  // axes input
  registry->Add({"", "Concat", 4, 17, kRef, &CreateConcatKernel});
  registry->Add({"", "Split", 2, 12, kRef, &CreateSplitKernel});   // split attribute
  registry->Add({"", "Split", 13, 17, kRef, &CreateSplitKernel});  // split input
  registry->Add({"", "Slice", 1, 9, kRef, &CreateSliceKernel});    // starts/ends/axes attributes
  registry->Add({"", "Slice", 10, 17, kRef, &CreateSliceKernel});  // inputs, + steps
  registry->Add({"", "Transpose", 1, 17, kRef, &CreateTransposeKernel});
  registry->Add({"", "DepthToSpace", 1, 10, kRef, &CreateDepthToSpaceKernel});
  registry->Add({"", "DepthToSpace", 11, 17, kRef, &CreateDepthToSpaceKernel});  // + mode
  registry->Add({"", "SpaceToDepth", 1, 17, kRef, &CreateSpaceToDepthKernel});
  registry->Add({"", "Expand", 8, 17, kRef, &CreateExpandKernel});
  registry->Add({"", "Tile", 6, 17, kRef, &CreateTileKernel});
  registry->Add({"", "Gather", 1, 17, kRef, &CreateGatherKernel});
  registry->Add({"", "GatherElements", 11, 17, kRef, &CreateGatherElementsKernel});
  registry->Add({"", "Scatter", 9, 10, kRef, &CreateScatterKernel});
  registry->Add({"", "ScatterElements", 11, 15, kRef, &CreateScatterElementsKernel});
  registry->Add({"", "ScatterElements", 16, 17, kRef,
                 &CreateScatterElementsKernel});  // + reduction
  registry->Add({"", "GatherND", 11, 11, kRef, &CreateGatherNdKernel});
  registry->Add({"", "GatherND", 12, 17, kRef, &CreateGatherNdKernel});  // + batch_dims
  registry->Add({"", "ScatterND", 11, 15, kRef, &CreateScatterNdKernel});
  registry->Add({"", "ScatterND", 16, 17, kRef, &CreateScatterNdKernel});  // + reduction
  registry->Add({"", "Shape", 1, 14, kRef, &CreateShapeKernel});
  registry->Add({"", "Shape", 15, 17, kRef, &CreateShapeKernel});  // + start/end
  registry->Add({"", "Size", 1, 17, kRef, &CreateSizeKernel});
  registry->Add({"", "ConstantOfShape", 9, 17, kRef, &CreateConstantOfShapeKernel});
  registry->Add({"", "Range", 11, 17, kRef, &CreateRangeKernel});
  registry->Add({"", "TopK", 1, 9, kRef, &CreateTopKKernel});    // k attribute
  registry->Add({"", "TopK", 10, 17, kRef, &CreateTopKKernel});  // k input (+ largest/sorted: 11)
}

}  // namespace hb_dnn::kernels
