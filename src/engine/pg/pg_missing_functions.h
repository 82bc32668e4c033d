// pg_missing_functions.h: PostgreSQL functions, and overloads of them, that DuckDB lacks and that
// applications and tools call (issue 17): octet_length(text), length(bytea), lpad/rpad without a
// fill, get_byte, cardinality and array_ndims of an array, width_bucket, num_nulls and
// num_nonnulls. Each gives PostgreSQL 15's answer and error for the same arguments.
#pragma once

#include "augur/result.h"

namespace duckdb {
class Connection;
}

namespace augur::engine {

// Installs the functions. Runs once per database open.
Status InstallPgMissingFunctions(duckdb::Connection& connection);

}  // namespace augur::engine
