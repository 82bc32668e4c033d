// lock_functions.h: the SQL face of advisory locks and notifications: pg_advisory_lock and its
// family, pg_notify(), pg_listening_channels() and augur_locks() (which pg_catalog.pg_locks
// reads). They find the calling session through the SessionRegistry, which owns the lock table
// and the notification hub.
#pragma once

#include "engine/session/session_registry.h"

namespace augur::engine {

// Registers the functions, inside InstallSessionFunctions' transaction (session_functions.h),
// like the other functions that find their session through `registry`.
void RegisterLockFunctions(duckdb::ClientContext& context, SessionRegistry& registry);

}  // namespace augur::engine
