#ifndef HB_DNN_TOOLS_HRT_MODEL_EXEC_JSON_WRITER_H_
#define HB_DNN_TOOLS_HRT_MODEL_EXEC_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace hb_dnn::tools {

// Builds one JSON document in memory. Callers nest Begin/End calls correctly and call Key()
// before every member of an object; the writer inserts commas, escapes strings and writes
// non-finite numbers as null. `indent` > 0 pretty-prints with that many spaces per level;
// 0 writes everything on one line.
class JsonWriter {
 public:
  explicit JsonWriter(int indent = 2) : indent_(indent) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(absl::string_view key);
  JsonWriter& String(absl::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Double(double value);
  JsonWriter& Bool(bool value);

  // The text written so far (complete once every Begin has its End).
  const std::string& text() const { return text_; }

 private:
  void BeforeValue();
  void Open(char bracket);
  void Close(char bracket);
  void NewLine();

  int indent_;
  std::string text_;
  std::vector<bool> has_members_;  // one entry per open object/array
  bool after_key_ = false;
};

// `value` as a JSON string literal, quotes included.
std::string JsonQuote(absl::string_view value);

}  // namespace hb_dnn::tools

#endif  // HB_DNN_TOOLS_HRT_MODEL_EXEC_JSON_WRITER_H_
