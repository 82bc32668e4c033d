// function_guard.h: enforces privilege_catalog.h's table-function classes where DuckDB binds them.
//
// A check of the statement text cannot see every call: a view, a table macro, a prepared
// statement or EXPLAIN ANALYZE reaches a table function without naming it where augur looks, and
// some functions act inside their bind callback (enable_logging switches logging on while being
// bound). So the check sits in the bind callbacks themselves: every table function in the system
// catalog that is not open to every role gets its bind, bind_replace and bind_operator callbacks
// wrapped with one that refuses (42501) a session whose role lacks the privilege, then calls the
// original. The two catalog functions that show server paths to every role (duckdb_settings and
// duckdb_databases) get their scan wrapped instead, to blank those values for non-superusers.
#pragma once

#include "augur/result.h"

namespace duckdb {
class ClientContext;
}

namespace augur::engine {

// Wraps the system catalog's table functions. Run once per database, after every augur function
// is registered and before any client session exists.
Status GuardTableFunctions(duckdb::ClientContext& context);

}  // namespace augur::engine
