#include "tests/hrt_model_exec/json_check.h"

#include <cctype>
#include <cstring>

namespace hb_dnn::testing {
namespace {

class Checker {
 public:
  explicit Checker(const std::string& text) : text_(text) {}

  std::string Check() {
    SkipSpace();
    if (!Value()) return Error();
    SkipSpace();
    if (pos_ != text_.size()) return Error();
    return "";
  }

 private:
  std::string Error() const { return "invalid JSON at byte " + std::to_string(pos_); }
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }

  void SkipSpace() {
    while (!AtEnd() && std::strchr(" \t\r\n", text_[pos_]) != nullptr) ++pos_;
  }

  bool Literal(const char* word) {
    size_t n = std::strlen(word);
    if (text_.compare(pos_, n, word) != 0) return false;
    pos_ += n;
    return true;
  }

  bool Digits() {
    size_t start = pos_;
    while (std::isdigit(static_cast<unsigned char>(Peek()))) ++pos_;
    return pos_ > start;
  }

  bool Number() {
    if (Peek() == '-') ++pos_;
    if (Peek() == '0') {
      ++pos_;
    } else if (!Digits()) {
      return false;
    }
    if (Peek() == '.') {
      ++pos_;
      if (!Digits()) return false;
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++pos_;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (!Digits()) return false;
    }
    return true;
  }

  bool String() {
    if (Peek() != '"') return false;
    ++pos_;
    while (!AtEnd()) {
      char c = text_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') continue;
      char e = Peek();
      ++pos_;
      if (e == 'u') {
        for (int i = 0; i < 4; ++i, ++pos_) {
          if (!std::isxdigit(static_cast<unsigned char>(Peek()))) return false;
        }
      } else if (std::strchr("\"\\/bfnrt", e) == nullptr || e == '\0') {
        return false;
      }
    }
    return false;
  }

  bool Members(char close, bool keyed) {
    ++pos_;
    SkipSpace();
    if (Peek() == close) {
      ++pos_;
      return true;
    }
    while (true) {
      SkipSpace();
      if (keyed) {
        if (!String()) return false;
        SkipSpace();
        if (Peek() != ':') return false;
        ++pos_;
        SkipSpace();
      }
      if (!Value()) return false;
      SkipSpace();
      if (Peek() == close) {
        ++pos_;
        return true;
      }
      if (Peek() != ',') return false;
      ++pos_;
    }
  }

  bool Value() {
    if (++depth_ > 256) return false;
    bool ok = false;
    switch (Peek()) {
      case '{':
        ok = Members('}', true);
        break;
      case '[':
        ok = Members(']', false);
        break;
      case '"':
        ok = String();
        break;
      case 't':
        ok = Literal("true");
        break;
      case 'f':
        ok = Literal("false");
        break;
      case 'n':
        ok = Literal("null");
        break;
      default:
        ok = Number();
        break;
    }
    --depth_;
    return ok;
  }

  const std::string& text_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

std::string JsonError(const std::string& text) { return Checker(text).Check(); }

}  // namespace hb_dnn::testing
