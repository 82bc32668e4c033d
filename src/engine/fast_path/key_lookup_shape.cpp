// key_lookup_shape.cpp: see key_lookup_shape.h.
#include "engine/fast_path/key_lookup_shape.h"

#include <charconv>

#include "duckdb/common/string_util.hpp"
#include "duckdb/parser/expression/columnref_expression.hpp"
#include "duckdb/parser/expression/comparison_expression.hpp"
#include "duckdb/parser/expression/constant_expression.hpp"
#include "duckdb/parser/expression/parameter_expression.hpp"
#include "duckdb/parser/expression/star_expression.hpp"
#include "duckdb/parser/query_node/select_node.hpp"
#include "duckdb/parser/statement/explain_statement.hpp"
#include "duckdb/parser/statement/select_statement.hpp"
#include "duckdb/parser/tableref/basetableref.hpp"

namespace augur::engine::fast_path {
namespace {

using duckdb::ExpressionClass;
using duckdb::ParsedExpression;

// The column a reference names, when it is `col` or `<table or alias>.col`.
std::optional<std::string> ColumnOf(const ParsedExpression& expr, const std::string& relation) {
  if (expr.GetExpressionClass() != ExpressionClass::COLUMN_REF) return std::nullopt;
  const auto& names = expr.Cast<duckdb::ColumnRefExpression>().column_names;
  if (names.size() == 1) return names[0];
  if (names.size() == 2 && duckdb::StringUtil::CIEquals(names[0], relation)) return names[1];
  return std::nullopt;
}

// Whether `expr` is a bare `*` or `<table or alias>.*`, with no EXCLUDE, REPLACE, COLUMNS(...).
bool IsPlainStar(const ParsedExpression& expr, const std::string& relation) {
  if (expr.GetExpressionClass() != ExpressionClass::STAR || !expr.alias.empty()) return false;
  const auto& star = expr.Cast<duckdb::StarExpression>();
  return !star.columns && !star.expr && star.exclude_list.empty() && star.replace_list.empty() &&
         star.rename_list.empty() &&
         (star.relation_name.empty() || duckdb::StringUtil::CIEquals(star.relation_name, relation));
}

// Fills the key of `shape` from the right-hand side of `<key> = ...`.
bool ReadKey(const ParsedExpression& expr, KeyLookupShape& shape) {
  if (!expr.alias.empty()) return false;
  if (expr.GetExpressionClass() == ExpressionClass::PARAMETER) {
    const std::string& id = expr.Cast<duckdb::ParameterExpression>().identifier;
    int n = 0;
    auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), n);
    if (ec != std::errc() || end != id.data() + id.size() || n < 1) return false;
    shape.parameter = n;
    return true;
  }
  if (expr.GetExpressionClass() == ExpressionClass::CONSTANT) {
    shape.literal = expr.Cast<duckdb::ConstantExpression>().value;
    return !shape.literal.IsNull();  // `= NULL` is left to the planner
  }
  return false;
}

std::optional<KeyLookupShape> RecognizeSelect(const duckdb::SQLStatement& statement) {
  if (statement.type != duckdb::StatementType::SELECT_STATEMENT) return std::nullopt;
  const auto& node_ptr = statement.Cast<duckdb::SelectStatement>().node;
  if (!node_ptr || node_ptr->type != duckdb::QueryNodeType::SELECT_NODE) return std::nullopt;
  const auto& node = node_ptr->Cast<duckdb::SelectNode>();
  if (!node.modifiers.empty() || !node.cte_map.map.empty() ||
      !node.groups.group_expressions.empty() || !node.groups.grouping_sets.empty() || node.having ||
      node.qualify || node.sample ||
      node.aggregate_handling != duckdb::AggregateHandling::STANDARD_HANDLING || !node.from_table ||
      !node.where_clause || node.select_list.empty()) {
    return std::nullopt;
  }
  if (node.from_table->type != duckdb::TableReferenceType::BASE_TABLE) return std::nullopt;
  const auto& ref = node.from_table->Cast<duckdb::BaseTableRef>();
  if (ref.sample || !ref.column_name_alias.empty() || ref.at_clause) return std::nullopt;

  KeyLookupShape shape;
  shape.catalog = ref.catalog_name;
  shape.schema = ref.schema_name;
  shape.table = ref.table_name;
  const std::string& relation = ref.alias.empty() ? ref.table_name : ref.alias;

  if (node.select_list.size() == 1 && IsPlainStar(*node.select_list[0], relation)) {
    shape.star = true;
  } else {
    for (const auto& expr : node.select_list) {
      auto column = ColumnOf(*expr, relation);
      if (!column) return std::nullopt;
      shape.outputs.push_back({*column, expr->alias.empty() ? *column : expr->alias});
    }
  }

  const auto& where = *node.where_clause;
  if (where.GetExpressionType() != duckdb::ExpressionType::COMPARE_EQUAL) return std::nullopt;
  const auto& comparison = where.Cast<duckdb::ComparisonExpression>();
  auto key = ColumnOf(*comparison.left, relation);
  const ParsedExpression* value = comparison.right.get();
  if (!key) {
    key = ColumnOf(*comparison.right, relation);
    value = comparison.left.get();
  }
  if (!key || !ReadKey(*value, shape)) return std::nullopt;
  shape.key_column = *key;
  return shape;
}

}  // namespace

std::optional<KeyLookupShape> RecognizeKeyLookup(const duckdb::SQLStatement& statement) {
  if (statement.type == duckdb::StatementType::EXPLAIN_STATEMENT) {
    const auto& explain = statement.Cast<duckdb::ExplainStatement>();
    if (explain.explain_type != duckdb::ExplainType::EXPLAIN_STANDARD ||
        explain.explain_format != duckdb::ExplainFormat::DEFAULT || !explain.stmt) {
      return std::nullopt;
    }
    auto shape = RecognizeSelect(*explain.stmt);
    if (shape) shape->explain = true;
    return shape;
  }
  return RecognizeSelect(statement);
}

}  // namespace augur::engine::fast_path
