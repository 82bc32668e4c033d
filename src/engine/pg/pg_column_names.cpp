// pg_column_names.cpp: after PostgreSQL's FigureColnameInternal
// (src/backend/parser/parse_target.c). Each rule returns a name and a strength: 2 for a name taken
// from the expression (a column, a function), 1 for a type name from a cast, 0 for nothing. A cast
// keeps its operand's name when that is strong, which is why `x::int` is "x" but `1::int` is
// "int4".
#include "engine/pg/pg_column_names.h"

#include <string>
#include <utility>

#include "duckdb/parser/expression/list.hpp"
#include "duckdb/parser/query_node/cte_node.hpp"
#include "duckdb/parser/query_node/select_node.hpp"
#include "duckdb/parser/query_node/set_operation_node.hpp"
#include "duckdb/parser/statement/select_statement.hpp"
#include "engine/pg/pg_value_rewrite.h"

namespace augur::engine {
namespace {

using duckdb::ExpressionClass;
using duckdb::ParsedExpression;

struct FiguredName {
  std::string name;
  int strength = 0;
};

std::string PgTypeName(const duckdb::LogicalType& type) {
  switch (type.id()) {
    case duckdb::LogicalTypeId::BOOLEAN:
      return "bool";
    case duckdb::LogicalTypeId::SMALLINT:
      return "int2";
    case duckdb::LogicalTypeId::INTEGER:
      return "int4";
    case duckdb::LogicalTypeId::BIGINT:
      return "int8";
    case duckdb::LogicalTypeId::FLOAT:
      return "float4";
    case duckdb::LogicalTypeId::DOUBLE:
      return "float8";
    case duckdb::LogicalTypeId::DECIMAL:
      return "numeric";
    case duckdb::LogicalTypeId::VARCHAR:
      return "text";
    case duckdb::LogicalTypeId::BLOB:
      return "bytea";
    case duckdb::LogicalTypeId::TIMESTAMP:
      return "timestamp";
    case duckdb::LogicalTypeId::TIMESTAMP_TZ:
      return "timestamptz";
    case duckdb::LogicalTypeId::TIME:
      return "time";
    case duckdb::LogicalTypeId::LIST:  // x::int[] is named int4, whatever its dimensions
      return PgTypeName(duckdb::ListType::GetChildType(type));
    default: {
      std::string name = type.ToString();
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return name;
    }
  }
}

FiguredName Figure(const ParsedExpression& expr);

FiguredName FigureQueryNode(const duckdb::QueryNode& node) {
  auto& list = const_cast<duckdb::QueryNode&>(node).GetSelectList();
  if (list.empty()) return {};
  auto& first = *list[0];
  if (!first.alias.empty()) return {first.alias, 2};
  return Figure(first);
}

FiguredName Figure(const ParsedExpression& expr) {
  switch (expr.GetExpressionClass()) {
    case ExpressionClass::COLUMN_REF:
      return {expr.Cast<duckdb::ColumnRefExpression>().GetColumnName(), 2};
    case ExpressionClass::FUNCTION: {
      auto& fn = expr.Cast<duckdb::FunctionExpression>();
      if (fn.is_operator) return {};
      if (fn.function_name == "count_star") return {"count", 2};
      if (fn.function_name == "list_value") return {"array", 2};
      if (fn.function_name == "row") return {"row", 2};
      // EXTRACT(field FROM x), rewritten for its numeric result (pg_extract.h).
      if (fn.function_name == "pg_extract_field" || fn.function_name == "pg_extract_seconds" ||
          fn.function_name == "pg_extract_milliseconds" || fn.function_name == "pg_extract_epoch") {
        return {"extract", 2};
      }
      // substring(s FROM 'pattern'), PostgreSQL's regular-expression form (pg_value_rewrite.h).
      if (fn.function_name == "augur_regex_substring") return {"substring", 2};
      if (fn.function_name == "augur_regclass_name") return {"regclass", 2};
      // x SIMILAR TO p is DuckDB's regexp_full_match; PostgreSQL names the operator ?column?.
      if (fn.function_name == "regexp_full_match") return {};
      // x LIKE p ESCAPE e is DuckDB's like_escape (and kin); LIKE is an operator in PostgreSQL.
      if (fn.function_name == "like_escape" || fn.function_name == "not_like_escape" ||
          fn.function_name == "ilike_escape" || fn.function_name == "not_ilike_escape") {
        return {};
      }
      // x::varchar(n) and x::char(n), cut to their length (pg_value_rewrite.h).
      if ((fn.function_name == "pg_varchar_cut" || fn.function_name == "pg_bpchar_cut") &&
          !fn.children.empty()) {
        FiguredName inner = Figure(*fn.children[0]);
        if (inner.strength > 1) return inner;
        return {fn.function_name == "pg_varchar_cut" ? "varchar" : "bpchar", 1};
      }
      // A set-returning function in a select list, unnested (pg_value_rewrite.h).
      if (fn.function_name == "unnest" && fn.children.size() == 1 &&
          fn.children[0]->GetExpressionClass() == ExpressionClass::FUNCTION) {
        const auto& inner = fn.children[0]->Cast<duckdb::FunctionExpression>().function_name;
        if (IsSetReturningInSelectList(inner)) return {inner, 2};
      }
      return {fn.function_name, 2};
    }
    case ExpressionClass::WINDOW: {
      auto& fn = expr.Cast<duckdb::WindowExpression>();
      return {fn.function_name == "count_star" ? "count" : fn.function_name, 2};
    }
    case ExpressionClass::CAST: {
      auto& cast = expr.Cast<duckdb::CastExpression>();
      // 1e3, written out as CAST(1000 AS DECIMAL(38,0)) by pg_value_rewrite.cpp.
      if (cast.child->GetExpressionClass() == ExpressionClass::CONSTANT &&
          cast.cast_type == duckdb::LogicalType::DECIMAL(38, 0)) {
        return {};
      }
      FiguredName inner = Figure(*cast.child);
      if (inner.strength > 1) return inner;
      return {PgTypeName(cast.cast_type), 1};
    }
    case ExpressionClass::CASE:
      return {"case", 2};
    case ExpressionClass::OPERATOR: {
      switch (expr.GetExpressionType()) {
        case duckdb::ExpressionType::OPERATOR_COALESCE:
          return {"coalesce", 2};
        case duckdb::ExpressionType::ARRAY_EXTRACT:
          return {};
        default:
          return {};
      }
    }
    case ExpressionClass::SUBQUERY: {
      auto& sub = expr.Cast<duckdb::SubqueryExpression>();
      switch (sub.subquery_type) {
        case duckdb::SubqueryType::EXISTS:
          return {"exists", 2};
        case duckdb::SubqueryType::SCALAR:
          if (sub.subquery && sub.subquery->node) return FigureQueryNode(*sub.subquery->node);
          return {};
        default:
          return {};
      }
    }
    default:
      return {};
  }
}

}  // namespace

void ApplyPgColumnNames(duckdb::SQLStatement& statement) {
  if (statement.type != duckdb::StatementType::SELECT_STATEMENT) return;
  auto& select = statement.Cast<duckdb::SelectStatement>();
  duckdb::QueryNode* node = select.node.get();
  // A set operation takes its column names from its leftmost branch; a materialized WITH is a
  // CTE node whose child is the main query.
  while (node && (node->type == duckdb::QueryNodeType::SET_OPERATION_NODE ||
                  node->type == duckdb::QueryNodeType::CTE_NODE)) {
    node = node->type == duckdb::QueryNodeType::CTE_NODE
               ? node->Cast<duckdb::CTENode>().child.get()
               : node->Cast<duckdb::SetOperationNode>().left.get();
  }
  if (!node || node->type != duckdb::QueryNodeType::SELECT_NODE) return;
  for (auto& expr : node->Cast<duckdb::SelectNode>().select_list) {
    if (!expr->alias.empty()) continue;
    auto cls = expr->GetExpressionClass();
    if (cls == ExpressionClass::COLUMN_REF || cls == ExpressionClass::STAR) continue;
    FiguredName figured = Figure(*expr);
    expr->alias = figured.strength > 0 ? figured.name : "?column?";
  }
}

}  // namespace augur::engine
