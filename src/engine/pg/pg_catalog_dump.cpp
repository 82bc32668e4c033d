// pg_catalog_dump.cpp: the catalogs pg_dump 15 reads (its queries, recorded from a PostgreSQL 15
// server with log_statement = all, are in docs/COMPATIBILITY.md's pg_dump section). Each answers
// with PostgreSQL's columns; a catalog of things augur does not have (languages, operators, text
// search, foreign data, triggers, rules, ...) is empty, which is what PostgreSQL answers for a
// database that has none of its own. Where pg_dump orders objects by pg_depend, the dependencies
// PostgreSQL would record are derived from DuckDB's catalog:
//  - a sequence drawn by a column's default and named <table>_<column>_seq (augur's serial and
//    identity columns; DROP TABLE drops it with the table) is owned by that column ('a');
//  - a column default depends on the sequence it draws from ('n');
//  - a view depends on each table, view or sequence its text names ('n'; by name, so a word of
//    the query that happens to be another relation's name adds an ordering, never loses one).
//
// The objects themselves are SQL, in sql/pg_dump_catalog.sql (compiled in by the build); this
// file parses and installs them.
//
// System catalog OIDs are PostgreSQL's (pg_class 1259, ...), as pg_dump compares classid and
// tableoid with 'pg_class'::regclass (pg_dump_rewrite.h turns those into the same numbers).
#include "engine/pg/pg_catalog_dump.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "duckdb/main/client_context.hpp"
#include "duckdb/main/connection.hpp"
#include "engine/pg/error_translate.h"
#include "engine/pg/pg_array_text.h"
#include "engine/pg/pg_sequence_relation.h"
#include "engine/pg/sql/pg_dump_catalog_sql.h"
#include "engine/pg/system_catalog.h"

namespace augur::engine {
namespace {

enum class Mode {
  kReplace,    // replaces any object of the name
  kExtend,     // CURRENT stands for the installed view's SELECT, which this one wraps
  kIfMissing,  // created only when no object has the name (another part of augur may own it)
};

struct DumpObject {
  Mode mode;
  std::string schema;
  std::string sql;  // CREATE MACRO or CREATE VIEW; the schema in it is ignored
};

std::optional<Mode> ModeNamed(std::string_view verb) {
  if (verb == "replace") return Mode::kReplace;
  if (verb == "extend") return Mode::kExtend;
  if (verb == "if-missing") return Mode::kIfMissing;
  return std::nullopt;
}

// The objects of sql/pg_dump_catalog.sql, in its order (its header comment gives the format).
Result<std::vector<DumpObject>> ParseDumpCatalogSql(std::string_view text) {
  std::vector<DumpObject> objects;
  std::optional<DumpObject> current;
  while (!text.empty()) {
    size_t end = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    if (line.starts_with("-- @")) {
      std::string_view directive = line.substr(4);
      size_t space = directive.find(' ');
      std::optional<Mode> mode = ModeNamed(directive.substr(0, space));
      if (!mode || space == std::string_view::npos || current) {
        return Error(sqlstate::kInternalError,
                     "pg_dump_catalog.sql: bad directive \"" + std::string(line) + "\"");
      }
      current = DumpObject{*mode, std::string(directive.substr(space + 1)), ""};
    } else if (line.starts_with("--") || line.empty()) {
      continue;
    } else if (!current) {
      return Error(sqlstate::kInternalError,
                   "pg_dump_catalog.sql: a statement without a directive: " + std::string(line));
    } else {
      if (!current->sql.empty()) current->sql += '\n';
      current->sql += line;
      if (line.ends_with(';')) {
        current->sql.pop_back();
        objects.push_back(std::move(*current));
        current.reset();
      }
    }
  }
  if (current) {
    return Error(sqlstate::kInternalError, "pg_dump_catalog.sql ends inside a statement");
  }
  return objects;
}

// The SELECT of the view installed now under schema.name (DuckDB's, or one augur installed).
Result<std::string> CurrentViewSelect(duckdb::Connection& connection, const std::string& schema,
                                      const std::string& name) {
  auto result = connection.Query(
      "SELECT sql FROM duckdb_views() WHERE database_name = 'system' AND schema_name = '" + schema +
      "' AND view_name = '" + name + "'");
  if (result->HasError() || result->RowCount() != 1) {
    return Error(sqlstate::kInternalError,
                 "the definition of " + schema + "." + name + " was not found");
  }
  std::string sql = ViewSelectText(result->GetValue(0, 0).ToString());
  while (!sql.empty() && (sql.back() == ';' || sql.back() == '\n' || sql.back() == ' ')) {
    sql.pop_back();
  }
  return sql;
}

bool Exists(duckdb::Connection& connection, const std::string& schema, const std::string& name) {
  auto result = connection.Query(
      "SELECT 1 FROM duckdb_views() WHERE database_name = 'system' AND schema_name = '" + schema +
      "' AND view_name = '" + name +
      "' UNION ALL SELECT 1 FROM duckdb_functions() WHERE "
      "database_name = 'system' AND schema_name = '" +
      schema + "' AND function_name = '" + name + "'");
  return !result->HasError() && result->RowCount() > 0;
}

// "pg_class" from "CREATE VIEW pg_class AS ..." or "CREATE MACRO f(...) AS ...".
std::string ObjectName(const std::string& sql) {
  size_t start = sql.find(' ', std::strlen("CREATE ")) + 1;
  return sql.substr(start, sql.find_first_of(" (\n", start) - start);
}

}  // namespace

Status InstallPgDumpCatalog(duckdb::Connection& connection) {
  auto& context = *connection.context;
  try {
    context.RunFunctionInTransaction([&] {
      InstallSequenceStateFunction(context);
      InstallPgArrayText(context);
    });
  } catch (const std::exception& ex) {
    return TranslateException(ex, "");
  }
  auto parsed = ParseDumpCatalogSql(kPgDumpCatalogSql);
  if (!parsed) return std::move(parsed).error();
  std::vector<DumpObject> objects = std::move(*parsed);
  for (const DumpObject& object : objects) {
    std::string sql = object.sql;
    const std::string name = ObjectName(sql);
    if (object.mode == Mode::kIfMissing && Exists(connection, object.schema, name)) continue;
    if (object.mode == Mode::kExtend) {
      auto current = CurrentViewSelect(connection, object.schema, name);
      if (!current) return std::move(current).error();
      size_t at = sql.find("CURRENT");
      sql.replace(at, std::strlen("CURRENT"), "(" + *current + ")");
    }
    Status installed =
        InstallCatalogSql(context, "pg_dump's catalog object", sql, object.sql, object.schema);
    if (!installed) return installed;
  }
  return {};
}

}  // namespace augur::engine
