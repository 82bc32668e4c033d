// writer_lock_test.cpp: the writer turn's queue: FIFO hand-off, waking, leaving, cancelling.
#include "engine/locks/writer_lock.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace augur::engine {
namespace {

const std::set<std::string> kNoTables;

TEST(WriterLock, FreeTurnIsTakenAtOnce) {
  WriterLock lock;
  WriterLock::Waiter a;
  EXPECT_TRUE(lock.TryAcquire(a));
  EXPECT_TRUE(lock.TryAcquire(a));  // already holding
  lock.Release(a, kNoTables, false);
  EXPECT_EQ(lock.generation(), 1u);
  EXPECT_TRUE(lock.TryAcquire(a));
}

TEST(WriterLock, HandsTheTurnOnInArrivalOrderAndWakesEachWaiter) {
  WriterLock lock;
  WriterLock::Waiter holder;
  std::vector<int> woken;
  WriterLock::Waiter w[3];
  for (int i = 0; i < 3; ++i) w[i].wake = [&woken, i] { woken.push_back(i); };
  ASSERT_TRUE(lock.TryAcquire(holder));
  for (auto& waiter : w) EXPECT_FALSE(lock.TryAcquire(waiter));
  EXPECT_FALSE(lock.TryAcquire(w[0]));  // asking again keeps its place, queues nothing new
  EXPECT_EQ(lock.queued(), 3u);
  EXPECT_TRUE(woken.empty());

  lock.Release(holder, {"t"}, false);
  EXPECT_EQ(woken, std::vector<int>{0});
  // A newcomer does not overtake the waiter that was handed the turn but has not taken it yet.
  WriterLock::Waiter late;
  EXPECT_FALSE(lock.TryAcquire(late));
  EXPECT_FALSE(lock.TryAcquire(w[1]));
  EXPECT_TRUE(lock.TryAcquire(w[0]));
  lock.Release(w[0], kNoTables, false);
  EXPECT_EQ(woken, (std::vector<int>{0, 1}));
  EXPECT_TRUE(lock.TryAcquire(w[1]));
  lock.Release(w[1], kNoTables, false);
  EXPECT_TRUE(lock.TryAcquire(w[2]));
  lock.Release(w[2], kNoTables, false);
  EXPECT_TRUE(lock.TryAcquire(late));
  lock.Release(late, kNoTables, false);
  EXPECT_EQ(lock.queued(), 0u);
}

TEST(WriterLock, LeavingTheQueueOrAnUnusedTurnPassesItOn) {
  WriterLock lock;
  WriterLock::Waiter holder, a, b, c;
  int b_woken = 0, c_woken = 0;
  b.wake = [&] { ++b_woken; };
  c.wake = [&] { ++c_woken; };
  ASSERT_TRUE(lock.TryAcquire(holder));
  EXPECT_FALSE(lock.TryAcquire(a));
  EXPECT_FALSE(lock.TryAcquire(b));
  EXPECT_FALSE(lock.TryAcquire(c));
  lock.Leave(a);  // cancelled while queued
  EXPECT_EQ(lock.queued(), 2u);
  uint64_t generation = lock.generation();
  lock.Release(holder, kNoTables, false);
  EXPECT_EQ(b_woken, 1);
  lock.Leave(b);  // handed the turn, then cancelled before using it
  EXPECT_EQ(c_woken, 1);
  EXPECT_EQ(lock.generation(), generation + 1);  // leaving wrote nothing
  EXPECT_TRUE(lock.TryAcquire(c));
  lock.Leave(a);  // idle: no-op
  lock.Release(c, kNoTables, false);
  EXPECT_TRUE(lock.TryAcquire(a));
  lock.Release(a, kNoTables, false);
}

TEST(WriterLock, InterruptWakesOnlyAWaiter) {
  WriterLock lock;
  WriterLock::Waiter holder, a;
  int holder_woken = 0, a_woken = 0;
  holder.wake = [&] { ++holder_woken; };
  a.wake = [&] { ++a_woken; };
  ASSERT_TRUE(lock.TryAcquire(holder));
  lock.Interrupt(holder);
  EXPECT_EQ(holder_woken, 0);
  EXPECT_FALSE(lock.TryAcquire(a));
  lock.Interrupt(a);
  EXPECT_EQ(a_woken, 1);
  EXPECT_EQ(lock.queued(), 1u);  // an interrupt alone keeps the place
  lock.Leave(a);
  lock.Release(holder, kNoTables, false);
}

TEST(WriterLock, BlockingAcquireWaitsForTheHandOffOrACancellation) {
  WriterLock lock;
  WriterLock::Waiter holder, blocked, cancelled_waiter, after;
  ASSERT_TRUE(lock.TryAcquire(holder));
  std::atomic<bool> never{false}, cancel{false};
  std::atomic<int> got{0};
  std::thread t1([&] { got += lock.Acquire(blocked, never) ? 1 : 0; });
  while (lock.queued() < 1) std::this_thread::yield();
  std::thread t2([&] { got += lock.Acquire(cancelled_waiter, cancel) ? 10 : 0; });
  while (lock.queued() < 2) std::this_thread::yield();
  cancel = true;
  lock.Interrupt(cancelled_waiter);
  t2.join();
  EXPECT_EQ(got.load(), 0);
  EXPECT_EQ(lock.queued(), 1u);
  lock.Release(holder, kNoTables, false);
  t1.join();
  EXPECT_EQ(got.load(), 1);
  EXPECT_FALSE(lock.TryAcquire(after));
  lock.Release(blocked, kNoTables, false);
  EXPECT_TRUE(lock.TryAcquire(after));
  lock.Release(after, kNoTables, false);
}

TEST(WriterLock, ReleaseBumpsTheVersionsOfTheTablesWritten) {
  WriterLock lock;
  WriterLock::Waiter a;
  std::string before = lock.Stamp({"t", "u"});
  ASSERT_TRUE(lock.TryAcquire(a));
  lock.Release(a, {"t"}, false);
  std::string after = lock.Stamp({"t", "u"});
  EXPECT_NE(before, after);
  EXPECT_EQ(lock.Stamp({"u"}), "0:0");
  ASSERT_TRUE(lock.TryAcquire(a));
  lock.Release(a, kNoTables, true);
  EXPECT_EQ(lock.Stamp({"u"}), "1:0");
}

}  // namespace
}  // namespace augur::engine
