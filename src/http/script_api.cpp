// script_api.cpp
#include "http/script_api.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <cctype>
#include <chrono>

#include "http/query_api.h"

namespace augur::http {
namespace {

namespace json = boost::json;

constexpr int64_t kMaxLimit = 1'000'000;
constexpr size_t kRowsPerFetch = 1024;

struct ScriptRequest {
  std::string sql;
  int64_t limit = 10'000;
  std::string query_id;
};

Error BadRequest(std::string message) { return Error("22023", std::move(message)); }

Result<ScriptRequest> DecodeScriptRequest(const std::string& body) {
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  if (ec) return BadRequest("request body is not JSON: " + ec.message());
  if (!parsed.is_object()) return BadRequest("request body must be a JSON object");
  ScriptRequest request;
  for (const auto& [key, value] : parsed.get_object()) {
    if (key == "sql") {
      if (!value.is_string()) return BadRequest("\"sql\" must be a string");
      request.sql = std::string(value.get_string());
    } else if (key == "limit") {
      if (!value.is_int64() || value.get_int64() < 0 || value.get_int64() > kMaxLimit) {
        return BadRequest("\"limit\" must be an integer from 0 to 1000000");
      }
      request.limit = value.get_int64();
    } else if (key == "query_id") {
      if (!value.is_string() || !ValidQueryId(value.get_string())) {
        return BadRequest("\"query_id\" must be 1 to 64 letters, digits, '-' or '_'");
      }
      request.query_id = std::string(value.get_string());
    } else {
      return BadRequest("unknown field \"" + std::string(key) + "\" (known: sql, limit, query_id)");
    }
  }
  if (request.sql.empty()) return BadRequest("\"sql\" is required");
  return request;
}

json::object ErrorFields(const Error& error) {
  json::object fields{{"code", error.sqlstate}, {"message", error.message}};
  if (!error.detail.empty()) fields["detail"] = error.detail;
  if (!error.hint.empty()) fields["hint"] = error.hint;
  if (error.position > 0) fields["position"] = error.position;
  return fields;
}

Error Cancelled() { return Error("57014", "canceling statement due to user request"); }

// Runs one statement into `out`; returns its error, if any. `bytes` counts row bytes so far.
std::optional<Error> RunStatement(Session& session, std::string_view sql, int64_t limit,
                                  uint64_t max_bytes, uint64_t& bytes, json::object& out) {
  auto prepared = session.Prepare(sql, {});
  if (!prepared) return std::move(prepared).error();
  if ((*prepared)->copy()) {
    return Error(sqlstate::kFeatureNotSupported,
                 "COPY TO STDOUT / FROM STDIN is not available over HTTP: there is no copy "
                 "channel");
  }
  if (!(*prepared)->parameter_types().empty()) {
    return Error("42P02", "there is no parameter $1")
        .WithHint("the console runs statements without parameters");
  }
  auto cursor = session.Execute(**prepared, {}, /*stream=*/true);
  if (!cursor) return std::move(cursor).error();
  json::array columns;
  std::vector<uint32_t> types;
  for (const auto& column : (*cursor)->columns()) {
    columns.push_back(json::object{{"name", column.name}, {"type", column.engine_type}});
    types.push_back(column.type_oid);
  }
  json::array rows;
  int64_t count = 0;
  bool truncated = false;
  for (;;) {
    auto batch = (*cursor)->Fetch(kRowsPerFetch);
    if (!batch) return std::move(batch).error();
    if (batch->rows() == 0) break;
    for (size_t r = 0; r < batch->rows() && !truncated; ++r) {
      if (count >= limit) {
        truncated = true;
        break;
      }
      json::array row;
      for (size_t c = 0; c < batch->columns(); ++c) {
        auto cell = batch->cell(r, c);
        if (cell) bytes += cell->size();
        row.push_back(cell ? JsonCell(*cell, types[c]) : json::value(nullptr));
      }
      rows.push_back(std::move(row));
      ++count;
    }
    if (max_bytes > 0 && bytes > max_bytes) {
      return std::move(
          Error(sqlstate::kProgramLimitExceeded,
                fmt::format("results exceed {} bytes (http.max_result_bytes)", max_bytes))
              .WithHint("add a LIMIT, or lower the console's rows per result"));
    }
    if (truncated) break;
  }
  out["columns"] = std::move(columns);
  out["rows"] = std::move(rows);
  out["row_count"] = count;
  out["truncated"] = truncated;
  // A cut result has no final tag: say how many rows came, as /api/query does.
  out["command"] = truncated ? "SELECT " + std::to_string(count) : (*cursor)->command_tag();
  return std::nullopt;
}

}  // namespace

Result<std::string> RunScriptRequest(Database& database, const std::string& body,
                                     const std::string& role, RunningQueries* running,
                                     uint64_t max_bytes) {
  auto request = DecodeScriptRequest(body);
  if (!request) return std::move(request).error();
  auto session = database.ConnectAs(role);
  if (!session) return std::move(session).error();
  // Named in pg_stat_activity (usename, application_name) like a PostgreSQL client.
  (*session)->SetClientInfo(role, "augur console", "", 0);
  std::unique_ptr<RunningQueries::Registration> registration;
  if (running != nullptr && !request->query_id.empty()) {
    auto registered = running->Register(request->query_id, role, **session);
    if (!registered) return std::move(registered).error();
    registration = std::move(*registered);
  }
  auto statements = (*session)->Split(request->sql);
  if (!statements) return std::move(statements).error();
  json::array results;
  uint64_t bytes = 0;
  bool stopped = false;
  int index = 0;
  for (auto& statement : *statements) {
    ++index;
    // Without the blanks and newlines that followed the previous semicolon; error positions
    // count in this text.
    std::string_view text = statement->text();
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
      text.remove_prefix(1);
    }
    json::object result{{"statement", text}};
    if (stopped) {
      result["skipped"] = true;
      results.push_back(std::move(result));
      continue;
    }
    if (registration) registration->SetStatement(index, static_cast<int>(statements->size()));
    auto start = std::chrono::steady_clock::now();
    std::optional<Error> error =
        registration && registration->cancelled()
            ? std::optional<Error>(Cancelled())
            : RunStatement(**session, text, request->limit, max_bytes, bytes, result);
    result["elapsed_ms"] =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (error) {
      result.erase("rows");
      result["error"] = ErrorFields(*error);
      stopped = true;
    }
    results.push_back(std::move(result));
  }
  registration.reset();  // before the session closes
  return json::serialize(json::object{{"results", std::move(results)}});
}

}  // namespace augur::http
