#include "tools/hb_mapper/model_verifier.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "hb_dnn/hb_dnn.h"
#include "hb_dnn/hb_dnn_sim.h"
#include "hbm_generated.h"
#include "src/base/status.h"
#include "src/kernels/op_registry.h"
#include "src/kernels/reference/preprocess.h"
#include "tools/onnx_import/onnx_importer.h"

namespace hb_dnn::mapper {
namespace {

std::string Detail() { return hbDNNGetLastErrorDetail(); }

absl::Status CallError(const std::string& what, int32_t code) {
  return Errorf(ErrorCode::kRunTaskFailed, what, " failed (", code, "): ", Detail());
}

absl::StatusOr<std::string> ReadBytes(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Errorf(ErrorCode::kCanNotOpenFile, "cannot open '", path, "'");
  std::stringstream bytes;
  bytes << file.rdbuf();
  return bytes.str();
}

std::vector<int32_t> Dims(const hbDNNTensorShape& s) {
  return std::vector<int32_t>(s.dimensionSize, s.dimensionSize + s.numDimensions);
}

int64_t Count(const std::vector<int32_t>& shape) {
  int64_t n = 1;
  for (int32_t d : shape) n *= d;
  return n;
}

bool IsImage(int32_t type) { return type >= HB_DNN_IMG_TYPE_Y && type <= HB_DNN_IMG_TYPE_BGR; }
bool IsNv12(int32_t type) {
  return type == HB_DNN_IMG_TYPE_NV12 || type == HB_DNN_IMG_TYPE_NV12_SEPARATE;
}

int ElementBytes(int32_t type) {
  switch (type) {
    case HB_DNN_TENSOR_TYPE_S8:
    case HB_DNN_TENSOR_TYPE_U8:
      return 1;
    case HB_DNN_TENSOR_TYPE_S16:
    case HB_DNN_TENSOR_TYPE_U16:
      return 2;
    case HB_DNN_TENSOR_TYPE_F32:
    case HB_DNN_TENSOR_TYPE_S32:
    case HB_DNN_TENSOR_TYPE_U32:
      return 4;
    default:
      return 0;
  }
}

// The real-number scale of element k (its coordinate along quantizeAxis from `index`).
double ScaleOf(const hbDNNTensorProperties& p, const std::vector<int32_t>& index, double* zero) {
  *zero = 0;
  if (p.quantiType == SCALE && p.scale.scaleLen > 0) {
    int k = p.scale.scaleLen == 1 ? 0 : index[p.quantizeAxis];
    if (p.scale.zeroPointLen > 0) *zero = p.scale.zeroPointData[k];
    return p.scale.scaleData[k];
  }
  if (p.quantiType == SHIFT && p.shift.shiftLen > 0) {
    int k = p.shift.shiftLen == 1 ? 0 : index[p.quantizeAxis];
    return std::ldexp(1.0, -p.shift.shiftData[k]);
  }
  return 1.0;
}

// Calls fn(element index in validShape order, byte offset via `stride`, coordinates).
template <typename Fn>
void ForEachElement(const hbDNNTensorProperties& p, Fn fn) {
  std::vector<int32_t> valid = Dims(p.validShape);
  std::vector<int32_t> index(valid.size(), 0);
  int64_t total = Count(valid);
  for (int64_t e = 0; e < total; ++e) {
    int64_t offset = 0;
    for (size_t d = 0; d < valid.size(); ++d)
      offset += static_cast<int64_t>(index[d]) * p.stride[d];
    fn(e, offset, index);
    for (int d = static_cast<int>(valid.size()) - 1; d >= 0 && ++index[d] == valid[d]; --d)
      index[d] = 0;
  }
}

void Store(int32_t type, uint8_t* at, double v) {
  switch (type) {
    case HB_DNN_TENSOR_TYPE_F32: {
      float f = static_cast<float>(v);
      std::memcpy(at, &f, 4);
      break;
    }
    case HB_DNN_TENSOR_TYPE_S8: {
      int8_t q = static_cast<int8_t>(std::clamp(std::nearbyint(v), -128.0, 127.0));
      *at = static_cast<uint8_t>(q);
      break;
    }
    case HB_DNN_TENSOR_TYPE_U8:
      *at = static_cast<uint8_t>(std::clamp(std::nearbyint(v), 0.0, 255.0));
      break;
    case HB_DNN_TENSOR_TYPE_S16: {
      int16_t q = static_cast<int16_t>(std::clamp(std::nearbyint(v), -32768.0, 32767.0));
      std::memcpy(at, &q, 2);
      break;
    }
    case HB_DNN_TENSOR_TYPE_S32: {
      int32_t q = static_cast<int32_t>(std::nearbyint(v));
      std::memcpy(at, &q, 4);
      break;
    }
    default:
      break;
  }
}

double Load(int32_t type, const uint8_t* at) {
  switch (type) {
    case HB_DNN_TENSOR_TYPE_F32: {
      float f;
      std::memcpy(&f, at, 4);
      return f;
    }
    case HB_DNN_TENSOR_TYPE_S8:
      return static_cast<int8_t>(*at);
    case HB_DNN_TENSOR_TYPE_U8:
      return *at;
    case HB_DNN_TENSOR_TYPE_S16: {
      int16_t q;
      std::memcpy(&q, at, 2);
      return q;
    }
    case HB_DNN_TENSOR_TYPE_U16: {
      uint16_t q;
      std::memcpy(&q, at, 2);
      return q;
    }
    case HB_DNN_TENSOR_TYPE_S32: {
      int32_t q;
      std::memcpy(&q, at, 4);
      return q;
    }
    case HB_DNN_TENSOR_TYPE_U32: {
      uint32_t q;
      std::memcpy(&q, at, 4);
      return q;
    }
    default:
      return 0;
  }
}

// A loaded model (first of its package) with its packed handle.
class Loaded {
 public:
  ~Loaded() {
    for (hbSysMem& m : mems_) hbSysFreeMem(&m);
    if (packed_ != nullptr) hbDNNRelease(packed_);
  }
  absl::Status FromFile(const std::string& path) {
    const char* files[] = {path.c_str()};
    int32_t rc = hbDNNInitializeFromFiles(&packed_, files, 1);
    if (rc != 0) return CallError(absl::StrCat("loading '", path, "'"), rc);
    return TakeModel();
  }
  absl::Status FromBytes(std::string bytes) {
    bytes_ = std::move(bytes);
    const void* data[] = {bytes_.data()};
    int32_t lengths[] = {static_cast<int32_t>(bytes_.size())};
    int32_t rc = hbDNNInitializeFromDDR(&packed_, data, lengths, 1);
    if (rc != 0) return CallError("loading the imported float model", rc);
    return TakeModel();
  }
  int32_t InputCount() const {
    int32_t n = 0;
    hbDNNGetInputCount(&n, model_);
    return n;
  }
  int32_t OutputCount() const {
    int32_t n = 0;
    hbDNNGetOutputCount(&n, model_);
    return n;
  }
  std::string InputName(int32_t i) const {
    const char* n = nullptr;
    hbDNNGetInputName(&n, model_, i);
    return n ? n : "";
  }
  std::string OutputName(int32_t i) const {
    const char* n = nullptr;
    hbDNNGetOutputName(&n, model_, i);
    return n ? n : "";
  }
  hbDNNTensorProperties InputProperties(int32_t i) const {
    hbDNNTensorProperties p{};
    hbDNNGetInputTensorProperties(&p, model_, i);
    return p;
  }

  // Allocates every tensor; `inputs_[i]` is filled by the caller before Run.
  absl::Status Allocate() {
    inputs_.assign(InputCount(), hbDNNTensor{});
    outputs_.assign(OutputCount(), hbDNNTensor{});
    for (size_t i = 0; i < inputs_.size(); ++i) {
      hbDNNGetInputTensorProperties(&inputs_[i].properties, model_, static_cast<int32_t>(i));
      if (absl::Status s = AllocTensor(inputs_[i]); !s.ok()) return s;
    }
    for (size_t i = 0; i < outputs_.size(); ++i) {
      hbDNNGetOutputTensorProperties(&outputs_[i].properties, model_, static_cast<int32_t>(i));
      if (absl::Status s = AllocTensor(outputs_[i]); !s.ok()) return s;
    }
    return absl::OkStatus();
  }
  uint8_t* InputData(size_t i) { return static_cast<uint8_t*>(inputs_[i].sysMem[0].virAddr); }
  const hbDNNTensor& Output(size_t i) const { return outputs_[i]; }

  absl::Status Run(const std::string& what) {
    for (hbDNNTensor& t : inputs_) hbSysFlushMem(&t.sysMem[0], HB_SYS_MEM_CACHE_CLEAN);
    hbDNNTaskHandle_t task = nullptr;
    hbDNNInferCtrlParam param;
    HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&param);
    hbDNNTensor* outputs = outputs_.data();
    int32_t rc = hbDNNInfer(&task, &outputs, inputs_.data(), model_, &param);
    if (rc != 0) return CallError(absl::StrCat("hbDNNInfer on ", what), rc);
    rc = hbDNNWaitTaskDone(task, 0);
    hbDNNReleaseTask(task);
    if (rc != 0) return CallError(absl::StrCat("running ", what), rc);
    for (hbDNNTensor& t : outputs_) hbSysFlushMem(&t.sysMem[0], HB_SYS_MEM_CACHE_INVALIDATE);
    return absl::OkStatus();
  }

 private:
  absl::Status AllocTensor(hbDNNTensor& t) {
    int32_t rc = hbSysAllocCachedMem(&t.sysMem[0], t.properties.alignedByteSize);
    if (rc != 0) return CallError("hbSysAllocCachedMem", rc);
    std::memset(t.sysMem[0].virAddr, 0, t.properties.alignedByteSize);
    mems_.push_back(t.sysMem[0]);
    return absl::OkStatus();
  }

  absl::Status TakeModel() {
    const char** names = nullptr;
    int32_t count = 0;
    int32_t rc = hbDNNGetModelNameList(&names, &count, packed_);
    if (rc != 0 || count < 1) return CallError("hbDNNGetModelNameList", rc);
    rc = hbDNNGetModelHandle(&model_, packed_, names[0]);
    if (rc != 0) return CallError("hbDNNGetModelHandle", rc);
    return absl::OkStatus();
  }

  std::string bytes_;
  hbPackedDNNHandle_t packed_ = nullptr;
  hbDNNHandle_t model_ = nullptr;
  std::vector<hbDNNTensor> inputs_, outputs_;
  std::vector<hbSysMem> mems_;
};

// The Preprocess node reading the input named `input` in the hbm file, run on `image`.
absl::StatusOr<std::vector<float>> RunModelPreprocess(const std::string& hbm,
                                                      const std::string& input,
                                                      const std::vector<uint8_t>& image) {
  const fb::Package* package = fb::GetSizePrefixedPackage(hbm.data());
  const fb::Model* model = package->models()->Get(0);
  for (const fb::Node* node : *model->nodes()) {
    if (node->op_type()->str() != kernels::kPreprocessOp || node->inputs() == nullptr ||
        node->inputs()->size() != 1) {
      continue;
    }
    const fb::Tensor* in = model->tensors()->Get(node->inputs()->Get(0));
    if (in->name()->str() != input) continue;
    kernels::Attributes attributes;
    if (node->attributes() != nullptr) {
      for (const fb::Attribute* a : *node->attributes()) {
        if (a->type() == fb::AttributeType::STRING && a->s() != nullptr) {
          attributes.SetString(a->name()->str(), a->s()->str());
        } else if (a->type() == fb::AttributeType::FLOATS && a->floats() != nullptr) {
          attributes.SetFloats(a->name()->str(),
                               std::vector<float>(a->floats()->begin(), a->floats()->end()));
        }
      }
    }
    kernels::KernelCreateArgs args{attributes, kernels::kPreprocessVersion, 1, 1};
    auto kernel =
        kernels::OpRegistry::Builtin().Create(kernels::kHbDnnDomain, kernels::kPreprocessOp, args);
    if (!kernel.ok()) return kernel.status();
    kernels::Shape shape(in->shape()->begin(), in->shape()->end());
    std::vector<kernels::TensorInfo> outputs;
    absl::Status prepared = (*kernel)->Prepare({{kernels::DType::kU8, shape, nullptr}}, &outputs);
    if (!prepared.ok()) return prepared;
    std::vector<float> result(static_cast<size_t>(kernels::NumElements(outputs[0].shape)));
    absl::Status ran = (*kernel)->Run({{image.data(), kernels::DType::kU8, shape}},
                                      {{result.data(), kernels::DType::kF32, outputs[0].shape}});
    if (!ran.ok()) return ran;
    return result;
  }
  return Errorf(ErrorCode::kInvalidModel, "image input '", input,
                "' has no Preprocess node in the converted model");
}

}  // namespace

absl::StatusOr<std::vector<OutputComparison>> VerifyModel(const VerifyOptions& options) {
  tools::PackageBuilder package;
  onnx_import::ImportOptions import;
  import.model_name = "float_reference";
  import.input_shapes = options.input_shapes;
  absl::StatusOr<onnx_import::ImportReport> imported =
      onnx_import::ImportOnnxFile(options.onnx_path, import, &package);
  if (!imported.ok()) return imported.status();
  absl::StatusOr<std::string> float_bytes = package.Serialize();
  if (!float_bytes.ok()) return float_bytes.status();
  absl::StatusOr<std::string> hbm = ReadBytes(options.model_path);
  if (!hbm.ok()) return hbm.status();

  Loaded float_model, converted;
  if (absl::Status s = float_model.FromBytes(std::move(*float_bytes)); !s.ok()) return s;
  if (absl::Status s = converted.FromFile(options.model_path); !s.ok()) return s;
  if (float_model.InputCount() != converted.InputCount()) {
    return Errorf(ErrorCode::kInvalidArgument, "the ONNX model has ", float_model.InputCount(),
                  " inputs, the converted model ", converted.InputCount());
  }
  if (!options.input_files.empty() &&
      static_cast<int32_t>(options.input_files.size()) != converted.InputCount()) {
    return Errorf(ErrorCode::kInvalidArgument, options.input_files.size(),
                  " --input files for a model with ", converted.InputCount(), " inputs");
  }
  if (absl::Status s = float_model.Allocate(); !s.ok()) return s;
  if (absl::Status s = converted.Allocate(); !s.ok()) return s;

  std::mt19937 random(options.seed);
  for (int32_t i = 0; i < converted.InputCount(); ++i) {
    hbDNNTensorProperties p = converted.InputProperties(i);
    std::string name = converted.InputName(i);
    int32_t f = i;  // the float model's input of the same name, else the same position
    for (int32_t j = 0; j < float_model.InputCount(); ++j) {
      if (float_model.InputName(j) == name) f = j;
    }
    hbDNNTensorProperties fp = float_model.InputProperties(f);
    std::vector<int32_t> valid = Dims(p.validShape);
    std::vector<float> floats;
    if (IsImage(p.tensorType)) {
      const bool nv12 = IsNv12(p.tensorType);
      const bool planar = nv12 || p.tensorType == HB_DNN_IMG_TYPE_Y;
      const int64_t height = valid[2], width = valid[3];
      const int64_t bytes = nv12 ? height * width * 3 / 2 : Count(valid);
      std::vector<uint8_t> image(static_cast<size_t>(bytes));
      if (!options.input_files.empty()) {
        absl::StatusOr<std::string> data = ReadBytes(options.input_files[i]);
        if (!data.ok()) return data.status();
        if (static_cast<int64_t>(data->size()) != bytes) {
          return Errorf(ErrorCode::kInvalidArgument, "input file '", options.input_files[i],
                        "' has ", data->size(), " bytes, image input '", name, "' needs ", bytes);
        }
        std::memcpy(image.data(), data->data(), data->size());
      } else {
        std::uniform_int_distribution<int> pixel(0, 255);
        for (uint8_t& b : image) b = static_cast<uint8_t>(pixel(random));
      }
      // Planar images: rows of W bytes into the model's 16-aligned rows.
      if (planar) {
        const int64_t row = p.alignedShape.dimensionSize[3];
        for (int64_t r = 0; r < bytes / width; ++r) {
          std::memcpy(converted.InputData(i) + r * row, image.data() + r * width, width);
        }
      } else {
        std::memcpy(converted.InputData(i), image.data(), image.size());
      }
      absl::StatusOr<std::vector<float>> pre = RunModelPreprocess(*hbm, name, image);
      if (!pre.ok()) return pre.status();
      floats = std::move(*pre);
    } else {
      floats.resize(static_cast<size_t>(Count(valid)));
      if (!options.input_files.empty()) {
        absl::StatusOr<std::string> data = ReadBytes(options.input_files[i]);
        if (!data.ok()) return data.status();
        if (data->size() != floats.size() * sizeof(float)) {
          return Errorf(ErrorCode::kInvalidArgument, "input file '", options.input_files[i],
                        "' has ", data->size(), " bytes, input '", name, "' needs ",
                        floats.size() * sizeof(float), " (", floats.size(), " float32)");
        }
        std::memcpy(floats.data(), data->data(), data->size());
      } else {
        std::uniform_real_distribution<float> value(-1.0f, 1.0f);
        for (float& v : floats) v = value(random);
      }
      ForEachElement(p, [&](int64_t e, int64_t offset, const std::vector<int32_t>& index) {
        double zero = 0;
        double scale = p.tensorType == HB_DNN_TENSOR_TYPE_F32 ? 1.0 : ScaleOf(p, index, &zero);
        Store(p.tensorType, converted.InputData(i) + offset, floats[e] / scale + zero);
      });
    }
    if (Count(Dims(fp.validShape)) != static_cast<int64_t>(floats.size())) {
      return Errorf(ErrorCode::kInvalidArgument, "input '", name, "': the float model takes ",
                    Count(Dims(fp.validShape)), " values, the converted model's input gives ",
                    floats.size());
    }
    ForEachElement(fp, [&](int64_t e, int64_t offset, const std::vector<int32_t>&) {
      Store(HB_DNN_TENSOR_TYPE_F32, float_model.InputData(f) + offset, floats[e]);
    });
  }

  if (absl::Status s = float_model.Run("the float model"); !s.ok()) return s;
  if (absl::Status s = converted.Run("the converted model"); !s.ok()) return s;
  if (float_model.OutputCount() != converted.OutputCount()) {
    return Errorf(ErrorCode::kInvalidArgument, "the ONNX model has ", float_model.OutputCount(),
                  " outputs, the converted model ", converted.OutputCount());
  }
  std::vector<OutputComparison> comparisons;
  for (int32_t o = 0; o < converted.OutputCount(); ++o) {
    const hbDNNTensor& ft = float_model.Output(o);
    const hbDNNTensor& ct = converted.Output(o);
    std::vector<double> expected, actual;
    ForEachElement(ft.properties, [&](int64_t, int64_t offset, const std::vector<int32_t>&) {
      expected.push_back(Load(ft.properties.tensorType,
                              static_cast<const uint8_t*>(ft.sysMem[0].virAddr) + offset));
    });
    const hbDNNTensorProperties& cp = ct.properties;
    ForEachElement(cp, [&](int64_t, int64_t offset, const std::vector<int32_t>& index) {
      double zero = 0;
      double scale = cp.tensorType == HB_DNN_TENSOR_TYPE_F32 ? 1.0 : ScaleOf(cp, index, &zero);
      double q = Load(cp.tensorType, static_cast<const uint8_t*>(ct.sysMem[0].virAddr) + offset);
      actual.push_back((q - zero) * scale);
    });
    OutputComparison c;
    c.name = converted.OutputName(o);
    if (expected.size() != actual.size() || ElementBytes(cp.tensorType) == 0) {
      return Errorf(ErrorCode::kInvalidArgument, "output ", o, " '", c.name,
                    "': the float model gives ", expected.size(), " values, the converted model ",
                    actual.size(), " of type ", cp.tensorType);
    }
    double dot = 0, ee = 0, aa = 0;
    for (size_t k = 0; k < expected.size(); ++k) {
      dot += expected[k] * actual[k];
      ee += expected[k] * expected[k];
      aa += actual[k] * actual[k];
      c.max_abs_error = std::max(c.max_abs_error, std::fabs(expected[k] - actual[k]));
    }
    c.elements = static_cast<int64_t>(expected.size());
    c.cosine = (ee == 0 && aa == 0) ? 1.0 : (ee == 0 || aa == 0 ? 0.0 : dot / std::sqrt(ee * aa));
    comparisons.push_back(c);
  }
  return comparisons;
}

}  // namespace hb_dnn::mapper
