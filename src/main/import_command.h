// import_command.h: `augur import FILE... [--table NAME] [--server URL]`: loads CSV, TSV,
// JSON/NDJSON and Parquet files into a new or existing table of a running server, through the
// PostgreSQL wire protocol (COPY ... FROM STDIN): the server needs no access to the files.
//
// The files are read in this process by an in-memory augur engine (DuckDB's readers detect the
// columns and their types), their rows sent as COPY text, all in one transaction: a bad row
// anywhere loads nothing, and the error names its file and line.
#pragma once

#include <string>
#include <vector>

namespace augur {

struct ImportOptions {
  std::vector<std::string> files;  // paths and globs
  std::string table;               // empty: from the first file's name
  std::string schema;              // empty: the server's search_path decides
  std::string server = "postgresql://augur@127.0.0.1:5432/augur";
  std::string format;  // empty: from each file's extension
};

// Exit codes: 0 done, 1 failed (the reason on stderr; nothing was loaded).
int RunImport(const ImportOptions& options);

}  // namespace augur
