// advisory_locks.h: PostgreSQL's advisory locks (pg_advisory_lock and friends), one table per
// Database, shared by every session.
//
// Applications use advisory locks as named mutexes between sessions (leader election, "only one
// worker runs this job", migrations tools such as Flyway and Rails take one around a migration).
// PostgreSQL keeps them in its shared lock table; augur keeps them here. A lock is named by a
// bigint or by two ints (distinct spaces, as in PostgreSQL's pg_locks.objsubid 1 and 2), held in
// exclusive or shared mode, at session level (counted, reentrant, until unlocked or the session
// ends) or transaction level (until the transaction ends).
//
// A blocking request waits on the calling worker thread (it runs inside a DuckDB scalar
// function, which cannot suspend). Every wait is bounded: it ends with 57014 when the session is
// cancelled, with 55P03 after lock_timeout, and with 40P01 when waiting would close a cycle in
// the wait-for graph, whose edges are advisory waits and waits for the writer turn
// (writer_lock.h): "A holds the turn and waits for B's advisory lock while B waits for the turn"
// is a deadlock too. Detection runs, as in PostgreSQL, once a wait has lasted deadlock_timeout
// (one second), under the table's mutex, so of two sessions in one cycle only the first to look
// fails; the other goes on waiting and gets the lock once the victim's transaction ends. Since
// waits hold threads, only kMaxWaiters of them may be in progress at a time.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include "augur/result.h"
#include "engine/locks/writer_lock.h"

namespace augur::engine {

class AdvisoryLocks {
 public:
  // A lock's name: a bigint (space 1) or two ints (space 2, key = high << 32 | low).
  struct Key {
    int64_t key = 0;
    int space = 1;
    auto operator<=>(const Key&) const = default;
  };
  enum class Mode { kExclusive, kShared };
  enum class Scope { kSession, kTransaction };

  // One row of pg_locks.
  struct LockRow {
    Key key;
    Mode mode = Mode::kExclusive;
    int32_t pid = 0;
    bool granted = true;
  };

  // How a request waits: until `cancelled` becomes true (57014), or `timeout` passes when it is
  // positive (55P03). Not waiting at all is `try_only`.
  struct Wait {
    const std::atomic<bool>* cancelled = nullptr;
    std::chrono::milliseconds timeout{0};
    bool try_only = false;
  };

  // The writer turn, for waits-for edges of sessions queued for it. Call before any session
  // exists.
  void AttachWriterLock(const WriterLock* writer_lock) { writer_lock_ = writer_lock; }

  // The session holding the writer turn, 0 when none (pg_locks).
  int32_t turn_holder() const { return writer_lock_ ? writer_lock_->holder_owner() : 0; }

  // Takes the lock for session `pid`. True when taken; false for a try_only request that found
  // it held; an error when a wait failed (57014, 55P03, 40P01).
  Result<bool> Lock(int32_t pid, Key key, Mode mode, Scope scope, const Wait& wait);
  // Releases one session-level hold of `mode`; false (and PostgreSQL's warning is the caller's)
  // when the session held none.
  bool Unlock(int32_t pid, Key key, Mode mode);
  // Releases every session-level hold of `pid` (pg_advisory_unlock_all, session end).
  void UnlockAllSession(int32_t pid);
  // Releases every transaction-level hold of `pid` (the transaction ended).
  void UnlockAllTransaction(int32_t pid);
  // Wakes every waiter so that it looks at its cancellation flag now.
  void Interrupt();
  // Granted locks and the waits in progress, for pg_locks.
  std::vector<LockRow> Rows() const;

  // How long a wait lasts before it looks for a deadlock (PostgreSQL's deadlock_timeout default).
  static constexpr std::chrono::milliseconds kDeadlockTimeout{1000};
  // At most this many requests wait at once; one more fails with 55P03 at once. Each waiter
  // holds a worker thread: without a bound, as many waiters as the pool has threads (16 by
  // default) would leave the holder no thread to run its pg_advisory_unlock, and the server would
  // wedge (issue 16's lesson for the writer turn, which suspends instead).
  static constexpr size_t kMaxWaiters = 8;

 private:
  struct Hold {
    int exclusive_session = 0, exclusive_xact = 0, shared_session = 0, shared_xact = 0;
    int exclusive() const { return exclusive_session + exclusive_xact; }
    int total() const { return exclusive() + shared_session + shared_xact; }
  };
  struct Waiting {
    Key key;
    Mode mode;
  };

  bool Grantable(const Key& key, Mode mode, int32_t pid) const;
  // The sessions `pid` waits for: holders of the lock it requested, or the writer turn's holder.
  std::vector<int32_t> WaitsFor(int32_t pid) const;
  bool ClosesCycle(int32_t pid) const;
  void Erase(const Key& key, int32_t pid);

  mutable std::mutex mu_;
  std::condition_variable released_;
  std::map<Key, std::map<int32_t, Hold>> locks_;
  std::map<int32_t, Waiting> waiting_;
  const WriterLock* writer_lock_ = nullptr;
};

}  // namespace augur::engine
