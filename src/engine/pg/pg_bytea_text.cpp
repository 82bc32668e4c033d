// pg_bytea_text.cpp: see pg_bytea_text.h; follows PostgreSQL's byteain and encode.c.
#include "engine/pg/pg_bytea_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace augur::engine {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The character starting at `at` (one UTF-8 sequence), as PostgreSQL's message quotes it.
std::string_view CharAt(std::string_view text, size_t at) {
  auto lead = static_cast<unsigned char>(text[at]);
  size_t len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  return text.substr(at, std::min(len, text.size() - at));
}

Error InvalidHexDigit(std::string_view text, size_t at) {
  return Error(std::string(sqlstate::kInvalidParameterValue),
               fmt::format("invalid hexadecimal digit: \"{}\"", CharAt(text, at)));
}

bool IsOctal(char c) { return c >= '0' && c <= '7'; }

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// PostgreSQL's pg_base64_encode: a newline after every 76 characters written, even at the end.
std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 4 / 3 + bytes.size() / 57 + 4);
  size_t line_end = 76;
  int pos = 2;
  uint32_t buf = 0;
  for (unsigned char c : bytes) {
    buf |= static_cast<uint32_t>(c) << (pos * 8);
    if (--pos < 0) {
      for (int shift : {18, 12, 6, 0}) out.push_back(kBase64[(buf >> shift) & 0x3f]);
      pos = 2;
      buf = 0;
    }
    if (out.size() >= line_end) {
      out.push_back('\n');
      line_end = out.size() + 76;
    }
  }
  if (pos != 2) {
    out.push_back(kBase64[(buf >> 18) & 0x3f]);
    out.push_back(kBase64[(buf >> 12) & 0x3f]);
    out.push_back(pos == 0 ? kBase64[(buf >> 6) & 0x3f] : '=');
    out.push_back('=');
  }
  return out;
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// PostgreSQL's pg_base64_decode, including what it tolerates: whitespace anywhere, and data
// after a padded group ('YQ==YQ==' is "aa").
Result<std::string> Base64Decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t buf = 0;
  int pos = 0, end = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    int b = 0;
    if (c == '=') {
      if (!end) {
        if (pos == 2) {
          end = 1;
        } else if (pos == 3) {
          end = 2;
        } else {
          return Error(std::string(sqlstate::kInvalidParameterValue),
                       "unexpected \"=\" while decoding base64 sequence");
        }
      }
    } else {
      b = Base64Value(c);
      if (b < 0) {
        return Error(std::string(sqlstate::kInvalidParameterValue),
                     fmt::format("invalid symbol \"{}\" found while decoding base64 sequence",
                                 CharAt(text, i)));
      }
    }
    buf = (buf << 6) + static_cast<uint32_t>(b);
    if (++pos == 4) {
      out.push_back(static_cast<char>((buf >> 16) & 255));
      if (end == 0 || end > 1) out.push_back(static_cast<char>((buf >> 8) & 255));
      if (end == 0 || end > 2) out.push_back(static_cast<char>(buf & 255));
      buf = 0;
      pos = 0;
    }
  }
  if (pos != 0) {
    return Error(std::string(sqlstate::kInvalidParameterValue), "invalid base64 end sequence")
        .WithHint("Input data is missing padding, is truncated, or is otherwise corrupted.");
  }
  return out;
}

// PostgreSQL's esc_encode: NUL and bytes >= 0x80 as \ooo, a backslash doubled.
std::string EscapeEncode(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (unsigned char c : bytes) {
    if (c == 0 || c >= 0x80) {
      out.push_back('\\');
      out.push_back(static_cast<char>('0' + (c >> 6)));
      out.push_back(static_cast<char>('0' + ((c >> 3) & 7)));
      out.push_back(static_cast<char>('0' + (c & 7)));
    } else if (c == '\\') {
      out += "\\\\";
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

enum class Format { kHex, kBase64, kEscape };

Result<Format> FindFormat(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "hex") return Format::kHex;
  if (lower == "base64") return Format::kBase64;
  if (lower == "escape") return Format::kEscape;
  return Error(std::string(sqlstate::kInvalidParameterValue),
               fmt::format("unrecognized encoding: \"{}\"", name));
}

}  // namespace

Result<std::string> PgEncode(std::string_view bytes, std::string_view format) {
  auto found = FindFormat(format);
  if (!found) return std::move(found).error();
  switch (*found) {
    case Format::kHex:
      return ByteaHexText(bytes).substr(2);
    case Format::kBase64:
      return Base64Encode(bytes);
    case Format::kEscape:
      return EscapeEncode(bytes);
  }
  return std::string();
}

Result<std::string> PgDecode(std::string_view text, std::string_view format) {
  auto found = FindFormat(format);
  if (!found) return std::move(found).error();
  switch (*found) {
    case Format::kHex:
      // byteain's hex branch is hex_decode after the '\x'.
      return ParseByteaText("\\x" + std::string(text));
    case Format::kBase64:
      return Base64Decode(text);
    case Format::kEscape:
      // byteain's escape branch is esc_decode; a leading '\x' is an invalid escape there.
      if (text.size() >= 2 && text[0] == '\\' && text[1] == 'x') {
        return Error("22P02", "invalid input syntax for type bytea");
      }
      return ParseByteaText(text);
  }
  return std::string();
}

Result<std::string> ParseByteaText(std::string_view text) {
  std::string bytes;
  if (text.size() >= 2 && text[0] == '\\' && text[1] == 'x') {
    bytes.reserve((text.size() - 2) / 2);
    for (size_t i = 2; i < text.size();) {
      char c = text[i];
      if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
        ++i;
        continue;
      }
      int hi = HexValue(c);
      if (hi < 0) return InvalidHexDigit(text, i);
      if (++i >= text.size()) {
        return Error(std::string(sqlstate::kInvalidParameterValue),
                     "invalid hexadecimal data: odd number of digits");
      }
      int lo = HexValue(text[i]);
      if (lo < 0) return InvalidHexDigit(text, i);
      bytes.push_back(static_cast<char>(hi * 16 + lo));
      ++i;
    }
    return bytes;
  }
  bytes.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      bytes.push_back(text[i]);
    } else if (i + 1 < text.size() && text[i + 1] == '\\') {
      bytes.push_back('\\');
      ++i;
    } else if (i + 3 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '3' &&
               IsOctal(text[i + 2]) && IsOctal(text[i + 3])) {
      bytes.push_back(static_cast<char>((text[i + 1] - '0') * 64 + (text[i + 2] - '0') * 8 +
                                        (text[i + 3] - '0')));
      i += 3;
    } else {
      return Error("22P02", "invalid input syntax for type bytea");
    }
  }
  return bytes;
}

std::string ByteaHexText(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 + bytes.size() * 2);
  out += "\\x";
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xF]);
  }
  return out;
}

}  // namespace augur::engine
