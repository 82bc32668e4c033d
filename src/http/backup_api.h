// backup_api.h: POST /api/backup {"to": "/absolute/dir"}: a consistent online backup.
//
// One transaction: EXPORT DATABASE to Parquet with zstd (DuckDB's schema.sql, load.sql and one
// file per table), the row count of every table, then a manifest, augur-backup.json, with the
// time, the engine version and those counts. Because it is one snapshot, the files hold exactly
// the transactions committed before it began, while writers go on committing (the export takes
// no writer lock). `augur restore` loads such a directory into a new data directory and checks
// the counts.
//
// The server writes the files itself, so the route answers only clients on the loopback
// interface until roles exist (issue 6).
#pragma once

#include <string>

#include "augur/engine.h"

namespace augur::http {

// The manifest as JSON, or the error.
Result<std::string> RunBackupRequest(Database& database, const std::string& body);

// The name of the manifest file inside a backup directory.
inline constexpr const char* kBackupManifest = "augur-backup.json";

}  // namespace augur::http
