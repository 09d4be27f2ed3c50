#include "src/kernels/attributes.h"

#include "src/base/status.h"

namespace hb_dnn::kernels {
namespace {

const char* KindName(Attributes::Kind kind) {
  switch (kind) {
    case Attributes::Kind::kInt: return "int";
    case Attributes::Kind::kFloat: return "float";
    case Attributes::Kind::kString: return "string";
    case Attributes::Kind::kInts: return "ints";
    case Attributes::Kind::kFloats: return "floats";
    case Attributes::Kind::kStrings: return "strings";
    case Attributes::Kind::kTensor: return "tensor";
  }
  return "?";
}

}  // namespace

void Attributes::SetInt(const std::string& name, int64_t v) {
  Value& value = values_[name];
  value = Value();
  value.kind = Kind::kInt;
  value.i = v;
}

void Attributes::SetFloat(const std::string& name, float v) {
  Value& value = values_[name];
  value = Value();
  value.kind = Kind::kFloat;
  value.f = v;
}

void Attributes::SetString(const std::string& name, std::string v) {
  Value& value = values_[name];
  value = Value();
  value.kind = Kind::kString;
  value.s = std::move(v);
}

void Attributes::SetInts(const std::string& name, std::vector<int64_t> v) {
  Value& value = values_[name];
  value = Value();
  value.kind = Kind::kInts;
  value.ints = std::move(v);
}

void Attributes::SetFloats(const std::string& name, std::vector<float> v) {
  Value& value = values_[name];
  value = Value();
  value.kind = Kind::kFloats;
  value.floats = std::move(v);
}

void Attributes::SetStrings(const std::string& name, std::vector<std::string> v) {
  Value& value = values_[name];
  value = Value();
  value.kind = Kind::kStrings;
  value.strings = std::move(v);
}

void Attributes::SetTensor(const std::string& name, AttributeTensor v) {
  Value& value = values_[name];
  value = Value();
  value.kind = Kind::kTensor;
  value.tensor = std::move(v);
}

bool Attributes::Has(absl::string_view name) const { return values_.find(name) != values_.end(); }

absl::StatusOr<const Attributes::Value*> Attributes::Find(absl::string_view name, Kind kind) const {
  auto it = values_.find(name);
  if (it == values_.end()) return nullptr;
  if (it->second.kind != kind) {
    return Errorf(ErrorCode::kInvalidModel, "attribute '", name, "' is ", KindName(it->second.kind),
                  ", expected ", KindName(kind));
  }
  return &it->second;
}

absl::StatusOr<int64_t> Attributes::GetInt(absl::string_view name, int64_t default_value) const {
  absl::StatusOr<const Value*> v = Find(name, Kind::kInt);
  if (!v.ok()) return v.status();
  return *v == nullptr ? default_value : (*v)->i;
}

absl::StatusOr<float> Attributes::GetFloat(absl::string_view name, float default_value) const {
  absl::StatusOr<const Value*> v = Find(name, Kind::kFloat);
  if (!v.ok()) return v.status();
  return *v == nullptr ? default_value : (*v)->f;
}

absl::StatusOr<std::string> Attributes::GetString(absl::string_view name,
                                                  const std::string& default_value) const {
  absl::StatusOr<const Value*> v = Find(name, Kind::kString);
  if (!v.ok()) return v.status();
  return *v == nullptr ? default_value : (*v)->s;
}

absl::StatusOr<std::vector<int64_t>> Attributes::GetInts(absl::string_view name,
                                                         std::vector<int64_t> default_value) const {
  absl::StatusOr<const Value*> v = Find(name, Kind::kInts);
  if (!v.ok()) return v.status();
  return *v == nullptr ? default_value : (*v)->ints;
}

absl::StatusOr<std::vector<float>> Attributes::GetFloats(absl::string_view name,
                                                         std::vector<float> default_value) const {
  absl::StatusOr<const Value*> v = Find(name, Kind::kFloats);
  if (!v.ok()) return v.status();
  return *v == nullptr ? default_value : (*v)->floats;
}

absl::StatusOr<std::vector<std::string>> Attributes::GetStrings(absl::string_view name) const {
  absl::StatusOr<const Value*> v = Find(name, Kind::kStrings);
  if (!v.ok()) return v.status();
  return *v == nullptr ? std::vector<std::string>() : (*v)->strings;
}

absl::StatusOr<const AttributeTensor*> Attributes::GetTensor(absl::string_view name) const {
  absl::StatusOr<const Value*> v = Find(name, Kind::kTensor);
  if (!v.ok()) return v.status();
  if (*v == nullptr) return Errorf(ErrorCode::kInvalidModel, "attribute '", name, "' is missing");
  return &(*v)->tensor;
}

}  // namespace hb_dnn::kernels
