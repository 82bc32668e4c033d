// pg_compat.cpp: PostgreSQL functions that DuckDB lacks or answers differently, installed as
// macros into DuckDB's system catalog so that every session and every schema sees them.
//
// SQL cannot write to the system catalog ("Cannot create entry in system catalog"), so each macro
// is parsed from its CREATE MACRO text and then created through the C++ catalog API, replacing a
// built-in of the same name where PostgreSQL's meaning must win (version()).
#include "engine/pg_compat.h"

#include <cstring>
#include <string>

#include "duckdb/catalog/catalog.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/connection.hpp"
#include "duckdb/parser/parsed_data/create_function_info.hpp"
#include "duckdb/parser/parsed_data/create_view_info.hpp"
#include "duckdb/parser/parsed_data/drop_info.hpp"
#include "duckdb/parser/parser.hpp"
#include "duckdb/parser/statement/create_statement.hpp"
#include "engine/error_translate.h"

namespace augur::engine {
namespace {

struct CompatObject {
  const char* schema;  // "main" shadows DuckDB built-ins, "pg_catalog" for pg_catalog.name calls
  const char* sql;     // CREATE MACRO or CREATE VIEW text; the schema in it is ignored
};

#define AUGUR_VERSION_TEXT                         \
  "(SELECT 'PostgreSQL 15.0 (augur " AUGUR_VERSION \
  " on DuckDB ' || library_version || \
  ') on x86_64-pc-linux-gnu' FROM pragma_version())"

// Each entry names the client that needs it. augur has one role, "augur", with oid 10 (the
// bootstrap superuser's oid in PostgreSQL), owning everything.
constexpr CompatObject kCompatObjects[] = {
    // Drivers and tools parse "PostgreSQL X.Y" out of version() (pgjdbc, Metabase); SQLAlchemy
    // asks for pg_catalog.version() by its qualified name.
    {"main", "CREATE MACRO version() AS " AUGUR_VERSION_TEXT},
    {"pg_catalog", "CREATE MACRO version() AS " AUGUR_VERSION_TEXT},
    // psql's \dt, \l, \dn, \di, \dv print owners by name.
    {"pg_catalog", "CREATE MACRO pg_get_userbyid(role_oid) AS 'augur'"},
    // psql's \l.
    {"pg_catalog", "CREATE MACRO pg_encoding_to_char(encoding) AS 'UTF8'"},
    // psql's \df.
    {"pg_catalog", "CREATE MACRO pg_get_function_result(func_oid) AS ''"},
    {"pg_catalog", "CREATE MACRO pg_get_function_arguments(func_oid) AS ''"},
    // SQLAlchemy and Django quote names with it; PostgreSQL quotes unless lower-case and plain.
    {"main",
     "CREATE MACRO quote_ident(name) AS CASE WHEN regexp_full_match(name, '[a-z_][a-z0-9_$]*') "
     "THEN name ELSE '\"' || replace(name, '\"', '\"\"') || '\"' END"},
    // psql's \l and pgAdmin read these columns of pg_database.
    {"pg_catalog",
     "CREATE VIEW pg_database AS SELECT database_oid AS oid, database_name AS datname, "
     "10 AS datdba, 6 AS encoding, 'c' AS datlocprovider, 'C' AS datcollate, 'C' AS datctype, "
     "NULL::VARCHAR AS daticulocale, NULL::VARCHAR[] AS datacl, false AS datistemplate, "
     "true AS datallowconn, -1 AS datconnlimit FROM duckdb_databases() "
     "WHERE NOT internal AND database_name <> 'temp'"},
    // psql's \du and \dg, pgjdbc's and SQLAlchemy's role lookups.
    {"pg_catalog",
     "CREATE VIEW pg_roles AS SELECT 'augur' AS rolname, true AS rolsuper, true AS rolinherit, "
     "true AS rolcreaterole, true AS rolcreatedb, true AS rolcanlogin, true AS rolreplication, "
     "-1 AS rolconnlimit, NULL::TIMESTAMPTZ AS rolvaliduntil, true AS rolbypassrls, "
     "NULL::VARCHAR[] AS rolconfig, 10 AS oid"},
    {"pg_catalog",
     "CREATE VIEW pg_user AS SELECT 'augur' AS usename, 10 AS usesysid, true AS usecreatedb, "
     "true AS usesuper, true AS userepl, true AS usebypassrls"},
    // psql's \d TABLE reads these; augur has no row security, publications, inheritance,
    // extended statistics or collations beyond C, so they are empty.
    {"pg_catalog",
     "CREATE VIEW pg_class AS SELECT *, false AS relforcerowsecurity FROM DUCKDB_ORIGINAL"},
    {"pg_catalog",
     "CREATE VIEW pg_policy AS SELECT NULL::BIGINT AS oid, NULL::VARCHAR AS polname, "
     "NULL::BIGINT AS polrelid, NULL::VARCHAR AS polcmd, NULL::BOOLEAN AS polpermissive, "
     "NULL::BIGINT[] AS polroles, NULL::VARCHAR AS polqual, NULL::VARCHAR AS polwithcheck "
     "WHERE false"},
    {"pg_catalog",
     "CREATE VIEW pg_statistic_ext AS SELECT NULL::BIGINT AS oid, NULL::BIGINT AS stxrelid, "
     "NULL::VARCHAR AS stxname, NULL::BIGINT AS stxnamespace, NULL::INTEGER AS stxstattarget, "
     "NULL::VARCHAR[] AS stxkind WHERE false"},
    {"pg_catalog",
     "CREATE VIEW pg_publication AS SELECT NULL::BIGINT AS oid, NULL::VARCHAR AS pubname, "
     "NULL::BOOLEAN AS puballtables WHERE false"},
    {"pg_catalog",
     "CREATE VIEW pg_publication_namespace AS SELECT NULL::BIGINT AS pnpubid, "
     "NULL::BIGINT AS pnnspid WHERE false"},
    {"pg_catalog",
     "CREATE VIEW pg_publication_rel AS SELECT NULL::BIGINT AS prpubid, NULL::BIGINT AS prrelid, "
     "NULL::VARCHAR AS prqual, NULL::SMALLINT[] AS prattrs WHERE false"},
    {"pg_catalog",
     "CREATE VIEW pg_inherits AS SELECT NULL::BIGINT AS inhrelid, NULL::BIGINT AS inhparent, "
     "NULL::INTEGER AS inhseqno, NULL::BOOLEAN AS inhdetachpending WHERE false"},
    {"pg_catalog",
     "CREATE VIEW pg_collation AS SELECT 100 AS oid, 'default' AS collname, 11 AS collnamespace"},
    {"pg_catalog", "CREATE MACRO pg_relation_is_publishable(rel) AS false"},
    // psql's \d TABLE, pgAdmin and ORMs show column types by PostgreSQL's names ("integer",
    // "timestamp without time zone"); DuckDB's format_type prints its short aliases.
    {"pg_catalog",
     "CREATE MACRO format_type(type_oid, typemod) AS (SELECT CASE t.logical_type "
     "WHEN 'BOOLEAN' THEN 'boolean' WHEN 'TINYINT' THEN 'smallint' WHEN 'SMALLINT' THEN 'smallint' "
     "WHEN 'UTINYINT' THEN 'smallint' WHEN 'USMALLINT' THEN 'integer' WHEN 'INTEGER' THEN "
     "'integer' "
     "WHEN 'UINTEGER' THEN 'bigint' WHEN 'BIGINT' THEN 'bigint' WHEN 'FLOAT' THEN 'real' "
     "WHEN 'DOUBLE' THEN 'double precision' WHEN 'DATE' THEN 'date' "
     "WHEN 'TIME' THEN 'time without time zone' WHEN 'TIME WITH TIME ZONE' THEN 'time with time "
     "zone' "
     "WHEN 'TIMESTAMP' THEN 'timestamp without time zone' "
     "WHEN 'TIMESTAMP WITH TIME ZONE' THEN 'timestamp with time zone' "
     "WHEN 'INTERVAL' THEN 'interval' WHEN 'UUID' THEN 'uuid' WHEN 'BLOB' THEN 'bytea' "
     "WHEN 'VARCHAR' THEN CASE WHEN lower(t.type_name) = 'json' THEN 'json' ELSE 'text' END "
     "WHEN 'DECIMAL' THEN 'numeric' || CASE WHEN typemod > 0 THEN concat('(', typemod // 1000, "
     "',', typemod % 1000, ')') ELSE '' END "
     "WHEN 'HUGEINT' THEN 'numeric' WHEN 'UBIGINT' THEN 'numeric' WHEN 'UHUGEINT' THEN 'numeric' "
     "ELSE lower(t.type_name) END FROM duckdb_types() AS t WHERE t.type_oid = type_oid LIMIT 1)"},
    // psql passes pg_get_expr's third (pretty) argument; DuckDB's takes two.
    {"pg_catalog",
     "CREATE MACRO pg_get_expr(node_tree, relation_oid, pretty := false) AS node_tree"},
    {"pg_catalog", "CREATE MACRO pg_get_statisticsobjdef_columns(stat_oid) AS ''"},
    {"main", "CREATE MACRO array_upper(arr, dim) AS CASE WHEN dim = 1 THEN len(arr) END"},
    // psql's \d TABLE prints each index from its definition, after "USING ". DuckDB's indexes are
    // adaptive radix trees (and LEARNED, with augur's index type), hence "art".
    {"pg_catalog",
     "CREATE MACRO pg_get_indexdef(index_oid, column_no := 0, pretty := false) AS (SELECT "
     "regexp_replace(rtrim(sql, ';'), '^CREATE (UNIQUE )?INDEX (\\S+) ON (\\S+?) ?\\((.*)\\)$', "
     "'CREATE \\1INDEX \\2 ON ' || schema_name || '.\\3 USING art (\\4)') "
     "FROM duckdb_indexes() WHERE index_oid = index_oid LIMIT 1)"},
    {"pg_catalog",
     "CREATE VIEW pg_auth_members AS SELECT NULL::INTEGER AS roleid, NULL::INTEGER AS member, "
     "NULL::INTEGER AS grantor, false AS admin_option WHERE false"},
};

// "pg_class" from "CREATE VIEW pg_class AS ...".
std::string ViewName(const std::string& sql) {
  size_t start = std::strlen("CREATE VIEW ");
  return sql.substr(start, sql.find(' ', start) - start);
}

// The SELECT of DuckDB's built-in definition of a view, read before augur replaces it.
Result<std::string> OriginalViewSelect(duckdb::Connection& connection, const std::string& schema,
                                       const std::string& name) {
  auto result = connection.Query("SELECT sql FROM duckdb_views() WHERE schema_name = '" + schema +
                                 "' AND view_name = '" + name + "' AND internal");
  if (result->HasError() || result->RowCount() != 1) {
    return Error(sqlstate::kInternalError,
                 "DuckDB's definition of " + schema + "." + name + " not found");
  }
  std::string sql = result->GetValue(0, 0).ToString();
  sql = sql.substr(sql.find(" AS ") + 4);
  while (!sql.empty() && (sql.back() == ';' || sql.back() == '\n' || sql.back() == ' '))
    sql.pop_back();
  return sql;
}

}  // namespace

Status InstallPgCompat(duckdb::Connection& connection) {
  auto& context = *connection.context;
  for (const CompatObject& object : kCompatObjects) {
    try {
      std::string sql = object.sql;
      // "FROM DUCKDB_ORIGINAL" extends DuckDB's own definition of the view being replaced.
      size_t original_at = sql.find("DUCKDB_ORIGINAL");
      if (original_at != std::string::npos) {
        auto original = OriginalViewSelect(connection, object.schema, ViewName(sql));
        if (!original) return std::move(original).error();
        sql.replace(original_at, std::strlen("DUCKDB_ORIGINAL"), "(" + *original + ")");
      }
      duckdb::Parser parser;
      parser.ParseQuery(sql);
      auto& create = parser.statements[0]->Cast<duckdb::CreateStatement>();
      auto info = std::move(create.info);
      info->catalog = SYSTEM_CATALOG;
      info->schema = object.schema;
      info->internal = true;
      info->on_conflict = duckdb::OnCreateConflict::REPLACE_ON_CONFLICT;
      bool is_view = info->type == duckdb::CatalogType::VIEW_ENTRY;
      context.RunFunctionInTransaction([&] {
        auto& catalog = duckdb::Catalog::GetSystemCatalog(context);
        // A built-in of another kind (a scalar function where a macro goes, DuckDB's own
        // pg_catalog view) cannot be replaced in place: drop it first.
        duckdb::DropInfo drop;
        drop.type =
            is_view ? duckdb::CatalogType::VIEW_ENTRY : duckdb::CatalogType::SCALAR_FUNCTION_ENTRY;
        if (!is_view) {
          // Functions and macros share one namespace; drop whichever kind is there.
          auto existing = catalog.GetEntry(
              context, duckdb::CatalogType::SCALAR_FUNCTION_ENTRY, object.schema,
              info->Cast<duckdb::CreateFunctionInfo>().name, duckdb::OnEntryNotFound::RETURN_NULL);
          if (existing) drop.type = existing->type;
        }
        drop.catalog = SYSTEM_CATALOG;
        drop.schema = object.schema;
        drop.name = is_view ? info->Cast<duckdb::CreateViewInfo>().view_name
                            : info->Cast<duckdb::CreateFunctionInfo>().name;
        drop.if_not_found = duckdb::OnEntryNotFound::RETURN_NULL;
        drop.allow_drop_internal = true;
        catalog.DropEntry(context, drop);
        if (is_view) {
          // A view entry carries its bound column names and types; FromSelect binds the query.
          auto view =
              duckdb::unique_ptr_cast<duckdb::CreateInfo, duckdb::CreateViewInfo>(std::move(info));
          view->sql = sql.substr(sql.find(" AS ") + 4);  // FromSelect parses the SELECT alone
          auto bound = duckdb::CreateViewInfo::FromSelect(context, std::move(view));
          bound->catalog = SYSTEM_CATALOG;
          bound->schema = object.schema;
          bound->internal = true;
          bound->on_conflict = duckdb::OnCreateConflict::REPLACE_ON_CONFLICT;
          catalog.CreateView(context, *bound);
        } else {
          catalog.CreateFunction(context, info->Cast<duckdb::CreateFunctionInfo>());
        }
      });
    } catch (const std::exception& ex) {
      Error error = TranslateException(ex, object.sql);
      error.message = "installing PostgreSQL compatibility object failed: " + error.message;
      return error;
    }
  }
  return {};
}

}  // namespace augur::engine
