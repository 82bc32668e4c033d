// statement_privileges.cpp
#include "engine/auth/statement_privileges.h"

#include <fmt/format.h>

#include <algorithm>

#include "duckdb/common/string_util.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/client_data.hpp"
#include "duckdb/main/config.hpp"
#include "duckdb/main/prepared_statement_data.hpp"
#include "duckdb/parser/parsed_data/create_info.hpp"
#include "duckdb/parser/parsed_data/drop_info.hpp"
#include "duckdb/parser/parsed_data/pragma_info.hpp"
#include "duckdb/parser/statement/copy_statement.hpp"
#include "duckdb/parser/statement/create_statement.hpp"
#include "duckdb/parser/statement/drop_statement.hpp"
#include "duckdb/parser/statement/execute_statement.hpp"
#include "duckdb/parser/statement/explain_statement.hpp"
#include "duckdb/parser/statement/multi_statement.hpp"
#include "duckdb/parser/statement/pragma_statement.hpp"
#include "duckdb/parser/statement/prepare_statement.hpp"
#include "duckdb/parser/statement/set_statement.hpp"
#include "engine/pg/pg_settings.h"

namespace augur::engine {

namespace {

using duckdb::StatementType;

StatementNeeds Needs(Privilege privilege, bool may_write, std::string action) {
  return StatementNeeds{privilege, may_write, std::move(action)};
}

// The stricter of two needs (a wrapper needs what everything it wraps needs).
StatementNeeds Stricter(StatementNeeds a, const StatementNeeds& b) {
  if (static_cast<int>(b.privilege) > static_cast<int>(a.privilege)) {
    a.privilege = b.privilege;
    a.action = b.action;
  }
  a.may_write = a.may_write || b.may_write;
  return a;
}

// A DuckDB option that only exists database-wide (memory_limit, threads, ...), or SET GLOBAL.
bool IsEngineWide(duckdb::ClientContext& context, const std::string& name, duckdb::SetScope scope) {
  if (scope == duckdb::SetScope::GLOBAL) return true;
  std::string lower = duckdb::StringUtil::Lower(name);
  if (auto option = duckdb::DBConfig::GetOptionByName(lower)) return option->set_local == nullptr;
  // Extension options (ICU's TimeZone, augur's own) say their scope themselves.
  auto& extension_options = duckdb::DBConfig::GetConfig(context).extension_parameters;
  auto it = extension_options.find(lower);
  if (it == extension_options.end()) it = extension_options.find(name);
  return it != extension_options.end() && it->second.default_scope == duckdb::SetScope::GLOBAL;
}

StatementNeeds SettingNeeds(duckdb::ClientContext& context, const std::string& name,
                            duckdb::SetScope scope) {
  // augur's own PostgreSQL settings (application_name, statement_timeout, custom dotted names)
  // live in the session alone.
  if (!IsEngineSetting(context, name)) return Needs(Privilege::kAnyRole, false, "");
  bool engine_wide = IsEngineWide(context, name, scope);
  bool session_only = SettingPolicyFor(name).set == Privilege::kAnyRole && !engine_wide;
  return Needs(session_only ? Privilege::kAnyRole : Privilege::kSuperuser, false,
               fmt::format("change {}setting \"{}\"", engine_wide ? "engine-wide " : "", name));
}

StatementNeeds CreateNeeds(const duckdb::CreateInfo& info) {
  if (info.type == duckdb::CatalogType::SECRET_ENTRY) {
    return Needs(Privilege::kSuperuser, true, "create secrets");
  }
  return Needs(Privilege::kWriter, true, "write");
}

StatementNeeds DropNeeds(const duckdb::DropInfo& info) {
  switch (info.type) {
    case duckdb::CatalogType::PREPARED_STATEMENT:  // DEALLOCATE: the session's own
      return Needs(Privilege::kAnyRole, false, "");
    case duckdb::CatalogType::SECRET_ENTRY:
      return Needs(Privilege::kSuperuser, true, "drop secrets");
    default:
      return Needs(Privilege::kWriter, true, "write");
  }
}

}  // namespace

bool IsEngineSetting(duckdb::ClientContext& context, const std::string& name) {
  std::string lower = duckdb::StringUtil::Lower(name);
  if (lower == "search_path") return false;  // PostgreSQL's, kept by the session
  if (duckdb::DBConfig::GetOptionByName(lower) != nullptr) return true;
  auto& extension_options = duckdb::DBConfig::GetConfig(context).extension_parameters;
  return extension_options.count(lower) > 0 || extension_options.count(name) > 0 ||
         lower == "timezone" || lower == "calendar" || !PgSettings::Owns(lower);
}

StatementNeeds NeedsOf(duckdb::ClientContext& context, const duckdb::SQLStatement& statement) {
  switch (statement.type) {
    case StatementType::SELECT_STATEMENT:
    case StatementType::TRANSACTION_STATEMENT:
    case StatementType::VARIABLE_SET_STATEMENT:  // SET VARIABLE: the session's own variables
    case StatementType::CALL_STATEMENT:          // table functions: function_guard.h
    case StatementType::EXTENSION_STATEMENT:     // role statements check the role themselves
      return Needs(Privilege::kAnyRole, false, "");
    case StatementType::INSERT_STATEMENT:
    case StatementType::UPDATE_STATEMENT:
    case StatementType::DELETE_STATEMENT:
    case StatementType::MERGE_INTO_STATEMENT:
    case StatementType::ALTER_STATEMENT:
    case StatementType::CREATE_FUNC_STATEMENT:
    case StatementType::ANALYZE_STATEMENT:
    case StatementType::VACUUM_STATEMENT:
      return Needs(Privilege::kWriter, true, "write");
    case StatementType::CREATE_STATEMENT:
      return CreateNeeds(*statement.Cast<duckdb::CreateStatement>().info);
    case StatementType::DROP_STATEMENT:
      return DropNeeds(*statement.Cast<duckdb::DropStatement>().info);
    case StatementType::COPY_STATEMENT:
      // COPY ... TO reads tables (a server file target is the file guard's to refuse).
      if (statement.Cast<duckdb::CopyStatement>().info->is_from) {
        return Needs(Privilege::kWriter, true, "write");
      }
      return Needs(Privilege::kAnyRole, false, "");
    case StatementType::SET_STATEMENT: {
      auto& set = statement.Cast<duckdb::SetStatement>();
      return SettingNeeds(context, set.name, set.scope);
    }
    case StatementType::PRAGMA_STATEMENT: {
      auto& name = statement.Cast<duckdb::PragmaStatement>().info->name;
      if (PragmaPrivilege(name) == Privilege::kAnyRole)
        return Needs(Privilege::kAnyRole, false, "");
      return Needs(Privilege::kSuperuser, false, fmt::format("run PRAGMA {}", name));
    }
    case StatementType::EXPLAIN_STATEMENT: {
      auto& explain = statement.Cast<duckdb::ExplainStatement>();
      auto inner = NeedsOf(context, *explain.stmt);
      // EXPLAIN alone plans the statement, which PostgreSQL also allows only to roles that may
      // run it; only EXPLAIN ANALYZE runs it.
      if (explain.explain_type != duckdb::ExplainType::EXPLAIN_ANALYZE) inner.may_write = false;
      return inner;
    }
    case StatementType::PREPARE_STATEMENT: {
      auto inner = NeedsOf(context, *statement.Cast<duckdb::PrepareStatement>().statement);
      inner.may_write = false;
      return inner;
    }
    case StatementType::EXECUTE_STATEMENT: {
      auto& prepared = duckdb::ClientData::Get(context).prepared_statements;
      auto it = prepared.find(statement.Cast<duckdb::ExecuteStatement>().name);
      if (it == prepared.end() || !it->second || !it->second->unbound_statement) {
        return Needs(Privilege::kAnyRole, false, "");  // DuckDB reports the unknown name
      }
      return NeedsOf(context, *it->second->unbound_statement);
    }
    case StatementType::MULTI_STATEMENT: {
      StatementNeeds needs;
      for (auto& inner : statement.Cast<duckdb::MultiStatement>().statements) {
        needs = Stricter(needs, NeedsOf(context, *inner));
      }
      return needs;
    }
    case StatementType::ATTACH_STATEMENT:
    case StatementType::DETACH_STATEMENT:
      return Needs(Privilege::kSuperuser, true, "attach or detach databases");
    case StatementType::LOAD_STATEMENT:
    case StatementType::UPDATE_EXTENSIONS_STATEMENT:
      return Needs(Privilege::kSuperuser, true, "install or load extensions");
    case StatementType::EXPORT_STATEMENT:
    case StatementType::COPY_DATABASE_STATEMENT:
      return Needs(Privilege::kSuperuser, true, "export or copy databases");
    default:  // plans, relations and whatever a later DuckDB adds
      return Needs(Privilege::kSuperuser, true,
                   fmt::format("run {} statements", duckdb::StatementTypeToString(statement.type)));
  }
}

}  // namespace augur::engine
