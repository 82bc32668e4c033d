// result_cache_test.cpp: byte capacity and LRU eviction, TTL on an injected clock, invalidation
// through the stamp check, and many threads at once (run under ASan by make test-asan).
#include "common/result_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace augur {
namespace {

using namespace std::chrono_literals;

ResultCache::Entry Body(size_t bytes, std::string stamp = "s") {
  return ResultCache::Entry{std::string(bytes, 'x'), "application/json", {"t"}, std::move(stamp)};
}

const auto kAlwaysCurrent = [](const ResultCache::Entry&) { return true; };

TEST(ResultCache, HitMissAndDisabled) {
  ResultCache cache(1 << 20, 60s);
  EXPECT_FALSE(cache.Get("a", kAlwaysCurrent));
  cache.Put("a", Body(10));
  auto hit = cache.Get("a", kAlwaysCurrent);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->body, std::string(10, 'x'));
  ResultCache off(0, 60s);
  off.Put("a", Body(10));
  EXPECT_FALSE(off.enabled());
  EXPECT_FALSE(off.Get("a", kAlwaysCurrent));
}

TEST(ResultCache, StaysWithinItsByteBudgetEvictingLeastRecentlyUsed) {
  ResultCache cache(8 * 4096, 60s);  // 4 KiB per shard, 1 KiB per entry at most
  for (int i = 0; i < 400; ++i) cache.Put("k" + std::to_string(i), Body(800));
  EXPECT_LE(cache.bytes(), 8u * 4096);
  EXPECT_GT(cache.entries(), 8u);
  // The latest entries are there, the first ones were evicted.
  EXPECT_TRUE(cache.Get("k399", kAlwaysCurrent));
  EXPECT_FALSE(cache.Get("k0", kAlwaysCurrent));
  // Too large for a shard's quarter: not stored at all.
  cache.Put("big", Body(5000));
  EXPECT_FALSE(cache.Get("big", kAlwaysCurrent));
}

TEST(ResultCache, RecentlyReadEntriesSurviveEviction) {
  ResultCache cache(8 * 4096, 60s);
  // Find keys of one shard by filling and reading back is overkill: use many keys and keep one
  // hot by reading it after every insertion.
  cache.Put("hot", Body(500));
  for (int i = 0; i < 400; ++i) {
    cache.Put("k" + std::to_string(i), Body(500));
    ASSERT_TRUE(cache.Get("hot", kAlwaysCurrent)) << i;
  }
}

TEST(ResultCache, ExpiresAfterTtl) {
  auto now = std::chrono::steady_clock::time_point(1h);
  ResultCache cache(1 << 20, 10s, [&] { return now; });
  cache.Put("a", Body(10));
  now += 9s;
  EXPECT_TRUE(cache.Get("a", kAlwaysCurrent));
  now += 2s;
  EXPECT_FALSE(cache.Get("a", kAlwaysCurrent));
  EXPECT_EQ(cache.entries(), 0u);  // dropped, not just hidden
}

TEST(ResultCache, StaleStampMakesTheEntryUnreachable) {
  ResultCache cache(1 << 20, 60s);
  cache.Put("a", Body(10, "v1"));
  std::string current = "v1";
  auto check = [&](const ResultCache::Entry& e) { return e.stamp == current; };
  EXPECT_TRUE(cache.Get("a", check));
  current = "v2";  // a write to the table committed
  EXPECT_FALSE(cache.Get("a", check));
  current = "v1";
  EXPECT_FALSE(cache.Get("a", check));  // gone for good
}

TEST(ResultCache, ConcurrentReadersAndWriters) {
  ResultCache cache(1 << 16, 60s);
  std::atomic<int> hits{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        std::string key = "k" + std::to_string((i * 7 + t) % 64);
        if (i % 3 == 0) {
          cache.Put(key, Body(100 + i % 300));
        } else if (auto e = cache.Get(key, kAlwaysCurrent)) {
          hits += e->body.size() >= 100;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_GT(hits.load(), 0);
  EXPECT_LE(cache.bytes(), 1u << 16);
}

}  // namespace
}  // namespace augur
