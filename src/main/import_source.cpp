// import_source.cpp: see import_source.h.
#include "main/import_source.h"

#include <glob.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>

#include "common/sql_quoting.h"

namespace augur {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::optional<FileFormat> FormatOfPath(const std::string& path) {
  std::filesystem::path p(path);
  std::string extension = Lower(p.extension().string());
  // DuckDB's readers decompress these themselves: the format is the extension before.
  if (extension == ".gz" || extension == ".zst") extension = Lower(p.stem().extension().string());
  if (extension.empty()) return std::nullopt;
  return ParseFormat(std::string_view(extension).substr(1));
}

// DuckDB's type name to the PostgreSQL type a new table gets; empty for a nested type, which
// travels as JSON into a jsonb column.
std::string PgScalarType(const std::string& engine_type) {
  static const std::map<std::string, std::string> kTypes = {
      {"BOOLEAN", "boolean"},
      {"TINYINT", "smallint"},
      {"SMALLINT", "smallint"},
      {"INTEGER", "integer"},
      {"BIGINT", "bigint"},
      {"HUGEINT", "numeric(38,0)"},
      {"UTINYINT", "smallint"},
      {"USMALLINT", "integer"},
      {"UINTEGER", "bigint"},
      {"UBIGINT", "numeric(20,0)"},
      {"UHUGEINT", "numeric(39,0)"},
      {"FLOAT", "real"},
      {"DOUBLE", "double precision"},
      {"VARCHAR", "text"},
      {"DATE", "date"},
      {"TIME", "time"},
      {"TIME WITH TIME ZONE", "timetz"},
      {"TIMESTAMP", "timestamp"},
      {"TIMESTAMP_S", "timestamp"},
      {"TIMESTAMP_MS", "timestamp"},
      {"TIMESTAMP_NS", "timestamp"},
      {"TIMESTAMP WITH TIME ZONE", "timestamptz"},
      {"INTERVAL", "interval"},
      {"BLOB", "bytea"},
      {"UUID", "uuid"},
      {"JSON", "jsonb"},
  };
  if (auto it = kTypes.find(engine_type); it != kTypes.end()) return it->second;
  if (engine_type.rfind("DECIMAL(", 0) == 0) return "numeric" + engine_type.substr(7);
  if (engine_type.size() > 2 && engine_type.ends_with("[]")) {
    std::string element = PgScalarType(engine_type.substr(0, engine_type.size() - 2));
    // One level of array of a scalar: PostgreSQL's array text form, as the engine writes it.
    if (!element.empty() && !element.ends_with("]") && element != "jsonb") return element + "[]";
  }
  return "";
}

std::string ReaderSql(const ImportFile& file) {
  std::string path = QuoteLiteral(file.path);
  switch (file.format) {
    case FileFormat::kCsv:
      return "read_csv(" + path + ")";
    case FileFormat::kTsv:
      return "read_csv(" + path + ", delim = '\\t')";
    case FileFormat::kJson:
      return "read_json(" + path + ")";
    case FileFormat::kParquet:
      return "read_parquet(" + path + ")";
  }
  return "";
}

}  // namespace

std::optional<FileFormat> ParseFormat(std::string_view name) {
  std::string lower = Lower(name);
  if (lower == "csv") return FileFormat::kCsv;
  if (lower == "tsv" || lower == "tab") return FileFormat::kTsv;
  if (lower == "json" || lower == "ndjson" || lower == "jsonl") return FileFormat::kJson;
  if (lower == "parquet" || lower == "pq") return FileFormat::kParquet;
  return std::nullopt;
}

Result<std::vector<ImportFile>> ExpandImportFiles(const std::vector<std::string>& patterns,
                                                  std::optional<FileFormat> forced) {
  std::vector<ImportFile> files;
  for (const auto& pattern : patterns) {
    std::vector<std::string> paths;
    bool is_glob = pattern.find_first_of("*?[") != std::string::npos;
    if (is_glob) {
      glob_t matches{};
      int status = ::glob(pattern.c_str(), 0, nullptr, &matches);
      if (status == 0) {
        for (size_t i = 0; i < matches.gl_pathc; ++i) paths.emplace_back(matches.gl_pathv[i]);
      }
      globfree(&matches);
      if (paths.empty()) {
        return Error(sqlstate::kIoError, "no file matches \"" + pattern + "\"");
      }
    } else {
      paths.push_back(pattern);
    }
    for (auto& path : paths) {
      std::error_code ec;
      auto status = std::filesystem::status(path, ec);
      if (ec || !std::filesystem::exists(status)) {
        return Error(sqlstate::kIoError,
                     "could not open file \"" + path + "\" for reading: No such file or directory");
      }
      if (std::filesystem::is_directory(status)) {
        return Error(sqlstate::kIoError, "\"" + path + "\" is a directory");
      }
      auto format = forced ? forced : FormatOfPath(path);
      if (!format) {
        return Error(sqlstate::kInvalidParameterValue,
                     "cannot tell the format of \"" + path + "\" from its name")
            .WithHint("name it .csv, .tsv, .json, .ndjson or .parquet, or give --format");
      }
      ImportFile file;
      file.path = std::filesystem::absolute(path, ec).string();
      file.format = *format;
      file.bytes = std::filesystem::file_size(path, ec);
      files.push_back(std::move(file));
    }
  }
  return files;
}

Result<std::unique_ptr<LocalReader>> LocalReader::Open() {
  DatabaseOptions options;  // in memory: nothing is written anywhere
  auto database = Database::Open(options);
  if (!database) return std::move(database).error();
  auto session = (*database)->Connect();
  if (!session) return std::move(session).error();
  return std::unique_ptr<LocalReader>(new LocalReader(std::move(*database), std::move(*session)));
}

Result<std::unique_ptr<Cursor>> LocalReader::Run(const std::string& sql) {
  auto statements = session_->Split(sql);
  if (!statements) return std::move(statements).error();
  if (statements->size() != 1) return Error(sqlstate::kInternalError, "expected one statement");
  return session_->Execute(*statements->front());
}

Result<std::vector<SourceColumn>> LocalReader::Describe(const ImportFile& file) {
  auto cursor = Run("SELECT * FROM " + ReaderSql(file) + " LIMIT 0");
  if (!cursor) return std::move(cursor).error();
  std::vector<SourceColumn> columns;
  for (const auto& info : (*cursor)->columns()) {
    SourceColumn column;
    column.name = info.name;
    column.pg_type = PgScalarType(info.engine_type);
    if (column.pg_type.empty()) {
      column.pg_type = "jsonb";
      column.as_json = true;
    }
    columns.push_back(std::move(column));
  }
  return columns;
}

Result<uint64_t> LocalReader::CountRows(const ImportFile& file) {
  auto cursor = Run("SELECT count(*) FROM " + ReaderSql(file));
  if (!cursor) return std::move(cursor).error();
  auto rows = FetchAll(**cursor);
  if (!rows) return std::move(rows).error();
  auto cell = rows->rows() == 1 ? rows->cell(0, 0) : std::nullopt;
  return cell ? std::stoull(std::string(*cell)) : 0;
}

bool LocalReader::HasHeader(const ImportFile& file) {
  if (file.format != FileFormat::kCsv && file.format != FileFormat::kTsv) return false;
  std::string options = file.format == FileFormat::kTsv ? ", delim = '\\t'" : "";
  auto cursor = Run("SELECT HasHeader FROM sniff_csv(" + QuoteLiteral(file.path) + options + ")");
  if (!cursor) return false;
  auto rows = FetchAll(**cursor);
  if (!rows || rows->rows() != 1) return false;
  auto cell = rows->cell(0, 0);
  return cell && (*cell == "t" || *cell == "true");
}

Result<std::unique_ptr<Cursor>> LocalReader::Read(const ImportFile& file,
                                                  const std::vector<SourceColumn>& columns) {
  std::string select;
  for (const auto& column : columns) {
    if (!select.empty()) select += ", ";
    std::string name = QuoteIdentifier(column.name);
    select += column.as_json ? "CAST(to_json(" + name + ") AS VARCHAR)" : name;
  }
  return Run("SELECT " + select + " FROM " + ReaderSql(file));
}

}  // namespace augur
