// routes.cpp
#include "http/routes.h"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include "http/backup_api.h"
#include "http/cancel_api.h"
#include "http/metrics_page.h"
#include "http/progress_api.h"
#include "http/query_api.h"
#include "http/script_api.h"
#include "http/tables_api.h"
#include "http/web_assets.h"

namespace augur::http {
namespace {

namespace beast_http = boost::beast::http;
namespace json = boost::json;
using beast_http::status;
using beast_http::verb;

struct Route {
  std::string_view path;
  verb method;
};
constexpr Route kRoutes[] = {{"/health", verb::get},      {"/ready", verb::get},
                             {"/metrics", verb::get},     {"/api/query", verb::post},
                             {"/api/tables", verb::get},  {"/api/tables/{name}", verb::get},
                             {"/api/backup", verb::post}, {"/api/script", verb::post},
                             {"/api/cancel", verb::post}, {"/api/progress", verb::get}};
constexpr std::string_view kTablePrefix = "/api/tables/";

// The target's path, percent-decoded ("/api/tables/my%20table" -> "/api/tables/my table").
std::string PathOf(const Request& request) {
  auto parsed = boost::urls::parse_origin_form(request.target());
  if (!parsed) return std::string(request.target());
  return std::string(parsed->path());
}

// The route pattern `path` belongs to ("/api/tables/{name}" for "/api/tables/t"), or "".
std::string_view PatternOf(std::string_view path) {
  if (path.starts_with(kTablePrefix) && path.size() > kTablePrefix.size()) {
    return "/api/tables/{name}";
  }
  for (const auto& route : kRoutes) {
    if (route.path == path) return route.path;
  }
  return "";
}

Response Reply(status code, std::string body, std::string_view content_type,
               const Request& request) {
  Response response(code, request.version());
  response.set(beast_http::field::content_type, content_type);
  response.set(beast_http::field::server, "augur");
  response.body() = std::move(body);
  response.keep_alive(request.keep_alive());
  return response;
}

Response Json(status code, const json::value& body, const Request& request) {
  return Reply(code, json::serialize(body), "application/json", request);
}

status StatusFor(std::string_view sqlstate) {
  std::string_view cls = sqlstate.substr(0, 2);
  if (sqlstate == "57014") return status::request_timeout;
  if (cls == "28") return status::unauthorized;
  if (sqlstate == "42501") return status::forbidden;  // insufficient_privilege
  if (cls == "53" || cls == "54") return status::payload_too_large;
  if (cls == "XX" || cls == "58" || cls == "F0") return status::internal_server_error;
  if (cls == "57") return status::service_unavailable;
  return status::bad_request;  // syntax, undefined objects, data, constraints: the client's
}

}  // namespace

std::string RouteOf(const Request& request) {
  std::string path = PathOf(request);
  if (FindWebAsset(path)) return "/";  // the console's page and files count as one route
  auto pattern = PatternOf(path);
  return pattern.empty() ? "other" : std::string(pattern);
}

Response ErrorResponse(const Error& error, unsigned version, bool keep_alive) {
  json::object fields{{"code", error.sqlstate}, {"message", error.message}};
  if (!error.detail.empty()) fields["detail"] = error.detail;
  if (!error.hint.empty()) fields["hint"] = error.hint;
  if (error.position > 0) fields["position"] = error.position;
  Response response(StatusFor(error.sqlstate), version);
  response.set(beast_http::field::content_type, "application/json");
  response.set(beast_http::field::server, "augur");
  response.body() = json::serialize(json::object{{"error", std::move(fields)}});
  response.keep_alive(keep_alive);
  return response;
}

Response Handle(Database& database, const Request& request, const std::string& data_dir,
                const std::string& role, RunningQueries* running, uint64_t max_result_bytes) {
  std::string path = PathOf(request);
  auto fail = [&](const Error& error) {
    return ErrorResponse(error, request.version(), request.keep_alive());
  };
  if (auto* asset = FindWebAsset(path); asset && request.method() == verb::get) {
    auto response = Reply(status::ok, std::string(asset->body), asset->content_type, request);
    response.set(beast_http::field::cache_control, "no-cache");
    return response;
  }
  std::string_view pattern = PatternOf(path);
  const Route* route = nullptr;
  for (const auto& r : kRoutes) {
    if (r.path == pattern) route = &r;
  }
  if (!route) {
    auto response = fail(Error("42704", "no such route: " + path));
    response.result(status::not_found);
    return response;
  }
  if (request.method() != route->method) {
    auto response =
        fail(Error("0A000", path + " takes " + std::string(beast_http::to_string(route->method))));
    response.result(status::method_not_allowed);
    response.set(beast_http::field::allow, beast_http::to_string(route->method));
    return response;
  }
  try {
    if (path == "/health") return Json(status::ok, json::object{{"status", "ok"}}, request);
    if (path == "/ready") {
      auto session = database.Connect();
      auto probe = session ? (*session)->Query("SELECT 1") : Result<RowBatch>(session.error());
      if (!probe) {
        auto response = fail(probe.error());
        response.result(status::service_unavailable);
        return response;
      }
      return Json(status::ok, json::object{{"status", "ready"}}, request);
    }
    if (path == "/metrics") {
      auto text = RenderMetrics(database, data_dir);
      if (!text) return fail(text.error());
      return Reply(status::ok, std::move(*text), "text/plain; version=0.0.4", request);
    }
    if (pattern == "/api/tables" || pattern == "/api/tables/{name}") {
      std::optional<std::string> name;
      if (pattern != "/api/tables") name = path.substr(kTablePrefix.size());
      auto body = RunTablesRequest(database, name);
      if (!body) {
        auto response = fail(body.error());
        if (body.error().sqlstate == "42P01") response.result(status::not_found);
        return response;
      }
      return Reply(status::ok, std::move(*body), "application/json", request);
    }
    if (pattern == "/api/backup") {
      auto who = database.FindRole(role);
      if (!who || !who->superuser) {
        auto response = fail(
            Error(sqlstate::kInsufficientPrivilege,
                  "permission denied to take a backup: role \"" + role + "\" is not a superuser"));
        response.result(status::forbidden);
        return response;
      }
      auto manifest = RunBackupRequest(database, request.body(), role, running);
      if (!manifest) return fail(manifest.error());
      return Reply(status::ok, std::move(*manifest), "application/json", request);
    }
    if (pattern == "/api/script") {
      auto body = RunScriptRequest(database, request.body(), role, running, max_result_bytes);
      if (!body) return fail(body.error());
      return Reply(status::ok, std::move(*body), "application/json", request);
    }
    if (pattern == "/api/cancel") {
      RunningQueries none;  // without a registry nothing is running
      return HandleCancel(running ? *running : none, database, request, role);
    }
    if (pattern == "/api/progress") {
      RunningQueries none;
      return HandleProgress(running ? *running : none, database, request, role);
    }
    auto body = RunQueryRequest(database, request.body(), role);
    if (!body) return fail(body.error());
    return Reply(status::ok, std::move(*body), "application/json", request);
  } catch (const std::exception& ex) {
    return fail(Error(sqlstate::kInternalError, ex.what()));
  }
}

}  // namespace augur::http
