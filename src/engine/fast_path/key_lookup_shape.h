// key_lookup_shape.h: recognising a statement the fast path may run, from its parse tree alone.
//
// The fast path (key_lookup.h) answers `SELECT <columns of t, or *> FROM t WHERE <col> = <key>`
// without DuckDB's binder, optimizer and planner. Whether a statement has that shape is decided
// once, when it is described (statement_description.h); whether <col> is a key, what the table
// and its columns are, is worked out at execution, inside the statement's transaction
// (key_lookup.cpp). Anything else, down to a qualifier the recogniser does not expect, is not a
// shape and runs through the planner.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "duckdb/common/types/value.hpp"

namespace duckdb {
class SQLStatement;
}

namespace augur::engine::fast_path {

struct KeyLookupShape {
  // The table as written: catalog and schema may be empty (then the search_path decides).
  std::string catalog, schema, table;
  // The select list, in order: one column name per output column, or `star` for `*`.
  struct Output {
    std::string column;  // as written (DuckDB's column lookup ignores case)
    std::string name;    // the result column's name: its alias, else the column as written
  };
  bool star = false;
  std::vector<Output> outputs;
  std::string key_column;
  // The key: parameter $n (1-based) of a prepared statement, or a literal of a simple query.
  int parameter = 0;
  duckdb::Value literal;
  // EXPLAIN (not ANALYZE) of the shape: the plan mentions the fast path.
  bool explain = false;
};

// The shape of `statement`, or nullopt when it is anything else.
std::optional<KeyLookupShape> RecognizeKeyLookup(const duckdb::SQLStatement& statement);

}  // namespace augur::engine::fast_path
