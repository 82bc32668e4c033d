// pg_insert_columns.cpp: PostgreSQL assigns the values of an INSERT without a column list to the
// table's first columns and gives the others their defaults; DuckDB requires a value per column
// ("table t has 3 columns but 2 values were supplied"). Only INSERT ... VALUES rows shorter than
// the table get the implied list, so every other INSERT reaches DuckDB unchanged.
#include "duckdb/catalog/catalog_search_path.hpp"
#include "duckdb/main/client_data.hpp"
#include "duckdb/main/connection.hpp"
#include "duckdb/main/table_description.hpp"
#include "duckdb/parser/query_node/select_node.hpp"
#include "duckdb/parser/statement/insert_statement.hpp"
#include "duckdb/parser/statement/select_statement.hpp"
#include "duckdb/parser/tableref/expressionlistref.hpp"
#include "engine/pg/pg_parsed_rewrites.h"

namespace augur::engine {

void ApplyInsertColumns(duckdb::SQLStatement& statement, duckdb::Connection& connection) {
  if (statement.type != duckdb::StatementType::INSERT_STATEMENT) return;
  auto& insert = statement.Cast<duckdb::InsertStatement>();
  if (!insert.columns.empty() || !insert.select_statement) return;
  auto& node = *insert.select_statement->node;
  if (node.type != duckdb::QueryNodeType::SELECT_NODE) return;
  auto& select = node.Cast<duckdb::SelectNode>();
  if (!select.from_table ||
      select.from_table->type != duckdb::TableReferenceType::EXPRESSION_LIST) {
    return;
  }
  auto& rows = select.from_table->Cast<duckdb::ExpressionListRef>().values;
  if (rows.empty()) return;
  const size_t supplied = rows[0].size();
  try {
    // An unqualified name is the first table of that name on the search path (public first).
    duckdb::unique_ptr<duckdb::TableDescription> table;
    if (!insert.schema.empty()) {
      table = connection.TableInfo(insert.catalog, insert.schema, insert.table);
    } else {
      auto& search_path = *duckdb::ClientData::Get(*connection.context).catalog_search_path;
      for (const auto& entry : search_path.Get()) {
        table = connection.TableInfo(entry.catalog, entry.schema, insert.table);
        if (table) break;
      }
    }
    if (!table || table->columns.size() <= supplied) return;
    for (size_t i = 0; i < supplied; ++i) insert.columns.push_back(table->columns[i].Name());
  } catch (const std::exception&) {
    // No such table, or no transaction to look in: DuckDB reports it when it binds.
  }
}

}  // namespace augur::engine
