// pg_interval_functions.cpp: see pg_interval_functions.h. Each follows PostgreSQL 15's code
// (utils/adt/timestamp.c) step for step, because the sign rules and the NULL rules are where a
// simpler version would give different answers.
#include "engine/pg/pg_interval_functions.h"

#include <optional>
#include <utility>

#include "duckdb/common/types/interval.hpp"
#include "duckdb/common/types/vector.hpp"
#include "duckdb/common/vector_operations/unary_executor.hpp"
#include "duckdb/function/scalar_function.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/connection.hpp"
#include "engine/pg/error_translate.h"
#include "engine/pg/system_catalog.h"

namespace augur::engine {
namespace {

using duckdb::idx_t;
using duckdb::interval_t;
using duckdb::LogicalType;
using duckdb::Vector;

constexpr int64_t kMicrosPerDay = duckdb::Interval::MICROS_PER_DAY;
constexpr int32_t kDaysPerMonth = 30;

// Whole days out of the time part (PostgreSQL's TMODULO: truncating division).
void TimeToDays(interval_t& v) {
  int64_t whole = v.micros / kMicrosPerDay;
  v.micros -= whole * kMicrosPerDay;
  v.days += static_cast<int32_t>(whole);
}

void DaysToMonths(interval_t& v) {
  int32_t whole = v.days / kDaysPerMonth;
  v.days -= whole * kDaysPerMonth;
  v.months += whole;
}

// The sign of the time part made the day part's (a day borrowed or lent), as each justify
// function ends.
void TimeTakesDaysSign(interval_t& v) {
  if (v.days > 0 && v.micros < 0) {
    v.micros += kMicrosPerDay;
    v.days--;
  } else if (v.days < 0 && v.micros > 0) {
    v.micros -= kMicrosPerDay;
    v.days++;
  }
}

// The same between months and what is below them, whose sign is `rest` (-1, 0 or 1).
void RestTakesMonthsSign(interval_t& v, int rest) {
  if (v.months > 0 && rest < 0) {
    v.days += kDaysPerMonth;
    v.months--;
  } else if (v.months < 0 && rest > 0) {
    v.days -= kDaysPerMonth;
    v.months++;
  }
}

int Sign(int64_t x) { return (x > 0) - (x < 0); }

interval_t JustifyHours(interval_t v) {
  TimeToDays(v);
  TimeTakesDaysSign(v);
  return v;
}

interval_t JustifyDays(interval_t v) {
  DaysToMonths(v);
  RestTakesMonthsSign(v, Sign(v.days));  // justify_days looks at the days alone
  return v;
}

interval_t JustifyInterval(interval_t v) {
  // Days first when both parts have one sign, as PostgreSQL does to avoid overflow.
  if ((v.days > 0 && v.micros > 0) || (v.days < 0 && v.micros < 0)) DaysToMonths(v);
  TimeToDays(v);
  DaysToMonths(v);
  RestTakesMonthsSign(v, v.days != 0 ? Sign(v.days) : Sign(v.micros));
  TimeTakesDaysSign(v);
  return v;
}

template <interval_t (*kJustify)(interval_t)>
void Justify(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  duckdb::UnaryExecutor::Execute<interval_t, interval_t>(args.data[0], result, args.size(),
                                                         kJustify);
}

// (start1, end1) OVERLAPS (start2, end2), PostgreSQL's overlaps_timestamp: either end of a period
// may be NULL, and some such periods still give an answer.
template <typename T>
std::optional<bool> Overlaps(std::optional<T> ts1, std::optional<T> te1, std::optional<T> ts2,
                             std::optional<T> te2) {
  auto order = [](std::optional<T>& start, std::optional<T>& end) -> bool {
    if (!start) {
      if (!end) return false;
      start = end;
      end.reset();
    } else if (end && *start > *end) {
      std::swap(start, end);
    }
    return true;
  };
  if (!order(ts1, te1) || !order(ts2, te2)) return std::nullopt;
  if (*ts1 > *ts2) {
    if (!te2) return std::nullopt;
    if (*ts1 < *te2) return true;
    if (!te1) return std::nullopt;
    return false;
  }
  if (*ts1 < *ts2) {
    if (!te1) return std::nullopt;
    if (*ts2 < *te1) return true;
    if (!te2) return std::nullopt;
    return false;
  }
  if (!te1 || !te2) return std::nullopt;
  return true;
}

template <typename T>
void OverlapsFunction(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  duckdb::UnifiedVectorFormat in[4];
  for (idx_t k = 0; k < 4; ++k) args.data[k].ToUnifiedFormat(args.size(), in[k]);
  result.SetVectorType(duckdb::VectorType::FLAT_VECTOR);
  auto out = duckdb::FlatVector::GetData<bool>(result);
  auto& validity = duckdb::FlatVector::Validity(result);
  for (idx_t row = 0; row < args.size(); ++row) {
    std::optional<T> v[4];
    for (idx_t k = 0; k < 4; ++k) {
      idx_t at = in[k].sel->get_index(row);
      if (in[k].validity.RowIsValid(at)) v[k] = duckdb::UnifiedVectorFormat::GetData<T>(in[k])[at];
    }
    auto answer = Overlaps<T>(v[0], v[1], v[2], v[3]);
    if (answer) {
      out[row] = *answer;
    } else {
      validity.SetInvalid(row);
    }
  }
  if (args.AllConstant()) result.SetVectorType(duckdb::VectorType::CONSTANT_VECTOR);
}

duckdb::ScalarFunction OverlapsOf(const LogicalType& type, duckdb::scalar_function_t fn) {
  duckdb::ScalarFunction f({type, type, type, type}, LogicalType::BOOLEAN, std::move(fn));
  f.null_handling = duckdb::FunctionNullHandling::SPECIAL_HANDLING;
  return f;
}

void Register(duckdb::ClientContext& context) {
  const auto I = LogicalType::INTERVAL;
  AddSystemScalarOverloads(context, "justify_hours",
                           {duckdb::ScalarFunction({I}, I, Justify<JustifyHours>)});
  AddSystemScalarOverloads(context, "justify_days",
                           {duckdb::ScalarFunction({I}, I, Justify<JustifyDays>)});
  AddSystemScalarOverloads(context, "justify_interval",
                           {duckdb::ScalarFunction({I}, I, Justify<JustifyInterval>)});
  AddSystemScalarOverloads(
      context, "overlaps",
      {OverlapsOf(LogicalType::TIMESTAMP, OverlapsFunction<duckdb::timestamp_t>),
       OverlapsOf(LogicalType::TIMESTAMP_TZ, OverlapsFunction<duckdb::timestamp_tz_t>),
       OverlapsOf(LogicalType::TIME, OverlapsFunction<duckdb::dtime_t>)});
}

}  // namespace

Status InstallPgIntervalFunctions(duckdb::Connection& connection) {
  return InstallInTransaction(*connection.context, "PostgreSQL interval functions", Register);
}

}  // namespace augur::engine
