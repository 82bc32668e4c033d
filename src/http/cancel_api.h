// cancel_api.h: POST /api/cancel {"query_id": "..."}: interrupts a statement of the REST API that
// was started with that query_id (/api/query or /api/script), as pg_cancel_backend does for a
// PostgreSQL backend. It fails with 57014 where it runs.
//
// 200 {"cancelled": true}; 200 {"cancelled": false} when no statement with that id is running
// (finished already, or never started: PostgreSQL's false with a warning); 403 (42501) when it
// belongs to another role and the caller is not a superuser. The server answers it on its I/O
// thread, not its worker pool, so that a pool busy with long statements cannot hold it up.
#pragma once

#include <string>

#include "augur/engine.h"
#include "http/routes.h"
#include "http/running_queries.h"

namespace augur::http {

Response HandleCancel(RunningQueries& running, Database& database, const Request& request,
                      const std::string& role);

}  // namespace augur::http
