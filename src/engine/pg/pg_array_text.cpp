// pg_array_text.cpp: the parser of PostgreSQL's array input syntax (array_in): braces nest
// dimensions, elements are separated by commas, an element is double-quoted (with backslash
// escapes) or bare (whitespace around it dropped, backslash escapes kept literal), and a bare
// NULL in any case is a null element. A leading dimension decoration ("[1:2]=") is skipped.
#include "engine/pg/pg_array_text.h"

#include <cctype>

#include "duckdb/common/exception.hpp"
#include "duckdb/common/exception/conversion_exception.hpp"
#include "duckdb/function/scalar_function.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/parser/parsed_data/create_scalar_function_info.hpp"
#include "engine/pg/system_catalog.h"

namespace augur::engine {
namespace {

void JsonString(std::string_view value, std::string& out) {
  out += '"';
  for (unsigned char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  std::optional<std::string> Parse() {
    SkipSpace();
    if (Peek() == '[') {  // [lower:upper]...= dimension decoration
      size_t equals = text_.find('=', at_);
      if (equals == std::string_view::npos) return std::nullopt;
      at_ = equals + 1;
      SkipSpace();
    }
    std::string out;
    if (!Array(out, 0)) return std::nullopt;
    SkipSpace();
    if (at_ != text_.size()) return std::nullopt;
    return out;
  }

 private:
  char Peek() const { return at_ < text_.size() ? text_[at_] : '\0'; }
  void SkipSpace() {
    while (at_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[at_]))) ++at_;
  }

  bool Array(std::string& out, int depth) {
    if (depth > 6 || Peek() != '{') return false;  // PostgreSQL's MAXDIM is 6
    ++at_;
    out += '[';
    SkipSpace();
    if (Peek() == '}') {
      ++at_;
      out += ']';
      return true;
    }
    while (true) {
      SkipSpace();
      if (Peek() == '{') {
        if (!Array(out, depth + 1)) return false;
      } else if (!Element(out)) {
        return false;
      }
      SkipSpace();
      if (Peek() == ',') {
        ++at_;
        out += ',';
        continue;
      }
      if (Peek() == '}') {
        ++at_;
        out += ']';
        return true;
      }
      return false;
    }
  }

  bool Element(std::string& out) {
    std::string value;
    if (Peek() == '"') {
      ++at_;
      while (at_ < text_.size() && text_[at_] != '"') {
        if (text_[at_] == '\\') ++at_;
        if (at_ >= text_.size()) return false;
        value += text_[at_++];
      }
      if (at_ >= text_.size()) return false;
      ++at_;
      JsonString(value, out);
      return true;
    }
    bool escaped = false;
    size_t kept = 0;  // length of value up to its last escaped or non-space character
    while (at_ < text_.size() && text_[at_] != ',' && text_[at_] != '}') {
      char c = text_[at_];
      if (c == '{' || c == '"') return false;
      if (c == '\\') {
        if (++at_ >= text_.size()) return false;
        value += text_[at_++];
        escaped = true;
        kept = value.size();
        continue;
      }
      value += c;
      ++at_;
      if (!std::isspace(static_cast<unsigned char>(c))) kept = value.size();
    }
    value.resize(kept);
    if (value.empty()) return false;
    bool null = !escaped && value.size() == 4;
    for (size_t i = 0; null && i < 4; ++i) {
      null = std::toupper(static_cast<unsigned char>(value[i])) == "NULL"[i];
    }
    if (null) {
      out += "null";
    } else {
      JsonString(value, out);
    }
    return true;
  }

  std::string_view text_;
  size_t at_ = 0;
};

void ArrayJson(duckdb::DataChunk& args, duckdb::ExpressionState&, duckdb::Vector& result) {
  duckdb::UnaryExecutor::Execute<duckdb::string_t, duckdb::string_t>(
      args.data[0], result, args.size(), [&](duckdb::string_t input) {
        std::string_view text(input.GetData(), input.GetSize());
        auto json = PgArrayTextToJson(text);
        if (!json) {
          throw duckdb::ConversionException("malformed array literal: \"%s\"", std::string(text));
        }
        return duckdb::StringVector::AddString(result, *json);
      });
}

}  // namespace

std::optional<std::string> PgArrayTextToJson(std::string_view text) { return Parser(text).Parse(); }

void InstallPgArrayText(duckdb::ClientContext& context) {
  duckdb::ScalarFunction function("augur_pg_array_json", {duckdb::LogicalType::VARCHAR},
                                  duckdb::LogicalType::VARCHAR, ArrayJson);
  duckdb::CreateScalarFunctionInfo info(std::move(function));
  ReplaceSystemFunction(context, info, DEFAULT_SCHEMA);
}

}  // namespace augur::engine
