// pg_group_by_pk.cpp: PostgreSQL lets a query grouped by a table's primary key select that
// table's other columns (they are functionally dependent on the key); DuckDB refuses them ("must
// appear in the GROUP BY clause"). Django's annotate(Count(...)) groups by the key alone. Where
// every primary key column of a table is grouped on, its other columns in the select list and
// ORDER BY become any_value(column): the same value, since the key fixes the row.
#include <set>
#include <string>
#include <vector>

#include "common/sql_quoting.h"
#include "duckdb/main/connection.hpp"
#include "duckdb/parser/expression/columnref_expression.hpp"
#include "duckdb/parser/expression/function_expression.hpp"
#include "duckdb/parser/query_node/select_node.hpp"
#include "duckdb/parser/result_modifier.hpp"
#include "duckdb/parser/statement/select_statement.hpp"
#include "duckdb/parser/tableref/basetableref.hpp"
#include "duckdb/parser/tableref/joinref.hpp"
#include "engine/pg/pg_parsed_rewrites.h"

namespace augur::engine {
namespace {

using duckdb::ColumnRefExpression;
using duckdb::ParsedExpression;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return s;
}

// The tables of a FROM clause by the name their columns are qualified with.
void Tables(const duckdb::TableRef& ref,
            std::vector<std::pair<std::string, const duckdb::BaseTableRef*>>& out) {
  if (ref.type == duckdb::TableReferenceType::BASE_TABLE) {
    auto& base = ref.Cast<duckdb::BaseTableRef>();
    out.emplace_back(Lower(base.alias.empty() ? base.table_name : base.alias), &base);
  } else if (ref.type == duckdb::TableReferenceType::JOIN) {
    auto& join = ref.Cast<duckdb::JoinRef>();
    Tables(*join.left, out);
    Tables(*join.right, out);
  }
}

bool IsQualifiedColumn(const ParsedExpression& e) {
  return e.GetExpressionClass() == duckdb::ExpressionClass::COLUMN_REF &&
         e.Cast<ColumnRefExpression>().column_names.size() == 2;
}

std::string Key(const ColumnRefExpression& ref) {
  return Lower(ref.column_names[0]) + "." + Lower(ref.column_names[1]);
}

void Apply(duckdb::SelectNode& node, duckdb::Connection& connection) {
  if (node.groups.group_expressions.empty() || !node.from_table) return;
  std::set<std::string> grouped;
  for (auto& g : node.groups.group_expressions)
    if (IsQualifiedColumn(*g)) grouped.insert(Key(g->Cast<ColumnRefExpression>()));
  if (grouped.empty()) return;
  std::vector<std::pair<std::string, const duckdb::BaseTableRef*>> tables;
  Tables(*node.from_table, tables);
  std::set<std::string> keyed;  // qualifiers whose whole primary key is grouped on
  for (auto& [qualifier, base] : tables) {
    bool any = false;
    for (auto& g : grouped) any |= g.rfind(qualifier + ".", 0) == 0;
    if (!any) continue;
    auto pk = connection.Query(
        "SELECT unnest(constraint_column_names) FROM duckdb_constraints() WHERE constraint_type = "
        "'PRIMARY KEY' AND table_name = " +
        QuoteLiteral(base->table_name) +
        (base->schema_name.empty() ? "" : " AND schema_name = " + QuoteLiteral(base->schema_name)));
    if (pk->HasError() || pk->RowCount() == 0) continue;
    bool all = true;
    for (size_t r = 0; r < pk->RowCount(); ++r)
      all &= grouped.count(qualifier + "." + Lower(pk->GetValue(0, r).ToString())) > 0;
    if (all) keyed.insert(qualifier);
  }
  if (keyed.empty()) return;
  auto wrap = [&](duckdb::unique_ptr<ParsedExpression>& e, bool keep_name) {
    if (!IsQualifiedColumn(*e)) return;
    auto& ref = e->Cast<ColumnRefExpression>();
    if (!keyed.count(Lower(ref.column_names[0])) || grouped.count(Key(ref))) return;
    std::string alias = e->alias.empty() ? ref.column_names[1] : e->alias;
    duckdb::vector<duckdb::unique_ptr<ParsedExpression>> children;
    children.push_back(std::move(e));
    e = duckdb::make_uniq<duckdb::FunctionExpression>("any_value", std::move(children));
    if (keep_name) e->alias = alias;
  };
  for (auto& e : node.select_list) wrap(e, true);
  for (auto& modifier : node.modifiers) {
    if (modifier->type != duckdb::ResultModifierType::ORDER_MODIFIER) continue;
    for (auto& order : modifier->Cast<duckdb::OrderModifier>().orders)
      wrap(order.expression, false);
  }
}

}  // namespace

void ApplyGroupByPrimaryKey(duckdb::SQLStatement& statement, duckdb::Connection& connection) {
  if (statement.type != duckdb::StatementType::SELECT_STATEMENT) return;
  auto& node = *statement.Cast<duckdb::SelectStatement>().node;
  if (node.type != duckdb::QueryNodeType::SELECT_NODE) return;
  Apply(node.Cast<duckdb::SelectNode>(), connection);
}

}  // namespace augur::engine
