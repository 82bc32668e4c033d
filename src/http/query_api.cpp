// query_api.cpp
#include "http/query_api.h"

#include <boost/json.hpp>
#include <charconv>
#include <chrono>
#include <cmath>
#include <optional>
#include <vector>

namespace augur::http {
namespace {

namespace json = boost::json;

constexpr int64_t kDefaultLimit = 10'000;
constexpr int64_t kMaxLimit = 1'000'000;
constexpr int64_t kMaxSafeInteger = int64_t{1} << 53;  // beyond it a JSON number loses digits

// PostgreSQL type OIDs whose text is a JSON boolean or number.
constexpr uint32_t kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700,
                   kFloat8 = 701;

Error BadRequest(std::string message) { return Error("22023", std::move(message)); }

json::value Typed(std::string_view text, uint32_t type_oid) {
  switch (type_oid) {
    case kBool:
      return json::value(text == "t");
    case kInt2:
    case kInt4:
    case kInt8:
    case kOid: {
      int64_t v = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec == std::errc() && end == text.data() + text.size() && v <= kMaxSafeInteger &&
          v >= -kMaxSafeInteger) {
        return json::value(v);
      }
      return json::value(json::string(text));
    }
    case kFloat4:
    case kFloat8: {
      double v = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec == std::errc() && end == text.data() + text.size() && std::isfinite(v)) {
        return json::value(v);
      }
      return json::value(json::string(text));  // NaN, Infinity, -Infinity
    }
    default:
      return json::value(json::string(text));
  }
}

// A JSON parameter as PostgreSQL text: strings as they are, other scalars in their JSON
// spelling, arrays and objects as JSON text (for json columns).
ParameterValue ParameterText(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return std::nullopt;
    case json::kind::string:
      return std::string(v.get_string());
    case json::kind::bool_:
      return std::string(v.get_bool() ? "true" : "false");
    default:
      return json::serialize(v);
  }
}

struct QueryRequest {
  std::string sql;
  std::vector<ParameterValue> params;
  int64_t limit = kDefaultLimit;
};

Result<QueryRequest> Parse(const std::string& body) {
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  if (ec) return BadRequest("request body is not JSON: " + ec.message());
  if (!parsed.is_object()) return BadRequest("request body must be a JSON object");
  const auto& object = parsed.get_object();
  QueryRequest request;
  for (const auto& [key, value] : object) {
    if (key == "sql") {
      if (!value.is_string()) return BadRequest("\"sql\" must be a string");
      request.sql = std::string(value.get_string());
    } else if (key == "params") {
      if (!value.is_array()) return BadRequest("\"params\" must be an array");
      for (const auto& p : value.get_array()) request.params.push_back(ParameterText(p));
    } else if (key == "limit") {
      if (!value.is_int64() || value.get_int64() < 0 || value.get_int64() > kMaxLimit) {
        return BadRequest("\"limit\" must be an integer from 0 to 1000000");
      }
      request.limit = value.get_int64();
    } else if (key != "format") {
      return BadRequest("unknown field \"" + std::string(key) + "\" (known: sql, params, limit)");
    } else if (value != json::value("json")) {
      return Error("0A000", "only \"format\": \"json\" is supported so far");
    }
  }
  if (request.sql.empty()) return BadRequest("\"sql\" is required");
  return request;
}

}  // namespace

Result<std::string> RunQueryRequest(Database& database, const std::string& body) {
  auto request = Parse(body);
  if (!request) return std::move(request).error();
  auto start = std::chrono::steady_clock::now();
  auto session = database.Connect();
  if (!session) return std::move(session).error();
  auto prepared = (*session)->Prepare(request->sql, {});
  if (!prepared) return std::move(prepared).error();
  if (request->params.size() != (*prepared)->parameter_types().size()) {
    return BadRequest("the statement takes " +
                      std::to_string((*prepared)->parameter_types().size()) +
                      " parameters, \"params\" has " + std::to_string(request->params.size()));
  }
  auto cursor = (*session)->Execute(**prepared, request->params, /*stream=*/true);
  if (!cursor) return std::move(cursor).error();

  json::object response;
  json::array columns;
  std::vector<uint32_t> types;
  for (const auto& column : (*cursor)->columns()) {
    columns.push_back(json::object{{"name", column.name}, {"type", column.engine_type}});
    types.push_back(column.type_oid);
  }
  json::array rows;
  bool truncated = false;
  while (true) {
    auto batch = (*cursor)->Fetch(1024);
    if (!batch) return std::move(batch).error();
    if (batch->rows() == 0) break;
    for (size_t r = 0; r < batch->rows(); ++r) {
      if (static_cast<int64_t>(rows.size()) >= request->limit) {
        truncated = true;
        break;
      }
      json::array row;
      for (size_t c = 0; c < batch->columns(); ++c) {
        auto cell = batch->cell(r, c);
        row.push_back(cell ? Typed(*cell, types[c]) : json::value(nullptr));
      }
      rows.push_back(std::move(row));
    }
    if (truncated) break;
  }
  // The tag (INSERT 0 3, SELECT 5, ...) is final once the cursor is drained.
  std::string command = truncated ? std::string() : (*cursor)->command_tag();
  cursor->reset();  // abandons a streaming result before the session closes
  double elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  response["columns"] = std::move(columns);
  response["row_count"] = rows.size();
  response["rows"] = std::move(rows);
  response["truncated"] = truncated;
  if (!command.empty()) response["command"] = command;
  response["elapsed_ms"] = elapsed_ms;
  return json::serialize(response);
}

}  // namespace augur::http
