// augur/engine.h: the embeddable engine. Everything above it (the PostgreSQL server, the REST API,
// an application that links augur in-process) talks to DuckDB only through this header.
//
//   auto db = augur::Database::Open({.data_dir = "./augur-data"});
//   auto session = (*db)->Connect();
//   auto statements = (*session)->Split("CREATE TABLE t(i INT); SELECT * FROM t");
//   for (auto& stmt : *statements) {
//     auto cursor = (*session)->Execute(stmt);
//     while (auto batch = (*cursor)->Fetch(1024)) { if (batch->rows() == 0) break; ... }
//   }
//
// Thread safety: a Database is safe to use from many threads. A Session is used by one thread at
// a time, except Cancel(), which any thread may call at any time. A Cursor belongs to its Session
// and must be destroyed before the Session runs another statement.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "augur/result.h"

namespace augur {

// The superuser every data directory has, like PostgreSQL's "postgres"; it cannot be dropped.
inline constexpr std::string_view kBootstrapRole = "augur";

// A role as the protocol layers see it at login.
struct RoleInfo {
  std::string name;
  bool superuser = false;
  bool login = false;    // may connect at all
  std::string verifier;  // SCRAM-SHA-256 verifier text; empty: no password set
};

struct DatabaseOptions {
  // Directory holding the database; created on first open. Empty means an in-memory database.
  std::string data_dir;
  // Upper bound for DuckDB's memory, e.g. "4GB"; empty: a quarter of the available memory. No
  // single allocation may take more than half of it (engine/allocation_cap.h).
  std::string memory_limit;
  // DuckDB worker threads per query; 0 keeps DuckDB's default (one per core).
  int threads = 0;
  // Default of the session setting augur_learned_primary_keys: every new one-column PRIMARY KEY
  // also gets a LEARNED index.
  bool learned_primary_keys = false;
  // Default of the session setting augur_fast_path: key lookups answered without DuckDB's
  // planner (src/engine/fast_path).
  bool fast_path = true;
};

// A result column, described the way PostgreSQL's RowDescription describes it.
struct ColumnInfo {
  std::string name;
  uint32_t type_oid = 0;       // pg_type.oid, e.g. 23 for int4
  int16_t type_size = -1;      // pg_type.typlen: fixed width in bytes, -1 variable
  int32_t type_modifier = -1;  // atttypmod, e.g. numeric precision/scale; -1 none
  std::string engine_type;     // DuckDB's name for the type, for logs and the REST API
  // The table column it reads when it is a plain column reference (pg_class oid, attnum); 0
  // otherwise. Known for statements prepared through the extended protocol.
  uint32_t table_oid = 0;
  int16_t column_number = 0;
};

// Where the session stands with respect to transactions, as ReadyForQuery reports it.
enum class TransactionState : char {
  kIdle = 'I',     // autocommit: each statement is its own transaction
  kInBlock = 'T',  // inside BEGIN ... COMMIT
  kFailed = 'E',   // a statement failed inside a block; only ROLLBACK/COMMIT are accepted
};

// Rows in PostgreSQL's text format: cell(r, c) is the text of one value, or nullopt for NULL.
class RowBatch {
 public:
  explicit RowBatch(size_t columns = 0) : columns_(columns) {}
  size_t rows() const { return columns_ == 0 ? 0 : lengths_.size() / columns_; }
  size_t columns() const { return columns_; }
  std::optional<std::string_view> cell(size_t row, size_t col) const {
    size_t i = row * columns_ + col;
    if (lengths_[i] < 0) return std::nullopt;
    return std::string_view(data_).substr(offsets_[i], static_cast<size_t>(lengths_[i]));
  }
  // Builders: call once per cell, row-major.
  void AppendNull() {
    offsets_.push_back(data_.size());
    lengths_.push_back(-1);
  }
  void AppendCell(std::string_view text) {
    offsets_.push_back(data_.size());
    lengths_.push_back(static_cast<int32_t>(text.size()));
    data_.append(text);
  }
  // For formatters that write in place: append to the returned buffer, then call EndCell().
  std::string& BeginCell() {
    offsets_.push_back(data_.size());
    lengths_.push_back(0);
    return data_;
  }
  void EndCell() { lengths_.back() = static_cast<int32_t>(data_.size() - offsets_.back()); }
  size_t byte_size() const { return data_.size(); }

 private:
  size_t columns_;
  std::string data_;
  std::vector<size_t> offsets_;
  std::vector<int32_t> lengths_;
};

// How COPY data between client and server is written (PostgreSQL's COPY options).
struct CopyFormat {
  enum class Kind { kText, kCsv, kBinary };
  Kind kind = Kind::kText;
  char delimiter = '\t';            // ',' for csv
  std::string null_string = "\\N";  // "" for csv
  bool header = false;              // csv only
  char quote = '"';                 // csv only
  char escape = '"';                // csv only
};

// A COPY whose data flows over the client connection (FROM STDIN / TO STDOUT). The protocol layer
// moves the bytes; the engine reads or produces rows.
struct CopyRequest {
  bool from_client = false;  // COPY ... FROM STDIN
  CopyFormat format;
  // FROM STDIN: the table to fill ("schema"."table") and its column list, quoted, or empty.
  std::string table;
  std::string column_list;
  size_t column_count = 0;  // columns in each row
  // FROM STDIN: each column's PostgreSQL type OID (binary COPY data is decoded by type).
  std::vector<uint32_t> column_types;
};

// One statement of a query string, parsed and ready to run.
class Statement {
 public:
  virtual ~Statement() = default;
  // The statement's own text (without the separating semicolon).
  virtual std::string_view text() const = 0;
};

// The running or finished execution of one statement.
class Cursor {
 public:
  virtual ~Cursor() = default;
  // True when the statement produces rows (SELECT, SHOW, RETURNING, ...): the client gets a
  // RowDescription. False for statements that only report a command tag.
  virtual bool returns_rows() const = 0;
  virtual const std::vector<ColumnInfo>& columns() const = 0;
  // Chooses PostgreSQL's text (0) or binary (1) format per column, by Bind's rule: no codes means
  // all text, one code applies to every column, else one code per column. Fails with 0A000 for
  // a column whose type has no binary form in augur. Call before the first Fetch.
  virtual Status SetResultFormats(const std::vector<int16_t>& formats) = 0;
  // The format codes RowDescription reports for a simple Query (one per column, or empty for
  // all text): non-empty only for FETCH from a BINARY cursor.
  virtual std::vector<int16_t> result_formats() const { return {}; }
  // Fetches up to max_rows rows. A batch with zero rows means the end; after it, command_tag()
  // is final. Errors (including cancellation, 57014) end the cursor.
  virtual Result<RowBatch> Fetch(size_t max_rows) = 0;
  // PostgreSQL's CommandComplete tag: "SELECT 3", "INSERT 0 1", "CREATE TABLE", ...
  virtual std::string command_tag() const = 0;
  // Non-null for COPY FROM STDIN / TO STDOUT. TO STDOUT: Fetch yields the rows to copy out (text
  // cells, or binary cells for the binary format). FROM STDIN: the caller gathers the data and
  // calls Session::CopyIn.
  virtual const CopyRequest* copy() const { return nullptr; }
};

// `sql` with comments dropped and each run of whitespace between tokens made one space, quotes
// respected: texts that differ only there are the same statements (the result cache's key).
std::string CanonicalSql(std::string_view sql);

// Fetches every remaining row of `cursor` into one batch (small results: catalogs, counts).
Result<RowBatch> FetchAll(Cursor& cursor);

// A statement parsed and planned once, executed many times with parameters ($1, $2, ...): the
// engine side of the PostgreSQL extended query protocol (Parse/Bind/Execute).
class PreparedStatement {
 public:
  virtual ~PreparedStatement() = default;
  // One PostgreSQL type OID per parameter: the client's declaration where it gave one (non-zero),
  // else the type the engine inferred from the statement, else 25 (text).
  virtual const std::vector<uint32_t>& parameter_types() const = 0;
  // The result columns as far as they are known before execution. A column whose type depends on
  // a parameter's value reports text (25); the cursor reports the final types.
  virtual bool returns_rows() const = 0;
  virtual const std::vector<ColumnInfo>& columns() const = 0;
  // True for a statement with no SQL in it (EmptyQueryResponse in PostgreSQL).
  virtual bool empty() const = 0;
  // The statement's SQL as the engine runs it, for logs.
  virtual std::string_view text() const = 0;
  // Non-null for COPY FROM STDIN / TO STDOUT, whose data needs the client's copy channel, which
  // only the simple query path (Session::Execute(Statement&)) drives; executing such a statement
  // prepared fails with 0A000.
  virtual const CopyRequest* copy() const { return nullptr; }
};

// A parameter value in PostgreSQL's text format; nullopt is SQL NULL.
using ParameterValue = std::optional<std::string>;

// The code of the Error that Execute and CopyIn return, on a session with a waker
// (Session::SetWaker), instead of blocking when the statement must wait for another transaction:
// writing transactions take turns (src/engine/writer_lock.h). It is not a failure:
// nothing ran, the transaction block is intact, and the session is queued. The caller suspends
// until the waker is called, then makes the same call again with the same arguments; that call
// runs the statement, fails it with 57014 when the wait was cancelled, or (after a spurious
// wake) answers this again. Never sent to a client.
inline constexpr std::string_view kMustWait = "augur-must-wait";
inline bool MustWait(const Error& error) { return error.sqlstate == kMustWait; }

// A NOTIFY delivered to a listening session: PostgreSQL's NotificationResponse.
struct NotificationMessage {
  int32_t pid = 0;  // the notifying session
  std::string channel;
  std::string payload;
};

// A session's running statement and how far it has got, by DuckDB's estimate (see
// src/engine/progress/): DuckDB estimates scans of tables and files, not of range() (docs/API.md).
struct SessionProgress {
  bool active = false;  // a statement runs, or waits for a lock
  std::chrono::system_clock::time_point statement_start;
  std::string wait_event;         // "transactionid" or "advisory" while it waits; "" while it runs
  std::optional<double> percent;  // 0..100; nullopt until DuckDB can estimate it
  std::optional<int64_t> rows_processed;
  std::optional<int64_t> rows_total;
};

class Session {
 public:
  virtual ~Session() = default;
  // Parses a query string that may hold several statements separated by semicolons. As in
  // PostgreSQL, the whole string is parsed first: a syntax error anywhere runs nothing. An empty
  // string (or only comments and semicolons) yields no statements.
  virtual Result<std::vector<std::unique_ptr<Statement>>> Split(std::string_view sql) = 0;
  // Runs one statement. Applies PostgreSQL's transaction rules: in a failed block every statement
  // but ROLLBACK/COMMIT fails with 25P02, and COMMIT rolls back (tag "ROLLBACK").
  virtual Result<std::unique_ptr<Cursor>> Execute(Statement& statement) = 0;
  // Prepares `sql`, which may hold at most one statement. `declared_types` are the client's
  // parameter OIDs (0 = let the engine infer), possibly fewer than the statement uses.
  virtual Result<std::shared_ptr<PreparedStatement>> Prepare(
      std::string_view sql, const std::vector<uint32_t>& declared_types) = 0;
  // Runs a prepared statement with one value per parameter. With `stream` the rows are produced
  // as they are fetched and the cursor must be drained or destroyed before the session runs
  // anything else; without it the result is computed whole and the cursor may stay open while
  // other statements run (suspended portals).
  virtual Result<std::unique_ptr<Cursor>> Execute(PreparedStatement& statement,
                                                  const std::vector<ParameterValue>& parameters,
                                                  bool stream) = 0;
  // The statement a Prepare of the same text and types would give, when the session still has
  // it from an earlier Prepare and nothing changed its meaning since; null otherwise. Cheap and
  // never blocking: a server may call it on its I/O thread before sending Prepare to a worker.
  virtual std::shared_ptr<PreparedStatement> ReusePrepared(
      std::string_view sql, const std::vector<uint32_t>& declared_types) {
    (void)sql;
    (void)declared_types;
    return nullptr;
  }
  // Runs a prepared statement on the caller's thread when it is quick and cannot block on
  // another transaction: a key lookup the fast path answers, with the writer turn free (or
  // this session's), no fsync pending, no open SQL cursors. nullopt (having answered nothing)
  // when that does not hold: then call Execute on a worker as usual. The caller must then
  // wait, off its thread, for AnswerIsDurable() before it sends the answer (see
  // AwaitDurability). For a server's I/O thread: one trip to a worker less per statement.
  virtual std::optional<Result<std::unique_ptr<Cursor>>> TryExecuteInline(
      PreparedStatement& statement, const std::vector<ParameterValue>& parameters) {
    (void)statement;
    (void)parameters;
    return std::nullopt;
  }
  // Whether every commit that finished so far is durable (a cheap check), and the blocking wait
  // for it: Execute does that itself; TryExecuteInline's caller does it.
  virtual bool AnswerIsDurable() const { return true; }
  virtual void AwaitDurability() {}
  // Loads a COPY FROM STDIN whose data the caller wrote to `csv_path` as CSV (every non-NULL value
  // quoted, NULL as an unquoted \N). All rows load or none do. Returns the row count.
  virtual Result<uint64_t> CopyIn(const CopyRequest& request, const std::string& csv_path) = 0;
  // How this session waits for its turn to write. Without a waker (the default) a statement that
  // must wait blocks the calling thread until the turn comes or Cancel() is called: right for an
  // embedded caller with a thread of its own. With one, Execute and CopyIn never block on
  // another transaction: they answer kMustWait (see MustWait) and `wake` is called once the
  // statement may be run again (the turn was handed to this session, or Cancel() was called).
  // `wake` runs on an arbitrary thread with the engine's lock held: it must only post or notify,
  // quickly, and never call into the session. Set it before the first statement. Query() and
  // ExportParquet() always block, so a server must not call them for writes on its pool.
  virtual void SetWaker(std::function<void()> wake) = 0;
  // The session's statement_timeout (PostgreSQL's setting, per session); zero means none. The
  // protocol layer enforces it with Cancel().
  virtual std::chrono::milliseconds statement_timeout() const = 0;
  // The session's idle_in_transaction_session_timeout: how long the protocol layer lets a client
  // sit inside a transaction block without sending anything; zero means forever.
  virtual std::chrono::milliseconds idle_in_transaction_timeout() const = 0;
  // Settings that PostgreSQL reports with ParameterStatus (application_name, TimeZone, DateStyle,
  // ...) whose values changed since the last call, as (name, value) pairs.
  virtual std::vector<std::pair<std::string, std::string>> TakeParameterChanges() = 0;
  // Names of protocol-level prepared statements that DEALLOCATE statements asked to drop since
  // the last call; "ALL" stands for every one. The protocol layer owns those statements.
  virtual std::vector<std::string> TakeDeallocations() = 0;
  // Who is on the other end, for pg_stat_activity: user name, application name, client address
  // and port. Call once after connecting.
  // The application name also becomes the session's application_name setting.
  virtual void SetClientInfo(std::string user, std::string application, std::string address,
                             int port) = 0;
  // Records that the statement in progress failed outside the engine (bad COPY data, a client
  // that aborted): inside a transaction block the block fails, as in PostgreSQL.
  virtual void AbortStatement() = 0;
  // Writes the rows of `sql` (one query; `parameters` for its $n) to a new Parquet file at
  // `path` (zstd), which augur chose: any role that may run the query may export it this way,
  // though only superusers may name files in SQL. Returns the row count.
  virtual Result<uint64_t> ExportParquet(std::string_view sql,
                                         const std::vector<ParameterValue>& parameters,
                                         const std::string& path) = 0;
  // The columns of the SQL cursor (DECLARE) `name`, or nullopt when there is none: PostgreSQL's
  // cursors are portals, and drivers (psycopg 3) Describe them by name.
  virtual std::optional<std::vector<ColumnInfo>> CursorColumns(const std::string& name) {
    (void)name;
    return std::nullopt;
  }
  // Convenience: Split + Execute + Fetch everything; returns the last statement's rows.
  virtual Result<RowBatch> Query(std::string_view sql) = 0;
  virtual TransactionState transaction_state() const = 0;
  // Interrupts the statement running now, if any, or its wait for the turn to write (it fails
  // with 57014). Any thread, any time.
  virtual void Cancel() = 0;
  // What the session's statement is doing now (pg_stat_activity's figures for it), for progress
  // displays: GET /api/progress and `augur restore`. Any thread, any time, like Cancel().
  virtual SessionProgress progress() const { return {}; }
  // A number unique among live sessions of this Database, used as PostgreSQL's backend pid.
  virtual int32_t id() const = 0;
  // The session's search_path: the same text names different tables under different paths, so
  // result caches key on it.
  virtual std::string search_path() const = 0;

  // LISTEN/NOTIFY. `wake` is called when notifications for this session arrive (any thread, with
  // the engine's lock held: it must only post); TakeNotifications() then returns them, oldest
  // first. The protocol layer sends them between statements and while the client is idle.
  virtual void SetNotificationWaker(std::function<void()> wake) { (void)wake; }
  virtual std::vector<NotificationMessage> TakeNotifications() { return {}; }
  // The session's lock_timeout; zero means none. A statement queued for the writer turn fails
  // with 55P03 once it waited this long; the protocol layer wakes it then (SetWaker).
  virtual std::chrono::milliseconds lock_timeout() const { return {}; }

  // What the result cache needs to know about a statement before running it.
  struct Reads {
    // One SELECT whose every function is deterministic over a snapshot (no random(), now(),
    // nextval(), ...; judged from the bound statement) and that reads only tables: the same
    // statement over the same data gives the same rows.
    bool cacheable = false;
    std::vector<std::string> tables;  // tables it reads: bare names, lower case
  };
  // From a statement as Split or Prepare made it (nothing is parsed again); binds it once. A
  // statement that fails to bind is not cacheable (running it reports the error).
  virtual Reads ReadsOf(const Statement& statement) = 0;
  virtual Reads ReadsOf(const PreparedStatement& statement) = 0;
};

class Database {
 public:
  virtual ~Database() = default;
  // Opens (creating if needed) the database in options.data_dir. Fails with a clear error when the
  // directory cannot be created or another process has it open.
  static Result<std::unique_ptr<Database>> Open(const DatabaseOptions& options);
  // A new session with its own DuckDB connection (own transaction, own settings), running as the
  // bootstrap superuser.
  virtual Result<std::unique_ptr<Session>> Connect() = 0;
  // The same, running as `role` (which FindRole found): its privileges are checked on every
  // statement (docs/SECURITY.md).
  virtual Result<std::unique_ptr<Session>> ConnectAs(const std::string& role) = 0;
  // What a login needs to know of a role; nullopt when there is no such role.
  virtual std::optional<RoleInfo> FindRole(const std::string& name) = 0;
  // The role an HTTP API token runs as (augur_create_api_token); nullopt when it is not valid.
  virtual std::optional<std::string> RoleForToken(std::string_view token) = 0;
  // Whether `role` may log in and `password` is its password.
  virtual bool CheckPassword(const std::string& role, std::string_view password) = 0;
  // Writes the WAL into the database file. Called at shutdown; safe at any time.
  virtual Status Checkpoint() = 0;
  // The DuckDB version string, e.g. "v1.4.4".
  virtual std::string engine_version() const = 0;
  // A stamp of the versions of `tables` (as Session::ReadsOf names them). It changes when
  // a transaction that wrote one of them (through any session, either protocol) ends.
  virtual std::string TableVersionStamp(const std::vector<std::string>& tables) = 0;
};

}  // namespace augur
