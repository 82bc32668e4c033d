// session.cpp: one client session on one DuckDB connection.
//
// PostgreSQL's transaction-block rules are enforced here rather than left to DuckDB because the
// two differ in what a client can see: PostgreSQL answers 25P02 for every statement of a failed
// block and turns its COMMIT into a ROLLBACK; it merely warns on BEGIN inside a block and on
// COMMIT/ROLLBACK outside one, where DuckDB raises errors.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cctype>

#include "duckdb/common/string_util.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/pending_query_result.hpp"
#include "duckdb/parser/qualified_name.hpp"
#include "duckdb/parser/statement/copy_statement.hpp"
#include "duckdb/parser/statement/delete_statement.hpp"
#include "duckdb/parser/statement/insert_statement.hpp"
#include "duckdb/parser/statement/update_statement.hpp"
#include "duckdb/parser/tableref/basetableref.hpp"
#include "engine/auth/statement_privileges.h"
#include "engine/client_copy.h"
#include "engine/client_copy_in.h"
#include "engine/error_translate.h"
#include "engine/learned/learned_index_module.h"
#include "engine/pg_column_names.h"
#include "engine/pg_group_by_pk.h"
#include "engine/pg_insert_columns.h"
#include "engine/pg_params.h"
#include "engine/pg_rewrite.h"
#include "engine/pg_string_literals.h"
#include "engine/pg_types.h"
#include "engine/session_impl.h"
#include "engine/statement_limits.h"

namespace augur::engine {

Result<std::vector<std::unique_ptr<Statement>>> SessionImpl::Split(std::string_view sql) {
  auto decoded = DecodeStringLiterals(sql);
  if (!decoded) {
    OnStatementError();
    return std::move(decoded).error();
  }
  std::vector<RowLockClause> row_locks;
  auto query = std::make_shared<const std::string>(RewriteForDuckDB(*decoded, &row_locks));
  std::vector<std::unique_ptr<Statement>> out;
  try {
    auto parsed = connection_.ExtractStatements(*query);
    out.reserve(parsed.size());
    for (auto& statement : parsed) {
      if (auto allowed = CheckStatementLimits(*statement); !allowed) {
        OnStatementError();
        return std::move(allowed).error();
      }
      ApplyPgColumnNames(*statement);
      ApplyGroupByPrimaryKey(*statement, connection_);
      ApplyInsertColumns(*statement, connection_);
      out.push_back(std::make_unique<StatementImpl>(std::move(statement), query));
    }
    // Each removed locking clause belongs to the last statement starting before it.
    for (auto& clause : row_locks) {
      StatementImpl* owner = nullptr;
      for (auto& statement : out) {
        auto& impl = static_cast<StatementImpl&>(*statement);
        if (impl.parsed().stmt_location <= clause.offset) owner = &impl;
      }
      if (owner != nullptr && !owner->row_lock) owner->row_lock = std::move(clause);
    }
  } catch (const std::exception& ex) {
    Error error = TranslateException(ex, *query);
    OnStatementError();
    return error;
  }
  return out;
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

Result<std::unique_ptr<Cursor>> SessionImpl::Execute(Statement& statement) {
  auto& stmt = static_cast<StatementImpl&>(statement);
  NoteStatementStart(stmt.text());
  last_verb_ = TransactionVerbOf(stmt.parsed());
  CursorTransactionEnd ending(*this, last_verb_);
  if (!IsCursorCommand(stmt.parsed())) {
    if (auto parked = ParkCursors(); !parked) {
      OnStatementError();
      return std::move(parked).error();
    }
  }
  if (auto answered = HandleSavepointCommand(stmt.parsed())) return std::move(*answered);
  if (auto answered = ApplyTransactionRules(last_verb_)) {
    return std::move(*answered);
  }
  if (auto allowed = CheckRowLockPrivilege(stmt.row_lock); !allowed) {
    OnStatementError();
    return std::move(allowed).error();
  }
  if (auto allowed = CheckPrivileges(stmt.parsed()); !allowed) {
    OnStatementError();
    return std::move(allowed).error();
  }
  if (auto answered = HandleCursorCommand(stmt.parsed())) return std::move(*answered);
  if (auto answered = HandleApplicationDdl(stmt.parsed())) {
    if (!*answered) OnStatementError();
    return std::move(*answered);
  }
  if (auto answered = HandleSettings(stmt.parsed())) {
    if (!*answered) OnStatementError();
    return std::move(*answered);
  }
  auto client_copy = AnalyzeClientCopy(stmt.parsed());
  if (!client_copy) {
    OnStatementError();
    return std::move(client_copy).error();
  }
  if (*client_copy) return StartClientCopy(std::move(**client_copy), stmt.query());
  SyncSearchPath();
  BeginExecution();
  if (auto locked = LockForWrite(stmt.parsed(), stmt.row_lock); !locked) {
    if (!MustWait(locked.error())) OnStatementError();
    return std::move(locked).error();
  }
  try {
    auto statement = stmt.parsed().Copy();
    ApplyCopyDefaults(*statement);
    auto cursor = Run(connection_.PendingQuery(std::move(statement), /*allow_stream_result=*/true),
                      CommandTagFor(stmt.parsed()), stmt.query());
    if (cursor) {
      NoteSchemaChange(stmt.parsed());
      RecordWrite(stmt.parsed(), {});
      NoteEngineSettingChange(stmt.parsed());
      AddLearnedPrimaryKey(stmt.parsed());
    }
    return cursor;
  } catch (const std::exception& ex) {
    Error error = TranslateException(ex, stmt.query());
    OnStatementError();
    return error;
  }
}

Result<std::shared_ptr<PreparedStatement>> SessionImpl::Prepare(
    std::string_view sql, const std::vector<uint32_t>& declared_types) {
  auto prepared = std::make_shared<PreparedImpl>();
  auto decoded = DecodeStringLiterals(sql);
  if (!decoded) {
    OnStatementError();
    return std::move(decoded).error();
  }
  std::vector<RowLockClause> row_locks;
  prepared->query = RewriteForDuckDB(*decoded, &row_locks);
  if (!row_locks.empty()) prepared->row_lock = row_locks.front();
  try {
    auto parsed = connection_.ExtractStatements(prepared->query);
    if (parsed.size() > 1) {
      OnStatementError();
      return Error(sqlstate::kSyntaxError,
                   "cannot insert multiple commands into a prepared statement");
    }
    if (parsed.empty()) return std::shared_ptr<PreparedStatement>(std::move(prepared));
    if (auto allowed = CheckStatementLimits(*parsed[0]); !allowed) {
      OnStatementError();
      return std::move(allowed).error();
    }
    ApplyPgColumnNames(*parsed[0]);
    ApplyGroupByPrimaryKey(*parsed[0], connection_);
    ApplyInsertColumns(*parsed[0], connection_);
    ApplyCopyDefaults(*parsed[0]);
    TransactionVerb verb = TransactionVerbOf(*parsed[0]);
    if (state_ == TransactionState::kFailed && verb != TransactionVerb::kCommit &&
        verb != TransactionVerb::kRollback && !IsRollbackToSavepoint(*parsed[0])) {
      return Error(
          sqlstate::kInFailedTransaction,
          "current transaction is aborted, commands ignored until end of transaction block");
    }
    auto client_copy = AnalyzeClientCopy(*parsed[0]);
    if (!client_copy) {
      OnStatementError();
      return std::move(client_copy).error();
    }
    prepared->parsed = std::move(parsed[0]);
    if (*client_copy) {  // never runs prepared (Execute refuses it): DuckDB would open stdin
      prepared->client_copy = std::move((*client_copy)->request);
      return std::shared_ptr<PreparedStatement>(std::move(prepared));
    }
    if (DescribeCursorCommand(*prepared, declared_types)) {
      return std::shared_ptr<PreparedStatement>(std::move(prepared));
    }
    // SET and SHOW may name settings only augur knows; they run unprepared, like BEGIN/COMMIT.
    std::string show = ShowTarget(prepared->parsed->query);
    if (!show.empty()) {
      prepared->returns_rows_ = true;
      prepared->columns_.push_back(ColumnInfo{show, 25, -1, -1, "VARCHAR"});
    }
    if (verb == TransactionVerb::kNone && show.empty() &&
        prepared->parsed->type != duckdb::StatementType::SET_STATEMENT) {
      (void)ParkCursors();  // an error shows when the statement runs
      SyncSearchPath();
      prepared->prepared = connection_.Prepare(prepared->parsed->Copy());
      if (prepared->prepared->HasError()) {
        Error error = TranslateError(prepared->prepared->GetErrorObject(), prepared->query);
        OnStatementError();
        return error;
      }
      auto& p = *prepared->prepared;
      auto expected = p.GetExpectedParameterTypes();
      size_t count = p.named_param_map.size();
      for (size_t i = 0; i < count; ++i) {
        uint32_t declared = i < declared_types.size() ? declared_types[i] : 0;
        auto it = expected.find(std::to_string(i + 1));
        duckdb::LogicalType inferred =
            it == expected.end() ? duckdb::LogicalType::UNKNOWN : it->second;
        bool inferred_known = inferred.id() != duckdb::LogicalTypeId::UNKNOWN &&
                              inferred.id() != duckdb::LogicalTypeId::INVALID &&
                              inferred.id() != duckdb::LogicalTypeId::SQLNULL &&
                              inferred.id() != duckdb::LogicalTypeId::ANY;
        duckdb::LogicalType read_as = declared != 0 ? LogicalTypeForPgOid(declared) : inferred;
        if (read_as.id() == duckdb::LogicalTypeId::UNKNOWN && inferred_known) read_as = inferred;
        prepared->parameter_types_.push_back(read_as);
        prepared->parameter_oids.push_back(declared != 0    ? declared
                                           : inferred_known ? PgTypeFor(inferred).oid
                                                            : 25);
      }
      prepared->returns_rows_ =
          p.GetStatementProperties().return_type == duckdb::StatementReturnType::QUERY_RESULT;
      if (prepared->returns_rows_) {
        auto& types = p.GetTypes();
        auto& names = p.GetNames();
        for (size_t i = 0; i < types.size(); ++i) {
          PgTypeInfo pg = types[i].id() == duckdb::LogicalTypeId::UNKNOWN ? PgTypeInfo{25, -1, -1}
                                                                          : PgTypeFor(types[i]);
          prepared->columns_.push_back(
              ColumnInfo{names[i], pg.oid, pg.typlen, pg.typmod, types[i].ToString()});
        }
      }
    }
  } catch (const std::exception& ex) {
    Error error = TranslateException(ex, prepared->query);
    OnStatementError();
    return error;
  }
  return std::shared_ptr<PreparedStatement>(std::move(prepared));
}

Result<std::unique_ptr<Cursor>> SessionImpl::Execute(PreparedStatement& statement,
                                                     const std::vector<ParameterValue>& parameters,
                                                     bool stream) {
  auto& prepared = static_cast<PreparedImpl&>(statement);
  if (prepared.empty()) return std::unique_ptr<Cursor>(std::make_unique<CursorImpl>(*this, ""));
  NoteStatementStart(prepared.query);
  last_verb_ = TransactionVerbOf(*prepared.parsed);
  CursorTransactionEnd ending(*this, last_verb_);
  if (!IsCursorCommand(*prepared.parsed)) {
    if (auto parked = ParkCursors(); !parked) {
      OnStatementError();
      return std::move(parked).error();
    }
  }
  if (auto answered = HandleSavepointCommand(*prepared.parsed)) return std::move(*answered);
  if (auto answered = ApplyTransactionRules(last_verb_)) {
    return std::move(*answered);
  }
  if (auto allowed = CheckRowLockPrivilege(prepared.row_lock); !allowed) {
    OnStatementError();
    return std::move(allowed).error();
  }
  if (auto allowed = CheckPrivileges(*prepared.parsed); !allowed) {
    OnStatementError();
    return std::move(allowed).error();
  }
  if (auto answered = HandleCursorCommand(*prepared.parsed, parameters, prepared.parameter_oids)) {
    return std::move(*answered);
  }
  if (auto answered = HandleApplicationDdl(*prepared.parsed)) {
    if (!*answered) OnStatementError();
    return std::move(*answered);
  }
  if (auto answered = HandleSettings(*prepared.parsed)) {
    if (!*answered) OnStatementError();
    return std::move(*answered);
  }
  if (prepared.client_copy) {  // DuckDB would use the server's own stdin or stdout
    OnStatementError();
    return Error(sqlstate::kFeatureNotSupported,
                 "COPY FROM STDIN / TO STDOUT cannot run as a prepared statement")
        .WithHint("send it as a simple query");
  }
  if (parameters.size() != prepared.parameter_oids.size()) {
    return Error(sqlstate::kProtocolViolation,
                 fmt::format("bind message supplies {} parameters, but prepared statement "
                             "requires {}",
                             parameters.size(), prepared.parameter_oids.size()));
  }
  try {
    if (!prepared.prepared) {  // transaction control and settings: no parameters, run as parsed
      return Run(connection_.PendingQuery(prepared.parsed->Copy(), stream),
                 CommandTagFor(*prepared.parsed), prepared.query);
    }
    auto values = BindValues(prepared, parameters);
    if (!values) {
      OnStatementError();
      return std::move(values).error();
    }
    SyncSearchPath();
    BeginExecution();
    if (auto locked = LockForWrite(*prepared.parsed, prepared.row_lock); !locked) {
      if (!MustWait(locked.error())) OnStatementError();
      return std::move(locked).error();
    }
    auto pending = prepared.prepared->PendingQuery(*values, stream);
    // Untyped parameters bind as text. Where DuckDB then cannot pick an operator overload
    // ("abalance + $1" from pgbench, which declares no types), PostgreSQL would have inferred a
    // number from the context: retry once with numbers read as numbers, and remember that for
    // this statement. A binding error leaves DuckDB's transaction intact, so the retry is safe.
    if (pending->HasError() && !prepared.untyped_numbers &&
        pending->GetErrorObject().Type() == duckdb::ExceptionType::BINDER &&
        pending->GetError().find("best candidate") != std::string::npos) {
      prepared.untyped_numbers = true;
      values = BindValues(prepared, parameters);
      if (!values) {
        OnStatementError();
        return std::move(values).error();
      }
      pending = prepared.prepared->PendingQuery(*values, stream);
    }
    auto cursor = Run(std::move(pending), CommandTagFor(*prepared.parsed), prepared.query);
    if (cursor) {
      NoteSchemaChange(*prepared.parsed);
      RecordWrite(*prepared.parsed, *values);
      AddLearnedPrimaryKey(*prepared.parsed);
    }
    return cursor;
  } catch (const std::exception& ex) {
    Error error = TranslateException(ex, prepared.query);
    OnStatementError();
    return error;
  }
}

Result<duckdb::vector<duckdb::Value>> SessionImpl::BindValues(
    const PreparedImpl& prepared, const std::vector<ParameterValue>& parameters) {
  duckdb::vector<duckdb::Value> values;
  values.reserve(parameters.size());
  for (size_t i = 0; i < parameters.size(); ++i) {
    const auto& type = prepared.parameter_types_[i];
    bool unknown = type.id() == duckdb::LogicalTypeId::UNKNOWN;
    if (!parameters[i]) {
      values.push_back(duckdb::Value(unknown ? duckdb::LogicalType::SQLNULL : type));
      continue;
    }
    if (unknown && prepared.untyped_numbers) {
      if (auto number = NumberFromText(*parameters[i])) {
        values.push_back(std::move(*number));
        continue;
      }
    }
    auto value = ValueFromPgText(*connection_.context, *parameters[i], type);
    if (!value) return std::move(value).error();
    values.push_back(std::move(*value));
  }
  return values;
}

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
    auto result = connection_.Query(sql);
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

// Restores block_for_turn_ when Query() or ExportParquet() returns.
namespace {

struct BlockForTurn {
  explicit BlockForTurn(bool& flag) : flag(flag), before(std::exchange(flag, true)) {}
  ~BlockForTurn() { flag = before; }
  bool& flag;
  bool before;
};

}  // namespace

Result<uint64_t> SessionImpl::ExportParquet(std::string_view sql,
                                            const std::vector<ParameterValue>& parameters,
                                            const std::string& path) {
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
  std::string quoted_path = "'";
  for (char c : path) quoted_path += c == '\'' ? std::string("''") : std::string(1, c);
  quoted_path += "'";
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

Status SessionImpl::CheckPrivileges(const duckdb::SQLStatement& statement) {
  auto role = role_->Current();
  if (!role) {
    return Error(sqlstate::kInvalidAuthorization,
                 fmt::format("role \"{}\" does not exist", role_->name()));
  }
  if (role->superuser) return {};
  // SHOW of a setting whose value is a server path or a credential.
  std::string shown = ShowTarget(statement.query);
  if (!shown.empty() && IsEngineSetting(*connection_.context, shown) &&
      !SettingPolicyFor(shown).visible) {
    return Error(sqlstate::kInsufficientPrivilege,
                 fmt::format("permission denied to read setting \"{}\": role \"{}\" is not a "
                             "superuser",
                             shown, role->name));
  }
  StatementNeeds needs = NeedsOf(*connection_.context, statement);
  if (role_->Has(needs.privilege)) return {};
  if (needs.privilege == Privilege::kWriter) {
    return Error(sqlstate::kInsufficientPrivilege,
                 fmt::format("permission denied: role \"{}\" may read but not write", role->name))
        .WithHint(fmt::format("a superuser can run GRANT pg_write_all_data TO {}", role->name));
  }
  return Error(sqlstate::kInsufficientPrivilege,
               fmt::format("permission denied to {}: role \"{}\" is not a superuser", needs.action,
                           role->name));
}

Status SessionImpl::LockForWrite(const duckdb::SQLStatement& statement,
                                 const std::optional<RowLockClause>& row_lock) {
  bool may_write = NeedsOf(*connection_.context, statement).may_write;
  auto locked = LockForWrite(may_write || row_lock.has_value(), row_lock ? &*row_lock : nullptr);
  if (locked && may_write) {
    NoteWrites(statement);
    BeforeLoggedWrite();
  }
  return locked;
}

namespace {

std::string Lower(std::string_view name) { return duckdb::StringUtil::Lower(std::string(name)); }

// The table a statement's target TableRef names, or "" when it is not a plain table.
std::string TargetName(const duckdb::TableRef* ref) {
  if (ref == nullptr || ref->type != duckdb::TableReferenceType::BASE_TABLE) return "";
  return Lower(ref->Cast<duckdb::BaseTableRef>().table_name);
}

}  // namespace

void SessionImpl::NoteWrites(const duckdb::SQLStatement& statement) {
  std::string table;
  switch (statement.type) {
    case duckdb::StatementType::INSERT_STATEMENT:
      table = Lower(statement.Cast<duckdb::InsertStatement>().table);
      break;
    case duckdb::StatementType::UPDATE_STATEMENT:
      table = TargetName(statement.Cast<duckdb::UpdateStatement>().table.get());
      break;
    case duckdb::StatementType::DELETE_STATEMENT:
      table = TargetName(statement.Cast<duckdb::DeleteStatement>().table.get());
      break;
    case duckdb::StatementType::COPY_STATEMENT: {
      auto& info = *statement.Cast<duckdb::CopyStatement>().info;
      if (!info.is_from) return;  // COPY ... TO writes a file, not a table
      table = Lower(info.table);
      break;
    }
    default:
      break;  // DDL and the rest: any table may have changed
  }
  if (table.empty()) {
    wrote_unknown_ = true;
  } else {
    tables_written_.insert(table);
  }
}

void SessionImpl::NoteCopyTarget(std::string_view quoted) {
  std::string name = duckdb::QualifiedName::Parse(std::string(quoted)).name;  // "s"."t" -> t
  if (name.empty()) {
    wrote_unknown_ = true;
  } else {
    tables_written_.insert(Lower(name));
  }
}

Result<Session::Reads> SessionImpl::DescribeReads(std::string_view sql) {
  static const char* kVolatile[] = {"random(",
                                    "now(",
                                    "current_time",
                                    "current_date",
                                    "nextval(",
                                    "uuid(",
                                    "gen_random_uuid",
                                    "clock_timestamp",
                                    "statement_timestamp",
                                    "transaction_timestamp",
                                    "setseed(",
                                    "setval(",
                                    "currval("};
  Reads reads;
  try {
    auto decoded = DecodeStringLiterals(sql);
    if (!decoded) return std::move(decoded).error();
    std::vector<RowLockClause> row_locks;
    std::string text = RewriteForDuckDB(*decoded, &row_locks);
    if (!row_locks.empty()) return reads;  // FOR UPDATE must run (and lock) every time
    auto parsed = connection_.ExtractStatements(text);
    if (parsed.size() != 1 || parsed[0]->type != duckdb::StatementType::SELECT_STATEMENT) {
      return reads;
    }
    std::string lower = Lower(text);
    for (const char* name : kVolatile) {
      if (lower.find(name) != std::string::npos) return reads;
    }
    // GetTableNames binds the query, and an unbound $n fails to bind: a NULL in its place names
    // the same tables.
    if (auto parked = ParkCursors(); !parked) return reads;
    std::string bindable = ReplaceParameters(text, "NULL");
    for (const auto& name : connection_.GetTableNames(bindable, /*qualified=*/false)) {
      reads.tables.push_back(Lower(name));
    }
    std::sort(reads.tables.begin(), reads.tables.end());
    reads.cacheable = true;
    return reads;
  } catch (const std::exception& ex) {
    return TranslateException(ex, std::string(sql));
  }
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
