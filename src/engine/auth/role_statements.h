// role_statements.h: CREATE/ALTER/DROP ROLE (or USER) and GRANT/REVOKE of the predefined roles,
// as a DuckDB parser extension: DuckDB's grammar has no role statements, so the text it rejects
// comes here, and runs as a table function against the RoleStore.
//
// Supported, as in PostgreSQL 15:
//   CREATE ROLE|USER name [[WITH] option ...]     (USER implies LOGIN)
//   ALTER ROLE|USER name [WITH] option ...
//   DROP ROLE|USER [IF EXISTS] name [, ...]
//   GRANT pg_write_all_data TO name [, ...]       REVOKE pg_write_all_data FROM name [, ...]
// options: SUPERUSER | NOSUPERUSER | LOGIN | NOLOGIN | [ENCRYPTED] PASSWORD 'pw' | PASSWORD NULL |
//          IN ROLE pg_write_all_data | IN ROLE pg_read_all_data | INHERIT | NOINHERIT
// A password may be given as a SCRAM-SHA-256 verifier (what psql's \password sends); anything
// else is hashed into one. Only superusers run these statements.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "augur/result.h"
#include "engine/auth/role_store.h"

namespace duckdb {
class DBConfig;
class SQLStatement;
}  // namespace duckdb

namespace augur::engine {

struct RoleCommand {
  enum class Verb { kCreate, kAlter, kDrop, kGrant, kRevoke } verb;
  std::vector<std::string> names;
  bool if_exists = false;  // DROP
  bool user = false;       // CREATE USER: LOGIN unless NOLOGIN
  std::optional<bool> superuser, login, can_write;
  std::optional<std::string> password;  // "" with PASSWORD NULL
  std::string tag;  // PostgreSQL's command tag: "CREATE ROLE", "GRANT ROLE", ...
};

// nullopt when `sql` (one statement) is not a role statement; an error (42601) when it is one
// with bad syntax or an unsupported option.
Result<std::optional<RoleCommand>> ParseRoleCommand(std::string_view sql);

// Runs `command` for `actor` (who must be a superuser) against `store`.
Status ApplyRoleCommand(const RoleCommand& command, const Role& actor, RoleStore& store);

// Registers the parser extension. Call on the DBConfig before the database opens.
void RegisterRoleStatements(duckdb::DBConfig& config);

// The command tag of a parsed role statement; nullopt for any other statement.
std::optional<std::string> RoleCommandTag(const duckdb::SQLStatement& statement);

}  // namespace augur::engine
