// config_settings.cpp: the declaration of every setting (Settings() of config.h) and the checks
// some of them run on their values. Adding a setting: a field in Config (its type and default),
// then one entry here; config.cpp does the rest.
#include <fmt/format.h>

#include <cctype>

#include "common/config.h"

namespace augur {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A host name or address as a Host header carries it, without a port: letters, digits, '-',
// '.', '_', or an IPv6 literal in brackets.
bool IsHostName(std::string_view host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    return host.find_first_not_of("0123456789abcdefABCDEF:.", 1) == host.size() - 1;
  }
  return !host.empty() && host.find_first_not_of(
                              "abcdefghijklmnopqrstuvwxyz"
                              "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._") == std::string_view::npos;
}

// An origin as browsers send it: http:// or https://, a host, an optional port, nothing else.
bool IsOrigin(std::string_view origin) {
  std::string_view rest;
  if (origin.starts_with("http://")) {
    rest = origin.substr(7);
  } else if (origin.starts_with("https://")) {
    rest = origin.substr(8);
  } else {
    return false;
  }
  size_t colon = rest.rfind(':');
  if (colon != std::string_view::npos && rest.find(']', colon) == std::string_view::npos) {
    std::string_view port = rest.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string_view::npos) {
      return false;
    }
    rest = rest.substr(0, colon);
  }
  return IsHostName(rest);
}

// A Host header name, lower-cased; "*" accepts any.
std::string CheckHostName(std::string& host) {
  if (host != "*" && !IsHostName(host)) {
    return fmt::format("\"{}\" is not a host name (no scheme, port or path)", host);
  }
  host = Lower(host);
  return "";
}

// An origin without a trailing slash, lower-cased.
std::string CheckOrigin(std::string& origin) {
  if (origin.ends_with('/')) origin.pop_back();
  if (!IsOrigin(origin)) {
    return fmt::format(
        "\"{}\" is not an origin: write scheme://host[:port], e.g. https://app.example.com (there "
        "is no wildcard)",
        origin);
  }
  origin = Lower(origin);
  return "";
}

// PostgreSQL's weaker password methods get a reason of their own rather than "must be one of".
std::string RefusePasswordMethods(std::string_view method) {
  if (method == "md5" || method == "password") {
    return "md5 and plaintext passwords are not offered; use scram-sha-256";
  }
  return "";
}

}  // namespace

std::string Setting::env() const {
  std::string out = "AUGUR_";
  for (char c : key) out.push_back(c == '.' ? '_' : static_cast<char>(std::toupper(c)));
  return out;
}

// In the order of Config's fields, which is the order of --help and of the README table.
const std::vector<Setting>& Settings() {
  constexpr int64_t kTiB = int64_t{1} << 40;
  static const std::vector<Setting> settings = {
      {.key = "server.listen",
       .flag = "listen",
       .field = &Config::listen,
       .non_empty = true,
       .help = "address to listen on (IPv4 or IPv6)"},
      {.key = "server.pg_port",
       .flag = "pg-port",
       .field = &Config::pg_port,
       .min = 0,
       .max = 65535,
       .help = "PostgreSQL protocol port (0: any free port)"},
      {.key = "server.http_port",
       .flag = "http-port",
       .field = &Config::http_port,
       .min = 0,
       .max = 65535,
       .help = "HTTP port: `/health`, `/ready`, `/metrics`, `/api/query`, the console (0: any free "
               "port)"},
      {.key = "server.rate_limit",
       .flag = "rate-limit",
       .field = &Config::rate_limit,
       .min = 0,
       .max = 1'000'000,
       .help = "HTTP requests and PostgreSQL connections per second per client address",
       .default_means = "off"},
      {.key = "server.rate_burst",
       .flag = "rate-burst",
       .field = &Config::rate_burst,
       .min = 1,
       .max = 1'000'000,
       .help = "how many of those a client may make at once under the rate limit"},
      {.key = "server.worker_threads",
       .flag = "worker-threads",
       .field = &Config::worker_threads,
       .min = 1,
       .max = 1024,
       .help = "threads that run statements"},
      {.key = "server.max_connections",
       .flag = "max-connections",
       .field = &Config::max_connections,
       .min = 1,
       .max = 100'000,
       .help = "client sessions at once; more are refused with 53300"},
      {.key = "storage.data_dir",
       .flag = "data",
       .field = &Config::data_dir,
       .non_empty = true,
       .help = "data directory, created on first start"},
      {.key = "storage.memory_limit",
       .flag = "memory-limit",
       .field = &Config::memory_limit,
       .help = "engine memory limit, e.g. `4GB`; no single allocation may take more than half of "
               "it",
       .default_means = "a quarter of available memory"},
      {.key = "storage.engine_threads",
       .flag = "engine-threads",
       .field = &Config::engine_threads,
       .min = 0,
       .max = 1024,
       .help = "threads per query",
       .default_means = "one per core"},
      {.key = "index.learned_primary_keys",
       .flag = "learned-primary-keys",
       .field = &Config::learned_primary_keys,
       .help = "every new one-column PRIMARY KEY also gets a LEARNED index (per session: `SET "
               "augur_learned_primary_keys`)"},
      {.key = "index.fast_path",
       .flag = "fast-path",
       .field = &Config::fast_path,
       .help = "key lookups (`SELECT ... FROM t WHERE key = $1` on a one-column PRIMARY KEY, "
               "UNIQUE or LEARNED index) skip DuckDB's planner (per session: `SET "
               "augur_fast_path`)"},
      {.key = "log.format",
       .flag = "log-format",
       .field = &Config::log_format,
       .choices = {"text", "json"},
       .help = "log line format; `json` writes one JSON object per line"},
      {.key = "log.level",
       .flag = "log-level",
       .field = &Config::log_level,
       .choices = {"trace", "debug", "info", "warn", "error", "off"},
       .help = "least severe message logged"},
      {.key = "log.slow_statement_ms",
       .flag = "slow-statement-ms",
       .field = &Config::slow_statement_ms,
       .min = 0,
       .max = kTiB,
       .help = "log statements that run at least this many milliseconds",
       .default_means = "off"},
      {.key = "pgwire.max_message_bytes",
       .flag = "max-message-bytes",
       .field = &Config::max_message_bytes,
       .min = 1024,
       .max = int64_t{1} << 30,
       .help = "largest PostgreSQL protocol message accepted"},
      {.key = "pgwire.authentication_timeout_ms",
       .flag = "authentication-timeout-ms",
       .field = &Config::pgwire_authentication_timeout_ms,
       .min = 100,
       .max = 3'600'000,
       .help = "time a PostgreSQL client has to finish TLS, startup and login (then it is "
               "disconnected)"},
      {.key = "pgwire.inline_fast_path",
       .flag = "inline-fast-path",
       .field = &Config::pgwire_inline_fast_path,
       .help = "prepared key lookups the fast path answers run on the connection's I/O thread "
               "when nothing can block them, saving two thread hand-offs"},
      {.key = "pgwire.result_cache",
       .flag = "pgwire-result-cache",
       .field = &Config::pgwire_result_cache,
       .help = "answer autocommit read-only simple queries from the result cache (shares "
               "`http.cache_bytes`)"},
      {.key = "http.max_body_bytes",
       .flag = "http-max-body-bytes",
       .field = &Config::http_max_body_bytes,
       .min = 1024,
       .max = int64_t{1} << 30,
       .help = "largest HTTP request body accepted (413 beyond)"},
      {.key = "http.cache_bytes",
       .flag = "http-cache-bytes",
       .field = &Config::http_cache_bytes,
       .min = 0,
       .max = kTiB,
       .help = "memory for cached `/api/query` results of read-only queries (0: no cache)"},
      {.key = "http.cache_ttl_ms",
       .flag = "http-cache-ttl-ms",
       .field = &Config::http_cache_ttl_ms,
       .min = 1,
       .max = 86'400'000,
       .help = "how long a cached result may be served"},
      {.key = "http.request_timeout_ms",
       .flag = "http-request-timeout-ms",
       .field = &Config::http_request_timeout_ms,
       .min = 100,
       .max = 3'600'000,
       .help = "time a client has to send a whole request (slow clients are disconnected)"},
      {.key = "http.max_result_bytes",
       .flag = "http-max-result-bytes",
       .field = &Config::http_max_result_bytes,
       .min = 0,
       .max = int64_t{1} << 50,
       .help = "largest `/api/query` result body; beyond it the body ends with error 54000",
       .default_means = "no cap"},
      {.key = "http.allowed_hosts",
       .flag = "http-allowed-hosts",
       .field = &Config::http_allowed_hosts,
       .check_item = CheckHostName,
       .help = "`Host` names the HTTP server answers besides its listen address, localhost and "
               "loopback addresses (comma-separated or a TOML array; `*`: any); others get 421",
       .default_means = "none"},
      {.key = "http.allowed_origins",
       .flag = "http-allowed-origins",
       .field = &Config::http_allowed_origins,
       .check_item = CheckOrigin,
       .help = "origins (`https://app.example:8443`) of other sites whose pages may call the HTTP "
               "API, with CORS (comma-separated or a TOML array); other origins get 403",
       .default_means = "none"},
      {.key = "http.export_spool_bytes",
       .flag = "http-export-spool-bytes",
       .field = &Config::http_export_spool_bytes,
       .min = 0,
       .max = int64_t{1} << 50,
       .help = "disk that Parquet exports of `/api/query` may hold at once in `DATA/tmp` (413 "
               "with 54000 beyond; 0: no quota)"},
      {.key = "auth.loopback",
       .flag = "auth-loopback",
       .field = &Config::auth_loopback,
       .choices = {"trust", "scram-sha-256", "reject"},
       .refuse = RefusePasswordMethods,
       .help = "how clients on the loopback interface log in"},
      {.key = "auth.remote",
       .flag = "auth-remote",
       .field = &Config::auth_remote,
       .choices = {"trust", "scram-sha-256", "reject"},
       .refuse = RefusePasswordMethods,
       .help = "how clients from other addresses log in"},
      {.key = "auth.failed_login_burst",
       .flag = "failed-login-burst",
       .field = &Config::failed_login_burst,
       .min = 1,
       .max = 1'000'000,
       .help = "failed logins an address may make at once; then one a second"},
      {.key = "tls.mode",
       .flag = "tls-mode",
       .field = &Config::tls_mode,
       .choices = {"disable", "allow", "require"},
       .help = "`allow`: TLS offered on both ports; `require`: HTTPS only and plaintext "
               "PostgreSQL sessions refused (both need `tls.cert_file` and `tls.key_file`)"},
      {.key = "tls.cert_file",
       .flag = "tls-cert-file",
       .field = &Config::tls_cert_file,
       .help = "PEM certificate chain for TLS on both ports"},
      {.key = "tls.key_file",
       .flag = "tls-key-file",
       .field = &Config::tls_key_file,
       .help = "PEM private key of `tls.cert_file`"},
  };
  return settings;
}

}  // namespace augur
