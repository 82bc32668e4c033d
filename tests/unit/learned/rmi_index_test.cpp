// rmi_index_test.cpp: the RMI and the chooser agree with std::lower_bound on every distribution,
// on edge cases, and on absent keys; the chooser keeps to its memory budget.
#include "learned/rmi_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>
#include <vector>

#include "learned/chosen_index.h"
#include "learned/key_distributions.h"

namespace augur::learned {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

template <class Index>
void ExpectExact(const std::vector<uint64_t>& keys, const Index& index, uint64_t seed) {
  auto check = [&](uint64_t key) {
    size_t expected = std::lower_bound(keys.begin(), keys.end(), key) - keys.begin();
    ASSERT_EQ(index.LowerBound(keys, key), expected) << "key " << key;
  };
  for (uint64_t k : {uint64_t{0}, uint64_t{1}, kMax, kMax - 1}) check(k);
  if (keys.empty()) return;
  std::mt19937_64 rng(seed);
  // Every key present, its neighbours (mostly absent), and random keys across the range.
  for (size_t i = 0; i < keys.size(); ++i) {
    check(keys[i]);
    if (keys[i] > 0) check(keys[i] - 1);
    if (keys[i] < kMax) check(keys[i] + 1);
  }
  for (int i = 0; i < 20000; ++i) {
    uint64_t lo = keys.front(), hi = keys.back();
    check(hi > lo ? lo + rng() % (hi - lo) : lo);
    check(rng());
  }
}

TEST(RmiIndex, ExactOnEveryDistribution) {
  for (auto dist : kKeyDistributions) {
    SCOPED_TRACE(std::string(dist));
    auto keys = GenerateKeys(dist, 200'000, 7);
    for (size_t leaves : {size_t{0}, size_t{1}, size_t{37}, size_t{100'000}}) {
      auto index = RmiIndex::Build(keys, {.leaves = leaves});
      ExpectExact(keys, index, 11);
    }
  }
}

TEST(RmiIndex, EdgeCases) {
  ExpectExact({}, RmiIndex::Build({}), 1);
  ExpectExact({42}, RmiIndex::Build(std::vector<uint64_t>{42}), 1);
  std::vector<uint64_t> equal(5000, 7);
  ExpectExact(equal, RmiIndex::Build(equal), 1);
  std::vector<uint64_t> extremes = {0, 0, 1, kMax / 2, kMax - 1, kMax, kMax};
  ExpectExact(extremes, RmiIndex::Build(extremes, {.leaves = 3}), 1);
  std::vector<uint64_t> two_clusters;  // a huge gap: most leaves empty
  for (uint64_t i = 0; i < 10000; ++i) two_clusters.push_back(i);
  for (uint64_t i = 0; i < 10000; ++i) two_clusters.push_back(kMax - 20000 + i);
  ExpectExact(two_clusters, RmiIndex::Build(two_clusters, {.leaves = 1000}), 1);
}

TEST(RmiIndex, SmoothDataGivesSmallErrors) {
  auto keys = GenerateKeys("uniform", 1'000'000, 3);
  auto index = RmiIndex::Build(keys, {.leaves = keys.size() / 256});
  EXPECT_EQ(index.leaf_count(), keys.size() / 256);
  EXPECT_LT(index.mean_error(), 64.0);  // uniform keys: ~256 per leaf, nearly linear
  EXPECT_LT(static_cast<double>(index.SizeBytes()) / keys.size(), 0.1);
  EXPECT_NE(index.Describe().find("linear leaves"), std::string::npos);
}

TEST(ChosenIndex, ExactWhicheverItChoosesAndWithinBudget) {
  for (auto dist : kKeyDistributions) {
    SCOPED_TRACE(std::string(dist));
    auto keys = GenerateKeys(dist, 300'000, 5);
    auto index = ChosenIndex::Build(keys, {.trial_lookups = 2000});
    ExpectExact(keys, index, 3);
    const std::string& why = index.Describe();
    EXPECT_EQ(why.rfind("chose ", 0), 0u) << why;
    EXPECT_NE(why.find(index.is_rmi() ? "chose rmi" : "chose pla"), std::string::npos) << why;
    if (why.find("none within") == std::string::npos) {
      EXPECT_LE(static_cast<double>(index.SizeBytes()), 0.08 * keys.size()) << why;
    }
  }
}

TEST(ChosenIndex, TinyInputsUseTheGuaranteedModel) {
  std::vector<uint64_t> keys = {1, 5, 9};
  auto index = ChosenIndex::Build(keys);
  EXPECT_FALSE(index.is_rmi());
  ExpectExact(keys, index, 1);
}

}  // namespace
}  // namespace augur::learned
