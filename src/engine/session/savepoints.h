// savepoints.h: SAVEPOINT, RELEASE, ROLLBACK TO and SET LOCAL on top of DuckDB, which has no
// nested transactions (docs/COMPATIBILITY.md, "Savepoints").
//
// While a transaction block is open the session keeps a replay log: every statement that wrote
// and succeeded, as its text with its bound parameter values, and the sequence counters as
// they were before it ran. A savepoint is a marker into that log, so SAVEPOINT and RELEASE cost
// nothing. ROLLBACK TO either needs no work (nothing wrote since the savepoint and DuckDB's
// transaction is still valid) or rolls DuckDB's transaction back, begins a new one and replays
// the log up to the marker, rewinding each sequence so that replayed defaults draw the values
// the client already saw. The writer turn (writer_lock.h), held from a block's first write to its
// end, keeps other writers from committing between the original run and the replay.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "duckdb/common/types/value.hpp"
#include "duckdb/parser/sql_statement.hpp"

namespace augur::engine {

// True for the rewritten ROLLBACK TO, which PostgreSQL accepts in a failed block.
bool IsRollbackToSavepoint(const duckdb::SQLStatement& parsed);

// Sequence counters, by qualified name, at one moment.
using SequenceCounters = std::vector<std::pair<std::string, int64_t>>;

// One logged write. A write the log cannot repeat (COPY FROM STDIN: its data is gone) is kept as
// a placeholder so that a replay across it is refused rather than wrong.
struct LoggedWrite {
  // The statement's text as DuckDB parsed it (after pg_rewrite), parsed again for a replay: a
  // parsed copy of a long VALUES list takes tens of times the memory of its text. Empty: not
  // replayable.
  std::string sql;
  duckdb::vector<duckdb::Value> values;
  std::optional<std::string> search_path;  // when it ran: names resolve the same way
  // The sequence counters before it ran that differ from those before the previous logged write
  // (all of them for the first): a replay applies these in order to rewind each sequence.
  SequenceCounters sequences_changed;
  std::string what;  // for the error when it cannot be replayed
};

struct SavepointMarker {
  std::string name;
  uint64_t writes;    // SavepointState::writes when it was set
  size_t local_undo;  // SavepointState::local_undo.size() when it was set
};

// A SET LOCAL to undo at the end of the block or at ROLLBACK TO an earlier savepoint.
struct LocalSettingUndo {
  std::string name;
  std::optional<std::string> previous;  // nullopt: it was unset
  bool engine = false;                  // DuckDB's setting (TimeZone, ...) rather than augur's
};

struct SavepointState {
  std::vector<LoggedWrite> log;  // the block's writes, oldest first (empty once overflowed)
  uint64_t writes = 0;           // writes logged in this block, counting any dropped by overflow
  size_t log_bytes = 0;
  bool overflowed = false;  // past kMaxLogBytes: a replay is refused with 54000
  std::vector<SavepointMarker> markers;
  std::vector<LocalSettingUndo> local_undo;
  // Set by the write about to run (BeforeLoggedWrite), consumed when it succeeds.
  bool pending_write = false;
  SequenceCounters pending_sequences;
  SequenceCounters last_sequences;  // before the last logged write: the base of the next change

  static constexpr size_t kMaxLogBytes = size_t{64} << 20;
  static constexpr size_t kMaxSavepoints = 100000;  // markers alive at once
};

}  // namespace augur::engine
