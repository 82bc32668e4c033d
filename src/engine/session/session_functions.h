// session_functions.h: PostgreSQL functions that need augur's session state.
#pragma once

#include "augur/result.h"
#include "engine/session/session_registry.h"

namespace duckdb {
class Connection;
}

namespace augur::engine {

// Registers pg_backend_pid(), pg_cancel_backend(pid), set_config(name, value, is_local), a
// current_setting(name) that also knows PostgreSQL-only settings, augur_stat_activity(), and
// with them the cursor (sql_cursors.h) and lock functions (lock_functions.h), which also find
// their session through `registry`. `registry` must outlive the database.
Status InstallSessionFunctions(duckdb::Connection& connection, SessionRegistry& registry);

}  // namespace augur::engine
