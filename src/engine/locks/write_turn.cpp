// write_turn.cpp: a session's side of the writer turn (writer_lock.h). A statement that may
// write takes the turn before it runs and keeps it until its transaction ends; what it wrote is
// noted so that releasing the turn can publish which tables changed (the result cache's stamps).
#include "duckdb/common/string_util.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/parser/qualified_name.hpp"
#include "engine/session/session_impl.h"

namespace augur::engine {

Status SessionImpl::LockForWrite(const StatementDescription& statement, bool may_write) {
  const RowLockClause* row_lock = statement.row_lock ? &*statement.row_lock : nullptr;
  auto locked = LockForWrite(may_write || row_lock != nullptr, row_lock);
  if (locked && may_write) {
    NoteWrite(statement.write_target);
    BeforeLoggedWrite();
  }
  return locked;
}

void SessionImpl::NoteWrite(const std::string& table) {
  if (table.empty()) {
    wrote_unknown_ = true;  // DDL and the rest: any table may have changed
  } else {
    tables_written_.insert(table);
  }
}

void SessionImpl::NoteCopyTarget(std::string_view quoted) {
  std::string name = duckdb::QualifiedName::Parse(std::string(quoted)).name;  // "s"."t" -> t
  NoteWrite(duckdb::StringUtil::Lower(name));
}

Status SessionImpl::LockForWrite(bool may_write, const RowLockClause* row_lock) {
  if (holds_writer_lock_ || !may_write) return {};
  auto cancelled = [this] {
    writer_lock_.Leave(writer_waiter_);  // a turn handed over meanwhile goes to the next in line
    waiting_for_turn_ = false;
    return Error(sqlstate::kQueryCanceled, "canceling statement due to user request");
  };
  if (cancel_requested_) return cancelled();
  if (row_lock != nullptr && row_lock->wait == RowLockClause::Wait::kNowait) {
    if (!writer_lock_.TryAcquireNow(writer_waiter_)) {
      return Error("55P03",
                   "could not obtain lock on row in relation \"" + row_lock->relation + "\"");
    }
  } else if (writer_waiter_.wake && !block_for_turn_) {
    if (!writer_lock_.TryAcquire(writer_waiter_)) {
      // A Cancel() that came between the check above and the queueing had nobody to wake.
      if (cancel_requested_) return cancelled();
      auto now = std::chrono::steady_clock::now();
      if (!waiting_for_turn_) turn_wait_start_ = now;
      auto timeout = lock_timeout();
      if (timeout.count() > 0 && now - turn_wait_start_ >= timeout) {
        writer_lock_.Leave(writer_waiter_);
        waiting_for_turn_ = false;
        return Error("55P03", "canceling statement due to lock timeout");
      }
      waiting_for_turn_ = true;
      return Error(kMustWait, "waiting for the turn to write");
    }
  } else {
    waiting_for_turn_ = true;  // for pg_stat_activity while it blocks
    if (!writer_lock_.Acquire(writer_waiter_, cancel_requested_)) return cancelled();
  }
  waiting_for_turn_ = false;
  holds_writer_lock_ = true;
  // A block that has only read so far may see a snapshot from before another writer's commit;
  // writing on it could conflict. Nothing is lost by starting it over on a fresh snapshot.
  if (!connection_.context->transaction.IsAutoCommit() &&
      writer_lock_.generation() != block_generation_) {
    auto rollback = connection_.Query("ROLLBACK");
    auto begin = connection_.Query("BEGIN TRANSACTION");
    if (rollback->HasError() || begin->HasError()) {
      return Error(sqlstate::kSerializationFailure,
                   "could not refresh the transaction snapshot before its first write");
    }
  }
  return {};
}

void SessionImpl::ReleaseWriterLockIfIdle() {
  if (waiting_for_turn_) {  // the caller gave up on the statement that was queued
    writer_lock_.Leave(writer_waiter_);
    waiting_for_turn_ = false;
  }
  if (holds_writer_lock_ && connection_.context->transaction.IsAutoCommit()) {
    holds_writer_lock_ = false;
    writer_lock_.Release(writer_waiter_, tables_written_, wrote_unknown_);
    tables_written_.clear();
    wrote_unknown_ = false;
  }
}

}  // namespace augur::engine
