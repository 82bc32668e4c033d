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
  void Release() {
    generation_.fetch_add(1);
    mutex_.unlock();
  }
  // Counts releases: a change means a writer may have committed since the value was read.
  uint64_t generation() const { return generation_.load(); }

 private:
  std::timed_mutex mutex_;
  std::atomic<uint64_t> generation_{0};
};

}  // namespace augur::engine
