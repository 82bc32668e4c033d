// advisory_locks.cpp: the lock table, its waits and the deadlock check (see advisory_locks.h).
#include "engine/locks/advisory_locks.h"

#include <algorithm>
#include <set>

namespace augur::engine {

bool AdvisoryLocks::Grantable(const Key& key, Mode mode, int32_t pid) const {
  auto it = locks_.find(key);
  if (it == locks_.end()) return true;
  for (const auto& [holder, hold] : it->second) {
    if (holder == pid) continue;  // a session never conflicts with itself
    if (mode == Mode::kExclusive && hold.total() > 0) return false;
    if (mode == Mode::kShared && hold.exclusive() > 0) return false;
  }
  return true;
}

std::vector<int32_t> AdvisoryLocks::WaitsFor(int32_t pid) const {
  std::vector<int32_t> out;
  if (auto w = waiting_.find(pid); w != waiting_.end()) {
    if (auto it = locks_.find(w->second.key); it != locks_.end()) {
      for (const auto& [holder, hold] : it->second) {
        if (holder == pid) continue;
        if (w->second.mode == Mode::kExclusive || hold.exclusive() > 0) out.push_back(holder);
      }
    }
  }
  if (writer_lock_ != nullptr) {
    if (auto holder = writer_lock_->HolderAwaitedBy(pid); holder && *holder != pid) {
      out.push_back(*holder);
    }
  }
  return out;
}

bool AdvisoryLocks::ClosesCycle(int32_t pid) const {
  // Depth-first from pid's successors; a path back to pid is a cycle through it.
  std::vector<int32_t> stack = WaitsFor(pid);
  std::set<int32_t> seen;
  while (!stack.empty()) {
    int32_t next = stack.back();
    stack.pop_back();
    if (next == pid) return true;
    if (!seen.insert(next).second) continue;
    for (int32_t n : WaitsFor(next)) stack.push_back(n);
  }
  return false;
}

Result<bool> AdvisoryLocks::Lock(int32_t pid, Key key, Mode mode, Scope scope, const Wait& wait) {
  std::unique_lock lock(mu_);
  if (!Grantable(key, mode, pid)) {
    if (wait.try_only) return false;
    if (waiting_.size() >= kMaxWaiters) {
      return Error("55P03",
                   "could not obtain advisory lock: too many sessions are waiting for "
                   "advisory locks");
    }
    waiting_[pid] = Waiting{key, mode};
    struct Unwait {
      std::map<int32_t, Waiting>& waiting;
      int32_t pid;
      ~Unwait() { waiting.erase(pid); }
    } unwait{waiting_, pid};
    auto start = std::chrono::steady_clock::now();
    bool checked = false;
    while (!Grantable(key, mode, pid)) {
      if (wait.cancelled != nullptr && wait.cancelled->load()) {
        return Error("57014", "canceling statement due to user request");
      }
      auto now = std::chrono::steady_clock::now();
      auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(now - start);
      if (wait.timeout.count() > 0 && waited >= wait.timeout) {
        return Error("55P03", "canceling statement due to lock timeout");
      }
      if (!checked && waited >= kDeadlockTimeout) {
        checked = true;  // PostgreSQL looks once per wait, after deadlock_timeout
        if (ClosesCycle(pid)) {
          std::string detail = "Process " + std::to_string(pid) + " waits for " +
                               (mode == Mode::kExclusive ? "ExclusiveLock" : "ShareLock") +
                               " on advisory lock [" + std::to_string(key.key) + "]";
          return Error("40P01", "deadlock detected")
              .WithDetail(std::move(detail))
              .WithHint("See server log for query details.");
        }
      }
      // Short slices: a cancellation or a lock released elsewhere is noticed promptly even
      // when a notification was missed.
      released_.wait_for(lock, std::chrono::milliseconds(50));
    }
  }
  Hold& hold = locks_[key][pid];
  bool session = scope == Scope::kSession;
  if (mode == Mode::kExclusive) {
    ++(session ? hold.exclusive_session : hold.exclusive_xact);
  } else {
    ++(session ? hold.shared_session : hold.shared_xact);
  }
  return true;
}

void AdvisoryLocks::Erase(const Key& key, int32_t pid) {
  auto it = locks_.find(key);
  if (it == locks_.end()) return;
  auto h = it->second.find(pid);
  if (h != it->second.end() && h->second.total() == 0) it->second.erase(h);
  if (it->second.empty()) locks_.erase(it);
}

bool AdvisoryLocks::Unlock(int32_t pid, Key key, Mode mode) {
  std::lock_guard lock(mu_);
  auto it = locks_.find(key);
  if (it == locks_.end()) return false;
  auto h = it->second.find(pid);
  if (h == it->second.end()) return false;
  int& count = mode == Mode::kExclusive ? h->second.exclusive_session : h->second.shared_session;
  if (count == 0) return false;
  --count;
  Erase(key, pid);
  released_.notify_all();
  return true;
}

void AdvisoryLocks::UnlockAllSession(int32_t pid) {
  std::lock_guard lock(mu_);
  std::vector<Key> touched;
  for (auto& [key, holders] : locks_) {
    if (auto h = holders.find(pid); h != holders.end()) {
      h->second.exclusive_session = h->second.shared_session = 0;
      touched.push_back(key);
    }
  }
  for (const auto& key : touched) Erase(key, pid);
  if (!touched.empty()) released_.notify_all();
}

void AdvisoryLocks::UnlockAllTransaction(int32_t pid) {
  std::lock_guard lock(mu_);
  std::vector<Key> touched;
  for (auto& [key, holders] : locks_) {
    if (auto h = holders.find(pid); h != holders.end()) {
      h->second.exclusive_xact = h->second.shared_xact = 0;
      touched.push_back(key);
    }
  }
  for (const auto& key : touched) Erase(key, pid);
  if (!touched.empty()) released_.notify_all();
}

void AdvisoryLocks::Interrupt() {
  std::lock_guard lock(mu_);
  released_.notify_all();
}

std::vector<AdvisoryLocks::LockRow> AdvisoryLocks::Rows() const {
  std::lock_guard lock(mu_);
  std::vector<LockRow> rows;
  for (const auto& [key, holders] : locks_) {
    for (const auto& [pid, hold] : holders) {
      if (hold.exclusive() > 0) rows.push_back(LockRow{key, Mode::kExclusive, pid, true});
      if (hold.total() > hold.exclusive()) rows.push_back(LockRow{key, Mode::kShared, pid, true});
    }
  }
  for (const auto& [pid, w] : waiting_) rows.push_back(LockRow{w.key, w.mode, pid, false});
  return rows;
}

}  // namespace augur::engine
