// pg_rewrite.h: the few PostgreSQL statement forms DuckDB's parser rejects, rewritten into forms
// it accepts before parsing. Each rewrite names the client that sends the statement.
//
// Rewrites work on tokens (quotes, dollar quotes and comments are respected) and only touch
// statements that DuckDB would refuse, so any other text reaches DuckDB byte for byte and keeps
// its error positions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace augur::engine {

// A row-locking clause (FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE [OF t] [NOWAIT | SKIP
// LOCKED]) that RewriteForDuckDB removed: DuckDB's parser refuses them, and augur gives them their
// meaning by making the statement take the writer turn (docs/COMPATIBILITY.md, "Locks and
// notifications").
struct RowLockClause {
  enum class Wait { kBlock, kNowait, kSkipLocked };
  size_t offset = 0;  // where the clause was, in the rewritten text
  Wait wait = Wait::kBlock;
  std::string relation;  // the table named by OF, or else the first one after FROM
};

// Returns `sql` with every unsupported statement rewritten; unchanged when none is. Row-locking
// clauses are removed, and listed in `row_locks` when it is given.
std::string RewriteForDuckDB(std::string_view sql, std::vector<RowLockClause>* row_locks = nullptr);

}  // namespace augur::engine
