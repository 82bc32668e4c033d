// pg_numeric_text.h: how augur stores PostgreSQL's unconstrained numeric.
//
// DuckDB's parser makes `numeric` without a precision DECIMAL(18,3), which rounded 0.000001 to
// 0.000 and 1.0005 to 1.001. augur rewrites unconstrained numeric/decimal in type positions to
// DECIMAL(kUnconstrainedWidth, kUnconstrainedScale) (pg_value_rewrite.cpp), refuses values with
// more fractional digits than that scale with 22003 instead of rounding (pg_numeric.cpp), and
// prints DECIMAL(38, s >= 10) values (it, and arithmetic on it) without the trailing zeros the
// fixed scale adds (pg_types.cpp), so
// 0.000001 prints as 0.000001 and 1.50 as 1.5 (PostgreSQL keeps the input's scale: 1.50).
// Header-only: the text layers without DuckDB use it too.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace augur::engine {

inline constexpr uint8_t kUnconstrainedWidth = 38;  // DuckDB's widest exact decimal
inline constexpr uint8_t kUnconstrainedScale = 10;  // leaves 28 integer digits; v * v fits 18
inline constexpr std::string_view kUnconstrainedType = "DECIMAL(38,10)";

// "1.5000000000" -> "1.5", "2.0000000000" -> "2", "-0.0000000000" -> "0".
inline std::string TrimNumericZeros(std::string text) {
  size_t dot = text.find('.');
  if (dot == std::string::npos) return text;
  size_t end = text.size();
  while (end > dot + 1 && text[end - 1] == '0') --end;
  if (end == dot + 1) end = dot;
  text.resize(end);
  if (text == "-0") text = "0";
  return text;
}

// The digits a decimal literal needs: fractional ("1.50" -> 1, "1e-3" -> 3, "12e1" -> 0) and
// integer ("0012.5" -> 2, "1e3" -> 4). ok is false when the text is not a plain decimal number
// (left to DuckDB's parser).
struct NumericShape {
  bool ok = false;
  int integer_digits = 0;
  int scale = 0;
};

inline NumericShape ShapeOf(std::string_view text) {
  size_t i = 0;
  auto space = [&](size_t k) {
    return k < text.size() && (text[k] == ' ' || text[k] == '\t' || text[k] == '\n');
  };
  auto digit = [&](size_t k) { return k < text.size() && text[k] >= '0' && text[k] <= '9'; };
  while (space(i)) ++i;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  std::string mantissa;
  long fraction = 0;  // digits after the point
  while (digit(i)) mantissa.push_back(text[i++]);
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (digit(i)) mantissa.push_back(text[i++]), ++fraction;
  }
  if (mantissa.empty()) return {};
  long exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
    if (!digit(i)) return {};
    while (digit(i)) {
      if (exponent < 100000) exponent = exponent * 10 + (text[i] - '0');
      ++i;
    }
    if (negative) exponent = -exponent;
  }
  while (space(i)) ++i;
  if (i != text.size()) return {};
  // Leading zeros count for nothing; trailing zeros need no places (1.50 needs 1, 1200e-2 0).
  size_t lead = 0;
  while (lead + 1 < mantissa.size() && mantissa[lead] == '0') ++lead;
  long integer = static_cast<long>(mantissa.size() - lead) - fraction + exponent;
  if (mantissa.size() - lead == 1 && mantissa[lead] == '0') integer = 0;  // zero
  while (mantissa.size() > 1 && mantissa.back() == '0') mantissa.pop_back(), --fraction;
  long needed = fraction - exponent;
  auto clamp = [](long v) { return v <= 0 ? 0 : v > 100000 ? 100000 : static_cast<int>(v); };
  return {true, clamp(integer), clamp(needed)};
}

}  // namespace augur::engine
