#include "tools/hb_mapper/mapper_yaml.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "src/base/status.h"
#include "yaml-cpp/yaml.h"

namespace hb_dnn::mapper {
namespace {

constexpr char kModel[] = "model_parameters";
constexpr char kInput[] = "input_parameters";
constexpr char kCalibration[] = "calibration_parameters";
constexpr char kCompiler[] = "compiler_parameters";

const std::map<std::string, std::vector<std::string>>& KnownKeys() {
  static const auto* keys = new std::map<std::string, std::vector<std::string>>{
      {kModel,
       {"onnx_model", "march", "layer_out_dump", "working_dir", "output_model_file_prefix",
        "remove_node_type"}},
      {kInput,
       {"input_name", "input_type_rt", "input_layout_rt", "input_type_train", "input_layout_train",
        "input_shape", "input_batch", "norm_type", "mean_value", "scale_value"}},
      {kCalibration,
       {"cal_data_dir", "cal_data_type", "preprocess_on", "calibration_type", "max_percentile",
        "run_on_cpu", "run_on_bpu", "bias_correction", "cosine_target"}},
      {kCompiler, {"compile_mode", "debug", "core_num", "optimize_level", "max_time_per_fc"}},
  };
  return *keys;
}

// Keys of the seed's Caffe template, named in the error for an ONNX conversion.
const std::set<std::string>& CaffeKeys() {
  static const auto* keys = new std::set<std::string>{"caffe_model", "prototxt"};
  return *keys;
}

int EditDistance(const std::string& a, const std::string& b) {
  std::vector<int> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    int diagonal = row[0];
    row[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      int above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// " (did you mean 'x'?)" for a near miss among `known`, else "".
std::string Suggestion(const std::string& key, const std::vector<std::string>& known) {
  std::string best;
  int best_distance = 3;
  for (const std::string& k : known) {
    int d = EditDistance(absl::AsciiStrToLower(key), k);
    if (d < best_distance) {
      best_distance = d;
      best = k;
    }
  }
  return best.empty() ? "" : absl::StrCat(" (did you mean '", best, "'?)");
}

std::string KindName(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    default:
      return "a scalar";
  }
}

// Absent, null, '' and None all select the default.
bool IsDefault(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return true;
  if (!node.IsScalar()) return false;
  std::string text(absl::StripAsciiWhitespace(node.Scalar()));
  return text.empty() || text == "None";
}

bool IsDefaultText(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  return text.empty() || text == "None";
}

class Reader {
 public:
  explicit Reader(std::string base_dir) : base_dir_(std::move(base_dir)) {}

  absl::StatusOr<MapperConfig> Read(const YAML::Node& root) {
    CollectSections(root);
    if (errors_.empty() || !values_.empty()) {
      ReadModel();
      ReadInputs();
      ReadCalibration();
      ReadCompiler();
    }
    if (!errors_.empty()) {
      return Error(ErrorCode::kInvalidArgument, absl::StrJoin(errors_, "\n"));
    }
    return config_;
  }

 private:
  void Fail(const std::string& path, const std::string& message) {
    errors_.push_back(absl::StrCat(path, ": ", message));
  }

  void CollectSections(const YAML::Node& root) {
    if (!root.IsDefined() || root.IsNull()) {
      Fail("<file>", absl::StrCat("is empty; expected the sections ", kModel, ", ", kInput, ", ",
                                  kCalibration, " and ", kCompiler));
      return;
    }
    if (!root.IsMap()) {
      Fail("<file>", absl::StrCat("is ", KindName(root), "; expected a mapping with the sections ",
                                  kModel, ", ", kInput, ", ", kCalibration, " and ", kCompiler));
      return;
    }
    std::vector<std::string> sections;
    for (const auto& [name, keys] : KnownKeys()) sections.push_back(name);
    for (const auto& entry : root) {
      std::string section = entry.first.as<std::string>("");
      auto known = KnownKeys().find(section);
      if (known == KnownKeys().end()) {
        Fail(section, absl::StrCat("unknown section", Suggestion(section, sections), "; expected ",
                                   absl::StrJoin(sections, ", ")));
        continue;
      }
      if (values_.count(section) != 0) {
        Fail(section, "appears twice");
        continue;
      }
      std::map<std::string, YAML::Node>& keys = values_[section];
      const YAML::Node& body = entry.second;
      if (body.IsNull()) continue;
      if (!body.IsMap()) {
        Fail(section, absl::StrCat("is ", KindName(body), "; expected a mapping of keys"));
        continue;
      }
      for (const auto& item : body) {
        std::string key = item.first.as<std::string>("");
        std::string path = absl::StrCat(section, ".", key);
        if (CaffeKeys().count(key) != 0) {
          Fail(path, absl::StrCat("is a key of the Caffe template, but this hb_mapper converts "
                                  "ONNX models only (--model-type onnx); give the model as ",
                                  kModel, ".onnx_model"));
          continue;
        }
        const std::vector<std::string>& allowed = known->second;
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
          Fail(path, absl::StrCat("unknown key", Suggestion(key, allowed), "; ", section, " takes ",
                                  absl::StrJoin(allowed, ", ")));
          continue;
        }
        if (keys.count(key) != 0) {
          Fail(path, "appears twice");
          continue;
        }
        keys[key] = item.second;
      }
    }
    for (const char* required : {kModel, kInput, kCalibration}) {
      if (values_.count(required) == 0) Fail(required, "required section is missing");
    }
  }

  YAML::Node Get(const char* section, const char* key) const {
    auto s = values_.find(section);
    if (s == values_.end()) return YAML::Node(YAML::NodeType::Undefined);
    auto k = s->second.find(key);
    return k == s->second.end() ? YAML::Node(YAML::NodeType::Undefined) : k->second;
  }

  static std::string PathOf(const char* section, const char* key) {
    return absl::StrCat(section, ".", key);
  }

  // The scalar text of a key; nullopt for the default or after a type error.
  std::optional<std::string> Text(const char* section, const char* key) {
    YAML::Node node = Get(section, key);
    if (IsDefault(node)) return std::nullopt;
    if (!node.IsScalar()) {
      Fail(PathOf(section, key), absl::StrCat("expected a single value, got ", KindName(node)));
      return std::nullopt;
    }
    return std::string(absl::StripAsciiWhitespace(node.Scalar()));
  }

  std::optional<bool> Bool(const char* section, const char* key) {
    std::optional<std::string> text = Text(section, key);
    if (!text) return std::nullopt;
    std::string lower = absl::AsciiStrToLower(*text);
    if (lower == "true" || lower == "yes" || lower == "on") return true;
    if (lower == "false" || lower == "no" || lower == "off") return false;
    Fail(PathOf(section, key), absl::StrCat("expected True or False, got '", *text, "'"));
    return std::nullopt;
  }

  std::optional<int64_t> Int(const char* section, const char* key, int64_t min, int64_t max) {
    std::optional<std::string> text = Text(section, key);
    if (!text) return std::nullopt;
    int64_t value = 0;
    if (!absl::SimpleAtoi(*text, &value)) {
      Fail(PathOf(section, key), absl::StrCat("expected an integer, got '", *text, "'"));
      return std::nullopt;
    }
    if (value < min || value > max) {
      Fail(PathOf(section, key), absl::StrCat(value, " is outside [", min, ", ", max, "]"));
      return std::nullopt;
    }
    return value;
  }

  std::optional<double> Real(const char* section, const char* key, double min, double max) {
    std::optional<std::string> text = Text(section, key);
    if (!text) return std::nullopt;
    double value = 0;
    if (!absl::SimpleAtod(*text, &value)) {
      Fail(PathOf(section, key), absl::StrCat("expected a number, got '", *text, "'"));
      return std::nullopt;
    }
    if (!(value >= min && value <= max)) {
      Fail(PathOf(section, key), absl::StrCat(*text, " is outside [", min, ", ", max, "]"));
      return std::nullopt;
    }
    return value;
  }

  // `value` matched case-insensitively against `allowed`; the canonical spelling or nullopt.
  std::optional<std::string> OneOf(const std::string& path, const std::string& value,
                                   const std::vector<std::string>& allowed) {
    for (const std::string& a : allowed) {
      if (absl::EqualsIgnoreCase(a, value)) return a;
    }
    Fail(path, absl::StrCat("'", value, "' is not one of ", absl::StrJoin(allowed, ", ")));
    return std::nullopt;
  }

  std::optional<std::string> Enum(const char* section, const char* key,
                                  const std::vector<std::string>& allowed) {
    std::optional<std::string> text = Text(section, key);
    if (!text) return std::nullopt;
    return OneOf(PathOf(section, key), *text, allowed);
  }

  // A ';'-separated list (a YAML list of scalars is accepted too); empty for the default.
  std::vector<std::string> List(const char* section, const char* key) {
    YAML::Node node = Get(section, key);
    std::vector<std::string> items;
    if (node.IsSequence()) {
      for (const YAML::Node& item : node) {
        if (!item.IsScalar()) {
          Fail(PathOf(section, key),
               absl::StrCat("list items must be single values, got ", KindName(item)));
          return {};
        }
        items.emplace_back(absl::StripAsciiWhitespace(item.Scalar()));
      }
      return items;
    }
    std::optional<std::string> text = Text(section, key);
    if (!text) return items;
    for (absl::string_view part : absl::StrSplit(*text, ';')) {
      items.emplace_back(absl::StripAsciiWhitespace(part));
    }
    return items;
  }

  std::string ResolvePath(const std::string& path) const {
    std::filesystem::path p(path);
    if (base_dir_.empty() || p.is_absolute()) return path;
    return (std::filesystem::path(base_dir_) / p).lexically_normal().string();
  }

  void ReadModel() {
    MapperConfig& c = config_;
    if (std::optional<std::string> model = Text(kModel, "onnx_model")) {
      c.onnx_model = ResolvePath(*model);
    } else if (values_.count(kModel) != 0) {
      Fail(PathOf(kModel, "onnx_model"), "required: the path of the ONNX model to convert");
    }
    if (std::optional<std::string> march = Enum(kModel, "march", {"bernoulli2", "bayes"})) {
      c.march = *march;
    } else if (values_.count(kModel) != 0 && IsDefault(Get(kModel, "march"))) {
      Fail(PathOf(kModel, "march"), "required: bernoulli2 (X3/J3) or bayes (J5)");
    }
    if (std::optional<bool> dump = Bool(kModel, "layer_out_dump")) c.layer_out_dump = *dump;
    if (std::optional<std::string> dir = Text(kModel, "working_dir")) c.working_dir = *dir;
    c.working_dir = ResolvePath(c.working_dir);
    if (std::optional<std::string> prefix = Text(kModel, "output_model_file_prefix")) {
      if (prefix->find('/') != std::string::npos) {
        Fail(PathOf(kModel, "output_model_file_prefix"),
             absl::StrCat("'", *prefix,
                          "' must be a file name prefix without '/' (the files go "
                          "into working_dir)"));
      } else {
        c.output_model_file_prefix = *prefix;
      }
    }
    for (const std::string& type : List(kModel, "remove_node_type")) {
      if (IsDefaultText(type)) continue;
      if (std::optional<std::string> canonical =
              OneOf(PathOf(kModel, "remove_node_type"), type, {"Quantize", "Dequantize"})) {
        c.remove_node_type.push_back(*canonical);
      }
    }
  }

  void ReadInputs() {
    if (values_.count(kInput) == 0) return;
    static const char* const kPerInput[] = {
        "input_name",  "input_type_rt", "input_layout_rt", "input_type_train", "input_layout_train",
        "input_shape", "norm_type",     "mean_value",      "scale_value"};
    std::map<std::string, std::vector<std::string>> lists;
    size_t count = 1;
    std::string longest;
    for (const char* key : kPerInput) {
      lists[key] = List(kInput, key);
      if (lists[key].size() > count) {
        count = lists[key].size();
        longest = key;
      }
    }
    for (const char* key : kPerInput) {
      size_t n = lists[key].size();
      if (n != 0 && n != count) {
        Fail(PathOf(kInput, key),
             absl::StrCat(n, " value(s) for ", count, " inputs (", kInput, ".", longest, " has ",
                          count, "); give one ';'-separated value per input"));
      }
      lists[key].resize(count);
    }
    config_.inputs.resize(count);
    for (size_t i = 0; i < count; ++i) {
      ReadInput(i, count, lists, &config_.inputs[i]);
    }
    if (std::optional<int64_t> batch = Int(kInput, "input_batch", 1, 4096)) {
      if (*batch > 1 && count > 1) {
        Fail(PathOf(kInput, "input_batch"),
             absl::StrCat(*batch, " needs a model with one input; this one has ", count));
      }
      config_.input_batch = static_cast<int>(*batch);
    }
  }

  void ReadInput(size_t i, size_t count,
                 const std::map<std::string, std::vector<std::string>>& lists, InputConfig* in) {
    std::string suffix = count > 1 ? absl::StrCat("[", i, "]") : "";
    auto path = [&](const char* key) { return absl::StrCat(kInput, ".", key, suffix); };
    auto item = [&](const char* key) -> std::optional<std::string> {
      const std::string& v = lists.at(key)[i];
      if (IsDefaultText(v)) return std::nullopt;
      return v;
    };
    static const std::vector<std::string> kRtTypes = {"nv12",   "rgb",  "bgr",
                                                      "yuv444", "gray", "featuremap"};
    static const std::vector<std::string> kTrainTypes = {"rgb", "bgr", "yuv444", "gray",
                                                         "featuremap"};
    static const std::vector<std::string> kLayouts = {"NHWC", "NCHW"};
    if (std::optional<std::string> name = item("input_name")) in->name = *name;

    bool rt_ok = false, train_ok = false, layout_train_ok = false;
    if (std::optional<std::string> rt = item("input_type_rt")) {
      std::optional<std::string> v = OneOf(path("input_type_rt"), *rt, kRtTypes);
      if (v) in->input_type_rt = *v;
      rt_ok = v.has_value();
    } else {
      Fail(path("input_type_rt"),
           "required: the run-time input type (nv12, rgb, bgr, yuv444, gray or featuremap)");
    }
    if (std::optional<std::string> train = item("input_type_train")) {
      std::optional<std::string> v = OneOf(path("input_type_train"), *train, kTrainTypes);
      if (v) in->input_type_train = *v;
      train_ok = v.has_value();
    } else {
      Fail(path("input_type_train"),
           "required: the training input type (rgb, bgr, yuv444, gray or featuremap)");
    }
    if (std::optional<std::string> layout = item("input_layout_train")) {
      std::optional<std::string> v = OneOf(path("input_layout_train"), *layout, kLayouts);
      if (v) in->input_layout_train = *v;
      layout_train_ok = v.has_value();
    } else {
      Fail(path("input_layout_train"), "required: NHWC or NCHW, the float model's input layout");
    }
    if (std::optional<std::string> layout = item("input_layout_rt")) {
      if (std::optional<std::string> v = OneOf(path("input_layout_rt"), *layout, kLayouts)) {
        in->input_layout_rt = *v;
      }
    } else if (rt_ok && in->input_type_rt == "featuremap") {
      in->input_layout_rt = in->input_layout_train;
    } else if (rt_ok && in->input_type_rt != "nv12") {
      Fail(path("input_layout_rt"),
           absl::StrCat("required for input_type_rt '", in->input_type_rt,
                        "': NHWC or NCHW, the layout of the images fed at run time"));
    }
    if (rt_ok && train_ok) CheckTypePair(path("input_type_train"), *in);

    int channels = 0;  // 0 = any (featuremap)
    if (train_ok && in->input_type_train != "featuremap") {
      channels = in->input_type_train == "gray" ? 1 : 3;
    }
    if (std::optional<std::string> shape_text = item("input_shape")) {
      absl::StatusOr<std::vector<int64_t>> shape = ParseInputShape(*shape_text);
      if (!shape.ok()) {
        Fail(path("input_shape"), std::string(shape.status().message()));
      } else {
        in->input_shape = *shape;
        if (channels != 0 && layout_train_ok) CheckImageShape(path("input_shape"), channels, *in);
      }
    }

    std::string norm = "no_preprocess";
    if (std::optional<std::string> n = item("norm_type")) {
      std::optional<std::string> v =
          OneOf(path("norm_type"), *n,
                {"no_preprocess", "data_mean", "data_scale", "data_mean_and_scale"});
      if (!v) return;
      norm = *v;
    }
    in->norm_type = norm;
    bool wants_mean = norm == "data_mean" || norm == "data_mean_and_scale";
    bool wants_scale = norm == "data_scale" || norm == "data_mean_and_scale";
    ReadValues(path("mean_value"), item("mean_value"), wants_mean, norm, channels, &in->mean_value);
    ReadValues(path("scale_value"), item("scale_value"), wants_scale, norm, channels,
               &in->scale_value);
  }

  // The conversions the Preprocess op implements (src/kernels/reference/preprocess.cc).
  void CheckTypePair(const std::string& path, const InputConfig& in) {
    static const std::map<std::string, std::vector<std::string>> kTargets = {
        {"nv12", {"yuv444", "rgb", "bgr", "gray"}},
        {"yuv444", {"yuv444", "rgb", "bgr", "gray"}},
        {"rgb", {"rgb", "bgr", "yuv444", "gray"}},
        {"bgr", {"rgb", "bgr", "yuv444", "gray"}},
        {"gray", {"gray"}},
        {"featuremap", {"featuremap"}},
    };
    const std::vector<std::string>& targets = kTargets.at(in.input_type_rt);
    if (std::find(targets.begin(), targets.end(), in.input_type_train) == targets.end()) {
      Fail(path, absl::StrCat("'", in.input_type_train, "' cannot be produced from input_type_rt '",
                              in.input_type_rt, "' (", in.input_type_rt, " converts to ",
                              absl::StrJoin(targets, ", "), ")"));
    }
  }

  void CheckImageShape(const std::string& path, int channels, const InputConfig& in) {
    const std::vector<int64_t>& s = in.input_shape;
    if (s.size() != 4) {
      Fail(path, absl::StrCat("'", absl::StrJoin(s, "x"), "' has ", s.size(),
                              " dimensions; image inputs (input_type_train '", in.input_type_train,
                              "') are 4-D"));
      return;
    }
    bool nchw = in.input_layout_train == "NCHW";
    int64_t c = nchw ? s[1] : s[3];
    if (c != channels) {
      Fail(path, absl::StrCat("'", absl::StrJoin(s, "x"), "' has ", c, " channels (",
                              in.input_layout_train, "), input_type_train '", in.input_type_train,
                              "' has ", channels));
      return;
    }
    int64_t h = nchw ? s[2] : s[1];
    int64_t w = nchw ? s[3] : s[2];
    if (in.input_type_rt == "nv12" && (h % 2 != 0 || w % 2 != 0)) {
      Fail(path, absl::StrCat("'", absl::StrJoin(s, "x"),
                              "': nv12 needs an even height and "
                              "width, got ",
                              h, "x", w));
    }
  }

  void ReadValues(const std::string& path, const std::optional<std::string>& text, bool wanted,
                  const std::string& norm, int channels, std::vector<float>* out) {
    if (!text) {
      if (wanted) Fail(path, absl::StrCat("required by norm_type '", norm, "'"));
      return;
    }
    if (!wanted) {
      Fail(path, absl::StrCat("given, but norm_type '", norm,
                              "' does not use it; remove it or "
                              "change norm_type (the seed's template: comment out the unused "
                              "value)"));
      return;
    }
    for (absl::string_view part : absl::StrSplit(*text, ' ', absl::SkipWhitespace())) {
      float v = 0;
      if (!absl::SimpleAtof(part, &v)) {
        Fail(path, absl::StrCat("'", *text, "' is not a number or space-separated numbers"));
        out->clear();
        return;
      }
      out->push_back(v);
    }
    if (channels != 0 && out->size() != 1 && static_cast<int>(out->size()) != channels) {
      Fail(path, absl::StrCat(out->size(), " values ('", *text, "'); give 1 or one per channel (",
                              channels, ")"));
    }
  }

  void ReadCalibration() {
    if (values_.count(kCalibration) == 0) return;
    CalibrationConfig& c = config_.calibration;
    if (std::optional<std::string> type =
            Enum(kCalibration, "calibration_type", {"default", "max", "kl", "load"})) {
      c.calibration_type = *type;
    }
    for (const std::string& dir : List(kCalibration, "cal_data_dir")) {
      if (IsDefaultText(dir)) {
        Fail(PathOf(kCalibration, "cal_data_dir"), "has an empty item in its ';'-separated list");
        continue;
      }
      c.cal_data_dir.push_back(ResolvePath(dir));
    }
    size_t inputs = config_.inputs.size();
    if (c.cal_data_dir.empty() && c.calibration_type != "load") {
      Fail(PathOf(kCalibration, "cal_data_dir"),
           absl::StrCat("required for calibration_type '", c.calibration_type,
                        "': one directory of calibration files per input"));
    } else if (!c.cal_data_dir.empty() && inputs != 0 && c.cal_data_dir.size() != inputs) {
      Fail(PathOf(kCalibration, "cal_data_dir"),
           absl::StrCat(c.cal_data_dir.size(), " directories for ", inputs,
                        " inputs; separate one per input with ';'"));
    }
    if (std::optional<std::string> type =
            Enum(kCalibration, "cal_data_type", {"float32", "uint8"})) {
      c.cal_data_type = *type;
    }
    if (std::optional<bool> on = Bool(kCalibration, "preprocess_on")) c.preprocess_on = *on;
    if (std::optional<bool> on = Bool(kCalibration, "bias_correction")) c.bias_correction = *on;
    if (std::optional<double> p = Real(kCalibration, "max_percentile", 0.0, 1.0)) {
      c.max_percentile = *p;
    }
    if (std::optional<double> t = Real(kCalibration, "cosine_target", 0.0, 1.0)) {
      c.cosine_target = *t;
    }
    for (const std::string& name : List(kCalibration, "run_on_cpu")) {
      if (!IsDefaultText(name)) c.run_on_cpu.push_back(name);
    }
    for (const std::string& name : List(kCalibration, "run_on_bpu")) {
      if (!IsDefaultText(name)) c.run_on_bpu.push_back(name);
    }
    for (const std::string& name : c.run_on_cpu) {
      if (std::find(c.run_on_bpu.begin(), c.run_on_bpu.end(), name) != c.run_on_bpu.end()) {
        Fail(PathOf(kCalibration, "run_on_bpu"),
             absl::StrCat("node '", name, "' is also in run_on_cpu"));
      }
    }
  }

  void ReadCompiler() {
    CompilerConfig& c = config_.compiler;
    if (std::optional<std::string> mode =
            Enum(kCompiler, "compile_mode", {"latency", "bandwidth"})) {
      c.compile_mode = *mode;
    }
    if (std::optional<bool> debug = Bool(kCompiler, "debug")) c.debug = *debug;
    if (std::optional<int64_t> cores = Int(kCompiler, "core_num", 1, 2)) {
      c.core_num = static_cast<int>(*cores);
    }
    if (std::optional<std::string> level =
            Enum(kCompiler, "optimize_level", {"O0", "O1", "O2", "O3"})) {
      c.optimize_level = *level;
    }
    if (std::optional<int64_t> us =
            Int(kCompiler, "max_time_per_fc", 0, std::numeric_limits<uint32_t>::max())) {
      c.max_time_per_fc_us = *us;
    }
  }

  std::string base_dir_;
  std::map<std::string, std::map<std::string, YAML::Node>> values_;
  std::vector<std::string> errors_;
  MapperConfig config_;
};

absl::StatusOr<MapperConfig> Parse(const std::string& text, const std::string& base_dir,
                                   const std::string& where) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return Errorf(ErrorCode::kInvalidArgument, where, "line ", e.mark.line + 1, ", column ",
                  e.mark.column + 1, ": YAML syntax error: ", e.msg);
  }
  absl::StatusOr<MapperConfig> config;
  try {
    config = Reader(base_dir).Read(root);
  } catch (const YAML::Exception& e) {
    return Errorf(ErrorCode::kInvalidArgument, where, "line ", e.mark.line + 1, ": ", e.msg);
  }
  if (!config.ok() && !where.empty()) {
    std::vector<std::string> lines = absl::StrSplit(config.status().message(), '\n');
    for (std::string& line : lines) line = absl::StrCat(where, line);
    return Error(ErrorCode::kInvalidArgument, absl::StrJoin(lines, "\n"));
  }
  return config;
}

}  // namespace

absl::StatusOr<std::vector<int64_t>> ParseInputShape(const std::string& text) {
  std::vector<int64_t> shape;
  for (absl::string_view part : absl::StrSplit(text, 'x')) {
    int64_t d = 0;
    if (!absl::SimpleAtoi(part, &d) || d < 1) {
      return Errorf(ErrorCode::kInvalidArgument, "'", text,
                    "' is not a shape like 1x3x224x224 (positive integers separated by 'x')");
    }
    shape.push_back(d);
  }
  return shape;
}

absl::StatusOr<MapperConfig> ParseMapperYaml(const std::string& text, const std::string& base_dir) {
  return Parse(text, base_dir, "");
}

absl::StatusOr<MapperConfig> ReadMapperYaml(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return Errorf(ErrorCode::kCanNotOpenFile, path, ": cannot open the config file (",
                  std::strerror(errno), ")");
  }
  std::stringstream text;
  text << file.rdbuf();
  std::string base_dir = std::filesystem::path(path).parent_path().string();
  if (base_dir.empty()) base_dir = ".";
  return Parse(text.str(), base_dir, absl::StrCat(path, ": "));
}

std::string DescribeConfig(const MapperConfig& c) {
  auto floats = [](const std::vector<float>& v) { return absl::StrJoin(v, " "); };
  std::string out;
  absl::StrAppend(&out, kModel, ".onnx_model: ", c.onnx_model, "\n", kModel, ".march: ", c.march,
                  "\n", kModel, ".layer_out_dump: ", c.layer_out_dump ? "True" : "False", "\n",
                  kModel, ".working_dir: ", c.working_dir, "\n", kModel,
                  ".output_model_file_prefix: ", c.output_model_file_prefix, "\n", kModel,
                  ".remove_node_type: ", absl::StrJoin(c.remove_node_type, ";"), "\n");
  for (size_t i = 0; i < c.inputs.size(); ++i) {
    const InputConfig& in = c.inputs[i];
    std::string p = absl::StrCat(kInput, "[", i, "].");
    absl::StrAppend(&out, p, "input_name: ", in.name, "\n", p, "input_type_rt: ", in.input_type_rt,
                    "\n", p, "input_layout_rt: ", in.input_layout_rt, "\n", p,
                    "input_type_train: ", in.input_type_train, "\n", p,
                    "input_layout_train: ", in.input_layout_train, "\n", p,
                    "input_shape: ", absl::StrJoin(in.input_shape, "x"), "\n", p,
                    "norm_type: ", in.norm_type, "\n", p, "mean_value: ", floats(in.mean_value),
                    "\n", p, "scale_value: ", floats(in.scale_value), "\n");
  }
  const CalibrationConfig& cal = c.calibration;
  absl::StrAppend(&out, kInput, ".input_batch: ", c.input_batch, "\n", kCalibration,
                  ".cal_data_dir: ", absl::StrJoin(cal.cal_data_dir, ";"), "\n", kCalibration,
                  ".cal_data_type: ", cal.cal_data_type, "\n", kCalibration,
                  ".preprocess_on: ", cal.preprocess_on ? "True" : "False", "\n", kCalibration,
                  ".calibration_type: ", cal.calibration_type, "\n", kCalibration,
                  ".max_percentile: ", cal.max_percentile, "\n", kCalibration,
                  ".run_on_cpu: ", absl::StrJoin(cal.run_on_cpu, ";"), "\n", kCalibration,
                  ".run_on_bpu: ", absl::StrJoin(cal.run_on_bpu, ";"), "\n", kCalibration,
                  ".bias_correction: ", cal.bias_correction ? "True" : "False", "\n",
                  kCalibration, ".cosine_target: ", cal.cosine_target, "\n");
  const CompilerConfig& comp = c.compiler;
  absl::StrAppend(&out, kCompiler, ".compile_mode: ", comp.compile_mode, "\n", kCompiler,
                  ".debug: ", comp.debug ? "True" : "False", "\n", kCompiler,
                  ".core_num: ", comp.core_num, "\n", kCompiler,
                  ".optimize_level: ", comp.optimize_level, "\n", kCompiler,
                  ".max_time_per_fc: ", comp.max_time_per_fc_us, "\n");
  return out;
}

}  // namespace hb_dnn::mapper
