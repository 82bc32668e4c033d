// pg_params.cpp: most types parse through DuckDB's own casts from VARCHAR, which accept
// PostgreSQL's spellings (dates, timestamps with offsets, intervals, numerics, {..} arrays). The
// exceptions are handled here: bytea (PostgreSQL's hex form would be read as escapes by DuckDB)
// and booleans (PostgreSQL also accepts on/off/yes/no and unique prefixes).
#include "engine/pg/pg_params.h"

#include <fmt/format.h>

#include <charconv>

#include "duckdb/main/client_context.hpp"
#include "engine/pg/pg_bytea_text.h"
#include "engine/pg/pg_numeric_text.h"
#include "engine/pg/pg_types.h"

namespace augur::engine {
namespace {

using duckdb::LogicalType;
using duckdb::LogicalTypeId;

Error InvalidInput(std::string_view type_name, std::string_view text) {
  return Error("22P02", fmt::format("invalid input syntax for type {}: \"{}\"", type_name, text));
}

// bytea input: PostgreSQL's hex and escape forms (pg_bytea_text.h).
Result<duckdb::Value> ByteaFromText(std::string_view text) {
  auto bytes = ParseByteaText(text);
  if (!bytes) return std::move(bytes).error();
  return duckdb::Value::BLOB(reinterpret_cast<duckdb::const_data_ptr_t>(bytes->data()),
                             bytes->size());
}

Result<duckdb::Value> BooleanFromText(std::string_view text) {
  std::string lower;
  for (char c : text) {
    if (c != ' ') lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  auto prefix_of = [&](std::string_view word) {
    return !lower.empty() && word.substr(0, lower.size()) == lower;
  };
  if (lower == "1" || prefix_of("true") || prefix_of("yes") || lower == "on") {
    return duckdb::Value::BOOLEAN(true);
  }
  if (lower == "0" || prefix_of("false") || prefix_of("no") || lower == "off" || lower == "of") {
    return duckdb::Value::BOOLEAN(false);
  }
  return InvalidInput("boolean", text);
}

}  // namespace

LogicalType LogicalTypeForPgOid(uint32_t oid) {
  switch (oid) {
    case 16:
      return LogicalType::BOOLEAN;
    case 17:
      return LogicalType::BLOB;
    case 20:
      return LogicalType::BIGINT;
    case 21:
      return LogicalType::SMALLINT;
    case 23:
      return LogicalType::INTEGER;
    case 18:    // char
    case 19:    // name
    case 25:    // text
    case 114:   // json
    case 1042:  // bpchar
    case 1043:  // varchar
    case 3802:  // jsonb
      return LogicalType::VARCHAR;
    case 700:
      return LogicalType::FLOAT;
    case 701:
      return LogicalType::DOUBLE;
    case 1700:
      // augur's unconstrained numeric: exact, or 22003 for what it cannot hold (pg_numeric.h).
      // A double here rounded 38-digit values to 15 significant digits without an error.
      return LogicalType::DECIMAL(kUnconstrainedWidth, kUnconstrainedScale);
    case 1082:
      return LogicalType::DATE;
    case 1083:
      return LogicalType::TIME;
    case 1114:
      return LogicalType::TIMESTAMP;
    case 1184:
      return LogicalType::TIMESTAMP_TZ;
    case 1186:
      return LogicalType::INTERVAL;
    case 2950:
      return LogicalType::UUID;
    case 1000:
      return LogicalType::LIST(LogicalType::BOOLEAN);
    case 1005:
      return LogicalType::LIST(LogicalType::SMALLINT);
    case 1007:
      return LogicalType::LIST(LogicalType::INTEGER);
    case 1016:
      return LogicalType::LIST(LogicalType::BIGINT);
    case 1009:
    case 1015:
      return LogicalType::LIST(LogicalType::VARCHAR);
    case 1021:
      return LogicalType::LIST(LogicalType::FLOAT);
    case 1022:
      return LogicalType::LIST(LogicalType::DOUBLE);
    default:
      return LogicalType::UNKNOWN;
  }
}

std::optional<duckdb::Value> NumberFromText(std::string_view text) {
  int64_t integer = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), integer);
  if (ec == std::errc() && end == text.data() + text.size()) {
    if (integer >= INT32_MIN && integer <= INT32_MAX) {
      return duckdb::Value::INTEGER(static_cast<int32_t>(integer));
    }
    return duckdb::Value::BIGINT(integer);
  }
  double real = 0;
  auto [rend, rec] = std::from_chars(text.data(), text.data() + text.size(), real);
  if (rec == std::errc() && rend == text.data() + text.size() && !text.empty()) {
    return duckdb::Value::DOUBLE(real);
  }
  return std::nullopt;
}

Result<duckdb::Value> ValueFromPgText(duckdb::ClientContext& context, std::string_view text,
                                      const LogicalType& type) {
  switch (type.id()) {
    case LogicalTypeId::BLOB:
      return ByteaFromText(text);
    case LogicalTypeId::BOOLEAN:
      return BooleanFromText(text);
    case LogicalTypeId::VARCHAR:
    case LogicalTypeId::UNKNOWN:
    case LogicalTypeId::INVALID:
    case LogicalTypeId::SQLNULL:
    case LogicalTypeId::ANY:
      return duckdb::Value(std::string(text));
    default:
      break;
  }
  duckdb::Value value{std::string(text)};
  duckdb::Value result;
  std::string error;
  if (!value.TryCastAs(context, type, result, &error, /*strict=*/false)) {
    return InvalidInput(type.ToString(), text);
  }
  return result;
}

}  // namespace augur::engine
