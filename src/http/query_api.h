// query_api.h: POST /api/query. Runs one statement with bound parameters in a session of its
// own and answers columns, typed rows, the row count and the elapsed time as JSON.
//
// Request: {"sql": "SELECT ...", "params": [1, "x", null], "limit": 1000}
//   params bind to $1, $2, ... as values, never spliced into the text; limit (default 10000,
//   at most 1000000) caps the rows returned ("truncated": true says more existed).
// Values: booleans and numbers stay JSON booleans and numbers; integers beyond 2^53, numeric,
// NaN and infinities come as strings (JSON numbers would lose them); everything else is
// PostgreSQL's text form (timestamps "2026-01-02 03:04:05", ISO 8601 order).
#pragma once

#include <string>

#include "augur/engine.h"

namespace augur::http {

// The JSON response body, or the error to report.
Result<std::string> RunQueryRequest(Database& database, const std::string& body);

}  // namespace augur::http
