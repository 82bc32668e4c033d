// key_lookup.h: the fast path's key lookup, run without DuckDB's binder, optimizer and planner.
//
// A prepared `SELECT ... FROM t WHERE id = $1` is bound, optimized and planned again by DuckDB
// 1.4 on every execution (filter pushdown invalidates the parameter), some 200 µs for a probe of
// a few hundred nanoseconds. A KeyLookup answers such a statement itself: inside the session's
// DuckDB transaction it finds the table through the catalog (so the search_path, the
// transaction's own DDL and visibility apply), probes the key's index (a one-column
// PRIMARY KEY/UNIQUE ART, or a LEARNED index), fetches the candidate rows through
// DataTable::Fetch (which applies the transaction's snapshot, its own updates and deletes),
// scans the transaction's uncommitted inserts, and keeps the rows whose key equals the value.
// That is what DuckDB's index scan does (function/table/table_scan.cpp), minus the plan.
//
// What it resolves (the table's entry, column positions, which index) is kept with the
// statement and reused while the table's entry and its catalog's version (DuckDB bumps it on
// every DDL, per transaction for uncommitted DDL) stay the same. When anything does not fit
// (no such table, a view, a generated column, no index on the key, a key value of another type
// than the column's), Run answers nullopt and the statement goes to the planner.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "duckdb/common/types/value.hpp"
#include "duckdb/main/query_result.hpp"
#include "engine/fast_path/key_lookup_shape.h"

namespace duckdb {
class ClientContext;
}

namespace augur::engine::fast_path {

class KeyLookup {
 public:
  explicit KeyLookup(KeyLookupShape shape);
  ~KeyLookup();
  const KeyLookupShape& shape() const { return shape_; }

  // The rows for `key`, as DuckDB's planner would give them (names, types, values), or nullopt
  // when the planner must run the statement instead. Begins and commits a transaction when the
  // session has none (autocommit), as DuckDB does for a statement. Not thread-safe: a statement
  // runs on one session at a time.
  // With `expected_names`/`expected_types` (what DuckDB prepared the statement as), a result
  // of other names or types answers nullopt too: the client was told those in RowDescription.
  std::optional<std::unique_ptr<duckdb::QueryResult>> Run(
      duckdb::ClientContext& context, const duckdb::Value& key,
      const duckdb::vector<std::string>* expected_names = nullptr,
      const duckdb::vector<duckdb::LogicalType>* expected_types = nullptr);

  // "key lookup on t(id) via ART" when the fast path would run the statement now, else nullopt
  // (for EXPLAIN).
  std::optional<std::string> Describe(duckdb::ClientContext& context);

  // What Resolve worked out (key_lookup.cpp).
  struct Resolved;

 private:
  // Resolves the statement against the catalog as `context`'s transaction sees it, reusing the
  // last resolution when nothing changed. Null when the fast path does not apply.
  const Resolved* Resolve(duckdb::ClientContext& context);

  KeyLookupShape shape_;
  std::unique_ptr<Resolved> resolved_;
};

}  // namespace augur::engine::fast_path
