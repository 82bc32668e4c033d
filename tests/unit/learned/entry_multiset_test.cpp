// entry_multiset_test.cpp: EntryMultiset holds what std::multiset holds, in the same order,
// through random inserts and erases, skewed insert orders that split one block over and over,
// heavy duplicates, copies and swaps.
#include "learned/entry_multiset.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <random>
#include <set>
#include <vector>

namespace augur::learned {
namespace {

using Entry = EntryMultiset::Entry;

// Every observable of `set` against `expected`: size, both iteration orders, and lower_bound,
// find, count and Distance for each entry present and for probes around them.
void ExpectSame(const EntryMultiset& set, const std::multiset<Entry>& expected) {
  ASSERT_EQ(set.size(), expected.size());
  ASSERT_EQ(set.empty(), expected.empty());
  ASSERT_TRUE(std::equal(set.begin(), set.end(), expected.begin(), expected.end()));
  ASSERT_TRUE(std::equal(set.rbegin(), set.rend(), expected.rbegin(), expected.rend()));
  ASSERT_EQ(set.Distance(set.begin(), set.end()), expected.size());
  std::vector<Entry> probes;
  for (const Entry& e : expected) {
    probes.push_back(e);
    probes.push_back({e.first, e.second + 1});
    if (e.second > 0) probes.push_back({e.first, e.second - 1});
    probes.push_back({e.first + 1, 0});
  }
  probes.push_back({0, 0});
  probes.push_back({UINT64_MAX, UINT64_MAX});
  const std::vector<Entry> sorted(expected.begin(), expected.end());
  for (const Entry& probe : probes) {
    const auto it = set.lower_bound(probe);
    const auto [want, want_end] = std::equal_range(sorted.begin(), sorted.end(), probe);
    const size_t rank = want - sorted.begin();
    ASSERT_EQ(set.Distance(set.begin(), it), rank) << probe.first << "," << probe.second;
    ASSERT_EQ(it == set.end(), want == sorted.end());
    if (want != sorted.end()) {
      ASSERT_EQ(*it, *want);
    }
    ASSERT_EQ(set.count(probe), static_cast<size_t>(want_end - want));
    const auto found = set.find(probe);
    ASSERT_EQ(found != set.end(), want != want_end);
    if (found != set.end()) {
      ASSERT_EQ(*found, probe);
    }
  }
}

TEST(EntryMultiset, Empty) {
  EntryMultiset set;
  ExpectSame(set, {});
  EXPECT_EQ(set.begin(), set.end());
  EXPECT_EQ(set.lower_bound({5, 5}), set.end());
  EXPECT_EQ(set.MemoryBytes(), 0u);
}

// Random inserts and erases over a small key space (so entries repeat and blocks split and
// empty out), checked against std::multiset every 500 operations.
TEST(EntryMultiset, RandomOperationsMatchStdMultiset) {
  for (uint64_t key_space : {uint64_t{8}, uint64_t{300}, uint64_t{1} << 40}) {
    SCOPED_TRACE(key_space);
    std::mt19937_64 rng(key_space);
    EntryMultiset set;
    std::multiset<Entry> expected;
    for (int op = 0; op < 20'000; ++op) {
      const Entry e{rng() % key_space, rng() % 4};
      if (rng() % 3 != 0) {
        set.insert(e);
        expected.insert(e);
      } else if (auto it = set.find(e); it != set.end()) {
        set.erase(it);
        expected.erase(expected.find(e));
      } else {
        ASSERT_EQ(expected.count(e), 0u);
      }
      if (op % 500 == 0) ExpectSame(set, expected);
    }
    ExpectSame(set, expected);
    // Erasing from the front, the back, and then the rest empties every block.
    while (!expected.empty()) {
      const Entry e = (expected.size() % 2) ? *expected.begin() : *expected.rbegin();
      set.erase(set.find(e));
      expected.erase(expected.find(e));
    }
    ExpectSame(set, expected);
    EXPECT_EQ(set.begin(), set.end());
  }
}

// Ascending, descending and all-equal inserts always land in the same block, which splits at
// every 32nd insert; the order must hold across all those splits.
TEST(EntryMultiset, SkewedInsertOrders) {
  const std::vector<std::vector<Entry>> orders = [] {
    std::vector<Entry> ascending, descending, equal_keys, equal_entries;
    for (uint64_t i = 0; i < 5000; ++i) {
      ascending.push_back({i, 0});
      descending.push_back({5000 - i, 0});
      equal_keys.push_back({7, i % 3 == 0 ? 5000 - i : i});
      equal_entries.push_back({7, 7});
    }
    return std::vector{ascending, descending, equal_keys, equal_entries};
  }();
  for (const auto& order : orders) {
    EntryMultiset set;
    std::multiset<Entry> expected;
    for (const Entry& e : order) {
      set.insert(e);
      expected.insert(e);
    }
    ExpectSame(set, expected);
    EXPECT_GT(set.MemoryBytes(), 5000 * sizeof(Entry));
  }
}

TEST(EntryMultiset, CopiesAreDeepAndSwapsExchange) {
  EntryMultiset a, b;
  std::multiset<Entry> expected_a, expected_b;
  for (uint64_t i = 0; i < 1000; ++i) {
    a.insert({i * 7 % 1000, i});
    expected_a.insert({i * 7 % 1000, i});
  }
  b.insert({1, 1});
  expected_b.insert({1, 1});
  EntryMultiset copy = a;
  copy.erase(copy.begin());
  ExpectSame(a, expected_a);  // untouched by the copy's change
  EXPECT_EQ(copy.size(), a.size() - 1);
  a.swap(b);
  ExpectSame(a, expected_b);
  ExpectSame(b, expected_a);
  b = a;
  ExpectSame(b, expected_b);
  ExpectSame(a, expected_b);
}

}  // namespace
}  // namespace augur::learned
