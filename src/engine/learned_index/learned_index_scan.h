// learned_index_scan.h: the LEARNED_INDEX_SCAN table function the optimizer puts in place of a
// seq_scan.
//
// Its bind data carries the lookup as expressions (constants or prepared-statement parameters),
// evaluated when the scan starts: one plan serves every execution of a prepared statement. The
// scan returns a superset of the matching rows, never fewer:
//   1. the rows the index names for the key ranges (LearnedBoundIndex::Plan): row-id windows of
//      the clustered layout and vectors crowded with candidates, read through DuckDB's table
//      scan a vector at a time, and the other row ids, fetched through DataTable::Fetch
//      (row_id_spans.h); both drop rows the transaction must not see (deleted, or committed
//      after its snapshot);
//   2. every row in the transaction's own uncommitted storage (usually few), which the index
//      does not hold.
// The optimizer keeps the full predicate in a filter above the scan, which removes the rest.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "duckdb/function/table/table_scan.hpp"
#include "duckdb/function/table_function.hpp"
#include "duckdb/planner/expression.hpp"
#include "engine/learned_index/bound_key_ranges.h"

namespace augur::engine::learned_index {

class LearnedBoundIndex;

struct LearnedIndexScanBindData final : duckdb::TableScanBindData {
  LearnedIndexScanBindData(duckdb::TableCatalogEntry& table, LearnedBoundIndex& index);

  LearnedBoundIndex& index;
  std::vector<BoundKeyUnion> conjuncts;  // all must hold
  // ORDER BY key [DESC] LIMIT n over an unfiltered scan: return the first n visible rows in key
  // order (plus ties and the transaction's own rows) instead of looking up key ranges. The TopN
  // above still sorts and cuts.
  struct OrderedLimit {
    uint64_t rows = 0;  // LIMIT + OFFSET
    bool descending = false;
  };
  std::optional<OrderedLimit> ordered_limit;
  // Rows the index predicted at plan time; nullopt when the bounds are parameters.
  std::optional<uint64_t> predicted_rows;

  duckdb::unique_ptr<duckdb::FunctionData> Copy() const override;
  bool Equals(const duckdb::FunctionData& other) const override;
};

struct LearnedIndexScanFunction {
  static constexpr const char* kName = "learned_index_scan";
  static duckdb::TableFunction Get();
};

}  // namespace augur::engine::learned_index
