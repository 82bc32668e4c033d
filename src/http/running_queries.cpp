// running_queries.cpp
#include "http/running_queries.h"

namespace augur::http {

bool ValidQueryId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

RunningQueries::Registration::~Registration() {
  std::lock_guard lock(owner_.mu_);
  owner_.running_.erase(id_);
}

Result<std::unique_ptr<RunningQueries::Registration>> RunningQueries::Register(
    const std::string& id, const std::string& role, Session& session) {
  if (!ValidQueryId(id)) {
    return Error("22023", "\"query_id\" must be 1 to 64 letters, digits, '-' or '_'");
  }
  auto shared = std::make_shared<Registration::Shared>();
  std::lock_guard lock(mu_);
  if (!running_.emplace(id, Running{role, &session, shared}).second) {
    return Error("42710", "a statement with query_id \"" + id + "\" is already running");
  }
  return std::make_unique<Registration>(*this, id, std::move(shared));
}

RunningQueries::CancelOutcome RunningQueries::Cancel(std::string_view id, std::string_view role,
                                                     bool superuser) {
  // Under the lock: the registration (and so the session) cannot go away meanwhile.
  std::lock_guard lock(mu_);
  auto it = running_.find(id);
  if (it == running_.end()) return CancelOutcome::kNotRunning;
  if (it->second.role != role && !superuser) return CancelOutcome::kNotYours;
  it->second.shared->cancelled.store(true);
  it->second.session->Cancel();
  return CancelOutcome::kCancelled;
}

RunningQueries::Progress RunningQueries::ProgressOf(std::string_view id, std::string_view role,
                                                    bool superuser) const {
  Progress out;
  // Under the lock, as Cancel: the session stays alive while it is read.
  std::lock_guard lock(mu_);
  auto it = running_.find(id);
  if (it == running_.end()) return out;
  if (it->second.role != role && !superuser) {
    out.outcome = Progress::Outcome::kNotYours;
    return out;
  }
  out.outcome = Progress::Outcome::kRunning;
  out.session = it->second.session->progress();
  out.statement = it->second.shared->statement.load();
  out.statements = it->second.shared->statements.load();
  return out;
}

size_t RunningQueries::size() const {
  std::lock_guard lock(mu_);
  return running_.size();
}

}  // namespace augur::http
