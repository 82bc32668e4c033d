// main.cpp: the augur command line. `augur serve` runs the server; `augur --version` prints the
// versions of augur and of the DuckDB engine it runs on. `backup`, `restore` and `import` are the
// client commands (backup_commands.h, import_command.h).
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "augur/engine.h"
#include "common/config.h"
#include "common/logging.h"
#include "common/tls.h"
#include "http/http_server.h"
#include "main/backup_commands.h"
#include "main/import_command.h"
#include "pgwire/server.h"

namespace {

int Fail(const augur::Error& error) {
  std::fprintf(stderr, "augur: %s\n", error.message.c_str());
  if (!error.hint.empty()) std::fprintf(stderr, "hint: %s\n", error.hint.c_str());
  return 1;
}

// How long a graceful shutdown may take from SIGTERM/SIGINT to exit. Stop() cancels every
// statement and wait, so the server normally exits in well under a second; what can take longer
// is work DuckDB cannot interrupt (a long COPY or checkpoint, an HTTP query mid-scan). Past the
// grace period the process exits anyway: committed transactions are in the WAL, which the next
// start replays, and open ones were never committed.
constexpr std::chrono::seconds kShutdownGrace{8};

// Ends the process kShutdownGrace after Arm() unless Disarm() comes first.
class ShutdownWatchdog {
 public:
  ~ShutdownWatchdog() { Disarm(); }
  void Arm() {
    if (thread_.joinable()) return;
    thread_ = std::thread([this] {
      std::unique_lock lock(mu_);
      if (cv_.wait_for(lock, kShutdownGrace, [this] { return done_; })) return;
      spdlog::error(
          "shutdown took longer than {} s; exiting without waiting for the remaining work "
          "(committed transactions are in the WAL and are replayed at the next start)",
          kShutdownGrace.count());
      spdlog::default_logger()->flush();
      std::_Exit(1);
    });
  }
  void Disarm() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

// Every client connection is a socket; with --max-connections in the hundreds the common soft
// limit of 1024 descriptors (shared with DuckDB's files and the HTTP clients) runs out, and
// accept() fails with EMFILE. Raise the soft limit to the hard one; only the administrator can
// raise the hard limit.
void RaiseFileLimit(int max_connections) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur < limit.rlim_max) {
    rlim_t before = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) == 0) {
      spdlog::debug("file descriptor limit raised from={} to={}", before, limit.rlim_cur);
    }
  }
  // Connections, plus HTTP clients and DuckDB's files.
  rlim_t wanted = static_cast<rlim_t>(max_connections) + 256;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < wanted) {
    spdlog::warn(
        "file descriptor limit {} is low for max_connections={}; raise it (ulimit -n, "
        "LimitNOFILE=) to at least {}",
        limit.rlim_cur, max_connections, wanted);
  }
}

int Serve(const std::string& config_file, const std::map<std::string, std::string>& flags) {
  auto config = augur::LoadConfig(config_file, flags, augur::ProcessEnvironment());
  if (!config) return Fail(config.error());
  auto logging = augur::InitLogging(
      config->log_format == "json" ? augur::LogFormat::kJson : augur::LogFormat::kText,
      config->log_level);
  if (!logging) return Fail(logging.error());
  RaiseFileLimit(config->max_connections);

  augur::DatabaseOptions db_options;
  db_options.data_dir = config->data_dir;
  db_options.memory_limit = config->memory_limit;
  db_options.learned_primary_keys = config->learned_primary_keys;
  db_options.fast_path = config->fast_path;
  db_options.threads = config->engine_threads;
  auto database = augur::Database::Open(db_options);
  if (!database) return Fail(database.error());
  spdlog::info("augur {} starting data_dir={} engine=DuckDB {}", AUGUR_VERSION, config->data_dir,
               (*database)->engine_version());

  boost::asio::io_context io;
  augur::pgwire::ServerOptions pg_options;
  pg_options.listen_address = config->listen;
  pg_options.port = config->pg_port;
  pg_options.max_message_bytes = config->max_message_bytes;
  pg_options.worker_threads = config->worker_threads;
  pg_options.max_connections = config->max_connections;
  pg_options.slow_statement_ms = config->slow_statement_ms;
  pg_options.inline_fast_path = config->pgwire_inline_fast_path;
  pg_options.auth_loopback = config->auth_loopback;
  pg_options.auth_remote = config->auth_remote;
  pg_options.failed_login_burst = config->failed_login_burst;
  pg_options.authentication_timeout =
      std::chrono::milliseconds(config->pgwire_authentication_timeout_ms);
  // One limiter for both protocols: a client is one address, whichever door it knocks on.
  auto limiter = std::make_shared<augur::RateLimiter>(config->rate_limit, config->rate_burst);
  pg_options.rate_limiter = limiter;
  if (config->tls_mode != "disable") {
    auto tls = augur::MakeServerTlsContext(config->tls_cert_file, config->tls_key_file);
    if (!tls) return Fail(tls.error());
    pg_options.tls_context = *tls;
    pg_options.tls_required = config->tls_mode == "require";
  }
  augur::http::HttpOptions http_options;
  http_options.tls_context = pg_options.tls_context;
  http_options.auth_loopback = config->auth_loopback;
  http_options.max_result_bytes = config->http_max_result_bytes;
  http_options.auth_remote = config->auth_remote;
  http_options.rate_limiter = limiter;
  http_options.cache = std::make_shared<augur::ResultCache>(
      config->http_cache_bytes, std::chrono::milliseconds(config->http_cache_ttl_ms));
  // One cache, one byte budget, for both protocols (pgwire only when asked for).
  if (config->pgwire_result_cache) pg_options.cache = http_options.cache;
  http_options.listen_address = config->listen;
  http_options.port = config->http_port;
  http_options.max_body_bytes = config->http_max_body_bytes;
  http_options.data_dir = config->data_dir;
  http_options.request_timeout = std::chrono::milliseconds(config->http_request_timeout_ms);
  http_options.allowed_hosts = config->http_allowed_hosts;
  http_options.allowed_origins = config->http_allowed_origins;
  http_options.export_spool_bytes = config->http_export_spool_bytes;
  ShutdownWatchdog watchdog;  // declared first: destroyed (and disarmed) last
  {
    augur::pgwire::Server server(io, **database, pg_options);
    if (auto started = server.Start(); !started) return Fail(started.error());
    augur::http::HttpServer http_server(io, **database, http_options);
    if (auto started = http_server.Start(); !started) return Fail(started.error());

    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      spdlog::info("shutting down signal={}", signal == SIGINT ? "SIGINT" : "SIGTERM");
      watchdog.Arm();
      // Back to the default action: a second SIGTERM or SIGINT ends the process at once.
      boost::system::error_code ignored;
      signals.clear(ignored);
      server.Stop();
      http_server.Stop();
    });
    std::signal(SIGPIPE, SIG_IGN);
    io.run();
  }  // joins the worker pool: every statement has unwound
  if (auto checkpoint = (*database)->Checkpoint(); !checkpoint) {
    spdlog::error("checkpoint at shutdown failed error=\"{}\"", checkpoint.error().message);
  }
  database->reset();
  watchdog.Disarm();
  spdlog::info("augur stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"augur: a PostgreSQL-compatible HTAP database on DuckDB with learned indexes"};
  app.require_subcommand(0, 1);
  bool show_version = false;
  app.add_flag("--version", show_version, "print the version and exit");

  auto* serve = app.add_subcommand("serve", "run the server");
  std::string config_file;
  serve->add_option("--config", config_file, "TOML config file")->check(CLI::ExistingFile);
  std::map<std::string, std::string> flag_values;
  std::map<std::string, std::string> bound;  // key -> storage for CLI11
  for (auto& setting : augur::Settings()) {
    auto& slot = bound[std::string(setting.key)];
    serve->add_option("--" + std::string(setting.flag), slot, augur::HelpLine(setting));
  }

  auto* backup =
      app.add_subcommand("backup", "take a consistent online backup from a running server");
  std::string backup_to, backup_server = "http://127.0.0.1:8080";
  backup->add_option("--to", backup_to, "directory for the backup (on the server's machine)")
      ->required();
  backup->add_option("--server", backup_server, "the server's HTTP address")->capture_default_str();
  augur::BackupCredentials backup_credentials;
  backup
      ->add_option("--token", backup_credentials.token,
                   "a superuser's API token (or AUGUR_TOKEN), where loopback logins need one")
      ->envname("AUGUR_TOKEN");
  backup->add_option("--cacert", backup_credentials.ca_file,
                     "PEM CA file to verify an https:// server");
  auto* restore = app.add_subcommand("restore", "load a backup into a new data directory");
  std::string restore_from, restore_data;
  restore->add_option("--from", restore_from, "backup directory")->required();
  restore->add_option("--data", restore_data, "new data directory")->required();
  auto* import = app.add_subcommand(
      "import", "load CSV, TSV, JSON/NDJSON or Parquet files into a table of a running server");
  augur::ImportOptions import_options;
  import->add_option("files", import_options.files, "files or globs to load")->required();
  import->add_option("--table", import_options.table,
                     "the table to create or append to (default: the first file's name)");
  import->add_option("--schema", import_options.schema,
                     "the table's schema (default: search_path)");
  import
      ->add_option("--server", import_options.server,
                   "the server's PostgreSQL address (libpq URL or connection string; password "
                   "from AUGUR_PASSWORD, PGPASSWORD or ~/.pgpass)")
      ->capture_default_str();
  import->add_option("--format", import_options.format,
                     "csv, tsv, json or parquet (default: from each file's extension)");
  CLI11_PARSE(app, argc, argv);
  if (backup->parsed()) return augur::RunBackup(backup_server, backup_to, backup_credentials);
  if (import->parsed()) return augur::RunImport(import_options);
  if (restore->parsed()) return augur::RunRestore(restore_from, restore_data);

  if (show_version) {
    std::printf("augur %s (DuckDB %s)\n", AUGUR_VERSION, "v1.4.4");
    return 0;
  }
  if (!serve->parsed()) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  }
  for (auto& setting : augur::Settings()) {
    auto* option = serve->get_option("--" + std::string(setting.flag));
    if (option->count() > 0)
      flag_values[std::string(setting.key)] = bound[std::string(setting.key)];
  }
  return Serve(config_file, flag_values);
}
