// rate_limiter_test.cpp: GCRA burst, steady rate and retry-after arithmetic on an injected clock,
// plus many threads on one key admitting exactly what the arithmetic allows.
#include "common/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace augur {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

struct FakeClock {
  nanoseconds now{1'000'000'000};
  RateLimiter::Clock clock() {
    return [this] { return now; };
  }
};

TEST(RateLimiter, BurstThenSteadyRate) {
  FakeClock t;
  RateLimiter limiter(10.0, 3, t.clock());  // one per 100 ms, three at once
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Admit("a").allowed) << i;
  auto refused = limiter.Admit("a");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, milliseconds(100));
  t.now += milliseconds(40);
  refused = limiter.Admit("a");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, milliseconds(60));  // the wait shrinks as time passes
  t.now += milliseconds(60);
  EXPECT_TRUE(limiter.Admit("a").allowed);
  EXPECT_FALSE(limiter.Admit("a").allowed);
  // Steady: one every 100 ms is always admitted.
  for (int i = 0; i < 20; ++i) {
    t.now += milliseconds(100);
    EXPECT_TRUE(limiter.Admit("a").allowed) << i;
  }
}

TEST(RateLimiter, KeysAreIndependentAndQuietKeysRecover) {
  FakeClock t;
  RateLimiter limiter(1.0, 2, t.clock());
  EXPECT_TRUE(limiter.Admit("a").allowed);
  EXPECT_TRUE(limiter.Admit("a").allowed);
  EXPECT_FALSE(limiter.Admit("a").allowed);
  EXPECT_TRUE(limiter.Admit("b").allowed);  // another client is not affected
  t.now += std::chrono::seconds(60);        // a long pause restores the full burst, no more
  EXPECT_TRUE(limiter.Admit("a").allowed);
  EXPECT_TRUE(limiter.Admit("a").allowed);
  EXPECT_FALSE(limiter.Admit("a").allowed);
}

TEST(RateLimiter, DisabledAdmitsEverything) {
  RateLimiter limiter(0, 1);
  EXPECT_FALSE(limiter.enabled());
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(limiter.Admit("a").allowed);
}

TEST(RateLimiter, ConcurrentCallersShareOneBudget) {
  FakeClock t;  // time stands still: exactly `burst` admissions in total
  RateLimiter limiter(5.0, 50, t.clock());
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 100; ++j) admitted += limiter.Admit("shared").allowed;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(admitted.load(), 50);
}

}  // namespace
}  // namespace augur

namespace augur {
namespace {

TEST(RateLimiterPeek, PeekCountsNothingAndSeesTheRefusal) {
  std::chrono::nanoseconds now{0};
  RateLimiter limiter(1.0, 2, [&] { return now; });
  EXPECT_TRUE(limiter.Peek("a").allowed);
  EXPECT_TRUE(limiter.Peek("a").allowed);  // peeking twice spends nothing
  EXPECT_TRUE(limiter.Admit("a").allowed);
  EXPECT_TRUE(limiter.Admit("a").allowed);
  auto peek = limiter.Peek("a");
  EXPECT_FALSE(peek.allowed);
  EXPECT_EQ(peek.retry_after, std::chrono::seconds(1));
  EXPECT_TRUE(limiter.Peek("b").allowed);
  now += std::chrono::seconds(1);
  EXPECT_TRUE(limiter.Peek("a").allowed);
}

}  // namespace
}  // namespace augur
