// session.cpp: one client session on one DuckDB connection: its life (start, end, the
// transaction state it reports), what pg_stat_activity shows of it, and Query() for callers
// inside the server. Statements run through statement_pipeline.cpp.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "duckdb/main/client_context.hpp"
#include "engine/learned_index/learned_index_module.h"
#include "engine/progress/statement_progress.h"
#include "engine/session/session_impl.h"

namespace augur::engine {

Result<RowBatch> SessionImpl::Query(std::string_view sql) {
  BlockForTurn blocking(block_for_turn_);  // it runs several statements: no retry from outside
  auto statements = Split(sql);
  if (!statements) return std::move(statements).error();
  RowBatch last;
  for (auto& statement : *statements) {
    auto cursor = Execute(*statement);
    if (!cursor) return std::move(cursor).error();
    auto all = FetchAll(**cursor);
    if (!all) return std::move(all).error();
    last = std::move(*all);
  }
  return last;
}

SessionImpl::~SessionImpl() {
  registry_.Remove(connection_.context.get(), id_);
  // Session end: its advisory locks go, its LISTENs and undelivered notifications too.
  registry_.advisory_locks().UnlockAllTransaction(id_);
  registry_.advisory_locks().UnlockAllSession(id_);
  registry_.notifications().Remove(id_);
  if (holds_writer_lock_) {
    // Ending the session ends its transaction; roll it back before another writer starts.
    try {
      if (!connection_.context->transaction.IsAutoCommit()) connection_.Query("ROLLBACK");
    } catch (...) {
    }
    writer_lock_.Release(writer_waiter_, tables_written_, wrote_unknown_);
  } else {
    // A session that ends while queued (its client left, the server stops) gives up its place,
    // or passes on a turn that was handed to it and never used.
    writer_lock_.Leave(writer_waiter_);
  }
}

void SessionImpl::SetClientInfo(std::string user, std::string application, std::string address,
                                int port) {
  if (!application.empty()) (void)settings_.Set("application_name", application);
  // SHOW is_superuser / session_authorization answer for the session's role.
  auto role = role_->Current();
  (void)settings_.Set("session_authorization", role_->name());
  (void)settings_.Set("is_superuser", role && role->superuser ? "on" : "off");
  settings_.TakeReportedChanges();  // the startup ParameterStatus messages already said these
  std::lock_guard lock(activity_mu_);
  activity_.application = std::move(application);
  activity_.user = std::move(user);
  activity_.client_address = std::move(address);
  activity_.client_port = port;
}

SessionActivity SessionImpl::activity() const {
  std::lock_guard lock(activity_mu_);
  SessionActivity copy = activity_;
  copy.pid = id_;
  if (waiting_for_turn_ && copy.state == "active") {
    copy.wait_event_type = "Lock";
    copy.wait_event = "transactionid";
  } else if (waiting_for_advisory_lock_ && copy.state == "active") {
    copy.wait_event_type = "Lock";
    copy.wait_event = "advisory";
  }
  if (copy.state == "active" && copy.wait_event.empty()) {
    auto progress = ReadStatementProgress(*connection_.context);
    copy.progress = progress.percent;
    copy.rows_processed = progress.rows_processed;
    copy.rows_total = progress.rows_total;
  }
  switch (state_.load()) {
    case TransactionState::kIdle:
      if (copy.state != "active") copy.state = "idle";
      break;
    case TransactionState::kInBlock:
      if (copy.state != "active") copy.state = "idle in transaction";
      break;
    case TransactionState::kFailed:
      copy.state = "idle in transaction (aborted)";
      break;
  }
  return copy;
}

void SessionImpl::NoteStatementStart(std::string_view text) {
  if (waiting_for_turn_) return;  // the retry of a queued statement: it started when it queued
  std::string application = settings_.Get("application_name").value_or("");
  std::lock_guard lock(activity_mu_);
  activity_.application = std::move(application);
  activity_.query = std::string(text.substr(0, 4096));
  activity_.query_start = std::chrono::system_clock::now();
  activity_.state = "active";
}

void SessionImpl::OnStatementError() {
  {
    std::lock_guard lock(activity_mu_);
    activity_.state = "idle";
  }
  if (state_ == TransactionState::kInBlock || !connection_.context->transaction.IsAutoCommit()) {
    state_ = TransactionState::kFailed;
  }
  if (state_ == TransactionState::kIdle) EndTransaction(/*committed=*/false);
  ReleaseWriterLockIfIdle();
}

void SessionImpl::OnStatementDone() {
  {
    std::string application = settings_.Get("application_name").value_or("");
    std::lock_guard lock(activity_mu_);
    activity_.application = std::move(application);
    activity_.state = "idle";
  }
  TransactionState before = state_;
  state_ = connection_.context->transaction.IsAutoCommit() ? TransactionState::kIdle
                                                           : TransactionState::kInBlock;
  if (before == TransactionState::kIdle && state_ == TransactionState::kInBlock) {
    block_generation_ = writer_lock_.generation();  // BEGIN: remember who had written by now
  }
  if (state_ == TransactionState::kIdle && before != TransactionState::kIdle) EndSavepointBlock();
  if (state_ == TransactionState::kIdle) {
    EndTransaction(/*committed=*/last_verb_ != TransactionVerb::kRollback);
  }
  ReleaseWriterLockIfIdle();
}

void SessionImpl::AddLearnedPrimaryKey(const duckdb::SQLStatement& parsed) {
  auto sql = LearnedPrimaryKeyIndexSql(*connection_.context, parsed);
  if (!sql) return;
  // The table is already created (and, outside a transaction block, committed); the index only
  // speeds up lookups, so a failure here is logged rather than failing the CREATE TABLE.
  auto result = connection_.Query(*sql);
  if (result->HasError()) {
    spdlog::warn("learned primary key index failed statement=\"{}\" error=\"{}\"", *sql,
                 result->GetError());
  }
}

}  // namespace augur::engine
