// pg_values.h: PostgreSQL's answers where DuckDB's functions or casts give a different value for
// the same text (issue 17, "silent value changes"): bytea input and output.
//
// Each replaces DuckDB's behaviour in the database's cast set or system catalog at open, so that
// every path (literals, casts, COPY, parameters) sees the same rule.
#pragma once

#include "augur/result.h"

namespace duckdb {
class Connection;
}

namespace augur::engine {

// Installs the casts and functions. Runs once per database open.
Status InstallPgValues(duckdb::Connection& connection);

}  // namespace augur::engine
