// pg_settings.h: PostgreSQL run-time settings that DuckDB does not have, kept per session.
//
// Drivers and pools SET and SHOW these as a matter of course (application_name, extra_float_digits,
// search_path, statement_timeout, DateStyle, ...). PostgreSQL accepts them, echoes them in SHOW
// and current_setting, and reports some back to the client with ParameterStatus; a server that
// errors instead breaks pgjdbc, pgbouncer and most ORMs at connect time.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "augur/result.h"

namespace augur::engine {

class PgSettings {
 public:
  PgSettings();

  // True for a name this layer owns: a PostgreSQL setting DuckDB lacks, or a dotted custom name
  // ("myapp.tenant"), which PostgreSQL also accepts. Case-insensitive.
  static bool Owns(std::string_view name);
  // True for settings PostgreSQL reports to the client with ParameterStatus when they change.
  static bool IsReported(std::string_view name);
  // PostgreSQL's spelling of a setting's name ("DateStyle" for "datestyle").
  static std::string DisplayName(std::string_view name);

  Status Set(std::string_view name, std::string value);
  void Reset(std::string_view name);
  void ResetAll();
  std::optional<std::string> Get(std::string_view name) const;
  // A duration setting (statement_timeout, idle_in_transaction_session_timeout) in PostgreSQL
  // units (ms by default, or us, ms, s, min, h, d); zero when unset or 0.
  std::chrono::milliseconds Duration(std::string_view name) const;
  // Parses a PostgreSQL duration setting; nullopt when the text is not one.
  static std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text);
  // Every setting this layer holds, sorted by name, for SHOW ALL.
  std::vector<std::pair<std::string, std::string>> All() const;

  // Records a reported setting whose value changed (also for settings DuckDB owns, like TimeZone),
  // and hands the pending list to the protocol layer once.
  void NoteReportedChange(std::string_view name, std::string value);
  std::vector<std::pair<std::string, std::string>> TakeReportedChanges();

 private:
  std::map<std::string, std::string> values_;  // lower-case name -> value
  std::vector<std::pair<std::string, std::string>> reported_;
};

}  // namespace augur::engine
