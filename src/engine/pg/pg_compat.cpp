// pg_compat.cpp: PostgreSQL functions that DuckDB lacks or answers differently, installed as
// macros into DuckDB's system catalog so that every session and every schema sees them.
//
// SQL cannot write to the system catalog ("Cannot create entry in system catalog"), so each macro
// is parsed from its CREATE MACRO text and then created through the C++ catalog API, replacing a
// built-in of the same name where PostgreSQL's meaning must win (version()).
#include "engine/pg/pg_compat.h"

#include <cstring>
#include <string>

#include "duckdb/catalog/catalog.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/connection.hpp"
#include "duckdb/parser/parsed_data/drop_info.hpp"
#include "engine/pg/pg_types.h"
#include "engine/pg/system_catalog.h"

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
    // SQLAlchemy and Django quote names with it; Grafana and Metabase quote the names they list.
    // PostgreSQL quotes a name unless it is lower case letters, digits and underscores and not a
    // keyword outside the unreserved ones (pg_get_keywords() where catcode <> 'U').
    {"main",
     "CREATE MACRO quote_ident(name) AS CASE WHEN regexp_full_match(name, '[a-z_][a-z0-9_]*') "
     "AND name NOT IN ("
     "'all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'asymmetric', "
     "'authorization', 'between', 'bigint', 'binary', 'bit', 'boolean', 'both', 'case', "
     "'cast', 'char', 'character', 'check', 'coalesce', 'collate', 'collation', 'column', "
     "'concurrently', 'constraint', 'create', 'cross', 'current_catalog', 'current_date', "
     "'current_role', 'current_schema', 'current_time', 'current_timestamp', 'current_user', "
     "'dec', 'decimal', 'default', 'deferrable', 'desc', 'distinct', 'do', 'else', 'end', "
     "'except', 'exists', 'extract', 'false', 'fetch', 'float', 'for', 'foreign', 'freeze', "
     "'from', 'full', 'grant', 'greatest', 'group', 'grouping', 'having', 'ilike', 'in', "
     "'initially', 'inner', 'inout', 'int', 'integer', 'intersect', 'interval', 'into', 'is', "
     "'isnull', 'join', 'lateral', 'leading', 'least', 'left', 'like', 'limit', 'localtime', "
     "'localtimestamp', 'national', 'natural', 'nchar', 'none', 'normalize', 'not', "
     "'notnull', 'null', 'nullif', 'numeric', 'offset', 'on', 'only', 'or', 'order', 'out', "
     "'outer', 'overlaps', 'overlay', 'placing', 'position', 'precision', 'primary', 'real', "
     "'references', 'returning', 'right', 'row', 'select', 'session_user', 'setof', "
     "'similar', 'smallint', 'some', 'substring', 'symmetric', 'table', 'tablesample', "
     "'then', 'time', 'timestamp', 'to', 'trailing', 'treat', 'trim', 'true', 'union', "
     "'unique', 'user', 'using', 'values', 'varchar', 'variadic', 'verbose', 'when', 'where', "
     "'window', 'with', 'xmlattributes', 'xmlconcat', 'xmlelement', 'xmlexists', 'xmlforest', "
     "'xmlnamespaces', 'xmlparse', 'xmlpi', 'xmlroot', 'xmlserialize', 'xmltable') "
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
    // DuckDB enforces PRIMARY KEY and UNIQUE with indexes it does not list; drivers find key
    // columns through pg_index/pg_class entries for them (pgjdbc's getPrimaryKeys, SQLAlchemy's
    // get_pk_constraint, psql's \d "Indexes:"). Such an entry's oid is derived from its table's
    // oid and the constraint's position: 1e9 + table_oid * 64 + constraint_index.
    // relam names the access method as PostgreSQL's pg_am does (heap 2 for tables, btree 403 for
    // indexes: psql's \d+ "Access method", pgjdbc's index TYPE); reloptions is a typed empty
    // list, which psql's \d+ unnests; relreplident is PostgreSQL's default ('d', which psql's
    // \d+ leaves unprinted); relhastriggers is true for both ends of a foreign key, which
    // PostgreSQL enforces with triggers and psql's \d reads before listing foreign keys. It is
    // read from the tables' CREATE text (duckdb_constraints() costs a catalog query ~100 times
    // more); a rare false true only makes psql look for foreign keys that pg_constraint lacks.
    // DuckDB
    // marks every index temporary; an index is as permanent as
    // the tables augur lists it for (temporary tables' indexes are the exception).
    {"pg_catalog",
     "CREATE VIEW pg_class AS SELECT * REPLACE (10 AS relowner, CASE relkind WHEN 'r' THEN 2 "
     "WHEN 'i' THEN 403 ELSE 0 END AS relam, NULL::VARCHAR[] AS reloptions, "
     "CASE relkind WHEN 'i' THEN 'p' ELSE relpersistence END AS relpersistence, "
     "CASE relkind WHEN 'r' THEN 'd' ELSE 'n' END AS relreplident, "
     "relkind = 'r' AND oid IN (SELECT t.table_oid FROM duckdb_tables() t "
     "WHERE contains(t.sql, ' REFERENCES ') OR EXISTS (SELECT 1 FROM duckdb_tables() f "
     "WHERE contains(f.sql, ' REFERENCES ') AND (contains(f.sql, t.table_name || '(') OR "
     "contains(f.sql, t.table_name || '\"(')))) AS relhastriggers), "
     "false AS relforcerowsecurity FROM (SELECT * FROM "
     "DUCKDB_ORIGINAL UNION ALL SELECT 1000000000 + table_oid * 64 + constraint_index, "
     "constraint_name, schema_oid, 0, 0, 0, 0, 0, 0, 0, 0::FLOAT, 0, 0, 0, false, false, 'p', 'i', "
     "len(constraint_column_indexes), 0, false, false, false, false, false, false, true, NULL, "
     "false, 0, 0, NULL, NULL, NULL, NULL FROM duckdb_constraints() "
     "WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE'))"},
    // indkey lists an index's column numbers (SQLAlchemy's get_indexes, pgAdmin); DuckDB leaves
    // it NULL, so it is rebuilt from the index's expressions ("[a, '\"label\"']").
    {"pg_catalog",
     "CREATE VIEW pg_index AS SELECT o.* REPLACE (coalesce(k.cols, o.indkey) AS indkey, "
     "CASE WHEN k.cols IS NULL THEN o.indexprs END AS indexprs) "
     "FROM DUCKDB_ORIGINAL o LEFT JOIN (SELECT e.index_oid, list(c.column_index::INTEGER "
     "ORDER BY e.pos) AS cols FROM (SELECT index_oid, table_oid, unnest(names) AS name, "
     "generate_subscripts(names, 1) AS pos FROM (SELECT index_oid, table_oid, "
     "string_split(regexp_replace(expressions, '[\\[\\]''\" ]', '', 'g'), ',') AS names "
     "FROM duckdb_indexes())) e JOIN duckdb_columns() c ON c.table_oid = e.table_oid AND "
     "c.column_name = e.name GROUP BY e.index_oid) k ON k.index_oid = o.indexrelid "
     "UNION ALL SELECT "
     "1000000000 + table_oid * 64 + constraint_index, table_oid, "
     "len(constraint_column_indexes), len(constraint_column_indexes), true, "
     "constraint_type = 'PRIMARY KEY', false, true, false, true, false, true, true, false, "
     "list_transform(constraint_column_indexes, c -> (c + 1)::INTEGER), NULL, NULL, NULL, NULL, "
     "NULL FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE')"},
    // pgjdbc's getPrimaryKeys expands index key arrays with this PostgreSQL-internal function.
    {"information_schema",
     "CREATE MACRO _pg_expandarray(arr) AS unnest(list_transform(range(1, len(arr) + 1), "
     "i -> {'x': arr[i], 'n': i}))"},
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
    // SQLAlchemy's get_columns and Django's sequence resets ask for a column's serial sequence:
    // the one in its nextval() default (pg_app_ddl_rewrite.cpp names them as PostgreSQL does).
    {"pg_catalog",
     "CREATE MACRO pg_get_serial_sequence(tbl, col) AS (SELECT any_value(c.schema_name || '.' || "
     "regexp_extract(c.column_default, '\"?([^\".'']*)\"?''\\)$', 1)) FROM duckdb_columns() c "
     "WHERE c.table_name = CASE WHEN regexp_extract(tbl, '[^.]*$') LIKE '\"%' THEN "
     "replace(trim(regexp_extract(tbl, '[^.]*$'), '\"'), '\"\"', '\"') ELSE "
     "lower(regexp_extract(tbl, '[^.]*$')) END AND c.column_name = col "
     "AND c.column_default LIKE 'nextval(%')"},
    // Drivers read column types from pg_attribute.atttypid and join pg_type by PostgreSQL OIDs
    // (pgjdbc's getColumns, SQLAlchemy's inspector, psql's \d). DuckDB's catalog uses its own
    // type ids there; augur's pg_type lists PostgreSQL's types and pg_attribute translates ids
    // with the same mapping RowDescription uses (PG_OID_OF_DUCKDB_TYPE, built from PgTypeFor).
    // attstorage follows the type as PostgreSQL's typstorage does (psql's \d+ "Storage"); the
    // two must agree, or pg_dump writes ALTER COLUMN ... SET STORAGE for every such column.
    {"pg_catalog",
     "CREATE VIEW pg_type AS SELECT oid, typname, 11 AS typnamespace, 10 AS typowner, typlen, "
     "typlen BETWEEN 1 AND 8 AS typbyval, CASE WHEN typelem <> 0 THEN 'b' ELSE 'b' END AS typtype, "
     "typcategory, false AS typispreferred, true AS typisdefined, ',' AS typdelim, 0 AS typrelid, "
     "NULL AS typsubscript, typelem, typarray, NULL AS typinput, NULL AS typoutput, "
     "NULL AS typreceive, NULL AS typsend, NULL AS typmodin, NULL AS typmodout, "
     "NULL AS typanalyze, 'd' AS typalign, CASE WHEN oid IN (25, 17, 114, 3802) OR "
     "typcategory = 'A' THEN 'x' WHEN oid = 1700 THEN 'm' ELSE 'p' END AS typstorage, false AS "
     "typnotnull, "
     "0 AS typbasetype, -1 AS typtypmod, 0 AS typndims, 0 AS typcollation, "
     "NULL AS typdefaultbin, NULL AS typdefault, NULL AS typacl FROM (VALUES "
     "(16, 'bool', 1, 'B', 0, 1000), (17, 'bytea', -1, 'U', 0, 1001), "
     "(20, 'int8', 8, 'N', 0, 1016), (21, 'int2', 2, 'N', 0, 1005), (23, 'int4', 4, 'N', 0, 1007), "
     "(25, 'text', -1, 'S', 0, 1009), (114, 'json', -1, 'U', 0, 199), "
     "(700, 'float4', 4, 'N', 0, 1021), (701, 'float8', 8, 'N', 0, 1022), "
     "(1043, 'varchar', -1, 'S', 0, 1015), (1082, 'date', 4, 'D', 0, 1182), "
     "(1083, 'time', 8, 'D', 0, 1183), (1114, 'timestamp', 8, 'D', 0, 1115), "
     "(1184, 'timestamptz', 8, 'D', 0, 1185), (1186, 'interval', 16, 'T', 0, 1187), "
     "(1266, 'timetz', 12, 'D', 0, 1270), (1700, 'numeric', -1, 'N', 0, 1231), "
     "(2950, 'uuid', 16, 'U', 0, 2951), (3802, 'jsonb', -1, 'U', 0, 3807), "
     "(3807, '_jsonb', -1, 'A', 3802, 0), (1000, '_bool', -1, 'A', 16, 0), "
     "(1001, '_bytea', -1, 'A', 17, 0), (1016, '_int8', -1, 'A', 20, 0), "
     "(1005, '_int2', -1, 'A', 21, 0), (1007, '_int4', -1, 'A', 23, 0), "
     "(1009, '_text', -1, 'A', 25, 0), (199, '_json', -1, 'A', 114, 0), "
     "(1021, '_float4', -1, 'A', 700, 0), (1022, '_float8', -1, 'A', 701, 0), "
     "(1015, '_varchar', -1, 'A', 1043, 0), (1182, '_date', -1, 'A', 1082, 0), "
     "(1183, '_time', -1, 'A', 1083, 0), (1115, '_timestamp', -1, 'A', 1114, 0), "
     "(1185, '_timestamptz', -1, 'A', 1184, 0), (1187, '_interval', -1, 'A', 1186, 0), "
     "(1270, '_timetz', -1, 'A', 1266, 0), (1231, '_numeric', -1, 'A', 1700, 0), "
     "(2951, '_uuid', -1, 'A', 2950, 0)) AS t(oid, typname, typlen, typcategory, typelem, "
     "typarray)"},
    {"pg_catalog",
     "CREATE VIEW pg_attribute AS SELECT * REPLACE (CASE WHEN atttypid IN (25, 17, 114, 3802) "
     "THEN 'x' WHEN atttypid = 1700 THEN 'm' ELSE 'p' END AS attstorage) FROM (SELECT * REPLACE "
     "(PG_OID_OF_DUCKDB_TYPE AS atttypid, CASE WHEN atttypmod > 0 THEN "
     "(atttypmod // 1000) * 65536 + atttypmod % 1000 + 4 ELSE -1 END AS atttypmod, "
     "-1 AS attstattarget) FROM DUCKDB_ORIGINAL)"},
    // information_schema names types as PostgreSQL does ("integer", "timestamp without time
    // zone", "ARRAY", "USER-DEFINED"): Grafana finds time columns by these names, and ORMs'
    // inspectors map them to their own types. `t` is DuckDB's type text (duckdb_columns).
    {"pg_catalog",
     "CREATE MACRO augur_sql_type_name(t) AS CASE WHEN t LIKE '%[]' THEN 'ARRAY' "
     "WHEN t LIKE 'DECIMAL(%' THEN 'numeric' WHEN regexp_matches(t, '^(ENUM|STRUCT|MAP|UNION)\\(') "
     "THEN 'USER-DEFINED' ELSE coalesce(CASE t WHEN 'BOOLEAN' THEN 'boolean' "
     "WHEN 'TINYINT' THEN 'smallint' WHEN 'SMALLINT' THEN 'smallint' WHEN 'UTINYINT' THEN "
     "'smallint' WHEN 'INTEGER' THEN 'integer' WHEN 'USMALLINT' THEN 'integer' "
     "WHEN 'BIGINT' THEN 'bigint' WHEN 'UINTEGER' THEN 'bigint' WHEN 'FLOAT' THEN 'real' "
     "WHEN 'DOUBLE' THEN 'double precision' WHEN 'VARCHAR' THEN 'text' WHEN 'BLOB' THEN 'bytea' "
     "WHEN 'DATE' THEN 'date' WHEN 'TIME' THEN 'time without time zone' "
     "WHEN 'TIME WITH TIME ZONE' THEN 'time with time zone' "
     "WHEN 'TIMESTAMP' THEN 'timestamp without time zone' "
     "WHEN 'TIMESTAMP_S' THEN 'timestamp without time zone' "
     "WHEN 'TIMESTAMP_MS' THEN 'timestamp without time zone' "
     "WHEN 'TIMESTAMP_NS' THEN 'timestamp without time zone' "
     "WHEN 'TIMESTAMP WITH TIME ZONE' THEN 'timestamp with time zone' "
     "WHEN 'INTERVAL' THEN 'interval' WHEN 'UUID' THEN 'uuid' WHEN 'JSON' THEN 'json' "
     "WHEN 'HUGEINT' THEN 'numeric' WHEN 'UBIGINT' THEN 'numeric' WHEN 'UHUGEINT' THEN 'numeric' "
     "END, lower(t)) END"},
    {"pg_catalog",
     "CREATE MACRO augur_udt_base_name(t) AS CASE WHEN t LIKE 'DECIMAL(%' THEN 'numeric' "
     "ELSE coalesce(CASE t WHEN 'BOOLEAN' THEN 'bool' WHEN 'TINYINT' THEN 'int2' "
     "WHEN 'SMALLINT' THEN 'int2' WHEN 'UTINYINT' THEN 'int2' WHEN 'INTEGER' THEN 'int4' "
     "WHEN 'USMALLINT' THEN 'int4' WHEN 'BIGINT' THEN 'int8' WHEN 'UINTEGER' THEN 'int8' "
     "WHEN 'FLOAT' THEN 'float4' WHEN 'DOUBLE' THEN 'float8' WHEN 'VARCHAR' THEN 'text' "
     "WHEN 'BLOB' THEN 'bytea' WHEN 'DATE' THEN 'date' WHEN 'TIME' THEN 'time' "
     "WHEN 'TIME WITH TIME ZONE' THEN 'timetz' WHEN 'TIMESTAMP' THEN 'timestamp' "
     "WHEN 'TIMESTAMP_S' THEN 'timestamp' WHEN 'TIMESTAMP_MS' THEN 'timestamp' "
     "WHEN 'TIMESTAMP_NS' THEN 'timestamp' WHEN 'TIMESTAMP WITH TIME ZONE' THEN 'timestamptz' "
     "WHEN 'INTERVAL' THEN 'interval' WHEN 'UUID' THEN 'uuid' WHEN 'JSON' THEN 'json' "
     "WHEN 'HUGEINT' THEN 'numeric' WHEN 'UBIGINT' THEN 'numeric' WHEN 'UHUGEINT' THEN 'numeric' "
     "END, lower(t)) END"},
    {"pg_catalog",
     "CREATE MACRO augur_udt_name(t) AS CASE WHEN t LIKE '%[]' "
     "THEN '_' || augur_udt_base_name(left(t, length(t) - 2)) ELSE augur_udt_base_name(t) END"},
    {"information_schema",
     "CREATE VIEW columns AS SELECT * REPLACE ("
     "pg_catalog.augur_sql_type_name(data_type) AS data_type, "
     "CASE WHEN data_type NOT IN ('FLOAT', 'DOUBLE') THEN numeric_scale END AS numeric_scale, "
     "CASE WHEN data_type IN ('DATE') THEN 0 WHEN data_type LIKE 'TIME%' OR data_type = 'INTERVAL' "
     "THEN 6 END::INTEGER AS datetime_precision, "
     "table_catalog AS udt_catalog, 'pg_catalog' AS udt_schema, "
     "pg_catalog.augur_udt_name(data_type) AS udt_name, "
     "ordinal_position::VARCHAR AS dtd_identifier, 'NO' AS is_self_referencing, "
     "'NO' AS is_identity, 'NEVER' AS is_generated, 'YES' AS is_updatable) "
     "FROM DUCKDB_ORIGINAL"},
    // PostgreSQL lists a foreign key's referenced columns here (the usual "which table does this
    // key point to" join of table_constraints, key_column_usage and constraint_column_usage);
    // DuckDB lists the referencing ones.
    {"information_schema",
     "CREATE VIEW constraint_column_usage AS SELECT database_name AS table_catalog, "
     "schema_name AS table_schema, CASE WHEN constraint_type = 'FOREIGN KEY' "
     "THEN referenced_table ELSE table_name END AS table_name, column_name, "
     "database_name AS constraint_catalog, schema_name AS constraint_schema, constraint_name "
     "FROM (SELECT dc.*, unnest(CASE WHEN constraint_type = 'FOREIGN KEY' "
     "THEN referenced_column_names ELSE constraint_column_names END) AS column_name "
     "FROM duckdb_constraints() AS dc WHERE constraint_type <> 'NOT NULL')"},
    // pgjdbc's getImportedKeys/getExportedKeys, SQLAlchemy's get_foreign_keys and
    // get_unique_constraints, psql's \d and pg_dump read keys here: conkey/confkey hold 1-based
    // column numbers, a foreign key names its referenced table (confrelid) and the index of the
    // referenced key (conindid, the pg_class entry of that PRIMARY KEY or UNIQUE constraint).
    // DuckDB has no ON DELETE/UPDATE actions ('a': NO ACTION) and lists NOT NULL as constraints,
    // which PostgreSQL 15 does not.
    {"pg_catalog",
     "CREATE VIEW pg_constraint AS SELECT c.table_oid * 1000000 + c.constraint_index AS oid, "
     "c.constraint_name AS conname, c.schema_oid AS connamespace, CASE c.constraint_type "
     "WHEN 'CHECK' THEN 'c' WHEN 'UNIQUE' THEN 'u' WHEN 'PRIMARY KEY' THEN 'p' "
     "WHEN 'FOREIGN KEY' THEN 'f' ELSE 'x' END AS contype, false AS condeferrable, "
     "false AS condeferred, true AS convalidated, c.table_oid AS conrelid, 0 AS contypid, "
     "CASE WHEN c.constraint_type IN ('PRIMARY KEY', 'UNIQUE') "
     "THEN 1000000000 + c.table_oid * 64 + c.constraint_index "
     "WHEN c.constraint_type = 'FOREIGN KEY' THEN 1000000000 + r.table_oid * 64 + "
     "r.constraint_index ELSE 0 END AS conindid, 0 AS conparentid, "
     "coalesce(r.table_oid, 0) AS confrelid, "
     "CASE WHEN c.constraint_type = 'FOREIGN KEY' THEN 'a' ELSE ' ' END AS confupdtype, "
     "CASE WHEN c.constraint_type = 'FOREIGN KEY' THEN 'a' ELSE ' ' END AS confdeltype, "
     "CASE WHEN c.constraint_type = 'FOREIGN KEY' THEN 's' ELSE ' ' END AS confmatchtype, "
     "true AS conislocal, 0 AS coninhcount, false AS connoinherit, "
     "list_transform(c.constraint_column_indexes, i -> (i + 1)::SMALLINT) AS conkey, "
     "CASE WHEN c.constraint_type = 'FOREIGN KEY' "
     "THEN list_transform(r.constraint_column_indexes, i -> (i + 1)::SMALLINT) END AS confkey, "
     "NULL::BIGINT[] AS conpfeqop, NULL::BIGINT[] AS conppeqop, NULL::BIGINT[] AS conffeqop, "
     "NULL::BIGINT[] AS conexclop, c.expression AS conbin "
     "FROM duckdb_constraints() c LEFT JOIN duckdb_constraints() r "
     "ON c.constraint_type = 'FOREIGN KEY' AND r.constraint_type IN ('PRIMARY KEY', 'UNIQUE') "
     "AND r.schema_oid = c.schema_oid AND lower(r.table_name) = lower(c.referenced_table) "
     "AND list_transform(r.constraint_column_names, x -> lower(x)) = "
     "list_transform(c.referenced_column_names, x -> lower(x)) "
     "WHERE c.constraint_type <> 'NOT NULL'"},
    // pg_settings lists PostgreSQL's settings with the session's values first (pgjdbc reads
    // max_index_keys before getImportedKeys; pgAdmin and DBeaver list the rest), then DuckDB's
    // own under their names. PostgreSQL's compile-time limits are constants.
    {"pg_catalog",
     "CREATE VIEW pg_settings AS SELECT name, setting, NULL::VARCHAR AS unit, category, "
     "short_desc, NULL::VARCHAR AS extra_desc, context, vartype, 'default' AS source, "
     "NULL::VARCHAR AS min_val, NULL::VARCHAR AS max_val, NULL::VARCHAR[] AS enumvals, "
     "setting AS boot_val, setting AS reset_val, NULL::VARCHAR AS sourcefile, "
     "NULL::INTEGER AS sourceline, false AS pending_restart FROM ("
     "SELECT name, current_setting(name) AS setting, 'Client Connection Defaults' AS category, "
     "'' AS short_desc, 'user' AS context, 'string' AS vartype FROM (VALUES "
     "('application_name'), ('bytea_output'), ('client_encoding'), ('client_min_messages'), "
     "('DateStyle'), ('default_transaction_isolation'), ('default_transaction_read_only'), "
     "('extra_float_digits'), ('idle_in_transaction_session_timeout'), ('IntervalStyle'), "
     "('lock_timeout'), ('search_path'), ('standard_conforming_strings'), "
     "('statement_timeout'), ('TimeZone'), ('transaction_isolation'), "
     "('transaction_read_only')) AS s(name) "
     "UNION ALL SELECT name, setting, 'Preset Options', '', 'internal', vartype FROM (VALUES "
     "('block_size', '8192', 'integer'), ('integer_datetimes', 'on', 'bool'), "
     "('lc_collate', 'C', 'string'), ('lc_ctype', 'C', 'string'), "
     "('max_function_args', '100', 'integer'), ('max_identifier_length', '63', 'integer'), "
     "('max_index_keys', '32', 'integer'), ('server_encoding', 'UTF8', 'string'), "
     "('server_version', '15.0', 'string'), ('server_version_num', '150000', 'integer')) "
     "AS f(name, setting, vartype) "
     "UNION ALL SELECT name, value, 'DuckDB', description, 'user', CASE WHEN input_type = "
     "'VARCHAR' THEN 'string' WHEN input_type = 'BOOLEAN' THEN 'bool' WHEN input_type IN "
     "('BIGINT', 'UBIGINT') THEN 'integer' ELSE lower(input_type) END FROM duckdb_settings() "
     "WHERE lower(name) NOT IN ('search_path', 'timezone')) AS settings"},
    // DuckDB's "main" schema is listed only while it holds something: new databases keep
    // everything in "public", and PostgreSQL has no "main" (psql's \dn, Grafana's schema
    // list, DBeaver's tree). Databases made before augur had "public" keep their tables in
    // "main", which then stays listed so that those tables have a schema. (Tables, views,
    // sequences and types count; macros do not: duckdb_functions() is slow to list.)
    {"pg_catalog",
     "CREATE MACRO augur_schema_is_listed(db, schema) AS schema <> 'main' OR "
     "EXISTS (SELECT 1 FROM duckdb_tables() WHERE database_name = db AND schema_name = 'main') "
     "OR EXISTS (SELECT 1 FROM duckdb_views() WHERE NOT internal AND database_name = db AND "
     "schema_name = 'main') OR EXISTS (SELECT 1 FROM duckdb_sequences() WHERE "
     "database_name = db AND schema_name = 'main') OR EXISTS (SELECT 1 FROM duckdb_types() "
     "WHERE NOT internal AND database_name = db AND schema_name = 'main')"},
    // pg_catalog and information_schema are schemas of DuckDB's system catalog, which its
    // pg_namespace leaves out; PostgreSQL lists them, and pgjdbc's getTypeInfo joins pg_type to
    // pg_catalog's row (oid 11, as in PostgreSQL).
    {"pg_catalog",
     "CREATE VIEW pg_namespace AS SELECT oid, schema_name AS nspname, 10 AS nspowner, "
     "NULL::VARCHAR[] AS nspacl FROM duckdb_schemas() WHERE database_name = current_database() "
     "AND pg_catalog.augur_schema_is_listed(database_name, schema_name) "
     "UNION ALL SELECT 11, 'pg_catalog', 10, NULL UNION ALL SELECT oid, schema_name, 10, NULL "
     "FROM duckdb_schemas() WHERE database_name = 'system' AND schema_name = 'information_schema'"},
    // DuckDB's indexes (ART) are ordered like PostgreSQL's B-trees and take btree's place in
    // what tools read: pgjdbc reports ASC_OR_DESC only for "btree" indexes, and pg_dump writes
    // pg_get_indexdef's "USING btree" into dumps that must load into PostgreSQL and augur.
    {"pg_catalog",
     "CREATE VIEW pg_am AS SELECT oid, amname, NULL AS amhandler, amtype FROM (VALUES "
     "(2, 'heap', 't'), (403, 'btree', 'i')) AS am(oid, amname, amtype)"},
    // psql's \d TABLE, pgAdmin and ORMs show column types by PostgreSQL's names.
    {"pg_catalog",
     "CREATE MACRO augur_format_scalar(type_oid, typemod) AS CASE type_oid "
     "WHEN 16 THEN 'boolean' WHEN 17 THEN 'bytea' WHEN 20 THEN 'bigint' WHEN 21 THEN 'smallint' "
     "WHEN 23 THEN 'integer' WHEN 25 THEN 'text' WHEN 114 THEN 'json' WHEN 3802 THEN 'jsonb' "
     "WHEN 700 THEN 'real' "
     "WHEN 701 THEN 'double precision' WHEN 1043 THEN 'character varying' WHEN 1082 THEN 'date' "
     "WHEN 1083 THEN 'time without time zone' WHEN 1114 THEN 'timestamp without time zone' "
     "WHEN 1184 THEN 'timestamp with time zone' WHEN 1186 THEN 'interval' "
     "WHEN 1266 THEN 'time with time zone' WHEN 2950 THEN 'uuid' "
     "WHEN 1700 THEN 'numeric' || CASE WHEN typemod > 4 THEN concat('(', (typemod - 4) // 65536, "
     "',', (typemod - 4) % 65536, ')') ELSE '' END "
     "ELSE coalesce((SELECT augur_ft.typname FROM pg_catalog.pg_type augur_ft "
     "WHERE augur_ft.oid = type_oid), 'unknown') END"},
    // An array type is its element's name with "[]" (pg_dump's column types: "text[]").
    // Subquery aliases are unusual names: a macro's argument is spliced into its body, where
    // the caller's own aliases (pg_dump's "t") would otherwise be captured.
    {"pg_catalog",
     "CREATE MACRO format_type(type_oid, typemod) AS pg_catalog.augur_format_scalar(coalesce(("
     "SELECT nullif(augur_fe.typelem, 0) FROM pg_catalog.pg_type augur_fe WHERE augur_fe.oid = "
     "type_oid), type_oid), typemod) || CASE WHEN type_oid IN (SELECT augur_fa.oid FROM "
     "pg_catalog.pg_type augur_fa WHERE augur_fa.typelem <> 0) THEN '[]' ELSE '' END"},
    // psql passes pg_get_expr's third (pretty) argument; DuckDB's takes two.
    {"pg_catalog",
     "CREATE MACRO pg_get_expr(node_tree, relation_oid, pretty := false) AS node_tree"},
    {"pg_catalog", "CREATE MACRO pg_get_statisticsobjdef_columns(stat_oid) AS ''"},
    {"main",
     "CREATE MACRO array_upper(arr, dim) AS CASE WHEN dim = 1 AND len(arr) > 0 THEN len(arr) END"},
    // psql's \d TABLE prints each index from its definition, after "USING "; pg_dump copies it.
    // With a column number, the name of that column of the index (pgjdbc's getIndexInfo).
    {"pg_catalog",
     "CREATE MACRO pg_get_indexdef(index_id, column_no := 0, pretty := false) AS CASE "
     "WHEN column_no > 0 THEN (SELECT a.attname FROM pg_catalog.pg_index i JOIN "
     "pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[column_no] "
     "WHERE i.indexrelid = index_id) ELSE coalesce((SELECT "
     "regexp_replace(rtrim(sql, ';'), '^CREATE (UNIQUE )?INDEX (\\S+) ON (?:\\S+\\.)?(\\S+?) "
     "?\\((.*)\\)$', "
     "'CREATE \\1INDEX \\2 ON ' || schema_name || '.\\3 USING btree (\\4)') "
     "FROM duckdb_indexes() WHERE index_oid = index_id LIMIT 1), (SELECT 'CREATE UNIQUE INDEX ' || "
     "constraint_name || ' ON ' || schema_name || '.' || table_name || ' USING btree (' || "
     "array_to_string(constraint_column_names, ', ') || ')' FROM duckdb_constraints() WHERE "
     "1000000000 + table_oid * 64 + constraint_index = index_id LIMIT 1)) END"},
    // pgAdmin's dashboard and operators' "who is running what" (augur_stat_activity() is
    // registered in session_functions.cpp).
    {"pg_catalog",
     "CREATE VIEW pg_stat_activity AS SELECT NULL::BIGINT AS datid, "
     "current_database() AS datname, pid, NULL::INTEGER AS leader_pid, 10 AS usesysid, usename, "
     "application_name, client_addr, NULL::VARCHAR AS client_hostname, client_port, "
     "backend_start, NULL::TIMESTAMPTZ AS xact_start, query_start, query_start AS state_change, "
     "wait_event_type, wait_event, state, "
     "NULL::VARCHAR AS backend_xid, NULL::VARCHAR AS backend_xmin, NULL::BIGINT AS query_id, "
     "query, 'client backend' AS backend_type, "
     // augur's own, after PostgreSQL's columns: a running statement's progress (percent, by
     // DuckDB's estimate) and rows processed of the rows it expects.
     "progress, rows_processed, rows_total FROM augur_stat_activity()"},
    // psycopg 3 looks a server-side cursor up here before closing it (sql_cursors.cpp).
    {"pg_catalog",
     "CREATE VIEW pg_cursors AS SELECT name, statement, is_holdable, is_binary, is_scrollable, "
     "creation_time FROM augur_cursors()"},
    // Advisory locks and the writer turn's holder (augur_locks() is in lock_functions.cpp).
    {"pg_catalog",
     "CREATE VIEW pg_locks AS SELECT locktype, CASE WHEN locktype = 'advisory' THEN 1 END::BIGINT "
     "AS database, NULL::BIGINT AS relation, NULL::INTEGER AS page, NULL::SMALLINT AS tuple, "
     "NULL::VARCHAR AS virtualxid, NULL::VARCHAR AS transactionid, classid, objid, objsubid, "
     "NULL::VARCHAR AS virtualtransaction, pid, mode, granted, false AS fastpath, "
     "NULL::TIMESTAMPTZ AS waitstart FROM augur_locks()"},
    {"pg_catalog",
     "CREATE VIEW pg_auth_members AS SELECT NULL::INTEGER AS roleid, NULL::INTEGER AS member, "
     "NULL::INTEGER AS grantor, false AS admin_option WHERE false"},
};

// "CASE <operand> WHEN <DuckDB type id> THEN <PostgreSQL oid> ... ELSE 25 END": DuckDB's catalog
// identifies types by LogicalTypeId; the OIDs come from PgTypeFor, so the catalog and
// RowDescription always agree.
std::string PgOidCase(const std::string& operand) {
  using duckdb::LogicalType;
  const LogicalType types[] = {
      LogicalType::BOOLEAN,      LogicalType::TINYINT,      LogicalType::SMALLINT,
      LogicalType::INTEGER,      LogicalType::BIGINT,       LogicalType::DATE,
      LogicalType::TIME,         LogicalType::TIMESTAMP_S,  LogicalType::TIMESTAMP_MS,
      LogicalType::TIMESTAMP,    LogicalType::TIMESTAMP_NS, LogicalType::DECIMAL(18, 3),
      LogicalType::FLOAT,        LogicalType::DOUBLE,       LogicalType::VARCHAR,
      LogicalType::BLOB,         LogicalType::INTERVAL,     LogicalType::UTINYINT,
      LogicalType::USMALLINT,    LogicalType::UINTEGER,     LogicalType::UBIGINT,
      LogicalType::TIMESTAMP_TZ, LogicalType::TIME_TZ,      LogicalType::HUGEINT,
      LogicalType::UHUGEINT,     LogicalType::UUID,
  };
  std::string sql = "CASE " + operand;
  for (const LogicalType& type : types) {
    sql += " WHEN " + std::to_string(static_cast<int>(type.id())) + " THEN " +
           std::to_string(PgTypeFor(type).oid);
  }
  return sql + " WHEN -114 THEN 114 WHEN -3802 THEN 3802 ELSE 25 END";
}

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
    std::string sql = object.sql;
    size_t oid_at = sql.find("PG_OID_OF_DUCKDB_TYPE");
    if (oid_at != std::string::npos) {
      sql.replace(oid_at, std::strlen("PG_OID_OF_DUCKDB_TYPE"), PgOidCase("atttypid"));
    }
    // "FROM DUCKDB_ORIGINAL" extends DuckDB's own definition of the view being replaced.
    size_t original_at = sql.find("DUCKDB_ORIGINAL");
    if (original_at != std::string::npos) {
      auto original = OriginalViewSelect(connection, object.schema, ViewName(sql));
      if (!original) return std::move(original).error();
      std::string select = *original;
      // json and jsonb columns are VARCHARs by type id; their type names tell them apart.
      const std::string type_id = "data_type_id AS atttypid";
      if (size_t at = select.find(type_id); at != std::string::npos) {
        select.replace(at, type_id.size(),
                       "CASE data_type WHEN 'jsonb' THEN -3802 WHEN 'JSON' THEN -114 ELSE "
                       "data_type_id END AS atttypid");
      }
      sql.replace(original_at, std::strlen("DUCKDB_ORIGINAL"), "(" + select + ")");
    }
    Status installed = InstallCatalogSql(context, "PostgreSQL compatibility object", sql,
                                         object.sql, object.schema);
    if (!installed) return installed;
  }
  return {};
}

}  // namespace augur::engine
