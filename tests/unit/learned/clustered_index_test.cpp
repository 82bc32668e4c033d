// clustered_index_test.cpp: the clustered layout against a plain table of keys by row id.
//
// Each test keeps the "table" as a vector (row id -> key, or none for a NULL or deleted row),
// builds or feeds a ClusteredIndex, and checks that every key range's windows plus exceptions
// name exactly the rows a scan of the table finds, once each, and that windows stay tight.
#include "learned/clustered_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <set>

#include "learned/monotone_model.h"

namespace augur::learned {
namespace {

using Entry = ClusteredIndex::Entry;
using Table = std::vector<std::optional<uint64_t>>;

std::vector<Entry> SortedEntries(const Table& table) {
  std::vector<Entry> entries;
  for (uint64_t row = 0; row < table.size(); ++row) {
    if (table[row]) entries.emplace_back(*table[row], row);
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

// Row ids the index names for [lo, hi], after re-checking each window row's key as the engine's
// filter does; fails on a row named twice.
std::vector<uint64_t> Answer(const ClusteredIndex& index, const Table& table, uint64_t lo,
                             uint64_t hi) {
  std::vector<ClusteredIndex::Window> windows;
  std::vector<uint64_t> exceptions;
  index.Lookup(lo, hi, windows, exceptions);
  std::set<uint64_t> rows;
  for (const auto& w : windows) {
    EXPECT_LE(w.first, w.last);
    for (uint64_t row = w.first; row <= w.last && row < table.size(); ++row) {
      if (table[row] && *table[row] >= lo && *table[row] <= hi) rows.insert(row);
    }
  }
  std::set<uint64_t> in_windows = rows;
  for (uint64_t row : exceptions) {
    EXPECT_TRUE(row < table.size() && table[row] && *table[row] >= lo && *table[row] <= hi)
        << "exception row " << row << " is not in the range";
    rows.insert(row);
  }
  return {rows.begin(), rows.end()};
}

std::vector<uint64_t> Truth(const Table& table, uint64_t lo, uint64_t hi) {
  std::vector<uint64_t> rows;
  for (uint64_t row = 0; row < table.size(); ++row) {
    if (table[row] && *table[row] >= lo && *table[row] <= hi) rows.push_back(row);
  }
  return rows;
}

void CheckRanges(const ClusteredIndex& index, const Table& table, std::mt19937_64& rng,
                 uint64_t max_key, int queries) {
  for (int q = 0; q < queries; ++q) {
    uint64_t lo = rng() % (max_key + 10);
    uint64_t hi = q % 3 == 0 ? lo : lo + rng() % 200;
    ASSERT_EQ(Answer(index, table, lo, hi), Truth(table, lo, hi)) << "range " << lo << ".." << hi;
  }
  ASSERT_EQ(Answer(index, table, 0, UINT64_MAX), Truth(table, 0, UINT64_MAX));
}

// Keys rising with row ids in steps of 0-3 (duplicates included), some NULL.
Table OrderedTable(size_t rows, std::mt19937_64& rng) {
  Table table(rows);
  uint64_t key = 100;
  for (auto& slot : table) {
    key += rng() % 4;
    if (rng() % 50 != 0) slot = key;
  }
  return table;
}

// Checks LowerBoundY and UpperBoundY against the points themselves, at points and between them;
// at a point the lower bound must lie within `tight` of it.
void CheckBounds(const MonotoneModel& model,
                 const std::vector<std::pair<uint64_t, uint64_t>>& points, uint64_t tight,
                 std::mt19937_64& rng) {
  const uint64_t x = points.back().first;
  for (int q = 0; q < 20000; ++q) {
    uint64_t k = q % 2 ? points[rng() % points.size()].first : rng() % (x + 100);
    auto first = std::lower_bound(points.begin(), points.end(), std::make_pair(k, uint64_t{0}));
    auto lower = model.LowerBoundY(k);
    if (first == points.end()) {
      EXPECT_FALSE(lower);
    } else {
      ASSERT_TRUE(lower);
      ASSERT_LE(*lower, first->second) << "key " << k;
      // At a point the bound is tight; between points it may fall back towards the previous.
      if (first->first == k) {
        ASSERT_GE(*lower + tight, first->second) << "lower bound far from the point";
      }
    }
    auto after = std::upper_bound(points.begin(), points.end(), std::make_pair(k, UINT64_MAX));
    auto upper = model.UpperBoundY(k);
    if (after == points.begin()) {
      EXPECT_FALSE(upper);
    } else {
      ASSERT_TRUE(upper);
      ASSERT_GE(*upper, (after - 1)->second) << "key " << k;
      if (after[-1].first == k) {
        ASSERT_LE(*upper, after[-1].second + tight) << "upper bound far from the point";
      }
    }
  }
}

TEST(MonotoneModel, BoundsHoldBetweenAndAtPoints) {
  std::mt19937_64 rng(1);
  for (uint64_t epsilon : {1, 8, 32}) {
    MonotoneModel model(epsilon);
    std::vector<std::pair<uint64_t, uint64_t>> points;
    uint64_t x = 5, y = 0;
    auto add = [&](int n) {
      for (int i = 0; i < n; ++i) {
        x += 1 + rng() % (i % 1000 < 500 ? 3 : 1000);  // dense stretches and jumps
        y += rng() % 5 == 0 ? rng() % 100 : 1;
        points.emplace_back(x, y);
        model.Add(x, y);
      }
    };
    add(20000);
    CheckBounds(model, points, 2 * epsilon + 4, rng);
    EXPECT_LT(model.segments(), points.size() / 4) << "epsilon " << epsilon;
    // Measured errors are at most epsilon: the bounds stay as tight, and must still hold.
    model.Measure(points);
    CheckBounds(model, points, 2 * epsilon + 4, rng);
    // Points added after the measurement extend the last segment, whose line moves.
    add(3000);
    CheckBounds(model, points, 2 * epsilon + 4, rng);
  }
}

TEST(MonotoneModel, MeasuredErrorsNarrowTheBounds) {
  std::mt19937_64 rng(4);
  // A row every 2 ids, as an auto-increment key with a step: every line fits exactly.
  MonotoneModel exact(32);
  std::vector<std::pair<uint64_t, uint64_t>> points;
  for (uint64_t i = 0; i < 100000; ++i) {
    points.emplace_back(2 * i + 10, i);
    exact.Add(2 * i + 10, i);
  }
  exact.Measure(points);
  CheckBounds(exact, points, 0, rng);  // exact: the bounds are the points themselves
  // Jittered: y wanders up to 3 rows from a line; the bounds follow the real error.
  MonotoneModel jitter(32);
  points.clear();
  for (uint64_t i = 0; i < 100000; ++i) {
    points.emplace_back(3 * i + 1, 4 * i + rng() % 4);
    jitter.Add(points.back().first, points.back().second);
  }
  jitter.Measure(points);
  CheckBounds(jitter, points, 2 * 16 + 4, rng);
  // A point list that is not the model's: measuring falls back to epsilon, still correct.
  points.emplace_back(points.back().first + 7, points.back().second);
  jitter.Measure(points);
  points.pop_back();
  CheckBounds(jitter, points, 2 * 32 + 4, rng);
}

TEST(ClusteredIndex, OrderedTableHasNoExceptionsAndExactAnswers) {
  std::mt19937_64 rng(2);
  Table table = OrderedTable(50000, rng);
  auto entries = SortedEntries(table);
  auto index = ClusteredIndex::TryBuild(entries, {.epsilon = 8}, 0.01);
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->GetStats().exceptions, 0u);
  EXPECT_EQ(index->GetStats().chain_rows, entries.size());
  EXPECT_LT(index->GetStats().total_bytes, entries.size());  // < 1 byte per key
  CheckRanges(*index, table, rng, *table.back() + 5, 3000);
  // Windows are tight: a point lookup reads at most the key's rows plus a few epsilons.
  for (int q = 0; q < 1000; ++q) {
    uint64_t k = 100 + rng() % (*table.back() - 100);
    std::vector<ClusteredIndex::Window> windows;
    std::vector<uint64_t> exceptions;
    index->Lookup(k, k, windows, exceptions);
    size_t matches = Truth(table, k, k).size();
    size_t width = windows.empty() ? 0 : windows[0].last - windows[0].first + 1;
    EXPECT_LE(width, matches + 4 * 8 + 16) << "key " << k;
  }
}

TEST(ClusteredIndex, LinearKeysGivePointWindowsOfAFewRows) {
  // Ids 0, 2, 4, ... in row order (an auto-increment key with a step), then appends in order
  // and out of order: measured at build, a point lookup's window is the row alone (it was ~4 *
  // epsilon rows before the errors were measured).
  std::mt19937_64 rng(9);
  Table table(200000);
  for (uint64_t row = 0; row < table.size(); ++row) table[row] = 2 * row;
  auto index = ClusteredIndex::TryBuild(SortedEntries(table), {.epsilon = 32}, 0.01);
  ASSERT_NE(index, nullptr);
  for (int q = 0; q < 2000; ++q) {
    uint64_t k = rng() % (2 * table.size());
    std::vector<ClusteredIndex::Window> windows;
    std::vector<uint64_t> exceptions;
    index->Lookup(k, k, windows, exceptions);
    const bool present = k % 2 == 0 && k <= 2 * (table.size() - 1);
    if (present) {  // the row itself
      ASSERT_EQ(windows, (std::vector<ClusteredIndex::Window>{{k / 2, k / 2}})) << "key " << k;
    } else {  // nothing, or the two rows around the key
      ASSERT_LE(windows.size(), 1u) << "key " << k;
      if (!windows.empty()) {
        EXPECT_LE(windows[0].last - windows[0].first + 1, 2u) << "key " << k;
      }
    }
  }
  CheckRanges(*index, table, rng, 2 * table.size(), 2000);
  // Appends extend the last segment (its line moves: back to epsilon) or become exceptions.
  for (uint64_t i = 0; i < 5000; ++i) {
    const uint64_t key = i % 7 == 0 ? rng() % (2 * table.size()) : 2 * table.size() + 3 * i;
    table.push_back(key);
    index->Insert(key, table.size() - 1);
  }
  CheckRanges(*index, table, rng, 2 * table.size() + 3 * 5000, 3000);
}

TEST(ClusteredIndex, RowsOutOfOrderBecomeExceptions) {
  std::mt19937_64 rng(3);
  Table table = OrderedTable(50000, rng);
  // 0.4% of the rows get a random key: spikes, dips and runs of them.
  for (int i = 0; i < 200; ++i) table[rng() % table.size()] = rng() % 200000;
  for (int i = 0; i < 5; ++i) {
    size_t at = rng() % (table.size() - 10);
    for (size_t j = 0; j < 5; ++j) table[at + j] = 10'000'000 + j;
  }
  auto entries = SortedEntries(table);
  auto index = ClusteredIndex::TryBuild(entries, {.epsilon = 16}, 0.01);
  ASSERT_NE(index, nullptr);
  EXPECT_GT(index->GetStats().exceptions, 200u);
  EXPECT_LT(index->GetStats().exceptions, 500u);
  CheckRanges(*index, table, rng, 200000, 3000);
  CheckRanges(*index, table, rng, 10'000'010, 100);
}

TEST(ClusteredIndex, RandomOrderIsRefused) {
  std::mt19937_64 rng(4);
  Table table(10000);
  for (auto& slot : table) slot = rng() % 100000;
  auto entries = SortedEntries(table);
  EXPECT_EQ(ClusteredIndex::TryBuild(entries, {}, 0.01), nullptr);
  EXPECT_NE(ClusteredIndex::TryBuild(entries, {}, 1.0), nullptr);
}

TEST(ClusteredIndex, AppendsUpdatesDeletesAndReusedRowIds) {
  std::mt19937_64 rng(5);
  Table table = OrderedTable(20000, rng);
  auto index = ClusteredIndex::TryBuild(SortedEntries(table), {.epsilon = 4}, 0.01);
  ASSERT_NE(index, nullptr);
  uint64_t next_key = *table.back();
  for (int step = 0; step < 30000; ++step) {
    int what = static_cast<int>(rng() % 10);
    if (what < 5) {  // append in order (sometimes a duplicate of the last key)
      next_key += rng() % 3;
      table.push_back(next_key);
      index->Insert(next_key, table.size() - 1);
    } else if (what < 7) {  // append out of order
      uint64_t key = rng() % (next_key + 1000);
      table.push_back(key);
      index->Insert(key, table.size() - 1);
    } else if (what < 8) {  // update of the key: delete + append
      uint64_t row = rng() % table.size();
      if (!table[row]) continue;
      uint64_t key = rng() % (next_key + 10);
      index->Erase(*table[row], row);
      table[row].reset();
      table.push_back(key);
      index->Insert(key, table.size() - 1);
    } else if (what < 9) {  // delete
      uint64_t row = rng() % table.size();
      if (!table[row]) continue;
      index->Erase(*table[row], row);
      table[row].reset();
    } else {  // a reverted append: its rows are deleted, then their row ids reused
      size_t count = 1 + rng() % 20;
      size_t start = table.size();
      for (size_t i = 0; i < count; ++i) {
        next_key += 1;
        table.push_back(next_key);
        index->Insert(next_key, table.size() - 1);
      }
      for (size_t i = start; i < table.size(); ++i) index->Erase(*table[i], i);
      table.resize(start);
      next_key -= count + 5;  // the next rows may well be below what the chain saw
    }
    if (step % 3000 == 0) CheckRanges(*index, table, rng, next_key + 1000, 200);
  }
  CheckRanges(*index, table, rng, next_key + 1000, 2000);
  auto stats = index->GetStats();
  EXPECT_EQ(stats.chain_rows + stats.exceptions,
            static_cast<size_t>(std::count_if(table.begin(), table.end(),
                                              [](const auto& key) { return key.has_value(); })));
  EXPECT_GT(stats.exceptions, 0u);
}

TEST(ClusteredIndex, BuiltFromNothingThenAppended) {
  ClusteredIndex index({.epsilon = 8});
  Table table;
  std::mt19937_64 rng(6);
  CheckRanges(index, table, rng, 10, 10);
  for (uint64_t row = 0; row < 10000; ++row) {
    table.push_back(row / 3);
    index.Insert(row / 3, row);
  }
  EXPECT_EQ(index.GetStats().exceptions, 0u);
  CheckRanges(index, table, rng, 3500, 2000);
}

}  // namespace
}  // namespace augur::learned
