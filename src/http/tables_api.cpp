// tables_api.cpp
#include "http/tables_api.h"

#include <boost/json.hpp>
#include <charconv>

#include "common/sql_quoting.h"

namespace augur::http {
namespace {

namespace json = boost::json;

// Runs `sql` with text parameters and returns its rows.
Result<RowBatch> Rows(Session& session, const std::string& sql,
                      const std::vector<ParameterValue>& params) {
  auto prepared = session.Prepare(sql, {});
  if (!prepared) return std::move(prepared).error();
  auto cursor = session.Execute(**prepared, params, /*stream=*/false);
  if (!cursor) return std::move(cursor).error();
  return FetchAll(**cursor);
}

std::string Text(const RowBatch& rows, size_t r, size_t c) {
  return std::string(rows.cell(r, c).value_or(""));
}

int64_t Integer(const RowBatch& rows, size_t r, size_t c) {
  auto text = rows.cell(r, c).value_or("0");
  int64_t v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

// A one-dimensional array of names as text: PostgreSQL's {a,b} or {"a b",c}, or DuckDB's
// [a, b]; spaces around unquoted names are dropped.
json::array Names(std::string_view array) {
  json::array names;
  // DuckDB writes some names as 'name' (keywords among them) inside its lists.
  auto push = [&](std::string name) {
    if (name.size() >= 2 && name.front() == '\'' && name.back() == '\'') {
      name = name.substr(1, name.size() - 2);
    }
    names.push_back(json::string(name));
  };
  if (array.size() < 2) return names;
  array = array.substr(1, array.size() - 2);
  std::string current;
  bool quoted = false;
  for (size_t i = 0; i < array.size(); ++i) {
    char ch = array[i];
    if (ch == '"') {
      quoted = !quoted;
    } else if (ch == '\\' && i + 1 < array.size()) {
      current += array[++i];
    } else if (ch == ',' && !quoted) {
      push(current);
      current.clear();
    } else if (ch != ' ' || quoted || !current.empty()) {
      current += ch;
    }
  }
  if (!array.empty()) push(current);
  return names;
}

Result<json::object> Describe(Session& session, const std::string& schema, const std::string& table,
                              int64_t estimated_rows) {
  json::object out{{"schema", schema}, {"name", table}, {"estimated_rows", estimated_rows}};
  auto columns = Rows(session,
                      "SELECT column_name, data_type, is_nullable FROM duckdb_columns() "
                      "WHERE schema_name = $1 AND table_name = $2 ORDER BY column_index",
                      {schema, table});
  if (!columns) return std::move(columns).error();
  json::array column_list;
  for (size_t r = 0; r < columns->rows(); ++r) {
    column_list.push_back(json::object{{"name", Text(*columns, r, 0)},
                                       {"type", Text(*columns, r, 1)},
                                       {"nullable", Text(*columns, r, 2) == "t"}});
  }
  out["columns"] = std::move(column_list);

  auto keys = Rows(session,
                   "SELECT constraint_column_names FROM duckdb_constraints() "
                   "WHERE schema_name = $1 AND table_name = $2 AND constraint_type = 'PRIMARY KEY'",
                   {schema, table});
  if (!keys) return std::move(keys).error();
  out["primary_key"] = keys->rows() ? Names(Text(*keys, 0, 0)) : json::array();

  auto indexes = Rows(session,
                      "SELECT i.index_name, i.is_unique, i.expressions, a.keys, a.segments, "
                      "a.max_error, a.bytes FROM duckdb_indexes() i LEFT JOIN augur_indexes() a "
                      "ON a.schema_name = i.schema_name AND a.index_name = i.index_name "
                      "WHERE i.schema_name = $1 AND i.table_name = $2 ORDER BY 1",
                      {schema, table});
  if (!indexes) return std::move(indexes).error();
  json::array index_list;
  for (size_t r = 0; r < indexes->rows(); ++r) {
    bool learned = indexes->cell(r, 3).has_value();
    json::object index{{"name", Text(*indexes, r, 0)},
                       {"type", learned ? "LEARNED" : "ART"},
                       {"columns", Names(Text(*indexes, r, 2))},
                       {"unique", Text(*indexes, r, 1) == "t"}};
    if (learned) {
      index["keys"] = Integer(*indexes, r, 3);
      index["segments"] = Integer(*indexes, r, 4);
      index["max_error"] = Integer(*indexes, r, 5);
      index["bytes"] = Integer(*indexes, r, 6);
    }
    index_list.push_back(std::move(index));
  }
  out["indexes"] = std::move(index_list);
  return out;
}

}  // namespace

Result<std::string> RunTablesRequest(Database& database, const std::optional<std::string>& name) {
  auto session = database.Connect();
  if (!session) return std::move(session).error();
  std::string sql =
      "SELECT schema_name, table_name, estimated_size FROM duckdb_tables() WHERE NOT internal";
  std::vector<ParameterValue> params;
  if (name) {
    auto dot = name->find('.');
    if (dot == std::string::npos) {
      sql += " AND table_name = $1 AND schema_name = current_schema()";
      params = {*name};
    } else {
      sql += " AND schema_name = $1 AND table_name = $2";
      params = {name->substr(0, dot), name->substr(dot + 1)};
    }
  }
  auto tables = Rows(**session, sql + " ORDER BY 1, 2", params);
  if (!tables) return std::move(tables).error();
  if (name && tables->rows() == 0) {
    return Error("42P01", "relation \"" + *name + "\" does not exist");
  }
  json::array list;
  for (size_t r = 0; r < tables->rows(); ++r) {
    auto table =
        Describe(**session, Text(*tables, r, 0), Text(*tables, r, 1), Integer(*tables, r, 2));
    if (!table) return std::move(table).error();
    list.push_back(std::move(*table));
  }
  if (!name) return json::serialize(list);

  json::object& table = list[0].as_object();
  std::string qualified =
      QuoteIdentifier(Text(*tables, 0, 0)) + "." + QuoteIdentifier(Text(*tables, 0, 1));
  auto count = (*session)->Query("SELECT count(*) FROM " + qualified);
  if (!count) return std::move(count).error();
  table["row_count"] = Integer(*count, 0, 0);
  // Blocks of the database file the table's columns live in (a block is 256 KiB); transaction-
  // local and not yet checkpointed data take none.
  auto bytes =
      (*session)->Query("SELECT count(DISTINCT block_id) * 262144 FROM pragma_storage_info(" +
                        QuoteLiteral(qualified) + ") WHERE persistent AND block_id >= 0");
  table["bytes_on_disk"] = bytes ? Integer(*bytes, 0, 0) : 0;
  return json::serialize(table);
}

}  // namespace augur::http
