// session_registry.h: the live sessions of one Database, for the SQL functions that act on
// sessions (pg_backend_pid, pg_cancel_backend, set_config, current_setting). DuckDB calls those
// functions with a ClientContext; the registry maps it back to augur's session.
#pragma once

#include <cstdint>
#include <mutex>
#include <unordered_map>

namespace duckdb {
class ClientContext;
}

namespace augur::engine {

class SessionImpl;

class SessionRegistry {
 public:
  void Add(SessionImpl* session, duckdb::ClientContext* context, int32_t id);
  void Remove(duckdb::ClientContext* context, int32_t id);
  // The session running on `context`, or nullptr (internal connections).
  SessionImpl* ByContext(duckdb::ClientContext* context);
  // Cancels session `id`'s running statement; false when there is no such session.
  bool Cancel(int32_t id);

 private:
  std::mutex mu_;
  std::unordered_map<duckdb::ClientContext*, SessionImpl*> by_context_;
  std::unordered_map<int32_t, SessionImpl*> by_id_;
};

}  // namespace augur::engine
