// row_id_spans_test.cpp: how learned_index_scan splits an index's answer into spans read by a
// table scan and rows fetched one by one: every named row exactly once, spans aligned to vectors.
#include "engine/learned_index/row_id_spans.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

namespace augur::engine::learned_index {
namespace {

using Window = learned::ClusteredIndex::Window;
using Span = RowIdSpans::Span;

TEST(RowIdSpans, WindowsStartAtTheirVectorAndStopAtTheTableEnd) {
  auto out = RowIdSpans::Make({{5000, 5100}, {9000, 20000}}, {}, 10000, 2048);
  EXPECT_EQ(out.spans, (std::vector<Span>{{4096, 5101}, {8192, 10000}}));
  EXPECT_TRUE(RowIdSpans::Make({{10000, 10005}}, {}, 10000, 2048).spans.empty());
  EXPECT_TRUE(RowIdSpans::Make({{0, 5}}, {}, 0, 2048).spans.empty());
  EXPECT_TRUE(RowIdSpans::Make({{10000, 10005}}, {}, 10000, 2048).singles.empty());
}

TEST(RowIdSpans, SmallWindowsAreFetchedRowByRow) {
  // A point lookup's window of a few rows, one cut by the table's end, one overlapping a named
  // row, and one just long enough to be scanned.
  auto out =
      RowIdSpans::Make({{5000, 5002}, {9998, 10005}, {7000, 7000 + 15}}, {5001, 6000}, 10000, 2048);
  EXPECT_EQ(out.spans, (std::vector<Span>{{6144, 7016}}));
  EXPECT_EQ(out.singles, (std::vector<uint64_t>{5000, 5001, 5002, 6000, 9998, 9999}));
}

TEST(RowIdSpans, OverlappingAndAdjacentWindowsMerge) {
  auto out = RowIdSpans::Make({{3000, 4000}, {100, 2100}, {4001, 4100}}, {}, 100000, 2048);
  EXPECT_EQ(out.spans, (std::vector<Span>{{0, 4101}}));
}

TEST(RowIdSpans, CrowdedVectorsAreScannedAndRowsInsideSpansNotFetched) {
  std::vector<uint64_t> rows;
  for (uint64_t r = 2048; r < 2048 + RowIdSpans::kDenseVectorRows; ++r) rows.push_back(r);
  rows.push_back(7000);   // alone in its vector
  rows.push_back(9000);   // inside the window below
  rows.push_back(50000);  // past the table's end
  auto out = RowIdSpans::Make({{8500, 9100}}, rows, 20000, 2048);
  EXPECT_EQ(out.spans, (std::vector<Span>{{2048, 4096}, {8192, 9101}}));
  EXPECT_EQ(out.singles, (std::vector<uint64_t>{7000}));
}

TEST(RowIdSpans, EveryNamedRowIsCoveredExactlyOnce) {
  std::mt19937_64 rng(3);
  for (int round = 0; round < 300; ++round) {
    const uint64_t table_rows = 1 + rng() % 50000;
    std::vector<Window> windows;
    for (int i = rng() % 4; i > 0; --i) {
      uint64_t first = rng() % 60000;
      windows.push_back({first, first + (rng() % 2 ? rng() % 5000 : rng() % 20)});
    }
    std::set<uint64_t> named;
    for (int i = rng() % 400; i > 0; --i) named.insert(rng() % 60000);
    std::vector<uint64_t> rows(named.begin(), named.end());
    auto out = RowIdSpans::Make(windows, rows, table_rows, 2048);
    auto in_span = [&](uint64_t row) {
      int hits = 0;
      for (const auto& s : out.spans) hits += s.begin <= row && row < s.end;
      return hits;
    };
    for (size_t i = 1; i < out.spans.size(); ++i) {
      ASSERT_LT(out.spans[i - 1].end, out.spans[i].begin);
    }
    for (const auto& s : out.spans) ASSERT_TRUE(s.end <= table_rows && s.begin % 2048 == 0);
    for (uint64_t row : rows) {
      if (row >= table_rows) continue;
      int covered =
          in_span(row) + static_cast<int>(std::count(out.singles.begin(), out.singles.end(), row));
      ASSERT_EQ(covered, 1) << row;
    }
    for (const auto& w : windows) {
      for (uint64_t row = w.first; row <= w.last && row < table_rows; ++row) {
        int covered = in_span(row) +
                      static_cast<int>(std::count(out.singles.begin(), out.singles.end(), row));
        ASSERT_EQ(covered, 1) << row;
      }
    }
    ASSERT_TRUE(std::is_sorted(out.singles.begin(), out.singles.end()));
    ASSERT_EQ(std::adjacent_find(out.singles.begin(), out.singles.end()), out.singles.end());
  }
}

}  // namespace
}  // namespace augur::engine::learned_index
