// auth_functions.h: SQL functions over roles and API tokens.
//
//   current_user, session_user            the session's role (DuckDB's say "duckdb")
//   augur_create_api_token(role) -> text  a new HTTP API token for `role`, shown once
//   augur_drop_api_token(id) -> boolean   revokes a token by its id
//   augur_api_tokens()                    table: id, role (never the secret)
// Creating, dropping and listing tokens needs a superuser.
#pragma once

#include "augur/result.h"

namespace duckdb {
class Connection;
}

namespace augur::engine {

Status InstallAuthFunctions(duckdb::Connection& connection);

}  // namespace augur::engine
