// learned_index_bytes_test.cpp: the lab's byte form of LearnedIndex (learned_index_bytes.h)
// loads back the same model, derives the routing again (upper levels, the logarithmic radix
// table) so the loaded index answers exactly, and refuses damaged or impossible bytes.
#include "learned/lab/learned_index_bytes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "learned/lab/key_distributions.h"
#include "learned/lab/model_bytes.h"
#include "learned/learned_index.h"

namespace augur::learned::lab {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

// Every key and its neighbours (mostly absent) land where std::lower_bound puts them.
void ExpectExactOnEveryKey(const std::vector<uint64_t>& keys, const LearnedIndex& index) {
  for (uint64_t key : {uint64_t{0}, uint64_t{1}, kMax, kMax - 1}) {
    ASSERT_EQ(index.LowerBound(keys, key),
              size_t(std::lower_bound(keys.begin(), keys.end(), key) - keys.begin()));
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    for (uint64_t key : {keys[i], keys[i] + 1, keys[i] - 1}) {
      const size_t expected = std::lower_bound(keys.begin(), keys.end(), key) - keys.begin();
      ASSERT_EQ(index.LowerBound(keys, key), expected) << "key " << key;
    }
  }
}

LearnedIndex RoundTrip(const LearnedIndex& index) {
  auto back = DeserializeLearnedIndex(SerializeLearnedIndex(index));
  EXPECT_TRUE(back.has_value()) << back.error().message;
  return back.has_value() ? std::move(*back) : LearnedIndex{};
}

TEST(LearnedIndexBytes, RoundTripAndCorruption) {
  auto keys = GenerateKeys("lognormal", 100'000, 9);
  auto index = LearnedIndex::Build(keys);
  std::string bytes = SerializeLearnedIndex(index);
  auto back = DeserializeLearnedIndex(bytes);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  ExpectExactOnEveryKey(keys, *back);
  EXPECT_EQ(SerializeLearnedIndex(*back), bytes);
  EXPECT_EQ(back->Describe(), index.Describe());

  for (size_t at : {size_t{0}, size_t{1}, bytes.size() / 2, bytes.size() - 1}) {
    std::string bad = bytes;
    bad[at] = static_cast<char>(bad[at] ^ 0x5A);
    EXPECT_FALSE(DeserializeLearnedIndex(bad).has_value()) << "flipped byte " << at;
  }
  EXPECT_FALSE(DeserializeLearnedIndex(bytes.substr(0, bytes.size() / 2)).has_value());
  EXPECT_FALSE(DeserializeLearnedIndex("").has_value());
  auto empty = DeserializeLearnedIndex(SerializeLearnedIndex(LearnedIndex::Build({})));
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->LowerBound({}, 5), 0u);
}

// The options a size budget chose (a raised epsilon, a shrunk radix table) and the optimal
// segmentation come back with the segments.
TEST(LearnedIndexBytes, KeepsTheBuiltOptions) {
  for (auto dist : kKeyDistributions) {
    SCOPED_TRACE(std::string(dist));
    const auto keys = GenerateKeys(dist, 50'000, 4);
    for (LearnedIndexOptions options :
         {LearnedIndexOptions{.epsilon = 8, .optimal_segmentation = true},
          LearnedIndexOptions{.epsilon = 16, .radix_bits = 5},
          LearnedIndexOptions{.epsilon = 4, .max_bytes_per_key = 0.01}}) {
      const auto index = LearnedIndex::Build(keys, options);
      const LearnedIndex back = RoundTrip(index);
      EXPECT_EQ(back.epsilon(), index.epsilon());
      EXPECT_EQ(back.options().radix_bits, index.options().radix_bits);
      EXPECT_EQ(back.options().optimal_segmentation, options.optimal_segmentation);
      EXPECT_EQ(back.segment_count(), index.segment_count());
      EXPECT_EQ(back.upper_level_count(), index.upper_level_count());
      EXPECT_EQ(SerializeLearnedIndex(back), SerializeLearnedIndex(index));
      ExpectExactOnEveryKey(keys, back);
    }
  }
}

// Skewed keys (as in learned_index_test's UpperLevels tests): the upper levels are derived
// again when loading, and the loaded index answers the same.
TEST(LearnedIndexBytes, UpperLevelsAreDerivedAgain) {
  std::mt19937_64 key_rng(5);
  std::vector<uint64_t> keys;
  for (int i = 0; i < 500'000; ++i) keys.push_back(key_rng() >> 24);
  for (int i = 0; i < 500'000; ++i) keys.push_back((uint64_t{1} << 63) + (key_rng() >> 34));
  keys.push_back(0);
  keys.push_back(kMax);
  std::sort(keys.begin(), keys.end());
  const auto index = LearnedIndex::Build(keys, {.epsilon = 4});
  ASSERT_GE(index.upper_level_count(), 1u) << index.Describe();
  const LearnedIndex back = RoundTrip(index);
  EXPECT_EQ(back.upper_level_count(), index.upper_level_count());
  ExpectExactOnEveryKey(keys, back);
}

// Lognormal keys get the logarithmic radix table; it comes back too.
TEST(LearnedIndexBytes, LogarithmicRadixSurvivesRoundTrip) {
  auto keys = GenerateKeys("lognormal", 1'000'000, 6);
  keys.front() = 0;
  keys.back() = kMax;
  const auto index = LearnedIndex::Build(keys, {.epsilon = 4});
  ASSERT_NE(index.Describe().find("logarithmic"), std::string::npos) << index.Describe();
  const LearnedIndex back = RoundTrip(index);
  EXPECT_EQ(back.Describe(), index.Describe());
  ExpectExactOnEveryKey(keys, back);
}

// Every single flipped byte and every truncation is refused, with SQLSTATE XX001.
TEST(LearnedIndexBytes, RefusesEveryFlippedByteAndTruncation) {
  const auto keys = GenerateKeys("clustered", 2'000, 3);
  const std::string bytes = SerializeLearnedIndex(LearnedIndex::Build(keys, {.epsilon = 8}));
  for (size_t at = 0; at < bytes.size(); ++at) {
    std::string bad = bytes;
    bad[at] = static_cast<char>(bad[at] ^ 0x01);
    auto back = DeserializeLearnedIndex(bad);
    ASSERT_FALSE(back.has_value()) << "flipped byte " << at;
    EXPECT_EQ(back.error().sqlstate, "XX001");
  }
  for (size_t length = 0; length < bytes.size(); ++length) {
    ASSERT_FALSE(DeserializeLearnedIndex(bytes.substr(0, length)).has_value()) << length;
  }
  EXPECT_FALSE(DeserializeLearnedIndex(bytes + "x").has_value());
}

// Bytes with a valid checksum but fields no build makes are refused: the routing derived from
// them would disagree with the segments.
TEST(LearnedIndexBytes, RefusesWellSealedNonsense) {
  const std::vector<uint64_t> keys = {10, 20, 30, 1000, 1001, 1002, 5000, 90000};
  const auto index = LearnedIndex::Build(keys, {.epsilon = 1});
  ASSERT_GE(index.segment_count(), 2u) << index.Describe();
  const std::string bytes = SerializeLearnedIndex(index);
  // Field offsets after the version byte: epsilon 1, radix bits 9, optimal 13, key count 14,
  // min key 22, segment count 30, the first segment 38 (first key, position, slope), the second
  // 54.
  auto resealed = [&](size_t offset, auto value) {
    std::string body = bytes.substr(0, bytes.size() - sizeof(uint64_t));
    std::memcpy(body.data() + offset, &value, sizeof(value));
    model_bytes::Seal(body);
    return DeserializeLearnedIndex(body);
  };
  EXPECT_TRUE(resealed(22, uint64_t{10}).has_value());  // the same min key: still fine
  auto version = resealed(0, uint8_t{3});
  ASSERT_FALSE(version.has_value());
  EXPECT_EQ(version.error().sqlstate, "XX001");
  EXPECT_NE(version.error().message.find("unknown format version 3"), std::string::npos);
  EXPECT_FALSE(resealed(1, uint64_t{1} << 25).has_value());  // epsilon past any build's
  EXPECT_FALSE(resealed(9, int32_t{-1}).has_value());        // radix bits
  EXPECT_FALSE(resealed(9, int32_t{25}).has_value());
  EXPECT_FALSE(resealed(13, uint8_t{2}).has_value());      // neither segmentation
  EXPECT_FALSE(resealed(14, uint64_t{0}).has_value());     // no keys, yet segments
  EXPECT_FALSE(resealed(22, uint64_t{11}).has_value());    // min key is not the first key
  EXPECT_FALSE(resealed(30, uint64_t{1}).has_value());     // fewer segments than bytes
  EXPECT_FALSE(resealed(30, uint64_t{1000}).has_value());  // more
  EXPECT_FALSE(resealed(54, uint64_t{10}).has_value());    // segments out of order
  auto order = resealed(54, uint64_t{5});
  ASSERT_FALSE(order.has_value());
  EXPECT_NE(order.error().message.find("out of order"), std::string::npos);
}

}  // namespace
}  // namespace augur::learned::lab
