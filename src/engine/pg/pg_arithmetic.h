// pg_arithmetic.h: PostgreSQL's division semantics for DuckDB's "/" and "%".
//
// The same text answers differently otherwise: in PostgreSQL 7 / 2 is 3 (integer division
// truncates) and 1 / 0 raises 22012 "division by zero"; DuckDB returns 3.5 and inf (or NULL).
// A PostgreSQL client expects PostgreSQL's answers, so the integer and floating-point overloads
// of "/" and "%" are replaced in DuckDB's system catalog; DECIMAL and INTERVAL overloads stay.
#pragma once

#include "augur/result.h"

namespace duckdb {
class Connection;
}

namespace augur::engine {

// Replaces the overloads. Idempotent; runs once per database open.
Status InstallPgArithmetic(duckdb::Connection& connection);

}  // namespace augur::engine
