// pg_sequences.h: setval(), which DuckDB lacks (pg_sequences.cpp).
#pragma once

#include "augur/result.h"

namespace duckdb {
class Connection;
}

namespace augur::engine {

// Installs setval(name, value [, is_called]) into the system catalog. Runs at every open.
Status InstallPgSequences(duckdb::Connection& connection);

}  // namespace augur::engine
