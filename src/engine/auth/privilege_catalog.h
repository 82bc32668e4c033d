// privilege_catalog.h: which role may use each of DuckDB's settings, table functions and pragmas.
//
// DuckDB's surface is large and grows with every release (133 settings, 120 table functions and
// 45 pragmas in 1.4.4, some of which write files, switch on engine-wide logging or take raw
// pointers). A denylist of the dangerous ones would silently let the next release's additions
// through, so this is an allowlist: every name is classified here, and a name that is not is
// treated as superuser-only. privilege_catalog_test enumerates duckdb_settings() and
// duckdb_functions() and fails when a name appears that this file does not classify.
#pragma once

#include <string_view>
#include <vector>

namespace augur::engine {

// Who may use a function or change a setting.
enum class Privilege {
  kAnyRole,    // every login role
  kWriter,     // roles that may write (superusers and members of pg_write_all_data)
  kSuperuser,  // superusers only
};

struct SettingPolicy {
  // Who may SET it for the session. kAnyRole only for settings that change nothing but the
  // session's own answers (time zone, search path, NULL order); engine-wide settings and anything
  // that touches files, memory or logging are kSuperuser.
  Privilege set = Privilege::kSuperuser;
  // False for settings whose values are server paths or credentials: non-superusers see NULL in
  // duckdb_settings() and are refused by SHOW and current_setting().
  bool visible = false;
};

// The policy for DuckDB's (or augur's) setting `name` (case-insensitive); unclassified settings
// are superuser-only and hidden.
SettingPolicy SettingPolicyFor(std::string_view name);
// Who may call table function `name`, or run PRAGMA `name`; unclassified: kSuperuser.
Privilege TableFunctionPrivilege(std::string_view name);
Privilege PragmaPrivilege(std::string_view name);

// For privilege_catalog_test: whether `name` is in the tables at all.
bool IsClassifiedSetting(std::string_view name);
bool IsClassifiedTableFunction(std::string_view name);
bool IsClassifiedPragma(std::string_view name);
// Scalar functions that are not CONSISTENT (they may have effects): each is listed with the reason
// it is harmless for any role or, for nextval, that DuckDB counts it as a write (which a read-only
// role's read-only transaction refuses).
bool IsClassifiedVolatileScalar(std::string_view name);

}  // namespace augur::engine
