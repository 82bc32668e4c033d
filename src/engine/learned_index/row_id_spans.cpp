// row_id_spans.cpp: see row_id_spans.h.
#include "engine/learned_index/row_id_spans.h"

#include <algorithm>
#include <iterator>

namespace augur::engine::learned_index {

RowIdSpans RowIdSpans::Make(const std::vector<learned::ClusteredIndex::Window>& windows,
                            const std::vector<uint64_t>& named_row_ids, uint64_t table_rows,
                            uint64_t vector_size) {
  RowIdSpans out;
  std::vector<Span> spans;
  std::vector<uint64_t> small_window_rows;
  for (const auto& w : windows) {
    if (w.first >= table_rows || w.first > w.last) continue;  // no such rows (a reverted append)
    const uint64_t last = std::min(w.last, table_rows - 1);
    if (last - w.first + 1 < kSmallWindowRows) {
      for (uint64_t row = w.first; row <= last; ++row) small_window_rows.push_back(row);
    } else {
      spans.push_back({w.first - w.first % vector_size, last + 1});
    }
  }
  // A few rows of a window are fetched by row id with the others (a point lookup on the
  // clustered layout: its window is the row and a margin of a row or two).
  std::vector<uint64_t> merged;
  if (!small_window_rows.empty()) {
    std::sort(small_window_rows.begin(), small_window_rows.end());
    std::merge(small_window_rows.begin(), small_window_rows.end(), named_row_ids.begin(),
               named_row_ids.end(), std::back_inserter(merged));
    merged.erase(std::unique(merged.begin(), merged.end()), merged.end());
  }
  const std::vector<uint64_t>& row_ids = small_window_rows.empty() ? named_row_ids : merged;
  // Vectors crowded with single row ids.
  for (size_t i = 0; i < row_ids.size();) {
    uint64_t vector = row_ids[i] / vector_size;
    size_t j = i;
    while (j < row_ids.size() && row_ids[j] / vector_size == vector) ++j;
    if (j - i >= kDenseVectorRows && row_ids[i] < table_rows) {
      spans.push_back({vector * vector_size, std::min(table_rows, (vector + 1) * vector_size)});
    }
    i = j;
  }
  std::sort(spans.begin(), spans.end(),
            [](const Span& a, const Span& b) { return a.begin < b.begin; });
  for (const Span& span : spans) {
    if (!out.spans.empty() && span.begin <= out.spans.back().end) {
      out.spans.back().end = std::max(out.spans.back().end, span.end);
    } else {
      out.spans.push_back(span);
    }
  }
  // Singles outside every span: one pass, both ascending.
  size_t s = 0;
  for (uint64_t row : row_ids) {
    if (row >= table_rows) break;
    while (s < out.spans.size() && out.spans[s].end <= row) ++s;
    if (s < out.spans.size() && out.spans[s].begin <= row) continue;
    out.singles.push_back(row);
  }
  return out;
}

}  // namespace augur::engine::learned_index
