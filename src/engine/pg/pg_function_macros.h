// pg_function_macros.h: PostgreSQL functions that are short SQL over DuckDB's, installed as
// macros in DuckDB's system catalog (as pg_compat.h does for catalog functions): pg_typeof with
// PostgreSQL's type names, and string and date functions DuckDB lacks or names differently.
#pragma once

#include "augur/result.h"

namespace duckdb {
class Connection;
}

namespace augur::engine {

// Installs the macros. Runs once per database open, after InstallPgCompat.
Status InstallPgFunctionMacros(duckdb::Connection& connection);

}  // namespace augur::engine
