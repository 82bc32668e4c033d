// backup_api.h: POST /api/backup {"to": "/absolute/dir", "query_id": "..."}: a consistent online
// backup.
//
// One transaction: EXPORT DATABASE to Parquet with zstd (DuckDB's schema.sql, load.sql and one
// file per table), the row count of every table, then a manifest, augur-backup.json, with the
// time, the engine version and those counts. With a query_id (optional), GET /api/progress
// follows it: statement 1 of 2 exports (its percentage is DuckDB's estimate of the export),
// statement 2 counts; `augur backup` draws its bar from the first. Because it is one
// snapshot, the files hold exactly the transactions committed before it began, while writers go on
// committing (the export takes no writer lock). `augur restore` loads such a directory into a new
// data directory and checks the counts.
//
// The server writes the files itself, so the route answers only clients on the loopback
// interface until roles exist (issue 6).
#pragma once

#include <string>

#include "augur/engine.h"
#include "http/running_queries.h"

namespace augur::http {

// The manifest as JSON, or the error. With `running` and a query_id in the body, the backup is
// registered there under `role` while it runs.
Result<std::string> RunBackupRequest(Database& database, const std::string& body,
                                     const std::string& role = "",
                                     RunningQueries* running = nullptr);

// The name of the manifest file inside a backup directory.
inline constexpr const char* kBackupManifest = "augur-backup.json";

}  // namespace augur::http
