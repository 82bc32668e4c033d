// pg_numeric_functions.cpp: see pg_numeric_functions.h.
#include "engine/pg/pg_numeric_functions.h"

#include <optional>

#include "duckdb/catalog/catalog.hpp"
#include "duckdb/catalog/catalog_entry/aggregate_function_catalog_entry.hpp"
#include "duckdb/catalog/catalog_entry/scalar_function_catalog_entry.hpp"
#include "duckdb/common/types/hugeint.hpp"
#include "duckdb/common/vector_operations/binary_executor.hpp"
#include "duckdb/function/aggregate_function.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/connection.hpp"
#include "duckdb/parser/parsed_data/create_aggregate_function_info.hpp"
#include "duckdb/parser/parsed_data/create_scalar_function_info.hpp"
#include "duckdb/planner/expression.hpp"
#include "duckdb/planner/expression/bound_function_expression.hpp"
#include "engine/pg/error_translate.h"
#include "engine/pg/pg_numeric_div.h"
#include "engine/pg/pg_numeric_text.h"
#include "engine/pg/system_catalog.h"

namespace augur::engine {
namespace {

using duckdb::hugeint_t;
using duckdb::LogicalType;
using duckdb::LogicalTypeId;

__int128 ToInt128(hugeint_t v) {
  return (static_cast<__int128>(v.upper) << 64) | static_cast<__int128>(v.lower);
}

hugeint_t FromInt128(__int128 v) {
  hugeint_t out;
  out.lower = static_cast<uint64_t>(static_cast<unsigned __int128>(v));
  out.upper = static_cast<int64_t>(v >> 64);
  return out;
}

LogicalType QuotientType() { return LogicalType::DECIMAL(38, kQuotientScale); }

// How an operand of a numeric division is read: its scale, and whether its display scale is its
// value's (augur's unconstrained numeric and arithmetic on it, which print without trailing
// zeros, pg_numeric_text.h) or its type's (numeric(p,s) columns and literals such as 1.50).
struct Operand {
  int scale = 0;
  bool trimmed = false;
};

Operand OperandOf(const LogicalType& type) {
  if (type.id() == LogicalTypeId::DECIMAL) {
    int width = duckdb::DecimalType::GetWidth(type), scale = duckdb::DecimalType::GetScale(type);
    return {scale, width == kUnconstrainedWidth && scale >= kUnconstrainedScale};
  }
  if (type.IsIntegral()) return {0, false};
  // An untyped literal or NULL: read as unconstrained numeric, as PostgreSQL reads '1.5' / 2.
  return {kUnconstrainedScale, true};
}

ScaledDecimal Scaled(hugeint_t value, const Operand& operand) {
  __int128 v = ToInt128(value);
  return {v, operand.scale, operand.trimmed ? TrimmedScale(v, operand.scale) : operand.scale};
}

hugeint_t DivideOrThrow(const ScaledDecimal& a, const ScaledDecimal& b) {
  auto quotient = PgNumericDivide(a, b);
  if (!quotient) ThrowError(quotient.error());
  return FromInt128(*quotient);
}

// ---- numeric / numeric ----

struct DivideData : duckdb::FunctionData {
  Operand left, right;
  DivideData(Operand l, Operand r) : left(l), right(r) {}
  duckdb::unique_ptr<duckdb::FunctionData> Copy() const override {
    return duckdb::make_uniq<DivideData>(left, right);
  }
  bool Equals(const duckdb::FunctionData& other) const override {
    auto& o = other.Cast<DivideData>();
    return left.scale == o.left.scale && left.trimmed == o.left.trimmed &&
           right.scale == o.right.scale && right.trimmed == o.right.trimmed;
  }
};

duckdb::unique_ptr<duckdb::FunctionData> BindDivide(
    duckdb::ClientContext&, duckdb::ScalarFunction& function,
    duckdb::vector<duckdb::unique_ptr<duckdb::Expression>>& arguments) {
  Operand left = OperandOf(arguments[0]->return_type);
  Operand right = OperandOf(arguments[1]->return_type);
  // Both sides widened to DECIMAL(38, s), so the function reads one physical type.
  function.arguments[0] = LogicalType::DECIMAL(38, left.scale);
  function.arguments[1] = LogicalType::DECIMAL(38, right.scale);
  function.return_type = QuotientType();
  return duckdb::make_uniq<DivideData>(left, right);
}

void Divide(duckdb::DataChunk& args, duckdb::ExpressionState& state, duckdb::Vector& result) {
  auto& expr = state.expr.Cast<duckdb::BoundFunctionExpression>();
  auto& data = expr.bind_info->Cast<DivideData>();
  duckdb::BinaryExecutor::Execute<hugeint_t, hugeint_t, hugeint_t>(
      args.data[0], args.data[1], result, args.size(), [&](hugeint_t a, hugeint_t b) {
        return DivideOrThrow(Scaled(a, data.left), Scaled(b, data.right));
      });
}

void AddNumericDivision(duckdb::ClientContext& context) {
  auto& catalog = duckdb::Catalog::GetSystemCatalog(context);
  auto& entry = catalog.GetEntry<duckdb::ScalarFunctionCatalogEntry>(context, DEFAULT_SCHEMA, "/");
  duckdb::ScalarFunctionSet replaced("/");
  for (auto& fn : entry.functions.functions) {
    bool decimal = fn.arguments.size() == 2 && fn.arguments[0].id() == LogicalTypeId::DECIMAL;
    if (!decimal) replaced.AddFunction(fn);
  }
  LogicalType decimal(LogicalTypeId::DECIMAL);
  replaced.AddFunction(
      duckdb::ScalarFunction("/", {decimal, decimal}, QuotientType(), Divide, BindDivide));
  duckdb::CreateScalarFunctionInfo info(std::move(replaced));
  ReplaceSystemFunction(context, info, DEFAULT_SCHEMA);
}

// ---- avg(integer types and numeric): numeric, sum / count as numeric_div ----

struct AvgState {
  hugeint_t sum;
  int64_t count;
};

[[noreturn]] void SumOutOfRange() {
  ThrowError(Error("22003", "numeric sum out of the range augur keeps")
                 .WithDetail("augur sums numeric values in 38 decimal digits."));
}

struct AvgOperation {
  template <class STATE>
  static void Initialize(STATE& state) {
    state.sum = hugeint_t(0);
    state.count = 0;
  }
  template <class INPUT, class STATE, class OP>
  static void Operation(STATE& state, const INPUT& input, duckdb::AggregateUnaryInput&) {
    if (!duckdb::Hugeint::TryAddInPlace(state.sum, input)) SumOutOfRange();
    state.count++;
  }
  template <class INPUT, class STATE, class OP>
  static void ConstantOperation(STATE& state, const INPUT& input,
                                duckdb::AggregateUnaryInput& unary, duckdb::idx_t count) {
    hugeint_t product;
    if (!duckdb::Hugeint::TryMultiply(input, hugeint_t(static_cast<int64_t>(count)), product)) {
      SumOutOfRange();
    }
    if (!duckdb::Hugeint::TryAddInPlace(state.sum, product)) SumOutOfRange();
    state.count += static_cast<int64_t>(count);
    (void)unary;
  }
  template <class STATE, class OP>
  static void Combine(const STATE& source, STATE& target, duckdb::AggregateInputData&) {
    if (!duckdb::Hugeint::TryAddInPlace(target.sum, source.sum)) SumOutOfRange();
    target.count += source.count;
  }
  template <class T, class STATE>
  static void Finalize(STATE& state, T& target, duckdb::AggregateFinalizeData& finalize) {
    if (state.count == 0) {
      finalize.ReturnNull();
      return;
    }
    auto& operand = finalize.input.bind_data->Cast<DivideData>().left;
    target = DivideOrThrow(Scaled(state.sum, operand), {state.count, 0, 0});
  }
  static bool IgnoreNull() { return true; }
};

duckdb::unique_ptr<duckdb::FunctionData> BindAvg(
    duckdb::ClientContext&, duckdb::AggregateFunction& function,
    duckdb::vector<duckdb::unique_ptr<duckdb::Expression>>& arguments) {
  Operand operand = OperandOf(arguments[0]->return_type);
  function.arguments[0] = LogicalType::DECIMAL(38, operand.scale);
  function.return_type = QuotientType();
  return duckdb::make_uniq<DivideData>(operand, Operand{});
}

duckdb::AggregateFunction PgAvg(const LogicalType& input) {
  auto fn = duckdb::AggregateFunction::UnaryAggregate<AvgState, hugeint_t, hugeint_t, AvgOperation>(
      input, QuotientType());
  fn.name = "avg";
  fn.bind = BindAvg;
  return fn;
}

// ---- sum(smallint | integer): bigint ----

struct SumState {
  int64_t sum;
  bool seen;
};

[[noreturn]] void BigintOutOfRange() { ThrowError(Error("22003", "bigint out of range")); }

struct SumOperation {
  template <class STATE>
  static void Initialize(STATE& state) {
    state.sum = 0;
    state.seen = false;
  }
  template <class INPUT, class STATE, class OP>
  static void Operation(STATE& state, const INPUT& input, duckdb::AggregateUnaryInput&) {
    if (__builtin_add_overflow(state.sum, static_cast<int64_t>(input), &state.sum)) {
      BigintOutOfRange();
    }
    state.seen = true;
  }
  template <class INPUT, class STATE, class OP>
  static void ConstantOperation(STATE& state, const INPUT& input, duckdb::AggregateUnaryInput&,
                                duckdb::idx_t count) {
    int64_t product;
    if (__builtin_mul_overflow(static_cast<int64_t>(input), static_cast<int64_t>(count),
                               &product) ||
        __builtin_add_overflow(state.sum, product, &state.sum)) {
      BigintOutOfRange();
    }
    state.seen = true;
  }
  template <class STATE, class OP>
  static void Combine(const STATE& source, STATE& target, duckdb::AggregateInputData&) {
    if (!source.seen) return;
    if (__builtin_add_overflow(target.sum, source.sum, &target.sum)) BigintOutOfRange();
    target.seen = true;
  }
  template <class T, class STATE>
  static void Finalize(STATE& state, T& target, duckdb::AggregateFinalizeData& finalize) {
    if (!state.seen) {
      finalize.ReturnNull();
      return;
    }
    target = state.sum;
  }
  static bool IgnoreNull() { return true; }
};

template <typename INPUT>
duckdb::AggregateFunction PgSum(const LogicalType& input) {
  auto fn = duckdb::AggregateFunction::UnaryAggregate<SumState, INPUT, int64_t, SumOperation>(
      input, LogicalType::BIGINT);
  fn.name = "sum";
  return fn;
}

// Replaces the overloads of aggregate `name` whose argument `replacement` returns a function
// for (nullopt: DuckDB's stays).
template <typename REPLACE>
void ReplaceAggregateOverloads(duckdb::ClientContext& context, const std::string& name,
                               REPLACE replacement) {
  auto& catalog = duckdb::Catalog::GetSystemCatalog(context);
  auto& entry =
      catalog.GetEntry<duckdb::AggregateFunctionCatalogEntry>(context, DEFAULT_SCHEMA, name);
  duckdb::AggregateFunctionSet replaced(name);
  for (auto& fn : entry.functions.functions) {
    if (fn.arguments.size() == 1) {
      if (auto ours = replacement(fn.arguments[0])) {
        replaced.AddFunction(*ours);
        continue;
      }
    }
    replaced.AddFunction(fn);
  }
  duckdb::CreateAggregateFunctionInfo info(std::move(replaced));
  ReplaceSystemFunction(context, info, DEFAULT_SCHEMA);
}

void ReplaceAggregates(duckdb::ClientContext& context) {
  ReplaceAggregateOverloads(context, "avg",
                            [](const LogicalType& arg) -> std::optional<duckdb::AggregateFunction> {
                              switch (arg.id()) {
                                case LogicalTypeId::SMALLINT:
                                case LogicalTypeId::INTEGER:
                                case LogicalTypeId::BIGINT:
                                case LogicalTypeId::HUGEINT:
                                case LogicalTypeId::DECIMAL:
                                  return PgAvg(arg);
                                default:
                                  return std::nullopt;
                              }
                            });
  ReplaceAggregateOverloads(context, "sum",
                            [](const LogicalType& arg) -> std::optional<duckdb::AggregateFunction> {
                              if (arg.id() == LogicalTypeId::SMALLINT) return PgSum<int16_t>(arg);
                              if (arg.id() == LogicalTypeId::INTEGER) return PgSum<int32_t>(arg);
                              return std::nullopt;
                            });
}

}  // namespace

Status InstallPgNumericFunctions(duckdb::Connection& connection) {
  auto& context = *connection.context;
  try {
    context.RunFunctionInTransaction([&] {
      AddNumericDivision(context);
      ReplaceAggregates(context);
    });
  } catch (const std::exception& ex) {
    Error error = TranslateException(ex, "");
    error.message = "installing PostgreSQL numeric functions failed: " + error.message;
    return error;
  }
  return {};
}

}  // namespace augur::engine
