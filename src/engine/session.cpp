// session.cpp: one client session on one DuckDB connection.
//
// PostgreSQL's transaction-block rules are enforced here rather than left to DuckDB because the
// two differ in what a client can see: PostgreSQL answers 25P02 for every statement of a failed
// block and turns its COMMIT into a ROLLBACK; it merely warns on BEGIN inside a block and on
// COMMIT/ROLLBACK outside one, where DuckDB raises errors.
#include "engine/session_impl.h"

#include "duckdb/main/client_context.hpp"
#include "duckdb/main/pending_query_result.hpp"
#include "engine/error_translate.h"
#include "engine/pg_column_names.h"

namespace augur::engine {

Result<std::vector<std::unique_ptr<Statement>>> SessionImpl::Split(std::string_view sql) {
  std::string query(sql);
  std::vector<std::unique_ptr<Statement>> out;
  try {
    auto parsed = connection_.ExtractStatements(query);
    out.reserve(parsed.size());
    for (auto& statement : parsed) {
      ApplyPgColumnNames(*statement);
      out.push_back(std::make_unique<StatementImpl>(std::move(statement), query));
    }
  } catch (const std::exception& ex) {
    Error error = TranslateException(ex, query);
    OnStatementError();
    return error;
  }
  return out;
}

Result<std::unique_ptr<Cursor>> SessionImpl::Execute(Statement& statement) {
  auto& stmt = static_cast<StatementImpl&>(statement);
  TransactionVerb verb = TransactionVerbOf(stmt.parsed());

  if (state_ == TransactionState::kFailed) {
    if (verb == TransactionVerb::kCommit || verb == TransactionVerb::kRollback) {
      if (!connection_.context->transaction.IsAutoCommit()) {
        auto rollback = connection_.Query("ROLLBACK");
        (void)rollback;  // the block is gone either way; nothing to report to the client
      }
      state_ = TransactionState::kIdle;
      return std::unique_ptr<Cursor>(std::make_unique<CursorImpl>(*this, "ROLLBACK"));
    }
    return Error(sqlstate::kInFailedTransaction,
                 "current transaction is aborted, commands ignored until end of transaction block");
  }
  // PostgreSQL warns and carries on where DuckDB would fail the statement.
  if (verb == TransactionVerb::kBegin && state_ == TransactionState::kInBlock) {
    return std::unique_ptr<Cursor>(std::make_unique<CursorImpl>(*this, "BEGIN"));
  }
  if ((verb == TransactionVerb::kCommit || verb == TransactionVerb::kRollback) &&
      state_ == TransactionState::kIdle) {
    return std::unique_ptr<Cursor>(
        std::make_unique<CursorImpl>(*this, verb == TransactionVerb::kCommit ? "COMMIT" : "ROLLBACK"));
  }

  CommandTag tag = CommandTagFor(stmt.parsed());
  try {
    auto pending = connection_.PendingQuery(stmt.parsed().Copy(), /*allow_stream_result=*/true);
    if (pending->HasError()) {
      Error error = TranslateError(pending->GetErrorObject(), stmt.query());
      OnStatementError();
      return error;
    }
    auto result = pending->Execute();
    if (result->HasError()) {
      Error error = TranslateError(result->GetErrorObject(), stmt.query());
      OnStatementError();
      return error;
    }
    auto cursor = std::make_unique<CursorImpl>(*this, std::move(result), std::move(tag), stmt.query());
    OnStatementDone();
    return std::unique_ptr<Cursor>(std::move(cursor));
  } catch (const std::exception& ex) {
    Error error = TranslateException(ex, stmt.query());
    OnStatementError();
    return error;
  }
}

Result<RowBatch> SessionImpl::Query(std::string_view sql) {
  auto statements = Split(sql);
  if (!statements) return std::move(statements).error();
  RowBatch last;
  for (auto& statement : *statements) {
    auto cursor = Execute(*statement);
    if (!cursor) return std::move(cursor).error();
    RowBatch all((*cursor)->columns().size());
    for (;;) {
      auto batch = (*cursor)->Fetch(4096);
      if (!batch) return std::move(batch).error();
      if (batch->rows() == 0) break;
      for (size_t r = 0; r < batch->rows(); ++r) {
        for (size_t c = 0; c < batch->columns(); ++c) {
          auto cell = batch->cell(r, c);
          if (cell) {
            all.AppendCell(*cell);
          } else {
            all.AppendNull();
          }
        }
      }
    }
    last = std::move(all);
  }
  return last;
}

void SessionImpl::OnStatementError() {
  if (state_ == TransactionState::kInBlock ||
      !connection_.context->transaction.IsAutoCommit()) {
    state_ = TransactionState::kFailed;
  }
}

void SessionImpl::OnStatementDone() {
  state_ = connection_.context->transaction.IsAutoCommit() ? TransactionState::kIdle
                                                           : TransactionState::kInBlock;
}

}  // namespace augur::engine
