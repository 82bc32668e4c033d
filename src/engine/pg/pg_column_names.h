// pg_column_names.h: output column names as PostgreSQL chooses them.
//
// An unaliased expression is named by PostgreSQL's FigureColname rules ("?column?" for
// `SELECT 1`, "count" for `count(*)`, "int4" for `1::int`), where DuckDB uses the expression's
// text ("1", "count_star()", "CAST(1 AS INTEGER)"). Drivers key rows by these names (psycopg's
// dict rows, pgjdbc's getInt("count")), and psql prints them as headers.
#pragma once

namespace duckdb {
class SQLStatement;
}

namespace augur::engine {

// Gives each unaliased expression in the statement's top-level select list its PostgreSQL name.
// Leaves column references and star expressions alone: DuckDB already names them alike.
void ApplyPgColumnNames(duckdb::SQLStatement& statement);

}  // namespace augur::engine
