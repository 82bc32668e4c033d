// pg_datetime_functions.cpp: see pg_datetime_functions.h.
#include "engine/pg/pg_datetime_functions.h"

#include "duckdb/catalog/catalog.hpp"
#include "duckdb/catalog/catalog_entry/scalar_function_catalog_entry.hpp"
#include "duckdb/common/types/date.hpp"
#include "duckdb/common/types/interval.hpp"
#include "duckdb/common/types/time.hpp"
#include "duckdb/common/types/timestamp.hpp"
#include "duckdb/common/vector_operations/binary_executor.hpp"
#include "duckdb/common/vector_operations/vector_operations.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/connection.hpp"
#include "engine/pg/error_translate.h"
#include "engine/pg/pg_datetime_format.h"
#include "engine/pg/system_catalog.h"

namespace augur::engine {
namespace {

using duckdb::LogicalType;
using duckdb::string_t;
using duckdb::timestamp_t;
using duckdb::Vector;

constexpr int64_t kJulianDayOfUnixEpoch = 2440588;  // 1970-01-01

// By reference: a short string_t holds its characters inline, in the object itself.
std::string_view View(const string_t& s) { return {s.GetData(), s.GetSize()}; }

PgDateTimeParts PartsOf(timestamp_t ts) {
  duckdb::date_t date;
  duckdb::dtime_t time;
  duckdb::Timestamp::Convert(ts, date, time);
  int32_t year, month, day, hour, minute, second, micros;
  duckdb::Date::Convert(date, year, month, day);
  duckdb::Time::Convert(time, hour, minute, second, micros);
  return PgDateTimeParts{
      .year = year,
      .month = month,
      .day = day,
      .hour = hour,
      .minute = minute,
      .second = second,
      .micros = micros,
      .day_of_week = static_cast<int>(duckdb::Date::ExtractISODayOfTheWeek(date) % 7),
      .day_of_year = static_cast<int>(duckdb::Date::ExtractDayOfTheYear(date)),
      .julian_day = date.days + kJulianDayOfUnixEpoch,
  };
}

// to_char over TIMESTAMP values (timestamptz and dates are cast to local TIMESTAMP first).
void ToCharTimestamps(Vector& timestamps, Vector& formats, Vector& result, duckdb::idx_t count,
                      bool with_zone) {
  duckdb::BinaryExecutor::ExecuteWithNulls<timestamp_t, string_t, string_t>(
      timestamps, formats, result, count,
      [&](timestamp_t ts, string_t format, duckdb::ValidityMask& mask, duckdb::idx_t row) {
        if (!duckdb::Timestamp::IsFinite(ts)) {  // PostgreSQL: NULL for infinity
          mask.SetInvalid(row);
          return string_t();
        }
        PgDateTimeParts parts = PartsOf(ts);
        if (parts.year < 1) {
          ThrowError(Error(std::string(sqlstate::kFeatureNotSupported),
                           "augur's to_char does not support years before 1 AD"));
        }
        auto text = PgToChar(parts, View(format), with_zone);
        if (!text) ThrowError(text.error());
        return duckdb::StringVector::AddString(result, *text);
      });
}

void ToCharTimestamp(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  ToCharTimestamps(args.data[0], args.data[1], result, args.size(), false);
}

// timestamptz and date: cast to TIMESTAMP in the session's TimeZone (DuckDB's ICU cast).
void ToCharZoned(duckdb::DataChunk& args, duckdb::ExpressionState& state, Vector& result) {
  Vector local(LogicalType::TIMESTAMP, args.size());
  duckdb::VectorOperations::Cast(state.GetContext(), args.data[0], local, args.size());
  ToCharTimestamps(local, args.data[1], result, args.size(), true);
}

PgParsedDateTime ParseOrThrow(const string_t& text, const string_t& format) {
  auto parsed = PgParseDateTime(View(text), View(format));
  if (!parsed) ThrowError(parsed.error());
  return *parsed;
}

// PostgreSQL's last year of a date; DuckDB's dates reach further.
constexpr int64_t kLastDateYear = 5874897;
// DuckDB's timestamps end in January 294247 (PostgreSQL's in 294276: a clear error between).
constexpr int64_t kLastTimestampYear = 294246;

timestamp_t ParseTimestamp(string_t text, string_t format) {
  PgParsedDateTime parsed = ParseOrThrow(text, format);
  if (parsed.year > kLastTimestampYear) ThrowError(Error("22008", "timestamp out of range"));
  auto date = duckdb::Date::FromDate(static_cast<int32_t>(parsed.year), parsed.month, parsed.day);
  // 24:00:00 and a leap second roll over into the next day or minute, as in PostgreSQL.
  int64_t micros =
      ((parsed.hour * 60LL + parsed.minute) * 60 + parsed.second) * 1000000 + parsed.micros;
  return timestamp_t(date.days * duckdb::Interval::MICROS_PER_DAY + micros);
}

void ToDate(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  duckdb::BinaryExecutor::Execute<string_t, string_t, duckdb::date_t>(
      args.data[0], args.data[1], result, args.size(), [&](string_t text, string_t format) {
        PgParsedDateTime parsed = ParseOrThrow(text, format);
        if (parsed.year > kLastDateYear) {
          ThrowError(Error("22008", "date out of range: \"" + text.GetString() + "\""));
        }
        // to_date ignores the time of day, as PostgreSQL's does.
        return duckdb::Date::FromDate(static_cast<int32_t>(parsed.year), parsed.month, parsed.day);
      });
}

// The local time read from the text, made a timestamptz in the session's TimeZone.
void ToTimestamp(duckdb::DataChunk& args, duckdb::ExpressionState& state, Vector& result) {
  Vector local(LogicalType::TIMESTAMP, args.size());
  duckdb::BinaryExecutor::Execute<string_t, string_t, timestamp_t>(
      args.data[0], args.data[1], local, args.size(), ParseTimestamp);
  duckdb::VectorOperations::Cast(state.GetContext(), local, result, args.size());
}

// DuckDB's overloads of the added function's name without two arguments, plus the added ones.
void ReplaceTwoArgumentOverloads(duckdb::ClientContext& context, const std::string& name,
                                 std::vector<duckdb::ScalarFunction> added) {
  duckdb::ScalarFunctionSet set(name);
  auto& catalog = duckdb::Catalog::GetSystemCatalog(context);
  auto entry = catalog.GetEntry<duckdb::ScalarFunctionCatalogEntry>(
      context, DEFAULT_SCHEMA, name, duckdb::OnEntryNotFound::RETURN_NULL);
  if (entry) {
    for (auto& fn : entry->functions.functions) {
      if (fn.arguments.size() != 2) set.AddFunction(fn);
    }
  }
  for (auto& fn : added) set.AddFunction(std::move(fn));
  ReplaceSystemScalarFunction(context, std::move(set));
}

duckdb::ScalarFunction Function(const std::string& name, LogicalType arg, LogicalType ret,
                                duckdb::scalar_function_t fn, bool session_zone) {
  duckdb::ScalarFunction function(name, {std::move(arg), LogicalType::VARCHAR}, std::move(ret), fn);
  // Results that depend on the session's TimeZone must not be folded into a cached plan.
  if (session_zone) function.stability = duckdb::FunctionStability::CONSISTENT_WITHIN_QUERY;
  return function;
}

}  // namespace

Status InstallPgDatetimeFunctions(duckdb::Connection& connection) {
  return InstallInTransaction(
      *connection.context, "to_char, to_date and to_timestamp", [](duckdb::ClientContext& context) {
        ReplaceTwoArgumentOverloads(
            context, "to_char",
            {Function("to_char", LogicalType::TIMESTAMP, LogicalType::VARCHAR, ToCharTimestamp,
                      false),
             Function("to_char", LogicalType::TIMESTAMP_TZ, LogicalType::VARCHAR, ToCharZoned,
                      true),
             Function("to_char", LogicalType::DATE, LogicalType::VARCHAR, ToCharZoned, true)});
        ReplaceTwoArgumentOverloads(
            context, "to_date",
            {Function("to_date", LogicalType::VARCHAR, LogicalType::DATE, ToDate, false)});
        ReplaceTwoArgumentOverloads(context, "to_timestamp",
                                    {Function("to_timestamp", LogicalType::VARCHAR,
                                              LogicalType::TIMESTAMP_TZ, ToTimestamp, true)});
      });
}

}  // namespace augur::engine
