// session_copy.cpp: data that travels in bulk. COPY FROM STDIN / TO STDOUT through the client
// connection (the protocol layer feeds a spool file or drains a cursor), and the HTTP API's
// Parquet export, which runs as COPY (query) TO a spool file.
#include <fmt/format.h>

#include <cctype>

#include "common/sql_quoting.h"
#include "duckdb/main/client_context.hpp"
#include "engine/ddl/augur_foreign_keys.h"
#include "engine/pg/error_translate.h"
#include "engine/pg/pg_types.h"
#include "engine/session/client_copy.h"
#include "engine/session/client_copy_in.h"
#include "engine/session/session_impl.h"

namespace augur::engine {

Result<std::unique_ptr<Cursor>> SessionImpl::StartClientCopy(ClientCopy copy,
                                                             const std::string& query) {
  try {
    if (!copy.request.from_client) {
      auto parsed = connection_.ExtractStatements(copy.select_sql);
      auto cursor =
          Run(connection_.PendingQuery(std::move(parsed[0]), /*allow_stream_result=*/true),
              CommandTag{"COPY", true}, copy.select_sql);
      if (!cursor) return cursor;
      auto& impl = static_cast<CursorImpl&>(**cursor);
      copy.request.column_count = impl.columns().size();
      impl.set_copy(std::move(copy.request));
      return cursor;
    }
    // Check the target before the client starts sending, as PostgreSQL does.
    std::string columns = copy.request.column_list.empty() ? "*" : copy.request.column_list;
    auto probe =
        connection_.Query("SELECT " + columns + " FROM " + copy.request.table + " LIMIT 0");
    if (probe->HasError()) {
      Error error = TranslateError(probe->GetErrorObject(), query);
      error.position = 0;  // it points into augur's probe, not the client's text
      OnStatementError();
      return error;
    }
    copy.request.column_count = probe->names.size();
    for (auto& type : probe->types) copy.request.column_types.push_back(PgTypeFor(type).oid);
    auto cursor = std::make_unique<CursorImpl>(*this, "COPY");
    cursor->set_copy(std::move(copy.request));
    return std::unique_ptr<Cursor>(std::move(cursor));
  } catch (const std::exception& ex) {
    Error error = TranslateException(ex, query);
    OnStatementError();
    return error;
  }
}

Result<uint64_t> SessionImpl::CopyIn(const CopyRequest& request, const std::string& csv_path) {
  AnswerWhenDurable durable{*this};
  std::string sql = CopyInStatement(connection_, request, csv_path);  // client_copy_in.h
  if (auto parked = ParkCursors(); !parked) {
    OnStatementError();
    return std::move(parked).error();
  }
  BeginExecution();
  if (auto locked = LockForWrite(/*may_write=*/true); !locked) {
    if (!MustWait(locked.error())) OnStatementError();
    return std::move(locked).error();
  }
  NoteCopyTarget(request.table);
  RecordUnreplayableWrite("COPY FROM STDIN");
  // The spool file is augur's, not a server file the client named: any role may load it.
  role_->internal_file_access = true;
  struct Restore {
    SessionRole& role;
    ~Restore() { role.internal_file_access = false; }
  } restore{*role_};
  try {
    // Foreign keys augur enforces (ddl/) are checked in the COPY's transaction.
    const bool foreign_keys = AugurForeignKeysMayExist(connection_);
    const bool own_transaction = foreign_keys && state_ == TransactionState::kIdle;
    if (own_transaction) (void)connection_.Query("BEGIN");
    auto result = connection_.Query(sql);
    Status checked;
    if (!result->HasError() && foreign_keys) checked = CheckForeignKeysAfterCopy(request.table);
    if (own_transaction)
      (void)connection_.Query(result->HasError() || !checked ? "ROLLBACK" : "COMMIT");
    if (!checked) {
      OnStatementError();
      return std::move(checked).error();
    }
    if (result->HasError()) {
      Error error = TranslateError(result->GetErrorObject(), sql);
      error.position = 0;
      OnStatementError();
      return error;
    }
    OnStatementDone();
    if (result->RowCount() == 0) return uint64_t{0};
    return static_cast<uint64_t>(result->GetValue(0, 0).GetValue<int64_t>());
  } catch (const std::exception& ex) {
    Error error = TranslateException(ex, sql);
    error.position = 0;
    OnStatementError();
    return error;
  }
}

Result<uint64_t> SessionImpl::ExportParquet(std::string_view sql,
                                            const std::vector<ParameterValue>& parameters,
                                            const std::string& path) {
  AnswerWhenDurable durable{*this};
  BlockForTurn blocking(block_for_turn_);
  auto query = Prepare(sql, {});
  if (!query) return std::move(query).error();
  if (!(*query)->returns_rows()) {
    return Error(sqlstate::kFeatureNotSupported,
                 "format \"parquet\" needs a statement that returns rows");
  }
  // Wrapped as COPY (query) TO: a subquery cannot write, and a trailing ';' would end it early.
  std::string inner(sql);
  while (!inner.empty() &&
         (std::isspace(static_cast<unsigned char>(inner.back())) || inner.back() == ';')) {
    inner.pop_back();
  }
  std::string quoted_path = QuoteLiteral(path);
  role_->internal_file_path = path;
  struct Restore {
    SessionRole& role;
    ~Restore() { role.internal_file_path.clear(); }
  } restore{*role_};
  auto copy = Prepare(
      fmt::format("COPY ({}\n) TO {} (FORMAT parquet, COMPRESSION zstd, USE_TMP_FILE false)", inner,
                  quoted_path),
      {});
  if (!copy) return std::move(copy).error();
  auto cursor = Execute(**copy, parameters, /*stream=*/false);
  if (!cursor) return std::move(cursor).error();
  auto rows = FetchAll(**cursor);
  if (!rows) return std::move(rows).error();
  std::string tag = (*cursor)->command_tag();  // "COPY n"
  return static_cast<uint64_t>(std::stoull(tag.substr(tag.rfind(' ') + 1)));
}

}  // namespace augur::engine
