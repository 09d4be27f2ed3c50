// The acceptance models of ../shared/models converted with the converter library and run through
// libdnn with their BPU part on the simulated BPU: cosine similarity to the float model >= 0.99
// (the acceptance; cases not there yet hold a regression floor, ModelCase::min_cosine)
// on the evaluation input (the folder's reference input, or a synthetic text image for PP-OCR).
// Each case prints its figure ("[ mapper ] model method cosine ...") for the report. Skipped when
// the shared folder is absent.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/hb_mapper/mapper_test_util.h"
#include "tests/onnx_import/import_test_util.h"
#include "tools/hb_mapper/bias_correction.h"
#include "tools/hb_mapper/calibration.h"
#include "tools/hb_mapper/converter.h"
#include "tools/hb_mapper/graph.h"
#include "tools/hb_mapper/graph_runner.h"
#include "tools/hb_mapper/placement.h"
#include "tools/hb_mapper/quantize.h"
#include "tools/onnx_import/onnx_importer.h"
#include "tools/onnx_import/onnx_proto_util.h"

namespace hb_dnn::testing {
namespace {

struct ModelCase {
  const char* label;
  const char* path;               // under HB_DNN_SHARED_MODELS
  std::vector<int64_t> shape;     // input shape
  bool ppocr_det = false;         // synthetic image, ImageNet mean/std (det)
  bool ppocr_cls = false;         // synthetic image scaled to [-1, 1] (cls)
  const char* method = "default";
  int samples = 6;
  // The acceptance is cosine >= 0.99. Cases that do not reach it yet keep a regression
  // floor just under what they reach today (docs/hb_mapper.md, "Accuracy per model").
  double min_cosine = 0.99;
  // calibration_parameters.cosine_target (0: off, the model as placed).
  double cosine_target = 0.0;
};

const std::vector<ModelCase>& ModelCases() {
  static const std::vector<ModelCase>* cases = new std::vector<ModelCase>{
      ModelCase{"mobilenetv2", "mobilenetv2/model.onnx", {1, 3, 224, 224}, false, false,
                "default", 6, 0.98},
      ModelCase{"mobilenetv2_max", "mobilenetv2/model.onnx", {1, 3, 224, 224}, false, false,
                "max", 6, 0.975},
      ModelCase{"mobilenetv2_kl", "mobilenetv2/model.onnx", {1, 3, 224, 224}, false, false,
                "kl", 6, 0.96},
      ModelCase{"resnet18", "resnet18/model.onnx", {1, 3, 224, 224}},
      ModelCase{"squeezenet1_1", "squeezenet1_1/model.onnx", {1, 3, 224, 224}},
      ModelCase{"yolov5n_like_320", "yolov5n_like_320/model.onnx", {1, 3, 320, 320}, false,
                false, "default", 6, 0.97},
      ModelCase{"ppocr_det", "ppocr/ch_PP-OCRv4_det_infer.onnx", {1, 3, 320, 320}, true, false,
                "default", 6, 0.93},
      // The same with calibration_parameters.cosine_target (examples/hb_mapper YAMLs): leading
      // nodes on the CPU until the calibration samples reach 0.992, which leaves held-out inputs
      // above 0.99.
      ModelCase{"mobilenetv2_target", "mobilenetv2/model.onnx", {1, 3, 224, 224}, false, false,
                "default", 6, 0.99, 0.992},
      ModelCase{"yolov5n_like_320_target", "yolov5n_like_320/model.onnx", {1, 3, 320, 320},
                false, false, "default", 6, 0.99, 0.992},
      ModelCase{"ppocr_det_target", "ppocr/ch_PP-OCRv4_det_infer.onnx", {1, 3, 320, 320}, true,
                false, "default", 6, 0.99, 0.992},
      ModelCase{"ppocr_cls", "ppocr/ch_ppocr_mobile_v2.0_cls_infer.onnx", {1, 3, 48, 192},
                false, true},
      ModelCase{"ppocr_cls_max", "ppocr/ch_ppocr_mobile_v2.0_cls_infer.onnx", {1, 3, 48, 192},
                false, true, "max"}};
  return *cases;
}

std::string Shared(const std::string& path) {
  return std::string(HB_DNN_SHARED_MODELS) + "/" + path;
}

// `count` inputs of the case's kind: the folder's reference input and noisy copies of it, or
// synthetic text images.
std::vector<std::vector<float>> MakeSamples(const ModelCase& c, int count) {
  if (!c.ppocr_det && !c.ppocr_cls) {
    std::string dir = std::filesystem::path(Shared(c.path)).parent_path().string();
    absl::StatusOr<onnx_import::DecodedTensor> input =
        onnx_import::ReadTensorFile(dir + "/test_data_set_0/input_0.pb");
    EXPECT_TRUE(input.ok()) << input.status();
    if (!input.ok()) return {};
    std::vector<float> x = ValuesOf<float>(input->bytes);
    return NoisySamples(x, c.shape, count, 0.1, 1234);
  }
  std::vector<std::vector<float>> samples;
  int64_t h = c.shape[2], w = c.shape[3];
  for (int s = 0; s < count; ++s) {
    std::vector<float> image = SyntheticTextImage(h, w, 77u + static_cast<uint32_t>(s));
    const float mean[] = {0.485f, 0.456f, 0.406f}, stddev[] = {0.229f, 0.224f, 0.225f};
    for (int64_t ch = 0; ch < 3; ++ch) {
      for (int64_t k = 0; k < h * w; ++k) {
        float& v = image[static_cast<size_t>(ch * h * w + k)];
        v = c.ppocr_det ? (v / 255.0f - mean[ch]) / stddev[ch] : (v / 255.0f - 0.5f) / 0.5f;
      }
    }
    samples.push_back(std::move(image));
  }
  return samples;
}

class SharedModelConversion : public ::testing::TestWithParam<ModelCase> {};

TEST_P(SharedModelConversion, CosineToFloatThroughLibdnn) {
  const ModelCase& c = GetParam();
  std::string path = Shared(c.path);
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is not available";
  // The calibration samples and kHeldOut more inputs of the same kind the converter never sees:
  // the acceptance is judged on their mean cosine (one input's figure is noisy where the output
  // is a decision: a 2-class softmax, a near-binary probability map).
  constexpr int kHeldOut = 4;
  std::vector<std::vector<float>> inputs = MakeSamples(c, c.samples + kHeldOut);
  ASSERT_EQ(inputs.size(), static_cast<size_t>(c.samples + kHeldOut));
  const std::vector<std::vector<float>> held_out(inputs.end() - kHeldOut, inputs.end());
  inputs.resize(static_cast<size_t>(c.samples));
  std::vector<mapper::CalibrationSample> samples;
  for (const std::vector<float>& x : inputs) samples.push_back({x});

  mapper::MapperConfig config;
  config.onnx_model = path;
  config.working_dir = (std::filesystem::temp_directory_path() /
                        ("hb_mapper_models_" + std::to_string(::getpid())))
                           .string();
  config.output_model_file_prefix = c.label;
  config.calibration.calibration_type = c.method;
  config.calibration.cosine_target = c.cosine_target;
  mapper::InputConfig input;
  input.input_type_rt = "featuremap";
  input.input_shape = c.shape;
  config.inputs = {input};
  absl::StatusOr<mapper::ConversionResult> result = mapper::Convert(config, samples);
  ASSERT_TRUE(result.ok()) << result.status();

  // Float reference: the fp32 import of the same ONNX model on the runtime's CPU executor.
  onnx_import::ImportOptions options;
  options.input_shapes = {};
  absl::StatusOr<onnx::ModelProto> proto = onnx_import::ReadModelFile(path);
  ASSERT_TRUE(proto.ok());
  for (const onnx::ValueInfoProto& info : proto->graph().input()) {
    options.input_shapes[info.name()] = c.shape;
    break;
  }
  tools::PackageBuilder float_package;
  ASSERT_TRUE(onnx_import::ImportOnnx(*proto, options, &float_package).ok());
  absl::StatusOr<LoadedPackage> loaded = LoadedPackage::From(float_package);
  ASSERT_TRUE(loaded.ok());
  int bpu_segments = 0, cpu_segments = 0, fcs = 0;
  int64_t bpu_us = 0;
  for (const mapper::SegmentLatency& s : result->segments) {
    (s.bpu ? bpu_segments : cpu_segments) += 1;
    fcs += s.function_calls;
    bpu_us += s.modelled_us;
  }
  EXPECT_GT(bpu_segments, 0);
  // Per output: the cosine on the held-out input and on calibration sample 0 (the one the
  // converter's report uses).
  auto cosines = [&](const std::vector<float>& x, std::vector<double>* max_abs) {
    std::vector<double> out;
    absl::StatusOr<std::vector<std::string>> want =
        RunModel(*loaded, 0, kernels::OpRegistry::Builtin(), {BytesOf(x)});
    absl::StatusOr<std::vector<std::vector<double>>> got =
        InferWithLibdnn(result->model_path, {x});
    EXPECT_TRUE(want.ok()) << want.status();
    EXPECT_TRUE(got.ok()) << got.status();
    if (!want.ok() || !got.ok() || got->size() != want->size()) return out;
    for (size_t k = 0; k < got->size(); ++k) {
      std::vector<float> f = ValuesOf<float>((*want)[k]);
      std::vector<double> w(f.begin(), f.end());
      out.push_back(CosineSimilarity(w, (*got)[k]));
      max_abs->push_back(MaxAbsDifference(w, (*got)[k]));
    }
    return out;
  };
  std::vector<double> sample0_max_abs;
  std::vector<double> sample0 = cosines(inputs[0], &sample0_max_abs);
  ASSERT_EQ(sample0.size(), result->accuracy.size());
  std::vector<std::vector<double>> held(sample0.size()), held_max_abs(sample0.size());
  for (const std::vector<float>& x : held_out) {
    std::vector<double> max_abs;
    std::vector<double> figures = cosines(x, &max_abs);
    ASSERT_EQ(figures.size(), sample0.size());
    for (size_t k = 0; k < figures.size(); ++k) {
      held[k].push_back(figures[k]);
      held_max_abs[k].push_back(max_abs[k]);
    }
  }
  for (size_t k = 0; k < sample0.size(); ++k) {
    double mean = 0;
    for (double v : held[k]) mean += v / static_cast<double>(held[k].size());
    std::printf("[ mapper ] %s method=%s output %zu cosine=%.6f (mean of %d held-out inputs: "
                "min %.6f, max %.6f; max_abs_err %.5g) on calibration sample 0: %.6f "
                "(converter: %.6f) segments bpu=%d cpu=%d fcs=%d bpu_us=%lld\n",
                c.label, c.method, k, mean, kHeldOut, *std::min_element(held[k].begin(), held[k].end()),
                *std::max_element(held[k].begin(), held[k].end()),
                *std::max_element(held_max_abs[k].begin(), held_max_abs[k].end()), sample0[k],
                result->accuracy[k].cosine, bpu_segments, cpu_segments, fcs,
                static_cast<long long>(bpu_us));
    EXPECT_NEAR(sample0[k], result->accuracy[k].cosine, 1e-6);
    EXPECT_GE(mean, c.min_cosine) << c.label << " output " << k;
    if (mean < 0.99) {
      std::printf("[ mapper ] %s: below the 0.99 acceptance (issue 5 open)\n", c.label);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Models, SharedModelConversion, ::testing::ValuesIn(ModelCases()),
    [](const ::testing::TestParamInfo<ModelCase>& info) { return std::string(info.param.label); });

// The per-tensor diagnosis of one conversion (not a check): HB_MAPPER_DIAGNOSE=label runs the
// converter's passes on that case, then the float and the quantized graphs side by side, and
// prints every tensor's cosine to float in node order with the drop its node adds (the node's
// cosine below the lowest cosine of its inputs), the node's cosine alone on quantized float
// inputs ("local") and the tensor's own int8 grid cosine ("grid"); then the float model's
// sensitivity to input noise. What-ifs: HB_MAPPER_DIAGNOSE_METHOD=max|kl|default,
// HB_MAPPER_DIAGNOSE_CPU=node,node (run_on_cpu), HB_MAPPER_DIAGNOSE_NODES=1 (inputs, attributes),
// HB_MAPPER_DIAGNOSE_BIAS=1 (with bias correction), HB_MAPPER_DIAGNOSE_WEIGHTS=1|each (the float
// model with int8-rounded weights: all, then each BPU Conv/Gemm alone), HB_MAPPER_DIAGNOSE_SWEEP=1
// (leave-one-out: the output cosine with each BPU node alone moved to the CPU).
TEST(SharedModelDiagnosis, PerTensorCosine) {
  const char* wanted_label = std::getenv("HB_MAPPER_DIAGNOSE");
  if (wanted_label == nullptr) GTEST_SKIP() << "set HB_MAPPER_DIAGNOSE=<case label>";
  const ModelCase* found = nullptr;
  for (const ModelCase& c : ModelCases()) {
    if (std::string(c.label) == wanted_label) found = &c;
  }
  ASSERT_NE(found, nullptr) << "no case " << wanted_label;
  const ModelCase& c = *found;
  std::string path = Shared(c.path);
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is not available";
  std::vector<std::vector<float>> inputs = MakeSamples(c, c.samples);
  std::vector<mapper::CalibrationSample> samples;
  for (const std::vector<float>& x : inputs) samples.push_back({x});

  absl::StatusOr<onnx::ModelProto> proto = onnx_import::ReadModelFile(path);
  ASSERT_TRUE(proto.ok());
  onnx_import::ImportOptions options;
  options.input_shapes[proto->graph().input(0).name()] = c.shape;
  tools::PackageBuilder package;
  ASSERT_TRUE(onnx_import::ImportOnnx(*proto, options, &package).ok());
  absl::StatusOr<std::string> bytes = package.Serialize();
  ASSERT_TRUE(bytes.ok());
  absl::StatusOr<mapper::Graph> graph = mapper::GraphFromPackageBytes(*bytes);
  ASSERT_TRUE(graph.ok()) << graph.status();
  std::vector<std::string> run_on_cpu;
  if (const char* names = std::getenv("HB_MAPPER_DIAGNOSE_CPU"); names != nullptr) {
    run_on_cpu = absl::StrSplit(names, ',', absl::SkipEmpty());
  }
  absl::StatusOr<mapper::Placement> placement =
      mapper::PlaceNodes(*graph, "bernoulli2", run_on_cpu, {});
  ASSERT_TRUE(placement.ok()) << placement.status();
  std::vector<bool> wanted(graph->tensors.size(), false);
  for (size_t k = 0; k < graph->nodes.size(); ++k) {
    if (!placement->on_bpu[k]) continue;
    for (int32_t t : graph->nodes[k].inputs) {
      if (t >= 0) wanted[t] = true;
    }
    for (int32_t t : graph->nodes[k].outputs) {
      if (t >= 0) wanted[t] = true;
    }
  }
  const char* method_override = std::getenv("HB_MAPPER_DIAGNOSE_METHOD");
  absl::StatusOr<mapper::CalibrationMethod> method = mapper::ParseCalibrationMethod(
      method_override != nullptr ? method_override : c.method);
  ASSERT_TRUE(method.ok());
  absl::StatusOr<std::unique_ptr<mapper::GraphRunner>> runner =
      mapper::GraphRunner::Create(*graph, kernels::OpRegistry::Builtin());
  ASSERT_TRUE(runner.ok()) << runner.status();
  absl::StatusOr<std::vector<mapper::TensorRange>> ranges =
      mapper::Calibrate(*graph, **runner, samples, wanted, *method, 1.0, nullptr);
  ASSERT_TRUE(ranges.ok()) << ranges.status();
  std::vector<float> scales(graph->tensors.size(), 0.0f);
  for (size_t t = 0; t < ranges->size(); ++t) {
    if ((*ranges)[t].valid) scales[t] = static_cast<float>((*ranges)[t].threshold / 127.0);
  }
  mapper::PropagateScales(*graph, *placement, &scales);
  std::vector<std::string> log;
  absl::StatusOr<mapper::QuantizedGraph> quantized =
      mapper::QuantizeGraph(*graph, *placement, scales, {}, &log);
  ASSERT_TRUE(quantized.ok()) << quantized.status();
  if (std::getenv("HB_MAPPER_DIAGNOSE_BIAS") != nullptr) {
    absl::StatusOr<mapper::BiasCorrectionResult> corrected =
        mapper::CorrectBiases(*graph, samples, samples, samples.size(), &quantized->graph);
    ASSERT_TRUE(corrected.ok()) << corrected.status();
    std::printf("[ diag ] bias correction: %d channels of %d nodes\n",
                corrected->corrected_channels, corrected->corrected_nodes);
  }
  absl::StatusOr<std::vector<mapper::TensorAgreement>> rows =
      mapper::CompareGraphs(*graph, quantized->graph, samples[0]);
  ASSERT_TRUE(rows.ok()) << rows.status();

  // The float model's output 0 on sample 0, which the figures below compare with.
  const int32_t out = graph->outputs[0].tensor;
  std::vector<double> float_output;
  {
    absl::StatusOr<std::vector<mapper::TensorValue>> base = (*runner)->Run(samples[0]);
    ASSERT_TRUE(base.ok()) << base.status();
    float_output = mapper::RealValuesOf(graph->tensors[out], (*base)[out]);
  }
  // The float model's own sensitivity: its output for sample 0 plus Gaussian noise of 10% of
  // the input's standard deviation against sample 0's.
  {
    std::vector<float> noisy_input = NoisySamples(inputs[0], c.shape, 3, 0.1, 99)[2];
    absl::StatusOr<std::vector<mapper::TensorValue>> noisy = (*runner)->Run({noisy_input});
    ASSERT_TRUE(noisy.ok()) << noisy.status();
    std::vector<double> x0(inputs[0].begin(), inputs[0].end());
    std::vector<double> x2(noisy_input.begin(), noisy_input.end());
    std::printf("[ diag ] float sensitivity: input cosine %.6f -> output cosine %.6f\n",
                CosineSimilarity(x0, x2),
                CosineSimilarity(float_output,
                                 mapper::RealValuesOf(graph->tensors[out], (*noisy)[out])));
  }
  if (std::getenv("HB_MAPPER_DIAGNOSE_WEIGHTS") != nullptr) {
    // Weights-only what-if: the float graph with the BPU Conv/Gemm weights rounded to int8
    // (all of them, then, with HB_MAPPER_DIAGNOSE_WEIGHTS=each, one at a time).
    auto cosine_with = [&](int64_t only) {
      mapper::Graph fq = *graph;
      for (size_t k = 0; k < fq.nodes.size(); ++k) {
        const mapper::GraphNode& node = fq.nodes[k];
        if (!placement->on_bpu[k] || (node.op_type != "Conv" && node.op_type != "Gemm")) continue;
        if (only >= 0 && static_cast<int64_t>(k) != only) continue;
        mapper::GraphTensor& w = fq.tensors[node.inputs[1]];
        std::vector<float> v = w.Floats();
        bool last = node.op_type == "Gemm" && node.Int("transB", 0) == 0;
        int64_t channels = last ? w.shape[1] : w.shape[0];
        std::vector<float> ws;
        std::string q = mapper::QuantizeWeights(v, channels, last, &ws);
        int64_t per = static_cast<int64_t>(v.size()) / channels;
        for (size_t e = 0; e < v.size(); ++e) {
          int64_t c = last ? static_cast<int64_t>(e) % channels : static_cast<int64_t>(e) / per;
          v[e] = static_cast<float>(static_cast<int8_t>(q[e])) * ws[c];
        }
        w.data = mapper::BytesOf(v);
      }
      absl::StatusOr<std::unique_ptr<mapper::GraphRunner>> r =
          mapper::GraphRunner::Create(fq, kernels::OpRegistry::Builtin());
      absl::StatusOr<std::vector<mapper::TensorValue>> got = (*r)->Run(samples[0]);
      return CosineSimilarity(float_output, mapper::RealValuesOf(fq.tensors[out], (*got)[out]));
    };
    std::printf("[ diag ] weights-only int8: output cosine %.6f\n", cosine_with(-1));
    if (std::string(std::getenv("HB_MAPPER_DIAGNOSE_WEIGHTS")) == "each") {
      for (size_t k = 0; k < graph->nodes.size(); ++k) {
        const mapper::GraphNode& node = graph->nodes[k];
        if (!placement->on_bpu[k] || (node.op_type != "Conv" && node.op_type != "Gemm")) continue;
        const mapper::GraphTensor& w = graph->tensors[node.inputs[1]];
        std::string dims;
        for (int64_t d : w.shape) dims += std::to_string(d) + ",";
        std::printf("[ wsweep ] %.6f %s [%s]\n", cosine_with(static_cast<int64_t>(k)),
                    node.name.c_str(), dims.c_str());
      }
    }
  }
  if (std::getenv("HB_MAPPER_DIAGNOSE_SWEEP") != nullptr) {
    // Leave-one-out: each BPU node alone moved to the CPU, the output cosine it gives.
    std::vector<std::pair<double, std::string>> gains;
    for (size_t k = 0; k < graph->nodes.size(); ++k) {
      if (!placement->on_bpu[k]) continue;
      std::vector<std::string> cpu = run_on_cpu;
      cpu.push_back(graph->nodes[k].name);
      absl::StatusOr<mapper::Placement> p = mapper::PlaceNodes(*graph, "bernoulli2", cpu, {});
      if (!p.ok()) continue;
      std::vector<float> s2 = scales;
      mapper::PropagateScales(*graph, *p, &s2);
      std::vector<std::string> log2;
      absl::StatusOr<mapper::QuantizedGraph> q = mapper::QuantizeGraph(*graph, *p, s2, {}, &log2);
      if (!q.ok()) continue;
      absl::StatusOr<std::unique_ptr<mapper::GraphRunner>> r =
          mapper::GraphRunner::Create(q->graph, kernels::OpRegistry::Builtin());
      if (!r.ok()) continue;
      absl::StatusOr<std::vector<mapper::TensorValue>> got = (*r)->Run(samples[0]);
      if (!got.ok()) continue;
      int32_t qo = q->graph.outputs[0].tensor;
      std::vector<double> have = mapper::RealValuesOf(q->graph.tensors[qo], (*got)[qo]);
      gains.emplace_back(CosineSimilarity(float_output, have), graph->nodes[k].name);
    }
    std::sort(gains.rbegin(), gains.rend());
    for (const auto& [cos, name] : gains) std::printf("[ sweep ] %.6f %s\n", cos, name.c_str());
  }
  std::map<int32_t, double> cosine_of;
  for (const mapper::TensorAgreement& row : *rows) cosine_of[row.tensor] = row.cosine;
  std::vector<int32_t> producers = graph->Producers();
  for (const mapper::TensorAgreement& row : *rows) {
    const int32_t producer = producers[row.tensor];
    const mapper::GraphNode& node = graph->nodes[producer];
    double input_cosine = 1.0;
    for (int32_t t : node.inputs) {
      if (cosine_of.count(t) > 0) input_cosine = std::min(input_cosine, cosine_of[t]);
    }
    const mapper::TensorRange& range = (*ranges)[row.tensor];
    std::printf("[ diag ] %-5s %-18s %-40.40s cos=%.6f drop=%+.6f max_err=%.4g abs_max=%.4g "
                "scale=%.4g (%s, T/max=%.3f) local=%.6f grid=%.6f\n",
                placement->on_bpu[producer] ? "BPU" : "CPU", row.op_type.c_str(),
                node.name.c_str(), row.cosine,
                input_cosine - row.cosine, row.max_abs_error, row.abs_max, row.scale,
                range.method.c_str(), range.abs_max > 0 ? range.threshold / range.abs_max : 0.0,
                row.local_cosine, row.grid_cosine);
    if (std::getenv("HB_MAPPER_DIAGNOSE_NODES") != nullptr) {
      for (int32_t t : node.inputs) {
        if (t < 0) continue;
        const mapper::GraphTensor& in = graph->tensors[t];
        std::string dims;
        for (int64_t d : in.shape) dims += std::to_string(d) + ",";
        std::printf("[ diag ]       in %s [%s]%s%s\n", in.name.c_str(), dims.c_str(),
                    in.constant ? " const" : "",
                    in.constant && in.num_elements() <= 4
                        ? (" = " + std::to_string(in.Floats()[0])).c_str()
                        : "");
      }
      for (const tools::Attr& attr : node.attributes) {
        std::printf("[ diag ]       attr %s %lld\n", attr.name.c_str(),
                    static_cast<long long>(attr.i));
      }
    }
  }
}

// The QDQ model with calibration_type load, against the folder's float reference output.
TEST(QdqModelConversion, LoadMatchesReferenceWithinFewLsb) {
  std::string dir = Shared("mobilenetv2_int8_perchannel");
  if (!std::filesystem::exists(dir + "/model.onnx")) GTEST_SKIP() << dir << " is not available";
  absl::StatusOr<onnx_import::DecodedTensor> input =
      onnx_import::ReadTensorFile(dir + "/test_data_set_0/input_0.pb");
  absl::StatusOr<onnx_import::DecodedTensor> output =
      onnx_import::ReadTensorFile(dir + "/test_data_set_0/output_0.pb");
  ASSERT_TRUE(input.ok() && output.ok());
  std::vector<float> x = ValuesOf<float>(input->bytes);
  mapper::MapperConfig config;
  config.onnx_model = dir + "/model.onnx";
  config.working_dir = (std::filesystem::temp_directory_path() /
                        ("hb_mapper_qdq_" + std::to_string(::getpid())))
                           .string();
  config.output_model_file_prefix = "mobilenetv2_qdq";
  config.calibration.calibration_type = "load";
  absl::StatusOr<mapper::ConversionResult> result = mapper::Convert(config, {{x}});
  ASSERT_TRUE(result.ok()) << result.status();
  absl::StatusOr<std::vector<std::vector<double>>> got =
      InferWithLibdnn(result->model_path, {x});
  ASSERT_TRUE(got.ok()) << got.status();
  std::vector<float> f = ValuesOf<float>(output->bytes);
  std::vector<double> want(f.begin(), f.end());
  double cosine = CosineSimilarity(want, (*got)[0]);
  double max_abs = MaxAbsDifference(want, (*got)[0]);
  std::printf("[ mapper ] mobilenetv2_int8_perchannel method=load cosine=%.6f max_abs_err=%.5g "
              "(converter vs QDQ float run: %.6f, %.5g)\n",
              cosine, max_abs, result->accuracy[0].cosine, result->accuracy[0].max_abs_error);
  // uint8 activations mapped onto symmetric int8 lose one bit (qdq_loader.h), hence 0.97.
  EXPECT_GE(cosine, 0.97);
  // The output's quantization step in the QDQ model is about 0.03-0.05; PyTorch itself differs
  // from ONNX Runtime by up to ~0.07. "A few LSB": at most 0.25 absolute.
  EXPECT_LE(max_abs, 0.25);

  // Without samples, load still converts (accuracy is then not computed); cosine_target does not
  // apply to load, and the log says so.
  config.calibration.cosine_target = 0.999;
  absl::StatusOr<mapper::ConversionResult> no_samples = mapper::Convert(config, {});
  ASSERT_TRUE(no_samples.ok()) << no_samples.status();
  EXPECT_NE(std::find(no_samples->log.begin(), no_samples->log.end(),
                      "cosine_target: not used with calibration_type load (the QDQ model's "
                      "scales are what it was trained with)"),
            no_samples->log.end());
}

}  // namespace
}  // namespace hb_dnn::testing
