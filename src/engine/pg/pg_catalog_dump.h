// pg_catalog_dump.h: the pg_catalog tables and functions that pg_dump, pg_dumpall and
// pg_restore (PostgreSQL 15) read, answering as PostgreSQL would for the same objects.
#pragma once

#include "augur/result.h"

namespace duckdb {
class Connection;
struct DBConfig;
}  // namespace duckdb

namespace augur::engine {

// Installs the catalog views and functions into the system catalog. Runs at every open, after
// InstallPgCompat (some views here extend pg_compat's).
Status InstallPgDumpCatalog(duckdb::Connection& connection);

}  // namespace augur::engine
