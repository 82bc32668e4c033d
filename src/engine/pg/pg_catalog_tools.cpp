// pg_catalog_tools.cpp: catalog views and functions that database tools read beyond what drivers
// need (pg_compat.cpp has those): psql's \dx, \dt+ and \d+, Grafana's and Metabase's PostgreSQL
// data sources (tests/integration/test_tool_introspection.py holds the queries they send),
// asyncpg's type introspection. Each entry names its reader.
//
// Macros' subqueries name their tables macro_*: DuckDB expands a macro's body in the caller's
// query, so an argument such as psql's c.oid would otherwise bind to the macro's own "c".
//
// OIDs: relations are identified as in pg_class (DuckDB's catalog oids). pg_description's
// classoid holds PostgreSQL's fixed OIDs of its catalogs (1259 pg_class, 3079 pg_extension, ...),
// which is also what 'pg_class'::regclass answers (pg_rewrite.cpp, PgCatalogRelationOid).
#include "engine/pg/pg_catalog_tools.h"

#include <string>

#include "duckdb/main/client_context.hpp"
#include "duckdb/main/connection.hpp"
#include "duckdb/parser/parsed_data/create_function_info.hpp"
#include "duckdb/parser/parsed_data/create_view_info.hpp"
#include "duckdb/parser/parser.hpp"
#include "duckdb/parser/statement/create_statement.hpp"
#include "engine/pg/error_translate.h"
#include "engine/pg/system_catalog.h"

namespace augur::engine {
namespace {

struct CatalogObject {
  const char* schema;  // of the system catalog: "pg_catalog", "information_schema" or "main"
  const char* sql;     // CREATE VIEW or CREATE MACRO; the schema named in it is ignored
};

// plpgsql's row, as every PostgreSQL database has it (psql's \dx, Grafana's TimescaleDB probe).
#define AUGUR_PLPGSQL_OID "13559"

constexpr CatalogObject kCatalogObjects[] = {
    // psql's \dx, Grafana (looks for timescaledb), pgAdmin, Metabase's and DBeaver's probes.
    {"pg_catalog", "CREATE VIEW pg_extension AS SELECT " AUGUR_PLPGSQL_OID "::BIGINT AS oid, "
                   "'plpgsql' AS extname, 10::BIGINT AS extowner, 11::BIGINT AS extnamespace, "
                   "false AS extrelocatable, '1.0' AS extversion, NULL::BIGINT[] AS extconfig, "
                   "NULL::VARCHAR[] AS extcondition, 3079::BIGINT AS tableoid"},
    // Comments (COMMENT ON) as PostgreSQL keeps them: only objects that have one, and classoid
    // naming the catalog of the object (Metabase's table descriptions join on
    // classoid = 'pg_class'::regclass; pg_dump compares with 1259). Columns are objsubid > 0.
    {"pg_catalog",
     "CREATE VIEW pg_description AS "
     "SELECT table_oid::BIGINT AS objoid, 1259::BIGINT AS classoid, 0 AS objsubid, "
     "comment AS description FROM duckdb_tables() WHERE comment <> '' "
     "UNION ALL SELECT table_oid, 1259, column_index, comment FROM duckdb_columns() "
     "WHERE NOT internal AND comment <> '' "
     "UNION ALL SELECT view_oid, 1259, 0, comment FROM duckdb_views() "
     "WHERE NOT internal AND comment <> '' "
     "UNION ALL SELECT index_oid, 1259, 0, comment FROM duckdb_indexes() WHERE comment <> '' "
     "UNION ALL SELECT sequence_oid, 1259, 0, comment FROM duckdb_sequences() "
     "WHERE comment <> '' "
     "UNION ALL SELECT type_oid, 1247, 0, comment FROM duckdb_types() "
     "WHERE NOT internal AND comment <> '' "
     "UNION ALL SELECT " AUGUR_PLPGSQL_OID ", 3079, 0, 'PL/pgSQL procedural language' "
     // Schemas (pg_namespace's classoid); public carries PostgreSQL's standard comment, so a
     // dump does not write a COMMENT ON SCHEMA public of its own.
     "UNION ALL SELECT oid, 2615, 0, CASE WHEN schema_name = 'public' AND coalesce(comment, '') = "
     "'' THEN 'standard public schema' ELSE comment END FROM duckdb_schemas() WHERE NOT internal "
     "AND database_name = current_database() AND (schema_name = 'public' OR comment <> '')"},
    // psql's \dt+ "Description", \d+ column descriptions; Metabase's field comments.
    {"pg_catalog",
     "CREATE MACRO obj_description(object_oid, catalog_name := NULL) AS (SELECT "
     "first(macro_d.description) FROM pg_catalog.pg_description macro_d WHERE macro_d.objoid = "
     "object_oid AND "
     "macro_d.objsubid = 0 AND (catalog_name IS NULL OR macro_d.classoid = CASE catalog_name "
     "WHEN 'pg_class' THEN 1259 WHEN 'pg_type' THEN 1247 WHEN 'pg_extension' THEN 3079 "
     "ELSE 0 END))"},
    {"pg_catalog",
     "CREATE MACRO col_description(relation_oid, column_number) AS (SELECT "
     "first(macro_d.description) FROM pg_catalog.pg_description macro_d WHERE macro_d.objoid = "
     "relation_oid AND "
     "macro_d.classoid = 1259 AND macro_d.objsubid = column_number)"},
    // asyncpg's type introspection joins pg_type to pg_range; PostgreSQL 15's built-in ranges.
    {"pg_catalog",
     "CREATE VIEW pg_range AS SELECT rngtypid::BIGINT AS rngtypid, "
     "rngsubtype::BIGINT AS rngsubtype, rngmultitypid::BIGINT AS rngmultitypid, "
     "0::BIGINT AS rngcollation, rngsubopc::BIGINT AS rngsubopc, rngcanonical, rngsubdiff "
     "FROM (VALUES (3904, 23, 4451, 1978, 'int4range_canonical', 'int4range_subdiff'), "
     "(3906, 1700, 4532, 3125, '-', 'numrange_subdiff'), "
     "(3908, 1114, 4533, 3128, '-', 'tsrange_subdiff'), "
     "(3910, 1184, 4534, 3127, '-', 'tstzrange_subdiff'), "
     "(3912, 1082, 4535, 3122, 'daterange_canonical', 'daterange_subdiff'), "
     "(3926, 20, 4536, 3124, 'int8range_canonical', 'int8range_subdiff')) "
     "AS r(rngtypid, rngsubtype, rngmultitypid, rngsubopc, rngcanonical, rngsubdiff)"},
    // Metabase's table sync reads n_live_tup as the row estimate; pgAdmin and DBeaver show
    // these. augur knows each table's row count (DuckDB's estimate, exact after a checkpoint)
    // and counts no scans, tuple changes or vacuums: those are NULL rather than a made-up 0.
    {"pg_catalog",
     "CREATE VIEW pg_stat_all_tables AS SELECT table_oid::BIGINT AS relid, "
     "schema_name AS schemaname, table_name AS relname, NULL::BIGINT AS seq_scan, "
     "NULL::BIGINT AS seq_tup_read, NULL::BIGINT AS idx_scan, NULL::BIGINT AS idx_tup_fetch, "
     "NULL::BIGINT AS n_tup_ins, NULL::BIGINT AS n_tup_upd, NULL::BIGINT AS n_tup_del, "
     "NULL::BIGINT AS n_tup_hot_upd, estimated_size::BIGINT AS n_live_tup, "
     "NULL::BIGINT AS n_dead_tup, NULL::BIGINT AS n_mod_since_analyze, "
     "NULL::BIGINT AS n_ins_since_vacuum, NULL::TIMESTAMPTZ AS last_vacuum, "
     "NULL::TIMESTAMPTZ AS last_autovacuum, NULL::TIMESTAMPTZ AS last_analyze, "
     "NULL::TIMESTAMPTZ AS last_autoanalyze, NULL::BIGINT AS vacuum_count, "
     "NULL::BIGINT AS autovacuum_count, NULL::BIGINT AS analyze_count, "
     "NULL::BIGINT AS autoanalyze_count FROM duckdb_tables() "
     "WHERE database_name IN (current_database(), 'temp')"},
    {"pg_catalog",
     "CREATE VIEW pg_stat_user_tables AS SELECT * FROM pg_catalog.pg_stat_all_tables"},
    {"pg_catalog",
     "CREATE VIEW pg_statio_user_tables AS SELECT relid, schemaname, relname, "
     "NULL::BIGINT AS heap_blks_read, NULL::BIGINT AS heap_blks_hit, "
     "NULL::BIGINT AS idx_blks_read, NULL::BIGINT AS idx_blks_hit, "
     "NULL::BIGINT AS toast_blks_read, NULL::BIGINT AS toast_blks_hit, "
     "NULL::BIGINT AS tidx_blks_read, NULL::BIGINT AS tidx_blks_hit "
     "FROM pg_catalog.pg_stat_all_tables"},
    {"pg_catalog",
     "CREATE VIEW pg_stat_user_indexes AS SELECT i.indrelid AS relid, i.indexrelid, "
     "n.nspname AS schemaname, t.relname, c.relname AS indexrelname, NULL::BIGINT AS idx_scan, "
     "NULL::BIGINT AS idx_tup_read, NULL::BIGINT AS idx_tup_fetch FROM pg_catalog.pg_index i "
     "JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid "
     "JOIN pg_catalog.pg_class t ON t.oid = i.indrelid "
     "JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace"},
    {"pg_catalog",
     "CREATE VIEW pg_stat_all_indexes AS SELECT * FROM pg_catalog.pg_stat_user_indexes"},
    // Metabase's table privileges read it beside pg_tables and pg_views; augur has no
    // materialized views.
    {"pg_catalog",
     "CREATE VIEW pg_matviews AS SELECT NULL::VARCHAR AS schemaname, "
     "NULL::VARCHAR AS matviewname, NULL::VARCHAR AS matviewowner, NULL::VARCHAR AS tablespace, "
     "NULL::BOOLEAN AS hasindexes, NULL::BOOLEAN AS ispopulated, NULL::VARCHAR AS definition "
     "WHERE false"},
    // psql's \dt+ and \di+ "Size", pgAdmin's statistics tab. DuckDB stores tables in shared
    // row groups and does not account storage per table, so the size is unknown (NULL), which
    // psql prints as blank rather than a wrong figure.
    {"pg_catalog", "CREATE MACRO pg_table_size(relation) AS NULL::BIGINT"},
    {"pg_catalog", "CREATE MACRO pg_indexes_size(relation) AS NULL::BIGINT"},
    {"pg_catalog", "CREATE MACRO pg_total_relation_size(relation) AS NULL::BIGINT"},
    {"pg_catalog", "CREATE MACRO pg_relation_size(relation, fork := 'main') AS NULL::BIGINT"},
    // Grafana's schema picker. PostgreSQL lists the schemas of the current database (with
    // pg_catalog and information_schema); DuckDB lists every attached catalog's.
    {"information_schema",
     "CREATE VIEW schemata AS SELECT current_database() AS catalog_name, schema_name, "
     "'augur' AS schema_owner, NULL::VARCHAR AS default_character_set_catalog, "
     "NULL::VARCHAR AS default_character_set_schema, "
     "NULL::VARCHAR AS default_character_set_name, NULL::VARCHAR AS sql_path "
     "FROM duckdb_schemas() WHERE (database_name = current_database() AND "
     "pg_catalog.augur_schema_is_listed(database_name, schema_name)) OR "
     "(database_name = 'system' AND schema_name IN ('pg_catalog', 'information_schema'))"},
    // A view's query as DuckDB keeps it (the text it was created with; PostgreSQL prints its own
    // deparsed text), after one space as PostgreSQL's starts: psql's \d+ "View definition:",
    // pg_views, and pg_dump's CREATE VIEW. The names in it resolve in the view's own schema, as
    // augur binds views, so the text restores anywhere; a column list after the view's name
    // becomes the query's aliases.
    {"pg_catalog",
     "CREATE MACRO pg_get_viewdef(the_view, pretty := false) AS (SELECT ' ' || CASE WHEN "
     "coalesce(r.aliases, '') = '' THEN r.query ELSE 'SELECT * FROM (' || rtrim(r.query, ';') || "
     "') AS v' || r.aliases || ';' END FROM (SELECT regexp_extract(sql, "
     "'^CREATE (OR REPLACE )?(TEMP |TEMPORARY )?VIEW (?:\"(?:[^\"]|\"\")*\"|[^ (\"]+)"
     "(?:\\.(?:\"(?:[^\"]|\"\")*\"|[^ (\"]+))? ?(\\([^)]*\\))? ?AS (.*)$', "
     "['replace', 'temp', 'aliases', 'query'], 's') AS r FROM duckdb_views() "
     "WHERE view_oid = the_view))"},
    // psql's \d TABLE lists partitions' ancestors; augur has no partitioned tables, and
    // PostgreSQL returns no rows for a relation that is not a partition.
    // Both as a table (psql's trigger list: "FROM pg_partition_ancestors(t.tgrelid) WITH
    // ORDINALITY AS a(relid, depth)"; a table macro gets no ordinality column of its own, so it
    // has two) and as a set-returning call in a select list (psql's "Referenced by"). The table
    // macro first: installing the scalar one would replace an entry found under the name.
    {"pg_catalog",
     "CREATE MACRO pg_partition_ancestors(relation) AS TABLE SELECT NULL::BIGINT AS relid, "
     "NULL::BIGINT AS depth WHERE false"},
    {"pg_catalog", "CREATE MACRO pg_partition_ancestors(relation) AS unnest(NULL::BIGINT[])"},
    // augur has no triggers. psql's \d reads pg_trigger for tables with foreign keys (whose
    // relhastriggers is true, as PostgreSQL implements them with triggers).
    {"pg_catalog",
     "CREATE VIEW pg_trigger AS SELECT NULL::BIGINT AS oid, NULL::BIGINT AS tgrelid, "
     "NULL::BIGINT AS tgparentid, NULL::VARCHAR AS tgname, NULL::BIGINT AS tgfoid, "
     "NULL::SMALLINT AS tgtype, NULL::VARCHAR AS tgenabled, NULL::BOOLEAN AS tgisinternal, "
     "NULL::BIGINT AS tgconstrrelid, NULL::BIGINT AS tgconstrindid, "
     "NULL::BIGINT AS tgconstraint, NULL::BOOLEAN AS tgdeferrable, "
     "NULL::BOOLEAN AS tginitdeferred, NULL::SMALLINT AS tgnargs, NULL::SMALLINT[] AS tgattr, "
     "NULL::BLOB AS tgargs, NULL::VARCHAR AS tgqual, NULL::VARCHAR AS tgoldtable, "
     "NULL::VARCHAR AS tgnewtable, 2620::BIGINT AS tableoid WHERE false"},
    {"pg_catalog", "CREATE MACRO pg_get_triggerdef(trigger_oid, pretty := false) AS NULL"},
    // psql's \dt, \di, \dv, \ds and \d NAME list what the search path reaches. A relation
    // whose schema augur does not list (temporary ones) counts as visible, as pg_temp is.
    {"pg_catalog",
     "CREATE MACRO pg_table_is_visible(relation_oid) AS (SELECT macro_n.nspname IS NULL OR "
     "list_contains(current_schemas(true), macro_n.nspname) FROM pg_catalog.pg_class macro_c "
     "LEFT JOIN pg_catalog.pg_namespace macro_n ON macro_n.oid = macro_c.relnamespace "
     "WHERE macro_c.oid = relation_oid LIMIT 1)"},
    // Metabase's table privileges list relations from these. PostgreSQL lists its own catalog
    // views in pg_views; DuckDB's internal views (duckdb_tables, sqlite_master, ...) are not
    // PostgreSQL's and stay out.
    {"pg_catalog",
     "CREATE VIEW pg_tables AS SELECT t.schema_name AS schemaname, t.table_name AS tablename, "
     "'augur' AS tableowner, NULL::VARCHAR AS tablespace, t.index_count > 0 OR EXISTS (SELECT 1 "
     "FROM duckdb_constraints() k WHERE k.table_oid = t.table_oid AND k.constraint_type IN "
     "('PRIMARY KEY', 'UNIQUE')) AS hasindexes, false AS hasrules, false AS hastriggers, "
     "false AS rowsecurity FROM duckdb_tables() t "
     "WHERE t.database_name IN (current_database(), 'temp')"},
    {"pg_catalog",
     "CREATE VIEW pg_views AS SELECT schema_name AS schemaname, view_name AS viewname, "
     "'augur' AS viewowner, pg_catalog.pg_get_viewdef(view_oid) AS definition FROM duckdb_views() "
     "WHERE database_name IN (current_database(), 'temp') OR (database_name = 'system' AND "
     "schema_name IN ('pg_catalog', 'information_schema'))"},
    // 'schema.table'::regclass for a name computed at run time (Metabase: CAST(format('%I.%I',
    // ...) AS regclass), rewritten to this by pg_rewrite.cpp). An unqualified name is looked up
    // along the search path. NULL when there is no such relation (PostgreSQL raises 42P01).
    {"pg_catalog",
     "CREATE MACRO augur_regclass_oid(qualified_name) AS (SELECT macro_c.oid FROM "
     "pg_catalog.pg_class macro_c JOIN pg_catalog.pg_namespace macro_n ON macro_n.oid = "
     "macro_c.relnamespace "
     "WHERE macro_c.relname = parse_ident(qualified_name)[-1] AND "
     "(len(parse_ident(qualified_name)) = 1 OR macro_n.nspname = parse_ident(qualified_name)[-2]) "
     "ORDER BY coalesce(list_position(current_schemas(true), macro_n.nspname), 1000) LIMIT 1)"},
    // Grafana's table list walks search_path with array_lower/array_upper.
    {"main", "CREATE MACRO array_lower(arr, dim) AS CASE WHEN dim = 1 AND len(arr) > 0 THEN 1 END"},
    // Grafana's column list splits "schema.table" with it: unquoted parts fold to lower case,
    // quoted ones keep theirs with "" as a quote.
    {"main",
     "CREATE MACRO parse_ident(qualified, strict := true) AS list_transform(list_filter("
     "regexp_extract_all(qualified, '\"(?:[^\"]|\"\")*\"|[^\".]+'), p -> trim(p) <> ''), "
     "p -> CASE WHEN trim(p)[1] = '\"' THEN replace(trim(p)[2:-2], '\"\"', '\"') "
     "ELSE lower(trim(p)) END)"},
};

}  // namespace

Status InstallPgCatalogTools(duckdb::Connection& connection) {
  auto& context = *connection.context;
  for (const CatalogObject& object : kCatalogObjects) {
    try {
      std::string sql = object.sql;
      duckdb::Parser parser;
      parser.ParseQuery(sql);
      auto& create = parser.statements[0]->Cast<duckdb::CreateStatement>();
      auto info = std::move(create.info);
      context.RunFunctionInTransaction([&] {
        if (info->type == duckdb::CatalogType::VIEW_ENTRY) {
          ReplaceSystemView(
              context,
              duckdb::unique_ptr_cast<duckdb::CreateInfo, duckdb::CreateViewInfo>(std::move(info)),
              sql.substr(sql.find(" AS ") + 4), object.schema);
        } else {
          ReplaceSystemFunction(context, info->Cast<duckdb::CreateFunctionInfo>(), object.schema);
        }
      });
    } catch (const std::exception& ex) {
      Error error = TranslateException(ex, object.sql);
      error.message = "installing catalog object for tools failed: " + error.message;
      return error;
    }
  }
  return {};
}

}  // namespace augur::engine
