// pg_numeric_functions.h: numeric results where DuckDB gives doubles or other integer types
// (issue 17): numeric / numeric and avg() of integers and numerics divide as PostgreSQL does
// (pg_numeric_div.h) and return numeric; sum() of smallint and integer returns bigint (DuckDB:
// hugeint). Replaces those overloads in DuckDB's system catalog; the others stay DuckDB's.
#pragma once

#include "augur/result.h"

namespace duckdb {
class Connection;
}

namespace augur::engine {

// Installs the overloads. Runs once per database open, after InstallPgArithmetic.
Status InstallPgNumericFunctions(duckdb::Connection& connection);

}  // namespace augur::engine
