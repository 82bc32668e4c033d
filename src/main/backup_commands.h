// backup_commands.h: `augur backup` and `augur restore`.
//
// backup asks a running server (POST /api/backup on its HTTP port) for a consistent online
// snapshot into a directory on the server's machine; restore loads such a directory into a new
// data directory, offline, and checks every table's row count against the backup's manifest.
// Both show their progress as `augur import` does (progress_report.h): a bar on a terminal,
// percentages in the log otherwise. backup polls GET /api/progress for the export's figures on a
// second connection; restore follows the rows of each table it loads.
#pragma once

#include <string>

namespace augur {

// How backup reaches a server that wants TLS or credentials.
struct BackupCredentials {
  std::string token;    // an API token of a superuser (Authorization: Bearer)
  std::string ca_file;  // PEM CA to verify an https server; empty: the system's
};

// Exit codes: 0 done, 1 failed (the reason on stderr).
int RunBackup(const std::string& server_url, const std::string& to_dir,
              const BackupCredentials& credentials);
int RunRestore(const std::string& from_dir, const std::string& data_dir);

}  // namespace augur
