// pg_checked_functions.cpp: see pg_checked_functions.h.
#include "engine/pg/pg_checked_functions.h"

#include <fmt/format.h>

#include <functional>
#include <string>

#include "duckdb/catalog/catalog.hpp"
#include "duckdb/catalog/catalog_entry/scalar_function_catalog_entry.hpp"
#include "duckdb/common/vector_operations/unary_executor.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/connection.hpp"
#include "duckdb/parser/parsed_data/create_scalar_function_info.hpp"
#include "engine/pg/error_translate.h"
#include "engine/pg/system_catalog.h"

namespace augur::engine {
namespace {

using duckdb::LogicalType;
using duckdb::string_t;
using duckdb::Vector;

// PostgreSQL's chr() in a UTF8 database: the code point's UTF-8 encoding, or its errors.
void Chr(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  duckdb::UnaryExecutor::Execute<int32_t, string_t>(
      args.data[0], result, args.size(), [&](int32_t code) {
        if (code < 0) {
          ThrowError(Error(std::string(sqlstate::kInvalidParameterValue),
                           "character number must be positive"));
        }
        if (code == 0) {
          ThrowError(
              Error(std::string(sqlstate::kProgramLimitExceeded), "null character not permitted"));
        }
        if (code > 0x10FFFF) {
          ThrowError(Error(std::string(sqlstate::kProgramLimitExceeded),
                           fmt::format("requested character too large for encoding: {}", code)));
        }
        if (code >= 0xD800 && code <= 0xDFFF) {
          ThrowError(Error(std::string(sqlstate::kProgramLimitExceeded),
                           fmt::format("requested character not valid for encoding: {}", code)));
        }
        char utf8[4];
        size_t len;
        auto c = static_cast<uint32_t>(code);
        if (c < 0x80) {
          utf8[0] = static_cast<char>(c);
          len = 1;
        } else if (c < 0x800) {
          utf8[0] = static_cast<char>(0xC0 | (c >> 6));
          utf8[1] = static_cast<char>(0x80 | (c & 0x3F));
          len = 2;
        } else if (c < 0x10000) {
          utf8[0] = static_cast<char>(0xE0 | (c >> 12));
          utf8[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
          utf8[2] = static_cast<char>(0x80 | (c & 0x3F));
          len = 3;
        } else {
          utf8[0] = static_cast<char>(0xF0 | (c >> 18));
          utf8[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
          utf8[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
          utf8[3] = static_cast<char>(0x80 | (c & 0x3F));
          len = 4;
        }
        return duckdb::StringVector::AddString(result, utf8, len);
      });
}

// Reached only for a name the regclass lookup did not find.
void UndefinedRelation(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  duckdb::UnaryExecutor::Execute<string_t, int64_t>(
      args.data[0], result, args.size(), [&](string_t name) -> int64_t {
        ThrowError(Error(std::string(sqlstate::kUndefinedTable),
                         fmt::format("relation \"{}\" does not exist", name.GetString())));
      });
}

// Runs `check` on argument `argument` of every overload of DuckDB's `name` that has
// `arguments` arguments, before the overload's own code: the check raises PostgreSQL's error
// where DuckDB would answer silently.
void CheckArgument(duckdb::ClientContext& context, const std::string& name, size_t arguments,
                   size_t argument, std::function<void(Vector&, duckdb::idx_t)> check) {
  auto& catalog = duckdb::Catalog::GetSystemCatalog(context);
  auto& entry = catalog.GetEntry<duckdb::ScalarFunctionCatalogEntry>(context, DEFAULT_SCHEMA, name);
  duckdb::ScalarFunctionSet set(name);
  for (auto& fn : entry.functions.functions) {
    duckdb::ScalarFunction copy = fn;
    if (fn.arguments.size() == arguments) {
      copy.function = [original = fn.function, check, argument](
                          duckdb::DataChunk& args, duckdb::ExpressionState& state, Vector& result) {
        check(args.data[argument], args.size());
        original(args, state, result);
      };
    }
    set.AddFunction(std::move(copy));
  }
  ReplaceSystemScalarFunction(context, std::move(set));
}

// Calls `bad` for each valid value of `vector` (of type T) it holds true for.
template <typename T, typename Bad>
void EachValue(Vector& vector, duckdb::idx_t count, Bad bad) {
  duckdb::UnifiedVectorFormat format;
  vector.ToUnifiedFormat(count, format);
  auto values = duckdb::UnifiedVectorFormat::GetData<T>(format);
  for (duckdb::idx_t row = 0; row < count; ++row) {
    auto at = format.sel->get_index(row);
    if (format.validity.RowIsValid(at)) bad(values[at]);
  }
}

// generate_series(start, stop, step) with a zero step: PostgreSQL's 22023 where DuckDB returns
// no rows. (The scalar form, which a select list's generate_series becomes; DuckDB's table
// function in FROM binds its constants through a plain function pointer, which cannot carry
// the original along, and still answers no rows.)
void ZeroStep(Vector& step, duckdb::idx_t count) {
  auto refuse = [] { ThrowError(Error("22023", "step size cannot equal zero")); };
  if (step.GetType().id() == duckdb::LogicalTypeId::INTERVAL) {
    EachValue<duckdb::interval_t>(step, count, [&](duckdb::interval_t v) {
      if (v.months == 0 && v.days == 0 && v.micros == 0) refuse();
    });
  } else if (step.GetType().id() == duckdb::LogicalTypeId::BIGINT) {
    EachValue<int64_t>(step, count, [&](int64_t v) {
      if (v == 0) refuse();
    });
  }
}

// substring(s, start, count) with a negative count: PostgreSQL's 22011 where DuckDB counts
// backwards.
void NegativeLength(Vector& length, duckdb::idx_t count) {
  if (length.GetType().id() != duckdb::LogicalTypeId::BIGINT) return;
  EachValue<int64_t>(length, count, [](int64_t v) {
    if (v < 0) ThrowError(Error("22011", "negative substring length not allowed"));
  });
}

}  // namespace

Status InstallPgCheckedFunctions(duckdb::Connection& connection) {
  return InstallInTransaction(
      *connection.context, "chr and regclass checks", [](duckdb::ClientContext& context) {
        duckdb::ScalarFunctionSet chr("chr");
        chr.AddFunction(
            duckdb::ScalarFunction("chr", {LogicalType::INTEGER}, LogicalType::VARCHAR, Chr));
        ReplaceSystemScalarFunction(context, std::move(chr));

        // VOLATILE: never folded at plan time, so it raises only for rows that reach it.
        duckdb::ScalarFunction undefined("augur_undefined_relation", {LogicalType::VARCHAR},
                                         LogicalType::BIGINT, UndefinedRelation);
        undefined.stability = duckdb::FunctionStability::VOLATILE;
        duckdb::CreateScalarFunctionInfo info(std::move(undefined));
        ReplaceSystemFunction(context, info, "pg_catalog");

        CheckArgument(context, "generate_series", 3, 2, ZeroStep);
        CheckArgument(context, "substring", 3, 2, NegativeLength);
        CheckArgument(context, "substr", 3, 2, NegativeLength);
      });
}

}  // namespace augur::engine
