#include "tools/hb_mapper/calibration_maker.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tools/onnx_import/onnx_proto_util.h"

namespace hb_dnn::mapper {
namespace {

int64_t Elements(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

struct Geometry {
  int64_t channels = 1, height = 1, width = 1;
  bool nhwc = false;
  size_t Index(int64_t c, int64_t y, int64_t x) const {
    return static_cast<size_t>(nhwc ? (y * width + x) * channels + c
                                    : (c * height + y) * width + x);
  }
};

Geometry GeometryOf(const std::vector<int64_t>& shape, bool nhwc) {
  Geometry g;
  g.nhwc = nhwc;
  if (shape.size() == 4) {
    g.channels = nhwc ? shape[3] : shape[1];
    g.height = nhwc ? shape[1] : shape[2];
    g.width = nhwc ? shape[2] : shape[3];
  } else if (!shape.empty()) {
    g.width = shape.back();
    g.height = Elements(shape) / std::max<int64_t>(1, g.width);
  }
  return g;
}

// Light background, rows of dark glyph-like bars: pixel units, per channel of `g`.
std::vector<float> SyntheticText(const Geometry& g, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<float> image(static_cast<size_t>(g.channels * g.height * g.width));
  std::vector<double> background(static_cast<size_t>(g.channels)), ink(background.size());
  for (size_t c = 0; c < background.size(); ++c) {
    background[c] = 180 + 70 * unit(rng);
    ink[c] = 20 + 60 * unit(rng);
  }
  for (int64_t c = 0; c < g.channels; ++c) {
    for (int64_t y = 0; y < g.height; ++y) {
      for (int64_t x = 0; x < g.width; ++x) {
        image[g.Index(c, y, x)] = static_cast<float>(background[c] + 8 * (unit(rng) - 0.5));
      }
    }
  }
  const int64_t line = std::max<int64_t>(8, g.height / 6);
  for (int64_t top = line / 2; top + line <= g.height; top += line * 2) {
    int64_t x = static_cast<int64_t>(static_cast<double>(g.width) * (0.05 + 0.1 * unit(rng)));
    const int64_t end =
        static_cast<int64_t>(static_cast<double>(g.width) * (0.6 + 0.35 * unit(rng)));
    while (x < end) {
      const int64_t glyph = std::max<int64_t>(
          3, static_cast<int64_t>(static_cast<double>(line) * (0.4 + 0.5 * unit(rng))));
      const int bars = 1 + static_cast<int>(3 * unit(rng));
      for (int b = 0; b < bars; ++b) {
        const bool vertical = unit(rng) < 0.6;
        const int64_t y0 = top + static_cast<int64_t>(static_cast<double>(line) * 0.2 * unit(rng));
        const int64_t x0 = x + static_cast<int64_t>(static_cast<double>(glyph) * 0.7 * unit(rng));
        const int64_t h = vertical ? line * 7 / 10 : 2;
        const int64_t w = vertical ? 2 : glyph;
        for (int64_t yy = y0; yy < std::min(g.height, y0 + h); ++yy) {
          for (int64_t xx = x0; xx < std::min(g.width, x0 + w); ++xx) {
            for (int64_t c = 0; c < g.channels; ++c) {
              image[g.Index(c, yy, xx)] = static_cast<float>(ink[c]);
            }
          }
        }
      }
      x += glyph + 2 + static_cast<int64_t>(4 * unit(rng));
    }
  }
  return image;
}

// The reference, then seeded noisy copies (sigma = noise * its std deviation), odd ones flipped
// along the width.
std::vector<std::vector<float>> Variants(const std::vector<float>& reference, const Geometry& g,
                                         int count, double noise, uint32_t seed) {
  double mean = 0, sq = 0;
  for (float v : reference) {
    mean += v;
    sq += static_cast<double>(v) * v;
  }
  const double n = static_cast<double>(std::max<size_t>(1, reference.size()));
  mean /= n;
  const double sigma = std::sqrt(std::max(0.0, sq / n - mean * mean));
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, std::max(1e-12, noise * sigma));
  std::vector<std::vector<float>> out = {reference};
  for (int s = 1; s < count; ++s) {
    std::vector<float> x(reference.size());
    for (int64_t c = 0; c < g.channels; ++c) {
      for (int64_t y = 0; y < g.height; ++y) {
        for (int64_t col = 0; col < g.width; ++col) {
          const int64_t from = s % 2 == 1 ? g.width - 1 - col : col;
          x[g.Index(c, y, col)] =
              static_cast<float>(reference[g.Index(c, y, from)] + (noise > 0 ? normal(rng) : 0.0));
        }
      }
    }
    out.push_back(std::move(x));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> WriteCalibrationData(
    const MapperConfig& config, size_t input_index, const CalibrationInput& input,
    const std::string& dir, const CalibrationMakerOptions& options) {
  if (options.count < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("--count ", options.count, ": at least one calibration file is needed"));
  }
  InputConfig in;
  if (input_index < config.inputs.size()) in = config.inputs[input_index];
  const bool nhwc = in.input_layout_train == "NHWC";
  const Geometry g = GeometryOf(input.shape, nhwc);
  const int64_t elements = Elements(input.shape);
  std::vector<float> reference;
  const bool synthetic = options.source == kSyntheticTextSource;
  if (synthetic) {
    reference = SyntheticText(g, options.seed);
  } else {
    absl::StatusOr<onnx_import::DecodedTensor> tensor = onnx_import::ReadTensorFile(options.source);
    if (!tensor.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--source '", options.source, "': ", tensor.status().message()));
    }
    if (tensor->dtype != kernels::DType::kF32 ||
        static_cast<int64_t>(tensor->bytes.size()) != elements * 4) {
      return absl::InvalidArgumentError(
          absl::StrCat("--source '", options.source, "' holds ", tensor->bytes.size(),
                       " bytes; input '", input.name, "' needs float32 of shape ",
                       absl::StrJoin(input.shape, "x"), " (", elements * 4, " bytes)"));
    }
    reference.resize(static_cast<size_t>(elements));
    std::memcpy(reference.data(), tensor->bytes.data(), tensor->bytes.size());
  }

  const bool use_mean = in.norm_type == "data_mean" || in.norm_type == "data_mean_and_scale";
  const bool use_scale = in.norm_type == "data_scale" || in.norm_type == "data_mean_and_scale";
  auto pick = [](const std::vector<float>& v, int64_t c, float fallback) {
    if (v.empty()) return fallback;
    return v.size() == 1 ? v[0] : v[static_cast<size_t>(c) % v.size()];
  };
  const bool uint8_files = config.calibration.cal_data_type == "uint8";
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot create calibration directory '", dir, "': ", error.message()));
  }
  std::vector<std::string> written;
  const std::vector<std::vector<float>> samples =
      Variants(reference, g, options.count, options.noise, options.seed + 1);
  for (size_t s = 0; s < samples.size(); ++s) {
    std::vector<float> raw = samples[s];
    if (!synthetic && (use_mean || use_scale)) {
      for (int64_t c = 0; c < g.channels; ++c) {
        const float mean = use_mean ? pick(in.mean_value, c, 0.0f) : 0.0f;
        const float scale = use_scale ? pick(in.scale_value, c, 1.0f) : 1.0f;
        if (scale == 0.0f) {
          return absl::InvalidArgumentError(
              absl::StrCat("input_parameters.scale_value of input '", input.name, "' has a zero"));
        }
        for (int64_t y = 0; y < g.height; ++y) {
          for (int64_t x = 0; x < g.width; ++x) {
            float& v = raw[g.Index(c, y, x)];
            v = v / scale + mean;
          }
        }
      }
    }
    const std::string path =
        (std::filesystem::path(dir) / absl::StrFormat("cal_%04d.bin", s)).string();
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    if (uint8_files) {
      std::vector<uint8_t> bytes(raw.size());
      for (size_t k = 0; k < raw.size(); ++k) {
        bytes[k] = static_cast<uint8_t>(std::nearbyint(std::clamp(raw[k], 0.0f, 255.0f)));
      }
      file.write(reinterpret_cast<const char*>(bytes.data()),
                 static_cast<std::streamsize>(bytes.size()));
    } else {
      file.write(reinterpret_cast<const char*>(raw.data()),
                 static_cast<std::streamsize>(raw.size() * sizeof(float)));
    }
    if (!file) return absl::PermissionDeniedError(absl::StrCat("cannot write '", path, "'"));
    written.push_back(path);
  }
  return written;
}

}  // namespace hb_dnn::mapper
