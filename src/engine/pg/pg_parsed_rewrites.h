// pg_parsed_rewrites.h: queries PostgreSQL accepts and DuckDB's binder refuses, rewritten on
// the parsed statement with what the catalog says about its tables. Split and Prepare apply
// them to every statement, after the text rewrites of pg_rewrite.h.
#pragma once

namespace duckdb {
class Connection;
class SQLStatement;
}  // namespace duckdb

namespace augur::engine {

// GROUP BY a primary key with the table's other columns selected, as PostgreSQL allows: wraps
// the functionally dependent columns in any_value() (pg_group_by_pk.cpp).
void ApplyGroupByPrimaryKey(duckdb::SQLStatement& statement, duckdb::Connection& connection);

// INSERT INTO t VALUES (...) with fewer values than t has columns, which PostgreSQL fills with
// the remaining columns' defaults: gives it the column list PostgreSQL implies, the table's
// first n columns (pg_insert_columns.cpp).
void ApplyInsertColumns(duckdb::SQLStatement& statement, duckdb::Connection& connection);

}  // namespace augur::engine
