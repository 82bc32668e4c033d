// pg_string_literals.cpp
//
// The escape rules are PostgreSQL's (scan.l and parser.c of PostgreSQL 15): in E'...', \b \f \n
// \r \t, \o \oo \ooo octal, \xh \xhh hex, \uXXXX and \UXXXXXXXX code points (a surrogate pair
// as two \u escapes), any other \c is c; in U&'...', \XXXX and \+XXXXXX with '\' or the UESCAPE
// character, and a doubled escape character stands for itself.
#include "engine/pg/pg_string_literals.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>

#include "common/backslash_escapes.h"
#include "common/sql_quoting.h"
#include "engine/pg/sql_lexer.h"

namespace augur::engine {

namespace {

// 1-based character position of byte `offset` of `sql`, as PostgreSQL reports it.
int CharacterPosition(std::string_view sql, size_t offset) {
  int chars = 0;
  for (size_t i = 0; i < offset && i < sql.size(); ++i) {
    if ((static_cast<unsigned char>(sql[i]) & 0xC0) != 0x80) ++chars;
  }
  return chars + 1;
}

Error InvalidEscape(std::string_view sql, size_t offset, std::string_view what) {
  Error error(sqlstate::kSyntaxError, std::string(what));
  error.position = CharacterPosition(sql, offset);
  return error;
}

void AppendUtf8(uint32_t code, std::string& out) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

bool IsHighSurrogate(uint32_t c) { return c >= 0xD800 && c <= 0xDBFF; }
bool IsLowSurrogate(uint32_t c) { return c >= 0xDC00 && c <= 0xDFFF; }

// Reads `digits` hex digits of `body` at `i`; false when there are fewer.
bool ReadHex(std::string_view body, size_t i, int digits, uint32_t& value) {
  if (i + static_cast<size_t>(digits) > body.size()) return false;
  value = 0;
  for (int d = 0; d < digits; ++d) {
    char c = body[i + static_cast<size_t>(d)];
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    value = value * 16 + static_cast<uint32_t>(std::isdigit(static_cast<unsigned char>(c))
                                                   ? c - '0'
                                                   : std::tolower(c) - 'a' + 10);
  }
  return true;
}

// The first byte sequence of `bytes` that is not UTF-8 (or a NUL), as PostgreSQL names it
// ("0xff", "0xe2 0x28"); empty when all of it is.
std::string FirstInvalidUtf8(std::string_view bytes) {
  size_t i = 0;
  while (i < bytes.size()) {
    auto b = static_cast<unsigned char>(bytes[i]);
    size_t length = b < 0x80           ? 1
                    : (b >> 5) == 0x6  ? 2
                    : (b >> 4) == 0xE  ? 3
                    : (b >> 3) == 0x1E ? 4
                                       : 0;
    bool valid = b != 0 && length != 0 && i + length <= bytes.size();
    for (size_t k = 1; valid && k < length; ++k) {
      valid = (static_cast<unsigned char>(bytes[i + k]) & 0xC0) == 0x80;
    }
    if (!valid) {
      std::string shown = fmt::format("0x{:02x}", b);
      for (size_t k = 1; k < std::max<size_t>(length, 1) && i + k < bytes.size(); ++k) {
        shown += fmt::format(" 0x{:02x}", static_cast<unsigned char>(bytes[i + k]));
      }
      return shown;
    }
    i += length;
  }
  return "";
}

// Appends a code point from a \u, \U, \XXXX or \+XXXXXX escape at `at`, pairing surrogates.
Status AppendCodePoint(std::string_view sql, size_t at, uint32_t code, uint32_t& pending_high,
                       std::string& out) {
  if (pending_high != 0) {
    if (!IsLowSurrogate(code)) return InvalidEscape(sql, at, "invalid Unicode surrogate pair");
    code = 0x10000 + ((pending_high - 0xD800) << 10) + (code - 0xDC00);
    pending_high = 0;
  } else if (IsHighSurrogate(code)) {
    pending_high = code;
    return {};
  } else if (IsLowSurrogate(code)) {
    return InvalidEscape(sql, at, "invalid Unicode surrogate pair");
  }
  if (code == 0 || code > 0x10FFFF) return InvalidEscape(sql, at, "invalid Unicode escape value");
  AppendUtf8(code, out);
  return {};
}

// The characters of E'...' whose text starts at byte `start` of `sql` (after the quote).
Result<std::string> DecodeEscape(std::string_view sql, size_t start, std::string_view body) {
  std::string out;
  uint32_t pending_high = 0;
  for (size_t i = 0; i < body.size();) {
    char c = body[i];
    size_t at = start + i;
    if (pending_high != 0 && !(c == '\\' && i + 1 < body.size() && body[i + 1] == 'u')) {
      return InvalidEscape(sql, at, "invalid Unicode surrogate pair");
    }
    if (c == '\'') {  // '' inside the literal
      out += '\'';
      i += 2;
      continue;
    }
    if (c != '\\' || i + 1 >= body.size()) {
      out += c;
      ++i;
      continue;
    }
    char e = body[i + 1];
    i += 2;
    if (char escaped = BackslashEscapedChar(e)) {
      out += escaped;
      continue;
    }
    switch (e) {
      case 'x': {
        uint32_t value = 0;
        int digits = 0;
        while (digits < 2 && i < body.size() &&
               std::isxdigit(static_cast<unsigned char>(body[i]))) {
          uint32_t d = 0;
          ReadHex(body, i, 1, d);
          value = value * 16 + d;
          ++i;
          ++digits;
        }
        if (digits == 0) {
          out += 'x';
        } else {
          out += static_cast<char>(value);
        }
        break;
      }
      case 'u':
      case 'U': {
        int digits = e == 'u' ? 4 : 8;
        uint32_t code = 0;
        if (!ReadHex(body, i, digits, code)) {
          return InvalidEscape(sql, at, "invalid Unicode escape");
        }
        i += static_cast<size_t>(digits);
        if (auto ok = AppendCodePoint(sql, at, code, pending_high, out); !ok) return ok.error();
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          uint32_t value = static_cast<uint32_t>(e - '0');
          for (int k = 0; k < 2 && i < body.size() && body[i] >= '0' && body[i] <= '7'; ++k) {
            value = value * 8 + static_cast<uint32_t>(body[i++] - '0');
          }
          out += static_cast<char>(value & 0xFF);
        } else {
          out += e;  // \\, \', and any other character stand for themselves
        }
    }
  }
  if (pending_high != 0) {
    return InvalidEscape(sql, start + body.size(), "invalid Unicode surrogate pair");
  }
  if (std::string bad = FirstInvalidUtf8(out); !bad.empty()) {
    return Error("22021", fmt::format("invalid byte sequence for encoding \"UTF8\": {}", bad));
  }
  return out;
}

// The characters of U&'...' with escape character `escape`.
Result<std::string> DecodeUnicode(std::string_view sql, size_t start, std::string_view body,
                                  char escape) {
  std::string out;
  uint32_t pending_high = 0;
  for (size_t i = 0; i < body.size();) {
    char c = body[i];
    size_t at = start + i;
    if (c == '\'') {
      out += '\'';
      i += 2;
      continue;
    }
    if (c != escape) {
      if (pending_high != 0) return InvalidEscape(sql, at, "invalid Unicode surrogate pair");
      out += c;
      ++i;
      continue;
    }
    uint32_t code = 0;
    if (i + 1 < body.size() && body[i + 1] == escape) {
      out += escape;
      i += 2;
    } else if (ReadHex(body, i + 1, 4, code)) {
      if (auto ok = AppendCodePoint(sql, at, code, pending_high, out); !ok) return ok.error();
      i += 5;
    } else if (i + 1 < body.size() && body[i + 1] == '+' && ReadHex(body, i + 2, 6, code)) {
      if (auto ok = AppendCodePoint(sql, at, code, pending_high, out); !ok) return ok.error();
      i += 8;
    } else {
      return InvalidEscape(sql, at, "invalid Unicode escape");
    }
  }
  if (pending_high != 0) {
    return InvalidEscape(sql, start + body.size(), "invalid Unicode surrogate pair");
  }
  return out;
}

// The text between the quotes of a complete 'quoted' token; nullopt when it is unterminated.
std::optional<std::string_view> Body(std::string_view quoted) {
  if (quoted.size() < 2 || quoted.front() != '\'' || quoted.back() != '\'') return std::nullopt;
  return quoted.substr(1, quoted.size() - 2);
}

}  // namespace

Result<std::string> DecodeStringLiterals(std::string_view sql) {
  // Most statements have neither; skip the lexer for them.
  if (sql.find('\'') == std::string_view::npos) return std::string(sql);
  std::string out;
  size_t copied = 0;  // bytes of sql already in out
  auto replace = [&](size_t from, size_t to, const std::string& with) {
    out.append(sql.substr(copied, from - copied));
    out += with;
    copied = to;
  };
  for (const auto& statement : Lex(sql)) {
    const auto& tokens = statement.tokens;
    for (size_t t = 0; t < tokens.size(); ++t) {
      const Token& token = tokens[t];
      size_t offset = static_cast<size_t>(token.text.data() - sql.data());
      if (token.kind == Token::kString && (token.text[0] == 'E' || token.text[0] == 'e')) {
        auto body = Body(token.text.substr(1));
        if (!body) continue;  // unterminated: DuckDB reports it
        auto decoded = DecodeEscape(sql, offset + 2, *body);
        if (!decoded) return std::move(decoded).error();
        replace(offset, offset + token.text.size(), QuoteLiteral(*decoded));
        continue;
      }
      // U&'...': the word U, then '&', then the string, with nothing between them.
      bool unicode = token.kind == Token::kWord && token.upper == "U" && t + 2 < tokens.size() &&
                     tokens[t + 1].text == "&" && tokens[t + 2].kind == Token::kString &&
                     tokens[t + 1].text.data() == token.text.data() + 1 &&
                     tokens[t + 2].text.data() == token.text.data() + 2;
      if (!unicode) continue;
      auto body = Body(tokens[t + 2].text);
      if (!body) continue;
      size_t end =
          static_cast<size_t>(tokens[t + 2].text.data() - sql.data()) + tokens[t + 2].text.size();
      char escape = '\\';
      if (t + 4 < tokens.size() && tokens[t + 3].upper == "UESCAPE" &&
          tokens[t + 4].kind == Token::kString) {
        auto escape_body = Body(tokens[t + 4].text);
        if (!escape_body || escape_body->size() != 1 ||
            std::isxdigit(static_cast<unsigned char>((*escape_body)[0])) ||
            std::isspace(static_cast<unsigned char>((*escape_body)[0])) ||
            (*escape_body)[0] == '+' || (*escape_body)[0] == '\'' || (*escape_body)[0] == '"') {
          return InvalidEscape(sql, static_cast<size_t>(tokens[t + 4].text.data() - sql.data()),
                               "invalid Unicode escape character");
        }
        escape = (*escape_body)[0];
        end =
            static_cast<size_t>(tokens[t + 4].text.data() - sql.data()) + tokens[t + 4].text.size();
      }
      auto decoded = DecodeUnicode(sql, offset + 3, *body, escape);
      if (!decoded) return std::move(decoded).error();
      replace(offset, end, QuoteLiteral(*decoded));
      t += 2;
    }
  }
  if (copied == 0) return std::string(sql);
  out.append(sql.substr(copied));
  return out;
}

}  // namespace augur::engine
