// session_impl.h: the DuckDB-backed implementations behind augur/engine.h.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "augur/engine.h"
#include "duckdb/main/connection.hpp"
#include "duckdb/main/pending_query_result.hpp"
#include "duckdb/main/prepared_statement.hpp"
#include "duckdb/main/query_result.hpp"
#include "duckdb/parser/sql_statement.hpp"
#include "engine/auth/session_role.h"
#include "engine/durability/group_commit.h"
#include "engine/fast_path/recent_prepares.h"
#include "engine/locks/writer_lock.h"
#include "engine/pg/column_origins.h"
#include "engine/pg/command_tag.h"
#include "engine/pg/pg_rewrite.h"
#include "engine/pg/pg_settings.h"
#include "engine/progress/statement_progress.h"
#include "engine/session/savepoints.h"
#include "engine/session/session_registry.h"
#include "engine/session/sql_cursors.h"
#include "engine/session/statement_description.h"

namespace augur::engine {

class SessionImpl;

class StatementImpl final : public Statement {
 public:
  StatementImpl(std::unique_ptr<duckdb::SQLStatement> parsed,
                std::shared_ptr<const std::string> query)
      : parsed_(std::move(parsed)), query_(std::move(query)) {}
  std::string_view text() const override { return parsed_->query; }
  const duckdb::SQLStatement& parsed() const { return *parsed_; }
  // The whole query string this statement came from; DuckDB's error positions point into it.
  // Shared by all the statements of one Query message: a copy each made 20,000 statements of
  // 9 bytes take 3.5 GiB.
  const std::string& query() const { return *query_; }
  StatementDescription description;  // worked out when the statement was split

 private:
  std::unique_ptr<duckdb::SQLStatement> parsed_;
  std::shared_ptr<const std::string> query_;
};

class PreparedImpl final : public PreparedStatement {
 public:
  const std::vector<uint32_t>& parameter_types() const override { return parameter_oids; }
  bool returns_rows() const override { return returns_rows_; }
  const std::vector<ColumnInfo>& columns() const override { return columns_; }
  bool empty() const override { return parsed == nullptr; }
  std::string_view text() const override { return query; }
  const CopyRequest* copy() const override { return client_copy ? &*client_copy : nullptr; }

  std::string query;
  std::optional<CopyRequest> client_copy;        // COPY FROM STDIN / TO STDOUT
  std::unique_ptr<duckdb::SQLStatement> parsed;  // null for an empty statement
  duckdb::unique_ptr<duckdb::PreparedStatement> prepared;
  std::vector<uint32_t> parameter_oids;
  std::vector<duckdb::LogicalType> parameter_types_;  // what each text value is parsed as
  bool returns_rows_ = false;
  std::vector<ColumnInfo> columns_;
  // Untyped parameters whose text is a number bind as numbers (see SessionImpl::Execute).
  bool untyped_numbers = false;
  StatementDescription description;  // worked out once, when the statement was prepared
};

class CursorImpl final : public Cursor {
 public:
  // A cursor over a DuckDB result. `session` is notified when fetching fails.
  CursorImpl(SessionImpl& session, std::unique_ptr<duckdb::QueryResult> result, CommandTag tag,
             std::string query);
  // A cursor that reports only a tag (statements answered without DuckDB).
  CursorImpl(SessionImpl& session, std::string fixed_tag);

  bool returns_rows() const override { return returns_rows_; }
  const std::vector<ColumnInfo>& columns() const override { return columns_; }
  Status SetResultFormats(const std::vector<int16_t>& formats) override;
  Result<RowBatch> Fetch(size_t max_rows) override;
  std::string command_tag() const override { return tag_.Format(rows_); }
  const CopyRequest* copy() const override { return copy_ ? &*copy_ : nullptr; }
  void set_copy(CopyRequest request) { copy_ = std::move(request); }

 private:
  void ReadChangedRowCount();

  SessionImpl& session_;
  std::unique_ptr<duckdb::QueryResult> result_;
  CommandTag tag_;
  std::string query_;
  bool returns_rows_ = false;
  std::vector<ColumnInfo> columns_;
  std::optional<CopyRequest> copy_;
  std::vector<bool> binary_;  // per column: PostgreSQL binary format instead of text
  uint64_t rows_ = 0;
  std::unique_ptr<duckdb::DataChunk> chunk_;
  size_t chunk_row_ = 0;
  bool done_ = false;
};

// Whether DuckDB itself has a setting of this name (TimeZone, threads, memory_limit, ...).
bool IsDuckDbOption(const std::string& name);

// SET's value as PostgreSQL stores it: 'x', x and 42 all become their text.
std::string SetValueText(const duckdb::ParsedExpression& expr);

// The setting named by a "SHOW name" statement, or "" when the text is not SHOW of a setting.
std::string ShowTarget(const std::string& statement_text);

// A cursor over rows computed by augur itself (SHOW of PostgreSQL settings).
class ValuesCursor final : public Cursor {
 public:
  ValuesCursor(std::vector<ColumnInfo> columns, RowBatch rows, std::string tag)
      : columns_(std::move(columns)), rows_(std::move(rows)), tag_(std::move(tag)) {}
  bool returns_rows() const override { return true; }
  const std::vector<ColumnInfo>& columns() const override { return columns_; }
  Status SetResultFormats(const std::vector<int16_t>& formats) override;
  Result<RowBatch> Fetch(size_t max_rows) override;
  std::string command_tag() const override { return tag_; }

 private:
  std::vector<ColumnInfo> columns_;
  RowBatch rows_;
  std::string tag_;
  size_t next_ = 0;
};

class SessionImpl final : public Session {
 public:
  SessionImpl(duckdb::DuckDB& db, WriterLock& writer_lock, GroupCommit& group_commit,
              SessionRegistry& registry, RoleStore& roles, const std::string& role, int32_t id)
      : connection_(db),
        writer_lock_(writer_lock),
        group_commit_(group_commit),
        registry_(registry),
        id_(id) {
    writer_waiter_.owner = id;
    activity_.backend_start = std::chrono::system_clock::now();
    role_ = duckdb::make_shared_ptr<SessionRole>(roles, role);
    connection_.context->registered_state->Insert(SessionRole::kKey, role_);
    connection_.context->registered_state->Insert(ColumnOriginRecorder::kKey, column_origins_);
    EnableProgressTracking(*connection_.context);  // for pg_stat_activity's progress columns
    registry_.Add(this, connection_.context.get(), id_);
  }
  ~SessionImpl() override;

  Result<std::vector<std::unique_ptr<Statement>>> Split(std::string_view sql) override;
  Result<std::unique_ptr<Cursor>> Execute(Statement& statement) override;
  Result<std::shared_ptr<PreparedStatement>> Prepare(
      std::string_view sql, const std::vector<uint32_t>& declared_types) override;
  std::shared_ptr<PreparedStatement> ReusePrepared(
      std::string_view sql, const std::vector<uint32_t>& declared_types) override;
  Result<std::unique_ptr<Cursor>> Execute(PreparedStatement& statement,
                                          const std::vector<ParameterValue>& parameters,
                                          bool stream) override;
  Result<uint64_t> CopyIn(const CopyRequest& request, const std::string& csv_path) override;
  void SetWaker(std::function<void()> wake) override { writer_waiter_.wake = std::move(wake); }
  Result<uint64_t> ExportParquet(std::string_view sql,
                                 const std::vector<ParameterValue>& parameters,
                                 const std::string& path) override;
  void AbortStatement() override { OnStatementError(); }
  void SetClientInfo(std::string user, std::string application, std::string address,
                     int port) override;
  SessionActivity activity() const;
  SessionProgress progress() const override;  // engine/progress/session_progress.cpp
  std::vector<std::string> TakeDeallocations() override {
    return std::exchange(deallocations_, {});
  }
  std::chrono::milliseconds statement_timeout() const override {
    return settings_.Duration("statement_timeout");
  }
  std::chrono::milliseconds idle_in_transaction_timeout() const override {
    return settings_.Duration("idle_in_transaction_session_timeout");
  }
  std::vector<std::pair<std::string, std::string>> TakeParameterChanges() override {
    return settings_.TakeReportedChanges();
  }
  Result<RowBatch> Query(std::string_view sql) override;
  TransactionState transaction_state() const override { return state_; }
  void Cancel() override {
    cancel_requested_ = true;
    connection_.Interrupt();
    writer_lock_.Interrupt(writer_waiter_);  // a queued statement comes back to see the flag
    registry_.advisory_locks().Interrupt();  // so does one waiting for an advisory lock
  }
  void SetNotificationWaker(std::function<void()> wake) override;
  std::vector<NotificationMessage> TakeNotifications() override;
  std::chrono::milliseconds lock_timeout() const override {
    return settings_.Duration("lock_timeout");
  }
  // Advisory locks for this session (lock_functions.cpp); see AdvisoryLocks.
  Result<bool> AdvisoryLock(AdvisoryLocks::Key key, AdvisoryLocks::Mode mode,
                            AdvisoryLocks::Scope scope, bool try_only);
  bool AdvisoryUnlock(AdvisoryLocks::Key key, AdvisoryLocks::Mode mode);
  void AdvisoryUnlockAll();
  // NOTIFY and pg_notify(): queued in the transaction, published when it commits.
  Status QueueNotify(std::string channel, std::string payload);
  int32_t id() const override { return id_; }
  std::string search_path() const override { return settings_.Get("search_path").value_or(""); }
  Reads ReadsOf(const Statement& statement) override;
  Reads ReadsOf(const PreparedStatement& statement) override;

  duckdb::ClientContext& context() { return *connection_.context; }
  const SessionRole& role() const { return *role_; }
  // set_config() and current_setting() from SQL: PostgreSQL-only settings are augur's, the rest
  // DuckDB's (read-only through these functions).
  // With is_local (set_config's third argument), the value lasts until the block ends.
  Status SetSetting(const std::string& name, const std::string& value, bool is_local = false);
  Result<std::string> GetSetting(const std::string& name);
  // Called by cursors and Execute: an error inside a transaction block fails the block.
  void OnStatementError();
  // Re-reads DuckDB's transaction state after a statement completed successfully.
  void OnStatementDone();
  // Blocks until every commit that has finished so far is durable. Whatever a statement answers
  // (rows, a count, an error, COMMIT's tag) may depend on such a commit: its own, or another
  // session's that its snapshot sees. Cheap when no fsync is pending (durability/group_commit.h).
  void AwaitDurability() override { group_commit_.WaitUntilDurable(); }
  bool AnswerIsDurable() const override {
    const uint64_t target = group_commit_.requested();  // as WaitUntilDurable reads them
    return group_commit_.durable() >= target;
  }
  std::optional<Result<std::unique_ptr<Cursor>>> TryExecuteInline(
      PreparedStatement& statement, const std::vector<ParameterValue>& parameters) override;
  // AwaitDurability() when it goes out of scope, i.e. after the answer is made, before it leaves.
  struct AnswerWhenDurable {
    SessionImpl& session;
    ~AnswerWhenDurable() { session.AwaitDurability(); }
  };

 private:
  // PostgreSQL's transaction-block rules for a statement about to run: a cursor when the session
  // answers it without the engine (or an error, e.g. 25P02), nullopt when it should run.
  std::optional<Result<std::unique_ptr<Cursor>>> ApplyTransactionRules(TransactionVerb verb);
  // One execution of a statement (statement_pipeline.cpp): a simple query's statement, or a
  // prepared statement with its parameter values.
  struct Execution {
    const duckdb::SQLStatement& parsed;
    const StatementDescription& description;
    const std::string& query;          // the text DuckDB's error positions point into
    std::string_view activity_text;    // what pg_stat_activity shows while it runs
    PreparedImpl* prepared = nullptr;  // null for a simple query's statement
    const std::vector<ParameterValue>* parameters = nullptr;
    bool stream = true;
  };
  // The text step of Split and Prepare: refuses what DuckDB cannot parse but PostgreSQL accepts
  // (WHERE CURRENT OF), decodes E'' strings, then pg_rewrite.h's rewrite, which lists the locking
  // clauses it removes in `row_locks`. A failure counts as the statement's error.
  Result<std::string> RewriteText(std::string_view sql, std::vector<RowLockClause>& row_locks);

  // What every parsed statement goes through before it is described or run, whether it came
  // from Split, Prepare, a cursor's DECLARE or the savepoint replay: the statement limits, then
  // the rewrites that need the parse tree (PostgreSQL's column names, GROUP BY a primary key,
  // INSERT with fewer values than columns, COPY's Parquet compression).
  Status ApplyParsedRewrites(duckdb::SQLStatement& statement);
  // The guards every statement passes, in order, then RunInEngine.
  Result<std::unique_ptr<Cursor>> RunPipeline(const Execution& run);
  // The pipeline's last step: the search_path, the writer turn, DuckDB, AfterSuccess.
  Result<std::unique_ptr<Cursor>> RunInEngine(const Execution& run, bool may_write);
  // DuckDB's pending execution of a prepared statement, retried once with untyped numbers.
  std::unique_ptr<duckdb::PendingQueryResult> PendingPrepared(
      PreparedImpl& prepared, const std::vector<ParameterValue>& parameters,
      duckdb::vector<duckdb::Value>& values, bool stream);
  // The fast path (fast_path/key_lookup.h) for a described key lookup, after the writer turn:
  // its cursor, or nullopt to run the statement through DuckDB's planner (fast_path_run.cpp).
  std::optional<Result<std::unique_ptr<Cursor>>> RunFastPath(
      const Execution& run, const duckdb::vector<duckdb::Value>& values);
  // A prepared select of literals, answered from them (fast_path/constant_select.h).
  std::optional<Result<std::unique_ptr<Cursor>>> RunConstantSelect(const Execution& run);
  // Whether TryExecuteInline may run `prepared` now without blocking (fast_path_run.cpp).
  bool MayRunInline(const PreparedImpl& prepared) const;
  // Set while TryExecuteInline runs the pipeline: a key lookup the fast path declines then
  // answers kRunOnWorker instead of going on to DuckDB's planner on the caller's thread.
  bool inline_only_ = false;
  static Error RunOnWorkerInstead();
  // What a statement that ran changes in the session: the search_path's schemas, the savepoint
  // replay log, reported settings, a learned primary key index.
  void AfterSuccess(const Execution& run, const duckdb::vector<duckdb::Value>& values);
  // What a described statement reads (statement_reads.cpp).
  Reads ReadsOf(const StatementDescription& description, const duckdb::SQLStatement& parsed);
  // Turns a pending DuckDB query into a cursor, translating errors against `query`.
  Result<std::unique_ptr<Cursor>> Run(std::unique_ptr<duckdb::PendingQueryResult> pending,
                                      CommandTag tag, const std::string& query);

  // Parameter values for one execution of `prepared`.
  Result<duckdb::vector<duckdb::Value>> BindValues(const PreparedImpl& prepared,
                                                   const std::vector<ParameterValue>& parameters);
  // 42501 unless the session's role may run `statement` (docs/SECURITY.md;
  // auth/session_privileges.cpp). `shown` is the setting a SHOW names.
  Status CheckPrivileges(const duckdb::SQLStatement& statement);
  Status CheckPrivileges(const StatementNeeds& needs, const std::string& shown);
  // Takes the writer turn when `statement` may write and this transaction does not hold it yet.
  // Fails with 57014 when the wait is cancelled. With a waker (SetWaker) it does not wait: it
  // queues the session and answers kMustWait, which the statement passes up unchanged.
  // (locks/write_turn.cpp.) `may_write` is the statement's, worked out by the pipeline.
  Status LockForWrite(const StatementDescription& statement, bool may_write);
  Status LockForWrite(bool may_write) { return LockForWrite(may_write, nullptr); }
  // Takes the turn for a statement with a row-locking clause: NOWAIT fails at once with 55P03
  // when another transaction holds it; lock_timeout bounds the wait (session_locks.cpp).
  Status LockForWrite(bool may_write, const RowLockClause* row_lock);
  // 42501 unless the role may lock rows (it takes the writer turn, so it needs write access).
  Status CheckRowLockPrivilege(const std::optional<RowLockClause>& row_lock);
  // LISTEN, UNLISTEN and NOTIFY, rewritten to SET augur.listen/unlisten/notify (pg_rewrite.cpp);
  // nullopt for any other setting.
  std::optional<Result<std::unique_ptr<Cursor>>> HandleNotifyCommand(const std::string& name,
                                                                     const std::string& value);
  // The transaction ended: publishes or drops its notifications, releases its advisory locks.
  void EndTransaction(bool committed);
  // Gives the writer turn back once no transaction is open. Also leaves the queue when the
  // statement that was waiting for the turn ended some other way.
  void ReleaseWriterLockIfIdle();
  // At the start of an execution: forgets a Cancel() aimed at an earlier statement, unless this
  // is the retry of a statement that was waiting for its turn (its cancellation still counts).
  void BeginExecution() {
    if (!waiting_for_turn_) cancel_requested_ = false;
  }
  // Records that `table` was written ("": any table), for the table versions (see
  // WriterLock::Release).
  void NoteWrite(const std::string& table);
  void NoteCopyTarget(std::string_view quoted_table);
  // COPY FROM STDIN / TO STDOUT: a cursor that the protocol layer feeds or drains.
  Result<std::unique_ptr<Cursor>> StartClientCopy(struct ClientCopy copy, const std::string& query);

  // Savepoints and SET LOCAL (savepoints.cpp): the rewritten commands, answered here whatever
  // the block's state, or nullopt for any other statement.
  std::optional<Result<std::unique_ptr<Cursor>>> HandleSavepointCommand(
      const duckdb::SQLStatement& parsed);
  Result<std::unique_ptr<Cursor>> RollbackToSavepoint(size_t marker);
  Result<std::unique_ptr<Cursor>> SetLocal(const duckdb::SQLStatement& parsed, std::string name);
  Status PushLocalSetting(const std::string& name, bool engine);
  void UndoLocalSettings(size_t keep);
  // The replay log: a write inside a block is about to run / has succeeded / cannot be logged.
  void BeforeLoggedWrite();
  void RecordWrite(const duckdb::SQLStatement& parsed, const duckdb::vector<duckdb::Value>& values);
  void RecordUnreplayableWrite(std::string what);
  // The block ended (COMMIT or ROLLBACK): SET LOCAL values revert, the log is dropped.
  void EndSavepointBlock();
  SequenceCounters ReadSequenceCounters();
  void RewindSequences(const SequenceCounters& counters, bool log_in_transaction = false);

  // SET/RESET/SHOW of PostgreSQL settings DuckDB lacks: answered here, or nullopt to let DuckDB
  // run the statement. Also notes reported settings (TimeZone) that DuckDB changes.
  std::optional<Result<std::unique_ptr<Cursor>>> HandleSettings(const duckdb::SQLStatement& parsed);
  void NoteEngineSettingChange(const duckdb::SQLStatement& parsed);
  // DECLARE / FETCH / MOVE / CLOSE (sql_cursors.cpp): answered here, or nullopt for other
  // statements. ParkCursors() runs before DuckDB runs anything else on the connection;
  // EndCursorTransaction() after each statement (cursors end with their transaction).
  std::optional<Result<std::unique_ptr<Cursor>>> HandleCursorCommand(
      const duckdb::SQLStatement& parsed, const std::vector<ParameterValue>& parameters = {},
      const std::vector<uint32_t>& parameter_types = {});
  bool DescribeCursorCommand(PreparedImpl& prepared, const std::vector<uint32_t>& declared_types);

 public:
  std::optional<std::vector<ColumnInfo>> CursorColumns(const std::string& name) override;
  // The open cursors, for pg_cursors.
  const SqlCursors* cursors() const { return cursors_.get(); }

 private:
  Status ParkCursors();
  void EndCursorTransaction(bool rolled_back, bool ending = false);
  struct CursorTransactionEnd;
  // Hands DuckDB the schemas of the PostgreSQL search_path when it or the set of schemas changed
  // (session_search_path.cpp). Called before a statement binds.
  void SyncSearchPath();
  // Application DDL that DuckDB cannot run as written (pg_app_ddl.cpp), or nullopt.
  std::optional<Result<std::unique_ptr<Cursor>>> HandleApplicationDdl(
      const duckdb::SQLStatement& parsed);
  // Runs `sql` statement by statement as if the client had sent it, discarding rows.
  Status RunInternal(const std::string& sql);
  std::string RenameTakenSequences(std::string sql);
  bool in_app_ddl_ = false;
  // Foreign keys augur enforces itself (ddl/foreign_key_session.cpp): RunInEngine, then their
  // actions and checks in the statement's transaction; deferred checks wait for COMMIT.
  Result<std::unique_ptr<Cursor>> RunWithForeignKeys(const Execution& run, bool may_write);
  // DROP TABLE / ALTER TABLE of a table with such foreign keys: their records follow, in the
  // same transaction; nullopt when none is involved.
  std::optional<Result<std::unique_ptr<Cursor>>> ForeignKeyDdl(const duckdb::SQLStatement& parsed);
  // After COPY FROM STDIN into `quoted_table` ("schema"."table"), in its transaction.
  Status CheckForeignKeysAfterCopy(const std::string& quoted_table);
  // After ALTER TABLE ... ADD FOREIGN KEY recorded one: the rows already there must hold.
  Status CheckRecordedForeignKeys();
  // ALTER TABLE ... ADD CHECK, by rebuilding the table (ddl/add_check.cpp).
  std::optional<Result<std::unique_ptr<Cursor>>> AddCheckConstraint(
      const duckdb::SQLStatement& parsed);
  // CREATE / REFRESH / DROP MATERIALIZED VIEW (ddl/materialized_views.cpp).
  std::optional<Result<std::unique_ptr<Cursor>>> MaterializedViewDdl(
      const duckdb::SQLStatement& parsed);
  std::map<std::string, bool> pending_foreign_keys_;  // deferred checks until COMMIT
  bool in_foreign_key_ddl_ = false;
  // After a CREATE TABLE, with augur_learned_primary_keys on: a LEARNED index on its key.
  void AddLearnedPrimaryKey(const duckdb::SQLStatement& parsed);

  duckdb::Connection connection_;
  duckdb::shared_ptr<SessionRole> role_;
  duckdb::shared_ptr<ColumnOriginRecorder> column_origins_ =
      duckdb::make_shared_ptr<ColumnOriginRecorder>();
  WriterLock& writer_lock_;
  // Every answer waits until the commits it may depend on are durable (durability/).
  GroupCommit& group_commit_;
  SessionRegistry& registry_;
  bool holds_writer_lock_ = false;
  WriterLock::Waiter writer_waiter_;  // this session's place in the writer turn's queue
  // The last statement answered kMustWait and will be retried (see BeginExecution). Atomic:
  // pg_stat_activity reads it from other sessions' threads.
  std::atomic<bool> waiting_for_turn_{false};
  // In a blocking pg_advisory_lock (for pg_stat_activity's wait_event).
  std::atomic<bool> waiting_for_advisory_lock_{false};
  // Query() and ExportParquet() wait for the turn blocking, even with a waker.
  bool block_for_turn_ = false;
  // Sets block_for_turn_ for a scope.
  struct BlockForTurn {
    explicit BlockForTurn(bool& flag) : flag(flag), before(std::exchange(flag, true)) {}
    ~BlockForTurn() { flag = before; }
    bool& flag;
    bool before;
  };
  // Written by the current transaction, published when the writer lock is released.
  std::set<std::string> tables_written_;
  bool wrote_unknown_ = false;
  uint64_t block_generation_ = 0;  // writer_lock_.generation() when the current block began
  std::atomic<bool> cancel_requested_{false};
  PgSettings settings_;
  std::string applied_search_path_;         // the search_path value DuckDB was last given
  bool search_path_stale_ = true;           // a schema may have appeared or gone since
  std::vector<std::string> deallocations_;  // see TakeDeallocations
  SavepointState savepoints_;
  // What pg_stat_activity shows; read from other threads, so behind its own mutex.
  void NoteStatementStart(std::string_view text);
  mutable std::mutex activity_mu_;
  SessionActivity activity_;
  const int32_t id_;
  PendingNotifications pending_notifications_;
  TransactionVerb last_verb_ = TransactionVerb::kNone;     // of the statement running or last run
  std::chrono::steady_clock::time_point turn_wait_start_;  // for lock_timeout
  // Atomic: pg_stat_activity reads it from other sessions' threads.
  std::atomic<TransactionState> state_{TransactionState::kIdle};
  // Last: its DuckDB results go before the connection does.
  std::shared_ptr<SqlCursors> cursors_;
  // Prepared key lookups for a Parse of the same text again (prepare.cpp).
  fast_path::RecentPrepares<PreparedImpl> recent_prepares_;
  // Their key for `sql` now, or nullopt when none may be reused or remembered (prepare.cpp).
  std::optional<fast_path::RecentPrepares<PreparedImpl>::Key> RecentPrepareKey(
      std::string_view sql, const std::vector<uint32_t>& declared_types);
};

// Whether `parsed` is a cursor statement (rewritten to SET augur.cursor by pg_rewrite.cpp).
bool IsCursorCommand(const duckdb::SQLStatement& parsed);

}  // namespace augur::engine
