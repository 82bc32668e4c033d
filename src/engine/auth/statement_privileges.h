// statement_privileges.h: what a parsed statement needs before it may run.
//
// An allowlist by statement kind: reads, transaction control, the session settings of
// privilege_catalog.h and the catalog pragmas are open to every role; changes to data and schema
// need a writer; everything else (ATTACH, LOAD, EXPORT, secrets, engine-wide settings, kinds a
// future DuckDB adds) needs a superuser. A statement that wraps others (EXPLAIN [ANALYZE],
// PREPARE, EXECUTE, a multi-statement) needs what the wrapped ones need, so wrapping hides
// nothing. Table functions are checked where DuckDB binds them (function_guard.h), and writes
// that hide inside expressions by DuckDB's read-only transactions (session_role.h).
#pragma once

#include <string>

#include "engine/auth/privilege_catalog.h"

namespace duckdb {
class ClientContext;
class SQLStatement;
}  // namespace duckdb

namespace augur::engine {

struct StatementNeeds {
  Privilege privilege = Privilege::kAnyRole;
  // Whether running it may change data or schema, so that it takes the writer turn
  // (writer_lock.h). EXPLAIN without ANALYZE and PREPARE need a writer's privilege for a write
  // but do not write.
  bool may_write = false;
  // What is refused, for the error message: "write", "change setting \"threads\"", ...
  std::string action;
};

StatementNeeds NeedsOf(duckdb::ClientContext& context, const duckdb::SQLStatement& statement);

// Whether `name` is a setting DuckDB (or an extension, or augur) registered in the engine, as
// opposed to one of augur's PostgreSQL session settings or an unknown name.
bool IsEngineSetting(duckdb::ClientContext& context, const std::string& name);

}  // namespace augur::engine
