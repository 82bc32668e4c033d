// constant_select.h: `SELECT 1`, `SELECT 'a' AS x, 2`: a select list of literals and no FROM,
// answered without DuckDB's binder, planner and executor.
//
// Connection pools and drivers send such statements to check a connection (pgbench's
// `SELECT 1`, HikariCP's connectionTestQuery); through DuckDB each costs a transaction and a
// plan. A prepared one is answered from its literals, cast to the types DuckDB prepared it as
// (so names, types and values are the planner path's); whatever else the statement holds
// (a WHERE, a function, a parameter, a modifier) is not this shape and goes to the planner.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "duckdb/common/types/value.hpp"
#include "duckdb/common/vector.hpp"
#include "duckdb/main/query_result.hpp"

namespace duckdb {
class ClientContext;
class SQLStatement;
}  // namespace duckdb

namespace augur::engine::fast_path {

struct ConstantSelect {
  duckdb::vector<duckdb::Value> values;  // the select list's literals, in order
};

// The shape of `statement`, or nullopt when it is anything else.
std::optional<ConstantSelect> RecognizeConstantSelect(const duckdb::SQLStatement& statement);

// Its one row with the prepared statement's `names` and `types`, or nullopt when a literal
// does not cast to its column's type (then the planner answers, error and all).
std::optional<std::unique_ptr<duckdb::QueryResult>> AnswerConstantSelect(
    duckdb::ClientContext& context, const ConstantSelect& select,
    const duckdb::vector<std::string>& names, const duckdb::vector<duckdb::LogicalType>& types);

}  // namespace augur::engine::fast_path
