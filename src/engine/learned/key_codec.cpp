// key_codec.cpp
#include "engine/learned/key_codec.h"

#include <cmath>
#include <string_view>

#include "learned/key_encoding.h"

namespace augur::engine::learned_glue {
namespace {

using duckdb::LogicalTypeId;

template <typename T, typename Encode>
void EncodeAll(duckdb::Vector& keys, uint64_t count, std::vector<std::optional<uint64_t>>& out,
               Encode encode) {
  duckdb::UnifiedVectorFormat format;
  keys.ToUnifiedFormat(count, format);
  auto data = duckdb::UnifiedVectorFormat::GetData<T>(format);
  out.resize(count);
  for (uint64_t i = 0; i < count; ++i) {
    auto index = format.sel->get_index(i);
    out[i] = format.validity.RowIsValid(index) ? encode(data[index]) : std::nullopt;
  }
}

std::optional<uint64_t> Signed(int64_t value) { return learned::EncodeKey(value); }

std::optional<uint64_t> Floating(double value) {
  if (std::isnan(value)) return std::nullopt;
  return learned::EncodeKey(value);
}

}  // namespace

bool IsSupportedKeyType(const duckdb::LogicalType& type) {
  switch (type.id()) {
    case LogicalTypeId::TINYINT:
    case LogicalTypeId::SMALLINT:
    case LogicalTypeId::INTEGER:
    case LogicalTypeId::BIGINT:
    case LogicalTypeId::UTINYINT:
    case LogicalTypeId::USMALLINT:
    case LogicalTypeId::UINTEGER:
    case LogicalTypeId::UBIGINT:
    case LogicalTypeId::DATE:
    case LogicalTypeId::TIME:
    case LogicalTypeId::TIMESTAMP:
    case LogicalTypeId::TIMESTAMP_TZ:
    case LogicalTypeId::TIMESTAMP_SEC:
    case LogicalTypeId::TIMESTAMP_MS:
    case LogicalTypeId::TIMESTAMP_NS:
    case LogicalTypeId::FLOAT:
    case LogicalTypeId::DOUBLE:
    case LogicalTypeId::VARCHAR:
      return true;
    default:
      return false;
  }
}

bool IsExactKeyType(const duckdb::LogicalType& type) {
  return IsSupportedKeyType(type) && type.id() != LogicalTypeId::VARCHAR;
}

void EncodeKeys(duckdb::Vector& keys, uint64_t count, std::vector<std::optional<uint64_t>>& out) {
  switch (keys.GetType().id()) {
    case LogicalTypeId::TINYINT:
      return EncodeAll<int8_t>(keys, count, out, Signed);
    case LogicalTypeId::SMALLINT:
      return EncodeAll<int16_t>(keys, count, out, Signed);
    case LogicalTypeId::INTEGER:
      return EncodeAll<int32_t>(keys, count, out, Signed);
    case LogicalTypeId::BIGINT:
      return EncodeAll<int64_t>(keys, count, out, Signed);
    case LogicalTypeId::UTINYINT:
      return EncodeAll<uint8_t>(keys, count, out, Signed);
    case LogicalTypeId::USMALLINT:
      return EncodeAll<uint16_t>(keys, count, out, Signed);
    case LogicalTypeId::UINTEGER:
      return EncodeAll<uint32_t>(keys, count, out, Signed);
    case LogicalTypeId::UBIGINT:
      return EncodeAll<uint64_t>(keys, count, out,
                                 [](uint64_t v) -> std::optional<uint64_t> { return v; });
    case LogicalTypeId::DATE:
      return EncodeAll<duckdb::date_t>(keys, count, out,
                                       [](duckdb::date_t v) { return Signed(v.days); });
    case LogicalTypeId::TIME:
      return EncodeAll<duckdb::dtime_t>(keys, count, out,
                                        [](duckdb::dtime_t v) { return Signed(v.micros); });
    case LogicalTypeId::TIMESTAMP:
    case LogicalTypeId::TIMESTAMP_TZ:
    case LogicalTypeId::TIMESTAMP_SEC:
    case LogicalTypeId::TIMESTAMP_MS:
    case LogicalTypeId::TIMESTAMP_NS:
      // Infinite timestamps are the int64 extremes, so they sort where PostgreSQL puts them.
      return EncodeAll<duckdb::timestamp_t>(keys, count, out,
                                            [](duckdb::timestamp_t v) { return Signed(v.value); });
    case LogicalTypeId::FLOAT:
      return EncodeAll<float>(keys, count, out, Floating);
    case LogicalTypeId::DOUBLE:
      return EncodeAll<double>(keys, count, out, Floating);
    case LogicalTypeId::VARCHAR:
      return EncodeAll<duckdb::string_t>(keys, count, out, [](duckdb::string_t v) {
        return std::optional<uint64_t>(
            learned::EncodeKey(std::string_view(v.GetData(), v.GetSize())));
      });
    default:
      out.assign(count, std::nullopt);
  }
}

std::optional<uint64_t> EncodeValue(const duckdb::Value& value, const duckdb::LogicalType& type) {
  if (value.IsNull()) return std::nullopt;
  duckdb::Value cast;
  std::string error;
  if (!value.DefaultTryCastAs(type, cast, &error, false) || cast.IsNull()) return std::nullopt;
  duckdb::Vector vector(cast);
  std::vector<std::optional<uint64_t>> codes;
  EncodeKeys(vector, 1, codes);
  return codes[0];
}

}  // namespace augur::engine::learned_glue
