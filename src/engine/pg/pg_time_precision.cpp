// pg_time_precision.cpp: see pg_time_precision.h. Reading the precision types from tokens; the
// functions the rewrite calls are in pg_time_precision_functions.cpp.
#include "engine/pg/pg_time_precision.h"

#include "engine/pg/sql_tokens.h"

namespace augur::engine {
namespace {

std::optional<int> PrecisionDigit(const std::vector<Token>& t, size_t open) {
  if (!IsPunct(t, open, '(') || open + 2 >= t.size() || t[open + 1].kind != Token::kNumber ||
      !IsPunct(t, open + 2, ')')) {
    return std::nullopt;
  }
  std::string_view digits = t[open + 1].text;
  if (digits.empty() || digits.size() > 3 ||
      digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  int p = std::stoi(std::string(digits));
  return p > 6 ? 6 : p;
}

}  // namespace

std::optional<TimePrecisionType> TimePrecisionAt(const std::vector<Token>& t, size_t i) {
  TimePrecisionType type;
  bool timestamp = Is(t, i, "TIMESTAMP");
  bool timestamptz = Is(t, i, "TIMESTAMPTZ");
  bool time = Is(t, i, "TIME");
  if (!timestamp && !timestamptz && !time) return std::nullopt;
  if (i > 0 && IsPunct(t, i - 1, '.') && !(i >= 2 && Is(t, i - 2, "PG_CATALOG"))) {
    return std::nullopt;  // a column or another schema's type
  }
  auto p = PrecisionDigit(t, i + 1);
  if (!p) return std::nullopt;
  type.precision = *p;
  type.last = i + 3;
  bool with_zone = timestamptz;
  if (Is(t, i + 4, "WITH") && Is(t, i + 5, "TIME") && Is(t, i + 6, "ZONE")) {
    if (time) return std::nullopt;  // timetz(p): left to DuckDB, which refuses it
    if (timestamptz) return std::nullopt;
    with_zone = true;
    type.last = i + 6;
  } else if (Is(t, i + 4, "WITHOUT") && Is(t, i + 5, "TIME") && Is(t, i + 6, "ZONE")) {
    if (timestamptz) return std::nullopt;
    type.last = i + 6;
  }
  if (IsPunct(t, type.last + 1, '[')) return std::nullopt;  // arrays keep DuckDB's reading
  const std::string p_text = "(" + std::to_string(type.precision) + ")";
  if (time) {
    type.duck_type = "TIME";
    type.pg_name = "time" + p_text + " without time zone";
  } else if (with_zone) {
    type.duck_type = "TIMESTAMPTZ";
    type.pg_name = "timestamp" + p_text + " with time zone";
  } else {
    type.duck_type = "TIMESTAMP";
    type.pg_name = "timestamp" + p_text + " without time zone";
  }
  return type;
}

}  // namespace augur::engine
