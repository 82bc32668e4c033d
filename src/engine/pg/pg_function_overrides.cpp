// pg_function_overrides.cpp: see pg_function_overrides.h.
#include "engine/pg/pg_function_overrides.h"

#include <cmath>
#include <cstdint>
#include <string>

#include "duckdb/catalog/catalog.hpp"
#include "duckdb/catalog/catalog_entry/scalar_function_catalog_entry.hpp"
#include "duckdb/common/vector_operations/unary_executor.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/connection.hpp"
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

}  // namespace

Status InstallPgFunctionOverrides(duckdb::Connection& connection) {
  return InstallInTransaction(*connection.context, "PostgreSQL function overrides",
                              [](duckdb::ClientContext& context) {
                                ReplaceRound(context);
                                ReplaceSha256(context);
                                ReplaceTxidCurrent(context);
                                ReplaceToHex(context);
                              });
}

}  // namespace augur::engine
