// native_foreign_keys.cpp: rebuilding referencing tables without DuckDB's foreign keys
// (native_foreign_keys.h).
#include "engine/ddl/native_foreign_keys.h"

#include <set>
#include <vector>

#include "common/sql_quoting.h"
#include "duckdb/main/connection.hpp"
#include "duckdb/main/materialized_query_result.hpp"
#include "engine/ddl/foreign_key_rewrite.h"

namespace augur::engine {
namespace {

std::string TextArray(const duckdb::Value& list) {
  std::string out = "[";
  bool first = true;
  for (auto& item : duckdb::ListValue::GetChildren(list)) {
    out += (first ? "" : ", ") + QuoteLiteral(item.ToString());
    first = false;
  }
  return out + "]::VARCHAR[]";
}

}  // namespace

std::string NativeForeignKeyHandover(duckdb::Connection& connection, const std::string& schema,
                                     const std::string& table) {
  auto keys = connection.Query(
      "SELECT schema_name, table_name, constraint_text, constraint_column_names, "
      "referenced_column_names FROM duckdb_constraints() WHERE constraint_type = 'FOREIGN KEY' "
      "AND lower(referenced_table) = lower(" +
      QuoteLiteral(table) + ")" +
      (schema.empty() ? "" : " AND lower(schema_name) = lower(" + QuoteLiteral(schema) + ")") +
      " ORDER BY table_name, constraint_index");
  if (keys->HasError() || keys->RowCount() == 0) return "";
  // child table -> its DuckDB foreign keys on `table`
  std::set<std::pair<std::string, std::string>> children;
  std::string records;
  for (size_t row = 0; row < keys->RowCount(); ++row) {
    std::string child_schema = keys->GetValue(0, row).ToString();
    std::string child = keys->GetValue(1, row).ToString();
    if (child == table) return "";  // a self-reference: the table itself would be rebuilt
    children.emplace(child_schema, child);
    std::string name = child;
    const duckdb::Value columns = keys->GetValue(3, row);
    for (auto& item : duckdb::ListValue::GetChildren(columns)) name += "_" + item.ToString();
    name += "_fkey";
    if (name.size() > 63) name.resize(63);
    records += std::string("INSERT INTO ") + kAugurForeignKeys + " VALUES (" + QuoteLiteral(name) +
               ", " + QuoteLiteral(child_schema) + ", " + QuoteLiteral(child) + ", " +
               TextArray(keys->GetValue(3, row)) + ", " + QuoteLiteral(child_schema) + ", " +
               QuoteLiteral(table) + ", " + TextArray(keys->GetValue(4, row)) +
               ", 'NO ACTION', 'NO ACTION', false); ";
  }
  std::string out = AugurCatalogSetup();
  for (auto& [child_schema, child] : children) {
    const std::string where = " WHERE schema_name = " + QuoteLiteral(child_schema) +
                              " AND table_name = " + QuoteLiteral(child);
    // A referencing table that is itself referenced cannot be dropped and re-created.
    auto referenced = connection.Query(
        "SELECT 1 FROM duckdb_constraints() WHERE constraint_type = 'FOREIGN KEY' AND "
        "referenced_table = " +
        QuoteLiteral(child) + " AND schema_name = " + QuoteLiteral(child_schema));
    if (referenced->HasError() || referenced->RowCount() > 0) return "";
    auto definition = connection.Query("SELECT sql FROM duckdb_tables()" + where);
    if (definition->HasError() || definition->RowCount() != 1) return "";
    std::string create = definition->GetValue(0, 0).ToString();
    for (size_t row = 0; row < keys->RowCount(); ++row) {
      if (keys->GetValue(1, row).ToString() != child) continue;
      std::string clause = ", " + keys->GetValue(2, row).ToString();
      size_t at = create.find(clause);
      if (at == std::string::npos) return "";
      create.erase(at, clause.size());
    }
    auto indexes =
        connection.Query("SELECT sql FROM duckdb_indexes()" + where + " AND sql IS NOT NULL");
    if (indexes->HasError()) return "";
    const std::string name = QuoteIdentifier(child_schema) + "." + QuoteIdentifier(child);
    out += "CREATE TEMPORARY TABLE augur_rebuild AS SELECT * FROM " + name + "; DROP TABLE " +
           name + "; " + create + " INSERT INTO " + name +
           " OVERRIDING SYSTEM VALUE SELECT * FROM augur_rebuild; DROP TABLE augur_rebuild; ";
    for (size_t row = 0; row < indexes->RowCount(); ++row) {
      out += indexes->GetValue(0, row).ToString() + " ";
    }
  }
  return out + records;
}

}  // namespace augur::engine
