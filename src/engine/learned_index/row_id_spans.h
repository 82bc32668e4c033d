// row_id_spans.h: how learned_index_scan reads the rows an index names, a vector at a time.
//
// An index answers with row-id windows (the clustered layout) and single row ids (the entries
// layout, and exceptions). Windows are read through DuckDB's table scan, which starts at the
// vector holding a window's first row: a window is widened to that vector's start; a window of
// fewer than kSmallWindowRows rows is fetched row by row instead, as single row ids. Single row ids
// that crowd one vector (at least kDenseVectorRows of its 2048 rows) are read the same way, since
// one vector of a scan costs about what fetching a few rows one by one does. The rest are fetched
// by row id, in ascending order. Spans and singles never share a row, so no row is read twice;
// spans may hold rows the index did not name, and the plan's filter drops them.
#pragma once

#include <cstdint>
#include <vector>

#include "learned/clustered_index.h"

namespace augur::engine::learned_index {

struct RowIdSpans {
  struct Span {
    uint64_t begin = 0, end = 0;  // row ids begin..end-1
    bool operator==(const Span&) const = default;
  };
  std::vector<Span> spans;        // ascending, disjoint, not adjacent
  std::vector<uint64_t> singles;  // ascending, none inside a span
  static constexpr uint64_t kDenseVectorRows = 16;
  static constexpr uint64_t kSmallWindowRows = 16;

  // `windows` in any order (may overlap), `row_ids` ascending; rows at or past `table_rows` do
  // not exist and are dropped. `vector_size` is the table's vector size, by which scans align.
  static RowIdSpans Make(const std::vector<learned::ClusteredIndex::Window>& windows,
                         const std::vector<uint64_t>& row_ids, uint64_t table_rows,
                         uint64_t vector_size);
};

}  // namespace augur::engine::learned_index
