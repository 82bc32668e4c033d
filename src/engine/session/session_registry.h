// session_registry.h: the live sessions of one Database, for the SQL functions that act on
// sessions (pg_backend_pid, pg_cancel_backend, set_config, current_setting). DuckDB calls those
// functions with a ClientContext; the registry maps it back to augur's session. It also owns what
// the sessions share: the advisory lock table and the LISTEN/NOTIFY hub.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "augur/result.h"
#include "engine/locks/advisory_locks.h"
#include "engine/session/notifications.h"

namespace duckdb {
class ClientContext;
}

namespace augur::engine {

class SessionImpl;
class SessionRole;

// One row of pg_stat_activity.
struct SessionActivity {
  int32_t pid = 0;
  std::string user;
  std::string application;
  std::string client_address;
  int client_port = 0;
  std::chrono::system_clock::time_point backend_start;
  std::chrono::system_clock::time_point query_start;  // epoch when no statement ran yet
  std::string state;  // active, idle, idle in transaction, idle in transaction (aborted)
  std::string query;  // the running or the last statement
  // What an active session waits for, as PostgreSQL names it; empty when it runs. A session
  // queued for the writer turn shows Lock / transactionid, as one waiting for a row lock would.
  std::string wait_event_type;
  std::string wait_event;
  // How far the running statement has got, by DuckDB's estimate (engine/progress/): the percent
  // done and the rows processed of the rows it expects. Unset when idle or not yet estimated.
  std::optional<double> progress;
  std::optional<int64_t> rows_processed;
  std::optional<int64_t> rows_total;
};

class SessionRegistry {
 public:
  void Add(SessionImpl* session, duckdb::ClientContext* context, int32_t id);
  void Remove(duckdb::ClientContext* context, int32_t id);
  // The session running on `context`, or nullptr (internal connections).
  SessionImpl* ByContext(duckdb::ClientContext* context);
  // Cancels session `id`'s running statement on behalf of `caller` (null: augur itself), with
  // PostgreSQL's rule: a superuser cancels anyone, other roles only their own role's sessions and
  // never a superuser's. False when there is no such session; 42501 when the caller may not.
  Result<bool> Cancel(int32_t id, const SessionRole* caller);
  // Every live session's activity, by pid.
  std::vector<SessionActivity> Activity();

  AdvisoryLocks& advisory_locks() { return advisory_locks_; }
  NotificationHub& notifications() { return notifications_; }
  int32_t writer_turn_holder() const { return advisory_locks_.turn_holder(); }

 private:
  AdvisoryLocks advisory_locks_;
  NotificationHub notifications_;
  std::mutex mu_;
  std::unordered_map<duckdb::ClientContext*, SessionImpl*> by_context_;
  std::unordered_map<int32_t, SessionImpl*> by_id_;
};

}  // namespace augur::engine
