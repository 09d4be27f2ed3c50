#include "tests/conformance/conformance_runner.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <functional>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/match.h"
#include "hb_dnn/hb_dnn.h"
#include "hb_dnn/hb_dnn_sim.h"
#include "tests/kernels/tensor_compare.h"
#include "tools/onnx_import/onnx_importer.h"
#include "tools/onnx_import/onnx_proto_util.h"

namespace hb_dnn::testing {
namespace {

namespace fs = std::filesystem;
using onnx_import::DecodedTensor;

// Graph inputs that are not initializers, in order: the ones input_N.pb files feed.
std::vector<std::string> FedInputs(const onnx::GraphProto& graph) {
  std::vector<std::string> names;
  for (const onnx::ValueInfoProto& in : graph.input()) {
    bool initializer = std::any_of(graph.initializer().begin(), graph.initializer().end(),
                                   [&](const onnx::TensorProto& t) { return t.name() == in.name(); });
    if (!initializer) names.push_back(in.name());
  }
  return names;
}

absl::StatusOr<std::map<std::string, DecodedTensor>> ReadInputs(const std::vector<std::string>& fed,
                                                                const std::string& set) {
  std::map<std::string, DecodedTensor> values;
  for (size_t k = 0; k < fed.size(); ++k) {
    std::string path = absl::StrCat(set, "/input_", k, ".pb");
    if (!fs::exists(path)) continue;
    auto t = onnx_import::ReadTensorFile(path);
    if (!t.ok()) return t.status();
    values[fed[k]] = std::move(*t);
  }
  return values;
}

bool IsInteger(kernels::DType t) { return t == kernels::DType::kI64 || t == kernels::DType::kI32; }

// Model I/O presents booleans as U8 (same bytes).
kernels::DType ApiDType(int32_t tensor_type) {
  switch (tensor_type) {
    case HB_DNN_TENSOR_TYPE_S8: return kernels::DType::kI8;
    case HB_DNN_TENSOR_TYPE_U8: return kernels::DType::kU8;
    case HB_DNN_TENSOR_TYPE_F16: return kernels::DType::kF16;
    case HB_DNN_TENSOR_TYPE_S16: return kernels::DType::kI16;
    case HB_DNN_TENSOR_TYPE_U16: return kernels::DType::kU16;
    case HB_DNN_TENSOR_TYPE_F32: return kernels::DType::kF32;
    case HB_DNN_TENSOR_TYPE_S32: return kernels::DType::kI32;
    case HB_DNN_TENSOR_TYPE_U32: return kernels::DType::kU32;
    case HB_DNN_TENSOR_TYPE_F64: return kernels::DType::kF64;
    case HB_DNN_TENSOR_TYPE_S64: return kernels::DType::kI64;
    case HB_DNN_TENSOR_TYPE_U64: return kernels::DType::kU64;
    default: return kernels::DType::kUndefined;
  }
}

// Owns everything a run allocates through the C API and frees it on every path.
class ApiRun {
 public:
  ~ApiRun() {
    if (task_ != nullptr) hbDNNReleaseTask(task_);
    for (hbSysMem& m : mems_) hbSysFreeMem(&m);
    if (packed_ != nullptr) hbDNNRelease(packed_);
  }
  hbPackedDNNHandle_t packed_ = nullptr;
  hbDNNHandle_t model_ = nullptr;
  hbDNNTaskHandle_t task_ = nullptr;
  std::vector<hbSysMem> mems_;
};

std::string Detail() { return hbDNNGetLastErrorDetail(); }

// `model` with the fed inputs chosen by `bake` turned into initializers holding their values from
// `first_inputs`; the baked ones are added to `baked`.
onnx::ModelProto BakeInputs(const onnx::ModelProto& model,
                            const std::map<std::string, DecodedTensor>& first_inputs,
                            const std::function<bool(const std::string&, const DecodedTensor&)>& bake,
                            std::map<std::string, DecodedTensor>* baked) {
  onnx::ModelProto with_constants = model;
  onnx::GraphProto* graph = with_constants.mutable_graph();
  for (const auto& [name, value] : first_inputs) {
    if (!bake(name, value)) continue;
    absl::StatusOr<int32_t> onnx_type = onnx_import::OnnxTypeOf(value.dtype);
    if (!onnx_type.ok()) continue;
    onnx::TensorProto* init = graph->add_initializer();
    init->set_name(name);
    init->set_data_type(*onnx_type);
    for (int64_t d : value.shape) init->add_dims(d);
    init->set_raw_data(value.bytes);
    (*baked)[name] = value;
  }
  auto* inputs = graph->mutable_input();
  inputs->erase(std::remove_if(inputs->begin(), inputs->end(),
                               [&](const onnx::ValueInfoProto& v) { return baked->count(v.name()) > 0; }),
                inputs->end());
  return with_constants;
}

// Imports `model` and serializes it. Node tests feed operands that a static-shape runtime needs
// as constants (a Reshape shape, Resize scales, empty axes) as graph inputs; when the import
// fails, retry with them baked in, as an exporter would have written them: first the integer
// inputs, then every input but the first. `baked` reports what was baked.
absl::StatusOr<std::string> ImportToBytes(const onnx::ModelProto& model,
                                          const std::vector<std::string>& fed,
                                          const std::map<std::string, DecodedTensor>& first_inputs,
                                          std::map<std::string, DecodedTensor>* baked) {
  onnx_import::ImportOptions import_options;
  import_options.model_name = "conformance";
  std::vector<std::function<bool(const std::string&, const DecodedTensor&)>> strategies = {
      [](const std::string&, const DecodedTensor&) { return false; },
      [](const std::string&, const DecodedTensor& v) { return IsInteger(v.dtype); },
      [&](const std::string& name, const DecodedTensor&) { return fed.empty() || name != fed[0]; },
  };
  // The first strategy's error is the one to report: it describes the model as written.
  absl::Status first_error;
  for (const auto& bake : strategies) {
    baked->clear();
    onnx::ModelProto candidate = BakeInputs(model, first_inputs, bake, baked);
    tools::PackageBuilder package;
    auto report = onnx_import::ImportOnnx(candidate, import_options, &package);
    if (report.ok()) return package.Serialize();
    if (first_error.ok()) first_error = report.status();
  }
  return first_error;
}

// Runs one inference through the C API with `inputs` (by input name) and compares every output
// with `expected(output name)`. `label` prefixes messages.
::testing::AssertionResult RunOnce(
    ApiRun& run, const std::map<std::string, DecodedTensor>& inputs,
    const std::function<absl::StatusOr<DecodedTensor>(const std::string&)>& expected_for,
    const std::string& label, const ConformanceOptions& options) {
  int32_t input_count = 0, output_count = 0;
  hbDNNGetInputCount(&input_count, run.model_);
  hbDNNGetOutputCount(&output_count, run.model_);
  std::vector<hbDNNTensor> in(static_cast<size_t>(input_count)), out(static_cast<size_t>(output_count));
  for (int32_t i = 0; i < input_count; ++i) {
    char const* name = nullptr;
    hbDNNGetInputName(&name, run.model_, i);
    auto it = inputs.find(name);
    if (it == inputs.end()) return ::testing::AssertionFailure() << "no data for input '" << name << "'";
    hbDNNTensor& t = in[static_cast<size_t>(i)];
    if (hbDNNGetInputTensorProperties(&t.properties, run.model_, i) != 0 ||
        hbSysAllocMem(&t.sysMem[0], static_cast<uint32_t>(std::max(t.properties.alignedByteSize, 1))) != 0) {
      return ::testing::AssertionFailure() << Detail();
    }
    run.mems_.push_back(t.sysMem[0]);
    if (it->second.bytes.size() > t.sysMem[0].memSize) {
      return ::testing::AssertionFailure() << "input '" << name << "' has " << it->second.bytes.size()
                                           << " bytes, the model expects " << t.properties.alignedByteSize;
    }
    std::memcpy(t.sysMem[0].virAddr, it->second.bytes.data(), it->second.bytes.size());
    hbSysFlushMem(&t.sysMem[0], HB_SYS_MEM_CACHE_CLEAN);
  }
  for (int32_t i = 0; i < output_count; ++i) {
    hbDNNTensor& t = out[static_cast<size_t>(i)];
    if (hbDNNGetOutputTensorProperties(&t.properties, run.model_, i) != 0 ||
        hbSysAllocMem(&t.sysMem[0], static_cast<uint32_t>(std::max(t.properties.alignedByteSize, 1))) != 0) {
      return ::testing::AssertionFailure() << Detail();
    }
    run.mems_.push_back(t.sysMem[0]);
  }
  hbDNNInferCtrlParam param;
  HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&param);
  hbDNNTensor* outp = out.data();
  if (hbDNNInfer(&run.task_, &outp, in.data(), run.model_, &param) != 0 ||
      hbDNNWaitTaskDone(run.task_, 0) != 0) {
    return ::testing::AssertionFailure() << Detail();
  }
  hbDNNReleaseTask(run.task_);
  run.task_ = nullptr;
  for (int32_t i = 0; i < output_count; ++i) {
    char const* name = nullptr;
    hbDNNGetOutputName(&name, run.model_, i);
    auto expected = expected_for(name);
    if (!expected.ok()) return ::testing::AssertionFailure() << expected.status().message();
    hbDNNTensor& t = out[static_cast<size_t>(i)];
    hbSysFlushMem(&t.sysMem[0], HB_SYS_MEM_CACHE_INVALIDATE);
    kernels::DType got_type = ApiDType(t.properties.tensorType);
    if (expected->dtype == kernels::DType::kBool && got_type == kernels::DType::kU8) {
      got_type = kernels::DType::kBool;
    }
    kernels::Shape shape(t.properties.validShape.dimensionSize,
                         t.properties.validShape.dimensionSize + t.properties.validShape.numDimensions);
    // Scalars are presented as 1-element rank-1 tensors at the API.
    if (expected->shape.empty() && shape == kernels::Shape{1}) shape.clear();
    std::string what = absl::StrCat(label, " output '", name, "'");
    if (options.max_abs_scale > 0) {
      int64_t n = kernels::NumElements(expected->shape);
      double max_ref = 0, max_err = 0;
      for (int64_t e = 0; e < n; ++e) {
        double want = ValueAt(expected->dtype, expected->bytes.data(), e);
        double got = ValueAt(got_type, t.sysMem[0].virAddr, e);
        max_ref = std::max(max_ref, std::fabs(want));
        max_err = std::max(max_err, std::fabs(got - want));
      }
      if (shape != expected->shape || max_err > options.max_abs_scale * max_ref) {
        return ::testing::AssertionFailure()
               << what << ": max abs error " << max_err << " > " << options.max_abs_scale
               << " x max |reference| " << max_ref << " (shape " << kernels::ShapeString(shape) << ")";
      }
      continue;
    }
    auto result = CompareTensor(what, *expected, got_type, shape, t.sysMem[0].virAddr,
                                options.rtol, options.atol);
    if (!result) return result;
  }
  return ::testing::AssertionSuccess();
}

}  // namespace

std::vector<std::string> DataSets(const std::string& test_dir) {
  std::vector<std::string> sets;
  if (!fs::is_directory(test_dir)) return sets;
  for (const auto& entry : fs::directory_iterator(test_dir)) {
    if (entry.is_directory() && entry.path().filename().string().rfind("test_data_set_", 0) == 0) {
      sets.push_back(entry.path().string());
    }
  }
  std::sort(sets.begin(), sets.end());
  return sets;
}

::testing::AssertionResult RunModelConformance(const std::string& onnx_path,
                                               const std::vector<std::string>& data_sets,
                                               const ConformanceOptions& options) {
  auto model = onnx_import::ReadModelFile(onnx_path);
  if (!model.ok()) return ::testing::AssertionFailure() << model.status().message();
  if (data_sets.empty()) return ::testing::AssertionFailure() << onnx_path << ": no data sets";
  std::vector<std::string> fed = FedInputs(model->graph());
  auto first_inputs = ReadInputs(fed, data_sets[0]);
  if (!first_inputs.ok()) return ::testing::AssertionFailure() << first_inputs.status().message();
  std::map<std::string, DecodedTensor> baked;
  auto bytes = ImportToBytes(*model, fed, *first_inputs, &baked);
  if (!bytes.ok()) return ::testing::AssertionFailure() << "import: " << bytes.status().message();

  ApiRun run;
  const void* data[] = {bytes->data()};
  int32_t lengths[] = {static_cast<int32_t>(bytes->size())};
  if (hbDNNInitializeFromDDR(&run.packed_, data, lengths, 1) != 0 ||
      hbDNNGetModelHandle(&run.model_, run.packed_, "conformance") != 0) {
    return ::testing::AssertionFailure() << "load: " << Detail();
  }
  int ran = 0;
  for (const std::string& set : data_sets) {
    auto inputs = ReadInputs(fed, set);
    if (!inputs.ok()) return ::testing::AssertionFailure() << inputs.status().message();
    bool same_baked = std::all_of(baked.begin(), baked.end(), [&](const auto& entry) {
      auto it = inputs->find(entry.first);
      return it != inputs->end() && it->second.bytes == entry.second.bytes;
    });
    if (!same_baked) continue;
    const onnx::GraphProto& graph = model->graph();
    auto expected_for = [&](const std::string& name) -> absl::StatusOr<DecodedTensor> {
      for (int k = 0; k < graph.output_size(); ++k) {
        if (graph.output(k).name() == name) {
          return onnx_import::ReadTensorFile(absl::StrCat(set, "/output_", k, ".pb"));
        }
      }
      return absl::NotFoundError(absl::StrCat("unknown output '", name, "'"));
    };
    auto result = RunOnce(run, *inputs, expected_for, fs::path(set).filename().string(), options);
    if (!result) return result;
    ++ran;
  }
  if (ran == 0) return ::testing::AssertionFailure() << "no data set could run";
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult RunModelOnSyntheticInput(const std::string& onnx_path,
                                                    const std::vector<int64_t>& input_shape,
                                                    SyntheticInput pattern,
                                                    const std::string& raw_reference,
                                                    const ConformanceOptions& options) {
  auto model = onnx_import::ReadModelFile(onnx_path);
  if (!model.ok()) return ::testing::AssertionFailure() << model.status().message();
  std::vector<std::string> fed = FedInputs(model->graph());
  if (fed.size() != 1) return ::testing::AssertionFailure() << "expected one fed input";
  onnx_import::ImportOptions import_options;
  import_options.model_name = "conformance";
  import_options.input_shapes[fed[0]] = input_shape;
  tools::PackageBuilder package;
  auto report = onnx_import::ImportOnnx(*model, import_options, &package);
  if (!report.ok()) return ::testing::AssertionFailure() << "import: " << report.status().message();
  auto bytes = package.Serialize();
  if (!bytes.ok()) return ::testing::AssertionFailure() << bytes.status().message();

  DecodedTensor input;
  input.name = fed[0];
  input.dtype = kernels::DType::kF32;
  input.shape = input_shape;
  int64_t n = kernels::NumElements(input_shape);
  input.bytes.resize(static_cast<size_t>(n) * sizeof(float));
  float* x = reinterpret_cast<float*>(input.bytes.data());
  if (pattern == SyntheticInput::kPage) {
    if (input_shape.size() != 4) return ::testing::AssertionFailure() << "page input needs NCHW";
    const int64_t c = input_shape[1], h = input_shape[2], w = input_shape[3];
    const float mean[] = {0.485f, 0.456f, 0.406f}, stddev[] = {0.229f, 0.224f, 0.225f};
    for (int64_t k = 0; k < c; ++k) {
      for (int64_t y = 0; y < h; ++y) {
        for (int64_t z = 0; z < w; ++z) {
          // Same arithmetic as the JS generator (h / 4 and h / 2 are exact for h % 4 == 0).
          double hd = static_cast<double>(h);
          bool line = (y >= hd / 4 && y < hd / 4 + 16) || (y >= hd / 2 + 8 && y < hd / 2 + 24);
          float v = line && z % 12 < 5 && z > 8 && z < w - 8 ? 0.1f : 1.0f;
          x[(k * h + y) * w + z] = (v - mean[k % 3]) / stddev[k % 3];
        }
      }
    }
  } else {
    for (int64_t i = 0; i < n; ++i) {
      x[i] = static_cast<float>((static_cast<uint64_t>(i) * 2654435761ull) % 1000) / 1000.0f;
    }
  }

  ApiRun run;
  const void* data[] = {bytes->data()};
  int32_t lengths[] = {static_cast<int32_t>(bytes->size())};
  if (hbDNNInitializeFromDDR(&run.packed_, data, lengths, 1) != 0 ||
      hbDNNGetModelHandle(&run.model_, run.packed_, "conformance") != 0) {
    return ::testing::AssertionFailure() << "load: " << Detail();
  }
  hbDNNTensorProperties out{};
  hbDNNGetOutputTensorProperties(&out, run.model_, 0);
  std::string raw;
  {
    std::ifstream in(raw_reference, std::ios::binary);
    if (!in) return ::testing::AssertionFailure() << "cannot read " << raw_reference;
    raw.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  DecodedTensor reference;
  reference.dtype = kernels::DType::kF32;
  reference.shape.assign(out.validShape.dimensionSize,
                         out.validShape.dimensionSize + out.validShape.numDimensions);
  reference.bytes = std::move(raw);
  if (reference.bytes.size() != static_cast<size_t>(kernels::NumElements(reference.shape)) * 4) {
    return ::testing::AssertionFailure() << raw_reference << " has " << reference.bytes.size()
                                         << " bytes, the output " << kernels::ShapeString(reference.shape)
                                         << " needs " << kernels::NumElements(reference.shape) * 4;
  }
  int32_t outputs = 0;
  hbDNNGetOutputCount(&outputs, run.model_);
  char const* first_output = nullptr;
  hbDNNGetOutputName(&first_output, run.model_, 0);
  std::string first_name = first_output;
  auto expected_for = [&](const std::string& name) -> absl::StatusOr<DecodedTensor> {
    if (name != first_name) return absl::NotFoundError("only the first output has a reference");
    return reference;
  };
  if (outputs != 1) return ::testing::AssertionFailure() << "expected one output, got " << outputs;
  return RunOnce(run, {{fed[0], input}}, expected_for,
                 pattern == SyntheticInput::kPage ? "page" : "ramp", options);
}

}  // namespace hb_dnn::testing
