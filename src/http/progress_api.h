// progress_api.h: GET /api/progress?query_id=...: how far a statement of the REST API that was
// started with that query_id (/api/query, /api/script, /api/backup) has got: the figures of its
// session's row in pg_stat_activity (DuckDB's estimate), with the time it has run and an
// estimate of the time left. The console draws its progress bar from it; `augur backup` too.
//
// 200 {"running": false} when no statement with that id is running (finished, or never
// started); 200 {"running": true, "statement": 2, "statements": 3, "elapsed_ms": ...,
// "progress": 0..100 | null, "rows_processed": n | null, "rows_total": n | null,
// "remaining_ms": ms | null, "waiting": "transactionid"?} while it runs (null: DuckDB cannot
// estimate it, e.g. over range(); see docs/API.md); 403 (42501) when it belongs to another role
// and the caller is not a superuser, as for POST /api/cancel; 400 (22023) for a missing or
// malformed query_id. Like /api/cancel it is answered on the server's I/O thread, so a worker
// pool busy with long statements cannot hold it up.
#pragma once

#include <chrono>
#include <string>

#include "augur/engine.h"
#include "http/routes.h"
#include "http/running_queries.h"

namespace augur::http {

Response HandleProgress(RunningQueries& running, Database& database, const Request& request,
                        const std::string& role);

// The JSON body for `progress` at `now` (pure: the unit tests call it).
std::string ProgressBody(const RunningQueries::Progress& progress,
                         std::chrono::system_clock::time_point now);

}  // namespace augur::http
