// config.h: augur's settings, layered: built-in defaults < TOML file < AUGUR_* environment
// variables < command-line flags. Every setting is declared once in the table in config.cpp, which
// gives its TOML key ("server.pg_port"), its environment variable (AUGUR_SERVER_PG_PORT: the key
// upper-cased, dots as underscores), its flag (--pg-port) and its validation.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "augur/result.h"

namespace augur {

struct Config {
  // [server]
  std::string listen = "127.0.0.1";
  uint16_t pg_port = 5432;
  uint16_t http_port = 8080;
  int worker_threads = 16;
  int max_connections = 100;
  int rate_limit = 0;   // requests (HTTP) and connections (PostgreSQL) per second per client
  int rate_burst = 20;  // how many may come at once
  // [storage]
  std::string data_dir = "./augur-data";
  std::string memory_limit;  // "" = DuckDB's default
  int engine_threads = 0;    // 0 = one per core
  // [index]
  bool learned_primary_keys = false;
  // [log]
  std::string log_format = "text";  // text | json
  std::string log_level = "info";
  int64_t slow_statement_ms = 0;  // 0: no slow statement log
  // [pgwire]
  uint32_t max_message_bytes = 64u << 20;
  bool pgwire_result_cache = false;
  int pgwire_authentication_timeout_ms =
      60'000;  // autocommit read-only simple queries from the result cache
  // [http]
  uint32_t http_max_body_bytes = 1u << 20;
  uint64_t http_cache_bytes = 64u << 20;  // 0: no result cache
  int http_cache_ttl_ms = 60'000;
  int http_request_timeout_ms = 30'000;
  uint64_t http_max_result_bytes = 0;  // 0: no cap
  // Host header names accepted besides the listen address, localhost and loopback literals.
  std::vector<std::string> http_allowed_hosts;
  // Origins (scheme://host[:port]) of other sites whose pages may call the API (CORS).
  std::vector<std::string> http_allowed_origins;
  uint64_t http_export_spool_bytes = 1ull << 30;  // Parquet exports on disk at once
  // [auth]
  std::string auth_loopback = "trust";        // trust | scram-sha-256 | reject
  std::string auth_remote = "scram-sha-256";  // trust | scram-sha-256 | reject
  int failed_login_burst = 5;  // failed logins per address at once; then one a second
  // [tls]
  std::string tls_mode = "disable";  // disable | allow | require
  std::string tls_cert_file;         // PEM certificate chain
  std::string tls_key_file;          // PEM private key
};

struct SettingInfo {
  std::string_view key;   // TOML key, "section.name"
  std::string_view flag;  // command-line flag without the dashes
  std::string_view help;
  std::string (*text_of)(const Config&);  // the setting's value in a Config, as text
  std::string env() const;                // AUGUR_SECTION_NAME
};

// Every setting, in documentation order.
const std::vector<SettingInfo>& Settings();

// Builds the configuration. `file` may be empty (no file). `flags` maps TOML keys to values given
// on the command line; `environment` maps variable names to values (pass the process environment).
// Errors name the key, where the bad value came from, and why it is bad.
Result<Config> LoadConfig(const std::string& file, const std::map<std::string, std::string>& flags,
                          const std::map<std::string, std::string>& environment);

// The process environment as a map, for LoadConfig.
std::map<std::string, std::string> ProcessEnvironment();

}  // namespace augur
