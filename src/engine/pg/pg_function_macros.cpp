// pg_function_macros.cpp: see pg_function_macros.h.
#include "engine/pg/pg_function_macros.h"

#include "duckdb/main/client_context.hpp"
#include "duckdb/main/connection.hpp"
#include "duckdb/parser/parsed_data/create_function_info.hpp"
#include "duckdb/parser/parser.hpp"
#include "duckdb/parser/statement/create_statement.hpp"
#include "engine/pg/error_translate.h"
#include "engine/pg/system_catalog.h"

namespace augur::engine {
namespace {

struct FunctionMacro {
  const char* schema;  // of the system catalog: "main", or "pg_catalog" to replace DuckDB's there
  const char* sql;     // CREATE MACRO text; the schema in it is ignored
};

// The results are PostgreSQL 15's for the same arguments (tests/compat/corpus). Each macro
// names what it answers differently from DuckDB, or that DuckDB lacks it.
constexpr FunctionMacro kMacros[] = {
    // pg_typeof: PostgreSQL's type names (DuckDB's is lower(typeof(x)): "varchar", "hugeint").
    {"main",
     "CREATE MACRO augur_pg_scalar_type_name(t) AS CASE WHEN t LIKE 'DECIMAL(%' THEN 'numeric' "
     "ELSE coalesce(CASE t WHEN 'BOOLEAN' THEN 'boolean' WHEN 'TINYINT' THEN 'smallint' "
     "WHEN 'SMALLINT' THEN 'smallint' WHEN 'INTEGER' THEN 'integer' WHEN 'BIGINT' THEN 'bigint' "
     "WHEN 'HUGEINT' THEN 'numeric' WHEN 'UBIGINT' THEN 'numeric' WHEN 'UHUGEINT' THEN 'numeric' "
     "WHEN 'UTINYINT' THEN 'smallint' WHEN 'USMALLINT' THEN 'integer' WHEN 'UINTEGER' THEN "
     "'bigint' WHEN 'FLOAT' THEN 'real' WHEN 'DOUBLE' THEN 'double precision' "
     "WHEN 'VARCHAR' THEN 'text' WHEN 'BLOB' THEN 'bytea' WHEN 'DATE' THEN 'date' "
     "WHEN 'TIME' THEN 'time without time zone' WHEN 'TIME WITH TIME ZONE' THEN "
     "'time with time zone' WHEN 'TIMESTAMP' THEN 'timestamp without time zone' "
     "WHEN 'TIMESTAMP_S' THEN 'timestamp without time zone' "
     "WHEN 'TIMESTAMP_MS' THEN 'timestamp without time zone' "
     "WHEN 'TIMESTAMP_NS' THEN 'timestamp without time zone' "
     "WHEN 'TIMESTAMP WITH TIME ZONE' THEN 'timestamp with time zone' "
     "WHEN 'INTERVAL' THEN 'interval' WHEN 'UUID' THEN 'uuid' WHEN 'JSON' THEN 'json' "
     "WHEN '\"NULL\"' THEN 'unknown' END, lower(t)) END"},
    {"main",
     "CREATE MACRO augur_pg_type_name(t) AS CASE WHEN t LIKE '%[]' THEN "
     "augur_pg_scalar_type_name(left(t, length(t) - 2)) || '[]' "
     "ELSE augur_pg_scalar_type_name(t) END"},
    {"pg_catalog", "CREATE MACRO pg_typeof(expression) AS augur_pg_type_name(typeof(expression))"},
    // 'name'::regclass as a whole select-list item: the name, once the oid is found (pg_rewrite).
    {"pg_catalog",
     "CREATE MACRO augur_regclass_name(relation_oid, display) AS CASE WHEN relation_oid IS NOT "
     "NULL THEN display END"},
    // Missing in DuckDB: the SQL-standard name of bool_and.
    {"main", "CREATE MACRO every(x) AS bool_and(x)"},
    // EXTRACT(field FROM x), numeric as in PostgreSQL 14+ (pg_extract.h).
    {"main", "CREATE MACRO pg_extract_field(f, x) AS CAST(date_part(f, x) AS DECIMAL(38,0))"},
    {"main",
     "CREATE MACRO pg_extract_seconds(x) AS pg_numeric_micros(date_part('microseconds', x), 6)"},
    {"main",
     "CREATE MACRO pg_extract_milliseconds(x) AS "
     "pg_numeric_micros(date_part('microseconds', x), 3)"},
    // Missing in DuckDB: btrim trims spaces (or the given characters) from both ends.
    {"main", "CREATE MACRO btrim(s, characters := ' ') AS trim(s, characters)"},
    // Missing in DuckDB: the first letter of each run of letters and digits upper-case, the
    // rest lower-case.
    {"main",
     "CREATE MACRO initcap(s) AS CASE WHEN s = '' THEN s ELSE "
     "array_to_string(list_transform(range(1, length(s::VARCHAR) + 1), "
     "i -> CASE WHEN i = 1 OR NOT regexp_matches(substr(s, i - 1, 1), '^[\\pL\\pN]$') "
     "THEN upper(substr(s, i, 1)) ELSE lower(substr(s, i, 1)) END), '') END"},
    // Missing in DuckDB: a string literal for the text, E'...' when it has a backslash.
    {"main",
     "CREATE MACRO quote_literal(value) AS CASE WHEN contains(value::VARCHAR, chr(92)) THEN "
     "'E''' || replace(replace(value::VARCHAR, chr(92), chr(92) || chr(92)), '''', '''''') || "
     "'''' ELSE '''' || replace(value::VARCHAR, '''', '''''') || '''' END"},
    {"main", "CREATE MACRO quote_nullable(value) AS coalesce(quote_literal(value), 'NULL')"},
    // Missing in DuckDB: the integer quotient of numerics, truncated toward zero.
    {"main",
     "CREATE MACRO div(a, b) AS CAST(trunc(a::DECIMAL(38,10) / b::DECIMAL(38,10)) AS "
     "DECIMAL(38,0))"},
    // Missing in DuckDB; callers name the parts (make_interval(days => 10)).
    {"main",
     "CREATE MACRO make_interval(years := 0, months := 0, weeks := 0, days := 0, hours := 0, "
     "mins := 0, secs := 0) AS to_months(CAST(years * 12 + months AS INTEGER)) + "
     "to_days(CAST(weeks * 7 + days AS INTEGER)) + to_hours(CAST(hours AS BIGINT)) + "
     "to_minutes(CAST(mins AS BIGINT)) + "
     "to_microseconds(CAST(round(secs::DOUBLE * 1000000) AS BIGINT))"},
    // An argument of a jsonb constructor as a JSON value (pg_jsonb_rewrite.cpp): a jsonb value
    // is embedded, anything else converted as DuckDB's to_json converts it.
    {"main",
     "CREATE MACRO augur_json_value(x) AS CASE WHEN typeof(x) = 'jsonb' THEN CAST(x AS JSON) "
     "ELSE to_json(x) END"},
    // DuckDB's time_bucket with an origin bins as date_bin does.
    {"main",
     "CREATE MACRO date_bin(stride, source, origin) AS time_bucket(stride, source, origin)"},
    // PostgreSQL's array functions DuckDB lacks. NULL elements match a NULL search value, as in
    // PostgreSQL (IS NOT DISTINCT FROM).
    {"main",
     "CREATE MACRO array_replace(arr, search, replacement) AS list_transform(arr, augur_e -> "
     "CASE WHEN augur_e IS NOT DISTINCT FROM search THEN replacement ELSE augur_e END)"},
    {"main",
     "CREATE MACRO array_positions(arr, search) AS CASE WHEN arr IS NOT NULL THEN "
     "CAST(list_filter(range(1, len(arr) + 1), augur_i -> arr[augur_i] IS NOT DISTINCT FROM "
     "search) AS INTEGER[]) END"},
    // array_to_string's third argument stands for NULL elements (PostgreSQL skips them without).
    {"main",
     "CREATE MACRO array_to_string(arr, sep) AS list_aggr(CAST(arr AS VARCHAR[]), 'string_agg', "
     "sep), (arr, sep, null_string) AS list_aggr(list_transform(CAST(arr AS VARCHAR[]), augur_e "
     "-> coalesce(augur_e, null_string)), 'string_agg', sep)"},
    // substring(s FROM 'pattern'), as pg_value_rewrite.cpp writes it: `g` is 1 when the pattern
    // has a capture group (PostgreSQL returns the first group's match), else 0.
    {"main",
     "CREATE MACRO augur_regex_substring(s, pattern, g) AS CASE WHEN regexp_matches(s, pattern) "
     "THEN regexp_extract(s, pattern, g) END"},
    // The jsonb set-returning functions' select-list forms: lists that pg_value_rewrite.cpp
    // unnests. Keys come in jsonb's order, because the value is jsonb first.
    {"main", "CREATE MACRO jsonb_object_keys(j) AS json_keys(CAST(CAST(j AS jsonb) AS JSON))"},
    {"main",
     "CREATE MACRO jsonb_array_elements(j) AS list_transform(json_extract(CAST(CAST(j AS jsonb) "
     "AS JSON), '$[*]'), augur_e -> CAST(augur_e AS jsonb))"},
    {"main",
     "CREATE MACRO jsonb_array_elements_text(j) AS list_transform(json_extract(CAST(CAST(j AS "
     "jsonb) AS JSON), '$[*]'), augur_e -> CASE WHEN json_type(augur_e) IN ('OBJECT', 'ARRAY') "
     "THEN CAST(CAST(augur_e AS jsonb) AS VARCHAR) ELSE augur_e ->> '$' END)"},
};

}  // namespace

Status InstallPgFunctionMacros(duckdb::Connection& connection) {
  auto& context = *connection.context;
  for (const FunctionMacro& macro : kMacros) {
    try {
      duckdb::Parser parser;
      parser.ParseQuery(macro.sql);
      auto& create = parser.statements[0]->Cast<duckdb::CreateStatement>();
      auto info = std::move(create.info);
      context.RunFunctionInTransaction([&] {
        ReplaceSystemFunction(context, info->Cast<duckdb::CreateFunctionInfo>(), macro.schema);
      });
    } catch (const std::exception& ex) {
      Error error = TranslateException(ex, macro.sql);
      error.message = "installing PostgreSQL function macro failed: " + error.message;
      return error;
    }
  }
  return {};
}

}  // namespace augur::engine
