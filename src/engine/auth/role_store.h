// role_store.h: the server's roles (PostgreSQL's pg_authid), kept in the data directory.
//
// Roles live in DATA/augur_roles.json (mode 0600), rewritten whole and renamed into place on
// every change, so a crash leaves the old or the new file, never half of one. Passwords are kept
// only as SCRAM-SHA-256 verifiers. The file is outside DuckDB's transactions: a role change takes
// effect when its statement runs, and a ROLLBACK does not undo it.
//
// Privileges are deliberately coarse (docs/SECURITY.md): every login role may read every table;
// writing (DML and DDL) needs SUPERUSER or membership in pg_write_all_data; server files, ATTACH,
// INSTALL/LOAD, engine-wide settings and role management need SUPERUSER.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "augur/engine.h"
#include "augur/result.h"

namespace augur::engine {

using augur::kBootstrapRole;

// An HTTP API token: "augur_<id>_<secret>"; only the SHA-256 of the secret is kept.
struct ApiToken {
  std::string id;           // 12 hex digits, shown in listings
  std::string role;         // requests with the token run as this role
  std::string secret_hash;  // hex SHA-256 of the secret
};

struct Role {
  std::string name;
  bool superuser = false;
  bool login = false;
  bool can_write = false;  // member of pg_write_all_data
  std::string verifier;    // SCRAM-SHA-256 verifier text; empty: no password (no SCRAM login)

  bool may_write() const { return superuser || can_write; }
};

class RoleStore {
 public:
  // Loads `path`, or starts with the bootstrap superuser when it does not exist yet. An empty
  // path keeps roles in memory only (an in-memory database).
  static Result<std::unique_ptr<RoleStore>> Open(std::string path);

  std::optional<Role> Find(std::string_view name) const;
  std::vector<Role> All() const;
  // 42710 when the name is taken.
  Status Create(Role role);
  // Replaces the role of the same name; 42704 when there is none.
  Status Update(const Role& role);
  // 42704 when there is none (unless if_exists); 42501 for the bootstrap superuser. The role's
  // API tokens go with it.
  Status Drop(std::string_view name, bool if_exists);

  // A new token for `role` (which must exist); the returned text is the only copy of the secret.
  Result<std::string> CreateToken(const std::string& role);
  // False when there is no token `id`.
  Result<bool> DropToken(std::string_view id);
  std::vector<ApiToken> Tokens() const;
  // The role a presented token runs as; nullopt for an unknown or malformed token.
  std::optional<std::string> RoleForToken(std::string_view token) const;

 private:
  explicit RoleStore(std::string path) : path_(std::move(path)) {}
  Status SaveLocked() const;

  const std::string path_;
  mutable std::shared_mutex mu_;
  std::map<std::string, Role, std::less<>> roles_;
  std::map<std::string, ApiToken, std::less<>> tokens_;  // by id
};

}  // namespace augur::engine
