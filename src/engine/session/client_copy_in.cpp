// client_copy_in.cpp: see client_copy_in.h.
#include "engine/session/client_copy_in.h"

#include <fmt/format.h>

#include "duckdb/main/connection.hpp"
#include "engine/session/client_copy.h"

namespace augur::engine {
namespace {

std::string Literal(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    out.push_back(c);
    if (c == '\'') out.push_back('\'');
  }
  return out + "'";
}

bool NeedsCast(const duckdb::LogicalType& type) {
  return type.id() == duckdb::LogicalTypeId::LIST ||
         (type.HasAlias() && type.GetAlias() == "jsonb");
}

}  // namespace

std::string CopyInStatement(duckdb::Connection& connection, const CopyRequest& request,
                            const std::string& csv_path) {
  std::string columns = request.column_list.empty() ? "*" : request.column_list;
  auto probe = connection.Query("SELECT " + columns + " FROM " + request.table + " LIMIT 0");
  bool casts = false;
  if (!probe->HasError()) {
    for (auto& type : probe->types) casts |= NeedsCast(type);
  }
  if (!casts) return CopyInSql(request, csv_path);
  std::string names;
  std::string values;
  std::string targets;
  for (size_t i = 0; i < probe->types.size(); ++i) {
    const auto& type = probe->types[i];
    std::string column = fmt::format("c{}", i);
    names += fmt::format("{}{}: 'VARCHAR'", i ? ", " : "", Literal(column));
    std::string value = type.id() == duckdb::LogicalTypeId::LIST
                            ? fmt::format("CAST(CAST(augur_pg_array_json({}) AS JSON) AS {})",
                                          column, type.ToString())
                            : fmt::format("CAST({} AS {})", column, type.ToString());
    values += (i ? ", " : "") + value;
    std::string name = probe->names[i];
    std::string quoted = "\"";
    for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    targets += (i ? ", " : "") + quoted + "\"";
  }
  return fmt::format(
      "INSERT INTO {} ({}) SELECT {} FROM read_csv({}, header = false, delim = ',', quote = '\"', "
      "escape = '\"', nullstr = '\\N', allow_quoted_nulls = false, auto_detect = false, "
      "columns = {{{}}})",
      request.table, targets, values, Literal(csv_path), names);
}

}  // namespace augur::engine
