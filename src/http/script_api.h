// script_api.h: POST /api/script, the web console's way to run what is in its editor: several
// statements separated by semicolons, one after another in one session (so SET, BEGIN and
// temporary tables carry from one to the next), each with a result of its own.
//
// Request:  {"sql": "CREATE ...; SELECT ...", "limit": 10000, "query_id": "..."}
//   limit (default 10000, at most 1000000) caps the rows returned for each statement; query_id
//   (optional) names the script for POST /api/cancel, which stops it wherever it is.
// Response: {"results": [{"statement", "columns": [{"name", "type"}], "rows": [[...]],
//            "row_count", "truncated", "command", "elapsed_ms"}, ...]}
//   A statement that fails has "error": {"code", "message", "detail", "hint", "position"}
//   (position counts in its own text) and ends the script: those after it come as
//   {"statement", "skipped": true}. Each statement commits on its own unless the script opens
//   a transaction block, as psql runs a file. The whole script is parsed first, like
//   PostgreSQL's simple query: a syntax error anywhere runs nothing (the HTTP answer is then the
//   error, 400). Cells are typed as in /api/query (query_api.h).
#pragma once

#include <cstdint>
#include <string>

#include "augur/engine.h"
#include "http/running_queries.h"

namespace augur::http {

// The response body. `max_bytes` (0: none) bounds the rows of all results together (54000 in the
// statement that crosses it). With `running`, a query_id is registered there while it runs.
Result<std::string> RunScriptRequest(Database& database, const std::string& body,
                                     const std::string& role, RunningQueries* running,
                                     uint64_t max_bytes);

}  // namespace augur::http
