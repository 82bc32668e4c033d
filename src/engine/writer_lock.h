// writer_lock.h: one writing transaction at a time.
//
// DuckDB's MVCC is optimistic: two transactions that update the same row both run, and the later
// one fails at the write with "Conflict on update" (40001). PostgreSQL clients expect the
// READ COMMITTED behaviour they know: the second writer waits for the first, then proceeds. OLTP
// scripts (pgbench's TPC-B updates 10 branch rows from every client) would otherwise fail a large
// share of their transactions. Every DuckDB commit already serializes on its WAL fsync, so making
// writers take turns costs little throughput; readers never take the lock and keep running
// concurrently on their snapshots.
//
// A session takes the lock before its first writing statement and keeps it until its transaction
// ends (at once in autocommit, at COMMIT/ROLLBACK in a block). A transaction block that read before
// it wrote may hold a snapshot older than the last writer's commit, and DuckDB would then report a
// conflict on rows that writer changed; generation() lets the session notice that and restart the
// (so far read-only) transaction on a fresh snapshot, which is what READ COMMITTED gives each
// statement in PostgreSQL.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace augur::engine {

class WriterLock {
 public:
  // Waits for the lock, giving up when `cancelled` becomes true (checked every few
  // milliseconds). Returns whether the lock was taken.
  bool Acquire(const std::atomic<bool>& cancelled) {
    while (!mutex_.try_lock_for(std::chrono::milliseconds(5))) {
      if (cancelled.load()) return false;
    }
    return true;
  }
  // Ends the holder's turn. The tables it wrote (bare names, lower case) get new versions;
  // `wrote_unknown` (DDL, or a write whose target is not known) changes every table's version.
  // Versions change at the end of a turn whether it committed or rolled back: a stamp taken
  // before may only turn stale early, never stay valid late.
  void Release(const std::set<std::string>& tables_written, bool wrote_unknown) {
    {
      std::lock_guard lock(versions_mu_);
      if (wrote_unknown) ++epoch_;
      for (const auto& table : tables_written) ++versions_[table];
    }
    generation_.fetch_add(1);
    mutex_.unlock();
  }
  // Counts releases: a change means a writer may have committed since the value was read.
  uint64_t generation() const { return generation_.load(); }

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
  std::timed_mutex mutex_;
  std::atomic<uint64_t> generation_{0};
  mutable std::mutex versions_mu_;
  uint64_t epoch_ = 0;
  std::unordered_map<std::string, uint64_t> versions_;
};

}  // namespace augur::engine
