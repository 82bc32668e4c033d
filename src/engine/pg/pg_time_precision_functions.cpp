// pg_time_precision_functions.cpp: pg_round_time and pg_time_fits (pg_time_precision.h).
#include <fmt/format.h>

#include <cstdint>

#include "duckdb/common/types/time.hpp"
#include "duckdb/common/types/timestamp.hpp"
#include "duckdb/common/vector_operations/binary_executor.hpp"
#include "duckdb/common/vector_operations/ternary_executor.hpp"
#include "duckdb/function/function_set.hpp"
#include "duckdb/function/scalar_function.hpp"
#include "engine/pg/error_translate.h"
#include "engine/pg/pg_time_precision.h"
#include "engine/pg/system_catalog.h"

namespace augur::engine {
namespace {

using duckdb::LogicalType;
using duckdb::Vector;

constexpr int64_t kScales[] = {1000000, 100000, 10000, 1000, 100, 10, 1};

// PostgreSQL's AdjustTimestampForTypmod / AdjustTimeForTypmod: half away from zero, counted from
// PostgreSQL's epoch (2000-01-01) for timestamps, which decides the direction of a tie between
// 1970 and 2000; `epoch` is that epoch in DuckDB's microseconds (0 for time).
int64_t RoundMicros(int64_t micros, int32_t precision, int64_t epoch) {
  if (precision >= 6 || precision < 0) return micros;
  const int64_t scale = kScales[precision];
  const int64_t offset = scale / 2;
  const int64_t t = micros - epoch;
  if (t >= 0) return (t + offset) / scale * scale + epoch;
  return -(((-t) + offset) / scale * scale) + epoch;
}

constexpr int64_t kPgEpochMicros = 946684800LL * 1000000;  // 2000-01-01 in Unix microseconds

// The microseconds of a value, and whether it is a finite one ('infinity' stays as it is).
int64_t& Micros(duckdb::timestamp_t& v) { return v.value; }
int64_t& Micros(duckdb::timestamp_tz_t& v) { return v.value; }
int64_t& Micros(duckdb::dtime_t& v) { return v.micros; }
int64_t Epoch(duckdb::timestamp_t) { return kPgEpochMicros; }
int64_t Epoch(duckdb::timestamp_tz_t) { return kPgEpochMicros; }
int64_t Epoch(duckdb::dtime_t) { return 0; }
template <typename T>
bool Finite(T v) {
  return Micros(v) != duckdb::timestamp_t::infinity().value &&
         Micros(v) != duckdb::timestamp_t::ninfinity().value;
}

template <typename T>
void Round(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  duckdb::BinaryExecutor::Execute<T, int32_t, T>(
      args.data[0], args.data[1], result, args.size(), [](T value, int32_t precision) {
        if (precision < 0) ThrowError(Error("22023", "time precision must not be negative"));
        if (!Finite(value)) return value;
        Micros(value) = RoundMicros(Micros(value), precision, Epoch(value));
        return value;
      });
}

template <typename T>
void Fits(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  duckdb::TernaryExecutor::Execute<T, int32_t, duckdb::string_t, bool>(
      args.data[0], args.data[1], args.data[2], result, args.size(),
      [](T value, int32_t precision, duckdb::string_t type) {
        if (!Finite(value) ||
            RoundMicros(Micros(value), precision, Epoch(value)) == Micros(value)) {
          return true;
        }
        ThrowError(
            Error("0A000", fmt::format("augur does not round values to {}: the value has more "
                                       "than {} fractional second digits",
                                       type.GetString(), precision))
                .WithHint(fmt::format("Round it first, e.g. value::{}, or declare the column "
                                      "without a precision.",
                                      type.GetString())));
      });
}

}  // namespace

void RegisterTimePrecisionFunctions(duckdb::ClientContext& context) {
  duckdb::ScalarFunctionSet round("pg_round_time");
  duckdb::ScalarFunctionSet fits("pg_time_fits");
  auto add = [&](const LogicalType& type, duckdb::scalar_function_t round_fn,
                 duckdb::scalar_function_t fits_fn) {
    round.AddFunction(duckdb::ScalarFunction({type, LogicalType::INTEGER}, type, round_fn));
    fits.AddFunction(duckdb::ScalarFunction({type, LogicalType::INTEGER, LogicalType::VARCHAR},
                                            LogicalType::BOOLEAN, fits_fn));
  };
  add(LogicalType::TIMESTAMP, Round<duckdb::timestamp_t>, Fits<duckdb::timestamp_t>);
  add(LogicalType::TIMESTAMP_TZ, Round<duckdb::timestamp_tz_t>, Fits<duckdb::timestamp_tz_t>);
  add(LogicalType::TIME, Round<duckdb::dtime_t>, Fits<duckdb::dtime_t>);
  ReplaceSystemScalarFunction(context, std::move(round));
  ReplaceSystemScalarFunction(context, std::move(fits));
}

}  // namespace augur::engine
