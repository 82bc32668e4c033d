// pg_catalog_dump.cpp: the catalogs pg_dump 15 reads (its queries, recorded from a PostgreSQL 15
// server with log_statement = all, are in docs/COMPATIBILITY.md's pg_dump section). Each answers
// with PostgreSQL's columns; a catalog of things augur does not have (languages, operators, text
// search, foreign data, triggers, rules, ...) is empty, which is what PostgreSQL answers for a
// database that has none of its own. Where pg_dump orders objects by pg_depend, the dependencies
// PostgreSQL would record are derived from DuckDB's catalog:
//  - a sequence drawn by a column's default and named <table>_<column>_seq (augur's serial and
//    identity columns; DROP TABLE drops it with the table) is owned by that column ('a');
//  - a column default depends on the sequence it draws from ('n');
//  - a view depends on each table, view or sequence its text names ('n'; by name, so a word of
//    the query that happens to be another relation's name adds an ordering, never loses one).
//
// System catalog OIDs are PostgreSQL's (pg_class 1259, ...), as pg_dump compares classid and
// tableoid with 'pg_class'::regclass (pg_dump_rewrite.h turns those into the same numbers).
#include "engine/pg/pg_catalog_dump.h"

#include <cstring>
#include <string>

#include "duckdb/main/client_context.hpp"
#include "duckdb/main/connection.hpp"
#include "duckdb/parser/parsed_data/create_function_info.hpp"
#include "duckdb/parser/parsed_data/create_view_info.hpp"
#include "duckdb/parser/parser.hpp"
#include "duckdb/parser/statement/create_statement.hpp"
#include "engine/pg/error_translate.h"
#include "engine/pg/pg_array_text.h"
#include "engine/pg/pg_sequence_relation.h"
#include "engine/pg/system_catalog.h"

namespace augur::engine {
namespace {

enum class Mode {
  kReplace,    // replaces any object of the name
  kExtend,     // CURRENT stands for the installed view's SELECT, which this one wraps
  kIfMissing,  // created only when no object has the name (another part of augur may own it)
};

struct DumpObject {
  Mode mode;
  const char* schema;
  const char* sql;  // CREATE MACRO or CREATE VIEW; the schema in it is ignored
};

constexpr DumpObject kObjects[] = {
    // pg_dump refuses to dump a standby's data with some options; augur is never a standby.
    {Mode::kReplace, "pg_catalog", "CREATE MACRO pg_is_in_recovery() AS false"},
    // Privileges: augur's objects carry no ACLs, which PostgreSQL's acl columns say with NULL
    // (the owner's default privileges); pg_dump then writes no GRANT or REVOKE.
    {Mode::kReplace, "pg_catalog",
     "CREATE MACRO acldefault(kind, owner_oid) AS CAST(NULL AS VARCHAR[])"},
    {Mode::kIfMissing, "main",
     "CREATE MACRO quote_literal(v) AS CASE WHEN v IS NULL THEN NULL ELSE '''' || "
     "replace(CAST(v AS VARCHAR), '''', '''''') || '''' END"},
    {Mode::kIfMissing, "main",
     "CREATE MACRO array_remove(arr, element) AS list_filter(arr, x -> x IS DISTINCT FROM "
     "element)"},
    // pg_dump lists foreign-data options as "name value" pairs through this set-returning function.
    {Mode::kReplace, "pg_catalog",
     "CREATE MACRO pg_options_to_table(options) AS TABLE SELECT split_part(o, '=', 1) AS "
     "option_name, substr(o, strpos(o, '=') + 1) AS option_value FROM (SELECT unnest(options) "
     "AS o)"},
    // A constraint's definition as PostgreSQL prints it: a referenced table is schema-qualified
    // when its schema is not on the search_path (pg_dump's empty one, for instance).
    {Mode::kReplace, "pg_catalog",
     "CREATE MACRO pg_get_constraintdef(constraint_oid, pretty := false) AS (SELECT CASE "
     "c.constraint_type WHEN 'PRIMARY KEY' THEN 'PRIMARY KEY (' || array_to_string("
     "list_transform(c.constraint_column_names, x -> quote_ident(x)), ', ') || ')' "
     "WHEN 'UNIQUE' THEN 'UNIQUE (' || array_to_string(list_transform("
     "c.constraint_column_names, x -> quote_ident(x)), ', ') || ')' "
     "WHEN 'FOREIGN KEY' THEN 'FOREIGN KEY (' || array_to_string(list_transform("
     "c.constraint_column_names, x -> quote_ident(x)), ', ') || ') REFERENCES ' || CASE WHEN "
     "list_contains(current_schemas(false), c.schema_name) THEN '' ELSE "
     "quote_ident(c.schema_name) || '.' END || quote_ident(c.referenced_table) || '(' || "
     "array_to_string(list_transform(c.referenced_column_names, x -> quote_ident(x)), ', ') || "
     "')' WHEN 'CHECK' THEN 'CHECK ((' || c.expression || '))' END FROM duckdb_constraints() c "
     "WHERE c.table_oid * 1000000 + c.constraint_index = constraint_oid)"},

    // Relations, with PostgreSQL's owners and access methods (heap tables, btree indexes). A
    // relation of a schema pg_namespace does not list (DuckDB's internal views) is left out:
    // pg_dump stops at a relation whose schema it cannot find. The system catalog's relations
    // are in pg_catalog (oid 11), as PostgreSQL's are.
    {Mode::kExtend, "pg_catalog",
     "CREATE VIEW pg_class AS SELECT * REPLACE (CASE relkind WHEN 'r' THEN 2 WHEN 'm' THEN 2 "
     "WHEN 'i' THEN 403 ELSE 0 END AS relam, 10 AS relowner, 'd' AS relreplident, "
     "CAST(NULL AS VARCHAR[]) AS reloptions, CAST(NULL AS VARCHAR[]) AS relacl, CASE WHEN "
     "relnamespace IN (SELECT oid FROM duckdb_schemas() WHERE database_name = 'system' AND "
     "schema_name = 'pg_catalog') THEN 11 ELSE relnamespace END AS relnamespace), "
     "1259 AS tableoid FROM CURRENT WHERE relnamespace IN (SELECT oid FROM "
     "pg_catalog.pg_namespace UNION ALL SELECT oid FROM duckdb_schemas() WHERE database_name = "
     "'system' AND schema_name = 'pg_catalog')"},
    // DuckDB's main schema is listed only while it holds something: augur's databases keep
    // their objects in public, and a dump must not re-create a schema every augur database has.
    {Mode::kExtend, "pg_catalog",
     "CREATE VIEW pg_namespace AS SELECT *, 2615 AS tableoid FROM CURRENT n WHERE "
     "n.nspname <> 'main' OR n.oid IN (SELECT schema_oid FROM duckdb_tables() UNION ALL "
     "SELECT schema_oid FROM duckdb_views() WHERE NOT internal UNION ALL SELECT schema_oid FROM "
     "duckdb_sequences() UNION ALL SELECT schema_oid FROM duckdb_types() WHERE NOT internal)"},
    {Mode::kExtend, "pg_catalog",
     "CREATE VIEW pg_type AS SELECT * REPLACE (CAST(NULL AS VARCHAR[]) AS typacl), "
     "1247 AS tableoid FROM CURRENT"},
    // Array columns: DuckDB's type id of a LIST says nothing of its element.
    {Mode::kExtend, "pg_catalog",
     "CREATE VIEW pg_attribute AS SELECT a.* REPLACE (coalesce(t.typarray, a.atttypid) AS "
     "atttypid, -1 AS attstattarget) FROM CURRENT a LEFT JOIN duckdb_columns() c ON c.table_oid = "
     "a.attrelid AND "
     "c.column_index = a.attnum AND c.data_type LIKE '%[]' LEFT JOIN pg_catalog.pg_type t ON "
     "c.data_type IS NOT NULL AND t.typname = pg_catalog.augur_udt_base_name(left(c.data_type, "
     "length(c.data_type) - 2))"},
    {Mode::kExtend, "pg_catalog",
     "CREATE VIEW pg_database AS SELECT *, 1262 AS tableoid, 0 AS datfrozenxid, 0 AS datminmxid, "
     "CAST(NULL AS VARCHAR) AS datcollversion, 1663 AS dattablespace FROM CURRENT"},
    // Comments on shared objects (databases, roles): augur keeps none.
    {Mode::kReplace, "pg_catalog",
     "CREATE MACRO shobj_description(object_oid, catalog_name) AS CAST(NULL AS VARCHAR)"},
    {Mode::kExtend, "pg_catalog",
     "CREATE VIEW pg_constraint AS SELECT *, 2606 AS tableoid FROM CURRENT"},
    {Mode::kExtend, "pg_catalog",
     "CREATE VIEW pg_index AS SELECT * REPLACE (CAST(coalesce(len(indkey), indnatts) AS "
     "SMALLINT) AS indnatts, CAST(coalesce(len(indkey), indnkeyatts) AS SMALLINT) AS "
     "indnkeyatts), false AS indnullsnotdistinct FROM CURRENT"},
    {Mode::kExtend, "pg_catalog",
     "CREATE VIEW pg_collation AS SELECT *, 3456 AS tableoid, 10 AS collowner, "
     "-1 AS collencoding, 'd' AS collprovider, true AS collisdeterministic FROM CURRENT"},
    {Mode::kExtend, "pg_catalog",
     "CREATE VIEW pg_statistic_ext AS SELECT *, 3381 AS tableoid, 10 AS stxowner, "
     "-1 AS stxstattarget FROM CURRENT"},
    {Mode::kExtend, "pg_catalog",
     "CREATE VIEW pg_publication AS SELECT *, 6104 AS tableoid, 10 AS pubowner, "
     "true AS pubinsert, true AS pubupdate, true AS pubdelete, true AS pubtruncate, "
     "false AS pubviaroot FROM CURRENT"},
    {Mode::kExtend, "pg_catalog",
     "CREATE VIEW pg_publication_rel AS SELECT *, 6106 AS tableoid, CAST(NULL AS BIGINT) AS oid "
     "FROM CURRENT"},
    {Mode::kExtend, "pg_catalog",
     "CREATE VIEW pg_publication_namespace AS SELECT *, 6237 AS tableoid, "
     "CAST(NULL AS BIGINT) AS oid FROM CURRENT"},
    {Mode::kExtend, "pg_catalog",
     "CREATE VIEW pg_policy AS SELECT *, 3256 AS tableoid FROM CURRENT"},
    // DuckDB's own functions and macros are PostgreSQL's built-ins: they live in pg_catalog.
    {Mode::kExtend, "pg_catalog",
     "CREATE VIEW pg_proc AS SELECT * REPLACE (CASE WHEN pronamespace IS NULL OR pronamespace IN "
     "(SELECT oid FROM duckdb_schemas() WHERE database_name IN ('system', 'temp')) THEN 11 ELSE "
     "pronamespace END AS pronamespace, 10 AS proowner, CAST(NULL AS VARCHAR[]) AS proacl), "
     "1255 AS tableoid FROM CURRENT"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_am AS SELECT * FROM (VALUES (2601, 2, 'heap', 'heap_tableam_handler', 't'), "
     "(2601, 403, 'btree', 'bthandler', 'i')) AS am(tableoid, oid, amname, amhandler, amtype)"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_tablespace AS SELECT * FROM (VALUES (1213, 1663, 'pg_default', 10, "
     "CAST(NULL AS VARCHAR[]), CAST(NULL AS VARCHAR[])), (1213, 1664, 'pg_global', 10, NULL, "
     "NULL)) AS t(tableoid, oid, spcname, spcowner, spcacl, spcoptions)"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_sequence AS SELECT sequence_oid AS seqrelid, 20 AS seqtypid, "
     "start_value AS seqstart, increment_by AS seqincrement, max_value AS seqmax, "
     "min_value AS seqmin, 1 AS seqcache, \"cycle\" AS seqcycle FROM duckdb_sequences()"},
    // A column default as PostgreSQL prints it: nextval('name'::regclass), the sequence
    // qualified ('s.name') when its schema is off the search path (pg_dump's is empty).
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_attrdef AS SELECT 2604 AS tableoid, table_oid * 2048 + column_index AS oid, "
     "table_oid AS adrelid, column_index AS adnum, CASE WHEN regexp_full_match(column_default, "
     "'nextval\\(''[^''.]+''\\)') THEN 'nextval(''' || CASE WHEN list_contains("
     "current_schemas(false), schema_name) THEN '' ELSE quote_ident(schema_name) || '.' END || "
     "regexp_extract(column_default, '''(.*)''', 1) || '''::regclass)' WHEN regexp_full_match("
     "column_default, 'nextval\\(''[^'']+''\\)') THEN replace(column_default, ''')', "
     "'''::regclass)') ELSE column_default END AS adbin FROM duckdb_columns() "
     "WHERE column_default IS NOT NULL"},
    // Comments on relations and columns (classoid pg_class) and schemas (pg_namespace).
    // Dependencies as PostgreSQL records them (see the header comment).
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_depend AS WITH seq AS (SELECT c.table_oid, c.column_index, c.table_name, "
     "c.column_name, s.sequence_oid, s.sequence_name FROM duckdb_columns() c JOIN "
     "duckdb_sequences() s ON s.database_name = c.database_name AND "
     "regexp_full_match(c.column_default, 'nextval\\(''(' || regexp_escape(s.schema_name) || "
     "'\\.)?' || regexp_escape(s.sequence_name) || '''\\)') AND (s.schema_name = c.schema_name OR "
     "contains(c.column_default, '.'))) "
     "SELECT 1259 AS classid, sequence_oid AS objid, 0 AS objsubid, 1259 AS refclassid, "
     "table_oid AS refobjid, column_index AS refobjsubid, 'a' AS deptype FROM seq WHERE "
     "regexp_full_match(sequence_name, regexp_escape(table_name || '_' || column_name || '_seq') "
     "|| '[0-9]*') UNION ALL SELECT 2604, table_oid * 2048 + column_index, 0, 1259, "
     "sequence_oid, 0, 'n' FROM seq UNION ALL SELECT 1259, v.view_oid, 0, 1259, r.oid, 0, 'n' "
     "FROM duckdb_views() v JOIN (SELECT table_oid AS oid, table_name AS name, database_name FROM "
     "duckdb_tables() UNION ALL SELECT view_oid, view_name, database_name FROM duckdb_views() "
     "WHERE NOT internal UNION ALL SELECT sequence_oid, sequence_name, database_name FROM "
     "duckdb_sequences()) r ON r.database_name = v.database_name AND r.oid <> v.view_oid AND "
     "regexp_matches(lower(v.sql), '(^|[^a-z0-9_$])\"?' || regexp_escape(lower(r.name)) || "
     "'\"?($|[^a-z0-9_$])') WHERE NOT v.internal"},

    {Mode::kReplace, "pg_catalog", "CREATE MACRO pg_tablespace_location(tablespace_oid) AS ''"},
    // pg_dumpall's roles: pg_roles' rows, with no password readable.
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_authid AS SELECT oid, rolname, rolsuper, rolinherit, rolcreaterole, "
     "rolcreatedb, rolcanlogin, rolreplication, rolbypassrls, rolconnlimit, "
     "CAST(NULL AS VARCHAR) AS rolpassword, rolvaliduntil FROM pg_catalog.pg_roles"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_parameter_acl AS SELECT CAST(NULL AS BIGINT) AS oid, CAST(NULL AS VARCHAR) "
     "AS parname, CAST(NULL AS VARCHAR[]) AS paracl WHERE false"},
    // Catalogs of things augur does not have: empty, with PostgreSQL's columns.
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_shseclabel AS SELECT CAST(NULL AS BIGINT) AS objoid, CAST(NULL AS BIGINT) "
     "AS classoid, CAST(NULL AS VARCHAR) AS provider, CAST(NULL AS VARCHAR) AS label "
     "WHERE false"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_db_role_setting AS SELECT CAST(NULL AS BIGINT) AS setdatabase, "
     "CAST(NULL AS BIGINT) AS setrole, CAST(NULL AS VARCHAR[]) AS setconfig WHERE false"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_language AS SELECT 2612 AS tableoid, CAST(NULL AS BIGINT) AS oid, "
     "CAST(NULL AS VARCHAR) AS lanname, CAST(NULL AS BIGINT) AS lanowner, false AS lanispl, "
     "false AS lanpltrusted, CAST(NULL AS BIGINT) AS lanplcallfoid, CAST(NULL AS BIGINT) AS "
     "laninline, CAST(NULL AS BIGINT) AS lanvalidator, CAST(NULL AS VARCHAR[]) AS lanacl "
     "WHERE false"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_operator AS SELECT 2617 AS tableoid, CAST(NULL AS BIGINT) AS oid, "
     "CAST(NULL AS VARCHAR) AS oprname, CAST(NULL AS BIGINT) AS oprnamespace, "
     "CAST(NULL AS BIGINT) AS oprowner, CAST(NULL AS VARCHAR) AS oprkind, CAST(NULL AS BIGINT) "
     "AS oprleft, CAST(NULL AS BIGINT) AS oprright, CAST(NULL AS BIGINT) AS oprresult, "
     "CAST(NULL AS VARCHAR) AS oprcode WHERE false"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_opclass AS SELECT 2616 AS tableoid, CAST(NULL AS BIGINT) AS oid, "
     "CAST(NULL AS BIGINT) AS opcmethod, CAST(NULL AS VARCHAR) AS opcname, CAST(NULL AS BIGINT) "
     "AS opcnamespace, CAST(NULL AS BIGINT) AS opcowner, CAST(NULL AS BIGINT) AS opcfamily, "
     "CAST(NULL AS BIGINT) AS opcintype, false AS opcdefault, CAST(NULL AS BIGINT) AS opckeytype "
     "WHERE false"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_opfamily AS SELECT 2753 AS tableoid, CAST(NULL AS BIGINT) AS oid, "
     "CAST(NULL AS BIGINT) AS opfmethod, CAST(NULL AS VARCHAR) AS opfname, CAST(NULL AS BIGINT) "
     "AS opfnamespace, CAST(NULL AS BIGINT) AS opfowner WHERE false"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_amop AS SELECT CAST(NULL AS BIGINT) AS oid, CAST(NULL AS BIGINT) AS "
     "amopfamily WHERE false"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_amproc AS SELECT CAST(NULL AS BIGINT) AS oid, CAST(NULL AS BIGINT) AS "
     "amprocfamily WHERE false"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_ts_parser AS SELECT 3601 AS tableoid, CAST(NULL AS BIGINT) AS oid, "
     "CAST(NULL AS VARCHAR) AS prsname, CAST(NULL AS BIGINT) AS prsnamespace, "
     "CAST(NULL AS VARCHAR) AS prsstart, CAST(NULL AS VARCHAR) AS prstoken, "
     "CAST(NULL AS VARCHAR) AS prsend, CAST(NULL AS VARCHAR) AS prsheadline, "
     "CAST(NULL AS VARCHAR) AS prslextype WHERE false"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_ts_template AS SELECT 3764 AS tableoid, CAST(NULL AS BIGINT) AS oid, "
     "CAST(NULL AS VARCHAR) AS tmplname, CAST(NULL AS BIGINT) AS tmplnamespace, "
     "CAST(NULL AS VARCHAR) AS tmplinit, CAST(NULL AS VARCHAR) AS tmpllexize WHERE false"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_ts_dict AS SELECT 3600 AS tableoid, CAST(NULL AS BIGINT) AS oid, "
     "CAST(NULL AS VARCHAR) AS dictname, CAST(NULL AS BIGINT) AS dictnamespace, "
     "CAST(NULL AS BIGINT) AS dictowner, CAST(NULL AS BIGINT) AS dicttemplate, "
     "CAST(NULL AS VARCHAR) AS dictinitoption WHERE false"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_ts_config AS SELECT 3602 AS tableoid, CAST(NULL AS BIGINT) AS oid, "
     "CAST(NULL AS VARCHAR) AS cfgname, CAST(NULL AS BIGINT) AS cfgnamespace, "
     "CAST(NULL AS BIGINT) AS cfgowner, CAST(NULL AS BIGINT) AS cfgparser WHERE false"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_foreign_data_wrapper AS SELECT 2328 AS tableoid, CAST(NULL AS BIGINT) AS "
     "oid, CAST(NULL AS VARCHAR) AS fdwname, CAST(NULL AS BIGINT) AS fdwowner, "
     "CAST(NULL AS VARCHAR) AS fdwhandler, CAST(NULL AS VARCHAR) AS fdwvalidator, "
     "CAST(NULL AS VARCHAR[]) AS fdwacl, CAST(NULL AS VARCHAR[]) AS fdwoptions WHERE false"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_foreign_server AS SELECT 1417 AS tableoid, CAST(NULL AS BIGINT) AS oid, "
     "CAST(NULL AS VARCHAR) AS srvname, CAST(NULL AS BIGINT) AS srvowner, CAST(NULL AS BIGINT) "
     "AS srvfdw, CAST(NULL AS VARCHAR) AS srvtype, CAST(NULL AS VARCHAR) AS srvversion, "
     "CAST(NULL AS VARCHAR[]) AS srvacl, CAST(NULL AS VARCHAR[]) AS srvoptions WHERE false"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_foreign_table AS SELECT CAST(NULL AS BIGINT) AS ftrelid, "
     "CAST(NULL AS BIGINT) AS ftserver, CAST(NULL AS VARCHAR[]) AS ftoptions WHERE false"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_default_acl AS SELECT 826 AS tableoid, CAST(NULL AS BIGINT) AS oid, "
     "CAST(NULL AS BIGINT) AS defaclrole, CAST(NULL AS BIGINT) AS defaclnamespace, "
     "CAST(NULL AS VARCHAR) AS defaclobjtype, CAST(NULL AS VARCHAR[]) AS defaclacl WHERE false"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_conversion AS SELECT 2607 AS tableoid, CAST(NULL AS BIGINT) AS oid, "
     "CAST(NULL AS VARCHAR) AS conname, CAST(NULL AS BIGINT) AS connamespace, "
     "CAST(NULL AS BIGINT) AS conowner WHERE false"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_cast AS SELECT 2605 AS tableoid, CAST(NULL AS BIGINT) AS oid, "
     "CAST(NULL AS BIGINT) AS castsource, CAST(NULL AS BIGINT) AS casttarget, "
     "CAST(NULL AS BIGINT) AS castfunc, CAST(NULL AS VARCHAR) AS castcontext, "
     "CAST(NULL AS VARCHAR) AS castmethod WHERE false"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_transform AS SELECT 3576 AS tableoid, CAST(NULL AS BIGINT) AS oid, "
     "CAST(NULL AS BIGINT) AS trftype, CAST(NULL AS BIGINT) AS trflang, CAST(NULL AS VARCHAR) AS "
     "trffromsql, CAST(NULL AS VARCHAR) AS trftosql WHERE false"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_event_trigger AS SELECT 3466 AS tableoid, CAST(NULL AS BIGINT) AS oid, "
     "CAST(NULL AS VARCHAR) AS evtname, CAST(NULL AS VARCHAR) AS evtevent, CAST(NULL AS BIGINT) "
     "AS evtowner, CAST(NULL AS BIGINT) AS evtfoid, CAST(NULL AS VARCHAR) AS evtenabled, "
     "CAST(NULL AS VARCHAR[]) AS evttags WHERE false"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_largeobject_metadata AS SELECT 2995 AS tableoid, CAST(NULL AS BIGINT) AS "
     "oid, CAST(NULL AS BIGINT) AS lomowner, CAST(NULL AS VARCHAR[]) AS lomacl WHERE false"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_init_privs AS SELECT CAST(NULL AS BIGINT) AS objoid, CAST(NULL AS BIGINT) "
     "AS classoid, CAST(NULL AS INTEGER) AS objsubid, CAST(NULL AS VARCHAR) AS privtype, "
     "CAST(NULL AS VARCHAR[]) AS initprivs WHERE false"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_seclabels AS SELECT CAST(NULL AS BIGINT) AS objoid, CAST(NULL AS BIGINT) AS "
     "classoid, CAST(NULL AS INTEGER) AS objsubid, CAST(NULL AS VARCHAR) AS objtype, "
     "CAST(NULL AS BIGINT) AS objnamespace, CAST(NULL AS VARCHAR) AS objname, "
     "CAST(NULL AS VARCHAR) AS provider, CAST(NULL AS VARCHAR) AS label WHERE false"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_subscription AS SELECT 6100 AS tableoid, CAST(NULL AS BIGINT) AS oid, "
     "CAST(NULL AS BIGINT) AS subdbid, CAST(NULL AS VARCHAR) AS subname, CAST(NULL AS BIGINT) AS "
     "subowner, false AS subenabled, false AS subbinary, false AS substream, "
     "CAST(NULL AS VARCHAR) AS subtwophasestate, false AS subdisableonerr, "
     "CAST(NULL AS VARCHAR) AS subconninfo, CAST(NULL AS VARCHAR) AS subslotname, "
     "CAST(NULL AS VARCHAR) AS subsynccommit, CAST(NULL AS VARCHAR[]) AS subpublications "
     "WHERE false"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_rewrite AS SELECT 2618 AS tableoid, CAST(NULL AS BIGINT) AS oid, "
     "CAST(NULL AS VARCHAR) AS rulename, CAST(NULL AS BIGINT) AS ev_class, CAST(NULL AS VARCHAR) "
     "AS ev_type, CAST(NULL AS VARCHAR) AS ev_enabled, false AS is_instead WHERE false"},
    {Mode::kReplace, "pg_catalog",
     "CREATE VIEW pg_partitioned_table AS SELECT CAST(NULL AS BIGINT) AS partrelid, "
     "CAST(NULL AS VARCHAR) AS partstrat, CAST(NULL AS SMALLINT) AS partnatts, "
     "CAST(NULL AS BIGINT) AS partdefid, CAST(NULL AS SMALLINT[]) AS partattrs, "
     "CAST(NULL AS BIGINT[]) AS partclass WHERE false"},
};

// The SELECT of the view installed now under schema.name (DuckDB's, or one augur installed).
Result<std::string> CurrentViewSelect(duckdb::Connection& connection, const std::string& schema,
                                      const std::string& name) {
  auto result = connection.Query(
      "SELECT sql FROM duckdb_views() WHERE database_name = 'system' AND schema_name = '" + schema +
      "' AND view_name = '" + name + "'");
  if (result->HasError() || result->RowCount() != 1) {
    return Error(sqlstate::kInternalError,
                 "the definition of " + schema + "." + name + " was not found");
  }
  std::string sql = result->GetValue(0, 0).ToString();
  sql = sql.substr(sql.find(" AS ") + 4);
  while (!sql.empty() && (sql.back() == ';' || sql.back() == '\n' || sql.back() == ' ')) {
    sql.pop_back();
  }
  return sql;
}

bool Exists(duckdb::Connection& connection, const std::string& schema, const std::string& name) {
  auto result = connection.Query(
      "SELECT 1 FROM duckdb_views() WHERE database_name = 'system' AND schema_name = '" + schema +
      "' AND view_name = '" + name +
      "' UNION ALL SELECT 1 FROM duckdb_functions() WHERE "
      "database_name = 'system' AND schema_name = '" +
      schema + "' AND function_name = '" + name + "'");
  return !result->HasError() && result->RowCount() > 0;
}

// "pg_class" from "CREATE VIEW pg_class AS ..." or "CREATE MACRO f(...) AS ...".
std::string ObjectName(const std::string& sql) {
  size_t start = sql.find(' ', std::strlen("CREATE ")) + 1;
  return sql.substr(start, sql.find_first_of(" (", start) - start);
}

}  // namespace

Status InstallPgDumpCatalog(duckdb::Connection& connection) {
  auto& context = *connection.context;
  try {
    context.RunFunctionInTransaction([&] {
      InstallSequenceStateFunction(context);
      InstallPgArrayText(context);
    });
  } catch (const std::exception& ex) {
    return TranslateException(ex, "");
  }
  for (const DumpObject& object : kObjects) {
    try {
      std::string sql = object.sql;
      const std::string name = ObjectName(sql);
      if (object.mode == Mode::kIfMissing && Exists(connection, object.schema, name)) continue;
      if (object.mode == Mode::kExtend) {
        auto current = CurrentViewSelect(connection, object.schema, name);
        if (!current) return std::move(current).error();
        size_t at = sql.find("CURRENT");
        sql.replace(at, std::strlen("CURRENT"), "(" + *current + ")");
      }
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
      error.message = "installing pg_dump's catalog object failed: " + error.message;
      return error;
    }
  }
  return {};
}

}  // namespace augur::engine
