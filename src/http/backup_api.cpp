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

// Runs the export and the counts in one transaction of `session`: GET /api/progress reports the
// export as statement 1 of 2, the counts as statement 2. (In this order the counts see the
// export's snapshot; counted first, they missed rows committed before the export began.)
Result<json::object> ExportInOneSnapshot(Session& session, const std::string& dir,
                                         RunningQueries::Registration* registration) {
  if (auto begun = session.Query("BEGIN"); !begun) return std::move(begun).error();
  auto rollback = [&](Error error) {
    (void)session.Query("ROLLBACK");
    return error;
  };
  if (registration) registration->SetStatement(1, 2);
  auto exported =
      session.Query("EXPORT DATABASE " + QuoteLiteral(dir) + " (FORMAT parquet, COMPRESSION zstd)");
  if (!exported) return rollback(exported.error());
  if (registration) registration->SetStatement(2, 2);
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

Result<std::string> RunBackupRequest(Database& database, const std::string& body,
                                     const std::string& role, RunningQueries* running) {
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  if (ec || !parsed.is_object() || !parsed.as_object().contains("to") ||
      !parsed.as_object().at("to").is_string()) {
    return Error("22023", "request body must be {\"to\": \"/absolute/backup/dir\"}");
  }
  std::string query_id;
  if (const auto* id = parsed.as_object().if_contains("query_id")) {
    if (!id->is_string() || !ValidQueryId(id->get_string())) {
      return Error("22023", "\"query_id\" must be 1 to 64 letters, digits, '-' or '_'");
    }
    query_id = std::string(id->get_string());
  }
  std::filesystem::path dir(std::string(parsed.as_object().at("to").as_string()));
  if (!dir.is_absolute()) return Error("22023", "\"to\" must be an absolute path");
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_empty(dir, ec)) {
    return Error("58P02", "backup directory \"" + dir.string() + "\" exists and is not empty");
  }
  auto session = database.Connect();
  if (!session) return std::move(session).error();
  std::unique_ptr<RunningQueries::Registration> registration;
  if (running != nullptr && !query_id.empty()) {
    auto registered = running->Register(query_id, role, **session);
    if (!registered) return std::move(registered).error();
    registration = std::move(*registered);
  }
  auto manifest = ExportInOneSnapshot(**session, dir.string(), registration.get());
  registration.reset();  // before the session closes
  if (!manifest) return std::move(manifest).error();
  (*manifest)["engine"] = database.engine_version();
  std::string text = json::serialize(*manifest);
  std::ofstream out(dir / kBackupManifest);
  out << text << "\n";
  if (!out) return Error("58030", "could not write " + (dir / kBackupManifest).string());
  return text;
}

}  // namespace augur::http
