// import_command.cpp: see import_command.h.
#include "main/import_command.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <regex>

#include "common/sql_quoting.h"
#include "main/copy_text.h"
#include "main/import_source.h"
#include "main/pg_client.h"
#include "main/progress_report.h"

namespace augur {
namespace {

constexpr size_t kBatchRows = 10000;
constexpr size_t kSendBytes = 1 << 20;  // one CopyData message per MiB of rows

int Fail(const Error& error) {
  std::fprintf(stderr, "augur import: %s\n", error.message.c_str());
  if (!error.detail.empty()) std::fprintf(stderr, "detail: %s\n", error.detail.c_str());
  if (!error.hint.empty()) std::fprintf(stderr, "hint: %s\n", error.hint.c_str());
  return 1;
}

int Fail(const std::string& message) { return Fail(Error(sqlstate::kDataException, message)); }

// "Sales 2024.csv.gz" -> "sales_2024": a name that needs no quotes.
std::string DefaultTableName(const std::string& path) {
  std::filesystem::path p(path);
  std::string ext = p.extension().string();
  if (ext == ".gz" || ext == ".zst") p = p.stem();
  std::string stem = p.stem().string();
  std::string name;
  for (unsigned char c : stem) {
    name.push_back(std::isalnum(c) ? static_cast<char>(std::tolower(c)) : '_');
  }
  if (name.empty()) return "import";
  if (std::isdigit(static_cast<unsigned char>(name[0]))) name = "t_" + name;
  return name;
}

std::string ColumnNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return "(" + out + ")";
}

std::vector<std::string> NamesOf(const std::vector<SourceColumn>& columns) {
  std::vector<std::string> names;
  for (const auto& c : columns) names.push_back(c.name);
  return names;
}

// DuckDB names the columns of a CSV without a header column0, column1, ...
bool GeneratedNames(const std::vector<SourceColumn>& columns) {
  static const std::regex kGenerated("column[0-9]+");
  for (const auto& c : columns) {
    if (!std::regex_match(c.name, kGenerated)) return false;
  }
  return true;
}

// What the import knows about each file, to turn "row N of the COPY" into a file and line.
struct FileRows {
  const ImportFile* file;
  uint64_t rows;
  bool header;
};

// The server reports a bad row by its line in the COPY data (DuckDB's "Line: N", PostgreSQL's
// "line N"): rows are sent in file order, one line each, so N names a file and a row there.
std::string LocateServerError(const Error& error, const std::vector<FileRows>& files) {
  static const std::regex kLine("[Ll]ine:? ([0-9]+)");
  std::smatch match;
  std::string text = error.message + "\n" + error.detail;
  if (!std::regex_search(text, match, kLine)) return "";
  uint64_t row = std::stoull(match[1].str());
  for (const auto& f : files) {
    if (row <= f.rows) {
      bool lines = f.file->format != FileFormat::kParquet;
      uint64_t line = row + (f.header ? 1 : 0);
      return f.file->path +
             (lines ? " line " + std::to_string(line) : " row " + std::to_string(row));
    }
    row -= f.rows;
  }
  return "";
}

// DuckDB's own reading error already names the line in the file ("CSV Error on Line: N").
std::string LocateReadError(const Error& error, const ImportFile& file) {
  static const std::regex kLine("Line: ([0-9]+)");
  std::smatch match;
  if (std::regex_search(error.message, match, kLine)) {
    return file.path + " line " + match[1].str();
  }
  return file.path;
}

// DuckDB's reading errors run to a page: the error, then advice on reader options that
// `augur import` does not offer, then the reader's settings. Keeps the error, without the line
// number of its own (the caller names the file's line; the server's numbers its COPY data).
std::string ShortMessage(const std::string& message) {
  std::string text = message.substr(0, message.find("\n\n"));
  static const std::regex kOwnLine("^CSV Error on Line: [0-9]+\n?");
  return std::regex_replace(text, kOwnLine, "");
}

}  // namespace

int RunImport(const ImportOptions& options) {
  // From the start: the summary's seconds include detecting and counting.
  ProgressReport progress("import", isatty(STDERR_FILENO) != 0);
  std::optional<FileFormat> forced;
  if (!options.format.empty()) {
    forced = ParseFormat(options.format);
    if (!forced)
      return Fail("unknown --format \"" + options.format + "\": csv, tsv, json, parquet");
  }
  auto expanded = ExpandImportFiles(options.files, forced);
  if (!expanded) return Fail(expanded.error());
  std::vector<ImportFile> files;
  for (auto& file : *expanded) {
    if (file.bytes == 0 && file.format != FileFormat::kParquet) {
      std::fprintf(stderr, "augur import: %s is empty: skipped\n", file.path.c_str());
      continue;
    }
    files.push_back(std::move(file));
  }
  if (files.empty()) return Fail("nothing to import: every file given is empty");

  auto reader = LocalReader::Open();
  if (!reader) return Fail(reader.error());
  auto columns = (*reader)->Describe(files[0]);
  if (!columns) return Fail(files[0].path + ": " + ShortMessage(columns.error().message));
  std::vector<FileRows> file_rows;
  uint64_t total_bytes = 0;
  for (const auto& file : files) {
    if (&file != &files[0]) {
      auto more = (*reader)->Describe(file);
      if (!more) return Fail(file.path + ": " + ShortMessage(more.error().message));
      if (NamesOf(*more) != NamesOf(*columns)) {
        return Fail(file.path + " has the columns " + ColumnNames(NamesOf(*more)) + ", " +
                    files[0].path + " has " + ColumnNames(NamesOf(*columns)) +
                    ": import them separately");
      }
    }
    auto count = (*reader)->CountRows(file);
    if (!count) {
      return Fail(LocateReadError(count.error(), file) + ": " +
                  ShortMessage(count.error().message));
    }
    file_rows.push_back({&file, *count, (*reader)->HasHeader(file)});
    total_bytes += file.bytes;
  }

  auto client = PgClient::Connect(options.server);
  if (!client) return Fail(client.error());
  std::string table = options.table.empty() ? DefaultTableName(files[0].path) : options.table;
  std::string target = options.schema.empty()
                           ? QuoteIdentifier(table)
                           : QuoteIdentifier(options.schema) + "." + QuoteIdentifier(table);
  auto rollback = [&](const Error& error) {
    progress.Finish();
    (void)(*client)->Exec("ROLLBACK");
    return Fail(error);
  };
  if (auto begun = (*client)->Exec("BEGIN"); !begun) return Fail(begun.error());

  // The table's columns, when it exists.
  auto existing = (*client)->Rows(
      "SELECT column_name FROM information_schema.columns WHERE table_name = " +
      QuoteLiteral(table) + " AND table_schema = " +
      (options.schema.empty() ? std::string("current_schema()") : QuoteLiteral(options.schema)) +
      " ORDER BY ordinal_position");
  if (!existing) return rollback(existing.error());
  std::vector<std::string> copy_columns;
  if (existing->empty()) {
    std::string definition;
    for (const auto& column : *columns) {
      definition +=
          (definition.empty() ? "" : ", ") + QuoteIdentifier(column.name) + " " + column.pg_type;
      copy_columns.push_back(column.name);
    }
    if (auto created = (*client)->Exec("CREATE TABLE " + target + " (" + definition + ")");
        !created) {
      return rollback(created.error());
    }
  } else {
    std::vector<std::string> table_columns;
    for (const auto& row : *existing) table_columns.push_back(row[0].value_or(""));
    bool by_name = true;
    for (const auto& column : *columns) {
      if (std::find(table_columns.begin(), table_columns.end(), column.name) ==
          table_columns.end()) {
        by_name = false;
      }
    }
    if (by_name) {
      copy_columns = NamesOf(*columns);
    } else if (GeneratedNames(*columns) && columns->size() == table_columns.size()) {
      copy_columns = table_columns;  // a CSV without a header: by position
    } else {
      return rollback(Error(sqlstate::kUndefinedColumn,
                            "table " + table + " has the columns " + ColumnNames(table_columns) +
                                ", " + files[0].path + " has " + ColumnNames(NamesOf(*columns)) +
                                ": nothing was imported"));
    }
  }
  std::string column_list;
  for (const auto& name : copy_columns) {
    column_list += (column_list.empty() ? "" : ", ") + QuoteIdentifier(name);
  }
  if (auto copying = (*client)->BeginCopy("COPY " + target + " (" + column_list + ") FROM STDIN");
      !copying) {
    return rollback(copying.error());
  }

  // A local reading error ends the COPY (the server discards what it got) and the transaction.
  auto read_failed = [&](const Error& error, const ImportFile& file) {
    (void)(*client)->AbortCopy("augur import: reading " + file.path + " failed");
    return rollback(Error(error.sqlstate, LocateReadError(error, file) + ": " +
                                              ShortMessage(error.message) +
                                              "\nnothing was imported"));
  };
  progress.Update(0, 0);
  uint64_t rows_sent = 0;
  uint64_t bytes_before = 0;  // of the files already sent
  std::string buffer;
  for (const auto& f : file_rows) {
    auto cursor = (*reader)->Read(*f.file, *columns);
    if (!cursor) {
      return read_failed(cursor.error(), *f.file);
    }
    uint64_t file_rows_sent = 0;
    while (true) {
      auto batch = (*cursor)->Fetch(kBatchRows);
      if (!batch) {
        return read_failed(batch.error(), *f.file);
      }
      if (batch->rows() == 0) break;
      AppendCopyText(*batch, buffer);
      file_rows_sent += batch->rows();
      rows_sent += batch->rows();
      if (buffer.size() >= kSendBytes) {
        if (auto sent = (*client)->PutCopyData(buffer); !sent) return rollback(sent.error());
        buffer.clear();
      }
      double within = f.rows > 0 ? static_cast<double>(file_rows_sent) / f.rows : 1.0;
      double done = bytes_before + within * f.file->bytes;
      // The last percent waits for the server's answer.
      progress.Update(0.99 * done / total_bytes, rows_sent);
    }
    bytes_before += f.file->bytes;
  }
  if (!buffer.empty()) {
    if (auto sent = (*client)->PutCopyData(buffer); !sent) return rollback(sent.error());
  }
  auto copied = (*client)->EndCopy();
  if (!copied) {
    Error error = copied.error();
    std::string where = LocateServerError(error, file_rows);
    error.message = ShortMessage(error.message);
    if (!where.empty()) error.message = where + ": " + error.message;
    error.message += "\nnothing was imported";
    return rollback(error);
  }
  if (auto committed = (*client)->Exec("COMMIT"); !committed) return Fail(committed.error());
  progress.Update(1.0, *copied);
  progress.Finish();
  double seconds = progress.seconds();
  std::printf("imported %llu rows into %s in %.2f s (%.0f rows/s)\n",
              static_cast<unsigned long long>(*copied), target.c_str(), seconds,
              seconds > 0 ? static_cast<double>(*copied) / seconds : 0.0);
  return 0;
}

}  // namespace augur
