// updatable_index_test.cpp: random inserts, deletes, lookups, ranges and merges checked against
// std::multiset, single-threaded and with a merge racing writers and readers.
#include "learned/updatable_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <random>
#include <set>
#include <thread>
#include <tuple>

namespace augur::learned {
namespace {

using Entry = UpdatableIndex::Entry;

std::vector<Entry> Expected(const std::multiset<Entry>& model, uint64_t lo, uint64_t hi) {
  std::vector<Entry> out;
  for (auto it = model.lower_bound({lo, 0}); it != model.end() && it->first <= hi; ++it) {
    out.push_back(*it);
  }
  return out;
}

// The buffer limit under test (0 stands for the default: no fold in these sizes; the small ones
// make every few inserts fold the buffer into the `young` run, and often `young` into `recent`),
// and whether folds and merges run on background threads.
class BufferLimits : public ::testing::TestWithParam<std::tuple<size_t, bool>> {
 protected:
  UpdatableIndex::Options options() const {
    auto [limit, background] = GetParam();
    return {.buffer_limit = limit ? limit : UpdatableIndex::kDefaultBufferLimit,
            .background = background};
  }
};
INSTANTIATE_TEST_SUITE_P(UpdatableIndex, BufferLimits,
                         ::testing::Combine(::testing::Values(0, 1, 7, 256), ::testing::Bool()));

TEST_P(BufferLimits, RandomOperationsMatchMultiset) {
  std::mt19937_64 rng(1234);
  std::vector<Entry> initial;
  for (int i = 0; i < 20'000; ++i) initial.emplace_back(rng() % 5000, rng() % 100);
  UpdatableIndex index(initial, {.epsilon = 8}, options());
  std::multiset<Entry> model(initial.begin(), initial.end());

  for (int step = 0; step < 40'000; ++step) {
    uint64_t key = rng() % 5200;  // some keys beyond the initial range
    switch (rng() % 7) {
      case 0:
      case 1: {
        uint64_t payload = rng() % 100;
        index.Insert(key, payload);
        model.emplace(key, payload);
        break;
      }
      case 2: {
        // Delete something that exists half the time, something random otherwise.
        Entry e{key, rng() % 100};
        if (rng() % 2 && !model.empty()) {
          auto it = model.lower_bound({key, 0});
          if (it != model.end()) e = *it;
        }
        auto it = model.find(e);
        bool present = it != model.end();
        ASSERT_EQ(index.Erase(e.first, e.second), present) << e.first << "/" << e.second;
        if (present) model.erase(it);
        break;
      }
      case 3: {
        uint64_t hi = key + rng() % 50;
        ASSERT_EQ(index.Range(key, hi), Expected(model, key, hi)) << key << ".." << hi;
        ASSERT_EQ(index.Count(key, hi), Expected(model, key, hi).size()) << key << ".." << hi;
        break;
      }
      case 5: {
        // Edge: the first n (or last n) by key, with ties of the n-th.
        size_t n = rng() % 40;
        bool largest = rng() % 2;
        std::vector<Entry> want;
        auto take = [&](auto it, auto end) {
          for (; it != end && n > 0; ++it) {
            if (want.size() >= n && it->first != want.back().first) break;
            want.push_back(*it);
          }
        };
        if (largest) {
          take(model.rbegin(), model.rend());
        } else {
          take(model.begin(), model.end());
        }
        ASSERT_EQ(index.Edge(n, largest), want) << n << (largest ? " largest" : " smallest");
        break;
      }
      case 4: {
        std::vector<uint64_t> want;
        for (auto& e : Expected(model, key, key)) want.push_back(e.second);
        ASSERT_EQ(index.Find(key), want);
        auto any = index.FindAny(key);
        ASSERT_EQ(any.has_value(), !want.empty()) << key;
        if (any) {
          ASSERT_TRUE(std::count(want.begin(), want.end(), *any)) << key << "/" << *any;
        }
        break;
      }
      default:
        if (rng() % 500 == 0 || index.NeedsMerge()) index.Merge();
        break;
    }
    ASSERT_EQ(index.size(), model.size());
  }
  index.Merge();
  EXPECT_EQ(index.delta_size(), 0u);
  EXPECT_EQ(index.Range(0, UINT64_MAX), Expected(model, 0, UINT64_MAX));
  EXPECT_TRUE(index.Range(10, 5).empty());
}

TEST_P(BufferLimits, MergeRacingWritersKeepsEveryChange) {
  UpdatableIndex index({}, {.epsilon = 16}, options());
  std::atomic<bool> stop{false};
  std::thread merger([&] {
    while (!stop) {
      index.Merge();
      std::this_thread::sleep_for(std::chrono::microseconds(100));  // lets a folding writer in
    }
  });
  std::thread reader([&] {
    while (!stop) {
      auto all = index.Range(0, UINT64_MAX);
      ASSERT_TRUE(std::is_sorted(all.begin(), all.end()));
    }
  });
  std::multiset<Entry> model;
  std::mt19937_64 rng(99);
  for (int i = 0; i < 20'000; ++i) {
    uint64_t key = rng() % 1000, payload = static_cast<uint64_t>(i);
    index.Insert(key, payload);
    model.emplace(key, payload);
    if (i % 3 == 0) {
      auto it = model.lower_bound({rng() % 1000, 0});
      if (it != model.end()) {
        ASSERT_TRUE(index.Erase(it->first, it->second));
        model.erase(it);
      }
    }
  }
  stop = true;
  merger.join();
  reader.join();
  EXPECT_EQ(index.Range(0, UINT64_MAX), Expected(model, 0, UINT64_MAX));
  index.Merge();
  EXPECT_EQ(index.Range(0, UINT64_MAX), Expected(model, 0, UINT64_MAX));
}

// FindAny reads base, recent and young without the lock. Readers look up keys that stay present
// (they must always be found) and keys whose Erase has returned (they must never be), while a
// writer inserts (folds replace `young` and `recent`), erases (tombstones send lookups to the
// locked path) and a merger replaces the base and consumes tombstones. Under ASan a run freed too
// early fails too.
TEST_P(BufferLimits, LockFreeFindAnyRacingFoldsMergesAndErases) {
  constexpr uint64_t kStable = 20'000, kErased = 5'000;
  std::vector<Entry> initial;
  for (uint64_t k = 0; k < kStable + kErased; ++k) initial.emplace_back(k * 8, k);
  UpdatableIndex index(initial, {.epsilon = 16}, options());
  std::atomic<uint64_t> erased_below{0};  // keys kStable.. below this have been erased
  std::atomic<bool> stop{false};
  std::thread merger([&] {
    while (!stop) {
      index.Merge();
      std::this_thread::sleep_for(std::chrono::microseconds(100));  // lets a folding writer in
    }
  });
  auto read = [&](uint64_t seed) {
    std::mt19937_64 rng(seed);
    while (!stop) {
      const uint64_t k = rng() % kStable;
      const auto found = index.FindAny(k * 8);
      ASSERT_TRUE(found.has_value()) << k;
      ASSERT_EQ(*found, k);
      const uint64_t gone = erased_below.load();
      if (gone > 0) {
        const uint64_t e = kStable + rng() % gone;
        ASSERT_FALSE(index.FindAny(e * 8).has_value()) << e;
      }
    }
  };
  std::thread reader1(read, 1), reader2(read, 2);
  std::mt19937_64 rng(3);
  for (uint64_t i = 0; i < kErased; ++i) {
    for (int j = 0; j < 8; ++j) index.Insert(rng() | 1, i);  // odd keys: never looked up
    ASSERT_TRUE(index.Erase((kStable + i) * 8, kStable + i));
    erased_below.store(i + 1);
  }
  stop = true;
  merger.join();
  reader1.join();
  reader2.join();
  index.Merge();
  EXPECT_EQ(index.size(), kStable + 8 * kErased);
  EXPECT_FALSE(index.FindAny(kStable * 8).has_value());
  EXPECT_EQ(index.FindAny(8), std::optional<uint64_t>(1));
}

// A batch longer than the buffer goes in a buffer's worth at a time, with folds between (and,
// in the background mode with small limits, waits for a running fold once the buffer has
// grown to its cap): the same entries as one insert after the other.
TEST_P(BufferLimits, InsertBatchEqualsSingleInserts) {
  std::mt19937_64 rng(99);
  std::vector<UpdatableIndex::Entry> base, batch;
  for (int i = 0; i < 5000; ++i) base.emplace_back(rng() % 1000, rng() % 50);
  for (int i = 0; i < 3000; ++i) batch.emplace_back(rng() % 1200, rng() % 50);
  UpdatableIndex one_by_one(base, {}, options()), batched(base, {}, options());
  for (auto& [key, payload] : batch) one_by_one.Insert(key, payload);
  batched.InsertBatch(batch);
  EXPECT_EQ(batched.size(), one_by_one.size());
  EXPECT_EQ(batched.Range(0, UINT64_MAX), one_by_one.Range(0, UINT64_MAX));
  batched.Merge();
  EXPECT_EQ(batched.Range(0, UINT64_MAX), one_by_one.Range(0, UINT64_MAX));
}

TEST(UpdatableIndex, DenseLayoutPathsMatchStreamedOnes) {
  // A size budget or the optimal segmentation lays the gapped runs out from a dense run; the
  // default options lay them out as entries come. Both must hold the same entries.
  std::mt19937_64 rng(7);
  std::vector<UpdatableIndex::Entry> base, more;
  for (int i = 0; i < 20000; ++i) base.emplace_back(rng() % 100000, rng() % 50);
  for (int i = 0; i < 20000; ++i) more.emplace_back(rng() % 120000, rng() % 50);
  const UpdatableIndex::Options small_buffer{.buffer_limit = 1024};
  UpdatableIndex streamed(base, {.epsilon = 16}, small_buffer);
  UpdatableIndex budgeted(base, {.epsilon = 16, .max_bytes_per_key = 0.08}, small_buffer);
  UpdatableIndex optimal(base, {.epsilon = 16, .optimal_segmentation = true}, small_buffer);
  for (UpdatableIndex* index : {&streamed, &budgeted, &optimal}) {
    for (auto& [key, payload] : more) index->Insert(key, payload);  // folds promote into recent
    ASSERT_GT(index->delta_size(), 0u);
  }
  const auto expected = streamed.Range(0, UINT64_MAX);
  ASSERT_EQ(expected.size(), base.size() + more.size());
  for (UpdatableIndex* index : {&budgeted, &optimal}) {
    EXPECT_EQ(index->Range(0, UINT64_MAX), expected);
    index->Merge();
    EXPECT_EQ(index->Range(0, UINT64_MAX), expected);
    for (size_t i = 0; i < more.size(); i += 97) {
      EXPECT_TRUE(index->FindAny(more[i].first).has_value()) << more[i].first;
    }
  }
}

}  // namespace
}  // namespace augur::learned
