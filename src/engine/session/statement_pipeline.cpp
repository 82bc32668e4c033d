// statement_pipeline.cpp: the one path every statement takes from the protocol to DuckDB.
//
// A statement is split (simple Query) or prepared (extended protocol, HTTP), and described once
// (statement_description.h). Each execution then runs the same guards in the same order:
//
//   1. cursors of the session park their unread rows (DuckDB runs one result at a time)
//   2. SAVEPOINT / RELEASE / ROLLBACK TO / SET LOCAL         (savepoints.cpp)
//   3. PostgreSQL's transaction-block rules, e.g. 25P02      (ApplyTransactionRules)
//   4. privileges: row locks, then the statement's class     (auth/session_privileges.cpp)
//   5. DECLARE / FETCH / MOVE / CLOSE                        (sql_cursors.cpp)
//   6. application DDL DuckDB cannot run as written          (pg/pg_app_ddl.cpp)
//   7. PostgreSQL settings DuckDB lacks                      (session_settings.cpp)
//   8. COPY through the client                               (session_copy.cpp)
//   9. the engine: search_path, the writer turn, the fast path for a key lookup
//      (fast_path_run.cpp) or DuckDB, then what a success changes
//
// The order matters: a savepoint command is answered even in a failed block (ROLLBACK TO is how
// a block recovers), privileges are checked before anything acts, and cursors park before
// anything else runs on the connection. Only step 9 differs between a simple statement and a
// prepared one (parameters are bound there).
//
// PostgreSQL's transaction-block rules are enforced here rather than left to DuckDB because the
// two differ in what a client can see: PostgreSQL answers 25P02 for every statement of a failed
// block and turns its COMMIT into a ROLLBACK; it merely warns on BEGIN inside a block and on
// COMMIT/ROLLBACK outside one, where DuckDB raises errors.
#include <fmt/format.h>

#include "duckdb/main/client_context.hpp"
#include "duckdb/main/pending_query_result.hpp"
#include "engine/fast_path/execution_counts.h"
#include "engine/pg/error_translate.h"
#include "engine/pg/pg_column_names.h"
#include "engine/pg/pg_parsed_rewrites.h"
#include "engine/pg/pg_rewrite.h"
#include "engine/pg/pg_string_literals.h"
#include "engine/session/session_impl.h"
#include "engine/session/statement_limits.h"

namespace augur::engine {

Result<std::string> SessionImpl::RewriteText(std::string_view sql,
                                             std::vector<RowLockClause>& row_locks) {
  if (auto refused = RefuseWhereCurrentOf(sql); !refused) {
    OnStatementError();
    return std::move(refused).error();
  }
  auto decoded = DecodeStringLiterals(sql);
  if (!decoded) {
    OnStatementError();
    return std::move(decoded).error();
  }
  return RewriteForDuckDB(*decoded, &row_locks);
}

Result<std::vector<std::unique_ptr<Statement>>> SessionImpl::Split(std::string_view sql) {
  std::vector<RowLockClause> row_locks;
  auto rewritten = RewriteText(sql, row_locks);
  if (!rewritten) return std::move(rewritten).error();
  auto query = std::make_shared<const std::string>(std::move(*rewritten));
  std::vector<std::unique_ptr<Statement>> out;
  try {
    auto parsed = connection_.ExtractStatements(*query);
    out.reserve(parsed.size());
    for (auto& statement : parsed) {
      if (auto ready = ApplyParsedRewrites(*statement); !ready) {
        OnStatementError();
        return std::move(ready).error();
      }
      out.push_back(std::make_unique<StatementImpl>(std::move(statement), query));
    }
    // Each removed locking clause belongs to the last statement starting before it.
    std::vector<std::optional<RowLockClause>> locks(out.size());
    for (auto& clause : row_locks) {
      for (size_t i = out.size(); i-- > 0;) {
        if (static_cast<StatementImpl&>(*out[i]).parsed().stmt_location <= clause.offset) {
          if (!locks[i]) locks[i] = std::move(clause);
          break;
        }
      }
    }
    for (size_t i = 0; i < out.size(); ++i) {
      auto& impl = static_cast<StatementImpl&>(*out[i]);
      impl.description = Describe(*connection_.context, impl.parsed(), std::move(locks[i]));
    }
  } catch (const std::exception& ex) {
    Error error = TranslateException(ex, *query);
    OnStatementError();
    return error;
  }
  return out;
}

Status SessionImpl::ApplyParsedRewrites(duckdb::SQLStatement& statement) {
  if (auto allowed = CheckStatementLimits(statement); !allowed) return allowed;
  ApplyPgColumnNames(statement);
  ApplyGroupByPrimaryKey(statement, connection_);
  ApplyInsertColumns(statement, connection_);
  ApplyCopyDefaults(statement);
  return {};
}

Result<std::unique_ptr<Cursor>> SessionImpl::Execute(Statement& statement) {
  AnswerWhenDurable durable{*this};
  auto& stmt = static_cast<StatementImpl&>(statement);
  return RunPipeline(Execution{stmt.parsed(), stmt.description, stmt.query(), stmt.text()});
}

Result<std::unique_ptr<Cursor>> SessionImpl::Execute(PreparedStatement& statement,
                                                     const std::vector<ParameterValue>& parameters,
                                                     bool stream) {
  AnswerWhenDurable durable{*this};
  auto& prepared = static_cast<PreparedImpl&>(statement);
  if (prepared.empty()) return std::unique_ptr<Cursor>(std::make_unique<CursorImpl>(*this, ""));
  return RunPipeline(Execution{*prepared.parsed, prepared.description, prepared.query,
                               prepared.query, &prepared, &parameters, stream});
}

// Ends the transaction's cursors once a statement leaves the session outside a block.
struct SessionImpl::CursorTransactionEnd {
  CursorTransactionEnd(SessionImpl& session, TransactionVerb verb)
      : session(session),
        rolled_back(
            verb == TransactionVerb::kRollback ||
            (verb == TransactionVerb::kCommit && session.state_ == TransactionState::kFailed)) {
    // COMMIT and ROLLBACK end the cursors without HOLD: drop them before the others are parked
    // (reading the rest of a result nobody will fetch).
    if (verb == TransactionVerb::kCommit || verb == TransactionVerb::kRollback) {
      session.EndCursorTransaction(rolled_back, /*ending=*/true);
    }
  }
  ~CursorTransactionEnd() { session.EndCursorTransaction(rolled_back); }
  SessionImpl& session;
  bool rolled_back;
};

Result<std::unique_ptr<Cursor>> SessionImpl::RunPipeline(const Execution& run) {
  const StatementDescription& d = run.description;
  auto fail = [this](Error error) -> Result<std::unique_ptr<Cursor>> {
    OnStatementError();
    return error;
  };
  NoteStatementStart(run.activity_text);
  last_verb_ = d.verb;
  CursorTransactionEnd ending(*this, last_verb_);
  if (!d.cursor_command) {
    if (auto parked = ParkCursors(); !parked) return fail(std::move(parked).error());
  }
  if (auto answered = HandleSavepointCommand(run.parsed)) return std::move(*answered);
  if (auto answered = ApplyTransactionRules(d.verb)) return std::move(*answered);
  if (auto allowed = CheckRowLockPrivilege(d.row_lock); !allowed) {
    return fail(std::move(allowed).error());
  }
  // EXECUTE runs whatever the session has prepared under that name by now.
  const StatementNeeds needs = d.needs_known ? d.needs : NeedsOf(*connection_.context, run.parsed);
  if (auto allowed = CheckPrivileges(needs, d.show_target); !allowed) {
    return fail(std::move(allowed).error());
  }
  static const std::vector<ParameterValue> kNoParameters;
  static const std::vector<uint32_t> kNoTypes;
  if (auto answered =
          HandleCursorCommand(run.parsed, run.parameters ? *run.parameters : kNoParameters,
                              run.prepared ? run.prepared->parameter_oids : kNoTypes)) {
    return std::move(*answered);
  }
  if (auto answered = HandleApplicationDdl(run.parsed)) {
    if (!*answered) OnStatementError();
    return std::move(*answered);
  }
  if (auto answered = HandleSettings(run.parsed)) {
    if (!*answered) OnStatementError();
    return std::move(*answered);
  }
  if (d.client_copy_error) return fail(*d.client_copy_error);
  if (d.client_copy) {
    if (run.prepared) {  // DuckDB would use the server's own stdin or stdout
      return fail(Error(sqlstate::kFeatureNotSupported,
                        "COPY FROM STDIN / TO STDOUT cannot run as a prepared statement")
                      .WithHint("send it as a simple query"));
    }
    return StartClientCopy(*d.client_copy, run.query);
  }
  return RunWithForeignKeys(run, needs.may_write);
}

Result<std::unique_ptr<Cursor>> SessionImpl::RunInEngine(const Execution& run, bool may_write) {
  const StatementDescription& d = run.description;
  PreparedImpl* prepared = run.prepared;
  if (prepared && run.parameters->size() != prepared->parameter_oids.size()) {
    return Error(sqlstate::kProtocolViolation,
                 fmt::format("bind message supplies {} parameters, but prepared statement "
                             "requires {}",
                             run.parameters->size(), prepared->parameter_oids.size()));
  }
  try {
    duckdb::vector<duckdb::Value> values;
    std::unique_ptr<duckdb::PendingQueryResult> pending;
    if (prepared && !prepared->prepared) {
      // Transaction control and settings: never prepared in DuckDB, they run as parsed.
      pending = connection_.PendingQuery(run.parsed.Copy(), run.stream);
    } else {
      if (prepared) {
        auto bound = BindValues(*prepared, *run.parameters);
        if (!bound) {
          OnStatementError();
          return std::move(bound).error();
        }
        values = std::move(*bound);
      }
      SyncSearchPath();
      BeginExecution();
      if (auto locked = LockForWrite(d, may_write); !locked) {
        if (!MustWait(locked.error())) OnStatementError();
        return std::move(locked).error();
      }
      if (d.key_lookup || d.constant_select) {
        if (auto answered = RunFastPath(run, values)) {
          if (*answered) AfterSuccess(run, values);
          return std::move(*answered);
        }
      }
      if (inline_only_) return RunOnWorkerInstead();  // no planner on the I/O thread
      if (prepared) {
        pending = PendingPrepared(*prepared, *run.parameters, values, run.stream);
      } else {
        pending = connection_.PendingQuery(run.parsed.Copy(), run.stream);
      }
    }
    fast_path::CountPlannerExecution();
    auto cursor = Run(std::move(pending), d.tag, run.query);
    if (cursor) AfterSuccess(run, values);
    return cursor;
  } catch (const std::exception& ex) {
    Error error = TranslateException(ex, run.query);
    OnStatementError();
    return error;
  }
}

std::unique_ptr<duckdb::PendingQueryResult> SessionImpl::PendingPrepared(
    PreparedImpl& prepared, const std::vector<ParameterValue>& parameters,
    duckdb::vector<duckdb::Value>& values, bool stream) {
  auto pending = prepared.prepared->PendingQuery(values, stream);
  // Untyped parameters bind as text. Where DuckDB then cannot pick an operator overload
  // ("abalance + $1" from pgbench, which declares no types), PostgreSQL would have inferred a
  // number from the context: retry once with numbers read as numbers, and remember that for
  // this statement. A binding error leaves DuckDB's transaction intact, so the retry is safe.
  if (pending->HasError() && !prepared.untyped_numbers &&
      pending->GetErrorObject().Type() == duckdb::ExceptionType::BINDER &&
      pending->GetError().find("best candidate") != std::string::npos) {
    prepared.untyped_numbers = true;
    auto rebound = BindValues(prepared, parameters);
    if (!rebound) return pending;  // the first error stands
    values = std::move(*rebound);
    pending = prepared.prepared->PendingQuery(values, stream);
  }
  return pending;
}

void SessionImpl::AfterSuccess(const Execution& run, const duckdb::vector<duckdb::Value>& values) {
  if (run.description.changes_schema) search_path_stale_ = true;
  RecordWrite(run.parsed, values);
  NoteEngineSettingChange(run.parsed);
  AddLearnedPrimaryKey(run.parsed);
}

std::optional<Result<std::unique_ptr<Cursor>>> SessionImpl::ApplyTransactionRules(
    TransactionVerb verb) {
  auto fixed = [this](const char* tag) {
    return std::optional<Result<std::unique_ptr<Cursor>>>(
        std::unique_ptr<Cursor>(std::make_unique<CursorImpl>(*this, tag)));
  };
  if (state_ == TransactionState::kFailed) {
    if (verb == TransactionVerb::kCommit || verb == TransactionVerb::kRollback) {
      if (!connection_.context->transaction.IsAutoCommit()) {
        auto rollback = connection_.Query("ROLLBACK");
        (void)rollback;  // the block is gone either way; nothing to report to the client
      }
      state_ = TransactionState::kIdle;
      EndSavepointBlock();
      EndTransaction(/*committed=*/false);
      ReleaseWriterLockIfIdle();
      return fixed("ROLLBACK");
    }
    return std::optional<Result<std::unique_ptr<Cursor>>>(
        Error(sqlstate::kInFailedTransaction,
              "current transaction is aborted, commands ignored until end of transaction block"));
  }
  // PostgreSQL warns and carries on where DuckDB would fail the statement.
  if (verb == TransactionVerb::kBegin && state_ == TransactionState::kInBlock)
    return fixed("BEGIN");
  if (verb == TransactionVerb::kCommit && state_ == TransactionState::kIdle) return fixed("COMMIT");
  if (verb == TransactionVerb::kRollback && state_ == TransactionState::kIdle) {
    return fixed("ROLLBACK");
  }
  return std::nullopt;
}

Result<std::unique_ptr<Cursor>> SessionImpl::Run(
    std::unique_ptr<duckdb::PendingQueryResult> pending, CommandTag tag, const std::string& query) {
  if (pending->HasError()) {
    Error error = TranslateError(pending->GetErrorObject(), query);
    OnStatementError();
    return error;
  }
  auto result = pending->Execute();
  if (result->HasError()) {
    Error error = TranslateError(result->GetErrorObject(), query);
    OnStatementError();
    return error;
  }
  auto cursor = std::make_unique<CursorImpl>(*this, std::move(result), std::move(tag), query);
  OnStatementDone();
  return std::unique_ptr<Cursor>(std::move(cursor));
}

}  // namespace augur::engine
