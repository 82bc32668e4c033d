// advisory_locks_test.cpp: the advisory lock table: modes, counting, scopes, and how waits end
// (granted, timeout, cancellation, deadlock through another lock or the writer turn).
#include "engine/locks/advisory_locks.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace augur::engine {
namespace {

using Mode = AdvisoryLocks::Mode;
using Scope = AdvisoryLocks::Scope;
using Key = AdvisoryLocks::Key;

AdvisoryLocks::Wait TryOnly() {
  AdvisoryLocks::Wait w;
  w.try_only = true;
  return w;
}

TEST(AdvisoryLocks, ExclusiveSharedAndCounting) {
  AdvisoryLocks locks;
  EXPECT_TRUE(*locks.Lock(1, Key{42, 1}, Mode::kExclusive, Scope::kSession, TryOnly()));
  EXPECT_TRUE(*locks.Lock(1, Key{42, 1}, Mode::kExclusive, Scope::kSession, TryOnly()));
  EXPECT_FALSE(*locks.Lock(2, Key{42, 1}, Mode::kShared, Scope::kSession, TryOnly()));
  EXPECT_TRUE(*locks.Lock(2, Key{42, 2}, Mode::kExclusive, Scope::kSession, TryOnly()));  // 2 ints
  EXPECT_TRUE(locks.Unlock(1, Key{42, 1}, Mode::kExclusive));
  EXPECT_FALSE(*locks.Lock(2, Key{42, 1}, Mode::kShared, Scope::kSession, TryOnly()));
  EXPECT_TRUE(locks.Unlock(1, Key{42, 1}, Mode::kExclusive));
  EXPECT_FALSE(locks.Unlock(1, Key{42, 1}, Mode::kExclusive));
  EXPECT_TRUE(*locks.Lock(2, Key{42, 1}, Mode::kShared, Scope::kSession, TryOnly()));
  EXPECT_TRUE(*locks.Lock(3, Key{42, 1}, Mode::kShared, Scope::kSession, TryOnly()));
  EXPECT_FALSE(*locks.Lock(1, Key{42, 1}, Mode::kExclusive, Scope::kSession, TryOnly()));
  EXPECT_EQ(locks.Rows().size(), 3u);
}

TEST(AdvisoryLocks, TransactionScopeEndsSeparately) {
  AdvisoryLocks locks;
  ASSERT_TRUE(*locks.Lock(1, Key{7, 1}, Mode::kExclusive, Scope::kTransaction, TryOnly()));
  ASSERT_TRUE(*locks.Lock(1, Key{8, 1}, Mode::kExclusive, Scope::kSession, TryOnly()));
  locks.UnlockAllTransaction(1);
  EXPECT_TRUE(*locks.Lock(2, Key{7, 1}, Mode::kExclusive, Scope::kSession, TryOnly()));
  EXPECT_FALSE(*locks.Lock(2, Key{8, 1}, Mode::kExclusive, Scope::kSession, TryOnly()));
  locks.UnlockAllSession(1);
  EXPECT_TRUE(*locks.Lock(2, Key{8, 1}, Mode::kExclusive, Scope::kSession, TryOnly()));
}

TEST(AdvisoryLocks, WaitEndsWhenReleasedOrTimedOutOrCancelled) {
  AdvisoryLocks locks;
  ASSERT_TRUE(*locks.Lock(1, Key{1, 1}, Mode::kExclusive, Scope::kSession, TryOnly()));
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    locks.Unlock(1, Key{1, 1}, Mode::kExclusive);
  });
  AdvisoryLocks::Wait wait;
  auto got = locks.Lock(2, Key{1, 1}, Mode::kExclusive, Scope::kSession, wait);
  releaser.join();
  ASSERT_TRUE(got);
  EXPECT_TRUE(*got);

  wait.timeout = std::chrono::milliseconds(100);
  auto timed_out = locks.Lock(3, Key{1, 1}, Mode::kExclusive, Scope::kSession, wait);
  ASSERT_FALSE(timed_out);
  EXPECT_EQ(timed_out.error().sqlstate, "55P03");

  std::atomic<bool> cancelled{false};
  AdvisoryLocks::Wait cancellable;
  cancellable.cancelled = &cancelled;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cancelled = true;
    locks.Interrupt();
  });
  auto cancel = locks.Lock(3, Key{1, 1}, Mode::kExclusive, Scope::kSession, cancellable);
  canceller.join();
  ASSERT_FALSE(cancel);
  EXPECT_EQ(cancel.error().sqlstate, "57014");
}

TEST(AdvisoryLocks, DeadlockFailsOneOfTwo) {
  AdvisoryLocks locks;
  ASSERT_TRUE(*locks.Lock(1, Key{1, 1}, Mode::kExclusive, Scope::kTransaction, TryOnly()));
  ASSERT_TRUE(*locks.Lock(2, Key{2, 1}, Mode::kExclusive, Scope::kTransaction, TryOnly()));
  Result<bool> first = false, second = false;
  std::thread a([&] {
    first = locks.Lock(1, Key{2, 1}, Mode::kExclusive, Scope::kTransaction, {});
    if (!first) locks.UnlockAllTransaction(1);  // the victim's transaction ends
  });
  std::thread b([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    second = locks.Lock(2, Key{1, 1}, Mode::kExclusive, Scope::kTransaction, {});
  });
  a.join();
  b.join();
  ASSERT_FALSE(first);  // a waited longer: it looked first
  EXPECT_EQ(first.error().sqlstate, "40P01");
  ASSERT_TRUE(second);
}

TEST(AdvisoryLocks, DeadlockThroughTheWriterTurn) {
  WriterLock turn;
  AdvisoryLocks locks;
  locks.AttachWriterLock(&turn);
  WriterLock::Waiter holder, queued;
  holder.owner = 1;
  queued.owner = 2;
  ASSERT_TRUE(turn.TryAcquire(holder));
  ASSERT_TRUE(*locks.Lock(2, Key{5, 1}, Mode::kExclusive, Scope::kSession, TryOnly()));
  ASSERT_FALSE(turn.TryAcquire(queued));  // 2 waits for the turn that 1 holds
  auto got = locks.Lock(1, Key{5, 1}, Mode::kExclusive, Scope::kSession, {});
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().sqlstate, "40P01");
  turn.Leave(queued);
  turn.Release(holder, {}, false);
}

}  // namespace
}  // namespace augur::engine
