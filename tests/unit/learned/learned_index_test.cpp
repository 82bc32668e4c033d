// learned_index_test.cpp: the learned index agrees with std::lower_bound on every distribution,
// every probe, and edge cases. (Its byte form, which only the lab uses, is tested in
// learned_index_bytes_test.cpp.)
#include "learned/learned_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "learned/key_encoding.h"
#include "learned/lab/key_distributions.h"
#include "learned/segmentation.h"

namespace augur::learned {
namespace {

using lab::GenerateKeys;
using lab::kKeyDistributions;

std::vector<uint64_t> Sorted(std::vector<uint64_t> keys) {
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::vector<uint64_t> Generate(std::string_view name, size_t n, uint64_t seed) {
  return GenerateKeys(name, n, seed);
}

void ExpectMatchesStdLowerBound(const std::vector<uint64_t>& keys, const LearnedIndex& index,
                                std::mt19937_64& rng, size_t probes) {
  auto check = [&](uint64_t key) {
    size_t expected = std::lower_bound(keys.begin(), keys.end(), key) - keys.begin();
    ASSERT_EQ(index.LowerBound(keys, key), expected) << "key " << key;
  };
  for (uint64_t k : {uint64_t{0}, uint64_t{1}, std::numeric_limits<uint64_t>::max(),
                     std::numeric_limits<uint64_t>::max() - 1}) {
    check(k);
  }
  if (keys.empty()) return;
  for (size_t i = 0; i < probes; ++i) {
    uint64_t present = keys[rng() % keys.size()];
    check(present);
    check(present + 1);
    check(present - 1);
    check(rng());
  }
}

class Distributions : public ::testing::TestWithParam<std::string_view> {};

TEST_P(Distributions, LowerBoundMatchesStdLowerBound) {
  const auto keys = Generate(GetParam(), 200'000, 42);
  for (uint64_t eps : {4, 32, 128}) {
    auto index = LearnedIndex::Build(keys, {.epsilon = eps});
    std::mt19937_64 rng(7);
    ExpectMatchesStdLowerBound(keys, index, rng, 20'000);
    auto optimal = LearnedIndex::Build(keys, {.epsilon = eps, .optimal_segmentation = true});
    EXPECT_LE(optimal.segment_count(), index.segment_count());
    ExpectMatchesStdLowerBound(keys, optimal, rng, 20'000);
    // Every key is predicted within epsilon (+1 for rounding) of its first occurrence.
    auto segments = SegmentKeys(keys, eps);
    size_t s = 0;
    for (size_t i = 0; i < keys.size(); ++i) {
      if (i > 0 && keys[i] == keys[i - 1]) continue;
      while (s + 1 < segments.size() && segments[s + 1].first_key <= keys[i]) ++s;
      double error = std::abs(segments[s].Predict(keys[i]) - static_cast<double>(i));
      ASSERT_LE(error, static_cast<double>(eps) + 1) << "position " << i;
    }
  }
}

TEST_P(Distributions, OptimalSegmentationNeverUsesMoreSegmentsThanTheCone) {
  const auto keys = Generate(GetParam(), 200'000, 43);
  for (uint64_t eps : {1, 8, 64}) {
    auto optimal = SegmentKeys(keys, eps);
    auto cone = SegmentKeysCone(keys, eps);
    EXPECT_LE(optimal.size(), cone.size()) << "eps " << eps;
    // The cone's segments hold the bound too (it is the baseline, not a broken variant).
    size_t s = 0;
    for (size_t i = 0; i < keys.size(); ++i) {
      if (i > 0 && keys[i] == keys[i - 1]) continue;
      while (s + 1 < cone.size() && cone[s + 1].first_key <= keys[i]) ++s;
      ASSERT_LE(std::abs(cone[s].Predict(keys[i]) - static_cast<double>(i)), eps + 1.0);
    }
  }
}

TEST(Segmentation, OptimalHandlesExtremesAndALineExactly) {
  std::vector<uint64_t> line;  // keys on one line: one segment at any epsilon
  for (uint64_t i = 0; i < 100'000; ++i) line.push_back(1'000'000 + 7 * i);
  EXPECT_EQ(SegmentKeys(line, 0).size(), 1u);
  std::vector<uint64_t> extremes = {0, 1, std::numeric_limits<uint64_t>::max() / 3,
                                    std::numeric_limits<uint64_t>::max() - 1,
                                    std::numeric_limits<uint64_t>::max()};
  auto segments = SegmentKeys(extremes, 1);
  size_t s = 0;
  for (size_t i = 0; i < extremes.size(); ++i) {
    while (s + 1 < segments.size() && segments[s + 1].first_key <= extremes[i]) ++s;
    EXPECT_LE(std::abs(segments[s].Predict(extremes[i]) - static_cast<double>(i)), 2.0);
  }
}

INSTANTIATE_TEST_SUITE_P(AllDistributions, Distributions,
                         ::testing::ValuesIn(std::begin(kKeyDistributions),
                                             std::end(kKeyDistributions)));

TEST(LearnedIndex, EdgeCases) {
  std::mt19937_64 rng(1);
  std::vector<std::vector<uint64_t>> cases = {
      {},
      {42},
      std::vector<uint64_t>(1000, 7),  // all equal
      {0, std::numeric_limits<uint64_t>::max()},
      {0, 1, 2, std::numeric_limits<uint64_t>::max() - 1, std::numeric_limits<uint64_t>::max()},
  };
  for (auto& keys : cases) {
    auto index = LearnedIndex::Build(keys);
    EXPECT_EQ(index.size(), keys.size());
    ExpectMatchesStdLowerBound(keys, index, rng, 200);
  }
}

TEST(LearnedIndex, LongRunsOfDuplicatesBeforeAbsentKeys) {
  // Absent keys right after a huge run of one value: predictions miss the window and the lookup
  // must widen its search.
  std::vector<uint64_t> keys(50'000, 10);
  for (uint64_t k = 1000; k < 2000; ++k) keys.push_back(k);
  keys.insert(keys.end(), 50'000, 5000);
  keys = Sorted(keys);
  auto index = LearnedIndex::Build(keys, {.epsilon = 8});
  for (uint64_t probe : {uint64_t{9}, uint64_t{10}, uint64_t{11}, uint64_t{999}, uint64_t{1500},
                         uint64_t{4999}, uint64_t{5000}, uint64_t{5001}}) {
    size_t expected = std::lower_bound(keys.begin(), keys.end(), probe) - keys.begin();
    EXPECT_EQ(index.LowerBound(keys, probe), expected) << probe;
  }
}

TEST(LearnedIndex, EqualRange) {
  auto keys = Generate("duplicates", 10'000, 3);
  auto index = LearnedIndex::Build(keys);
  for (uint64_t lo = 0; lo < 1000; lo += 37) {
    uint64_t hi = lo + 11;
    auto [first, last] = index.EqualRange(keys, lo, hi);
    size_t want_first = std::lower_bound(keys.begin(), keys.end(), lo) - keys.begin();
    size_t want_last = std::upper_bound(keys.begin(), keys.end(), hi) - keys.begin();
    EXPECT_EQ(first, want_first);
    EXPECT_EQ(last, want_last);
  }
  EXPECT_EQ(index.EqualRange(keys, 10, 5), std::make_pair(size_t{0}, size_t{0}));
}

TEST(LearnedIndex, LinearKeysNeedOneSegment) {
  std::vector<uint64_t> keys;
  for (uint64_t i = 0; i < 1'000'000; ++i) keys.push_back(5000 + 7 * i);
  auto index = LearnedIndex::Build(keys);
  EXPECT_EQ(index.segment_count(), 1u);
  EXPECT_NE(index.Describe().find("1 segments"), std::string::npos);
  std::mt19937_64 rng(11);
  ExpectMatchesStdLowerBound(keys, index, rng, 1000);
}

TEST(KeyEncoding, PreservesOrder) {
  std::vector<int64_t> ints = {std::numeric_limits<int64_t>::min(), -5, -1, 0, 1, 7,
                               std::numeric_limits<int64_t>::max()};
  for (size_t i = 1; i < ints.size(); ++i) EXPECT_LT(EncodeKey(ints[i - 1]), EncodeKey(ints[i]));
  std::vector<double> doubles = {
      -std::numeric_limits<double>::infinity(), -1e300, -1.5, -0.0, 0.0, 1e-300, 2.5,
      std::numeric_limits<double>::infinity()};
  for (size_t i = 1; i < doubles.size(); ++i) {
    EXPECT_LE(EncodeKey(doubles[i - 1]), EncodeKey(doubles[i])) << doubles[i];
  }
  EXPECT_LT(EncodeKey(std::string_view("")), EncodeKey(std::string_view("a")));
  EXPECT_LT(EncodeKey(std::string_view("ab")), EncodeKey(std::string_view("b")));
  EXPECT_EQ(EncodeKey(std::string_view("abcdefgh1")), EncodeKey(std::string_view("abcdefgh2")));
}

// Half the keys spread over [0, 2^40), half crowded into 2^30 values just above 2^63: both radix
// maps put the crowd's thousands of segments into one slot, so the index adds piecewise-linear
// levels over the segments' first keys. Every key and every key +-1 must still land exactly,
// through every level.
TEST(UpperLevels, RouteSkewedKeysExactly) {
  std::mt19937_64 key_rng(5);
  std::vector<uint64_t> keys;
  for (int i = 0; i < 500'000; ++i) keys.push_back(key_rng() >> 24);
  for (int i = 0; i < 500'000; ++i) keys.push_back((uint64_t{1} << 63) + (key_rng() >> 34));
  keys.push_back(0);  // the extremes too, so the levels span the whole key space
  keys.push_back(std::numeric_limits<uint64_t>::max());
  std::sort(keys.begin(), keys.end());
  auto index = LearnedIndex::Build(keys, {.epsilon = 4});
  ASSERT_GE(index.upper_level_count(), 1u) << index.Describe();
  auto expect = [&](uint64_t key) {
    size_t expected = std::lower_bound(keys.begin(), keys.end(), key) - keys.begin();
    ASSERT_EQ(index.LowerBound(keys, key), expected) << "key " << key;
  };
  for (size_t i = 0; i < keys.size(); ++i) {
    expect(keys[i]);
    expect(keys[i] + 1);
    expect(keys[i] - 1);
  }
  // Uniform keys route well through the linear radix table alone: no level is added.
  auto uniform = Generate("uniform", 1'000'000, 5);
  auto uniform_index = LearnedIndex::Build(uniform, {.epsilon = 4});
  EXPECT_EQ(uniform_index.upper_level_count(), 0u);
  EXPECT_EQ(uniform_index.Describe().find("logarithmic"), std::string::npos);
}

// Lognormal keys span orders of magnitude: a linear table puts thousands of segments into its
// first slot, the logarithmic one (RadixMap) spreads them without any upper level. Exact on every
// key and its neighbours, including the extremes.
TEST(UpperLevels, LogarithmicRadixRoutesLognormalKeys) {
  auto keys = Generate("lognormal", 1'000'000, 6);
  keys.front() = 0;
  keys.back() = std::numeric_limits<uint64_t>::max();
  auto index = LearnedIndex::Build(keys, {.epsilon = 4});
  EXPECT_NE(index.Describe().find("logarithmic"), std::string::npos) << index.Describe();
  EXPECT_EQ(index.upper_level_count(), 0u) << index.Describe();
  for (size_t i = 0; i < keys.size(); ++i) {
    for (uint64_t key : {keys[i], keys[i] + 1, keys[i] - 1}) {
      const size_t expected = std::lower_bound(keys.begin(), keys.end(), key) - keys.begin();
      ASSERT_EQ(index.LowerBound(keys, key), expected) << "key " << key;
    }
  }
}

TEST(RadixMap, LogarithmicSlotsAreMonotoneAndContinuous) {
  for (int bits : {0, 1, 4, 10, 20}) {
    const RadixMap map{true, bits};
    size_t previous = 0;
    for (uint64_t offset = 0; offset < (uint64_t{1} << (bits + 4)); ++offset) {
      const size_t slot = map.Slot(offset);
      ASSERT_TRUE(slot == previous || slot == previous + 1) << bits << " " << offset;
      previous = slot;
    }
    std::mt19937_64 rng(bits);
    for (int i = 0; i < 100'000; ++i) {
      uint64_t a = rng() >> (rng() % 64), b = rng() >> (rng() % 64);
      if (a > b) std::swap(a, b);
      ASSERT_LE(map.Slot(a), map.Slot(b)) << a << " " << b;
    }
    EXPECT_EQ(map.Slot(UINT64_MAX), ((size_t{65} - bits) << bits) - 1) << bits;  // the last slot
  }
}

// A size budget raises epsilon until the index fits, on keys whose jumps need many segments.
// 2M keys: from 1M keys on, the epsilon is first estimated from a prefix of the keys.
TEST(SizeBudget, RaisesEpsilonUntilTheIndexFits) {
  for (std::string_view dist : {"bursty_timestamps", "sequential_gaps", "uniform"}) {
    auto keys = Generate(dist, 2'000'000, 3);
    const double budget = 0.08;  // 1% of the 8-byte keys
    auto index = LearnedIndex::Build(keys, {.epsilon = 16, .max_bytes_per_key = budget});
    EXPECT_LE(static_cast<double>(index.SizeBytes()), budget * keys.size()) << index.Describe();
    auto unbounded = LearnedIndex::Build(keys, {.epsilon = 16});
    if (static_cast<double>(unbounded.SizeBytes()) > budget * keys.size()) {
      EXPECT_GT(index.epsilon(), 16u) << dist;
      // Not more than needed: two thirds of the chosen epsilon (the builder steps by 4/3 and
      // 3/2) would not fit, even with the radix table shrunk as far as the builder goes.
      const uint64_t finer = index.epsilon() * 2 / 3;
      auto smaller = LearnedIndex::Build(keys, {.epsilon = finer});
      const int smallest_table =
          std::max(1, static_cast<int>(std::bit_width(smaller.segment_count())) - 2);
      auto shrunk = LearnedIndex::Build(keys, {.epsilon = finer, .radix_bits = smallest_table});
      EXPECT_GT(static_cast<double>(shrunk.SizeBytes()), budget * keys.size())
          << dist << " " << index.Describe();
    } else {
      EXPECT_EQ(index.epsilon(), 16u) << dist;  // already fits: nothing is given up
    }
    std::mt19937_64 rng(5);
    ExpectMatchesStdLowerBound(keys, index, rng, 20'000);
    // Sequences with gaps fit at 64 with a smaller radix table (with the full one 64 is too
    // big, and 96, the next step, slower).
    if (dist == "sequential_gaps") {
      EXPECT_EQ(index.epsilon(), 64u) << index.Describe();
      EXPECT_LT(index.SizeBytes(), LearnedIndex::Build(keys, {.epsilon = 64}).SizeBytes());
    }
  }
}

// One segment spanning 12M positions with a slope no float holds exactly (1/3): packing the
// slope to a float moves predictions by up to ~0.7 positions at the far end, which the index's
// quantization slack absorbs (and the window repair would catch the rest): every answer exact.
TEST(PackedSegments, LongSegmentsStayExact) {
  std::vector<uint64_t> keys(12'000'000);
  for (size_t i = 0; i < keys.size(); ++i) keys[i] = 1000 + 3 * i;
  auto index = LearnedIndex::Build(keys, {.epsilon = 4});
  EXPECT_EQ(index.segment_count(), 1u);
  std::mt19937_64 rng(8);
  ExpectMatchesStdLowerBound(keys, index, rng, 100'000);
  for (size_t i = keys.size() - 1000; i < keys.size(); ++i) {
    ASSERT_EQ(index.LowerBound(keys, keys[i]), i);
    ASSERT_EQ(index.LowerBound(keys, keys[i] - 1), i);
  }
}

// PredictedWindow holds the lower bound of every present key (callers prefetch payloads from it).
TEST_P(Distributions, PredictedWindowHoldsPresentKeys) {
  const auto keys = Generate(GetParam(), 200'000, 13);
  for (uint64_t eps : {4, 32}) {
    auto index = LearnedIndex::Build(keys, {.epsilon = eps});
    for (size_t i = 0; i < keys.size(); i += 7) {
      const size_t expected = std::lower_bound(keys.begin(), keys.end(), keys[i]) - keys.begin();
      auto [first, last] = index.PredictedWindow(keys[i]);
      ASSERT_LE(first, expected) << keys[i];
      ASSERT_LT(expected, last) << keys[i];
    }
  }
}

}  // namespace
}  // namespace augur::learned
