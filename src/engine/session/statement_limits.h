// statement_limits.h: refuses statements whose shape alone would cost DuckDB's binder more than a
// server can give one client.
//
// DuckDB binds a chain of common table expressions in superlinear time and memory, and its
// binder does not check for cancellation: 400 chained CTEs (18 KB of text) took 18 s under a 2 s
// statement_timeout, 1,000 took 75 s and 3 GB. PostgreSQL plans the same text in milliseconds, so
// augur names what it does not support (54001) instead of letting one statement take the host.
#pragma once

#include "augur/result.h"

namespace duckdb {
class SQLStatement;
}

namespace augur::engine {

// Common table expressions one statement may define, nested ones included (100 bind in about a
// second on a 2-core machine).
inline constexpr size_t kMaxCommonTableExpressions = 100;

Status CheckStatementLimits(const duckdb::SQLStatement& statement);

}  // namespace augur::engine
