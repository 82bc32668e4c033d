// backup_api.cpp
#include "http/backup_api.h"

#include <boost/json.hpp>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "common/sql_quoting.h"

namespace augur::http {
namespace {

namespace json = boost::json;

// Runs the export and the counts in one transaction of `session`.
Result<json::object> ExportInOneSnapshot(Session& session, const std::string& dir) {
  if (auto begun = session.Query("BEGIN"); !begun) return std::move(begun).error();
  auto rollback = [&](Error error) {
    (void)session.Query("ROLLBACK");
    return error;
  };
  auto exported =
      session.Query("EXPORT DATABASE " + QuoteLiteral(dir) + " (FORMAT parquet, COMPRESSION zstd)");
  if (!exported) return rollback(exported.error());
  auto tables = session.Query(
      "SELECT schema_name, table_name FROM duckdb_tables() WHERE NOT internal ORDER BY 1, 2");
  if (!tables) return rollback(tables.error());
  json::array counts;
  int64_t total = 0;
  for (size_t r = 0; r < tables->rows(); ++r) {
    std::string schema(tables->cell(r, 0).value_or("")), table(tables->cell(r, 1).value_or(""));
    auto count = session.Query("SELECT count(*) FROM " + QuoteIdentifier(schema) + "." +
                               QuoteIdentifier(table));
    if (!count) return rollback(count.error());
    auto text = count->cell(0, 0).value_or("0");
    int64_t rows = 0;
    std::from_chars(text.data(), text.data() + text.size(), rows);
    total += rows;
    counts.push_back(json::object{{"schema", schema}, {"table", table}, {"rows", rows}});
  }
  if (auto committed = session.Query("COMMIT"); !committed) return committed.error();
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return json::object{
      {"format", "augur-backup/1"},
      {"taken_at_unix_ms", std::chrono::duration_cast<std::chrono::milliseconds>(now).count()},
      {"tables", std::move(counts)},
      {"total_rows", total}};
}

}  // namespace

Result<std::string> RunBackupRequest(Database& database, const std::string& body) {
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  if (ec || !parsed.is_object() || !parsed.as_object().contains("to") ||
      !parsed.as_object().at("to").is_string()) {
    return Error("22023", "request body must be {\"to\": \"/absolute/backup/dir\"}");
  }
  std::filesystem::path dir(std::string(parsed.as_object().at("to").as_string()));
  if (!dir.is_absolute()) return Error("22023", "\"to\" must be an absolute path");
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_empty(dir, ec)) {
    return Error("58P02", "backup directory \"" + dir.string() + "\" exists and is not empty");
  }
  auto session = database.Connect();
  if (!session) return std::move(session).error();
  auto manifest = ExportInOneSnapshot(**session, dir.string());
  if (!manifest) return std::move(manifest).error();
  (*manifest)["engine"] = database.engine_version();
  std::string text = json::serialize(*manifest);
  std::ofstream out(dir / kBackupManifest);
  out << text << "\n";
  if (!out) return Error("58030", "could not write " + (dir / kBackupManifest).string());
  return text;
}

}  // namespace augur::http
