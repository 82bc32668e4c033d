// pg_function_overrides.cpp: see pg_function_overrides.h.
#include "engine/pg/pg_function_overrides.h"

#include <cctype>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "duckdb/catalog/catalog.hpp"
#include "duckdb/catalog/catalog_entry/aggregate_function_catalog_entry.hpp"
#include "duckdb/catalog/catalog_entry/scalar_function_catalog_entry.hpp"
#include "duckdb/common/operator/cast_operators.hpp"
#include "duckdb/common/vector_operations/unary_executor.hpp"
#include "duckdb/function/cast/cast_function_set.hpp"
#include "duckdb/function/cast_rules.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/config.hpp"
#include "duckdb/main/connection.hpp"
#include "duckdb/parser/parsed_data/create_aggregate_function_info.hpp"
#include "engine/pg/error_translate.h"
#include "engine/pg/system_catalog.h"

namespace augur::engine {
namespace {

using duckdb::LogicalType;
using duckdb::LogicalTypeId;
using duckdb::string_t;
using duckdb::Vector;

duckdb::ScalarFunctionSet DuckDbOverloads(duckdb::ClientContext& context, const std::string& name) {
  auto& catalog = duckdb::Catalog::GetSystemCatalog(context);
  return catalog.GetEntry<duckdb::ScalarFunctionCatalogEntry>(context, DEFAULT_SCHEMA, name)
      .functions;
}

template <typename T>
void RoundHalfEven(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  // nearbyint rounds in the current rounding mode, to nearest with ties to even by default.
  duckdb::UnaryExecutor::Execute<T, T>(args.data[0], result, args.size(),
                                       [](T v) { return std::nearbyint(v); });
}

void ReplaceRound(duckdb::ClientContext& context) {
  duckdb::ScalarFunctionSet set("round");
  for (auto fn : DuckDbOverloads(context, "round").functions) {
    if (fn.arguments.size() == 1 && fn.arguments[0].id() == LogicalTypeId::DOUBLE) {
      fn.function = RoundHalfEven<double>;
    } else if (fn.arguments.size() == 1 && fn.arguments[0].id() == LogicalTypeId::FLOAT) {
      fn.function = RoundHalfEven<float>;
    }
    set.AddFunction(std::move(fn));
  }
  ReplaceSystemScalarFunction(context, std::move(set));
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

// DuckDB's sha256 gives the digest's hex digits; PostgreSQL's gives the digest.
void ReplaceSha256(duckdb::ClientContext& context) {
  duckdb::ScalarFunctionSet set("sha256");
  for (auto fn : DuckDbOverloads(context, "sha256").functions) {
    auto digits = fn.function;
    fn.return_type = LogicalType::BLOB;
    fn.function = [digits](duckdb::DataChunk& args, duckdb::ExpressionState& state,
                           Vector& result) {
      Vector hex(LogicalType::VARCHAR, args.size());
      digits(args, state, hex);
      duckdb::UnaryExecutor::Execute<string_t, string_t>(
          hex, result, args.size(), [&](string_t text) {
            std::string bytes;
            const char* d = text.GetData();
            for (size_t i = 0; i + 1 < text.GetSize(); i += 2) {
              bytes.push_back(static_cast<char>(HexDigit(d[i]) * 16 + HexDigit(d[i + 1])));
            }
            return duckdb::StringVector::AddStringOrBlob(result, bytes);
          });
    };
    set.AddFunction(std::move(fn));
  }
  ReplaceSystemScalarFunction(context, std::move(set));
}

void ReplaceTxidCurrent(duckdb::ClientContext& context) {
  duckdb::ScalarFunctionSet set("txid_current");
  for (auto fn : DuckDbOverloads(context, "txid_current").functions) {
    if (fn.return_type.id() != LogicalTypeId::UBIGINT) {
      set.AddFunction(std::move(fn));
      continue;
    }
    auto id = fn.function;
    fn.return_type = LogicalType::BIGINT;
    fn.function = [id](duckdb::DataChunk& args, duckdb::ExpressionState& state, Vector& result) {
      Vector unsigned_id(LogicalType::UBIGINT, args.size());
      id(args, state, unsigned_id);
      duckdb::UnaryExecutor::Execute<uint64_t, int64_t>(
          unsigned_id, result, args.size(), [](uint64_t v) { return static_cast<int64_t>(v); });
    };
    set.AddFunction(std::move(fn));
  }
  ReplaceSystemScalarFunction(context, std::move(set));
}

template <typename Signed, typename Unsigned>
void ToHex(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  duckdb::UnaryExecutor::Execute<Signed, string_t>(
      args.data[0], result, args.size(), [&](Signed v) {
        static constexpr char kDigits[] = "0123456789abcdef";
        auto u = static_cast<Unsigned>(v);  // two's complement, as PostgreSQL prints a negative
        char buffer[sizeof(Unsigned) * 2];
        size_t at = sizeof(buffer);
        do {
          buffer[--at] = kDigits[u & 0xf];
          u >>= 4;
        } while (u != 0);
        return duckdb::StringVector::AddString(result, buffer + at, sizeof(buffer) - at);
      });
}

// PostgreSQL has to_hex(integer) and to_hex(bigint) only.
void ReplaceToHex(duckdb::ClientContext& context) {
  duckdb::ScalarFunctionSet set("to_hex");
  set.AddFunction(duckdb::ScalarFunction("to_hex", {LogicalType::INTEGER}, LogicalType::VARCHAR,
                                         ToHex<int32_t, uint32_t>));
  set.AddFunction(duckdb::ScalarFunction("to_hex", {LogicalType::BIGINT}, LogicalType::VARCHAR,
                                         ToHex<int64_t, uint64_t>));
  ReplaceSystemScalarFunction(context, std::move(set));
}

// array_length: NULL for an empty array, as PostgreSQL (an empty array has no dimensions).
// DuckDB's bind chooses the implementation, so the wrapping happens after it.
duckdb::scalar_function_t NullWhenZero(duckdb::scalar_function_t length) {
  return [length](duckdb::DataChunk& args, duckdb::ExpressionState& state, Vector& result) {
    Vector counted(LogicalType::BIGINT, args.size());
    length(args, state, counted);
    duckdb::UnaryExecutor::ExecuteWithNulls<int64_t, int64_t>(
        counted, result, args.size(), [](int64_t n, duckdb::ValidityMask& mask, duckdb::idx_t row) {
          if (n == 0) mask.SetInvalid(row);
          return n;
        });
  };
}

duckdb::bind_scalar_function_t duckdb_array_length_bind[3] = {};  // by argument count

template <size_t kArguments>
duckdb::unique_ptr<duckdb::FunctionData> BindArrayLength(
    duckdb::ClientContext& context, duckdb::ScalarFunction& bound,
    duckdb::vector<duckdb::unique_ptr<duckdb::Expression>>& arguments) {
  duckdb::unique_ptr<duckdb::FunctionData> data;
  if (auto original = duckdb_array_length_bind[kArguments]) {
    data = original(context, bound, arguments);
  }
  if (bound.return_type.id() == LogicalTypeId::BIGINT)
    bound.function = NullWhenZero(bound.function);
  return data;
}

void ReplaceArrayLength(duckdb::ClientContext& context) {
  duckdb::ScalarFunctionSet set("array_length");
  for (auto fn : DuckDbOverloads(context, "array_length").functions) {
    const size_t n = fn.arguments.size();
    if (n == 1 || n == 2) {
      duckdb_array_length_bind[n] = fn.bind;
      fn.bind = n == 1 ? BindArrayLength<1> : BindArrayLength<2>;
    }
    set.AddFunction(std::move(fn));
  }
  ReplaceSystemScalarFunction(context, std::move(set));
}

// percentile_cont (DuckDB's quantile_cont) is double precision in PostgreSQL: numeric input is
// converted to it. DuckDB kept DECIMAL, printing 10.00 where PostgreSQL prints 10.
void ReplaceQuantileCont(duckdb::ClientContext& context) {
  auto& catalog = duckdb::Catalog::GetSystemCatalog(context);
  auto& entry = catalog.GetEntry<duckdb::AggregateFunctionCatalogEntry>(context, DEFAULT_SCHEMA,
                                                                        "quantile_cont");
  duckdb::AggregateFunctionSet set("quantile_cont");
  for (auto& fn : entry.functions.functions) {
    if (!fn.arguments.empty() && fn.arguments[0].id() == LogicalTypeId::DECIMAL) continue;
    set.AddFunction(fn);
  }
  duckdb::CreateAggregateFunctionInfo info(std::move(set));
  ReplaceSystemFunction(context, info, DEFAULT_SCHEMA);
}

// PostgreSQL's boolean input (parse_bool): true/false, yes/no, on/off, 1/0 and their unique
// prefixes ("t", "of"), any case, surrounding spaces ignored. DuckDB refuses 'on' and 'off'.
std::optional<bool> ParsePgBool(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto prefix_of = [&](std::string_view word, size_t at_least) {
    return lower.size() >= at_least && lower.size() <= word.size() &&
           word.substr(0, lower.size()) == lower;
  };
  if (prefix_of("true", 1) || prefix_of("yes", 1) || prefix_of("on", 2) || lower == "1") {
    return true;
  }
  if (prefix_of("false", 1) || prefix_of("no", 1) || prefix_of("off", 2) || lower == "0") {
    return false;
  }
  return std::nullopt;
}

bool TextToBool(Vector& source, Vector& result, duckdb::idx_t count,
                duckdb::CastParameters& parameters) {
  bool all_converted = true;
  duckdb::UnaryExecutor::ExecuteWithNulls<string_t, bool>(
      source, result, count, [&](string_t input, duckdb::ValidityMask& mask, duckdb::idx_t row) {
        std::string_view text(input.GetData(), input.GetSize());
        if (auto value = ParsePgBool(text)) return *value;
        duckdb::HandleCastError::AssignError(
            "invalid input syntax for type boolean: \"" + std::string(text) + "\"", parameters);
        all_converted = false;
        mask.SetInvalid(row);
        return false;
      });
  return all_converted;
}

void RegisterBoolCasts(duckdb::ClientContext& context) {
  auto& casts = duckdb::DBConfig::GetConfig(*context.db).GetCastFunctions();
  for (auto id : {LogicalTypeId::VARCHAR, LogicalTypeId::STRING_LITERAL}) {
    LogicalType text(id);
    casts.RegisterCastFunction(text, LogicalType::BOOLEAN, duckdb::BoundCastInfo(TextToBool),
                               duckdb::CastRules::ImplicitCast(text, LogicalType::BOOLEAN));
  }
}

// augur_not_supported('what'): fails with 0A000, for rewrites of statements augur cannot answer
// as PostgreSQL would (pg_value_rewrite.cpp), rather than answer differently.
void NotSupported(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector&) {
  ThrowError(Error(sqlstate::kFeatureNotSupported, args.data[0].GetValue(0).ToString()));
}

void AddNotSupported(duckdb::ClientContext& context) {
  duckdb::ScalarFunctionSet set("augur_not_supported");
  duckdb::ScalarFunction fn("augur_not_supported", {LogicalType::VARCHAR}, LogicalType::VARCHAR,
                            NotSupported);
  fn.stability = duckdb::FunctionStability::VOLATILE;  // not folded before the statement runs
  set.AddFunction(std::move(fn));
  ReplaceSystemScalarFunction(context, std::move(set));
}

}  // namespace

Status InstallPgFunctionOverrides(duckdb::Connection& connection) {
  return InstallInTransaction(*connection.context, "PostgreSQL function overrides",
                              [](duckdb::ClientContext& context) {
                                ReplaceRound(context);
                                ReplaceSha256(context);
                                ReplaceTxidCurrent(context);
                                ReplaceToHex(context);
                                ReplaceArrayLength(context);
                                ReplaceQuantileCont(context);
                                RegisterBoolCasts(context);
                                AddNotSupported(context);
                              });
}

}  // namespace augur::engine
