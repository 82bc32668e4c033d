// gapped_run_test.cpp: GappedRun's lookups, iteration and counts checked against std::lower_bound
// on the benchmark distributions and on edge cases (empty, one key, all equal, extreme keys,
// heavy duplicates), for several gaps and epsilons.
#include "learned/gapped_run.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <tuple>

#include "learned/lab/key_distributions.h"

namespace augur::learned {
namespace {

using lab::GenerateKeys;
using lab::kKeyDistributions;

// A run over `keys` (sorted here) whose payload is each entry's position, built from the dense
// arrays (GappedRun::Build) or entry by entry (GappedRun::Builder).
struct Fixture {
  std::vector<uint64_t> keys;
  std::vector<uint64_t> payloads;
  GappedRun run;

  Fixture(std::vector<uint64_t> k, double gap, uint64_t epsilon, bool streaming)
      : keys(std::move(k)) {
    std::sort(keys.begin(), keys.end());
    payloads.resize(keys.size());
    for (size_t i = 0; i < keys.size(); ++i) payloads[i] = i;
    if (streaming) {
      GappedRun::Builder builder({.epsilon = epsilon}, gap, keys.size() / 2);  // it must grow
      for (size_t i = 0; i < keys.size(); ++i) builder.Add(keys[i], payloads[i]);
      run = builder.Finish();
    } else {
      run = GappedRun::Build(keys, payloads, LearnedIndex::Build(keys, {.epsilon = epsilon}), gap);
    }
  }

  // The entries in slot order, skipping gaps.
  std::vector<std::pair<uint64_t, uint64_t>> Entries() const {
    std::vector<std::pair<uint64_t, uint64_t>> out;
    for (size_t s = run.NextEntry(0); s < run.end(); s = run.NextEntry(s + 1)) {
      out.emplace_back(run.key(s), run.payload(s));
    }
    return out;
  }

  // Checks Find and LowerBound for `key` against the sorted arrays.
  void Check(uint64_t key) const {
    const size_t expected = std::lower_bound(keys.begin(), keys.end(), key) - keys.begin();
    const size_t slot = run.LowerBound(key);
    const size_t entry = run.NextEntry(slot);
    if (expected == keys.size()) {
      ASSERT_EQ(entry, run.end()) << key;
    } else {
      ASSERT_LT(entry, run.end()) << key;
      ASSERT_EQ(run.key(entry), keys[expected]) << key;
      // The entry is the first of its key: no entry before `slot` has a key >= `key`.
      if (const size_t before = run.PrevEntry(slot); before != GappedRun::kNotFound) {
        ASSERT_LT(run.key(before), key) << key;
      }
      ASSERT_EQ(run.CountEntries(0, entry), expected) << key;
    }
    const bool present = expected < keys.size() && keys[expected] == key;
    const size_t found = run.Find(key);
    if (!present) {
      ASSERT_EQ(found, GappedRun::kNotFound) << key;
      return;
    }
    ASSERT_NE(found, GappedRun::kNotFound) << key;
    ASSERT_EQ(run.key(found), key);
    // The payload is that of some entry with this key (a gap copies its entry).
    const uint64_t payload = run.payload(found);
    ASSERT_LT(payload, keys.size());
    ASSERT_EQ(keys[payload], key);
  }

  void CheckAll(std::mt19937_64& rng) const {
    ASSERT_EQ(run.size(), keys.size());
    std::vector<std::pair<uint64_t, uint64_t>> expected;
    for (size_t i = 0; i < keys.size(); ++i) expected.emplace_back(keys[i], payloads[i]);
    ASSERT_EQ(Entries(), expected);
    ASSERT_EQ(run.CountEntries(0, run.end()), keys.size());
    for (uint64_t key : keys) {
      Check(key);
      if (key > 0) Check(key - 1);
      if (key < UINT64_MAX) Check(key + 1);
    }
    for (uint64_t key : {uint64_t{0}, uint64_t{1}, UINT64_MAX - 1, UINT64_MAX}) Check(key);
    for (int i = 0; i < 1000; ++i) Check(rng());
  }
};

// Gap, epsilon, and whether the run is built entry by entry.
class Gaps : public ::testing::TestWithParam<std::tuple<double, uint64_t, bool>> {};
INSTANTIATE_TEST_SUITE_P(GappedRun, Gaps,
                         ::testing::Combine(::testing::Values(1.0, 1.2, 2.0),
                                            ::testing::Values(uint64_t{4}, uint64_t{64}),
                                            ::testing::Bool()));

TEST_P(Gaps, EveryDistributionMatchesLowerBound) {
  auto [gap, epsilon, streaming] = GetParam();
  std::mt19937_64 rng(11);
  for (std::string_view dist : kKeyDistributions) {
    SCOPED_TRACE(dist);
    Fixture f(GenerateKeys(dist, 20000, 5), gap, epsilon, streaming);
    f.CheckAll(rng);
    // The slots per entry stay near the gap asked for (a segment's entries may overflow its
    // share of slots by up to about 2 * gap * epsilon).
    EXPECT_LE(f.run.end(), static_cast<size_t>(f.keys.size() * gap) +
                               f.run.model().segment_count() * (2 * gap * epsilon + 2) + 1);
  }
}

TEST_P(Gaps, EdgeCases) {
  auto [gap, epsilon, streaming] = GetParam();
  std::mt19937_64 rng(12);
  std::vector<std::vector<uint64_t>> cases = {
      {},
      {42},
      {0},
      {UINT64_MAX},
      std::vector<uint64_t>(1000, 7),
      {0, 0, 1, UINT64_MAX - 1, UINT64_MAX, UINT64_MAX},
  };
  std::vector<uint64_t> dups;  // heavy duplicates: runs of 1..300 copies
  for (uint64_t k = 0; dups.size() < 20000; k += 1 + rng() % 1000) {
    dups.insert(dups.end(), 1 + rng() % 300, k);
  }
  cases.push_back(dups);
  std::vector<uint64_t> extremes;  // both ends of the key space
  for (uint64_t i = 0; i < 500; ++i) {
    extremes.push_back(i * 3);
    extremes.push_back(UINT64_MAX - i * 5);
  }
  cases.push_back(extremes);
  for (const auto& keys : cases) {
    SCOPED_TRACE(keys.size());
    Fixture f(keys, gap, epsilon, streaming);
    f.CheckAll(rng);
  }
}

TEST(GappedRun, BuilderLaysOutWhatBuildDoes) {
  // The builder segments with the cone, as LearnedIndex::Build does by default: the same slots.
  for (std::string_view dist : kKeyDistributions) {
    SCOPED_TRACE(dist);
    const auto keys = GenerateKeys(dist, 20000, 6);
    Fixture dense(keys, 1.2, 16, false), streamed(keys, 1.2, 16, true);
    ASSERT_EQ(streamed.run.end(), dense.run.end());
    ASSERT_EQ(streamed.run.model().segment_count(), dense.run.model().segment_count());
    for (size_t s = 0; s < dense.run.end(); ++s) {
      ASSERT_EQ(streamed.run.occupied(s), dense.run.occupied(s)) << s;
      ASSERT_EQ(streamed.run.key(s), dense.run.key(s)) << s;
    }
  }
}

TEST(GappedRun, EmptyRunFindsNothing) {
  GappedRun run;
  EXPECT_EQ(run.size(), 0u);
  EXPECT_EQ(run.end(), 0u);
  EXPECT_EQ(run.Find(0), GappedRun::kNotFound);
  EXPECT_EQ(run.Find(UINT64_MAX), GappedRun::kNotFound);
  EXPECT_EQ(run.LowerBound(5), 0u);
  EXPECT_EQ(run.NextEntry(0), run.end());
  EXPECT_EQ(run.PrevEntry(0), GappedRun::kNotFound);
  EXPECT_EQ(run.CountEntries(0, 10), 0u);
}

TEST(GappedRun, ReverseIterationVisitsEveryEntry) {
  std::mt19937_64 rng(13);
  Fixture f(GenerateKeys("lognormal", 5000, 3), 1.5, 16, false);
  std::vector<uint64_t> backwards;
  for (size_t s = f.run.PrevEntry(f.run.end()); s != GappedRun::kNotFound; s = f.run.PrevEntry(s)) {
    backwards.push_back(f.run.payload(s));
  }
  std::reverse(backwards.begin(), backwards.end());
  EXPECT_EQ(backwards, f.payloads);
}

}  // namespace
}  // namespace augur::learned
