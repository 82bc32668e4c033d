// progress_api.cpp
#include "http/progress_api.h"

#include <boost/beast/http/field.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <cmath>

#include "common/progress_estimate.h"

namespace augur::http {
namespace {

namespace json = boost::json;

Error BadQueryId() {
  return Error("22023",
               "the request must be GET /api/progress?query_id=...: 1 to 64 letters, digits, '-' "
               "or '_'");
}

// The one query_id of the target's query string; nullopt when it is missing, repeated, not well
// formed, or beside other parameters.
std::optional<std::string> QueryIdOf(const Request& request) {
  auto target = boost::urls::parse_origin_form(request.target());
  if (!target) return std::nullopt;
  std::optional<std::string> id;
  for (auto param : target->params()) {
    if (param.key != "query_id" || id || !param.has_value) return std::nullopt;
    id = std::string(param.value);
  }
  if (!id || !ValidQueryId(*id)) return std::nullopt;
  return id;
}

json::value Optional(const std::optional<double>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::value Optional(const std::optional<int64_t>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

// Whole milliseconds: a display needs no more.
std::optional<int64_t> Milliseconds(const std::optional<double>& ms) {
  if (!ms) return std::nullopt;
  return static_cast<int64_t>(std::llround(*ms));
}

}  // namespace

std::string ProgressBody(const RunningQueries::Progress& progress,
                         std::chrono::system_clock::time_point now) {
  if (progress.outcome != RunningQueries::Progress::Outcome::kRunning) {
    return json::serialize(json::object{{"running", false}});
  }
  const SessionProgress& session = progress.session;
  json::object body{
      {"running", true}, {"statement", progress.statement}, {"statements", progress.statements}};
  // Between the statements of a script, or while the client reads rows the statement already
  // made, the session runs nothing: no figures then.
  std::optional<double> elapsed_ms, remaining_ms;
  if (session.active) {
    elapsed_ms = std::chrono::duration<double, std::milli>(now - session.statement_start).count();
    if (*elapsed_ms < 0) elapsed_ms = 0.0;  // the wall clock stepped back
    if (session.percent) {
      auto left = EstimateSecondsLeft(*elapsed_ms / 1000.0, *session.percent / 100.0);
      if (left) remaining_ms = *left * 1000.0;
    }
  }
  body["elapsed_ms"] = Optional(Milliseconds(elapsed_ms));
  body["progress"] = Optional(session.active ? session.percent : std::nullopt);
  body["rows_processed"] = Optional(session.active ? session.rows_processed : std::nullopt);
  body["rows_total"] = Optional(session.active ? session.rows_total : std::nullopt);
  body["remaining_ms"] = Optional(Milliseconds(remaining_ms));
  if (session.active && !session.wait_event.empty()) body["waiting"] = session.wait_event;
  return json::serialize(body);
}

Response HandleProgress(RunningQueries& running, Database& database, const Request& request,
                        const std::string& role) {
  auto id = QueryIdOf(request);
  if (!id) return ErrorResponse(BadQueryId(), request.version(), request.keep_alive());
  auto who = database.FindRole(role);
  bool superuser = who && who->superuser;
  auto progress = running.ProgressOf(*id, role, superuser);
  if (progress.outcome == RunningQueries::Progress::Outcome::kNotYours) {
    return ErrorResponse(Error(sqlstate::kInsufficientPrivilege,
                               "permission denied to see the progress of another role's statement")
                             .WithHint("a role may watch only its own statements; a superuser any"),
                         request.version(), request.keep_alive());
  }
  Response response(boost::beast::http::status::ok, request.version());
  response.set(boost::beast::http::field::content_type, "application/json");
  response.set(boost::beast::http::field::server, "augur");
  response.set(boost::beast::http::field::cache_control, "no-store");
  response.body() = ProgressBody(progress, std::chrono::system_clock::now());
  response.keep_alive(request.keep_alive());
  return response;
}

}  // namespace augur::http
