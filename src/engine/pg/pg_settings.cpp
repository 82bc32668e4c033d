// pg_settings.cpp: the defaults are PostgreSQL 15's, as a fresh server reports them.
#include "engine/pg/pg_settings.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace augur::engine {
namespace {

struct Default {
  const char* name;  // PostgreSQL's spelling
  const char* value;
  bool reported;  // sent as ParameterStatus when it changes (GUC_REPORT)
};

constexpr Default kDefaults[] = {
    {"application_name", "", true},
    {"bytea_output", "hex", false},
    {"client_encoding", "UTF8", true},
    {"check_function_bodies", "on", false},  // pg_dump's scripts set these three
    {"client_min_messages", "notice", false},
    {"DateStyle", "ISO, MDY", true},
    {"default_table_access_method", "heap", false},
    {"default_tablespace", "", false},
    {"default_transaction_isolation", "serializable", false},
    {"default_transaction_read_only", "off", true},
    {"extra_float_digits", "1", false},
    {"idle_in_transaction_session_timeout", "0", false},
    {"in_hot_standby", "off", true},
    {"integer_datetimes", "on", true},
    {"IntervalStyle", "postgres", true},
    {"is_superuser", "on", true},
    {"jit", "off", false},
    {"lc_messages", "C", false},
    {"lc_monetary", "C", false},
    {"lc_numeric", "C", false},
    {"lc_time", "C", false},
    {"lock_timeout", "0", false},
    {"max_identifier_length", "63", false},
    {"password_encryption", "scram-sha-256", false},  // psql's \password reads it
    {"row_security", "on", false},
    {"search_path", "\"$user\", public", false},
    {"server_encoding", "UTF8", true},
    {"server_version", "15.0", true},
    {"server_version_num", "150000", false},
    {"session_authorization", "augur", true},
    {"standard_conforming_strings", "on", true},
    {"statement_timeout", "0", false},
    {"synchronize_seqscans", "on", false},  // pg_dump turns it off
    {"synchronous_commit", "on", false},
    {"transaction_isolation", "serializable", false},
    {"transaction_read_only", "off", false},
    {"xmloption", "content", false},
};

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

const Default* Find(std::string_view name) {
  std::string lower = Lower(name);
  for (const Default& d : kDefaults) {
    if (Lower(d.name) == lower) return &d;
  }
  return nullptr;
}

}  // namespace

PgSettings::PgSettings() { ResetAll(); }

bool PgSettings::Owns(std::string_view name) {
  return Find(name) != nullptr || name.find('.') != std::string_view::npos;
}

bool PgSettings::IsReported(std::string_view name) {
  const Default* d = Find(name);
  return (d && d->reported) || Lower(name) == "timezone";
}

std::string PgSettings::DisplayName(std::string_view name) {
  if (Lower(name) == "timezone") return "TimeZone";
  const Default* d = Find(name);
  return d ? d->name : Lower(name);
}

Status PgSettings::Set(std::string_view name, std::string value) {
  static constexpr std::string_view kReadOnly[] = {
      "server_version",        "server_version_num", "server_encoding",    "integer_datetimes",
      "max_identifier_length", "in_hot_standby",     "password_encryption"};
  std::string lower = Lower(name);
  for (auto ro : kReadOnly) {
    if (lower == ro) {
      return Error("55P02", fmt::format("parameter \"{}\" cannot be changed", name));
    }
  }
  if (lower == "client_encoding" && Lower(value) != "utf8" && Lower(value) != "utf-8" &&
      Lower(value) != "unicode") {
    return Error(sqlstate::kFeatureNotSupported,
                 fmt::format("client_encoding \"{}\" is not supported; augur speaks UTF8", value));
  }
  if (lower == "client_encoding") value = "UTF8";
  // "ISO" alone is "ISO, MDY" (pgjdbc sends DateStyle=ISO at startup); German implies DMY.
  if (lower == "datestyle" && value.find(',') == std::string::npos) {
    std::string style = Lower(value);
    if (style == "iso" || style == "postgres" || style == "sql" || style == "german") {
      value =
          fmt::format("{}, {}", style == "iso" ? "ISO" : value, style == "german" ? "DMY" : "MDY");
    }
  }
  if ((lower == "statement_timeout" || lower == "lock_timeout" ||
       lower == "idle_in_transaction_session_timeout") &&
      !ParseDuration(value)) {
    return Error(sqlstate::kInvalidParameterValue,
                 fmt::format("invalid value for parameter \"{}\": \"{}\"", name, value));
  }
  bool changed = values_[lower] != value;
  values_[lower] = value;
  if (changed && IsReported(lower)) NoteReportedChange(lower, value);
  return {};
}

void PgSettings::Reset(std::string_view name) {
  std::string lower = Lower(name);
  const Default* d = Find(lower);
  if (!d) {
    values_.erase(lower);
    return;
  }
  if (values_[lower] != d->value && d->reported) NoteReportedChange(lower, d->value);
  values_[lower] = d->value;
}

void PgSettings::ResetAll() {
  std::map<std::string, std::string> fresh;
  for (const Default& d : kDefaults) fresh[Lower(d.name)] = d.value;
  for (auto& [name, value] : fresh) {
    auto it = values_.find(name);
    if (it != values_.end() && it->second != value && IsReported(name)) {
      NoteReportedChange(name, value);
    }
  }
  values_ = std::move(fresh);
}

std::optional<std::string> PgSettings::Get(std::string_view name) const {
  auto it = values_.find(Lower(name));
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::chrono::milliseconds> PgSettings::ParseDuration(std::string_view text) {
  std::string t;
  for (char c : text) {
    if (c != ' ') t.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  size_t digits = 0;
  while (digits < t.size() &&
         (std::isdigit(static_cast<unsigned char>(t[digits])) || t[digits] == '.')) {
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  double value = 0;
  try {
    value = std::stod(t.substr(0, digits));
  } catch (...) {
    return std::nullopt;
  }
  std::string unit = t.substr(digits);
  double ms_per_unit = 0;
  if (unit.empty() || unit == "ms") {
    ms_per_unit = 1;
  } else if (unit == "us") {
    ms_per_unit = 0.001;
  } else if (unit == "s") {
    ms_per_unit = 1000;
  } else if (unit == "min") {
    ms_per_unit = 60000;
  } else if (unit == "h") {
    ms_per_unit = 3600000;
  } else if (unit == "d") {
    ms_per_unit = 86400000;
  } else {
    return std::nullopt;
  }
  // PostgreSQL's range for these settings (0 .. INT_MAX ms). Beyond it the conversion to an
  // integer would be undefined ("99999999999999999999d" is 8.6e27 ms).
  double ms = value * ms_per_unit;
  if (!(ms <= static_cast<double>(std::numeric_limits<int32_t>::max()))) return std::nullopt;
  return std::chrono::milliseconds(static_cast<int64_t>(ms));
}

std::chrono::milliseconds PgSettings::Duration(std::string_view name) const {
  auto text = Get(name);
  if (!text) return std::chrono::milliseconds(0);
  return ParseDuration(*text).value_or(std::chrono::milliseconds(0));
}

std::vector<std::pair<std::string, std::string>> PgSettings::All() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& [name, value] : values_) out.emplace_back(DisplayName(name), value);
  return out;
}

void PgSettings::NoteReportedChange(std::string_view name, std::string value) {
  reported_.emplace_back(DisplayName(name), std::move(value));
}

std::vector<std::pair<std::string, std::string>> PgSettings::TakeReportedChanges() {
  return std::exchange(reported_, {});
}

}  // namespace augur::engine
