// key_ranges_test.cpp: KeyRanges' union and intersection checked against sets of codes on a
// small universe, plus the edges of the 64-bit range.
#include "engine/learned_index/key_ranges.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace augur::engine::learned_index {
namespace {

std::set<uint64_t> Members(const KeyRanges& ranges) {
  std::set<uint64_t> members;
  for (const KeyRange& r : ranges.ranges()) {
    for (uint64_t k = r.lo; k <= r.hi; ++k) members.insert(k);
  }
  return members;
}

TEST(KeyRanges, UnionAndIntersectMatchSets) {
  std::mt19937_64 rng(5);
  for (int round = 0; round < 2000; ++round) {
    std::vector<KeyRange> a, b;
    std::set<uint64_t> in_a, in_b;
    for (int i = rng() % 5; i > 0; --i) {
      uint64_t lo = rng() % 64, hi = rng() % 64;  // lo > hi: an empty interval
      a.push_back({lo, hi});
      for (uint64_t k = lo; k <= hi; ++k) in_a.insert(k);
    }
    for (int i = rng() % 5; i > 0; --i) {
      uint64_t lo = rng() % 64, hi = lo + rng() % 8;
      b.push_back({lo, hi});
      for (uint64_t k = lo; k <= hi; ++k) in_b.insert(k);
    }
    KeyRanges ua = KeyRanges::Union(a), ub = KeyRanges::Union(b);
    ASSERT_EQ(Members(ua), in_a);
    // Sorted, disjoint and not adjacent.
    for (size_t i = 1; i < ua.ranges().size(); ++i) {
      ASSERT_GT(ua.ranges()[i].lo, ua.ranges()[i - 1].hi + 1);
    }
    std::set<uint64_t> both;
    for (uint64_t k : in_a) {
      if (in_b.count(k)) both.insert(k);
    }
    ASSERT_EQ(Members(ua.Intersect(ub)), both);
  }
}

TEST(KeyRanges, EdgesOfTheCodeSpace) {
  constexpr uint64_t kMax = UINT64_MAX;
  KeyRanges all = KeyRanges::All();
  EXPECT_TRUE(all.IsAll());
  EXPECT_EQ(KeyRanges::Union({{kMax, kMax}, {0, kMax}}).ranges(), all.ranges());
  EXPECT_EQ(KeyRanges::Union({{kMax - 1, kMax}, {kMax, kMax}}).ranges().size(), 1u);
  EXPECT_EQ(all.Intersect(KeyRanges::Union({{kMax, kMax}})).ranges(),
            (std::vector<KeyRange>{{kMax, kMax}}));
  EXPECT_TRUE(all.Intersect(KeyRanges::None()).empty());
}

}  // namespace
}  // namespace augur::engine::learned_index
