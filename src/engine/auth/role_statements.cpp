// role_statements.cpp: role statements run through DuckDB (a parser extension and a table
// function); the text is parsed by role_parse.cpp.
#include "engine/auth/role_statements.h"

#include <fmt/format.h>

#include "common/scram.h"
#include "duckdb/function/table_function.hpp"
#include "duckdb/main/config.hpp"
#include "duckdb/parser/parser_extension.hpp"
#include "duckdb/parser/statement/extension_statement.hpp"
#include "engine/auth/session_role.h"
#include "engine/pg/error_translate.h"

namespace augur::engine {

namespace {

// The DuckDB side: parser extension and table function. The parsing itself is in role_parse.cpp.

struct RoleParseData final : duckdb::ParserExtensionParseData {
  RoleParseData(std::string sql, std::string tag) : sql(std::move(sql)), tag(std::move(tag)) {}
  duckdb::unique_ptr<duckdb::ParserExtensionParseData> Copy() const override {
    return duckdb::make_uniq<RoleParseData>(sql, tag);
  }
  std::string ToString() const override { return sql; }
  std::string sql;
  std::string tag;
};

duckdb::ParserExtensionParseResult ParseRoleStatement(duckdb::ParserExtensionInfo*,
                                                      const std::string& query) {
  auto command = ParseRoleCommand(query);
  if (!command) return duckdb::ParserExtensionParseResult(command.error().message);
  if (!*command) return duckdb::ParserExtensionParseResult();  // not ours: DuckDB's error
  return duckdb::ParserExtensionParseResult(
      duckdb::make_uniq<RoleParseData>(query, (*command)->tag));
}

struct RoleBindData final : duckdb::TableFunctionData {
  std::string sql;
};

struct RoleRunState final : duckdb::GlobalTableFunctionState {
  bool done = false;
};

duckdb::unique_ptr<duckdb::FunctionData> BindRoleCommand(duckdb::ClientContext&,
                                                         duckdb::TableFunctionBindInput& input,
                                                         duckdb::vector<duckdb::LogicalType>& types,
                                                         duckdb::vector<std::string>& names) {
  auto data = duckdb::make_uniq<RoleBindData>();
  data->sql = input.inputs[0].GetValue<std::string>();
  types.push_back(duckdb::LogicalType::BOOLEAN);
  names.push_back("success");
  return data;
}

duckdb::unique_ptr<duckdb::GlobalTableFunctionState> InitRoleCommand(
    duckdb::ClientContext&, duckdb::TableFunctionInitInput&) {
  return duckdb::make_uniq<RoleRunState>();
}

void RunRoleCommand(duckdb::ClientContext& context, duckdb::TableFunctionInput& input,
                    duckdb::DataChunk& output) {
  output.SetCardinality(0);
  auto& state = input.global_state->Cast<RoleRunState>();
  if (state.done) return;
  state.done = true;
  auto* session = SessionRole::Of(context);
  if (!session) throw duckdb::PermissionException("role statements need a client session");
  auto actor = session->Current();
  auto command = ParseRoleCommand(input.bind_data->Cast<RoleBindData>().sql);
  if (!command || !*command) throw duckdb::ParserException("not a role statement");
  Status applied = actor ? ApplyRoleCommand(**command, *actor, session->store())
                         : Status(Error("42501", "the session's role no longer exists"));
  if (!applied) ThrowError(applied.error());
}

duckdb::ParserExtensionPlanResult PlanRoleStatement(
    duckdb::ParserExtensionInfo*, duckdb::ClientContext&,
    duckdb::unique_ptr<duckdb::ParserExtensionParseData> parse_data) {
  duckdb::ParserExtensionPlanResult plan;
  plan.function = duckdb::TableFunction("augur_role_command", {duckdb::LogicalType::VARCHAR},
                                        RunRoleCommand, BindRoleCommand, InitRoleCommand);
  plan.parameters.push_back(duckdb::Value(static_cast<RoleParseData&>(*parse_data).sql));
  plan.requires_valid_transaction = true;
  plan.return_type = duckdb::StatementReturnType::NOTHING;
  return plan;
}

}  // namespace

Status ApplyRoleCommand(const RoleCommand& command, const Role& actor, RoleStore& store) {
  if (!actor.superuser) {
    return Error("42501", fmt::format("permission denied to {}: role \"{}\" is not a superuser",
                                      command.tag == "GRANT ROLE" || command.tag == "REVOKE ROLE"
                                          ? "grant or revoke roles"
                                          : "create, alter or drop roles",
                                      actor.name));
  }
  auto apply_options = [&](Role& role) {
    if (command.superuser) role.superuser = *command.superuser;
    if (command.login) role.login = *command.login;
    if (command.can_write) role.can_write = *command.can_write;
    if (command.password) {
      auto verifier = scram::ParseVerifier(*command.password);
      role.verifier = command.password->empty() ? ""
                      : verifier                ? verifier->Text()
                                                : scram::MakeVerifier(*command.password).Text();
    }
  };
  switch (command.verb) {
    case RoleCommand::Verb::kCreate: {
      Role role;
      role.name = command.names[0];
      role.login = command.user;
      apply_options(role);
      return store.Create(std::move(role));
    }
    case RoleCommand::Verb::kAlter: {
      auto role = store.Find(command.names[0]);
      if (!role) {
        return Error("42704", fmt::format("role \"{}\" does not exist", command.names[0]));
      }
      if (role->name == kBootstrapRole && command.superuser == false) {
        return Error("42501", "the bootstrap superuser must stay a superuser");
      }
      apply_options(*role);
      return store.Update(*role);
    }
    case RoleCommand::Verb::kDrop:
      for (auto& name : command.names) {
        if (name == actor.name) return Error("55006", "current user cannot be dropped");
        if (auto dropped = store.Drop(name, command.if_exists); !dropped) return dropped;
      }
      return {};
    case RoleCommand::Verb::kGrant:
    case RoleCommand::Verb::kRevoke:
      for (auto& name : command.names) {
        auto role = store.Find(name);
        if (!role) return Error("42704", fmt::format("role \"{}\" does not exist", name));
        apply_options(*role);
        if (auto updated = store.Update(*role); !updated) return updated;
      }
      return {};
  }
  return {};
}

void RegisterRoleStatements(duckdb::DBConfig& config) {
  duckdb::ParserExtension extension;
  extension.parse_function = ParseRoleStatement;
  extension.plan_function = PlanRoleStatement;
  config.parser_extensions.push_back(extension);
}

std::optional<std::string> RoleCommandTag(const duckdb::SQLStatement& statement) {
  if (statement.type != duckdb::StatementType::EXTENSION_STATEMENT) return std::nullopt;
  auto* data = dynamic_cast<const RoleParseData*>(
      statement.Cast<duckdb::ExtensionStatement>().parse_data.get());
  if (!data) return std::nullopt;
  return data->tag;
}

}  // namespace augur::engine
