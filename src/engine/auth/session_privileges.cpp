// session_privileges.cpp: whether the session's role may run a statement, by the statement's
// privilege class (statement_privileges.h). Checked at every execution, not when the statement
// was prepared: the role may have lost a privilege since, or the session may have SET ROLE.
#include <fmt/format.h>

#include "engine/session/session_impl.h"

namespace augur::engine {

Status SessionImpl::CheckPrivileges(const duckdb::SQLStatement& statement) {
  return CheckPrivileges(NeedsOf(*connection_.context, statement), ShowTarget(statement.query));
}

Status SessionImpl::CheckPrivileges(const StatementNeeds& needs, const std::string& shown) {
  auto role = role_->Current();
  if (!role) {
    return Error(sqlstate::kInvalidAuthorization,
                 fmt::format("role \"{}\" does not exist", role_->name()));
  }
  if (role->superuser) return {};
  // SHOW of a setting whose value is a server path or a credential.
  if (!shown.empty() && IsEngineSetting(*connection_.context, shown) &&
      !SettingPolicyFor(shown).visible) {
    return Error(sqlstate::kInsufficientPrivilege,
                 fmt::format("permission denied to read setting \"{}\": role \"{}\" is not a "
                             "superuser",
                             shown, role->name));
  }
  if (role_->Has(needs.privilege)) return {};
  if (needs.privilege == Privilege::kWriter) {
    return Error(sqlstate::kInsufficientPrivilege,
                 fmt::format("permission denied: role \"{}\" may read but not write", role->name))
        .WithHint(fmt::format("a superuser can run GRANT pg_write_all_data TO {}", role->name));
  }
  return Error(sqlstate::kInsufficientPrivilege,
               fmt::format("permission denied to {}: role \"{}\" is not a superuser", needs.action,
                           role->name));
}

}  // namespace augur::engine
