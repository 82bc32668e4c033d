// pg_catalog_tools.h: the pg_catalog and information_schema entries that psql's \dx, \dt+ and
// \d+, Grafana's and Metabase's PostgreSQL data sources and asyncpg read (pg_catalog_tools.cpp).
#pragma once

#include "augur/result.h"

namespace duckdb {
class Connection;
}

namespace augur::engine {

// Installs the views and macros into the system catalog, after InstallPgCompat (some read its
// views). Idempotent; runs at every open.
Status InstallPgCatalogTools(duckdb::Connection& connection);

}  // namespace augur::engine
