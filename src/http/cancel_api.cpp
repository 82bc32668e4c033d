// cancel_api.cpp
#include "http/cancel_api.h"

#include <boost/beast/http/field.hpp>
#include <boost/json.hpp>

namespace augur::http {

namespace json = boost::json;

Response HandleCancel(RunningQueries& running, Database& database, const Request& request,
                      const std::string& role) {
  auto fail = [&](Error error) {
    return ErrorResponse(error, request.version(), request.keep_alive());
  };
  boost::system::error_code ec;
  json::value parsed = json::parse(request.body(), ec);
  if (ec || !parsed.is_object()) return fail(Error("22023", "request body must be a JSON object"));
  const auto& object = parsed.get_object();
  const auto* id = object.if_contains("query_id");
  if (object.size() != 1 || id == nullptr || !id->is_string() || !ValidQueryId(id->get_string())) {
    return fail(Error("22023",
                      "the body must be {\"query_id\": \"...\"}: 1 to 64 letters, digits, '-' or "
                      "'_'"));
  }
  auto who = database.FindRole(role);
  bool superuser = who && who->superuser;
  auto outcome = running.Cancel(std::string_view(id->get_string()), role, superuser);
  if (outcome == RunningQueries::CancelOutcome::kNotYours) {
    return fail(Error(sqlstate::kInsufficientPrivilege,
                      "must be a member of the role whose query is being canceled")
                    .WithHint("a role may cancel only its own statements; a superuser any"));
  }
  Response response(boost::beast::http::status::ok, request.version());
  response.set(boost::beast::http::field::content_type, "application/json");
  response.set(boost::beast::http::field::server, "augur");
  response.body() = json::serialize(
      json::object{{"cancelled", outcome == RunningQueries::CancelOutcome::kCancelled}});
  response.keep_alive(request.keep_alive());
  return response;
}

}  // namespace augur::http
