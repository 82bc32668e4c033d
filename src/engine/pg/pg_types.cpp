// pg_types.cpp: PostgreSQL 15's output functions, reproduced for DuckDB values. The expected
// strings in tests/unit/engine/pg_types_test.cpp were printed by a real PostgreSQL 15.
#include "engine/pg/pg_types.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "duckdb/common/types/date.hpp"
#include "duckdb/common/types/interval.hpp"
#include "duckdb/common/types/time.hpp"
#include "duckdb/common/types/timestamp.hpp"
#include "duckdb/main/client_context.hpp"
#include "engine/integer_types.h"
#include "engine/pg/pg_numeric_text.h"

namespace augur::engine {
namespace {

using duckdb::LogicalType;
using duckdb::LogicalTypeId;

// pg_type.oid of the array type whose elements have type `element_oid`, or 0.
uint32_t ArrayOidOf(uint32_t element_oid) {
  switch (element_oid) {
    case 16:
      return 1000;  // _bool
    case 17:
      return 1001;  // _bytea
    case 20:
      return 1016;  // _int8
    case 21:
      return 1005;  // _int2
    case 23:
      return 1007;  // _int4
    case 25:
      return 1009;  // _text
    case 114:
      return 199;  // _json
    case 3802:
      return 3807;  // _jsonb
    case 700:
      return 1021;  // _float4
    case 701:
      return 1022;  // _float8
    case 1082:
      return 1182;  // _date
    case 1083:
      return 1183;  // _time
    case 1114:
      return 1115;  // _timestamp
    case 1184:
      return 1185;  // _timestamptz
    case 1186:
      return 1187;  // _interval
    case 1266:
      return 1270;  // _timetz
    case 1700:
      return 1231;  // _numeric
    case 2950:
      return 2951;  // _uuid
    default:
      return 0;
  }
}

// float4out/float8out with extra_float_digits = 1 (PostgreSQL 12+ default): the shortest text
// that reads back to the same value, in exponent form when the decimal exponent is below -4 or
// at least the type's precision (15 digits for float8, 6 for float4).
template <typename T>
void AppendFloat(T v, std::string& out) {
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  if (std::isinf(v)) {
    out += v > 0 ? "Infinity" : "-Infinity";
    return;
  }
  if (v == 0) {
    out += std::signbit(v) ? "-0" : "0";
    return;
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(res.ptr - buf));  // e.g. "-1.2345e+17"
  size_t e = sci.find('e');
  int exponent = std::atoi(std::string(sci.substr(e + 1)).c_str());
  std::string_view mantissa = sci.substr(0, e);
  bool negative = mantissa[0] == '-';
  if (negative) mantissa.remove_prefix(1);
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits.push_back(c);
  }
  const int precision = sizeof(T) == 4 ? 6 : 15;
  if (negative) out.push_back('-');
  if (exponent < -4 || exponent >= precision) {
    out.push_back(digits[0]);
    if (digits.size() > 1) {
      out.push_back('.');
      out.append(digits, 1);
    }
    out += fmt::format("e{}{:02d}", exponent < 0 ? '-' : '+', std::abs(exponent));
    return;
  }
  if (exponent < 0) {
    out += "0.";
    out.append(static_cast<size_t>(-exponent - 1), '0');
    out += digits;
    return;
  }
  size_t int_digits = static_cast<size_t>(exponent) + 1;
  if (digits.size() <= int_digits) {
    out += digits;
    out.append(int_digits - digits.size(), '0');
  } else {
    out.append(digits, 0, int_digits);
    out.push_back('.');
    out.append(digits, int_digits);
  }
}

// DuckDB writes BC dates as "0044-03-15 (BC)"; PostgreSQL as "0044-03-15 BC".
void AppendDateTimeText(std::string text, std::string& out) {
  size_t bc = text.find(" (BC)");
  if (bc != std::string::npos) text.replace(bc, 5, " BC");
  out += text;
}

void AppendSeconds(int64_t seconds, int64_t micros, std::string& out) {
  out += fmt::format("{:02d}", seconds);
  if (micros != 0) {
    std::string frac = fmt::format("{:06d}", micros);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    out += "." + frac;
  }
}

// interval_out with IntervalStyle = postgres (EncodeInterval, INTSTYLE_POSTGRES).
void AppendInterval(const duckdb::interval_t& iv, std::string& out) {
  bool is_zero = true;
  bool is_before = false;
  auto part = [&](int64_t value, const char* unit) {
    if (value == 0) return;
    out += fmt::format("{}{}{} {}{}", is_zero ? "" : " ", (is_before && value > 0) ? "+" : "",
                       value, unit, value != 1 ? "s" : "");
    is_before = value < 0;
    is_zero = false;
  };
  part(iv.months / 12, "year");
  part(iv.months % 12, "mon");
  part(iv.days, "day");
  if (is_zero || iv.micros != 0) {
    bool minus = iv.micros < 0;
    // Magnitude in unsigned arithmetic: -INT64_MIN does not fit in int64_t.
    uint64_t magnitude =
        minus ? 0 - static_cast<uint64_t>(iv.micros) : static_cast<uint64_t>(iv.micros);
    uint64_t total_seconds = magnitude / 1000000;
    out +=
        fmt::format("{}{}{:02d}:{:02d}:", is_zero ? "" : " ", minus ? "-" : (is_before ? "+" : ""),
                    total_seconds / 3600, (total_seconds / 60) % 60);
    AppendSeconds(static_cast<int64_t>(total_seconds % 60),
                  static_cast<int64_t>(magnitude % 1000000), out);
  }
}

void AppendBytea(const std::string& bytes, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\x";
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xF]);
  }
}

// array_out's quoting of one element.
void AppendArrayElement(std::string_view text, std::string& out) {
  bool quote = text.empty();
  if (text.size() == 4) {
    std::string lower;
    for (char c : text)
      lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    quote |= lower == "null";
  }
  for (char c : text) {
    if (c == '{' || c == '}' || c == ',' || c == '"' || c == '\\' ||
        std::isspace(static_cast<unsigned char>(c))) {
      quote = true;
    }
  }
  if (!quote) {
    out.append(text);
    return;
  }
  out.push_back('"');
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
}

void AppendList(duckdb::ClientContext& context, const duckdb::Value& value, std::string& out) {
  out.push_back('{');
  auto& children = value.type().id() == LogicalTypeId::ARRAY
                       ? duckdb::ArrayValue::GetChildren(value)
                       : duckdb::ListValue::GetChildren(value);
  for (size_t i = 0; i < children.size(); ++i) {
    if (i > 0) out.push_back(',');
    auto& child = children[i];
    if (child.IsNull()) {
      out += "NULL";
    } else if (child.type().id() == LogicalTypeId::LIST ||
               child.type().id() == LogicalTypeId::ARRAY) {
      AppendList(context, child, out);  // nested arrays are written bare: {{1,2},{3,4}}
    } else {
      std::string element;
      AppendPgText(context, child, element);
      AppendArrayElement(element, out);
    }
  }
  out.push_back('}');
}

}  // namespace

PgTypeInfo PgTypeFor(const LogicalType& type) {
  switch (type.id()) {
    case LogicalTypeId::BOOLEAN:
      return {16, 1, -1};
    case LogicalTypeId::TINYINT:
    case LogicalTypeId::SMALLINT:
    case LogicalTypeId::UTINYINT:
      return {21, 2, -1};
    case LogicalTypeId::INTEGER:
    case LogicalTypeId::USMALLINT:
      return {23, 4, -1};
    case LogicalTypeId::BIGINT:
    case LogicalTypeId::UINTEGER:
      return {20, 8, -1};
    case LogicalTypeId::UBIGINT:
    case LogicalTypeId::HUGEINT:
    case LogicalTypeId::UHUGEINT:
    case LogicalTypeId::BIGNUM:
      return {1700, -1, -1};
    case LogicalTypeId::DECIMAL: {
      int32_t typmod = ((static_cast<int32_t>(duckdb::DecimalType::GetWidth(type)) << 16) |
                        static_cast<int32_t>(duckdb::DecimalType::GetScale(type))) +
                       4;
      return {1700, -1, typmod};
    }
    case LogicalTypeId::FLOAT:
      return {700, 4, -1};
    case LogicalTypeId::DOUBLE:
      return {701, 8, -1};
    case LogicalTypeId::VARCHAR:
      if (type.IsJSONType()) return {114, -1, -1};
      if (type.HasAlias() && type.GetAlias() == "jsonb") return {3802, -1, -1};  // pg_jsonb.cpp
      return {25, -1, -1};
    case LogicalTypeId::BLOB:
      return {17, -1, -1};
    case LogicalTypeId::DATE:
      return {1082, 4, -1};
    case LogicalTypeId::TIME:
      return {1083, 8, -1};
    case LogicalTypeId::TIME_TZ:
      return {1266, 12, -1};
    case LogicalTypeId::TIMESTAMP:
    case LogicalTypeId::TIMESTAMP_MS:
    case LogicalTypeId::TIMESTAMP_NS:
    case LogicalTypeId::TIMESTAMP_SEC:
      return {1114, 8, -1};
    case LogicalTypeId::TIMESTAMP_TZ:
      return {1184, 8, -1};
    case LogicalTypeId::INTERVAL:
      return {1186, 16, -1};
    case LogicalTypeId::UUID:
      return {2950, 16, -1};
    case LogicalTypeId::LIST:
    case LogicalTypeId::ARRAY: {
      const LogicalType& child = type.id() == LogicalTypeId::LIST
                                     ? duckdb::ListType::GetChildType(type)
                                     : duckdb::ArrayType::GetChildType(type);
      // Nested lists are multi-dimensional arrays of the innermost element type.
      const LogicalType* inner = &child;
      while (inner->id() == LogicalTypeId::LIST || inner->id() == LogicalTypeId::ARRAY) {
        inner = inner->id() == LogicalTypeId::LIST ? &duckdb::ListType::GetChildType(*inner)
                                                   : &duckdb::ArrayType::GetChildType(*inner);
      }
      uint32_t array_oid = ArrayOidOf(PgTypeFor(*inner).oid);
      return {array_oid != 0 ? array_oid : 25, -1, -1};
    }
    default:
      return {25, -1, -1};  // STRUCT, MAP, UNION, ENUM, BIT, ...: their text form
  }
}

std::string PgNumericText(const duckdb::Value& value) {
  const LogicalType& type = value.type();
  // Also results of arithmetic on it (v * v is DECIMAL(38,20)).
  if (duckdb::DecimalType::GetWidth(type) == kUnconstrainedWidth &&
      duckdb::DecimalType::GetScale(type) >= kUnconstrainedScale) {
    return TrimNumericZeros(value.ToString());
  }
  return value.ToString();
}

void AppendPgText(duckdb::ClientContext& context, const duckdb::Value& value, std::string& out) {
  const LogicalType& type = value.type();
  if (FitsInt64(type.id())) {
    fmt::format_to(std::back_inserter(out), "{}", value.GetValue<int64_t>());
    return;
  }
  switch (type.id()) {
    case LogicalTypeId::BOOLEAN:
      out.push_back(duckdb::BooleanValue::Get(value) ? 't' : 'f');
      return;
    case LogicalTypeId::FLOAT:
      AppendFloat(duckdb::FloatValue::Get(value), out);
      return;
    case LogicalTypeId::DOUBLE:
      AppendFloat(duckdb::DoubleValue::Get(value), out);
      return;
    case LogicalTypeId::VARCHAR:
      out += duckdb::StringValue::Get(value);
      return;
    case LogicalTypeId::BLOB:
      AppendBytea(duckdb::StringValue::Get(value), out);
      return;
    case LogicalTypeId::DECIMAL:
      out += PgNumericText(value);
      return;
    case LogicalTypeId::DATE:
      AppendDateTimeText(duckdb::Date::ToString(duckdb::DateValue::Get(value)), out);
      return;
    case LogicalTypeId::TIMESTAMP:
      AppendDateTimeText(duckdb::Timestamp::ToString(duckdb::TimestampValue::Get(value)), out);
      return;
    case LogicalTypeId::TIMESTAMP_TZ:
      // Printed in the session's TimeZone, which only the context (ICU) knows.
      AppendDateTimeText(value.CastAs(context, LogicalType::VARCHAR).ToString(), out);
      return;
    case LogicalTypeId::INTERVAL:
      AppendInterval(duckdb::IntervalValue::Get(value), out);
      return;
    case LogicalTypeId::LIST:
    case LogicalTypeId::ARRAY:
      AppendList(context, value, out);
      return;
    default:
      AppendDateTimeText(value.ToString(), out);
      return;
  }
}

void AppendPgFloat(float v, std::string& out) { AppendFloat(v, out); }
void AppendPgFloat(double v, std::string& out) { AppendFloat(v, out); }

}  // namespace augur::engine
