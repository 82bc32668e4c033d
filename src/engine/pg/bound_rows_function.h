// bound_rows_function.h: the frame of augur's small system table functions (augur_api_tokens(),
// augur_stat_activity(), augur_indexes(), augur_cursors(), augur_locks(),
// pg_listening_channels()): their rows are made whole when the call is bound, from state that
// may change under them, and the scan hands them out a vector at a time.
#pragma once

#include <vector>

#include "duckdb/function/table_function.hpp"

namespace augur::engine {

// The rows a bind made.
template <typename Row>
struct BoundRows : duckdb::TableFunctionData {
  std::vector<Row> rows;
};

// How far the scan has come.
struct BoundRowsScan : duckdb::GlobalTableFunctionState {
  size_t next = 0;
};

// The init_global callback of such a function.
inline duckdb::unique_ptr<duckdb::GlobalTableFunctionState> InitBoundRowsScan(
    duckdb::ClientContext&, duckdb::TableFunctionInitInput&) {
  return duckdb::make_uniq<BoundRowsScan>();
}

// The body of the scan callback: write(row, index) puts each next row (of the bind data `Bind`,
// a BoundRows) into the output chunk at `index`, at most a vector's worth per call.
template <typename Bind, typename Write>
void ScanBoundRows(duckdb::TableFunctionInput& input, duckdb::DataChunk& output, Write write) {
  auto& rows = input.bind_data->Cast<Bind>().rows;
  auto& scan = input.global_state->Cast<BoundRowsScan>();
  duckdb::idx_t count = 0;
  for (; scan.next < rows.size() && count < STANDARD_VECTOR_SIZE; ++scan.next, ++count) {
    write(rows[scan.next], count);
  }
  output.SetCardinality(count);
}

}  // namespace augur::engine
