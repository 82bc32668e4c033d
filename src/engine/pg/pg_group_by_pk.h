// pg_group_by_pk.h: GROUP BY a primary key with the table's other columns selected, as
// PostgreSQL allows (pg_group_by_pk.cpp).
#pragma once

namespace duckdb {
class Connection;
class SQLStatement;
}  // namespace duckdb

namespace augur::engine {

// Wraps the functionally dependent columns of a query grouped by primary keys in any_value().
void ApplyGroupByPrimaryKey(duckdb::SQLStatement& statement, duckdb::Connection& connection);

}  // namespace augur::engine
