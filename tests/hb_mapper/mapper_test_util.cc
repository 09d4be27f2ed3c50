#include "tests/hb_mapper/mapper_test_util.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "hb_dnn/hb_dnn.h"
#include "hb_dnn/hb_dnn_sim.h"
#include "hb_dnn/hb_sys.h"

namespace hb_dnn::testing {
namespace {

absl::Status ApiError(const char* what) {
  return absl::InternalError(absl::StrCat(what, ": ", hbDNNGetLastErrorDetail()));
}

double ScaleAt(const hbDNNTensorProperties& p, const std::vector<int32_t>& index) {
  const hbDNNQuantiScale& s = p.scale;
  if (p.quantiType != SCALE || s.scaleLen == 0) return 1.0;
  if (s.scaleLen == 1) return s.scaleData[0];
  return s.scaleData[index[static_cast<size_t>(p.quantizeAxis)]];
}

}  // namespace

namespace {

// One inference of model 0 of `packed` (released here in every case).
absl::StatusOr<std::vector<std::vector<double>>> InferLoaded(
    hbPackedDNNHandle_t packed, const std::vector<std::vector<float>>& inputs,
    std::vector<hbDNNTensorProperties>* input_properties) {
  const char** names = nullptr;
  int32_t count = 0;
  hbDNNHandle_t model = nullptr;
  if (hbDNNGetModelNameList(&names, &count, packed) != 0 || count < 1 ||
      hbDNNGetModelHandle(&model, packed, names[0]) != 0) {
    hbDNNRelease(packed);
    return ApiError("model handle");
  }
  int32_t input_count = 0, output_count = 0;
  hbDNNGetInputCount(&input_count, model);
  hbDNNGetOutputCount(&output_count, model);
  std::vector<hbDNNTensor> in(static_cast<size_t>(input_count));
  std::vector<hbDNNTensor> out(static_cast<size_t>(output_count));
  std::vector<hbSysMem> mems;
  auto cleanup = [&]() {
    for (hbSysMem& m : mems) hbSysFreeMem(&m);
    hbDNNRelease(packed);
  };
  if (static_cast<size_t>(input_count) != inputs.size()) {
    cleanup();
    return absl::InvalidArgumentError("input count differs");
  }
  for (int32_t i = 0; i < input_count; ++i) {
    hbDNNTensor& t = in[static_cast<size_t>(i)];
    hbDNNGetInputTensorProperties(&t.properties, model, i);
    if (input_properties != nullptr) input_properties->push_back(t.properties);
    const std::vector<float>& x = inputs[static_cast<size_t>(i)];
    const int32_t type = t.properties.tensorType;
    if (type <= HB_DNN_IMG_TYPE_BGR || type == HB_DNN_TENSOR_TYPE_U8) {
      // Image bytes, compact.
      t.properties.alignedShape = t.properties.validShape;
      hbSysAllocCachedMem(&t.sysMem[0], static_cast<uint32_t>(x.size()));
      mems.push_back(t.sysMem[0]);
      auto* bytes = static_cast<uint8_t*>(t.sysMem[0].virAddr);
      for (size_t k = 0; k < x.size(); ++k) {
        bytes[k] = static_cast<uint8_t>(std::clamp(std::nearbyint(x[k]), 0.0f, 255.0f));
      }
    } else {
      hbSysAllocMem(&t.sysMem[0], static_cast<uint32_t>(t.properties.alignedByteSize));
      mems.push_back(t.sysMem[0]);
      if (type == HB_DNN_TENSOR_TYPE_F32) {
        std::memcpy(t.sysMem[0].virAddr, x.data(), x.size() * sizeof(float));
      } else {
        auto* q = static_cast<int8_t*>(t.sysMem[0].virAddr);
        double scale = t.properties.scale.scaleData[0];
        for (size_t k = 0; k < x.size(); ++k) {
          q[k] = static_cast<int8_t>(std::clamp(std::nearbyint(x[k] / scale), -128.0, 127.0));
        }
      }
    }
    hbSysFlushMem(&t.sysMem[0], HB_SYS_MEM_CACHE_CLEAN);
  }
  for (int32_t i = 0; i < output_count; ++i) {
    hbDNNTensor& t = out[static_cast<size_t>(i)];
    hbDNNGetOutputTensorProperties(&t.properties, model, i);
    hbSysAllocMem(&t.sysMem[0], static_cast<uint32_t>(t.properties.alignedByteSize));
    mems.push_back(t.sysMem[0]);
  }
  hbDNNTaskHandle_t task = nullptr;
  hbDNNInferCtrlParam param;
  HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&param);
  hbDNNTensor* outp = out.data();
  if (hbDNNInfer(&task, &outp, in.data(), model, &param) != 0 ||
      hbDNNWaitTaskDone(task, 0) != 0) {
    absl::Status error = ApiError("infer");
    if (task != nullptr) hbDNNReleaseTask(task);
    cleanup();
    return error;
  }
  hbDNNReleaseTask(task);
  std::vector<std::vector<double>> results;
  for (hbDNNTensor& t : out) {
    hbSysFlushMem(&t.sysMem[0], HB_SYS_MEM_CACHE_INVALIDATE);
    const hbDNNTensorProperties& p = t.properties;
    int rank = p.validShape.numDimensions;
    std::vector<int32_t> valid(p.validShape.dimensionSize, p.validShape.dimensionSize + rank);
    std::vector<int32_t> stride(p.stride, p.stride + rank);
    int64_t total = 1;
    for (int32_t d : valid) total *= d;
    std::vector<double> values;
    std::vector<int32_t> index(static_cast<size_t>(rank), 0);
    const auto* base = static_cast<const uint8_t*>(t.sysMem[0].virAddr);
    for (int64_t e = 0; e < total; ++e) {
      int64_t offset = 0, rest = e;
      for (int d = rank - 1; d >= 0; --d) {
        index[static_cast<size_t>(d)] = static_cast<int32_t>(rest % valid[static_cast<size_t>(d)]);
        rest /= valid[static_cast<size_t>(d)];
        offset += static_cast<int64_t>(index[static_cast<size_t>(d)]) * stride[static_cast<size_t>(d)];
      }
      const uint8_t* at = base + offset;
      double v = 0;
      switch (p.tensorType) {
        case HB_DNN_TENSOR_TYPE_F32: {
          float f;
          std::memcpy(&f, at, 4);
          v = f;
          break;
        }
        case HB_DNN_TENSOR_TYPE_S8: v = static_cast<int8_t>(*at) * ScaleAt(p, index); break;
        case HB_DNN_TENSOR_TYPE_S32: {
          int32_t i32;
          std::memcpy(&i32, at, 4);
          v = i32 * ScaleAt(p, index);
          break;
        }
        default: break;
      }
      values.push_back(v);
    }
    results.push_back(std::move(values));
  }
  cleanup();
  return results;
}

}  // namespace

absl::StatusOr<std::vector<std::vector<double>>> InferWithLibdnn(
    const std::string& model_path, const std::vector<std::vector<float>>& inputs,
    std::vector<hbDNNTensorProperties>* input_properties) {
  hbPackedDNNHandle_t packed = nullptr;
  const char* files[] = {model_path.c_str()};
  if (hbDNNInitializeFromFiles(&packed, files, 1) != 0) return ApiError("load");
  return InferLoaded(packed, inputs, input_properties);
}

absl::StatusOr<std::vector<std::vector<double>>> InferWithLibdnnFromMemory(
    const std::string& model_bytes, const std::vector<std::vector<float>>& inputs) {
  hbPackedDNNHandle_t packed = nullptr;
  const void* data[] = {model_bytes.data()};
  int32_t lengths[] = {static_cast<int32_t>(model_bytes.size())};
  if (hbDNNInitializeFromDDR(&packed, data, lengths, 1) != 0) return ApiError("load");
  return InferLoaded(packed, inputs, nullptr);
}

double CosineSimilarity(const std::vector<double>& a, const std::vector<double>& b) {
  double dot = 0, na = 0, nb = 0;
  for (size_t k = 0; k < std::min(a.size(), b.size()); ++k) {
    dot += a[k] * b[k];
    na += a[k] * a[k];
    nb += b[k] * b[k];
  }
  if (na == 0 || nb == 0) return na == nb ? 1.0 : 0.0;
  return dot / std::sqrt(na * nb);
}

double MaxAbsDifference(const std::vector<double>& a, const std::vector<double>& b) {
  double m = 0;
  for (size_t k = 0; k < std::min(a.size(), b.size()); ++k) m = std::max(m, std::fabs(a[k] - b[k]));
  return m;
}

std::vector<std::vector<float>> NoisySamples(const std::vector<float>& reference,
                                             const std::vector<int64_t>& shape, int count,
                                             double noise, uint32_t seed) {
  double mean = 0, sq = 0;
  for (float v : reference) {
    mean += v;
    sq += static_cast<double>(v) * v;
  }
  mean /= static_cast<double>(reference.size());
  double sigma = std::sqrt(std::max(0.0, sq / static_cast<double>(reference.size()) - mean * mean));
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, noise * sigma);
  std::vector<std::vector<float>> samples = {reference};
  int64_t width = shape.back();
  for (int s = 1; s < count; ++s) {
    std::vector<float> x(reference.size());
    for (size_t k = 0; k < x.size(); ++k) {
      size_t src = k;
      if (s % 2 == 1) {
        int64_t col = static_cast<int64_t>(k) % width;
        src = k - static_cast<size_t>(col) + static_cast<size_t>(width - 1 - col);
      }
      x[k] = static_cast<float>(reference[src] + normal(rng));
    }
    samples.push_back(std::move(x));
  }
  return samples;
}

std::vector<float> UniformFloats(size_t n, float lo, float hi, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = u(rng);
  return v;
}

std::vector<float> SyntheticTextImage(int64_t height, int64_t width, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<float> image(static_cast<size_t>(3 * height * width));
  double background[3], ink[3];
  for (int c = 0; c < 3; ++c) {
    background[c] = 180 + 70 * unit(rng);
    ink[c] = 20 + 60 * unit(rng);
  }
  for (int c = 0; c < 3; ++c) {
    for (int64_t k = 0; k < height * width; ++k) {
      image[static_cast<size_t>(c * height * width + k)] =
          static_cast<float>(background[c] + 8 * (unit(rng) - 0.5));
    }
  }
  int64_t line_height = std::max<int64_t>(8, height / 6);
  for (int64_t top = line_height / 2; top + line_height <= height; top += line_height * 2) {
    int64_t x = static_cast<int64_t>(width * 0.05 + width * 0.1 * unit(rng));
    int64_t end = static_cast<int64_t>(width * (0.6 + 0.35 * unit(rng)));
    while (x < end) {
      int64_t glyph = std::max<int64_t>(3, static_cast<int64_t>(line_height * (0.4 + 0.5 * unit(rng))));
      int bars = 1 + static_cast<int>(3 * unit(rng));
      for (int b = 0; b < bars; ++b) {
        bool vertical = unit(rng) < 0.6;
        int64_t y0 = top + static_cast<int64_t>(line_height * 0.2 * unit(rng));
        int64_t x0 = x + static_cast<int64_t>(glyph * unit(rng) * 0.7);
        int64_t h = vertical ? line_height * 7 / 10 : 2;
        int64_t w = vertical ? 2 : glyph;
        for (int64_t yy = y0; yy < std::min(height, y0 + h); ++yy) {
          for (int64_t xx = x0; xx < std::min(width, x0 + w); ++xx) {
            for (int c = 0; c < 3; ++c) {
              image[static_cast<size_t>((c * height + yy) * width + xx)] = static_cast<float>(ink[c]);
            }
          }
        }
      }
      x += glyph + 2 + static_cast<int64_t>(4 * unit(rng));
    }
  }
  return image;
}

}  // namespace hb_dnn::testing
