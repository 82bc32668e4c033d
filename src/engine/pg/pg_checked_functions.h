// pg_checked_functions.h: functions whose PostgreSQL errors DuckDB does not raise, where DuckDB
// would answer silently: chr(0) (a NUL character; PostgreSQL 54000) and chr() of code points
// that are no character, and pg_catalog.augur_undefined_relation(name), which raises 42P01 for
// 'name'::regclass of a relation that does not exist (pg_rewrite.cpp).
#pragma once

#include "augur/result.h"

namespace duckdb {
class Connection;
}

namespace augur::engine {

// Installs the functions in DuckDB's system catalog. Runs once per database open.
Status InstallPgCheckedFunctions(duckdb::Connection& connection);

}  // namespace augur::engine
