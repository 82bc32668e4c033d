// file_guard.h: keeps non-superusers away from the server's files.
//
// DuckDB's own switches (enable_external_access, allowed_directories) apply to the whole
// database, but PostgreSQL's rule is per role: only superusers (pg_read_server_files and friends)
// may make the server read or write its files. This file system wraps DuckDB's and refuses every
// path a session opens, lists, globs, moves or removes on behalf of a session whose role is not
// a superuser. DuckDB's storage (database file, WAL, spill files) opens files without a session
// and is never refused.
#pragma once

#include <memory>

#include "duckdb/common/file_system.hpp"

namespace augur::engine {

// A virtual file system for DBConfig::file_system, installed before the database opens.
duckdb::unique_ptr<duckdb::FileSystem> MakeGuardedFileSystem();

}  // namespace augur::engine
