// sql_cursors.h: SQL-level cursors (DECLARE / FETCH / MOVE / CLOSE), which psycopg2's named
// cursors and Django's .iterator() use to read large results a batch at a time.
//
// DuckDB's parser knows none of these statements: pg_rewrite.cpp turns each into
// `SET augur.cursor = '<statement text>'`, and SessionImpl::HandleCursorCommand (sql_cursors.cpp)
// parses the text again here. DECLARE's query is parsed and planned by DuckDB and runs as a
// streaming result owned by the session, so a forward-only cursor read by FETCH after FETCH
// never holds the whole result. DuckDB allows one open stream per connection: before any other
// statement runs, the session calls SqlCursors::Park(), which reads the rest of the stream into
// a ColumnDataCollection (managed by DuckDB's buffer manager, which spills it to the temporary
// directory under memory pressure). SCROLL cursors are materialized that way at DECLARE.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "augur/engine.h"

namespace duckdb {
class ClientContext;
class ColumnDataCollection;
class DataChunk;
class QueryResult;
struct ColumnDataScanState;
}  // namespace duckdb

namespace augur::engine {

// The most cursors one session may hold open (54000 beyond it).
inline constexpr size_t kMaxCursorsPerSession = 4096;

// One parsed cursor statement.
struct CursorCommand {
  enum class Verb { kDeclare, kFetch, kMove, kClose } verb = Verb::kFetch;
  std::string name;  // the cursor's name as PostgreSQL folds it; empty for CLOSE ALL
  // DECLARE
  bool binary = false;
  bool scroll = false;
  bool hold = false;
  std::string query;  // the text after FOR
  // FETCH / MOVE: PostgreSQL's FetchDirection and count (kAll for ALL)
  enum class Direction {
    kForward,
    kBackward,
    kAbsolute,
    kRelative
  } direction = Direction::kForward;
  int64_t count = 1;
};

inline constexpr int64_t kAll = INT64_MAX;

// Parses the text of a DECLARE, FETCH, MOVE or CLOSE statement; 42601 when it is malformed.
Result<CursorCommand> ParseCursorCommand(std::string_view text);

// One open cursor: where its rows come from and where it stands (PostgreSQL's portal position:
// 0 before the first row, n on row n, total + 1 after the last).
class SqlCursor {
 public:
  SqlCursor(duckdb::ClientContext& context, CursorCommand declared, std::string statement_text,
            std::unique_ptr<duckdb::QueryResult> result);
  ~SqlCursor();

  const std::string& name() const { return declared_.name; }
  const CursorCommand& declared() const { return declared_; }
  const std::string& statement_text() const { return statement_text_; }
  const std::vector<ColumnInfo>& columns() const { return columns_; }
  bool committed = false;  // WITH HOLD: the transaction that declared it committed
  const std::chrono::system_clock::time_point created = std::chrono::system_clock::now();

  // Reads the rest of an open DuckDB stream into memory DuckDB manages (and may spill).
  Status Park();
  // Moves `count` rows forward or backward, appending them to `out` when it is not null.
  // Returns the rows passed, as PostgreSQL's PortalRunSelect does.
  Result<uint64_t> Step(bool forward, uint64_t count, RowBatch* out);
  // PostgreSQL's DoPortalRunFetch for ABSOLUTE and RELATIVE (and FETCH 0).
  Result<uint64_t> Absolute(int64_t n, RowBatch* out);
  Result<uint64_t> Relative(int64_t n, RowBatch* out, bool move);
  // Result formats for rows this cursor emits: one flag per column.
  std::vector<bool> binary;

 private:
  // Makes row `index` (0-based) the current one; false when the result has fewer rows.
  Result<bool> Load(uint64_t index);
  Status Emit(RowBatch& out);
  Status Rewind();
  Status ForwardOnly();

  duckdb::ClientContext& context_;
  CursorCommand declared_;
  std::string statement_text_;
  std::vector<ColumnInfo> columns_;
  std::unique_ptr<duckdb::QueryResult> stream_;         // while rows still come from DuckDB
  uint64_t stream_next_ = 0;                            // index of the stream's next row
  std::unique_ptr<duckdb::ColumnDataCollection> rows_;  // parked rows
  uint64_t rows_base_ = 0;                              // index of rows_'s first row
  std::unique_ptr<duckdb::ColumnDataScanState> scan_;
  std::unique_ptr<duckdb::DataChunk> scan_chunk_;
  std::unique_ptr<duckdb::DataChunk> stream_chunk_;
  duckdb::DataChunk* current_ = nullptr;  // the chunk holding rows [current_first_, +size)
  uint64_t current_first_ = 0;
  uint64_t current_row_ = 0;     // index of the loaded row within current_
  std::optional<Error> failed_;  // the stream failed while parked
  uint64_t position_ = 0;
  std::optional<uint64_t> total_;  // known once the end was reached
};

class SessionRegistry;

// Registers augur_cursors(), the rows of pg_cursors: the calling session's open cursors.
void RegisterCursorFunctions(duckdb::ClientContext& context, SessionRegistry& registry);

// A session's open cursors.
class SqlCursors {
 public:
  SqlCursor* Find(const std::string& name);
  std::shared_ptr<SqlCursor> Get(const std::string& name);
  bool Add(std::shared_ptr<SqlCursor> cursor);  // false when the name is taken
  bool Close(const std::string& name);
  void CloseAll() { cursors_.clear(); }
  size_t size() const { return cursors_.size(); }
  // Before DuckDB runs anything else on the session's connection. Returns the error that reading
  // the rest of a result met (the cursor keeps it for its FETCHes too).
  Status Park();
  // After a statement, when no transaction is open any more: cursors without HOLD end, and
  // after a rollback so do WITH HOLD cursors declared in that transaction.
  void EndTransaction(bool rolled_back);
  const std::map<std::string, std::shared_ptr<SqlCursor>>& all() const { return cursors_; }

 private:
  std::map<std::string, std::shared_ptr<SqlCursor>> cursors_;
};

}  // namespace augur::engine
