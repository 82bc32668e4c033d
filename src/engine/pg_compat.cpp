// pg_compat.cpp: PostgreSQL functions that DuckDB lacks or answers differently, installed as
// macros into DuckDB's system catalog so that every session and every schema sees them.
//
// SQL cannot write to the system catalog ("Cannot create entry in system catalog"), so each macro
// is parsed from its CREATE MACRO text and then created through the C++ catalog API, replacing a
// built-in of the same name where PostgreSQL's meaning must win (version()).
#include "engine/pg_compat.h"

#include "duckdb/catalog/catalog.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/connection.hpp"
#include "duckdb/parser/parsed_data/create_function_info.hpp"
#include "duckdb/parser/parsed_data/drop_info.hpp"
#include "duckdb/parser/parser.hpp"
#include "duckdb/parser/statement/create_statement.hpp"
#include "engine/error_translate.h"

namespace augur::engine {
namespace {

struct CompatMacro {
  const char* schema;  // "main" shadows DuckDB built-ins, "pg_catalog" for pg_catalog.name calls
  const char* sql;     // CREATE MACRO text; the schema in it is ignored
};

// Each entry names the client that needs it.
constexpr CompatMacro kCompatMacros[] = {
    // Drivers and tools parse "PostgreSQL X.Y" out of version() (pgjdbc, SQLAlchemy, Metabase).
    {"main",
     "CREATE MACRO version() AS (SELECT 'PostgreSQL 15.0 (augur " AUGUR_VERSION
     " on DuckDB ' || library_version || ') on x86_64-pc-linux-gnu' FROM pragma_version())"},
    // SQLAlchemy's dialect asks for pg_catalog.version() by its qualified name.
    {"pg_catalog",
     "CREATE MACRO version() AS (SELECT 'PostgreSQL 15.0 (augur " AUGUR_VERSION
     " on DuckDB ' || library_version || ') on x86_64-pc-linux-gnu' FROM pragma_version())"},
};

}  // namespace

Status InstallPgCompat(duckdb::Connection& connection) {
  auto& context = *connection.context;
  for (const CompatMacro& macro : kCompatMacros) {
    try {
      duckdb::Parser parser;
      parser.ParseQuery(macro.sql);
      auto& create = parser.statements[0]->Cast<duckdb::CreateStatement>();
      auto info = std::move(create.info);
      info->catalog = SYSTEM_CATALOG;
      info->schema = macro.schema;
      info->internal = true;
      info->on_conflict = duckdb::OnCreateConflict::REPLACE_ON_CONFLICT;
      context.RunFunctionInTransaction([&] {
        auto& catalog = duckdb::Catalog::GetSystemCatalog(context);
        // A built-in scalar function of the same name cannot be replaced by a macro in place.
        duckdb::DropInfo drop;
        drop.type = duckdb::CatalogType::SCALAR_FUNCTION_ENTRY;
        drop.catalog = SYSTEM_CATALOG;
        drop.schema = macro.schema;
        drop.name = info->Cast<duckdb::CreateFunctionInfo>().name;
        drop.if_not_found = duckdb::OnEntryNotFound::RETURN_NULL;
        drop.allow_drop_internal = true;
        catalog.DropEntry(context, drop);
        catalog.CreateFunction(context, info->Cast<duckdb::CreateFunctionInfo>());
      });
    } catch (const std::exception& ex) {
      Error error = TranslateException(ex, macro.sql);
      error.message = "installing PostgreSQL compatibility macro failed: " + error.message;
      return error;
    }
  }
  return {};
}

}  // namespace augur::engine
