// import_source.h: the local side of `augur import`: which files a list of paths and globs
// names, what format each is in, and their rows read by an in-process, in-memory augur engine
// (DuckDB's CSV sniffer, JSON and Parquet readers), as PostgreSQL text values for the server.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "augur/engine.h"

namespace augur {

enum class FileFormat { kCsv, kTsv, kJson, kParquet };

struct ImportFile {
  std::string path;
  FileFormat format = FileFormat::kCsv;
  uint64_t bytes = 0;
};

// "csv", "tsv", "json", "ndjson", "jsonl", "parquet"; nullopt for anything else.
std::optional<FileFormat> ParseFormat(std::string_view name);

// Every path, with globs (*, ?, [...]) expanded in order; the format from `forced` or each file's
// extension (.csv, .tsv, .tab, .json, .ndjson, .jsonl, .parquet, .pq, also under .gz/.zst).
// Fails for a path or glob that names no file, a directory, or an unknown extension.
Result<std::vector<ImportFile>> ExpandImportFiles(const std::vector<std::string>& patterns,
                                                  std::optional<FileFormat> forced);

// A column of the files, and how it goes to the server.
struct SourceColumn {
  std::string name;
  std::string pg_type;   // the type a new table gets, e.g. "bigint", "timestamp", "jsonb"
  bool as_json = false;  // nested (struct, map, union): sent as JSON text
};

class LocalReader {
 public:
  static Result<std::unique_ptr<LocalReader>> Open();

  // The columns of `file` as the reader detects them.
  Result<std::vector<SourceColumn>> Describe(const ImportFile& file);
  // How many rows `file` holds (for the progress figure; Parquet answers from its metadata).
  Result<uint64_t> CountRows(const ImportFile& file);
  // Whether a CSV or TSV file starts with a header line (to turn a data row into a line number).
  bool HasHeader(const ImportFile& file);
  // Starts reading `file`; Fetch from the cursor until it returns no rows. Only one cursor may be
  // open at a time, and no other call may run while it is.
  Result<std::unique_ptr<Cursor>> Read(const ImportFile& file,
                                       const std::vector<SourceColumn>& columns);

 private:
  LocalReader(std::unique_ptr<Database> database, std::unique_ptr<Session> session)
      : database_(std::move(database)), session_(std::move(session)) {}
  Result<std::unique_ptr<Cursor>> Run(const std::string& sql);
  std::unique_ptr<Database> database_;
  std::unique_ptr<Session> session_;
};

}  // namespace augur
