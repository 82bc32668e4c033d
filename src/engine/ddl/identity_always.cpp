// identity_always.cpp: the 428C9 checks of identity_always.h.
#include "engine/ddl/identity_always.h"

#include <algorithm>

#include "common/sql_quoting.h"
#include "duckdb/main/connection.hpp"
#include "duckdb/main/materialized_query_result.hpp"
#include "duckdb/parser/query_node/select_node.hpp"
#include "duckdb/parser/statement/insert_statement.hpp"
#include "duckdb/parser/statement/select_statement.hpp"
#include "duckdb/parser/statement/update_statement.hpp"
#include "duckdb/parser/tableref/basetableref.hpp"
#include "duckdb/parser/tableref/expressionlistref.hpp"
#include "engine/ddl/foreign_key_rewrite.h"
#include "engine/pg/sql_lexer.h"
#include "engine/pg/sql_tokens.h"

namespace augur::engine {
namespace {

constexpr std::string_view kGeneratedAlways = "428C9";

bool Same(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool OverridingSystemValue(const std::string& text) {
  for (auto& statement : Lex(text)) {
    auto& t = statement.tokens;
    for (size_t i = 0; i + 2 < t.size(); ++i) {
      if (Is(t, i, "OVERRIDING") && Is(t, i + 1, "SYSTEM") && Is(t, i + 2, "VALUE")) return true;
    }
  }
  return false;
}

// Whether the INSERT gives column `column` (at `position` among the table's columns when the
// INSERT names none) a value other than DEFAULT.
bool InsertsValue(const duckdb::InsertStatement& insert, const std::string& column,
                  size_t position) {
  size_t index = position;
  if (!insert.columns.empty()) {
    auto it = std::find_if(insert.columns.begin(), insert.columns.end(),
                           [&](const std::string& c) { return Same(c, column); });
    if (it == insert.columns.end()) return false;
    index = static_cast<size_t>(it - insert.columns.begin());
  }
  if (!insert.select_statement) return false;  // DEFAULT VALUES
  auto& node = *insert.select_statement->node;
  if (node.type == duckdb::QueryNodeType::SELECT_NODE) {
    auto& select = node.Cast<duckdb::SelectNode>();
    if (select.from_table &&
        select.from_table->type == duckdb::TableReferenceType::EXPRESSION_LIST) {
      auto& values = select.from_table->Cast<duckdb::ExpressionListRef>().values;
      for (auto& row : values) {
        if (index < row.size() && row[index]->type != duckdb::ExpressionType::VALUE_DEFAULT) {
          return true;
        }
      }
      return false;
    }
  }
  return true;  // INSERT ... SELECT: every column it lists gets a value
}

}  // namespace

std::vector<std::string> IdentityAlwaysColumns(duckdb::Connection& connection,
                                               const std::string& schema,
                                               const std::string& table) {
  std::vector<std::string> columns;
  auto result = connection.Query(
      std::string("SELECT column_name FROM ") + kAugurIdentityAlways +
      " WHERE lower(table_name) = lower(" + QuoteLiteral(table) + ")" +
      (schema.empty() ? "" : " AND lower(table_schema) = lower(" + QuoteLiteral(schema) + ")"));
  if (result->HasError()) return columns;
  for (size_t row = 0; row < result->RowCount(); ++row) {
    columns.push_back(result->GetValue(0, row).ToString());
  }
  return columns;
}

Status CheckIdentityAlways(duckdb::Connection& connection, const duckdb::SQLStatement& parsed) {
  if (parsed.type == duckdb::StatementType::INSERT_STATEMENT) {
    auto& insert = parsed.Cast<duckdb::InsertStatement>();
    auto always = IdentityAlwaysColumns(connection, insert.schema, insert.table);
    if (always.empty() || OverridingSystemValue(parsed.query)) return {};
    for (auto& column : always) {
      size_t position = 0;
      if (insert.columns.empty()) {
        auto found = connection.Query(
            "SELECT column_index - 1 FROM duckdb_columns() WHERE lower(table_name) = lower(" +
            QuoteLiteral(insert.table) + ") AND column_name = " + QuoteLiteral(column) +
            (insert.schema.empty()
                 ? ""
                 : " AND lower(schema_name) = lower(" + QuoteLiteral(insert.schema) + ")"));
        if (found->HasError() || found->RowCount() == 0) continue;
        position = static_cast<size_t>(found->GetValue(0, 0).GetValue<int64_t>());
      }
      if (!InsertsValue(insert, column, position)) continue;
      return Error(kGeneratedAlways,
                   "cannot insert a non-DEFAULT value into column \"" + column + "\"")
          .WithDetail("Column \"" + column +
                      "\" is an identity column defined as GENERATED ALWAYS.")
          .WithHint("Use OVERRIDING SYSTEM VALUE to override.");
    }
    return {};
  }
  if (parsed.type == duckdb::StatementType::UPDATE_STATEMENT) {
    auto& update = parsed.Cast<duckdb::UpdateStatement>();
    if (!update.table || update.table->type != duckdb::TableReferenceType::BASE_TABLE ||
        !update.set_info) {
      return {};
    }
    auto& table = update.table->Cast<duckdb::BaseTableRef>();
    auto always = IdentityAlwaysColumns(connection, table.schema_name, table.table_name);
    auto& set = *update.set_info;
    for (size_t i = 0; i < set.columns.size() && i < set.expressions.size(); ++i) {
      for (auto& column : always) {
        if (Same(set.columns[i], column) &&
            set.expressions[i]->type != duckdb::ExpressionType::VALUE_DEFAULT) {
          return Error(kGeneratedAlways, "column \"" + column + "\" can only be updated to DEFAULT")
              .WithDetail("Column \"" + column +
                          "\" is an identity column defined as GENERATED ALWAYS.");
        }
      }
    }
  }
  return {};
}

}  // namespace augur::engine
