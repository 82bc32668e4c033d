// packed_slots_test.cpp: PackedSlots reads back exactly what was appended, whatever the widths:
// empty, one slot, all keys equal, full 64-bit spreads (0 to UINT64_MAX in one block), partial
// last blocks, random keys and payloads; and it stays small on dense keys with 24-bit row ids.
#include "learned/packed_slots.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace augur::learned {
namespace {

void ExpectRoundTrip(std::vector<uint64_t> keys, const std::vector<uint64_t>& payloads) {
  std::sort(keys.begin(), keys.end());
  PackedSlots slots;
  for (size_t i = 0; i < keys.size(); ++i) slots.Append(keys[i], payloads[i]);
  slots.Seal();
  ASSERT_EQ(slots.size(), keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    ASSERT_EQ(slots.key(i), keys[i]) << "slot " << i;
    ASSERT_EQ(slots.payload(i), payloads[i]) << "slot " << i;
  }
}

TEST(PackedSlots, Empty) {
  PackedSlots slots;
  slots.Seal();
  EXPECT_EQ(slots.size(), 0u);
}

TEST(PackedSlots, ExtremesInOneBlock) {
  ExpectRoundTrip({0, 1, UINT64_MAX - 1, UINT64_MAX}, {UINT64_MAX, 0, 1, UINT64_MAX - 1});
  ExpectRoundTrip({UINT64_MAX}, {0});
  ExpectRoundTrip({0}, {UINT64_MAX});
}

TEST(PackedSlots, AllEqualAndZeroWidths) {
  ExpectRoundTrip(std::vector<uint64_t>(1000, 42), std::vector<uint64_t>(1000, 7));
}

TEST(PackedSlots, RandomWidthsAndPartialBlocks) {
  std::mt19937_64 rng(11);
  for (size_t n : {1, 63, 64, 65, 127, 128, 129, 5000}) {
    for (unsigned key_bits : {1u, 7u, 33u, 57u, 58u, 63u, 64u}) {
      std::vector<uint64_t> keys(n), payloads(n);
      for (size_t i = 0; i < n; ++i) {
        keys[i] = key_bits == 64 ? rng() : rng() & ((uint64_t{1} << key_bits) - 1);
        payloads[i] = rng() >> (rng() % 64);
      }
      ExpectRoundTrip(keys, payloads);
    }
  }
}

TEST(PackedSlots, DenseKeysAndRowIdsAreSmall) {
  // 1M keys 2 apart with shuffled 20-bit row ids: 7 key bits and 20 payload bits per slot plus
  // a 24-byte header per 64 slots, about 3.75 bytes a slot, where plain slots take 16.
  const size_t n = 1 << 20;
  std::vector<uint64_t> keys(n), payloads(n);
  for (size_t i = 0; i < n; ++i) keys[i] = 2 * i, payloads[i] = i;
  std::shuffle(payloads.begin(), payloads.end(), std::mt19937_64(3));
  ExpectRoundTrip(keys, payloads);
  PackedSlots slots;
  for (size_t i = 0; i < n; ++i) slots.Append(keys[i], payloads[i]);
  slots.Seal();
  EXPECT_LT(slots.MemoryBytes(), n * 4);
  EXPECT_GT(slots.MemoryBytes(), n * 3);
}

}  // namespace
}  // namespace augur::learned
