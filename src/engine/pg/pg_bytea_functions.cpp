// pg_bytea_functions.cpp: see pg_bytea_functions.h.
#include "engine/pg/pg_bytea_functions.h"

#include "duckdb/catalog/catalog.hpp"
#include "duckdb/catalog/catalog_entry/scalar_function_catalog_entry.hpp"
#include "duckdb/common/vector_operations/binary_executor.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/connection.hpp"
#include "engine/pg/error_translate.h"
#include "engine/pg/pg_bytea_text.h"
#include "engine/pg/system_catalog.h"

namespace augur::engine {
namespace {

using duckdb::LogicalType;
using duckdb::string_t;
using duckdb::Vector;

// By reference: a short string_t holds its characters inline, in the object itself.
std::string_view View(const string_t& s) { return {s.GetData(), s.GetSize()}; }

void Encode(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  duckdb::BinaryExecutor::Execute<string_t, string_t, string_t>(
      args.data[0], args.data[1], result, args.size(), [&](string_t bytes, string_t format) {
        auto text = PgEncode(View(bytes), View(format));
        if (!text) ThrowError(text.error());
        return duckdb::StringVector::AddString(result, *text);
      });
}

void Decode(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  duckdb::BinaryExecutor::Execute<string_t, string_t, string_t>(
      args.data[0], args.data[1], result, args.size(), [&](string_t text, string_t format) {
        auto bytes = PgDecode(View(text), View(format));
        if (!bytes) ThrowError(bytes.error());
        return duckdb::StringVector::AddStringOrBlob(result, *bytes);
      });
}

// DuckDB's overloads of `name` plus PostgreSQL's two-argument one.
void AddTwoArgumentOverload(duckdb::ClientContext& context, duckdb::ScalarFunction added) {
  auto& catalog = duckdb::Catalog::GetSystemCatalog(context);
  auto& entry =
      catalog.GetEntry<duckdb::ScalarFunctionCatalogEntry>(context, DEFAULT_SCHEMA, added.name);
  duckdb::ScalarFunctionSet set(added.name);
  for (auto& fn : entry.functions.functions) {
    if (fn.arguments.size() != 2) set.AddFunction(fn);
  }
  set.AddFunction(std::move(added));
  ReplaceSystemScalarFunction(context, std::move(set));
}

}  // namespace

Status InstallPgByteaFunctions(duckdb::Connection& connection) {
  return InstallInTransaction(
      *connection.context, "encode and decode", [](duckdb::ClientContext& context) {
        AddTwoArgumentOverload(
            context, duckdb::ScalarFunction("encode", {LogicalType::BLOB, LogicalType::VARCHAR},
                                            LogicalType::VARCHAR, Encode));
        AddTwoArgumentOverload(
            context, duckdb::ScalarFunction("decode", {LogicalType::VARCHAR, LogicalType::VARCHAR},
                                            LogicalType::BLOB, Decode));
      });
}

}  // namespace augur::engine
