// writer_lock.h: one writing transaction at a time, taking turns in arrival order.
//
// DuckDB's MVCC is optimistic: two transactions that update the same row both run, and the later
// one fails at the write with "Conflict on update" (40001). PostgreSQL clients expect the
// READ COMMITTED behaviour they know: the second writer waits for the first, then proceeds. OLTP
// scripts (pgbench's TPC-B updates 10 branch rows from every client) would otherwise fail a large
// share of their transactions. Every DuckDB commit already serializes on its WAL fsync, so making
// writers take turns costs little throughput; readers never take the lock and keep running
// concurrently on their snapshots.
//
// A session takes the turn before its first writing statement and keeps it until its transaction
// ends (at once in autocommit, at COMMIT/ROLLBACK in a block). A transaction block that read before
// it wrote may hold a snapshot older than the last writer's commit, and DuckDB would then report a
// conflict on rows that writer changed; generation() lets the session notice that and restart the
// (so far read-only) transaction on a fresh snapshot, which is what READ COMMITTED gives each
// statement in PostgreSQL.
//
// Waiting must not cost a thread. The server runs statements on a small worker pool; when waiters
// blocked workers, enough of them (more than the pool) left the holder's COMMIT without a thread
// and the server wedged (issue 16). So the lock is a FIFO queue with direct hand-off rather than a
// mutex: TryAcquire never blocks, it queues the session, and Release hands the turn to the first
// in line and calls that waiter's wake callback, which resumes the suspended connection. Callers
// that have no way to suspend (the embedded API, the HTTP server's own pool) use Acquire, which
// blocks on a condition variable and ends early on cancellation. Hand-off (instead of letting the
// woken waiters race for a free lock) keeps the order fair and a waiter cannot be overtaken
// between its wake-up and its retry.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace augur::engine {

class WriterLock {
 public:
  // One session's place with respect to the turn. Owned by the session, which must Release or
  // Leave before destroying it; its fields are the lock's (guarded by the lock's mutex).
  class Waiter {
   public:
    // Called when the turn is handed to this waiter, or when Interrupt asks it to look at its
    // cancellation. Runs on whichever thread hands the turn over, with the lock's mutex held:
    // it must only post or notify, quickly, and never call back into the lock. A waiter in
    // Acquire is woken through its condition variable either way.
    std::function<void()> wake;
    // The session's pid, for deadlock detection (advisory_locks.h) and pg_locks.
    int32_t owner = 0;

   private:
    friend class WriterLock;
    enum class State { kIdle, kQueued, kGranted, kHolding };
    State state = State::kIdle;  // kGranted: handed the turn, has not come to take it yet
    std::condition_variable cv;  // for Acquire
  };

  // Takes the turn when it is free and nobody is queued, or when it was handed to `w` while it
  // was queued. Otherwise queues `w` (once; calling again while queued keeps its place) and
  // returns false: w.wake is called when the turn is handed over. Never blocks.
  bool TryAcquire(Waiter& w) {
    std::lock_guard lock(mu_);
    return TryAcquireLocked(w);
  }

  // Waits for the turn, giving up when `cancelled` becomes true (whoever sets it must then call
  // Interrupt). Returns whether the turn was taken; when not, `w` has left the queue.
  bool Acquire(Waiter& w, const std::atomic<bool>& cancelled) {
    std::unique_lock lock(mu_);
    if (TryAcquireLocked(w)) return true;
    w.cv.wait(lock, [&] { return w.state == Waiter::State::kGranted || cancelled.load(); });
    if (cancelled.load()) {
      LeaveLocked(w);  // a cancellation wins over a hand-off that came at the same time
      return false;
    }
    w.state = Waiter::State::kHolding;
    return true;
  }

  // Gives up the turn or the place in the queue without having written: a cancelled wait, a
  // session that ends while queued. A turn already handed to `w` goes on to the next in line.
  // No-op when `w` is idle; a holder must Release instead.
  void Leave(Waiter& w) {
    std::lock_guard lock(mu_);
    LeaveLocked(w);
  }

  // Wakes `w` if it is waiting (queued or handed the turn), so that it notices a cancellation.
  void Interrupt(Waiter& w) {
    std::lock_guard lock(mu_);
    if (w.state == Waiter::State::kQueued || w.state == Waiter::State::kGranted) Wake(w);
  }

  // Ends the holder's turn and hands it to the first in line. The tables it wrote (bare names,
  // lower case) get new versions; `wrote_unknown` (DDL, or a write whose target is not known)
  // changes every table's version. Versions change at the end of a turn whether it committed or
  // rolled back: a stamp taken before may only turn stale early, never stay valid late.
  void Release(Waiter& w, const std::set<std::string>& tables_written, bool wrote_unknown) {
    {
      std::lock_guard lock(versions_mu_);
      if (wrote_unknown) ++epoch_;
      for (const auto& table : tables_written) ++versions_[table];
    }
    generation_.fetch_add(1);
    std::lock_guard lock(mu_);
    if (holder_ != &w) return;  // not the holder: nothing to hand over
    w.state = Waiter::State::kIdle;
    HandOn();
  }

  // Takes the turn only when it is free and nobody is queued (NOWAIT); never queues.
  bool TryAcquireNow(Waiter& w) {
    std::lock_guard lock(mu_);
    if (w.state == State::kHolding) return true;
    if (w.state != State::kIdle || holder_ != nullptr) return false;
    holder_ = &w;
    w.state = State::kHolding;
    return true;
  }

  // The owner of the turn's holder when `owner` is queued for the turn, or nullopt: the edge
  // "owner waits for holder" of the wait-for graph (advisory_locks.h).
  std::optional<int32_t> HolderAwaitedBy(int32_t owner) const {
    std::lock_guard lock(mu_);
    if (holder_ == nullptr) return std::nullopt;
    for (const Waiter* w : queue_) {
      if (w->owner == owner) return holder_->owner;
    }
    return std::nullopt;
  }

  // The owner of the turn's holder, 0 when the turn is free (pg_locks).
  int32_t holder_owner() const {
    std::lock_guard lock(mu_);
    return holder_ == nullptr ? 0 : holder_->owner;
  }

  // Counts releases: a change means a writer may have committed since the value was read.
  uint64_t generation() const { return generation_.load(); }

  // Sessions queued for the turn (for logs and tests).
  size_t queued() const {
    std::lock_guard lock(mu_);
    return queue_.size();
  }

  // The versions of `tables` as one string: equal stamps mean that no writer of any of them
  // ended its turn in between (what the result cache needs).
  std::string Stamp(const std::vector<std::string>& tables) const {
    std::lock_guard lock(versions_mu_);
    std::string stamp = std::to_string(epoch_);
    for (const auto& table : tables) {
      auto it = versions_.find(table);
      stamp += ':' + std::to_string(it == versions_.end() ? 0 : it->second);
    }
    return stamp;
  }

 private:
  using State = Waiter::State;

  bool TryAcquireLocked(Waiter& w) {
    switch (w.state) {
      case State::kHolding:
        return true;
      case State::kGranted:
        w.state = State::kHolding;
        return true;
      case State::kQueued:
        return false;
      case State::kIdle:
        break;
    }
    if (holder_ == nullptr) {  // with hand-off, a free turn means an empty queue
      holder_ = &w;
      w.state = State::kHolding;
      return true;
    }
    queue_.push_back(&w);
    w.state = State::kQueued;
    return false;
  }

  void LeaveLocked(Waiter& w) {
    if (w.state == State::kQueued) {
      queue_.erase(std::find(queue_.begin(), queue_.end(), &w));
      w.state = State::kIdle;
    } else if (w.state == State::kGranted) {
      w.state = State::kIdle;
      HandOn();
    }
  }

  // The turn is free: gives it to the first in line, or leaves it free.
  void HandOn() {
    holder_ = nullptr;
    if (queue_.empty()) return;
    Waiter* next = queue_.front();
    queue_.pop_front();
    holder_ = next;
    next->state = State::kGranted;
    Wake(*next);
  }

  // Both signals: a session with a wake callback may still wait in Acquire (Session::Query).
  static void Wake(Waiter& w) {
    if (w.wake) w.wake();
    w.cv.notify_one();
  }

  mutable std::mutex mu_;      // guards holder_, queue_ and every Waiter's state
  Waiter* holder_ = nullptr;   // kGranted or kHolding
  std::deque<Waiter*> queue_;  // kQueued, in arrival order
  std::atomic<uint64_t> generation_{0};
  mutable std::mutex versions_mu_;
  uint64_t epoch_ = 0;
  std::unordered_map<std::string, uint64_t> versions_;
};

}  // namespace augur::engine
