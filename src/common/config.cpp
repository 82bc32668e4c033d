// config.cpp: every value is first collected as text with its source ("default", "file x.toml",
// "environment AUGUR_..", "flag --.."), then parsed and validated in one place, so an error can
// always say where the bad value came from.
#include "common/config.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cctype>
#include <charconv>
#include <functional>

extern char** environ;

namespace augur {
namespace {

struct Raw {
  std::string value;
  std::string source;
};

Error BadSetting(std::string_view key, const Raw& raw, std::string_view reason) {
  return Error(sqlstate::kConfigFileError, fmt::format("invalid setting {} = \"{}\" (from {}): {}",
                                                       key, raw.value, raw.source, reason));
}

Result<int64_t> ParseInteger(std::string_view key, const Raw& raw, int64_t min, int64_t max) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(raw.value.data(), raw.value.data() + raw.value.size(), v);
  if (ec != std::errc() || end != raw.value.data() + raw.value.size()) {
    return BadSetting(key, raw, "not an integer");
  }
  if (v < min || v > max) {
    return BadSetting(key, raw, fmt::format("must be between {} and {}", min, max));
  }
  return v;
}

Status OneOf(std::string_view key, const Raw& raw,
             std::initializer_list<std::string_view> allowed) {
  for (auto a : allowed) {
    if (raw.value == a) return {};
  }
  return BadSetting(key, raw, fmt::format("must be one of: {}", fmt::join(allowed, ", ")));
}

// Text of a TOML scalar, as it would be written on the command line; an array of strings is a
// list, its items joined by commas.
std::optional<std::string> ScalarText(const toml::node& node) {
  if (auto s = node.value<std::string>()) return *s;
  if (auto* array = node.as_array()) {
    std::string joined;
    for (auto& item : *array) {
      auto text = item.value<std::string>();
      if (!text) return std::nullopt;
      if (!joined.empty()) joined += ',';
      joined += *text;
    }
    return joined;
  }
  if (node.is_integer()) return std::to_string(*node.value<int64_t>());
  if (node.is_boolean()) return *node.value<bool>() ? "true" : "false";
  if (node.is_floating_point()) return fmt::format("{}", *node.value<double>());
  return std::nullopt;
}

std::string Joined(const std::vector<std::string>& items) {
  return fmt::format("{}", fmt::join(items, ","));
}

// The items of a comma-separated list, trimmed; empty items dropped.
std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> items;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front()))) {
      item.remove_prefix(1);
    }
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back()))) {
      item.remove_suffix(1);
    }
    if (!item.empty()) items.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return items;
}

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

}  // namespace

std::string SettingInfo::env() const {
  std::string out = "AUGUR_";
  for (char c : key) out.push_back(c == '.' ? '_' : static_cast<char>(std::toupper(c)));
  return out;
}

const std::vector<SettingInfo>& Settings() {
  using C = const Config&;
  static const std::vector<SettingInfo> settings = {
      {"server.listen", "listen", "address to listen on (IPv4 or IPv6)",
       [](C c) { return c.listen; }},
      {"server.pg_port", "pg-port", "PostgreSQL protocol port (0 picks a free port)",
       [](C c) { return std::to_string(c.pg_port); }},
      {"server.http_port", "http-port",
       "HTTP port: /health, /ready, /metrics, /api/query (0 picks a free port)",
       [](C c) { return std::to_string(c.http_port); }},
      {"server.worker_threads", "worker-threads", "threads that run statements",
       [](C c) { return std::to_string(c.worker_threads); }},
      {"server.max_connections", "max-connections",
       "concurrent client connections; more are refused with 53300",
       [](C c) { return std::to_string(c.max_connections); }},
      {"server.rate_limit", "rate-limit",
       "HTTP requests and PostgreSQL connections per second per client address (0: no limit)",
       [](C c) { return std::to_string(c.rate_limit); }},
      {"server.rate_burst", "rate-burst", "requests a client may send at once under the rate limit",
       [](C c) { return std::to_string(c.rate_burst); }},
      {"storage.data_dir", "data", "data directory (created on first start)",
       [](C c) { return c.data_dir; }},
      {"storage.memory_limit", "memory-limit",
       "engine memory limit, e.g. 4GB (default: a quarter of available memory)",
       [](C c) { return c.memory_limit; }},
      {"storage.engine_threads", "engine-threads", "threads per query (0 = one per core)",
       [](C c) { return std::to_string(c.engine_threads); }},
      {"index.learned_primary_keys", "learned-primary-keys",
       "give every new one-column PRIMARY KEY a LEARNED index (true or false)",
       [](C c) { return std::string(c.learned_primary_keys ? "true" : "false"); }},
      {"log.format", "log-format", "text or json", [](C c) { return c.log_format; }},
      {"log.level", "log-level", "trace, debug, info, warn, error or off",
       [](C c) { return c.log_level; }},
      {"log.slow_statement_ms", "slow-statement-ms",
       "log statements that run at least this many milliseconds (0: none)",
       [](C c) { return std::to_string(c.slow_statement_ms); }},
      {"pgwire.max_message_bytes", "max-message-bytes", "largest protocol message accepted",
       [](C c) { return std::to_string(c.max_message_bytes); }},
      {"pgwire.result_cache", "pgwire-result-cache",
       "answer autocommit read-only simple queries from the result cache (true or false)",
       [](C c) { return std::string(c.pgwire_result_cache ? "true" : "false"); }},
      {"pgwire.authentication_timeout_ms", "authentication-timeout-ms",
       "time a PostgreSQL client has to finish TLS, startup and login (then disconnected)",
       [](C c) { return std::to_string(c.pgwire_authentication_timeout_ms); }},
      {"http.max_body_bytes", "http-max-body-bytes",
       "largest HTTP request body accepted (413 beyond)",
       [](C c) { return std::to_string(c.http_max_body_bytes); }},
      {"http.cache_bytes", "http-cache-bytes",
       "memory for cached /api/query results of read-only queries (0: no cache)",
       [](C c) { return std::to_string(c.http_cache_bytes); }},
      {"http.cache_ttl_ms", "http-cache-ttl-ms", "how long a cached result may be served",
       [](C c) { return std::to_string(c.http_cache_ttl_ms); }},
      {"http.request_timeout_ms", "http-request-timeout-ms",
       "time a client has to send a whole request (slow clients are disconnected)",
       [](C c) { return std::to_string(c.http_request_timeout_ms); }},
      {"auth.loopback", "auth-loopback",
       "how clients on the loopback interface log in: trust, scram-sha-256 or reject",
       [](C c) { return c.auth_loopback; }},
      {"auth.remote", "auth-remote",
       "how clients from other addresses log in: scram-sha-256, trust or reject",
       [](C c) { return c.auth_remote; }},
      {"auth.failed_login_burst", "failed-login-burst",
       "failed logins an address may make at once before it is held to one a second",
       [](C c) { return std::to_string(c.failed_login_burst); }},
      {"http.max_result_bytes", "http-max-result-bytes",
       "largest /api/query result body; beyond it the body ends with error 54000 (0: no cap)",
       [](C c) { return std::to_string(c.http_max_result_bytes); }},
      {"http.allowed_hosts", "http-allowed-hosts",
       "comma-separated Host names the HTTP server answers besides its listen address, "
       "localhost and loopback addresses (421 for others; * accepts any)",
       [](C c) { return Joined(c.http_allowed_hosts); }},
      {"http.allowed_origins", "http-allowed-origins",
       "comma-separated origins (https://app.example:8443) of other sites whose pages may call "
       "the HTTP API (CORS); requests from other origins get 403",
       [](C c) { return Joined(c.http_allowed_origins); }},
      {"http.export_spool_bytes", "http-export-spool-bytes",
       "disk that Parquet exports of /api/query may use at once, in DATA/tmp (54000 beyond; 0: "
       "no quota)",
       [](C c) { return std::to_string(c.http_export_spool_bytes); }},
      {"tls.mode", "tls-mode",
       "disable, allow (TLS offered) or require (plaintext PostgreSQL sessions refused, HTTPS "
       "only)",
       [](C c) { return c.tls_mode; }},
      {"tls.cert_file", "tls-cert-file", "PEM certificate chain for TLS on both ports",
       [](C c) { return c.tls_cert_file; }},
      {"tls.key_file", "tls-key-file", "PEM private key of tls.cert_file",
       [](C c) { return c.tls_key_file; }},
  };
  return settings;
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    size_t eq = entry.find('=');
    if (eq != std::string_view::npos && entry.starts_with("AUGUR_")) {
      env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
    }
  }
  return env;
}

Result<Config> LoadConfig(const std::string& file, const std::map<std::string, std::string>& flags,
                          const std::map<std::string, std::string>& environment) {
  const Config defaults;
  std::map<std::string, Raw, std::less<>> raw;
  for (auto& setting : Settings()) {
    raw[std::string(setting.key)] = Raw{setting.text_of(defaults), "default"};
  }

  if (!file.empty()) {
    toml::table table;
    try {
      table = toml::parse_file(file);
    } catch (const toml::parse_error& e) {
      return Error(sqlstate::kConfigFileError,
                   fmt::format("could not read config file \"{}\": {} (line {}, column {})", file,
                               e.description(), e.source().begin.line, e.source().begin.column));
    }
    std::string source = fmt::format("file {}", file);
    for (auto& [section, node] : table) {
      auto* sub = node.as_table();
      if (!sub) {
        return Error(
            sqlstate::kConfigFileError,
            fmt::format("config file \"{}\": \"{}\" must be a [section]", file, section.str()));
      }
      for (auto& [name, value] : *sub) {
        std::string key = fmt::format("{}.{}", section.str(), name.str());
        auto it = raw.find(key);
        if (it == raw.end()) {
          return Error(sqlstate::kConfigFileError,
                       fmt::format("config file \"{}\": unknown setting \"{}\"", file, key));
        }
        auto text = ScalarText(value);
        if (!text) {
          return Error(sqlstate::kConfigFileError,
                       fmt::format("config file \"{}\": setting \"{}\" must be a string, number "
                                   "or boolean",
                                   file, key));
        }
        it->second = Raw{*text, source};
      }
    }
  }
  for (auto& setting : Settings()) {
    auto env = environment.find(setting.env());
    if (env != environment.end()) {
      raw[std::string(setting.key)] = Raw{env->second, fmt::format("environment {}", env->first)};
    }
  }
  for (auto& [key, value] : flags) {
    auto it = raw.find(key);
    if (it == raw.end()) {
      return Error(sqlstate::kConfigFileError, fmt::format("unknown setting \"{}\"", key));
    }
    std::string flag = key;
    for (auto& s : Settings()) {
      if (s.key == key) flag = std::string(s.flag);
    }
    it->second = Raw{value, fmt::format("flag --{}", flag)};
  }

  Config config;
  auto integer = [&](std::string_view key, int64_t min, int64_t max) {
    return ParseInteger(key, raw.find(key)->second, min, max);
  };
  auto text = [&](std::string_view key) -> const Raw& { return raw.find(key)->second; };

  config.listen = text("server.listen").value;
  if (config.listen.empty()) return BadSetting("server.listen", text("server.listen"), "empty");
  auto port = integer("server.pg_port", 0, 65535);
  if (!port) return std::move(port).error();
  config.pg_port = static_cast<uint16_t>(*port);
  auto http_port = integer("server.http_port", 0, 65535);
  if (!http_port) return std::move(http_port).error();
  config.http_port = static_cast<uint16_t>(*http_port);
  auto workers = integer("server.worker_threads", 1, 1024);
  if (!workers) return std::move(workers).error();
  config.worker_threads = static_cast<int>(*workers);
  auto max_connections = integer("server.max_connections", 1, 100000);
  if (!max_connections) return std::move(max_connections).error();
  config.max_connections = static_cast<int>(*max_connections);
  auto rate_limit = integer("server.rate_limit", 0, 1'000'000);
  if (!rate_limit) return std::move(rate_limit).error();
  config.rate_limit = static_cast<int>(*rate_limit);
  auto rate_burst = integer("server.rate_burst", 1, 1'000'000);
  if (!rate_burst) return std::move(rate_burst).error();
  config.rate_burst = static_cast<int>(*rate_burst);

  config.data_dir = text("storage.data_dir").value;
  if (config.data_dir.empty()) {
    return BadSetting("storage.data_dir", text("storage.data_dir"), "empty");
  }
  config.memory_limit = text("storage.memory_limit").value;
  auto engine_threads = integer("storage.engine_threads", 0, 1024);
  if (!engine_threads) return std::move(engine_threads).error();
  config.engine_threads = static_cast<int>(*engine_threads);

  if (auto ok = OneOf("index.learned_primary_keys", text("index.learned_primary_keys"),
                      {"true", "false"});
      !ok) {
    return std::move(ok).error();
  }
  config.learned_primary_keys = text("index.learned_primary_keys").value == "true";

  if (auto ok = OneOf("log.format", text("log.format"), {"text", "json"}); !ok) {
    return std::move(ok).error();
  }
  config.log_format = text("log.format").value;
  if (auto ok =
          OneOf("log.level", text("log.level"), {"trace", "debug", "info", "warn", "error", "off"});
      !ok) {
    return std::move(ok).error();
  }
  config.log_level = text("log.level").value;
  auto slow = integer("log.slow_statement_ms", 0, int64_t{1} << 40);
  if (!slow) return std::move(slow).error();
  config.slow_statement_ms = *slow;

  auto max_message = integer("pgwire.max_message_bytes", 1024, int64_t{1} << 30);
  if (!max_message) return std::move(max_message).error();
  config.max_message_bytes = static_cast<uint32_t>(*max_message);
  if (auto ok = OneOf("pgwire.result_cache", text("pgwire.result_cache"), {"true", "false"}); !ok) {
    return std::move(ok).error();
  }
  config.pgwire_result_cache = text("pgwire.result_cache").value == "true";
  auto auth_timeout = integer("pgwire.authentication_timeout_ms", 100, 3'600'000);
  if (!auth_timeout) return std::move(auth_timeout).error();
  config.pgwire_authentication_timeout_ms = static_cast<int>(*auth_timeout);
  auto max_body = integer("http.max_body_bytes", 1024, int64_t{1} << 30);
  if (!max_body) return std::move(max_body).error();
  config.http_max_body_bytes = static_cast<uint32_t>(*max_body);
  auto cache_bytes = integer("http.cache_bytes", 0, int64_t{1} << 40);
  if (!cache_bytes) return std::move(cache_bytes).error();
  config.http_cache_bytes = static_cast<uint64_t>(*cache_bytes);
  auto cache_ttl = integer("http.cache_ttl_ms", 1, 86'400'000);
  if (!cache_ttl) return std::move(cache_ttl).error();
  config.http_cache_ttl_ms = static_cast<int>(*cache_ttl);
  auto request_timeout = integer("http.request_timeout_ms", 100, 3'600'000);
  if (!request_timeout) return std::move(request_timeout).error();
  config.http_request_timeout_ms = static_cast<int>(*request_timeout);
  auto max_result = integer("http.max_result_bytes", 0, int64_t{1} << 50);
  if (!max_result) return std::move(max_result).error();
  config.http_max_result_bytes = static_cast<uint64_t>(*max_result);
  for (auto& host : SplitList(text("http.allowed_hosts").value)) {
    if (host != "*" && !IsHostName(host)) {
      return BadSetting("http.allowed_hosts", text("http.allowed_hosts"),
                        fmt::format("\"{}\" is not a host name (no scheme, port or path)", host));
    }
    config.http_allowed_hosts.push_back(Lower(host));
  }
  for (auto& origin : SplitList(text("http.allowed_origins").value)) {
    if (origin.ends_with('/')) origin.pop_back();
    if (!IsOrigin(origin)) {
      return BadSetting("http.allowed_origins", text("http.allowed_origins"),
                        fmt::format("\"{}\" is not an origin: write scheme://host[:port], e.g. "
                                    "https://app.example.com (there is no wildcard)",
                                    origin));
    }
    config.http_allowed_origins.push_back(Lower(origin));
  }
  auto spool = integer("http.export_spool_bytes", 0, int64_t{1} << 50);
  if (!spool) return std::move(spool).error();
  config.http_export_spool_bytes = static_cast<uint64_t>(*spool);

  for (auto key : {"auth.loopback", "auth.remote"}) {
    if (text(key).value == "md5" || text(key).value == "password") {
      return BadSetting(key, text(key),
                        "md5 and plaintext passwords are not offered; use scram-sha-256");
    }
    if (auto ok = OneOf(key, text(key), {"trust", "scram-sha-256", "reject"}); !ok) {
      return std::move(ok).error();
    }
  }
  config.auth_loopback = text("auth.loopback").value;
  config.auth_remote = text("auth.remote").value;
  auto failed_burst = integer("auth.failed_login_burst", 1, 1'000'000);
  if (!failed_burst) return std::move(failed_burst).error();
  config.failed_login_burst = static_cast<int>(*failed_burst);
  if (auto ok = OneOf("tls.mode", text("tls.mode"), {"disable", "allow", "require"}); !ok) {
    return std::move(ok).error();
  }
  config.tls_mode = text("tls.mode").value;
  config.tls_cert_file = text("tls.cert_file").value;
  config.tls_key_file = text("tls.key_file").value;
  if (config.tls_mode != "disable" &&
      (config.tls_cert_file.empty() || config.tls_key_file.empty())) {
    return BadSetting("tls.mode", text("tls.mode"), "needs tls.cert_file and tls.key_file");
  }
  return config;
}

}  // namespace augur
