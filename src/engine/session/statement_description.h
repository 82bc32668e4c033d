// statement_description.h: what augur knows of a statement before it runs.
//
// A statement is described once, when it is split from a Query message or prepared, and every
// execution reads the description: the statement pipeline (statement_pipeline.cpp) decides from
// it which guards apply, the writer turn whether to take a turn, the result cache whether the
// result may be kept. A prepared statement run a thousand times is classified once, and the two
// execution paths cannot drift apart in how they see a statement.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "augur/error.h"
#include "engine/auth/statement_privileges.h"  // also declares ClientContext and SQLStatement
#include "engine/pg/command_tag.h"
#include "engine/pg/pg_rewrite.h"
#include "engine/session/client_copy.h"

namespace augur::engine {

namespace fast_path {
class KeyLookup;
struct ConstantSelect;
}  // namespace fast_path

struct StatementDescription {
  TransactionVerb verb = TransactionVerb::kNone;
  CommandTag tag;
  // The privilege it needs, and whether it may write (then it takes the writer turn). Not known
  // in advance for EXECUTE (of DuckDB's PREPARE), which runs whatever the session has prepared
  // under its name when it runs: then the pipeline works the needs out at each execution.
  StatementNeeds needs;
  bool needs_known = true;
  // FOR UPDATE / FOR SHARE ..., removed from the text DuckDB runs: the statement takes the
  // writer turn as if it wrote.
  std::optional<RowLockClause> row_lock;
  // DECLARE / FETCH / MOVE / CLOSE, which the session answers from its own cursors.
  bool cursor_command = false;
  // The setting a SHOW names, or "".
  std::string show_target;
  // COPY FROM STDIN / TO STDOUT, whose data travels over the client connection; or the error
  // its options give, reported when the statement runs (the statements before it still run).
  std::optional<ClientCopy> client_copy;
  std::optional<Error> client_copy_error;
  // The table a write changes (lower case); "" when it may change any table (DDL) or none.
  std::string write_target;
  // CREATE or DROP: a schema of the search_path may appear or go.
  bool changes_schema = false;
  // A key lookup the fast path may answer without DuckDB's planner (fast_path/key_lookup.h);
  // null for any other statement. Shared: it keeps what it resolved for the next execution.
  std::shared_ptr<fast_path::KeyLookup> key_lookup;
  // A select of literals without FROM (fast_path/constant_select.h), answered from them when
  // prepared; null for any other statement.
  std::shared_ptr<const fast_path::ConstantSelect> constant_select;
};

// Describes a parsed (and rewritten) statement. `row_lock` is the locking clause the rewrite
// removed from it, if any.
StatementDescription Describe(duckdb::ClientContext& context, const duckdb::SQLStatement& statement,
                              std::optional<RowLockClause> row_lock);

}  // namespace augur::engine
