// pg_insert_columns.h: INSERT INTO t VALUES (...) with fewer values than t has columns, which
// PostgreSQL fills with the remaining columns' defaults and DuckDB refuses.
#pragma once

namespace duckdb {
class Connection;
class SQLStatement;
}  // namespace duckdb

namespace augur::engine {

// Gives such an INSERT the column list PostgreSQL implies: the table's first n columns.
void ApplyInsertColumns(duckdb::SQLStatement& statement, duckdb::Connection& connection);

}  // namespace augur::engine
