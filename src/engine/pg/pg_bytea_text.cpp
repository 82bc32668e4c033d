// pg_bytea_text.cpp: see pg_bytea_text.h; follows PostgreSQL's byteain and hex_decode.
#include "engine/pg/pg_bytea_text.h"

#include <fmt/format.h>

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

}  // namespace

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
