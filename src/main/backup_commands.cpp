// backup_commands.cpp
#include "main/backup_commands.h"

#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>

#include "augur/engine.h"
#include "common/sql_quoting.h"
#include "main/http_client.h"
#include "main/periodic_task.h"
#include "main/progress_report.h"

namespace augur {
namespace {

namespace json = boost::json;

constexpr auto kPollEvery = std::chrono::milliseconds(250);

int Fail(const std::string& message) {
  std::fprintf(stderr, "augur: %s\n", message.c_str());
  return 1;
}

// A fresh id for the backup's GET /api/progress polls.
std::string NewQueryId() {
  std::random_device random;
  std::uniform_int_distribution<int> digit(0, 15);
  std::string id = "augur-backup-";
  for (int i = 0; i < 16; ++i) id += "0123456789abcdef"[digit(random)];
  return id;
}

// One poll of GET /api/progress for the backup `query_id` into `report`; false to stop polling
// (the server cannot answer it). The backup's statement 1 is the export, whose percentage DuckDB
// estimates; statement 2 counts the rows (quick). The last percent waits for the server's answer.
bool PollBackupProgress(HttpClient& client, const std::string& query_id, ProgressReport& report) {
  auto reply = client.Get("/api/progress?query_id=" + query_id);
  if (!reply || reply->status != 200) return false;
  boost::system::error_code ec;
  auto body = json::parse(reply->body, ec);
  if (ec || !body.is_object()) return false;
  const auto& object = body.as_object();
  const auto* running = object.if_contains("running");
  const auto* statement = object.if_contains("statement");
  const auto* percent = object.if_contains("progress");
  if (!running || !running->is_bool() || !running->get_bool() || !statement || *statement != 1 ||
      !percent || !percent->is_number()) {
    return true;  // not started, counting already, or no estimate yet
  }
  // No rows: DuckDB's count for an export is not the rows exported (it counts each row at two
  // steps of the plan). The summary has the exact figure.
  report.Update(0.99 * percent->to_number<double>() / 100.0, std::nullopt);
  return true;
}

// IMPORT DATABASE `dir` statement by statement, as DuckDB expands it (schema.sql, then a COPY
// FROM per table from load.sql), with `report` following the rows: those of the COPYs done
// (their command tags) and, every poll, the running COPY's by DuckDB's estimate, out of
// `expected` (the manifest's total). The last percent waits for the checks.
Status ImportWithProgress(Session& session, const std::string& dir, int64_t expected,
                          ProgressReport& report) {
  auto statements = session.Split("IMPORT DATABASE " + QuoteLiteral(dir));
  if (!statements) return std::move(statements).error();
  auto show = [&](int64_t rows) {
    double fraction = expected > 0 ? static_cast<double>(rows) / static_cast<double>(expected) : 0;
    report.Update(0.99 * std::min(fraction, 1.0), static_cast<uint64_t>(rows));
  };
  // The rows of the COPYs done, and when the running statement began. Under one lock with the
  // poller's reading: a COPY's rows must not count both as done and as running.
  std::mutex mu;
  int64_t loaded = 0;
  std::optional<std::chrono::system_clock::time_point> running_since;
  show(0);
  PeriodicTask poller(kPollEvery, [&] {
    std::lock_guard lock(mu);
    int64_t rows = loaded;
    SessionProgress now = session.progress();
    // Only the figures of the statement started since running_since, and not its final 100%:
    // until DuckDB starts a statement its session still holds the last one's figures.
    if (running_since && now.active && now.statement_start >= *running_since &&
        now.percent.value_or(100) < 100) {
      rows += now.rows_processed.value_or(0);
    }
    show(rows);
    return true;
  });
  for (auto& statement : *statements) {
    {
      std::lock_guard lock(mu);
      running_since = std::chrono::system_clock::now();
    }
    auto cursor = session.Execute(*statement);
    if (!cursor) return std::move(cursor).error();
    auto rows = FetchAll(**cursor);
    if (!rows) return std::move(rows).error();
    std::string tag = (*cursor)->command_tag();
    std::lock_guard lock(mu);
    running_since.reset();
    if (tag.starts_with("COPY ")) {
      int64_t copied = 0;
      std::from_chars(tag.data() + 5, tag.data() + tag.size(), copied);
      loaded += copied;
      show(loaded);
    }
  }
  return {};
}

}  // namespace

int RunBackup(const std::string& server_url, const std::string& to_dir,
              const BackupCredentials& credentials) {
  auto endpoint = ParseServerUrl(server_url);
  if (!endpoint) return Fail(endpoint.error().message);
  endpoint->token = credentials.token;
  endpoint->ca_file = credentials.ca_file;
  std::error_code fs_error;
  std::string dir = std::filesystem::absolute(to_dir, fs_error).string();
  auto client = HttpClient::Connect(*endpoint);
  if (!client) return Fail("backup failed: " + client.error().message);
  std::string query_id = NewQueryId();
  ProgressReport report("backup", isatty(STDERR_FILENO) != 0);
  Result<HttpReply> reply = Error("08006", "no answer");
  report.Update(0, std::nullopt);
  {
    // On a connection of its own: the first is busy with the backup.
    std::unique_ptr<HttpClient> poll_client;
    PeriodicTask poller(kPollEvery, [&] {
      if (!poll_client) {
        auto connected = HttpClient::Connect(*endpoint);
        if (!connected) return false;  // no bar then; the backup reports its own failure
        poll_client = std::move(*connected);
      }
      return PollBackupProgress(*poll_client, query_id, report);
    });
    reply = (*client)->Post("/api/backup",
                            json::serialize(json::object{{"to", dir}, {"query_id", query_id}}));
  }
  if (!reply) {
    report.Finish();
    return Fail("backup failed: cannot reach " + server_url + ": " + reply.error().message);
  }
  if (reply->status != 200) {
    report.Finish();
    return Fail("backup failed (HTTP " + std::to_string(reply->status) + "): " + reply->body);
  }
  boost::system::error_code ec;
  auto parsed = json::parse(reply->body, ec);
  if (ec || !parsed.is_object() || !parsed.as_object().contains("total_rows") ||
      !parsed.as_object().contains("tables")) {
    report.Finish();
    return Fail("backup failed: the server's answer is not a manifest: " + reply->body);
  }
  const auto& manifest = parsed.as_object();
  if (!manifest.at("total_rows").is_int64() || !manifest.at("tables").is_array()) {
    report.Finish();
    return Fail("backup failed: the server's answer is not a manifest: " + reply->body);
  }
  int64_t total = manifest.at("total_rows").get_int64();
  report.Update(1.0, static_cast<uint64_t>(total));
  report.Finish();
  std::printf("backup written to %s: %lld rows in %zu tables in %.2f s\n", dir.c_str(),
              static_cast<long long>(total), manifest.at("tables").as_array().size(),
              report.seconds());
  return 0;
}

int RunRestore(const std::string& from_dir, const std::string& data_dir) {
  std::filesystem::path from = std::filesystem::absolute(from_dir);
  std::ifstream manifest_file(from / "augur-backup.json");
  if (!manifest_file) {
    return Fail("\"" + from.string() + "\" holds no augur-backup.json: not an augur backup");
  }
  std::stringstream text;
  text << manifest_file.rdbuf();
  boost::system::error_code ec;
  auto manifest = json::parse(text.str(), ec);
  if (ec || !manifest.is_object() || !manifest.as_object().contains("tables")) {
    return Fail("augur-backup.json in \"" + from.string() + "\" is damaged");
  }
  std::error_code fs_error;
  if (std::filesystem::exists(data_dir, fs_error) &&
      !std::filesystem::is_empty(data_dir, fs_error)) {
    return Fail("data directory \"" + data_dir +
                "\" exists and is not empty; restore into a new one");
  }
  DatabaseOptions options;
  options.data_dir = data_dir;
  auto database = Database::Open(options);
  if (!database) return Fail(database.error().message);
  auto session = (*database)->Connect();
  if (!session) return Fail(session.error().message);
  // A new database has an empty public schema, which the backup's schema.sql creates again.
  auto dropped = (*session)->Query("DROP SCHEMA IF EXISTS public");
  if (!dropped) return Fail("restore failed: " + dropped.error().message);
  int64_t expected = 0;
  for (const auto& entry : manifest.as_object().at("tables").as_array()) {
    if (const auto* rows = entry.as_object().if_contains("rows"); rows && rows->is_int64()) {
      expected += rows->get_int64();
    }
  }
  ProgressReport report("restore", isatty(STDERR_FILENO) != 0);
  if (auto imported = ImportWithProgress(**session, from.string(), expected, report); !imported) {
    report.Finish();
    return Fail("restore failed: " + imported.error().message);
  }
  int64_t total = 0;
  for (const auto& entry : manifest.as_object().at("tables").as_array()) {
    const auto& table = entry.as_object();
    std::string name = QuoteIdentifier(table.at("schema").as_string()) + "." +
                       QuoteIdentifier(table.at("table").as_string());
    auto count = (*session)->Query("SELECT count(*) FROM " + name);
    if (!count) return Fail("restore check failed: " + count.error().message);
    int64_t rows = std::stoll(std::string(count->cell(0, 0).value_or("0")));
    if (rows != table.at("rows").as_int64()) {
      return Fail("restore check failed: " + name + " has " + std::to_string(rows) +
                  " rows, the backup says " + std::to_string(table.at("rows").as_int64()));
    }
    total += rows;
  }
  if (auto checkpoint = (*database)->Checkpoint(); !checkpoint) {
    return Fail(checkpoint.error().message);
  }
  report.Update(1.0, static_cast<uint64_t>(total));
  report.Finish();
  std::printf("restored %lld rows in %zu tables into %s in %.2f s\n", static_cast<long long>(total),
              manifest.as_object().at("tables").as_array().size(), data_dir.c_str(),
              report.seconds());
  return 0;
}

}  // namespace augur
