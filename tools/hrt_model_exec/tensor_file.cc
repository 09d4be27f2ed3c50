#include "tools/hrt_model_exec/tensor_file.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "tools/hrt_model_exec/image_input.h"
#include "tools/hrt_model_exec/tensor_geometry.h"
#include "tools/hrt_model_exec/type_names.h"

namespace hb_dnn::tools {
namespace {

float HalfToFloat(uint16_t h) {
  uint32_t sign = (h >> 15) & 1;
  int32_t exponent = (h >> 10) & 0x1f;
  uint32_t mantissa = h & 0x3ff;
  float magnitude;
  if (exponent == 0) {
    magnitude = std::ldexp(static_cast<float>(mantissa), -24);
  } else if (exponent == 31) {
    magnitude = mantissa == 0 ? std::numeric_limits<float>::infinity()
                              : std::numeric_limits<float>::quiet_NaN();
  } else {
    magnitude = std::ldexp(static_cast<float>(mantissa | 0x400), exponent - 25);
  }
  return sign ? -magnitude : magnitude;
}

uint16_t FloatToHalf(float f) {
  uint16_t sign = std::signbit(f) ? 0x8000 : 0;
  float a = std::fabs(f);
  if (std::isnan(a)) return sign | 0x7e00;
  if (a >= 65520.0f) return sign | 0x7c00;
  if (a < std::ldexp(1.0f, -14)) {
    return sign | static_cast<uint16_t>(std::nearbyint(a * std::ldexp(1.0f, 24)));
  }
  int exponent = 0;
  float fraction = std::frexp(a, &exponent);  // a = fraction * 2^exponent, fraction in [0.5, 1)
  uint32_t mantissa = static_cast<uint32_t>(std::nearbyint((fraction * 2 - 1) * 1024));
  uint32_t biased = static_cast<uint32_t>(exponent - 1 + 15);
  if (mantissa == 1024) {
    mantissa = 0;
    ++biased;
  }
  return static_cast<uint16_t>(sign | (biased << 10) | mantissa);
}

template <typename T>
T Load(const uint8_t* p) {
  T value;
  std::memcpy(&value, p, sizeof(T));
  return value;
}

double ReadElement(const uint8_t* p, int32_t type) {
  switch (type) {
    case HB_DNN_TENSOR_TYPE_S4:
    case HB_DNN_TENSOR_TYPE_S8:
      return Load<int8_t>(p);
    case HB_DNN_TENSOR_TYPE_F16:
      return HalfToFloat(Load<uint16_t>(p));
    case HB_DNN_TENSOR_TYPE_S16:
      return Load<int16_t>(p);
    case HB_DNN_TENSOR_TYPE_U16:
      return Load<uint16_t>(p);
    case HB_DNN_TENSOR_TYPE_F32:
      return Load<float>(p);
    case HB_DNN_TENSOR_TYPE_S32:
      return Load<int32_t>(p);
    case HB_DNN_TENSOR_TYPE_U32:
      return Load<uint32_t>(p);
    case HB_DNN_TENSOR_TYPE_F64:
      return Load<double>(p);
    case HB_DNN_TENSOR_TYPE_S64:
      return static_cast<double>(Load<int64_t>(p));
    case HB_DNN_TENSOR_TYPE_U64:
      return static_cast<double>(Load<uint64_t>(p));
    default:
      return *p;  // image types, U4, U8
  }
}

template <typename T>
void StoreInt(double value, uint8_t* p) {
  double lo = static_cast<double>(std::numeric_limits<T>::lowest());
  double hi = static_cast<double>(std::numeric_limits<T>::max());
  T v = static_cast<T>(std::clamp(std::nearbyint(value), lo, hi));
  std::memcpy(p, &v, sizeof(T));
}

void WriteElement(double value, int32_t type, uint8_t* p) {
  switch (type) {
    case HB_DNN_TENSOR_TYPE_S4:
    case HB_DNN_TENSOR_TYPE_S8:
      StoreInt<int8_t>(value, p);
      break;
    case HB_DNN_TENSOR_TYPE_F16: {
      uint16_t h = FloatToHalf(static_cast<float>(value));
      std::memcpy(p, &h, sizeof(h));
      break;
    }
    case HB_DNN_TENSOR_TYPE_S16:
      StoreInt<int16_t>(value, p);
      break;
    case HB_DNN_TENSOR_TYPE_U16:
      StoreInt<uint16_t>(value, p);
      break;
    case HB_DNN_TENSOR_TYPE_F32: {
      float f = static_cast<float>(value);
      std::memcpy(p, &f, sizeof(f));
      break;
    }
    case HB_DNN_TENSOR_TYPE_S32:
      StoreInt<int32_t>(value, p);
      break;
    case HB_DNN_TENSOR_TYPE_U32:
      StoreInt<uint32_t>(value, p);
      break;
    case HB_DNN_TENSOR_TYPE_F64:
      std::memcpy(p, &value, sizeof(value));
      break;
    case HB_DNN_TENSOR_TYPE_S64:
      StoreInt<int64_t>(value, p);
      break;
    case HB_DNN_TENSOR_TYPE_U64:
      StoreInt<uint64_t>(value, p);
      break;
    default:
      StoreInt<uint8_t>(value, p);
      break;
  }
}

bool IsFloatType(int32_t type) {
  return type == HB_DNN_TENSOR_TYPE_F16 || type == HB_DNN_TENSOR_TYPE_F32 ||
         type == HB_DNN_TENSOR_TYPE_F64;
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot open input file '", path, "': ", std::strerror(errno)));
  }
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// Compact strides of validShape, for a tensor described with alignedShape = validShape.
void MakeCompact(hbDNNTensorProperties* properties) {
  properties->alignedShape = properties->validShape;
  if (IsImageType(properties->tensorType)) return;
  int64_t next = ElementBytes(properties->tensorType);
  for (int32_t i = properties->validShape.numDimensions - 1; i >= 0; --i) {
    properties->stride[i] = static_cast<int32_t>(next);
    next *= properties->validShape.dimensionSize[i];
  }
}

// Calls `visit(byte_offset, channel)` for each valid element in row-major order, where channel
// is the element's index along quantizeAxis (0 when the axis is out of range).
template <typename Visit>
void ForEachValid(const hbDNNTensorProperties& properties, Visit visit) {
  const hbDNNTensorShape& shape = properties.validShape;
  std::vector<int64_t> strides = ByteStrides(properties);
  int32_t rank = shape.numDimensions;
  if (rank == 0 || ElementCount(shape) == 0) return;
  std::vector<int32_t> index(static_cast<size_t>(rank), 0);
  int32_t axis = properties.quantizeAxis;
  while (true) {
    int64_t offset = 0;
    for (int32_t d = 0; d < rank; ++d) offset += index[d] * strides[d];
    visit(offset, axis >= 0 && axis < rank ? index[axis] : 0);
    int32_t d = rank - 1;
    while (d >= 0 && ++index[d] == shape.dimensionSize[d]) index[d--] = 0;
    if (d < 0) return;
  }
}

double Dequantize(double value, const hbDNNTensorProperties& p, int32_t channel) {
  if (p.quantiType == SCALE && p.scale.scaleLen > 0) {
    int32_t c = p.scale.scaleLen == 1 ? 0 : std::min(channel, p.scale.scaleLen - 1);
    double zero_point = 0;
    if (p.scale.zeroPointLen > 0 && p.scale.zeroPointData != nullptr) {
      zero_point = p.scale.zeroPointData[p.scale.zeroPointLen == 1
                                             ? 0
                                             : std::min(channel, p.scale.zeroPointLen - 1)];
    }
    return (value - zero_point) * p.scale.scaleData[c];
  }
  if (p.quantiType == SHIFT && p.shift.shiftLen > 0) {
    int32_t c = p.shift.shiftLen == 1 ? 0 : std::min(channel, p.shift.shiftLen - 1);
    return std::ldexp(value, -static_cast<int>(p.shift.shiftData[c]));
  }
  return value;
}

// Bytes of the tensor's buffer as described: compact data when alignedShape is validShape.
int64_t BufferBytes(const hbDNNTensorProperties& p) {
  bool compact = p.alignedShape.numDimensions == p.validShape.numDimensions;
  for (int32_t i = 0; compact && i < p.validShape.numDimensions; ++i) {
    compact = p.alignedShape.dimensionSize[i] == p.validShape.dimensionSize[i];
  }
  return compact ? std::min<int64_t>(p.alignedByteSize, CompactByteSize(p)) : p.alignedByteSize;
}

bool WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

}  // namespace

absl::StatusOr<InputData> ReadInputFile(const std::string& path,
                                        const hbDNNTensorProperties& properties,
                                        absl::string_view what) {
  std::string lower = absl::AsciiStrToLower(path);
  if (absl::EndsWith(lower, ".jpg") || absl::EndsWith(lower, ".jpeg") ||
      absl::EndsWith(lower, ".png")) {
    absl::StatusOr<RgbImage> image = DecodeImage(path);
    if (!image.ok())
      return absl::Status(image.status().code(),
                          absl::StrCat(what, ": ", image.status().message()));
    absl::StatusOr<std::string> bytes = ImageToInputBytes(*image, properties, what);
    if (!bytes.ok()) return bytes.status();
    InputData data;
    data.compact = static_cast<int64_t>(bytes->size()) != properties.alignedByteSize;
    data.bytes = *std::move(bytes);
    return data;
  }
  bool is_bin = absl::EndsWith(lower, ".bin");
  bool is_txt = absl::EndsWith(lower, ".txt");
  if (!is_bin && !is_txt) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": input file '", path, "' must end in .bin, .txt, .jpg, .jpeg or .png"));
  }
  absl::StatusOr<std::string> content = ReadWholeFile(path);
  if (!content.ok()) return content.status();
  int64_t aligned = properties.alignedByteSize;
  int64_t compact = CompactByteSize(properties);
  InputData data;
  if (is_bin) {
    int64_t size = static_cast<int64_t>(content->size());
    if (size != aligned && size != compact) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: input file '%s' holds %d bytes; expected %d (aligned byte size) or %d (valid "
          "data without padding)",
          what, path, size, aligned, compact));
    }
    data.compact = size != aligned;
    data.bytes = *std::move(content);
    return data;
  }
  if (properties.tensorType == HB_DNN_IMG_TYPE_NV12) {
    return absl::UnimplementedError(absl::StrCat(
        what, ": .txt input for an NV12 tensor is not supported; pass the NV12 bytes as .bin"));
  }
  std::vector<absl::string_view> tokens =
      absl::StrSplit(*content, absl::ByAnyChar(" \t\r\n,"), absl::SkipEmpty());
  int64_t count = ElementCount(properties.validShape);
  if (static_cast<int64_t>(tokens.size()) != count) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: input file '%s' holds %d numbers; the valid shape needs %d", what,
                        path, tokens.size(), count));
  }
  int bytes = ElementBytes(properties.tensorType);
  data.bytes.assign(static_cast<size_t>(count * bytes), '\0');
  for (int64_t i = 0; i < count; ++i) {
    double value = 0;
    if (!absl::SimpleAtod(tokens[static_cast<size_t>(i)], &value)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: input file '%s': '%s' is not a number", what, path, tokens[static_cast<size_t>(i)]));
    }
    WriteElement(value, properties.tensorType,
                 reinterpret_cast<uint8_t*>(&data.bytes[static_cast<size_t>(i * bytes)]));
  }
  data.compact = compact != aligned;
  return data;
}

void ApplyInput(const InputData& data, hbDNNTensor* tensor) {
  if (data.compact) MakeCompact(&tensor->properties);
  size_t size = std::min<size_t>(data.bytes.size(), tensor->sysMem[0].memSize);
  std::memcpy(tensor->sysMem[0].virAddr, data.bytes.data(), size);
}

void FillRandom(uint32_t seed, hbDNNTensor* tensor) {
  std::mt19937 random(seed);
  auto* bytes = static_cast<uint8_t*>(tensor->sysMem[0].virAddr);
  size_t size = tensor->sysMem[0].memSize;
  int32_t type = tensor->properties.tensorType;
  if (IsFloatType(type)) {
    std::uniform_real_distribution<double> values(-1.0, 1.0);
    size_t step = static_cast<size_t>(ElementBytes(type));
    for (size_t i = 0; i + step <= size; i += step) WriteElement(values(random), type, bytes + i);
    return;
  }
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<uint8_t>(random() & 0xff);
}

std::vector<double> ValidValues(const hbDNNTensor& tensor, bool dequantize) {
  const hbDNNTensorProperties& p = tensor.properties;
  const auto* base = static_cast<const uint8_t*>(tensor.sysMem[0].virAddr);
  std::vector<double> values;
  if (p.tensorType == HB_DNN_IMG_TYPE_NV12) {
    int64_t size = std::min<int64_t>(CompactByteSize(p), tensor.sysMem[0].memSize);
    values.assign(base, base + size);
    return values;
  }
  values.reserve(static_cast<size_t>(ElementCount(p.validShape)));
  ForEachValid(p, [&](int64_t offset, int32_t channel) {
    double value = ReadElement(base + offset, p.tensorType);
    values.push_back(dequantize ? Dequantize(value, p, channel) : value);
  });
  return values;
}

absl::StatusOr<std::string> DumpTensor(const hbDNNTensor& tensor, const std::string& path_stem,
                                       const DumpOptions& options) {
  const hbDNNTensorProperties& p = tensor.properties;
  bool dequantize = options.dequantize && p.quantiType != NONE;
  std::string path = absl::StrCat(path_stem, options.txt ? ".txt" : ".bin");
  std::string bytes;
  if (!options.txt && !dequantize) {
    bytes.assign(static_cast<const char*>(tensor.sysMem[0].virAddr),
                 static_cast<size_t>(BufferBytes(p)));
  } else if (!options.txt) {
    for (double value : ValidValues(tensor, true)) {
      float f = static_cast<float>(value);
      bytes.append(reinterpret_cast<const char*>(&f), sizeof(f));
    }
  } else {
    std::vector<double> values = ValidValues(tensor, dequantize);
    bool as_float = dequantize || IsFloatType(p.tensorType);
    int64_t per_line = 1;
    for (int32_t d = std::max(options.txt_axis, 0); d < p.validShape.numDimensions; ++d) {
      per_line *= p.validShape.dimensionSize[d];
    }
    if (p.tensorType == HB_DNN_IMG_TYPE_NV12) per_line = 1;
    for (size_t i = 0; i < values.size(); ++i) {
      if (as_float) {
        absl::StrAppendFormat(&bytes, "%.*f", options.precision, values[i]);
      } else {
        absl::StrAppendFormat(&bytes, "%.0f", values[i]);
      }
      bytes += (static_cast<int64_t>(i + 1) % std::max<int64_t>(per_line, 1) == 0) ? '\n' : ' ';
    }
  }
  if (!WriteFile(path, bytes)) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot write dump file '", path, "': ", std::strerror(errno)));
  }
  return path;
}

}  // namespace hb_dnn::tools
