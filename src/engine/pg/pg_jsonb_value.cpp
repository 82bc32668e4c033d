// pg_jsonb_value.cpp: a small JSON parser and PostgreSQL's jsonb semantics (pg_jsonb_value.h).
#include "engine/pg/pg_jsonb_value.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "common/backslash_escapes.h"

namespace augur::engine::jsonb {
namespace {

constexpr int kMaxDepth = 1000;  // deeper input is refused rather than overflowing the stack

bool KeyLess(const std::string& a, const std::string& b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  std::optional<Value> Document() {
    Value v;
    if (!ParseValue(v, 0)) return std::nullopt;
    SkipSpace();
    if (i_ != s_.size()) return std::nullopt;
    return v;
  }

 private:
  void SkipSpace() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }

  bool Literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }

  static void AppendUtf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  bool Hex4(unsigned& out) {
    if (i_ + 4 > s_.size()) return false;
    out = 0;
    for (int k = 0; k < 4; ++k) {
      char c = s_[i_++];
      out <<= 4;
      if (c >= '0' && c <= '9') {
        out |= static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        out |= static_cast<unsigned>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        out |= static_cast<unsigned>(c - 'A' + 10);
      } else {
        return false;
      }
    }
    return true;
  }

  bool String(std::string& out) {
    if (i_ >= s_.size() || s_[i_] != '"') return false;
    ++i_;
    while (i_ < s_.size()) {
      char c = s_[i_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (i_ >= s_.size()) return false;
      char e = s_[i_++];
      if (char escaped = BackslashEscapedChar(e)) {
        out.push_back(escaped);
        continue;
      }
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out.push_back(e);
          break;
        case 'u': {
          unsigned cp = 0;
          if (!Hex4(cp) || cp == 0) return false;  // PostgreSQL refuses \u0000 in jsonb
          if (cp >= 0xD800 && cp < 0xDC00) {
            unsigned low = 0;
            if (!Literal("\\u") || !Hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return false;
          }
          AppendUtf8(out, cp);
          break;
        }
        default:
          return false;
      }
    }
    return false;
  }

  bool Number(std::string& out) {
    size_t b = i_;
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    auto digits = [&] {
      size_t d = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      return i_ > d;
    };
    if (i_ < s_.size() && s_[i_] == '0') {
      ++i_;
    } else if (!digits()) {
      return false;
    }
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      if (!digits()) return false;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (!digits()) return false;
    }
    out = std::string(s_.substr(b, i_ - b));
    return true;
  }

  bool ParseValue(Value& v, int depth) {
    if (depth > kMaxDepth) return false;
    SkipSpace();
    if (i_ >= s_.size()) return false;
    char c = s_[i_];
    if (c == '{') {
      ++i_;
      v.kind = Value::kObject;
      SkipSpace();
      if (i_ < s_.size() && s_[i_] == '}') {
        ++i_;
        return true;
      }
      std::vector<std::pair<std::string, Value>> members;
      while (true) {
        SkipSpace();
        std::string key;
        if (!String(key)) return false;
        SkipSpace();
        if (i_ >= s_.size() || s_[i_++] != ':') return false;
        Value member;
        if (!ParseValue(member, depth + 1)) return false;
        members.emplace_back(std::move(key), std::move(member));
        SkipSpace();
        if (i_ < s_.size() && s_[i_] == ',') {
          ++i_;
          continue;
        }
        if (i_ < s_.size() && s_[i_] == '}') {
          ++i_;
          break;
        }
        return false;
      }
      // PostgreSQL's order; of duplicate keys the last one stays.
      std::stable_sort(members.begin(), members.end(),
                       [](const auto& a, const auto& b) { return KeyLess(a.first, b.first); });
      for (size_t k = 0; k < members.size(); ++k) {
        if (k + 1 < members.size() && members[k].first == members[k + 1].first) continue;
        v.members.push_back(std::move(members[k]));
      }
      return true;
    }
    if (c == '[') {
      ++i_;
      v.kind = Value::kArray;
      SkipSpace();
      if (i_ < s_.size() && s_[i_] == ']') {
        ++i_;
        return true;
      }
      while (true) {
        Value item;
        if (!ParseValue(item, depth + 1)) return false;
        v.items.push_back(std::move(item));
        SkipSpace();
        if (i_ < s_.size() && s_[i_] == ',') {
          ++i_;
          continue;
        }
        if (i_ < s_.size() && s_[i_] == ']') {
          ++i_;
          return true;
        }
        return false;
      }
    }
    if (c == '"') {
      v.kind = Value::kString;
      return String(v.text);
    }
    if (Literal("true")) {
      v.kind = Value::kTrue;
      return true;
    }
    if (Literal("false")) {
      v.kind = Value::kFalse;
      return true;
    }
    if (Literal("null")) {
      v.kind = Value::kNull;
      return true;
    }
    v.kind = Value::kNumber;
    return Number(v.text);
  }

  std::string_view s_;
  size_t i_ = 0;
};

void PrintString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (char letter = BackslashEscapeLetter(c)) {
      out.push_back('\\');
      out.push_back(letter);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

void PrintTo(std::string& out, const Value& v) {
  switch (v.kind) {
    case Value::kNull:
      out += "null";
      return;
    case Value::kTrue:
      out += "true";
      return;
    case Value::kFalse:
      out += "false";
      return;
    case Value::kNumber:
      out += v.text;
      return;
    case Value::kString:
      PrintString(out, v.text);
      return;
    case Value::kArray:
      out.push_back('[');
      for (size_t i = 0; i < v.items.size(); ++i) {
        if (i > 0) out += ", ";
        PrintTo(out, v.items[i]);
      }
      out.push_back(']');
      return;
    case Value::kObject:
      out.push_back('{');
      for (size_t i = 0; i < v.members.size(); ++i) {
        if (i > 0) out += ", ";
        PrintString(out, v.members[i].first);
        out += ": ";
        PrintTo(out, v.members[i].second);
      }
      out.push_back('}');
      return;
  }
}

bool ScalarEqual(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == Value::kNumber)
    return a.text == b.text ||
           std::strtod(a.text.c_str(), nullptr) == std::strtod(b.text.c_str(), nullptr);
  return a.text == b.text;
}

bool ContainsAt(const Value& a, const Value& b, bool top) {
  if (a.kind == Value::kObject) {
    if (b.kind != Value::kObject) return false;
    for (auto& [key, want] : b.members) {
      const Value* have = Field(a, key);
      if (have == nullptr) return false;
      if ((have->kind == Value::kObject || have->kind == Value::kArray) !=
          (want.kind == Value::kObject || want.kind == Value::kArray))
        return false;
      if (!ContainsAt(*have, want, false)) return false;
    }
    return true;
  }
  if (a.kind == Value::kArray) {
    if (b.kind != Value::kArray) {
      // A top-level array contains a scalar that is one of its elements.
      if (!top || b.kind == Value::kObject) return false;
      for (auto& item : a.items)
        if (ScalarEqual(item, b)) return true;
      return false;
    }
    for (auto& want : b.items) {
      bool found = false;
      for (auto& have : a.items) {
        if (want.kind == Value::kObject || want.kind == Value::kArray) {
          found = have.kind == want.kind && ContainsAt(have, want, false);
        } else {
          found = ScalarEqual(have, want);
        }
        if (found) break;
      }
      if (!found) return false;
    }
    return true;
  }
  return ScalarEqual(a, b);
}

bool ParseIndex(std::string_view s, long long& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::string copy(s);
  out = std::strtoll(copy.c_str(), &end, 10);
  return end != nullptr && *end == '\0';
}

}  // namespace

std::optional<Value> Parse(std::string_view text) { return Parser(text).Document(); }

std::string Print(const Value& value) {
  std::string out;
  PrintTo(out, value);
  return out;
}

bool Contains(const Value& a, const Value& b) { return ContainsAt(a, b, true); }

bool Exists(const Value& a, std::string_view key) {
  switch (a.kind) {
    case Value::kObject:
      return Field(a, key) != nullptr;
    case Value::kArray:
      for (auto& item : a.items)
        if (item.kind == Value::kString && item.text == key) return true;
      return false;
    case Value::kString:
      return a.text == key;
    default:
      return false;
  }
}

const Value* Field(const Value& a, std::string_view key) {
  if (a.kind != Value::kObject) return nullptr;
  for (auto& [k, v] : a.members)
    if (k == key) return &v;
  return nullptr;
}

const Value* Element(const Value& a, long long index) {
  if (a.kind != Value::kArray) return nullptr;
  long long n = static_cast<long long>(a.items.size());
  if (index < 0) index += n;
  if (index < 0 || index >= n) return nullptr;
  return &a.items[static_cast<size_t>(index)];
}

const Value* Path(const Value& a, const std::vector<std::string>& path) {
  const Value* at = &a;
  for (auto& step : path) {
    if (at->kind == Value::kObject) {
      at = Field(*at, step);
    } else if (at->kind == Value::kArray) {
      long long index = 0;
      at = ParseIndex(step, index) ? Element(*at, index) : nullptr;
    } else {
      return nullptr;
    }
    if (at == nullptr) return nullptr;
  }
  return at;
}

std::optional<std::string> AsText(const Value* value) {
  if (value == nullptr || value->kind == Value::kNull) return std::nullopt;
  if (value->kind == Value::kString) return value->text;
  return Print(*value);
}

Value Concat(const Value& a, const Value& b) {
  if (a.kind == Value::kObject && b.kind == Value::kObject) {
    Value out = a;
    for (auto& [key, value] : b.members) {
      auto it = std::find_if(out.members.begin(), out.members.end(),
                             [&](const auto& m) { return m.first == key; });
      if (it != out.members.end()) {
        it->second = value;
      } else {
        out.members.emplace_back(key, value);
      }
    }
    std::stable_sort(out.members.begin(), out.members.end(),
                     [](const auto& x, const auto& y) { return KeyLess(x.first, y.first); });
    return out;
  }
  Value out;
  out.kind = Value::kArray;
  auto append = [&](const Value& v) {
    if (v.kind == Value::kArray) {
      out.items.insert(out.items.end(), v.items.begin(), v.items.end());
    } else {
      out.items.push_back(v);
    }
  };
  append(a);
  append(b);
  return out;
}

Value DeleteKey(const Value& a, std::string_view key) {
  Value out = a;
  if (a.kind == Value::kObject) {
    std::erase_if(out.members, [&](const auto& m) { return m.first == key; });
  } else if (a.kind == Value::kArray) {
    std::erase_if(out.items,
                  [&](const Value& v) { return v.kind == Value::kString && v.text == key; });
  }
  return out;
}

Value DeleteIndex(const Value& a, long long index) {
  Value out = a;
  if (a.kind != Value::kArray) return out;
  long long n = static_cast<long long>(a.items.size());
  if (index < 0) index += n;
  if (index >= 0 && index < n) out.items.erase(out.items.begin() + index);
  return out;
}

Value Set(const Value& target, const std::vector<std::string>& path, const Value& replacement,
          bool create_missing) {
  if (path.empty()) return target;
  Value out = target;
  Value* at = &out;
  for (size_t step = 0; step < path.size(); ++step) {
    const bool last = step + 1 == path.size();
    if (at->kind == Value::kObject) {
      auto it = std::find_if(at->members.begin(), at->members.end(),
                             [&](const auto& m) { return m.first == path[step]; });
      if (it == at->members.end()) {
        if (!last || !create_missing) return out;
        at->members.emplace_back(path[step], replacement);
        std::stable_sort(at->members.begin(), at->members.end(),
                         [](const auto& x, const auto& y) { return KeyLess(x.first, y.first); });
        return out;
      }
      if (last) {
        it->second = replacement;
        return out;
      }
      at = &it->second;
    } else if (at->kind == Value::kArray) {
      long long index = 0;
      if (!ParseIndex(path[step], index)) return out;
      long long n = static_cast<long long>(at->items.size());
      long long real = index < 0 ? index + n : index;
      if (real < 0 || real >= n) {
        if (!last || !create_missing) return out;
        if (real < 0) {
          at->items.insert(at->items.begin(), replacement);
        } else {
          at->items.push_back(replacement);
        }
        return out;
      }
      if (last) {
        at->items[static_cast<size_t>(real)] = replacement;
        return out;
      }
      at = &at->items[static_cast<size_t>(real)];
    } else {
      return out;
    }
  }
  return out;
}

namespace {

Error NotAnInteger(size_t step, const std::string& element) {
  return Error("22P02", "path element at position " + std::to_string(step + 1) +
                            " is not an integer: \"" + element + "\"");
}

// Path step `step` (0-based) into `array`: its element's index, counted from the end when
// negative (the result may fall outside the array), or 22P02 when the step is not an integer.
Result<long long> ArrayIndex(const Value& array, const std::vector<std::string>& path,
                             size_t step) {
  long long index = 0;
  if (!ParseIndex(path[step], index)) return NotAnInteger(step, path[step]);
  return index < 0 ? index + static_cast<long long>(array.items.size()) : index;
}

// The container `path[0 .. depth)` leads to inside `root` (PostgreSQL's setPath walk): null when
// a step finds nothing or a scalar, an error for a non-integer array step.
Result<Value*> Walk(Value& root, const std::vector<std::string>& path, size_t depth) {
  Value* at = &root;
  for (size_t step = 0; step < depth; ++step) {
    if (at->kind == Value::kObject) {
      auto it = std::find_if(at->members.begin(), at->members.end(),
                             [&](const auto& m) { return m.first == path[step]; });
      if (it == at->members.end()) return static_cast<Value*>(nullptr);
      at = &it->second;
    } else if (at->kind == Value::kArray) {
      auto real = ArrayIndex(*at, path, step);
      if (!real) return std::move(real).error();
      if (*real < 0 || *real >= static_cast<long long>(at->items.size())) {
        return static_cast<Value*>(nullptr);
      }
      at = &at->items[static_cast<size_t>(*real)];
    } else {
      return static_cast<Value*>(nullptr);
    }
  }
  return at;
}

}  // namespace

namespace {

// What #- and jsonb_insert share: a copy of `target` with `edit` applied to the container the
// path's last step is in (the path's parent). A scalar target is `scalar_error`; an empty path,
// or one whose parent does not exist, leaves the copy as it is.
template <typename Edit>
Result<Value> EditAtParent(const Value& target, const std::vector<std::string>& path,
                           const char* scalar_error, Edit edit) {
  if (target.kind != Value::kObject && target.kind != Value::kArray) {
    return Error("22023", scalar_error);
  }
  Value out = target;
  if (path.empty()) return out;
  auto parent = Walk(out, path, path.size() - 1);
  if (!parent) return std::move(parent).error();
  if (*parent == nullptr) return out;
  if (Status edited = edit(**parent); !edited) return std::move(edited).error();
  return out;
}

}  // namespace

Result<Value> DeletePath(const Value& target, const std::vector<std::string>& path) {
  return EditAtParent(target, path, "cannot delete path in scalar", [&](Value& at) -> Status {
    const std::string& last = path.back();
    if (at.kind == Value::kObject) {
      std::erase_if(at.members, [&](const auto& m) { return m.first == last; });
    } else if (at.kind == Value::kArray) {
      auto real = ArrayIndex(at, path, path.size() - 1);
      if (!real) return std::move(real).error();
      if (*real >= 0 && *real < static_cast<long long>(at.items.size())) {
        at.items.erase(at.items.begin() + *real);
      }
    }
    return {};
  });
}

Result<Value> Insert(const Value& target, const std::vector<std::string>& path, const Value& value,
                     bool after) {
  return EditAtParent(target, path, "cannot set path in scalar", [&](Value& at) -> Status {
    const std::string& last = path.back();
    if (at.kind == Value::kObject) {
      bool exists = std::any_of(at.members.begin(), at.members.end(),
                                [&](const auto& m) { return m.first == last; });
      if (exists) {
        Error error("22023", "cannot replace existing key");
        error.hint = "Try using the function jsonb_set to replace key value.";
        return error;
      }
      at.members.emplace_back(last, value);
      std::stable_sort(at.members.begin(), at.members.end(),
                       [](const auto& x, const auto& y) { return KeyLess(x.first, y.first); });
    } else if (at.kind == Value::kArray) {
      auto real = ArrayIndex(at, path, path.size() - 1);
      if (!real) return std::move(real).error();
      const auto n = static_cast<long long>(at.items.size());
      // Before (or after) the element; an index past either end inserts at that end.
      long long position = *real < 0 ? 0 : *real >= n ? n : *real + (after ? 1 : 0);
      at.items.insert(at.items.begin() + position, value);
    }
    return {};
  });
}

}  // namespace augur::engine::jsonb
