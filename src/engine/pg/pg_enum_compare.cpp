// pg_enum_compare.cpp: see pg_enum_compare.h.
#include "engine/pg/pg_enum_compare.h"

#include <fmt/format.h>

#include <map>

#include "duckdb/main/config.hpp"
#include "duckdb/main/database.hpp"
#include "duckdb/optimizer/optimizer_extension.hpp"
#include "duckdb/planner/expression/bound_between_expression.hpp"
#include "duckdb/planner/expression/bound_cast_expression.hpp"
#include "duckdb/planner/expression/bound_comparison_expression.hpp"
#include "duckdb/planner/expression/bound_constant_expression.hpp"
#include "duckdb/planner/expression_iterator.hpp"
#include "duckdb/planner/logical_operator.hpp"
#include "engine/pg/error_translate.h"

namespace augur::engine {
namespace {

using duckdb::Expression;
using duckdb::ExpressionClass;
using duckdb::LogicalTypeId;
using duckdb::unique_ptr;

// Whether each enum-to-text cast of the plan, by its location, is written in the statement
// (m::text, CAST(m AS text)) rather than added by the binder. The binder's implicit cast carries
// its operand's location, a written one its own. A copy of the operand (BETWEEN makes them) may
// have lost its location; the cast's location finds the answer its original gave.
thread_local std::map<duckdb::idx_t, bool>* written_casts = nullptr;

bool IsEnumToText(const Expression& expression) {
  if (expression.GetExpressionClass() != ExpressionClass::BOUND_CAST) return false;
  auto& cast = expression.Cast<duckdb::BoundCastExpression>();
  return cast.return_type.id() == LogicalTypeId::VARCHAR &&
         cast.child->return_type.id() == LogicalTypeId::ENUM;
}

void CollectCasts(Expression& expression, std::map<duckdb::idx_t, bool>& out) {
  duckdb::ExpressionIterator::EnumerateChildren(
      expression, [&](unique_ptr<Expression>& child) { CollectCasts(*child, out); });
  if (!IsEnumToText(expression)) return;
  auto& cast = expression.Cast<duckdb::BoundCastExpression>();
  if (!cast.query_location.IsValid() || !cast.child->query_location.IsValid()) return;
  out[cast.query_location.GetIndex()] = cast.query_location != cast.child->query_location;
}

void CollectCasts(duckdb::LogicalOperator& op, std::map<duckdb::idx_t, bool>& out) {
  for (auto& expression : op.expressions) CollectCasts(*expression, out);
  for (auto& child : op.children) CollectCasts(*child, out);
}

// True only when the cast is known to be the binder's.
bool ImplicitCast(const duckdb::BoundCastExpression& cast) {
  if (!cast.query_location.IsValid()) return false;
  if (cast.child->query_location.IsValid()) {
    return cast.query_location == cast.child->query_location;
  }
  if (written_casts == nullptr) return false;
  auto found = written_casts->find(cast.query_location.GetIndex());
  return found != written_casts->end() && !found->second;
}

// The enum operand of an implicit CAST(enum AS VARCHAR), or nullptr.
Expression* EnumUnderTextCast(Expression& expression) {
  if (expression.GetExpressionClass() != ExpressionClass::BOUND_CAST) return nullptr;
  auto& cast = expression.Cast<duckdb::BoundCastExpression>();
  if (cast.return_type.id() != LogicalTypeId::VARCHAR) return nullptr;
  if (cast.child->return_type.id() != LogicalTypeId::ENUM) return nullptr;
  // A cast the query wrote (m::text) compares as text, in PostgreSQL too.
  if (!ImplicitCast(cast)) return nullptr;
  return cast.child.get();
}

// The string literal of 'text' or CAST('text' AS VARCHAR) (the binder's form), or nullptr.
const duckdb::Value* TextConstant(const Expression& expression) {
  const Expression* inner = &expression;
  if (inner->GetExpressionClass() == ExpressionClass::BOUND_CAST &&
      inner->return_type.id() == LogicalTypeId::VARCHAR) {
    inner = inner->Cast<duckdb::BoundCastExpression>().child.get();
  }
  if (inner->GetExpressionClass() != ExpressionClass::BOUND_CONSTANT) return nullptr;
  auto id = inner->return_type.id();
  if (id != LogicalTypeId::VARCHAR && id != LogicalTypeId::STRING_LITERAL &&
      id != LogicalTypeId::SQLNULL) {
    return nullptr;
  }
  return &inner->Cast<duckdb::BoundConstantExpression>().value;
}

bool IsTextConstant(const Expression& expression) { return TextConstant(expression) != nullptr; }

std::string EnumName(const duckdb::LogicalType& type) {
  return type.HasAlias() ? type.GetAlias() : type.ToString();
}

// The text constant as a value of the enum type, or PostgreSQL's error for a label it lacks.
unique_ptr<Expression> AsEnum(const Expression& constant, const duckdb::LogicalType& type) {
  const duckdb::Value& text = *TextConstant(constant);
  if (text.IsNull()) return duckdb::make_uniq<duckdb::BoundConstantExpression>(duckdb::Value(type));
  duckdb::Value label;
  std::string ignored;
  if (!text.DefaultTryCastAs(type, label, &ignored, /*strict=*/true)) {
    ThrowError(Error("22P02", fmt::format("invalid input value for enum {}: \"{}\"", EnumName(type),
                                          text.ToString())));
  }
  return duckdb::make_uniq<duckdb::BoundConstantExpression>(std::move(label));
}

// When `side` is CAST(enum AS VARCHAR) and `other` a text constant, compares the enum itself.
// Both operands are rewritten together, or neither.
bool CompareAsEnum(unique_ptr<Expression>& side, unique_ptr<Expression>& other) {
  Expression* value = EnumUnderTextCast(*side);
  if (value == nullptr || !IsTextConstant(*other)) return false;
  other = AsEnum(*other, value->return_type);
  side = std::move(side->Cast<duckdb::BoundCastExpression>().child);
  return true;
}

void Rewrite(unique_ptr<Expression>& expression) {
  duckdb::ExpressionIterator::EnumerateChildren(
      *expression, [](unique_ptr<Expression>& child) { Rewrite(child); });
  switch (expression->GetExpressionClass()) {
    case ExpressionClass::BOUND_COMPARISON: {
      auto& comparison = expression->Cast<duckdb::BoundComparisonExpression>();
      if (!CompareAsEnum(comparison.left, comparison.right)) {
        CompareAsEnum(comparison.right, comparison.left);
      }
      break;
    }
    case ExpressionClass::BOUND_BETWEEN: {
      auto& between = expression->Cast<duckdb::BoundBetweenExpression>();
      Expression* value = EnumUnderTextCast(*between.input);
      if (value && IsTextConstant(*between.lower) && IsTextConstant(*between.upper)) {
        between.lower = AsEnum(*between.lower, value->return_type);
        between.upper = AsEnum(*between.upper, value->return_type);
        between.input = std::move(between.input->Cast<duckdb::BoundCastExpression>().child);
      }
      break;
    }
    default:
      break;
  }
}

void Visit(duckdb::LogicalOperator& op) {
  for (auto& expression : op.expressions) Rewrite(expression);
  for (auto& child : op.children) Visit(*child);
}

void PreOptimize(duckdb::OptimizerExtensionInput&, unique_ptr<duckdb::LogicalOperator>& plan) {
  if (!plan) return;
  std::map<duckdb::idx_t, bool> casts;
  CollectCasts(*plan, casts);
  if (casts.empty()) return;
  written_casts = &casts;
  try {
    Visit(*plan);
  } catch (...) {
    written_casts = nullptr;
    throw;
  }
  written_casts = nullptr;
}

}  // namespace

void RegisterPgEnumComparisons(duckdb::DatabaseInstance& db) {
  duckdb::OptimizerExtension extension;
  extension.pre_optimize_function = PreOptimize;
  duckdb::DBConfig::GetConfig(db).optimizer_extensions.push_back(std::move(extension));
}

}  // namespace augur::engine
