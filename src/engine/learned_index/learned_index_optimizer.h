// learned_index_optimizer.h: the planner rule that puts LEARNED indexes to work.
//
// Runs after DuckDB's own optimizers (filters are pushed into scans by then). For a seq_scan of
// a table with a LEARNED index on column c, it collects the conjuncts that bound c (from the
// scan's pushed-down table filters and from a filter directly above it): c = v, c IN (...),
// c < v, c <= v, c > v, c >= v, BETWEEN, and OR of these, where v is a constant or a parameter.
// When they select few enough rows it swaps the scan for learned_index_scan and lifts the
// pushed-down filters into a filter above it, so every predicate is still checked exactly.
// It also serves ORDER BY c [DESC] LIMIT n over an unfiltered scan of a column without NULLs:
// the scan then returns the first n rows in key order, and the TopN above sorts just those.
#pragma once

#include "duckdb/optimizer/optimizer_extension.hpp"

namespace augur::engine::learned_index {

class LearnedIndexOptimizer final : public duckdb::OptimizerExtension {
 public:
  LearnedIndexOptimizer();

  // The index is used when it predicts at most this many rows, or this share of the table,
  // whichever is larger: fetching by row id costs far more per row than a sequential scan
  // (see docs/LEARNED_INDEX.md for the measurement behind these).
  static constexpr uint64_t kAlwaysCheapRows = 2048;
  static constexpr double kMaxTableShare = 0.02;
  // The same for an index with the clustered layout, whose windows are read like a scan (one
  // thread, though, where DuckDB's own scan runs on every core).
  static constexpr double kMaxClusteredTableShare = 0.1;
};

}  // namespace augur::engine::learned_index
