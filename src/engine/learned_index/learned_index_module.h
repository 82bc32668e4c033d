// learned_index_module.h: wiring the LEARNED index type into a DuckDB database.
//
// DuckDB copies only some options from the DBConfig it is opened with (not index types or
// optimizer extensions), so everything here runs on the open database, before it serves anyone.
// Until then, LEARNED indexes read from the checkpoint or the WAL stay unbound: DuckDB buffers
// the WAL's changes for them, and RebuildLearnedIndexes binds and rebuilds them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "augur/result.h"
#include "duckdb/main/config.hpp"
#include "duckdb/main/connection.hpp"

namespace augur::engine {

// The index type (CREATE INDEX ... USING LEARNED) and the planner rule.
// `primary_keys_default` is the default of the session setting augur_learned_primary_keys.
void RegisterLearnedIndex(duckdb::DatabaseInstance& db, bool primary_keys_default);

// When the session has augur_learned_primary_keys on and `statement` is a CREATE TABLE with a
// one-column PRIMARY KEY of a type LEARNED supports: the CREATE INDEX that gives the key a
// LEARNED index (ART still enforces it). nullopt otherwise.
std::optional<std::string> LearnedPrimaryKeyIndexSql(duckdb::ClientContext& context,
                                                     const duckdb::SQLStatement& statement);

// augur_indexes(): one row per LEARNED index with its model and size figures.
Status InstallLearnedIndexFunctions(duckdb::Connection& connection);

struct RebuildReport {
  int64_t indexes = 0;
  int64_t keys = 0;
  double seconds = 0;
};

// Rebuilds every LEARNED index from its table (they are not stored; see learned_bound_index.h).
// Call with no other connection active.
Result<RebuildReport> RebuildLearnedIndexes(duckdb::Connection& connection);

}  // namespace augur::engine
