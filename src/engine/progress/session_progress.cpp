// session_progress.cpp: Session::progress() for SessionImpl: the running statement's row of
// pg_stat_activity (SessionImpl::activity(), which reads DuckDB's estimate), in the public form
// that GET /api/progress and `augur restore` poll from another thread.
#include "engine/session/session_impl.h"

namespace augur::engine {

SessionProgress SessionImpl::progress() const {
  SessionActivity activity = this->activity();
  SessionProgress out;
  out.active = activity.state == "active";
  if (!out.active) return out;
  out.statement_start = activity.query_start;
  out.wait_event = activity.wait_event;
  out.percent = activity.progress;
  out.rows_processed = activity.rows_processed;
  out.rows_total = activity.rows_total;
  return out;
}

}  // namespace augur::engine
