// constant_select.cpp: recognising and answering a select of literals (constant_select.h).
#include "engine/fast_path/constant_select.h"

#include "duckdb/common/types/column/column_data_collection.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/materialized_query_result.hpp"
#include "duckdb/parser/expression/constant_expression.hpp"
#include "duckdb/parser/query_node/select_node.hpp"
#include "duckdb/parser/statement/select_statement.hpp"

namespace augur::engine::fast_path {

std::optional<ConstantSelect> RecognizeConstantSelect(const duckdb::SQLStatement& statement) {
  if (statement.type != duckdb::StatementType::SELECT_STATEMENT) return std::nullopt;
  const auto& node_ptr = statement.Cast<duckdb::SelectStatement>().node;
  if (!node_ptr || node_ptr->type != duckdb::QueryNodeType::SELECT_NODE) return std::nullopt;
  const auto& node = node_ptr->Cast<duckdb::SelectNode>();
  if (!node.modifiers.empty() || !node.cte_map.map.empty() ||
      !node.groups.group_expressions.empty() || !node.groups.grouping_sets.empty() || node.having ||
      node.qualify || node.sample ||
      node.aggregate_handling != duckdb::AggregateHandling::STANDARD_HANDLING ||
      node.where_clause || !node.from_table ||
      node.from_table->type != duckdb::TableReferenceType::EMPTY_FROM || node.select_list.empty()) {
    return std::nullopt;
  }
  ConstantSelect select;
  for (const auto& expr : node.select_list) {
    if (expr->GetExpressionClass() != duckdb::ExpressionClass::CONSTANT) return std::nullopt;
    select.values.push_back(expr->Cast<duckdb::ConstantExpression>().value);
  }
  return select;
}

std::optional<std::unique_ptr<duckdb::QueryResult>> AnswerConstantSelect(
    duckdb::ClientContext& context, const ConstantSelect& select,
    const duckdb::vector<std::string>& names, const duckdb::vector<duckdb::LogicalType>& types) {
  if (types.size() != select.values.size() || names.size() != types.size()) return std::nullopt;
  duckdb::DataChunk row;
  row.Initialize(duckdb::Allocator::Get(context), types, 1);
  for (size_t i = 0; i < types.size(); ++i) {
    duckdb::Value value;
    // Exactly the cast the binder would apply to the literal; any doubt goes to the planner.
    if (!select.values[i].DefaultTryCastAs(types[i], value, nullptr, /*strict=*/true)) {
      return std::nullopt;
    }
    row.SetValue(i, 0, value);
  }
  row.SetCardinality(1);
  auto rows =
      duckdb::make_uniq<duckdb::ColumnDataCollection>(duckdb::Allocator::Get(context), types);
  rows->Append(row);
  duckdb::StatementProperties properties;
  properties.return_type = duckdb::StatementReturnType::QUERY_RESULT;
  return std::unique_ptr<duckdb::QueryResult>(std::make_unique<duckdb::MaterializedQueryResult>(
      duckdb::StatementType::SELECT_STATEMENT, std::move(properties), names, std::move(rows),
      context.GetClientProperties()));
}

}  // namespace augur::engine::fast_path
