// group_commit.h: one fsync of the write-ahead log for every commit queued behind it.
//
// DuckDB 1.4 fsyncs its WAL inside DuckTransactionManager::CommitTransaction while it holds
// wal_lock and the global transaction_lock, so commits cannot share an fsync and even a new read
// transaction waits behind each one. augur's file system for the WAL (group_commit_file_system.h)
// turns that fsync into a debt recorded here: Owe() returns at once and this object's thread
// syncs every file owed so far, one fdatasync per file per round, however many commits asked.
//
// Durability is unchanged for clients: a session waits for WaitUntilDurable() before it answers
// anything, so a COMMIT is acknowledged only once an fsync covering it has completed, and no
// client reads a row whose commit a crash could still take back (docs/ARCHITECTURE.md).
//
// Positions are counts of sync requests: requested() grows by one at every Owe(), durable() is
// the largest requested() value whose writes an fsync has covered. A failing fsync is fatal, as in
// PostgreSQL since 2018: after a failed fsync the kernel may have dropped the dirty pages and a
// retry would report success, so the process logs and aborts instead of pretending.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace augur::engine {

// One file whose writes may be owed an fsync: the WAL that DuckDB has open. It keeps a descriptor
// of its own (fsync covers the file, whichever descriptor asks), so the group-commit thread never
// touches DuckDB's handle, which may close (at a checkpoint) while a sync is pending.
class SyncFile {
 public:
  // Opens `path` for syncing; with `hold_unsynced`, writes are kept in memory until the next
  // sync (a crash test's stand-in for a lost page cache, see GroupCommitFileSystem).
  static std::shared_ptr<SyncFile> Open(const std::string& path, bool hold_unsynced);
  ~SyncFile();
  SyncFile(const SyncFile&) = delete;
  SyncFile& operator=(const SyncFile&) = delete;

  const std::string& path() const { return path_; }
  bool holds_unsynced() const { return hold_unsynced_; }

  // Runs fn(held) on the bytes written but held back (hold_unsynced mode only) while nothing
  // else reads or writes them out: fn may append, cut, or look at the file's size on disk.
  template <typename Fn>
  auto WithHeld(Fn fn) {
    std::lock_guard lock(mu_);
    return fn(held_);
  }
  // Writes what is held to the file.
  void WriteOutHeld();

  // Writes out what is held and fdatasyncs. Aborts the process on failure.
  void Sync();

 private:
  SyncFile(std::string path, int fd, bool hold_unsynced)
      : path_(std::move(path)), fd_(fd), hold_unsynced_(hold_unsynced) {}
  void WriteOutHeldLocked();

  const std::string path_;
  const int fd_;
  const bool hold_unsynced_;
  std::mutex mu_;  // guards held_ and orders its write-out with Hold/TruncateHeld
  std::vector<char> held_;
};

class GroupCommit {
 public:
  GroupCommit();
  ~GroupCommit();  // syncs what is still owed, then stops the thread
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Records that `file` has writes that need an fsync; returns the position an fsync must reach
  // to cover them. Never blocks on I/O.
  uint64_t Owe(const std::shared_ptr<SyncFile>& file);

  // Blocks until durable() >= position.
  void WaitFor(uint64_t position);

  // Blocks until every sync owed so far is done. Two loads when nothing is pending.
  void WaitUntilDurable() {
    uint64_t target = requested_.load(std::memory_order_acquire);
    if (durable_.load(std::memory_order_acquire) >= target) return;
    WaitFor(target);
  }

  uint64_t requested() const { return requested_.load(); }
  uint64_t durable() const { return durable_.load(); }
  // fsync rounds run so far (each covers every commit that queued behind it): for logs and tests.
  uint64_t rounds() const { return rounds_.load(); }

 private:
  void Run();

  std::mutex mu_;
  std::condition_variable work_cv_;  // the thread waits for debts
  std::condition_variable done_cv_;  // sessions wait for durable_
  std::vector<std::shared_ptr<SyncFile>> owed_;
  std::atomic<uint64_t> requested_{0};
  std::atomic<uint64_t> durable_{0};
  std::atomic<uint64_t> rounds_{0};
  bool stop_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace augur::engine
