// column_origins.cpp: see column_origins.h. Follows each output binding of the unoptimized plan
// through projections and GROUP BY keys down to the table scan that defines it; filters, joins,
// ORDER BY and LIMIT pass bindings through unchanged, so they need no case of their own.
#include "engine/pg/column_origins.h"

#include "duckdb/catalog/catalog_entry/table_catalog_entry.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/config.hpp"
#include "duckdb/optimizer/optimizer_extension.hpp"
#include "duckdb/planner/expression/bound_columnref_expression.hpp"
#include "duckdb/planner/operator/logical_aggregate.hpp"
#include "duckdb/planner/operator/logical_get.hpp"
#include "duckdb/planner/operator/logical_projection.hpp"

namespace augur::engine {
namespace {

// Deeper chains of projections than this are not followed (a guard against a malformed plan).
constexpr int kMaxDepth = 64;

// The operator in `op`'s tree whose output bindings have `table_index`.
duckdb::LogicalOperator* FindDefining(duckdb::LogicalOperator& op, duckdb::idx_t table_index) {
  switch (op.type) {
    case duckdb::LogicalOperatorType::LOGICAL_GET:
      if (op.Cast<duckdb::LogicalGet>().table_index == table_index) return &op;
      break;
    case duckdb::LogicalOperatorType::LOGICAL_PROJECTION:
      if (op.Cast<duckdb::LogicalProjection>().table_index == table_index) return &op;
      break;
    case duckdb::LogicalOperatorType::LOGICAL_AGGREGATE_AND_GROUP_BY:
      if (op.Cast<duckdb::LogicalAggregate>().group_index == table_index) return &op;
      break;
    default:
      break;
  }
  for (auto& child : op.children) {
    if (auto* found = FindDefining(*child, table_index)) return found;
  }
  return nullptr;
}

ColumnOrigin OriginOf(duckdb::LogicalOperator& root, duckdb::ColumnBinding binding) {
  for (int depth = 0; depth < kMaxDepth; ++depth) {
    duckdb::LogicalOperator* op = FindDefining(root, binding.table_index);
    if (op == nullptr) return {};
    const duckdb::Expression* next = nullptr;
    switch (op->type) {
      case duckdb::LogicalOperatorType::LOGICAL_GET: {
        auto& get = op->Cast<duckdb::LogicalGet>();
        auto table = get.GetTable();
        auto& ids = get.GetColumnIds();
        if (!table || binding.column_index >= ids.size() ||
            ids[binding.column_index].IsRowIdColumn()) {
          return {};
        }
        auto column = ids[binding.column_index].GetPrimaryIndex();
        if (column >= table->GetColumns().LogicalColumnCount()) return {};
        return {static_cast<uint32_t>(table->oid), static_cast<int16_t>(column + 1)};
      }
      case duckdb::LogicalOperatorType::LOGICAL_PROJECTION: {
        auto& expressions = op->Cast<duckdb::LogicalProjection>().expressions;
        if (binding.column_index < expressions.size()) {
          next = expressions[binding.column_index].get();
        }
        break;
      }
      default: {
        auto& groups = op->Cast<duckdb::LogicalAggregate>().groups;
        if (binding.column_index < groups.size()) next = groups[binding.column_index].get();
        break;
      }
    }
    if (next == nullptr ||
        next->GetExpressionClass() != duckdb::ExpressionClass::BOUND_COLUMN_REF) {
      return {};
    }
    binding = next->Cast<duckdb::BoundColumnRefExpression>().binding;
  }
  return {};
}

void RecordOrigins(duckdb::OptimizerExtensionInput& input,
                   duckdb::unique_ptr<duckdb::LogicalOperator>& plan) {
  auto recorder =
      input.context.registered_state->Get<ColumnOriginRecorder>(ColumnOriginRecorder::kKey);
  if (!recorder || !recorder->armed() || !plan) return;
  std::vector<ColumnOrigin> origins;
  try {
    for (auto& binding : plan->GetColumnBindings()) origins.push_back(OriginOf(*plan, binding));
  } catch (const std::exception&) {
    origins.clear();  // the origins are merely unknown; the statement itself is unaffected
  }
  recorder->Record(std::move(origins));
}

}  // namespace

void RegisterColumnOrigins(duckdb::DatabaseInstance& db) {
  duckdb::OptimizerExtension extension;
  extension.pre_optimize_function = RecordOrigins;
  duckdb::DBConfig::GetConfig(db).optimizer_extensions.push_back(std::move(extension));
}

}  // namespace augur::engine
