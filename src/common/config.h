// config.h: augur's settings, layered: built-in defaults < TOML file < AUGUR_* environment
// variables < command-line flags.
//
// Each setting is a field of Config (its type and default) and one declaration in Settings()
// (config.cpp): its TOML key ("server.pg_port"), its flag (--pg-port), its range or allowed
// values and its help. Everything else comes from that declaration: the environment variable
// (AUGUR_SERVER_PG_PORT: the key upper-cased, dots as underscores), the TOML, environment and flag
// layers, validation, `augur serve --help` and the settings table in README.md (a unit test fails
// when it is out of date; `make docs` rewrites it). A unit test also fails when a Config field has
// no declaration.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "augur/result.h"

namespace augur {

// Field order is documentation order; the declarations in Settings() follow it.
struct Config {
  // [server]
  std::string listen = "127.0.0.1";
  uint16_t pg_port = 5432;
  uint16_t http_port = 8080;
  int rate_limit = 0;   // requests (HTTP) and connections (PostgreSQL) per second per client
  int rate_burst = 20;  // how many may come at once
  int worker_threads = 16;
  int max_connections = 100;
  // [storage]
  std::string data_dir = "./augur-data";
  std::string memory_limit;  // "" = DuckDB's default
  int engine_threads = 0;    // 0 = one per core
  // [index]
  bool learned_primary_keys = false;
  bool fast_path = true;
  // [log]
  std::string log_format = "text";  // text | json
  std::string log_level = "info";
  int64_t slow_statement_ms = 0;  // 0: no slow statement log
  // [pgwire]
  uint32_t max_message_bytes = 64u << 20;
  int pgwire_authentication_timeout_ms = 60'000;
  bool pgwire_result_cache = false;     // autocommit read-only simple queries from the result cache
  bool pgwire_inline_fast_path = true;  // prepared key lookups answered on the I/O thread
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

// One setting's declaration. The field's type says how its text is read: a string as is, a bool
// from "true" or "false", an integer within [min, max], a list from comma-separated items (or a
// TOML array of strings).
struct Setting {
  using Field = std::variant<std::string Config::*, bool Config::*, uint16_t Config::*,
                             int Config::*, int64_t Config::*, uint32_t Config::*,
                             uint64_t Config::*, std::vector<std::string> Config::*>;
  // Why a string value is refused before `choices` are consulted, or "" to go on.
  using Refusal = std::string (*)(std::string_view value);
  // Why one list item is refused, or "" when it is accepted; may normalize the item in place.
  using ItemCheck = std::string (*)(std::string& item);

  std::string_view key;   // TOML key, "section.name"
  std::string_view flag;  // command-line flag without the dashes
  Field field;
  int64_t min = 0;  // integers: the accepted range
  int64_t max = 0;
  std::vector<std::string_view> choices = {};  // strings: the values accepted (empty: any)
  bool non_empty = false;                      // strings: "" is refused
  Refusal refuse = nullptr;                    // strings
  ItemCheck check_item = nullptr;              // lists
  std::string_view help;                       // one line; `backticks` mark code in the README
  std::string_view default_means = {};  // what the default stands for, when its value does not say

  std::string env() const;  // AUGUR_SECTION_NAME
};

// Every setting, in documentation order.
const std::vector<Setting>& Settings();

// The setting's built-in default as text, as it would be written in a file or flag ("" if none).
std::string DefaultValue(const Setting& setting);
// What the default means when the value alone does not say: the declared default_means, else the
// size or duration of a *_bytes or *_ms value ("64 MiB", "1 min"); "" when there is nothing to add.
std::string DefaultNote(const Setting& setting);
// The values accepted: "0 to 65535", "one of: text, json", "true or false" ("" for any text).
std::string AcceptedValues(const Setting& setting);
// The line `augur serve --help` shows for the setting's flag.
std::string HelpLine(const Setting& setting);

// Builds the configuration. `file` may be empty (no file). `flags` maps TOML keys to values given
// on the command line; `environment` maps variable names to values (pass the process environment).
// Errors name the key, where the bad value came from, and why it is bad.
Result<Config> LoadConfig(const std::string& file, const std::map<std::string, std::string>& flags,
                          const std::map<std::string, std::string>& environment);

// The process environment as a map, for LoadConfig.
std::map<std::string, std::string> ProcessEnvironment();

}  // namespace augur
