// pg_interval_functions.h: PostgreSQL's interval and period functions that DuckDB lacks:
// justify_hours, justify_days and justify_interval (interval.c), and the OVERLAPS predicate,
// which DuckDB's parser turns into overlaps(start1, end1, start2, end2) but does not define.
#pragma once

#include "augur/result.h"

namespace duckdb {
class Connection;
}

namespace augur::engine {

// Installs the functions in DuckDB's system catalog. Runs once per database open.
Status InstallPgIntervalFunctions(duckdb::Connection& connection);

}  // namespace augur::engine
