#ifndef HB_DNN_SRC_KERNELS_ATTRIBUTES_H_
#define HB_DNN_SRC_KERNELS_ATTRIBUTES_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/kernels/tensor.h"

namespace hb_dnn::kernels {

// A small tensor carried as an attribute value (e.g. ConstantOfShape's `value`); owns its bytes.
struct AttributeTensor {
  DType dtype = DType::kUndefined;
  Shape shape;
  std::string bytes;
};

// A node's attributes, decoupled from ONNX protobufs and from the model format. Getters return
// the default when the attribute is absent and an error naming the attribute when it has the
// wrong kind, so kernels can report bad models instead of guessing.
class Attributes {
 public:
  enum class Kind { kInt, kFloat, kString, kInts, kFloats, kStrings, kTensor };

  struct Value {
    Kind kind = Kind::kInt;
    int64_t i = 0;
    float f = 0;
    std::string s;
    std::vector<int64_t> ints;
    std::vector<float> floats;
    std::vector<std::string> strings;
    AttributeTensor tensor;
  };

  void SetInt(const std::string& name, int64_t v);
  void SetFloat(const std::string& name, float v);
  void SetString(const std::string& name, std::string v);
  void SetInts(const std::string& name, std::vector<int64_t> v);
  void SetFloats(const std::string& name, std::vector<float> v);
  void SetStrings(const std::string& name, std::vector<std::string> v);
  void SetTensor(const std::string& name, AttributeTensor v);

  bool Has(absl::string_view name) const;
  const std::map<std::string, Value, std::less<>>& values() const { return values_; }

  absl::StatusOr<int64_t> GetInt(absl::string_view name, int64_t default_value) const;
  absl::StatusOr<float> GetFloat(absl::string_view name, float default_value) const;
  absl::StatusOr<std::string> GetString(absl::string_view name,
                                        const std::string& default_value) const;
  // Absent -> `default_value`.
  absl::StatusOr<std::vector<int64_t>> GetInts(absl::string_view name,
                                               std::vector<int64_t> default_value = {}) const;
  absl::StatusOr<std::vector<float>> GetFloats(absl::string_view name,
                                               std::vector<float> default_value = {}) const;
  absl::StatusOr<std::vector<std::string>> GetStrings(absl::string_view name) const;
  // Error if absent.
  absl::StatusOr<const AttributeTensor*> GetTensor(absl::string_view name) const;

 private:
  absl::StatusOr<const Value*> Find(absl::string_view name, Kind kind) const;

  std::map<std::string, Value, std::less<>> values_;
};

}  // namespace hb_dnn::kernels

#endif  // HB_DNN_SRC_KERNELS_ATTRIBUTES_H_
