// pg_binary.cpp: integers and floats big-endian; dates as days and timestamps as microseconds
// since 2000-01-01; intervals as (microseconds, days, months); numeric as base-10000 digit groups
// with weight, sign and display scale; one-dimensional arrays with PostgreSQL's array header.
#include "engine/pg/pg_binary.h"

#include <fmt/format.h>

#include <bit>

#include "duckdb/common/types/date.hpp"
#include "duckdb/common/types/interval.hpp"
#include "duckdb/common/types/timestamp.hpp"
#include "engine/pg/pg_types.h"

namespace augur::engine {
namespace {

constexpr int32_t kPostgresEpochDays = 10957;                      // 2000-01-01 - 1970-01-01
constexpr int64_t kPostgresEpochMicros = 946684800LL * 1000000LL;  // the same, in microseconds

template <typename T>
void PutBigEndian(T v, std::string& out) {
  using U = std::make_unsigned_t<T>;
  U u = static_cast<U>(v);
  for (int shift = (sizeof(T) - 1) * 8; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((u >> shift) & 0xFF));
  }
}

uint32_t ElementOid(uint32_t array_oid) {
  switch (array_oid) {
    case 1000:
      return 16;
    case 1005:
      return 21;
    case 1007:
      return 23;
    case 1016:
      return 20;
    case 1021:
      return 700;
    case 1022:
      return 701;
    case 1009:
      return 25;
    case 1015:
      return 1043;
    case 1001:
      return 17;
    case 1182:
      return 1082;
    case 1115:
      return 1114;
    case 1185:
      return 1184;
    case 1183:
      return 1083;
    case 1187:
      return 1186;
    case 1231:
      return 1700;
    case 2951:
      return 2950;
    case 199:
      return 114;
    case 3807:
      return 3802;
    default:
      return 0;
  }
}

// numeric_send from the decimal text of a value ("-123.4500").
void NumericFromText(const std::string& text, std::string& out) {
  bool negative = !text.empty() && text[0] == '-';
  std::string digits = text.substr(negative ? 1 : 0);
  size_t dot = digits.find('.');
  std::string int_part = dot == std::string::npos ? digits : digits.substr(0, dot);
  std::string frac_part = dot == std::string::npos ? "" : digits.substr(dot + 1);
  int16_t dscale = static_cast<int16_t>(frac_part.size());
  // Pad to whole base-10000 groups on both sides of the point.
  while (int_part.size() % 4 != 0) int_part.insert(int_part.begin(), '0');
  while (frac_part.size() % 4 != 0) frac_part.push_back('0');
  std::vector<int16_t> groups;
  for (size_t i = 0; i < int_part.size(); i += 4)
    groups.push_back(static_cast<int16_t>(std::stoi(int_part.substr(i, 4))));
  int16_t weight = static_cast<int16_t>(groups.size()) - 1;
  for (size_t i = 0; i < frac_part.size(); i += 4)
    groups.push_back(static_cast<int16_t>(std::stoi(frac_part.substr(i, 4))));
  // Strip leading zero groups (adjusting the weight) and trailing zero groups.
  size_t first = 0;
  while (first < groups.size() && groups[first] == 0) {
    ++first;
    --weight;
  }
  size_t last = groups.size();
  while (last > first && groups[last - 1] == 0) --last;
  if (first == last) weight = 0;
  PutBigEndian<int16_t>(static_cast<int16_t>(last - first), out);
  PutBigEndian<int16_t>(weight, out);
  PutBigEndian<uint16_t>(negative && first != last ? 0x4000 : 0x0000, out);
  PutBigEndian<int16_t>(dscale, out);
  for (size_t i = first; i < last; ++i) PutBigEndian<int16_t>(groups[i], out);
}

}  // namespace

bool PgBinarySupported(uint32_t oid) {
  switch (oid) {
    case 16:
    case 17:
    case 20:
    case 21:
    case 23:
    case 25:
    case 114:
    case 3802:
    case 700:
    case 701:
    case 1043:
    case 1082:
    case 1083:
    case 1114:
    case 1184:
    case 1186:
    case 1700:
    case 2950:
      return true;
    default:
      return ElementOid(oid) != 0;
  }
}

Status AppendPgBinary(const duckdb::Value& value, uint32_t oid, std::string& out) {
  switch (oid) {
    case 16:
      out.push_back(value.GetValue<bool>() ? 1 : 0);
      return {};
    case 21:
      PutBigEndian(value.GetValue<int16_t>(), out);
      return {};
    case 23:
      PutBigEndian(value.GetValue<int32_t>(), out);
      return {};
    case 20:
      PutBigEndian(value.GetValue<int64_t>(), out);
      return {};
    case 700:
      PutBigEndian(std::bit_cast<uint32_t>(value.GetValue<float>()), out);
      return {};
    case 701:
      PutBigEndian(std::bit_cast<uint64_t>(value.GetValue<double>()), out);
      return {};
    case 17: {
      auto& blob = duckdb::StringValue::Get(value);
      out.append(blob);
      return {};
    }
    case 25:
    case 114:
    case 1043:
      out.append(value.ToString());
      return {};
    case 3802:  // jsonb_send: a version byte, then the text
      out.push_back('\1');
      out.append(value.ToString());
      return {};
    case 2950: {
      std::string text = value.ToString();
      for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '-') continue;
        out.push_back(static_cast<char>(std::stoi(text.substr(i, 2), nullptr, 16)));
        ++i;
      }
      return {};
    }
    case 1082:
      PutBigEndian<int32_t>(value.GetValue<duckdb::date_t>().days - kPostgresEpochDays, out);
      return {};
    case 1083:
      PutBigEndian<int64_t>(value.GetValue<duckdb::dtime_t>().micros, out);
      return {};
    case 1114:
      PutBigEndian<int64_t>(value.GetValue<duckdb::timestamp_t>().value - kPostgresEpochMicros,
                            out);
      return {};
    case 1184:
      PutBigEndian<int64_t>(
          duckdb::TimestampValue::Get(value.DefaultCastAs(duckdb::LogicalType::TIMESTAMP)).value -
              kPostgresEpochMicros,
          out);
      return {};
    case 1186: {
      auto iv = value.GetValue<duckdb::interval_t>();
      PutBigEndian<int64_t>(iv.micros, out);
      PutBigEndian<int32_t>(iv.days, out);
      PutBigEndian<int32_t>(iv.months, out);
      return {};
    }
    case 1700:
      NumericFromText(value.type().id() == duckdb::LogicalTypeId::DECIMAL ? PgNumericText(value)
                                                                          : value.ToString(),
                      out);
      return {};
    default:
      break;
  }
  uint32_t element = ElementOid(oid);
  if (element == 0) {
    return Error(sqlstate::kFeatureNotSupported,
                 fmt::format("binary output is not supported for type oid {}", oid));
  }
  auto& children = duckdb::ListValue::GetChildren(value);
  bool has_null = false;
  for (auto& child : children) has_null |= child.IsNull();
  PutBigEndian<int32_t>(1, out);  // dimensions
  PutBigEndian<int32_t>(has_null ? 1 : 0, out);
  PutBigEndian<int32_t>(static_cast<int32_t>(element), out);
  PutBigEndian<int32_t>(static_cast<int32_t>(children.size()), out);
  PutBigEndian<int32_t>(1, out);  // lower bound
  for (auto& child : children) {
    if (child.IsNull()) {
      PutBigEndian<int32_t>(-1, out);
      continue;
    }
    size_t length_at = out.size();
    PutBigEndian<int32_t>(0, out);
    if (auto ok = AppendPgBinary(child, element, out); !ok) return ok;
    uint32_t length = static_cast<uint32_t>(out.size() - length_at - 4);
    for (int i = 0; i < 4; ++i) out[length_at + i] = static_cast<char>(length >> (24 - 8 * i));
  }
  return {};
}

}  // namespace augur::engine
