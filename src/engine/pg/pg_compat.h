// pg_compat.h: what augur adds to DuckDB so PostgreSQL clients find what they expect
// (pg_catalog functions that psql and drivers call, settings they read).
#pragma once

#include "augur/result.h"

namespace duckdb {
class Connection;
}

namespace augur::engine {

// Installs the compatibility objects into the system catalog. Idempotent; runs at every open.
Status InstallPgCompat(duckdb::Connection& connection);

}  // namespace augur::engine
