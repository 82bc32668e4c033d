// pg_extract.cpp: see pg_extract.h.
#include "engine/pg/pg_extract.h"

#include <cstdint>

#include "duckdb/common/types/date.hpp"
#include "duckdb/common/types/interval.hpp"
#include "duckdb/common/types/timestamp.hpp"
#include "duckdb/common/vector_operations/unary_executor.hpp"
#include "duckdb/execution/expression_executor.hpp"
#include "duckdb/function/function_set.hpp"
#include "duckdb/function/scalar_function.hpp"
#include "duckdb/planner/expression.hpp"
#include "engine/pg/error_translate.h"
#include "engine/pg/system_catalog.h"

namespace augur::engine {
namespace {

using duckdb::LogicalType;
using duckdb::Vector;

// DECIMAL(18, scale) whose unscaled integer is the microseconds: at scale 6 they read as
// seconds (9250000 -> 9.250000), at scale 3 as milliseconds (9250.000), both exact.
void NumericMicros(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  result.Reinterpret(args.data[0]);  // both hold int64: DECIMAL(18, s) is read in place
}

duckdb::unique_ptr<duckdb::FunctionData> BindNumericMicros(
    duckdb::ClientContext& context, duckdb::ScalarFunction& function,
    duckdb::vector<duckdb::unique_ptr<duckdb::Expression>>& arguments) {
  if (!arguments[1]->IsFoldable()) {
    ThrowError(Error("0A000", "pg_numeric_micros needs a constant scale"));
  }
  auto scale = duckdb::ExpressionExecutor::EvaluateScalar(context, *arguments[1]);
  int s = scale.IsNull() ? 6 : scale.GetValue<int32_t>();
  if (s < 0 || s > 6) ThrowError(Error("22023", "pg_numeric_micros: scale must be 0 to 6"));
  function.return_type = LogicalType::DECIMAL(18, static_cast<uint8_t>(s));
  return nullptr;
}

[[noreturn]] void InfiniteEpoch() {
  ThrowError(Error("0A000",
                   "augur does not support extract(epoch ...) of an infinite timestamp: numeric "
                   "has no infinity in augur"));
}

template <typename TS>
void EpochOfTimestamp(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  duckdb::UnaryExecutor::Execute<TS, int64_t>(args.data[0], result, args.size(), [](TS ts) {
    if (!duckdb::Timestamp::IsFinite(ts)) InfiniteEpoch();
    return duckdb::Timestamp::GetEpochMicroSeconds(ts);
  });
}

void EpochOfDate(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  duckdb::UnaryExecutor::Execute<duckdb::date_t, int64_t>(args.data[0], result, args.size(),
                                                          [](duckdb::date_t d) {
                                                            if (!duckdb::Date::IsFinite(d))
                                                              InfiniteEpoch();
                                                            return duckdb::Date::Epoch(d);
                                                          });
}

void EpochOfTime(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  duckdb::UnaryExecutor::Execute<duckdb::dtime_t, int64_t>(
      args.data[0], result, args.size(), [](duckdb::dtime_t t) { return t.micros; });
}

// PostgreSQL's interval_part_common for DTK_EPOCH: a year is 365.25 days, a month 30 days,
// computed in integers by counting quarter days.
void EpochOfInterval(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  duckdb::UnaryExecutor::Execute<duckdb::interval_t, duckdb::hugeint_t>(
      args.data[0], result, args.size(), [](duckdb::interval_t iv) {
        const int64_t quarter_days = int64_t{1461} * (iv.months / 12) +
                                     int64_t{120} * (iv.months % 12) + int64_t{4} * iv.days;
        duckdb::hugeint_t micros(quarter_days);
        micros *= duckdb::hugeint_t(int64_t{21600} * 1000000);  // a quarter day in microseconds
        micros += duckdb::hugeint_t(iv.micros);
        return micros;
      });
}

}  // namespace

void RegisterPgExtractFunctions(duckdb::ClientContext& context) {
  duckdb::ScalarFunctionSet micros("pg_numeric_micros");
  micros.AddFunction(duckdb::ScalarFunction({LogicalType::BIGINT, LogicalType::INTEGER},
                                            LogicalType::DECIMAL(18, 6), NumericMicros,
                                            BindNumericMicros));
  ReplaceSystemScalarFunction(context, std::move(micros));

  duckdb::ScalarFunctionSet epoch("pg_extract_epoch");
  auto scale6 = LogicalType::DECIMAL(18, 6);
  epoch.AddFunction(duckdb::ScalarFunction({LogicalType::TIMESTAMP}, scale6,
                                           EpochOfTimestamp<duckdb::timestamp_t>));
  epoch.AddFunction(duckdb::ScalarFunction({LogicalType::TIMESTAMP_TZ}, scale6,
                                           EpochOfTimestamp<duckdb::timestamp_tz_t>));
  epoch.AddFunction(
      duckdb::ScalarFunction({LogicalType::DATE}, LogicalType::DECIMAL(18, 0), EpochOfDate));
  epoch.AddFunction(duckdb::ScalarFunction({LogicalType::TIME}, scale6, EpochOfTime));
  epoch.AddFunction(duckdb::ScalarFunction({LogicalType::INTERVAL}, LogicalType::DECIMAL(38, 6),
                                           EpochOfInterval));
  ReplaceSystemScalarFunction(context, std::move(epoch));
}

}  // namespace augur::engine
