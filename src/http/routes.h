// routes.h: what each HTTP route answers. Pure request -> response functions over the engine,
// run on a worker thread (they block on the engine); the server does the I/O.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>

#include "augur/engine.h"
#include "http/running_queries.h"

namespace augur::http {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

// The route's pattern for metrics and logs ("/api/query"; "other" for unknown paths).
std::string RouteOf(const Request& request);

// Answers `request` for `role` (authenticated by the server). Never throws: failures become
// JSON error responses. `data_dir` is the server's data directory (for file sizes in /metrics).
// `running` holds the statements started with a query_id (POST /api/cancel); `max_result_bytes`
// bounds the results of /api/script (0: none).
Response Handle(Database& database, const Request& request, const std::string& data_dir,
                const std::string& role, RunningQueries* running = nullptr,
                uint64_t max_result_bytes = 0);

// {"error": {"code", "message", "detail", "hint", "position"}} with the HTTP status that fits
// the SQLSTATE (400 for the client's mistakes, 408 cancelled, 413 too large, 500 internal ...).
Response ErrorResponse(const Error& error, unsigned version, bool keep_alive);

}  // namespace augur::http
