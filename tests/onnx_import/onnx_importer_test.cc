#include "tools/onnx_import/onnx_importer.h"

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/status.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/op_registry.h"
#include "tests/onnx_import/import_test_util.h"
#include "tests/onnx_import/test_kernels.h"
#include "tests/testing/test_models.h"

namespace hb_dnn::onnx_import {
namespace {

using ::hb_dnn::testing::AddGraphInput;
using ::hb_dnn::testing::AddGraphOutput;
using ::hb_dnn::testing::AddInitializer;
using ::hb_dnn::testing::AddNode;
using ::hb_dnn::testing::BytesOf;
using ::hb_dnn::testing::LoadedPackage;
using ::hb_dnn::testing::MakeFloatTensor;
using ::hb_dnn::testing::MakeInt64Tensor;
using ::hb_dnn::testing::NewOnnxModel;
using ::hb_dnn::testing::RunModel;
using ::hb_dnn::testing::SetDimParam;
using ::hb_dnn::testing::SetFloatAttr;
using ::hb_dnn::testing::SetFloatsAttr;
using ::hb_dnn::testing::SetIntAttr;
using ::hb_dnn::testing::SetIntsAttr;
using ::hb_dnn::testing::SetTensorAttr;
using ::hb_dnn::testing::TestRegistry;
using ::hb_dnn::testing::ValuesOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

ImportOptions TestOptions() {
  ImportOptions options;
  options.registry = &TestRegistry();
  return options;
}

// An import into a fresh package, checked by the runtime loader's verifier.
struct Imported {
  ImportReport report;
  LoadedPackage package;
  const fb::Model* model() const { return package.model(0); }
};

absl::StatusOr<Imported> Import(const onnx::ModelProto& model,
                                const ImportOptions& options = TestOptions()) {
  tools::PackageBuilder package;
  absl::StatusOr<ImportReport> report = ImportOnnx(model, options, &package);
  if (!report.ok()) return report.status();
  absl::StatusOr<LoadedPackage> loaded = LoadedPackage::From(package);
  if (!loaded.ok()) return loaded.status();
  return Imported{std::move(*report), std::move(*loaded)};
}

// The import's error message (empty when it succeeded).
std::string ImportError(const onnx::ModelProto& model,
                        const ImportOptions& options = TestOptions()) {
  tools::PackageBuilder package;
  absl::StatusOr<ImportReport> report = ImportOnnx(model, options, &package);
  return report.ok() ? std::string() : std::string(report.status().message());
}

std::vector<float> Ramp(size_t count, float scale, float offset) {
  std::vector<float> values(count);
  for (size_t i = 0; i < count; ++i) {
    values[i] = scale * std::sin(0.7f * static_cast<float>(i) + 0.3f) + offset;
  }
  return values;
}

// ---- Conv + BatchNormalization + Relu ------------------------------------------------------

struct ConvBnParams {
  std::vector<float> w = Ramp(3 * 2 * 3 * 3, 0.5f, 0.0f);
  std::vector<float> b = {0.1f, -0.2f, 0.3f};
  std::vector<float> scale = {1.5f, 0.5f, -0.75f};
  std::vector<float> beta = {0.05f, 0.0f, -0.1f};
  std::vector<float> mean = {0.2f, -0.1f, 0.4f};
  std::vector<float> var = {0.9f, 1.7f, 0.25f};
  float epsilon = 1e-3f;
};

onnx::ModelProto ConvBnReluModel(const ConvBnParams& p, bool second_reader = false) {
  onnx::ModelProto model = NewOnnxModel(13);
  AddGraphInput(&model, "x", {1, 2, 5, 5});
  AddInitializer(&model, MakeFloatTensor("W", {3, 2, 3, 3}, p.w));
  AddInitializer(&model, MakeFloatTensor("B", {3}, p.b));
  AddInitializer(&model, MakeFloatTensor("bn_scale", {3}, p.scale));
  AddInitializer(&model, MakeFloatTensor("bn_bias", {3}, p.beta));
  AddInitializer(&model, MakeFloatTensor("bn_mean", {3}, p.mean));
  AddInitializer(&model, MakeFloatTensor("bn_var", {3}, p.var));
  onnx::NodeProto* conv = AddNode(&model, "Conv", {"x", "W", "B"}, {"conv_out"}, "conv1");
  SetIntsAttr(conv, "pads", {1, 1, 1, 1});
  SetIntsAttr(conv, "kernel_shape", {3, 3});
  onnx::NodeProto* bn =
      AddNode(&model, "BatchNormalization",
              {"conv_out", "bn_scale", "bn_bias", "bn_mean", "bn_var"}, {"bn_out"}, "bn1");
  SetFloatAttr(bn, "epsilon", p.epsilon);
  AddNode(&model, "Relu", {"bn_out"}, {"y"}, "relu1");
  AddGraphOutput(&model, "y", {1, 3, 5, 5});
  if (second_reader) {
    AddNode(&model, "Relu", {"conv_out"}, {"y2"}, "relu2");
    AddGraphOutput(&model, "y2", {1, 3, 5, 5});
  }
  return model;
}

TEST(OnnxImporterTest, FusesBatchNormIntoConv) {
  ConvBnParams p;
  ImportOptions options = TestOptions();
  options.fuse_activations = false;  // this test is about BatchNormalization alone
  absl::StatusOr<Imported> imported = Import(ConvBnReluModel(p), options);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->report.nodes_in, 3);
  EXPECT_EQ(imported->report.nodes_out, 2);
  EXPECT_EQ(imported->report.fused_batchnorms, 1);
  const fb::Model* model = imported->model();
  EXPECT_THAT(LoadedPackage::OpTypes(model), ElementsAre("Conv", "Relu"));

  const fb::Node* conv = model->nodes()->Get(0);
  ASSERT_EQ(conv->inputs()->size(), 3u);
  std::vector<float> w = imported->package.Constant<float>(model, conv->inputs()->Get(1));
  std::vector<float> b = imported->package.Constant<float>(model, conv->inputs()->Get(2));
  ASSERT_EQ(w.size(), p.w.size());
  ASSERT_EQ(b.size(), 3u);
  for (int m = 0; m < 3; ++m) {
    double s = p.scale[m] / std::sqrt(static_cast<double>(p.var[m]) + p.epsilon);
    for (int e = 0; e < 18; ++e) {
      EXPECT_NEAR(w[m * 18 + e], p.w[m * 18 + e] * s, 1e-6) << "W[" << m << "][" << e << "]";
    }
    EXPECT_NEAR(b[m], (p.b[m] - p.mean[m]) * s + p.beta[m], 1e-6) << "B[" << m << "]";
  }
  // The Conv now writes the BatchNormalization's output; the old weights are gone.
  EXPECT_EQ(model->tensors()->Get(conv->outputs()->Get(0))->name()->str(), "bn_out");
  EXPECT_EQ(LoadedPackage::TensorIndex(model, "W"), -1);
  EXPECT_EQ(LoadedPackage::TensorIndex(model, "bn_scale"), -1);
  EXPECT_EQ(LoadedPackage::TensorIndex(model, "conv_out"), -1);
}

TEST(OnnxImporterTest, FusedBatchNormPreservesNumerics) {
  ConvBnParams p;
  ImportOptions unfused_options = TestOptions();
  unfused_options.fuse_batchnorm = false;
  absl::StatusOr<Imported> fused = Import(ConvBnReluModel(p));
  absl::StatusOr<Imported> unfused = Import(ConvBnReluModel(p), unfused_options);
  ASSERT_TRUE(fused.ok()) << fused.status();
  ASSERT_TRUE(unfused.ok()) << unfused.status();
  EXPECT_EQ(unfused->report.fused_batchnorms, 0);
  EXPECT_THAT(LoadedPackage::OpTypes(unfused->model()),
              ElementsAre("Conv", "BatchNormalization", "Relu"));

  std::string input = BytesOf(Ramp(50, 2.0f, 0.1f));
  auto a = RunModel(fused->package, 0, TestRegistry(), {input});
  auto b = RunModel(unfused->package, 0, TestRegistry(), {input});
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  std::vector<float> ya = ValuesOf<float>((*a)[0]);
  std::vector<float> yb = ValuesOf<float>((*b)[0]);
  ASSERT_EQ(ya.size(), 75u);
  ASSERT_EQ(yb.size(), 75u);
  int positive = 0;
  for (size_t i = 0; i < ya.size(); ++i) {
    EXPECT_NEAR(ya[i], yb[i], 1e-5) << i;
    if (yb[i] > 0) ++positive;
  }
  EXPECT_GT(positive, 10);  // the comparison is not all Relu zeros
}

TEST(OnnxImporterTest, FusesReluIntoConvAndPreservesNumerics) {
  ConvBnParams p;
  ImportOptions separate = TestOptions();
  separate.fuse_activations = false;
  absl::StatusOr<Imported> fused = Import(ConvBnReluModel(p));
  absl::StatusOr<Imported> unfused = Import(ConvBnReluModel(p), separate);
  ASSERT_TRUE(fused.ok()) << fused.status();
  ASSERT_TRUE(unfused.ok()) << unfused.status();
  EXPECT_EQ(fused->report.fused_activations, 1);
  EXPECT_EQ(unfused->report.fused_activations, 0);
  EXPECT_THAT(LoadedPackage::OpTypes(fused->model()), ElementsAre("Conv"));
  EXPECT_THAT(LoadedPackage::OpTypes(unfused->model()), ElementsAre("Conv", "Relu"));
  const fb::Node* conv = fused->model()->nodes()->Get(0);
  bool has_clamp = false;
  for (const fb::Attribute* a : *conv->attributes()) {
    if (a->name()->str() != kernels::kFusedClampAttribute) continue;
    has_clamp = true;
    ASSERT_EQ(a->floats()->size(), 2u);
    EXPECT_EQ(a->floats()->Get(0), 0.0f);
    EXPECT_EQ(a->floats()->Get(1), std::numeric_limits<float>::infinity());
  }
  EXPECT_TRUE(has_clamp);
  std::string input = BytesOf(Ramp(50, 2.0f, 0.1f));
  auto a = RunModel(fused->package, 0, TestRegistry(), {input});
  auto b = RunModel(unfused->package, 0, TestRegistry(), {input});
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(ValuesOf<float>((*a)[0]), ValuesOf<float>((*b)[0]));
}

TEST(OnnxImporterTest, FusesClipWithConstantBoundsOnly) {
  auto model_with_clip = [](bool constant_bounds) {
    onnx::ModelProto model = NewOnnxModel(13);
    AddGraphInput(&model, "x", {1, 2, 5, 5});
    AddInitializer(&model, MakeFloatTensor("W", {3, 2, 3, 3}, Ramp(54, 0.5f, 0.0f)));
    AddInitializer(&model, MakeFloatTensor("lo", {}, {0.0f}));
    if (constant_bounds) {
      AddInitializer(&model, MakeFloatTensor("hi", {}, {0.5f}));
    } else {
      AddGraphInput(&model, "hi", {});
    }
    onnx::NodeProto* conv = AddNode(&model, "Conv", {"x", "W"}, {"c"}, "conv1");
    SetIntsAttr(conv, "pads", {1, 1, 1, 1});
    AddNode(&model, "Clip", {"c", "lo", "hi"}, {"y"}, "relu6");
    AddGraphOutput(&model, "y", {1, 3, 5, 5});
    return model;
  };
  absl::StatusOr<Imported> fused = Import(model_with_clip(true));
  ASSERT_TRUE(fused.ok()) << fused.status();
  EXPECT_EQ(fused->report.fused_activations, 1);
  EXPECT_THAT(LoadedPackage::OpTypes(fused->model()), ElementsAre("Conv"));
  std::string input = BytesOf(Ramp(50, 2.0f, 0.1f));
  auto y = RunModel(fused->package, 0, TestRegistry(), {input});
  ASSERT_TRUE(y.ok()) << y.status();
  int clipped = 0;
  for (float v : ValuesOf<float>((*y)[0])) {
    EXPECT_GE(v, 0.0f);
    EXPECT_LE(v, 0.5f);
    clipped += v == 0.5f;
  }
  EXPECT_GT(clipped, 0);
  // Run-time bounds: the builtin Clip accepts them (the test kernels do not), and the Clip stays.
  ImportOptions builtin = TestOptions();
  builtin.registry = &kernels::OpRegistry::Builtin();
  absl::StatusOr<Imported> dynamic = Import(model_with_clip(false), builtin);
  ASSERT_TRUE(dynamic.ok()) << dynamic.status();
  EXPECT_EQ(dynamic->report.fused_activations, 0);
  EXPECT_THAT(LoadedPackage::OpTypes(dynamic->model()), ElementsAre("Conv", "Clip"));
}

TEST(OnnxImporterTest, DoesNotFuseWhenConvOutputHasAnotherReader) {
  absl::StatusOr<Imported> imported = Import(ConvBnReluModel(ConvBnParams(), true));
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->report.fused_batchnorms, 0);
  EXPECT_THAT(LoadedPackage::OpTypes(imported->model()),
              ElementsAre("Conv", "BatchNormalization", "Relu", "Relu"));
}

TEST(OnnxImporterTest, DoesNotFuseTrainingModeBatchNorm) {
  onnx::ModelProto model = ConvBnReluModel(ConvBnParams());
  model.mutable_opset_import(0)->set_version(15);
  SetIntAttr(model.mutable_graph()->mutable_node(1), "training_mode", 1);
  absl::StatusOr<Imported> imported = Import(model);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->report.fused_batchnorms, 0);
}

// ---- Constant folding ------------------------------------------------------------------------

// x (2,3,4) -> Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [-1])) = (2,12).
onnx::ModelProto ShapeChainModel(int64_t opset) {
  onnx::ModelProto model = NewOnnxModel(opset);
  AddGraphInput(&model, "x", {2, 3, 4});
  AddInitializer(&model, MakeInt64Tensor("zero", {}, {0}));
  AddInitializer(&model, MakeInt64Tensor("minus_one", {1}, {-1}));
  AddNode(&model, "Shape", {"x"}, {"shape"}, "Shape_0");
  AddNode(&model, "Gather", {"shape", "zero"}, {"batch"}, "Gather_1");
  if (opset >= 13) {
    AddInitializer(&model, MakeInt64Tensor("axes0", {1}, {0}));
    AddNode(&model, "Unsqueeze", {"batch", "axes0"}, {"batch_1d"}, "Unsqueeze_2");
  } else {
    SetIntsAttr(AddNode(&model, "Unsqueeze", {"batch"}, {"batch_1d"}, "Unsqueeze_2"), "axes", {0});
  }
  SetIntAttr(AddNode(&model, "Concat", {"batch_1d", "minus_one"}, {"new_shape"}, "Concat_3"),
             "axis", 0);
  AddNode(&model, "Reshape", {"x", "new_shape"}, {"y"}, "Reshape_4");
  AddGraphOutput(&model, "y", {2, 12});
  return model;
}

TEST(OnnxImporterTest, ShapeChainFoldsAway) {
  for (int64_t opset : {11, 13, 17}) {
    SCOPED_TRACE(opset);
    absl::StatusOr<Imported> imported = Import(ShapeChainModel(opset));
    ASSERT_TRUE(imported.ok()) << imported.status();
    const fb::Model* model = imported->model();
    EXPECT_THAT(LoadedPackage::OpTypes(model), ElementsAre("Reshape"));
    EXPECT_EQ(imported->report.folded_constants, 4);
    EXPECT_EQ(imported->report.nodes_out, 1);
    const fb::Node* reshape = model->nodes()->Get(0);
    EXPECT_EQ(reshape->op_version(), opset);
    EXPECT_THAT(imported->package.Constant<int64_t>(model, reshape->inputs()->Get(1)),
                ElementsAre(2, -1));
    EXPECT_THAT(
        std::vector<int64_t>(model->tensors()->Get(reshape->outputs()->Get(0))->shape()->begin(),
                             model->tensors()->Get(reshape->outputs()->Get(0))->shape()->end()),
        ElementsAre(2, 12));
    // Only what the Reshape reads remains: x, its shape constant and y.
    EXPECT_EQ(model->tensors()->size(), 3u);
  }
}

TEST(OnnxImporterTest, NoFoldKeepsNodesButStillInfersShapes) {
  ImportOptions options = TestOptions();
  options.fold_constants = false;
  absl::StatusOr<Imported> imported = Import(ShapeChainModel(13), options);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_THAT(LoadedPackage::OpTypes(imported->model()),
              ElementsAre("Shape", "Gather", "Unsqueeze", "Concat", "Reshape"));
  EXPECT_EQ(imported->report.folded_constants, 0);
  EXPECT_EQ(LoadedPackage::Metadata(imported->model(), "fold_constants"), "false");
}

// A kept node with a tensor attribute: the value becomes a constant the attribute refers to.
TEST(OnnxImporterTest, TensorAttributesBecomeConstants) {
  onnx::ModelProto model = NewOnnxModel(13);
  AddGraphInput(&model, "x", {2, 3});
  AddInitializer(&model, MakeInt64Tensor("shape", {2}, {2, 3}));
  SetTensorAttr(AddNode(&model, "ConstantOfShape", {"shape"}, {"filled"}, "fill"), "value",
                MakeFloatTensor("", {1}, {1.5f}));
  AddNode(&model, "Add", {"x", "filled"}, {"y"}, "add");
  AddGraphOutput(&model, "y", {2, 3});
  ImportOptions options = TestOptions();
  options.fold_constants = false;
  absl::StatusOr<Imported> imported = Import(model, options);
  ASSERT_TRUE(imported.ok()) << imported.status();
  const fb::Model* m = imported->model();
  ASSERT_THAT(LoadedPackage::OpTypes(m), ElementsAre("ConstantOfShape", "Add"));
  const fb::Attribute* value = m->nodes()->Get(0)->attributes()->Get(0);
  EXPECT_EQ(value->name()->str(), "value");
  ASSERT_EQ(value->type(), fb::AttributeType::TENSOR);
  EXPECT_EQ(m->tensors()->Get(value->tensor())->name()->str(), "fill_value");
  EXPECT_THAT(imported->package.Constant<float>(m, value->tensor()), ElementsAre(1.5f));
  auto outputs =
      RunModel(imported->package, 0, TestRegistry(), {BytesOf(std::vector<float>(6, 1))});
  ASSERT_TRUE(outputs.ok()) << outputs.status();
  EXPECT_THAT(ValuesOf<float>((*outputs)[0]), ::testing::Each(2.5f));

  // Folded by default.
  absl::StatusOr<Imported> folded = Import(model);
  ASSERT_TRUE(folded.ok()) << folded.status();
  EXPECT_THAT(LoadedPackage::OpTypes(folded->model()), ElementsAre("Add"));
}

TEST(OnnxImporterTest, SizeComputedInPrepareFolds) {
  onnx::ModelProto model = NewOnnxModel(13);
  AddGraphInput(&model, "x", {2, 3, 4});
  AddInitializer(&model, MakeInt64Tensor("axes0", {1}, {0}));
  AddNode(&model, "Size", {"x"}, {"n"});
  AddNode(&model, "Unsqueeze", {"n", "axes0"}, {"n_1d"});
  AddNode(&model, "Reshape", {"x", "n_1d"}, {"y"});
  AddGraphOutput(&model, "y", {24});
  absl::StatusOr<Imported> imported = Import(model);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_THAT(LoadedPackage::OpTypes(imported->model()), ElementsAre("Reshape"));
  const fb::Node* reshape = imported->model()->nodes()->Get(0);
  EXPECT_THAT(imported->package.Constant<int64_t>(imported->model(), reshape->inputs()->Get(1)),
              ElementsAre(24));
  // Unnamed nodes get generated, unique names.
  EXPECT_EQ(reshape->name()->str(), "Reshape_2");
}

TEST(OnnxImporterTest, ConstantNodesBecomeConstants) {
  onnx::ModelProto model = NewOnnxModel(13);
  AddGraphInput(&model, "x", {1, 3, 2, 2});
  SetTensorAttr(AddNode(&model, "Constant", {}, {"c_tensor"}, "c0"), "value",
                MakeFloatTensor("", {1, 3, 1, 1}, {1.0f, 2.0f, 3.0f}));
  SetFloatAttr(AddNode(&model, "Constant", {}, {"c_float"}, "c1"), "value_float", 0.5f);
  SetFloatsAttr(AddNode(&model, "Constant", {}, {"c_floats"}, "c2"), "value_floats",
                {10.0f, 20.0f});
  SetIntsAttr(AddNode(&model, "Constant", {}, {"c_ints"}, "c3"), "value_ints", {1, 3, 4});
  SetIntAttr(AddNode(&model, "Constant", {}, {"c_unused"}, "c4"), "value_int", 7);
  AddNode(&model, "Add", {"x", "c_tensor"}, {"a"}, "add0");
  AddNode(&model, "Add", {"a", "c_float"}, {"b"}, "add1");
  AddNode(&model, "Reshape", {"b", "c_ints"}, {"y"}, "reshape");
  AddNode(&model, "Add", {"c_floats", "c_floats"}, {"z"}, "add_constants");
  AddGraphOutput(&model, "y", {1, 3, 4});
  AddGraphOutput(&model, "z", {2});
  absl::StatusOr<Imported> imported = Import(model);
  ASSERT_TRUE(imported.ok()) << imported.status();
  const fb::Model* m = imported->model();
  // Constant nodes and the all-constant Add fold; the constant output gets an Identity.
  EXPECT_THAT(LoadedPackage::OpTypes(m), ElementsAre("Add", "Add", "Reshape", "Identity"));
  EXPECT_EQ(imported->report.folded_constants, 6);
  EXPECT_EQ(LoadedPackage::TensorIndex(m, "c_unused"), -1);
  int c_float = LoadedPackage::TensorIndex(m, "c_float");
  ASSERT_GE(c_float, 0);
  EXPECT_EQ(m->tensors()->Get(c_float)->shape()->size(), 0u);
  EXPECT_THAT(imported->package.Constant<float>(m, c_float), ElementsAre(0.5f));

  std::vector<float> x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  auto outputs = RunModel(imported->package, 0, TestRegistry(), {BytesOf(x)});
  ASSERT_TRUE(outputs.ok()) << outputs.status();
  std::vector<float> y = ValuesOf<float>((*outputs)[0]);
  ASSERT_EQ(y.size(), 12u);
  for (int i = 0; i < 12; ++i) EXPECT_FLOAT_EQ(y[i], x[i] + static_cast<float>(i / 4 + 1) + 0.5f);
  EXPECT_THAT(ValuesOf<float>((*outputs)[1]), ElementsAre(20.0f, 40.0f));
  EXPECT_EQ(m->outputs()->Get(1)->name()->str(), "z");
}

TEST(OnnxImporterTest, RejectsStringConstant) {
  onnx::ModelProto model = NewOnnxModel(13);
  AddGraphInput(&model, "x", {2});
  onnx::NodeProto* node = AddNode(&model, "Constant", {}, {"s"}, "str_const");
  onnx::AttributeProto* attr = node->add_attribute();
  attr->set_name("value_string");
  attr->set_type(onnx::AttributeProto::STRING);
  attr->set_s("hello");
  AddNode(&model, "Relu", {"x"}, {"y"});
  AddGraphOutput(&model, "y", {2});
  EXPECT_THAT(ImportError(model), HasSubstr("node 'str_const' (Constant, opset 13): attribute "
                                            "'value_string' is not supported"));
}

TEST(OnnxImporterTest, IdentityOfInitializerFolds) {
  onnx::ModelProto model = NewOnnxModel(13);
  AddGraphInput(&model, "x", {3});
  AddInitializer(&model, MakeFloatTensor("w", {3}, {1, 2, 3}));
  AddNode(&model, "Identity", {"w"}, {"w_copy"}, "id_w");
  AddNode(&model, "Add", {"x", "w_copy"}, {"y"}, "add");
  AddGraphOutput(&model, "y", {3});
  absl::StatusOr<Imported> imported = Import(model);
  ASSERT_TRUE(imported.ok()) << imported.status();
  const fb::Model* m = imported->model();
  EXPECT_THAT(LoadedPackage::OpTypes(m), ElementsAre("Add"));
  EXPECT_EQ(imported->report.folded_constants, 1);
  const fb::Node* add = m->nodes()->Get(0);
  EXPECT_THAT(imported->package.Constant<float>(m, add->inputs()->Get(1)), ElementsAre(1, 2, 3));
}

TEST(OnnxImporterTest, IdentityOfRunTimeValueIsBypassedUnlessItIsAnOutput) {
  onnx::ModelProto model = NewOnnxModel(13);
  AddGraphInput(&model, "x", {3});
  AddNode(&model, "Identity", {"x"}, {"x_copy"}, "id_in");
  AddNode(&model, "Relu", {"x_copy"}, {"r"}, "relu");
  AddNode(&model, "Identity", {"r"}, {"y"}, "id_out");
  AddGraphOutput(&model, "y", {3});
  absl::StatusOr<Imported> imported = Import(model);
  ASSERT_TRUE(imported.ok()) << imported.status();
  const fb::Model* m = imported->model();
  EXPECT_THAT(LoadedPackage::OpTypes(m), ElementsAre("Relu", "Identity"));
  EXPECT_EQ(m->tensors()->Get(m->nodes()->Get(0)->inputs()->Get(0))->name()->str(), "x");
}

TEST(OnnxImporterTest, OutputThatIsAnInputGetsAnIdentity) {
  onnx::ModelProto model = NewOnnxModel(13);
  AddGraphInput(&model, "x", {1, 2, 2, 2});
  AddGraphOutput(&model, "x", {1, 2, 2, 2});
  absl::StatusOr<Imported> imported = Import(model);
  ASSERT_TRUE(imported.ok()) << imported.status();
  const fb::Model* m = imported->model();
  EXPECT_THAT(LoadedPackage::OpTypes(m), ElementsAre("Identity"));
  EXPECT_EQ(m->inputs()->Get(0)->name()->str(), "x");
  EXPECT_EQ(m->outputs()->Get(0)->name()->str(), "x");
  EXPECT_NE(m->outputs()->Get(0)->tensor(), m->inputs()->Get(0)->tensor());
  std::vector<float> x = Ramp(8, 1.0f, 0.0f);
  auto outputs = RunModel(imported->package, 0, TestRegistry(), {BytesOf(x)});
  ASSERT_TRUE(outputs.ok()) << outputs.status();
  EXPECT_EQ(ValuesOf<float>((*outputs)[0]), x);
}

TEST(OnnxImporterTest, OutputThatIsAConstantGetsAnIdentity) {
  onnx::ModelProto model = NewOnnxModel(13);
  AddGraphInput(&model, "x", {2});
  AddInitializer(&model, MakeFloatTensor("c", {2}, {4, 5}));
  AddGraphOutput(&model, "c", {2});
  absl::StatusOr<Imported> imported = Import(model);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_THAT(LoadedPackage::OpTypes(imported->model()), ElementsAre("Identity"));
  auto outputs =
      RunModel(imported->package, 0, TestRegistry(), {BytesOf(std::vector<float>{0, 0})});
  ASSERT_TRUE(outputs.ok()) << outputs.status();
  EXPECT_THAT(ValuesOf<float>((*outputs)[0]), ElementsAre(4, 5));
}

TEST(OnnxImporterTest, InitializersListedAsInputsAreConstants) {
  onnx::ModelProto model = NewOnnxModel(9);
  model.set_ir_version(3);
  AddGraphInput(&model, "x", {3});
  AddGraphInput(&model, "w", {3});
  AddInitializer(&model, MakeFloatTensor("w", {3}, {1, 1, 1}));
  AddNode(&model, "Add", {"x", "w"}, {"y"});
  AddGraphOutput(&model, "y", {3});
  absl::StatusOr<Imported> imported = Import(model);
  ASSERT_TRUE(imported.ok()) << imported.status();
  const fb::Model* m = imported->model();
  ASSERT_EQ(m->inputs()->size(), 1u);
  EXPECT_EQ(m->inputs()->Get(0)->name()->str(), "x");
  EXPECT_GE(imported->package.package()->buffers()->size(), 1u);
  EXPECT_GE(m->tensors()->Get(LoadedPackage::TensorIndex(m, "w"))->buffer(), 0);
}

TEST(OnnxImporterTest, RemovesDeadNodesAndUnusedInitializers) {
  onnx::ModelProto model = NewOnnxModel(13);
  AddGraphInput(&model, "x", {3});
  AddInitializer(&model, MakeFloatTensor("w", {3}, {1, 2, 3}));
  AddInitializer(&model, MakeFloatTensor("never_read", {1}, {1}));
  AddNode(&model, "Add", {"x", "w"}, {"dead"}, "dead_add");
  AddNode(&model, "Relu", {"x"}, {"y"}, "relu");
  AddGraphOutput(&model, "y", {3});
  absl::StatusOr<Imported> imported = Import(model);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_THAT(LoadedPackage::OpTypes(imported->model()), ElementsAre("Relu"));
  EXPECT_EQ(LoadedPackage::TensorIndex(imported->model(), "w"), -1);
  EXPECT_EQ(LoadedPackage::TensorIndex(imported->model(), "dead"), -1);
  EXPECT_THAT(imported->report.notes, Contains(HasSubstr("removed 1 nodes")));
}

// ---- Inputs, outputs and metadata --------------------------------------------------------------

onnx::ModelProto DynamicBatchModel() {
  onnx::ModelProto model = NewOnnxModel(13);
  SetDimParam(AddGraphInput(&model, "x", {1, 3, 4, 4}), 0, "batch");
  AddNode(&model, "Relu", {"x"}, {"y"});
  SetDimParam(AddGraphOutput(&model, "y", {1, 3, 4, 4}), 0, "batch");
  return model;
}

TEST(OnnxImporterTest, DynamicInputNeedsAShape) {
  EXPECT_EQ(ImportError(DynamicBatchModel()),
            "input 'x' dimension 0 is dynamic ('batch'): pass --input-shape x 1x3x4x4");
}

TEST(OnnxImporterTest, DynamicSpatialInputSuggestsPlaceholders) {
  onnx::ModelProto model = NewOnnxModel(13);
  onnx::ValueInfoProto* input = AddGraphInput(&model, "x", {1, 3, 4, 4});
  SetDimParam(input, 0, "N");
  SetDimParam(input, 3, "W");
  AddNode(&model, "Relu", {"x"}, {"y"});
  AddGraphOutput(&model, "y", {1, 3, 4, 4});
  EXPECT_EQ(ImportError(model),
            "input 'x' dimension 0 is dynamic ('N'): pass --input-shape x 1x3x4x? (with each ? "
            "replaced by a size)");
  input->mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim(0)->set_dim_value(1);
  input->mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim(3)->set_dim_value(0);
  EXPECT_EQ(ImportError(model),
            "input 'x' dimension 3 is 0: pass --input-shape x 1x3x4x? (with "
            "each ? replaced by a size)");
}

TEST(OnnxImporterTest, InputShapeOverrideFixesDynamicInput) {
  ImportOptions options = TestOptions();
  options.input_shapes["x"] = {2, 3, 4, 4};
  absl::StatusOr<Imported> imported = Import(DynamicBatchModel(), options);
  ASSERT_TRUE(imported.ok()) << imported.status();
  const fb::TensorDesc* input = imported->model()->inputs()->Get(0);
  EXPECT_THAT(std::vector<int32_t>(input->valid_shape()->begin(), input->valid_shape()->end()),
              ElementsAre(2, 3, 4, 4));
  EXPECT_EQ(input->layout(), fb::Layout::NCHW);
  EXPECT_EQ(input->aligned_byte_size(), 2 * 3 * 4 * 4 * 4);
  const fb::TensorDesc* output = imported->model()->outputs()->Get(0);
  EXPECT_EQ(output->valid_shape()->Get(0), 2);
  EXPECT_EQ(LoadedPackage::Metadata(imported->model(), "input_shapes"), "x 2x3x4x4");
}

TEST(OnnxImporterTest, InputShapeOverrideErrors) {
  ImportOptions options = TestOptions();
  options.input_shapes["x"] = {2, 3, 4};
  EXPECT_THAT(ImportError(DynamicBatchModel(), options),
              HasSubstr("input 'x' has rank 4 but --input-shape gives 3 dimensions"));
  options.input_shapes.clear();
  options.input_shapes["x"] = {1, 3, 4, 4};
  options.input_shapes["nope"] = {1};
  EXPECT_THAT(
      ImportError(DynamicBatchModel(), options),
      HasSubstr("--input-shape names 'nope', which is not an input of the model (inputs: x)"));
}

TEST(OnnxImporterTest, OverridingStaticDimsDemotesOutputMismatchToNote) {
  onnx::ModelProto model = NewOnnxModel(13);
  AddGraphInput(&model, "x", {1, 3});
  AddNode(&model, "Relu", {"x"}, {"y"});
  AddGraphOutput(&model, "y", {1, 3});
  ImportOptions options = TestOptions();
  options.input_shapes["x"] = {4, 3};
  absl::StatusOr<Imported> imported = Import(model, options);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_THAT(imported->report.notes, Contains(HasSubstr("differ in dimension 0")));
}

TEST(OnnxImporterTest, DeclaredOutputShapeAndTypeMustAgree) {
  onnx::ModelProto model = NewOnnxModel(13);
  AddGraphInput(&model, "x", {1, 3});
  AddNode(&model, "Relu", {"x"}, {"y"});
  AddGraphOutput(&model, "y", {1, 4});
  EXPECT_EQ(ImportError(model),
            "graph output 'y': inferred shape (1,3) and declared shape differ in dimension 1: "
            "(3) vs (4)");
  model.mutable_graph()->mutable_output(0)->mutable_type()->mutable_tensor_type()->set_elem_type(
      onnx::TensorProto::INT64);
  EXPECT_THAT(ImportError(model), HasSubstr("graph output 'y' is declared INT64"));
}

TEST(OnnxImporterTest, BoolTensorsAreU8AtTheApi) {
  onnx::ModelProto model = NewOnnxModel(13);
  AddGraphInput(&model, "mask", {4}, onnx::TensorProto::BOOL);
  AddNode(&model, "Identity", {"mask"}, {"out"});
  AddGraphOutput(&model, "out", {4}, onnx::TensorProto::BOOL);
  absl::StatusOr<Imported> imported = Import(model);
  ASSERT_TRUE(imported.ok()) << imported.status();
  const fb::Model* m = imported->model();
  EXPECT_EQ(m->inputs()->Get(0)->data_type(), fb::DataType::U8);
  EXPECT_EQ(m->inputs()->Get(0)->layout(), fb::Layout::NONE);
  EXPECT_EQ(m->outputs()->Get(0)->data_type(), fb::DataType::U8);
  EXPECT_EQ(m->tensors()->Get(m->inputs()->Get(0)->tensor())->data_type(), fb::DataType::BOOL);
}

TEST(OnnxImporterTest, WritesMetadataNameAndMarch) {
  onnx::ModelProto model = ShapeChainModel(13);
  std::string path = testing::TempPath("chain.onnx");
  testing::WriteBytes(path, model.SerializeAsString());
  ImportOptions options = TestOptions();
  options.march = "bayes";
  tools::PackageBuilder package;
  absl::StatusOr<ImportReport> report = ImportOnnxFile(path, options, &package);
  ASSERT_TRUE(report.ok()) << report.status();
  options.model_name = "renamed";
  ASSERT_TRUE(ImportOnnx(model, options, &package).ok());
  absl::StatusOr<LoadedPackage> loaded = LoadedPackage::From(package);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const fb::Model* m = loaded->model(0);
  EXPECT_EQ(m->name()->str(), "test_graph");
  EXPECT_EQ(m->march()->str(), "bayes");
  EXPECT_EQ(LoadedPackage::Metadata(m, "source"), path);
  EXPECT_EQ(LoadedPackage::Metadata(m, "onnx_opset"), "13");
  EXPECT_EQ(LoadedPackage::Metadata(m, "producer"), "hb_dnn-test 1");
  EXPECT_THAT(LoadedPackage::Metadata(m, "importer"), HasSubstr("hb_dnn onnx importer"));
  EXPECT_EQ(loaded->model(1)->name()->str(), "renamed");
  ASSERT_EQ(m->segments()->size(), 1u);
  EXPECT_EQ(m->segments()->Get(0)->kind(), fb::SegmentKind::CPU);

  options.march = "x5";
  tools::PackageBuilder other;
  absl::StatusOr<ImportReport> bad = ImportOnnx(model, options, &other);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(ErrorCodeOf(bad.status()), ErrorCode::kInvalidArgument);
}

// ---- Rejections --------------------------------------------------------------------------------

onnx::ModelProto ReluModel(int64_t opset) {
  onnx::ModelProto model = NewOnnxModel(opset);
  AddGraphInput(&model, "x", {3});
  AddNode(&model, "Relu", {"x"}, {"y"}, "relu");
  AddGraphOutput(&model, "y", {3});
  return model;
}

TEST(OnnxImporterTest, RejectsUnsupportedOp) {
  onnx::ModelProto model = NewOnnxModel(17);
  AddGraphInput(&model, "x", {1, 2, 4, 4});
  AddInitializer(&model, MakeFloatTensor("offset", {1}, {0}));
  AddNode(&model, "DeformConv", {"x", "offset"}, {"y"}, "Conv_12");
  AddGraphOutput(&model, "y", {1, 2, 4, 4});
  EXPECT_EQ(ImportError(model),
            "node 'Conv_12' (DeformConv, opset 17): op is not supported by the CPU kernels");
  AddNode(&model, "NonMaxSuppression", {"y"}, {"z"}, "nms");
  EXPECT_THAT(ImportError(model),
              HasSubstr("the CPU kernels do not support these ops of the model: DeformConv (1 "
                        "node), NonMaxSuppression (1 node)"));
}

TEST(OnnxImporterTest, RejectsUnsupportedOpVersion) {
  kernels::OpRegistry registry;
  for (const kernels::OpRegistration& r : TestRegistry().registrations()) {
    kernels::OpRegistration copy = r;
    if (copy.op_type == "Relu") copy.max_version = 13;
    registry.Add(copy);
  }
  ImportOptions options = TestOptions();
  options.registry = &registry;
  std::string error = ImportError(ReluModel(14), options);
  EXPECT_THAT(error, HasSubstr("node 'relu' (Relu, opset 14): "));
  EXPECT_THAT(error, HasSubstr("version 14"));
  EXPECT_EQ(ImportError(ReluModel(13), options), "");
}

TEST(OnnxImporterTest, RejectsUnknownDomain) {
  onnx::ModelProto model = ReluModel(13);
  onnx::OperatorSetIdProto* import = model.add_opset_import();
  import->set_domain("com.acme");
  import->set_version(1);
  onnx::NodeProto* custom = AddNode(&model, "MyOp", {"y"}, {"z"}, "custom_1");
  custom->set_domain("com.acme");
  AddGraphOutput(&model, "z", {3});
  EXPECT_THAT(ImportError(model),
              HasSubstr("node 'custom_1' (MyOp, domain 'com.acme'): domain 'com.acme' is not "
                        "supported by official onnx"));
}

TEST(OnnxImporterTest, RejectsOpsetsOutside9To17) {
  EXPECT_EQ(ImportError(ReluModel(8)),
            "the opset version of the onnx model is 8, only opset versions 9..17 are supported: "
            "re-export the model with an opset_version in that range");
  EXPECT_THAT(ImportError(ReluModel(18)), HasSubstr("opset version of the onnx model is 18"));
  EXPECT_EQ(ImportError(ReluModel(9)), "");
  EXPECT_EQ(ImportError(ReluModel(17)), "");
  onnx::ModelProto no_opset = ReluModel(13);
  no_opset.clear_opset_import();
  EXPECT_THAT(ImportError(no_opset), HasSubstr("imports no opset of the default ONNX domain"));
}

TEST(OnnxImporterTest, RejectsUnsortedGraph) {
  onnx::ModelProto model = NewOnnxModel(13);
  AddGraphInput(&model, "x", {3});
  AddNode(&model, "Relu", {"a"}, {"y"}, "second");
  AddNode(&model, "Relu", {"x"}, {"a"}, "first");
  AddGraphOutput(&model, "y", {3});
  EXPECT_EQ(ImportError(model),
            "node 'second' (Relu, opset 13): input 'a' is produced by a later node, node 'first' "
            "(Relu, opset 13): the graph is not topologically sorted (re-export the model or sort "
            "it with onnx tools)");
}

TEST(OnnxImporterTest, RejectsMalformedGraphs) {
  {
    onnx::ModelProto model = ReluModel(13);
    model.mutable_graph()->mutable_node(0)->set_input(0, "nothing");
    EXPECT_EQ(ImportError(model),
              "node 'relu' (Relu, opset 13): input 'nothing' is not produced "
              "by any node, graph input or initializer");
  }
  {
    onnx::ModelProto model = ReluModel(13);
    AddNode(&model, "Relu", {"x"}, {"y"}, "relu_again");
    EXPECT_THAT(ImportError(model), HasSubstr("node 'relu_again' (Relu, opset 13): output 'y' is "
                                              "already produced by node 'relu' (Relu, opset 13)"));
  }
  {
    onnx::ModelProto model = ReluModel(13);
    model.mutable_graph()->mutable_node(0)->set_output(0, "x");
    EXPECT_THAT(ImportError(model), HasSubstr("output 'x' is already produced by a graph input"));
  }
  {
    onnx::ModelProto model = ReluModel(13);
    model.mutable_graph()->clear_output();
    EXPECT_EQ(ImportError(model), "the graph has no outputs");
  }
  {
    onnx::ModelProto model = ReluModel(13);
    AddGraphOutput(&model, "zz", {3});
    EXPECT_EQ(ImportError(model),
              "graph output 'zz' is not produced by any node, graph input or initializer");
  }
  {
    onnx::ModelProto model = ReluModel(13);
    AddGraphOutput(&model, "y", {3});
    EXPECT_EQ(ImportError(model), "graph output 'y' is listed twice");
  }
  {
    onnx::ModelProto model = ReluModel(13);
    model.mutable_graph()->mutable_node(0)->clear_op_type();
    EXPECT_EQ(ImportError(model), "node 'relu' has no op type");
  }
  {
    onnx::ModelProto model = ReluModel(13);
    onnx::TensorProto bad = MakeFloatTensor("w", {4}, {1, 2});
    AddInitializer(&model, bad);
    EXPECT_THAT(ImportError(model), HasSubstr("tensor 'w' of shape (4)"));
  }
  {
    onnx::ModelProto model = ReluModel(13);
    model.mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->clear_shape();
    EXPECT_THAT(ImportError(model), HasSubstr("input 'x' has no declared shape"));
  }
  {
    onnx::ModelProto model = ReluModel(13);
    model.mutable_graph()->clear_input();
    AddInitializer(&model, MakeFloatTensor("x", {3}, {1, 2, 3}));
    EXPECT_THAT(ImportError(model), HasSubstr("no inputs besides initializers"));
  }
}

TEST(OnnxImporterTest, RejectsMalformedProtobufBytes) {
  std::string path = testing::TempPath("garbage.onnx");
  testing::WriteBytes(path, std::string("\x08\x96\x01\x12\xff\xff\xff\xff\x0fgarbage", 16));
  tools::PackageBuilder package;
  absl::StatusOr<ImportReport> report = ImportOnnxFile(path, TestOptions(), &package);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(ErrorCodeOf(report.status()), ErrorCode::kInvalidModel);
  EXPECT_THAT(report.status().message(), HasSubstr("is not an ONNX model"));

  report = ImportOnnxFile(testing::TempPath("missing.onnx"), TestOptions(), &package);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(ErrorCodeOf(report.status()), ErrorCode::kCanNotOpenFile);
}

TEST(OnnxImporterTest, FailedImportLeavesPackageUnchanged) {
  tools::PackageBuilder package;
  ASSERT_TRUE(ImportOnnx(ReluModel(13), TestOptions(), &package).ok());
  absl::StatusOr<std::string> before = package.Serialize();
  ASSERT_TRUE(before.ok());
  onnx::ModelProto bad = ReluModel(13);
  bad.mutable_graph()->mutable_node(0)->set_op_type("DeformConv");
  EXPECT_FALSE(ImportOnnx(bad, TestOptions(), &package).ok());
  EXPECT_FALSE(ImportOnnx(ConvBnReluModel(ConvBnParams()), TestOptions(), nullptr).ok());
  absl::StatusOr<std::string> after = package.Serialize();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*before, *after);
}

// Random byte corruption of valid models must give errors or imports, never crashes.
TEST(OnnxImporterTest, SurvivesCorruptedModels) {
  std::mt19937 rng(1234);
  int imported = 0;
  for (const onnx::ModelProto& source : {ConvBnReluModel(ConvBnParams()), ShapeChainModel(13)}) {
    const std::string bytes = source.SerializeAsString();
    for (int round = 0; round < 1000; ++round) {
      std::string mutated = bytes;
      int flips = 1 + static_cast<int>(rng() % 4);
      for (int f = 0; f < flips; ++f) {
        mutated[rng() % mutated.size()] = static_cast<char>(rng() & 0xff);
      }
      if (round % 10 == 0) mutated.resize(rng() % mutated.size());
      onnx::ModelProto model;
      if (!model.ParseFromString(mutated)) continue;
      tools::PackageBuilder package;
      absl::StatusOr<ImportReport> report = ImportOnnx(model, TestOptions(), &package);
      if (!report.ok()) continue;
      ++imported;
      EXPECT_TRUE(LoadedPackage::From(package).ok());
    }
  }
  EXPECT_GT(imported, 0);
}

// Random structural edits (names, dims, attributes, node order) of valid models: errors or
// imports, never crashes.
TEST(OnnxImporterTest, SurvivesRandomGraphEdits) {
  std::mt19937 rng(99);
  auto pick = [&](int n) {
    return n <= 0 ? 0 : static_cast<int>(rng() % static_cast<unsigned>(n));
  };
  const std::vector<std::string> ops = {
      "Conv",    "Relu",   "Add",      "Shape",    "Gather",
      "Reshape", "Concat", "Identity", "Constant", "BatchNormalization"};
  int imported = 0;
  for (int round = 0; round < 2000; ++round) {
    onnx::ModelProto model =
        round % 2 == 0 ? ConvBnReluModel(ConvBnParams()) : ShapeChainModel(11 + 2 * pick(4));
    onnx::GraphProto* graph = model.mutable_graph();
    for (int edit = 0; edit < 1 + pick(3); ++edit) {
      onnx::NodeProto* node = graph->mutable_node(pick(graph->node_size()));
      switch (pick(8)) {
        case 0: node->set_op_type(ops[pick(static_cast<int>(ops.size()))]); break;
        case 1:
          if (node->input_size() > 0) node->set_input(pick(node->input_size()), node->output(0));
          break;
        case 2:
          if (node->input_size() > 0) node->mutable_input()->RemoveLast();
          break;
        case 3: node->add_input(graph->input(0).name()); break;
        case 4: {
          onnx::AttributeProto* attr = node->add_attribute();
          attr->set_name(pick(2) ? "axis" : "pads");
          attr->set_type(pick(2) ? onnx::AttributeProto::INT : onnx::AttributeProto::INTS);
          attr->set_i(pick(9) - 4);
          for (int k = 0; k < pick(5); ++k) attr->add_ints(pick(7) - 3);
          break;
        }
        case 5: {
          onnx::TensorShapeProto* shape =
              graph->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape();
          shape->mutable_dim(pick(shape->dim_size()))->set_dim_value(pick(8) - 2);
          break;
        }
        case 6:
          if (graph->initializer_size() > 0) {
            onnx::TensorProto* init = graph->mutable_initializer(pick(graph->initializer_size()));
            if (init->dims_size() > 0) init->set_dims(pick(init->dims_size()), pick(6));
          }
          break;
        default:
          if (graph->node_size() > 1) {
            graph->mutable_node()->SwapElements(pick(graph->node_size()), pick(graph->node_size()));
          }
          break;
      }
    }
    tools::PackageBuilder package;
    absl::StatusOr<ImportReport> report = ImportOnnx(model, TestOptions(), &package);
    if (!report.ok()) {
      EXPECT_FALSE(report.status().message().empty());
      continue;
    }
    ++imported;
    EXPECT_TRUE(LoadedPackage::From(package).ok());
  }
  EXPECT_GT(imported, 0);
}

TEST(OnnxImporterTest, ParseShapeText) {
  EXPECT_THAT(*ParseShapeText("1x3x224x224"), ElementsAre(1, 3, 224, 224));
  EXPECT_THAT(*ParseShapeText("7"), ElementsAre(7));
  EXPECT_FALSE(ParseShapeText("").ok());
  EXPECT_FALSE(ParseShapeText("1x0x2").ok());
  EXPECT_FALSE(ParseShapeText("1xx2").ok());
  EXPECT_FALSE(ParseShapeText("ax3").ok());
}

TEST(OnnxImporterTest, SummaryLine) {
  ImportReport report;
  report.nodes_in = 10;
  report.nodes_out = 4;
  report.folded_constants = 5;
  report.fused_batchnorms = 1;
  EXPECT_EQ(SummaryLine(report), "nodes 10 -> 4, folded 5 constants, fused 0 activations and 1 BatchNormalization");
}

}  // namespace
}  // namespace hb_dnn::onnx_import
