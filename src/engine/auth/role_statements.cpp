// role_statements.cpp
#include "engine/auth/role_statements.h"

#include <fmt/format.h>

#include "common/scram.h"
#include "duckdb/function/table_function.hpp"
#include "duckdb/main/config.hpp"
#include "duckdb/parser/parser_extension.hpp"
#include "duckdb/parser/statement/extension_statement.hpp"
#include "engine/auth/session_role.h"
#include "engine/error_translate.h"
#include "engine/sql_lexer.h"

namespace augur::engine {

namespace {

// Predefined roles a role may be made a member of (PostgreSQL's names).
constexpr std::string_view kWriteAll = "pg_write_all_data";
constexpr std::string_view kReadAll = "pg_read_all_data";

Error Syntax(std::string message) { return Error(sqlstate::kSyntaxError, std::move(message)); }

// An identifier token as PostgreSQL folds it: unquoted lower-cased, quoted kept.
std::optional<std::string> Identifier(const Token& token) {
  if (token.kind == Token::kWord) {
    std::string out(token.text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  }
  if (token.kind == Token::kQuotedIdent && token.text.size() >= 2) {
    std::string out;
    auto inner = token.text.substr(1, token.text.size() - 2);
    for (size_t i = 0; i < inner.size(); ++i) {
      out.push_back(inner[i]);
      if (inner[i] == '"') ++i;  // "" is one quote
    }
    return out;
  }
  return std::nullopt;
}

// A '...' string literal's value.
std::optional<std::string> StringValue(const Token& token) {
  if (token.kind != Token::kString || token.text.size() < 2 || token.text[0] != '\'') {
    return std::nullopt;
  }
  std::string out;
  auto inner = token.text.substr(1, token.text.size() - 2);
  for (size_t i = 0; i < inner.size(); ++i) {
    out.push_back(inner[i]);
    if (inner[i] == '\'') ++i;
  }
  return out;
}

class Tokens {
 public:
  explicit Tokens(const std::vector<Token>& t) : t_(t) {}
  bool Done() const { return i_ >= t_.size(); }
  bool Accept(std::string_view keyword) {
    if (i_ < t_.size() && t_[i_].kind == Token::kWord && t_[i_].upper == keyword) {
      ++i_;
      return true;
    }
    return false;
  }
  bool AcceptComma() {
    if (i_ < t_.size() && t_[i_].kind == Token::kPunct && t_[i_].text == ",") {
      ++i_;
      return true;
    }
    return false;
  }
  const Token* Next() { return i_ < t_.size() ? &t_[i_++] : nullptr; }
  std::string_view Peek() const { return i_ < t_.size() ? t_[i_].text : "end of input"; }

 private:
  const std::vector<Token>& t_;
  size_t i_ = 0;
};

Result<std::string> Name(Tokens& tokens) {
  const Token* token = tokens.Next();
  auto name = token ? Identifier(*token) : std::nullopt;
  if (!name) return Syntax("expected a role name");
  return *name;
}

Result<std::vector<std::string>> NameList(Tokens& tokens) {
  std::vector<std::string> names;
  do {
    auto name = Name(tokens);
    if (!name) return std::move(name).error();
    names.push_back(std::move(*name));
  } while (tokens.AcceptComma());
  return names;
}

Status Options(Tokens& tokens, RoleCommand& command) {
  tokens.Accept("WITH");
  while (!tokens.Done()) {
    if (tokens.Accept("SUPERUSER")) {
      command.superuser = true;
    } else if (tokens.Accept("NOSUPERUSER")) {
      command.superuser = false;
    } else if (tokens.Accept("LOGIN")) {
      command.login = true;
    } else if (tokens.Accept("NOLOGIN")) {
      command.login = false;
    } else if (tokens.Accept("INHERIT") || tokens.Accept("NOINHERIT")) {
      // Membership in the predefined roles is always inherited here.
    } else if (tokens.Accept("ENCRYPTED") || tokens.Accept("PASSWORD")) {
      tokens.Accept("PASSWORD");  // after ENCRYPTED
      if (tokens.Accept("NULL")) {
        command.password = "";
        continue;
      }
      const Token* token = tokens.Next();
      auto value = token ? StringValue(*token) : std::nullopt;
      if (!value) return Syntax("PASSWORD needs a string literal or NULL");
      if (value->empty()) return Error("22023", "empty password: use PASSWORD NULL for none");
      command.password = std::move(*value);
    } else if (tokens.Accept("IN")) {
      if (!tokens.Accept("ROLE") && !tokens.Accept("GROUP")) return Syntax("expected IN ROLE");
      auto roles = NameList(tokens);
      if (!roles) return std::move(roles).error();
      for (auto& role : *roles) {
        if (role == kWriteAll) {
          command.can_write = true;
        } else if (role != kReadAll) {
          return Error(sqlstate::kFeatureNotSupported,
                       fmt::format("IN ROLE {}: only pg_read_all_data and pg_write_all_data are "
                                   "supported",
                                   role));
        }
      }
    } else {
      return Error(sqlstate::kFeatureNotSupported,
                   fmt::format("role option \"{}\" is not supported", tokens.Peek()))
          .WithHint(
              "supported: SUPERUSER, NOSUPERUSER, LOGIN, NOLOGIN, PASSWORD, IN ROLE "
              "pg_write_all_data");
    }
  }
  return {};
}

// --- the DuckDB side: parser extension and table function ---

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

Result<std::optional<RoleCommand>> ParseRoleCommand(std::string_view sql) {
  auto statements = Lex(sql);
  if (statements.size() != 1) return std::optional<RoleCommand>();
  Tokens tokens(statements[0].tokens);
  RoleCommand command;
  if (tokens.Accept("CREATE") || tokens.Accept("ALTER")) {
    bool create = statements[0].tokens[0].upper == "CREATE";
    command.user = tokens.Accept("USER");
    if (!command.user && !tokens.Accept("ROLE")) return std::optional<RoleCommand>();
    command.verb = create ? RoleCommand::Verb::kCreate : RoleCommand::Verb::kAlter;
    command.tag = create ? "CREATE ROLE" : "ALTER ROLE";
    auto name = Name(tokens);
    if (!name) return std::move(name).error();
    command.names.push_back(std::move(*name));
    if (auto ok = Options(tokens, command); !ok) return std::move(ok).error();
    return std::optional<RoleCommand>(std::move(command));
  }
  if (tokens.Accept("DROP")) {
    if (!tokens.Accept("ROLE") && !tokens.Accept("USER")) return std::optional<RoleCommand>();
    command.verb = RoleCommand::Verb::kDrop;
    command.tag = "DROP ROLE";
    if (tokens.Accept("IF")) {
      if (!tokens.Accept("EXISTS")) return Syntax("expected IF EXISTS");
      command.if_exists = true;
    }
    auto names = NameList(tokens);
    if (!names) return std::move(names).error();
    if (!tokens.Done()) return Syntax(fmt::format("unexpected \"{}\"", tokens.Peek()));
    command.names = std::move(*names);
    return std::optional<RoleCommand>(std::move(command));
  }
  bool grant = tokens.Accept("GRANT");
  if (grant || tokens.Accept("REVOKE")) {
    // Only role membership is ours; GRANT SELECT ON ... and friends stay DuckDB's (an error).
    auto granted = Name(tokens);
    if (!granted || (*granted != kWriteAll && *granted != kReadAll)) {
      return std::optional<RoleCommand>();
    }
    if (!tokens.Accept(grant ? "TO" : "FROM")) {
      return Syntax(grant ? "expected GRANT role TO name" : "expected REVOKE role FROM name");
    }
    auto names = NameList(tokens);
    if (!names) return std::move(names).error();
    if (!tokens.Done()) return Syntax(fmt::format("unexpected \"{}\"", tokens.Peek()));
    command.verb = grant ? RoleCommand::Verb::kGrant : RoleCommand::Verb::kRevoke;
    command.tag = grant ? "GRANT ROLE" : "REVOKE ROLE";
    command.names = std::move(*names);
    // Reading is every role's right; only pg_write_all_data changes anything.
    if (*granted == kWriteAll) command.can_write = grant;
    return std::optional<RoleCommand>(std::move(command));
  }
  return std::optional<RoleCommand>();
}

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
