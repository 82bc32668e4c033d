// role_parse.cpp: the text side of CREATE/ALTER/DROP ROLE and GRANT/REVOKE (role_statements.h).
// Kept apart from the DuckDB parser extension in role_statements.cpp so that it builds without
// DuckDB: the SQL fuzz target (tests/fuzz) links it with the lexer alone.
#include <fmt/format.h>

#include "engine/auth/role_statements.h"
#include "engine/pg/sql_lexer.h"
#include "engine/pg/sql_tokens.h"

namespace augur::engine {

namespace {
// Predefined roles a role may be made a member of (PostgreSQL's names).
constexpr std::string_view kWriteAll = "pg_write_all_data";
constexpr std::string_view kReadAll = "pg_read_all_data";

Error Syntax(std::string message) { return Error(sqlstate::kSyntaxError, std::move(message)); }

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
  auto name = token ? IdentifierName(*token) : std::nullopt;
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
      auto value = token ? StringConstantValue(*token) : std::nullopt;
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

}  // namespace augur::engine
