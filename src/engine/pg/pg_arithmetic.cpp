// pg_arithmetic.cpp
#include "engine/pg/pg_arithmetic.h"

#include <cmath>
#include <limits>

#include "duckdb/catalog/catalog.hpp"
#include "duckdb/catalog/catalog_entry/scalar_function_catalog_entry.hpp"
#include "duckdb/common/exception.hpp"
#include "duckdb/common/vector_operations/binary_executor.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/connection.hpp"
#include "duckdb/parser/parsed_data/create_scalar_function_info.hpp"
#include "engine/pg/error_translate.h"
#include "engine/pg/system_catalog.h"

namespace augur::engine {
namespace {

using duckdb::DataChunk;
using duckdb::ExpressionState;
using duckdb::LogicalType;
using duckdb::LogicalTypeId;
using duckdb::Vector;

[[noreturn]] void DivisionByZero() {
  throw duckdb::Exception(duckdb::ExceptionType::DIVIDE_BY_ZERO, "division by zero");
}

template <typename T>
T IntegerDivide(T a, T b) {
  if (b == 0) DivisionByZero();
  // INT_MIN / -1 overflows (and traps on x86); PostgreSQL reports it as out of range.
  if (b == -1 && a == std::numeric_limits<T>::min()) {
    throw duckdb::OutOfRangeException("integer out of range");
  }
  return a / b;
}

template <typename T>
T IntegerModulo(T a, T b) {
  if (b == 0) DivisionByZero();
  if (b == -1) return 0;  // avoids the same overflow; the result is 0 for every a
  return a % b;
}

template <typename T>
T FloatDivide(T a, T b) {
  if (b == 0) DivisionByZero();
  return a / b;
}

template <typename T>
T FloatModulo(T a, T b) {
  if (b == 0) DivisionByZero();
  return std::fmod(a, b);
}

template <typename T, T (*OP)(T, T)>
void Apply(DataChunk& args, ExpressionState&, Vector& result) {
  duckdb::BinaryExecutor::Execute<T, T, T>(args.data[0], args.data[1], result, args.size(),
                                           [](T a, T b) { return OP(a, b); });
}

// The replacement for an overload taking (type, type), or nullptr to keep DuckDB's.
duckdb::scalar_function_t Replacement(LogicalTypeId type, bool divide) {
  switch (type) {
    case LogicalTypeId::TINYINT:
      return divide ? Apply<int8_t, IntegerDivide<int8_t>> : Apply<int8_t, IntegerModulo<int8_t>>;
    case LogicalTypeId::SMALLINT:
      return divide ? Apply<int16_t, IntegerDivide<int16_t>>
                    : Apply<int16_t, IntegerModulo<int16_t>>;
    case LogicalTypeId::INTEGER:
      return divide ? Apply<int32_t, IntegerDivide<int32_t>>
                    : Apply<int32_t, IntegerModulo<int32_t>>;
    case LogicalTypeId::BIGINT:
      return divide ? Apply<int64_t, IntegerDivide<int64_t>>
                    : Apply<int64_t, IntegerModulo<int64_t>>;
    case LogicalTypeId::FLOAT:
      return divide ? Apply<float, FloatDivide<float>> : Apply<float, FloatModulo<float>>;
    case LogicalTypeId::DOUBLE:
      return divide ? Apply<double, FloatDivide<double>> : Apply<double, FloatModulo<double>>;
    default:
      return nullptr;
  }
}

void ReplaceOverloads(duckdb::ClientContext& context, const std::string& name, bool divide) {
  auto& catalog = duckdb::Catalog::GetSystemCatalog(context);
  auto& entry = catalog.GetEntry<duckdb::ScalarFunctionCatalogEntry>(context, DEFAULT_SCHEMA, name);
  duckdb::ScalarFunctionSet replaced(name);
  bool has_integer_overload = false;
  for (auto& fn : entry.functions.functions) {
    duckdb::ScalarFunction copy = fn;
    if (fn.arguments.size() == 2 && fn.arguments[0] == fn.arguments[1]) {
      if (auto replacement = Replacement(fn.arguments[0].id(), divide)) {
        copy.function = replacement;
        copy.return_type = fn.arguments[0];  // integer / integer stays integer, as in PostgreSQL
        copy.bind = nullptr;
        copy.statistics = nullptr;
        if (fn.arguments[0].IsIntegral()) has_integer_overload = true;
      }
    }
    replaced.AddFunction(std::move(copy));
  }
  // DuckDB's "/" has no integer overloads (integers are cast to DOUBLE); add PostgreSQL's.
  if (divide && !has_integer_overload) {
    for (LogicalTypeId id : {LogicalTypeId::TINYINT, LogicalTypeId::SMALLINT,
                             LogicalTypeId::INTEGER, LogicalTypeId::BIGINT}) {
      LogicalType type(id);
      replaced.AddFunction(duckdb::ScalarFunction(name, {type, type}, type, Replacement(id, true)));
    }
  }
  ReplaceSystemScalarFunction(context, std::move(replaced));
}

// DuckDB's xor(a, b), every overload, under PostgreSQL's operator's new name.
void AddXorOperator(duckdb::ClientContext& context) {
  auto& catalog = duckdb::Catalog::GetSystemCatalog(context);
  auto& entry =
      catalog.GetEntry<duckdb::ScalarFunctionCatalogEntry>(context, DEFAULT_SCHEMA, "xor");
  const std::string name(kBitwiseXorOperator);
  duckdb::ScalarFunctionSet set(name);
  for (auto& fn : entry.functions.functions) {
    duckdb::ScalarFunction copy = fn;
    copy.name = name;
    set.AddFunction(std::move(copy));
  }
  ReplaceSystemScalarFunction(context, std::move(set));
}

}  // namespace

Status InstallPgArithmetic(duckdb::Connection& connection) {
  return InstallInTransaction(*connection.context, "PostgreSQL division semantics",
                              [](duckdb::ClientContext& context) {
                                ReplaceOverloads(context, "/", /*divide=*/true);
                                ReplaceOverloads(context, "%", /*divide=*/false);
                                AddXorOperator(context);
                              });
}

}  // namespace augur::engine
