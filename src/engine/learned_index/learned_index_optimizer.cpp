// learned_index_optimizer.cpp
#include "engine/learned_index/learned_index_optimizer.h"

#include <functional>
#include <optional>

#include "duckdb/catalog/catalog_entry/duck_table_entry.hpp"
#include "duckdb/planner/expression/bound_between_expression.hpp"
#include "duckdb/planner/expression/bound_cast_expression.hpp"
#include "duckdb/planner/expression/bound_columnref_expression.hpp"
#include "duckdb/planner/expression/bound_comparison_expression.hpp"
#include "duckdb/planner/expression/bound_conjunction_expression.hpp"
#include "duckdb/planner/expression/bound_constant_expression.hpp"
#include "duckdb/planner/expression/bound_operator_expression.hpp"
#include "duckdb/planner/filter/conjunction_filter.hpp"
#include "duckdb/planner/filter/constant_filter.hpp"
#include "duckdb/planner/filter/in_filter.hpp"
#include "duckdb/planner/operator/logical_filter.hpp"
#include "duckdb/planner/operator/logical_get.hpp"
#include "duckdb/planner/operator/logical_projection.hpp"
#include "duckdb/planner/operator/logical_top_n.hpp"
#include "duckdb/storage/data_table.hpp"
#include "duckdb/storage/table/data_table_info.hpp"
#include "duckdb/storage/table/table_index_list.hpp"
#include "engine/learned_index/key_ranges.h"
#include "engine/learned_index/learned_bound_index.h"
#include "engine/learned_index/learned_index_scan.h"

namespace augur::engine::learned_index {
namespace {

using duckdb::Expression;
using duckdb::ExpressionType;
using duckdb::unique_ptr;

// A value known when the query starts: constants, parameters, and casts of them.
bool IsRuntimeConstant(const Expression& expr) {
  switch (expr.GetExpressionClass()) {
    case duckdb::ExpressionClass::BOUND_CONSTANT:
    case duckdb::ExpressionClass::BOUND_PARAMETER:
      return true;
    case duckdb::ExpressionClass::BOUND_CAST:
      return IsRuntimeConstant(*expr.Cast<duckdb::BoundCastExpression>().child);
    default:
      return false;
  }
}

// Turns predicates on one column binding into unions of key intervals.
class ConjunctBuilder {
 public:
  ConjunctBuilder(duckdb::ColumnBinding column, const duckdb::LogicalType& type)
      : column_(column), type_(type) {}

  // The union `expr` restricts the column to, or nullopt when it is not such a predicate.
  std::optional<BoundKeyUnion> FromExpression(const Expression& expr) const {
    switch (expr.GetExpressionClass()) {
      case duckdb::ExpressionClass::BOUND_COMPARISON: {
        auto& cmp = expr.Cast<duckdb::BoundComparisonExpression>();
        if (IsColumn(*cmp.left) && IsRuntimeConstant(*cmp.right)) {
          return Compare(expr.GetExpressionType(), *cmp.right);
        }
        if (IsColumn(*cmp.right) && IsRuntimeConstant(*cmp.left)) {
          return Compare(duckdb::FlipComparisonExpression(expr.GetExpressionType()), *cmp.left);
        }
        return std::nullopt;
      }
      case duckdb::ExpressionClass::BOUND_BETWEEN: {
        auto& between = expr.Cast<duckdb::BoundBetweenExpression>();
        if (!IsColumn(*between.input) || !IsRuntimeConstant(*between.lower) ||
            !IsRuntimeConstant(*between.upper)) {
          return std::nullopt;
        }
        BoundKeyUnion result;
        result.push_back({between.lower->Copy(), between.upper->Copy()});
        return result;
      }
      case duckdb::ExpressionClass::BOUND_OPERATOR: {
        if (expr.GetExpressionType() != ExpressionType::COMPARE_IN) return std::nullopt;
        auto& in = expr.Cast<duckdb::BoundOperatorExpression>();
        if (!IsColumn(*in.children[0])) return std::nullopt;
        BoundKeyUnion result;
        for (size_t i = 1; i < in.children.size(); ++i) {
          if (!IsRuntimeConstant(*in.children[i])) return std::nullopt;
          result.push_back({in.children[i]->Copy(), in.children[i]->Copy()});
        }
        return result;
      }
      case duckdb::ExpressionClass::BOUND_CONJUNCTION: {
        if (expr.GetExpressionType() != ExpressionType::CONJUNCTION_OR) return std::nullopt;
        BoundKeyUnion result;
        for (auto& child : expr.Cast<duckdb::BoundConjunctionExpression>().children) {
          auto part = FromExpression(*child);
          if (!part) return std::nullopt;
          for (auto& interval : *part) result.push_back(std::move(interval));
        }
        return result;
      }
      default:
        return std::nullopt;
    }
  }

  // Conjuncts from a filter pushed into the scan for this column.
  void FromTableFilter(const duckdb::TableFilter& filter,
                       std::vector<BoundKeyUnion>& conjuncts) const {
    if (filter.filter_type == duckdb::TableFilterType::CONJUNCTION_AND) {
      for (auto& child : filter.Cast<duckdb::ConjunctionAndFilter>().child_filters) {
        FromTableFilter(*child, conjuncts);
      }
      return;
    }
    if (auto single = UnionFromTableFilter(filter)) conjuncts.push_back(std::move(*single));
  }

 private:
  bool IsColumn(const Expression& expr) const {
    if (expr.GetExpressionClass() != duckdb::ExpressionClass::BOUND_COLUMN_REF) return false;
    auto& ref = expr.Cast<duckdb::BoundColumnRefExpression>();
    return ref.binding == column_ && ref.return_type == type_;
  }

  static std::optional<BoundKeyUnion> Compare(ExpressionType comparison, const Expression& value) {
    BoundKeyInterval interval;
    switch (comparison) {
      case ExpressionType::COMPARE_EQUAL:
        interval = {value.Copy(), value.Copy()};
        break;
      case ExpressionType::COMPARE_LESSTHAN:
      case ExpressionType::COMPARE_LESSTHANOREQUALTO:
        interval.hi = value.Copy();
        break;
      case ExpressionType::COMPARE_GREATERTHAN:
      case ExpressionType::COMPARE_GREATERTHANOREQUALTO:
        interval.lo = value.Copy();
        break;
      default:
        return std::nullopt;  // <>, IS DISTINCT FROM, ...
    }
    BoundKeyUnion result;
    result.push_back(std::move(interval));
    return result;
  }

  std::optional<BoundKeyUnion> UnionFromTableFilter(const duckdb::TableFilter& filter) const {
    switch (filter.filter_type) {
      case duckdb::TableFilterType::CONSTANT_COMPARISON: {
        auto& constant = filter.Cast<duckdb::ConstantFilter>();
        duckdb::BoundConstantExpression value(constant.constant);
        return Compare(constant.comparison_type, value);
      }
      case duckdb::TableFilterType::IN_FILTER: {
        BoundKeyUnion result;
        for (auto& v : filter.Cast<duckdb::InFilter>().values) {
          result.push_back({duckdb::make_uniq<duckdb::BoundConstantExpression>(v),
                            duckdb::make_uniq<duckdb::BoundConstantExpression>(v)});
        }
        return result;
      }
      case duckdb::TableFilterType::CONJUNCTION_OR: {
        BoundKeyUnion result;
        for (auto& child : filter.Cast<duckdb::ConjunctionOrFilter>().child_filters) {
          auto part = UnionFromTableFilter(*child);
          if (!part) return std::nullopt;
          for (auto& interval : *part) result.push_back(std::move(interval));
        }
        return result;
      }
      default:
        return std::nullopt;  // IS NULL, optional and dynamic filters, expressions, ...
    }
  }

  duckdb::ColumnBinding column_;
  duckdb::LogicalType type_;
};

// Whether every bound is a constant, so the plan can ask the index for a row count.
bool AllConstant(const std::vector<BoundKeyUnion>& conjuncts) {
  for (auto& conjunct : conjuncts) {
    for (auto& interval : conjunct) {
      for (auto* expr : {interval.lo.get(), interval.hi.get()}) {
        if (expr && !expr->IsFoldable()) return false;
      }
    }
  }
  return true;
}

// Moves the filters pushed into `get` into a filter above it: learned_index_scan does not apply
// them. Keeps the scan's output columns as they were through the filter's projection map.
void LiftTableFilters(unique_ptr<duckdb::LogicalOperator>& get_slot) {
  auto& get = get_slot->Cast<duckdb::LogicalGet>();
  if (get.table_filters.filters.empty()) return;
  auto filter = duckdb::make_uniq<duckdb::LogicalFilter>();
  const auto& column_ids = get.GetColumnIds();
  for (auto& [column, table_filter] : get.table_filters.filters) {
    for (duckdb::idx_t i = 0; i < column_ids.size(); ++i) {
      if (column_ids[i].GetPrimaryIndex() != column) continue;
      duckdb::BoundColumnRefExpression ref(get.returned_types[column],
                                           duckdb::ColumnBinding(get.table_index, i));
      filter->expressions.push_back(table_filter->ToExpression(ref));
      break;
    }
  }
  get.table_filters.filters.clear();
  filter->projection_map = std::move(get.projection_ids);
  get.projection_ids.clear();
  filter->children.push_back(std::move(get_slot));
  filter->ResolveOperatorTypes();
  get_slot = std::move(filter);
}

// Calls `visit(index, logical column)` for each LEARNED index on `table` until it returns true.
void ForEachLearnedIndex(duckdb::ClientContext& context, duckdb::TableCatalogEntry& table,
                         const std::function<bool(LearnedBoundIndex&, duckdb::column_t)>& visit) {
  auto& info = *table.GetStorage().GetDataTableInfo();
  if (info.GetIndexes().Empty()) return;
  info.BindIndexes(context, LearnedBoundIndex::kTypeName);
  info.GetIndexes().Scan([&](duckdb::Index& index) {
    if (!index.IsBound() || index.GetIndexType() != LearnedBoundIndex::kTypeName) return false;
    auto& learned = index.Cast<LearnedBoundIndex>();
    auto physical = duckdb::PhysicalIndex(learned.GetColumnIds()[0]);
    return visit(learned, table.GetColumns().PhysicalToLogical(physical).index);
  });
}

// Puts learned_index_scan with `bind` in place of the seq_scan `get`.
void UseLearnedScan(duckdb::LogicalGet& get, duckdb::unique_ptr<LearnedIndexScanBindData> bind) {
  if (bind->predicted_rows) {
    get.has_estimated_cardinality = true;
    get.estimated_cardinality = *bind->predicted_rows;
  }
  get.function = LearnedIndexScanFunction::Get();
  get.bind_data = std::move(bind);
}

// Rewrites `slot` (a seq_scan, or a filter directly over one) when a LEARNED index pays off.
bool TryRewrite(duckdb::ClientContext& context, unique_ptr<duckdb::LogicalOperator>& slot) {
  duckdb::LogicalFilter* filter = nullptr;
  unique_ptr<duckdb::LogicalOperator>* get_slot = &slot;
  if (slot->type == duckdb::LogicalOperatorType::LOGICAL_FILTER && slot->children.size() == 1 &&
      slot->children[0]->type == duckdb::LogicalOperatorType::LOGICAL_GET) {
    filter = &slot->Cast<duckdb::LogicalFilter>();
    get_slot = &slot->children[0];
  } else if (slot->type != duckdb::LogicalOperatorType::LOGICAL_GET) {
    return false;
  }
  auto& get = (*get_slot)->Cast<duckdb::LogicalGet>();
  if (get.function.name != "seq_scan" || !get.children.empty()) return false;
  if (get.dynamic_filters && get.dynamic_filters->HasFilters()) return false;
  auto table = get.GetTable();
  if (!table || !table->IsDuckTable()) return false;
  duckdb::unique_ptr<LearnedIndexScanBindData> best;
  uint64_t table_rows = table->GetStorage().GetTotalRows();
  ForEachLearnedIndex(context, *table, [&](LearnedBoundIndex& learned, duckdb::column_t logical) {
    const auto& column_ids = get.GetColumnIds();
    for (duckdb::idx_t i = 0; i < column_ids.size(); ++i) {
      if (column_ids[i].IsRowIdColumn() || column_ids[i].GetPrimaryIndex() != logical ||
          column_ids[i].HasChildren()) {
        continue;
      }
      ConjunctBuilder builder(duckdb::ColumnBinding(get.table_index, i), learned.key_type());
      std::vector<BoundKeyUnion> conjuncts;
      if (auto it = get.table_filters.filters.find(logical);
          it != get.table_filters.filters.end()) {
        builder.FromTableFilter(*it->second, conjuncts);
      }
      if (filter) {
        for (auto& expr : filter->expressions) {
          if (auto conjunct = builder.FromExpression(*expr))
            conjuncts.push_back(std::move(*conjunct));
        }
      }
      if (conjuncts.empty()) break;
      auto bind = duckdb::make_uniq<LearnedIndexScanBindData>(*table, learned);
      bind->conjuncts = std::move(conjuncts);
      if (AllConstant(bind->conjuncts)) {
        bind->predicted_rows = learned.Count(EvaluateKeyRanges(context, learned, bind->conjuncts));
        // The clustered layout's windows are read by DuckDB's scan, a vector at a time, so they
        // stay cheaper than a full scan for a much larger share of the table.
        double share = learned.clustered() ? LearnedIndexOptimizer::kMaxClusteredTableShare
                                           : LearnedIndexOptimizer::kMaxTableShare;
        uint64_t limit =
            std::max<uint64_t>(LearnedIndexOptimizer::kAlwaysCheapRows,
                               static_cast<uint64_t>(share * static_cast<double>(table_rows)));
        if (*bind->predicted_rows > limit) break;  // a scan is cheaper
      }
      if (!best || (bind->predicted_rows &&
                    (!best->predicted_rows || *bind->predicted_rows < *best->predicted_rows))) {
        best = std::move(bind);
      }
      break;
    }
    return false;
  });
  if (!best) return false;
  UseLearnedScan(get, std::move(best));
  LiftTableFilters(*get_slot);
  return true;
}

// ORDER BY key [DESC] LIMIT n directly over an unfiltered seq_scan (possibly through a
// projection): the scan returns the first n rows in key order and the TopN sorts only those.
// Only when the column has no NULLs (by its statistics): NULL rows are not in the index, and an
// ORDER BY may want them first.
bool TryRewriteTopN(duckdb::ClientContext& context, duckdb::LogicalOperator& op) {
  if (op.type != duckdb::LogicalOperatorType::LOGICAL_TOP_N) return false;
  auto& top_n = op.Cast<duckdb::LogicalTopN>();
  if (top_n.orders.size() != 1 || top_n.children.size() != 1) return false;
  auto& order = top_n.orders[0];
  if (order.expression->GetExpressionClass() != duckdb::ExpressionClass::BOUND_COLUMN_REF) {
    return false;
  }
  auto binding = order.expression->Cast<duckdb::BoundColumnRefExpression>().binding;
  duckdb::LogicalOperator* child = top_n.children[0].get();
  if (child->type == duckdb::LogicalOperatorType::LOGICAL_PROJECTION) {
    auto& projection = child->Cast<duckdb::LogicalProjection>();
    if (binding.table_index != projection.table_index ||
        binding.column_index >= projection.expressions.size()) {
      return false;
    }
    auto& expr = *projection.expressions[binding.column_index];
    if (expr.GetExpressionClass() != duckdb::ExpressionClass::BOUND_COLUMN_REF) return false;
    binding = expr.Cast<duckdb::BoundColumnRefExpression>().binding;
    child = projection.children[0].get();
  }
  if (child->type != duckdb::LogicalOperatorType::LOGICAL_GET) return false;
  auto& get = child->Cast<duckdb::LogicalGet>();
  if (get.function.name != "seq_scan" || !get.children.empty() ||
      binding.table_index != get.table_index) {
    return false;
  }
  // The TopN pushes an optional dynamic filter (skip rows that cannot make the top n) into the
  // scan; anything else is a real filter, and the first n rows by key might all fail it.
  for (auto& [column_index, filter] : get.table_filters.filters) {
    if (filter->filter_type != duckdb::TableFilterType::OPTIONAL_FILTER) return false;
  }
  const auto& column_ids = get.GetColumnIds();
  if (binding.column_index >= column_ids.size()) return false;
  const auto& column = column_ids[binding.column_index];
  if (column.IsRowIdColumn() || column.HasChildren()) return false;
  auto table = get.GetTable();
  if (!table || !table->IsDuckTable()) return false;
  auto stats = table->GetStatistics(context, column.GetPrimaryIndex());
  if (!stats || stats->CanHaveNull()) return false;

  duckdb::unique_ptr<LearnedIndexScanBindData> bind;
  ForEachLearnedIndex(context, *table, [&](LearnedBoundIndex& learned, duckdb::column_t logical) {
    // A clustered index stores no keys to list the first n by (no Edge()).
    if (logical != column.GetPrimaryIndex() || learned.clustered() ||
        learned.key_type() != order.expression->return_type) {
      return false;
    }
    bind = duckdb::make_uniq<LearnedIndexScanBindData>(*table, learned);
    bind->ordered_limit = LearnedIndexScanBindData::OrderedLimit{
        top_n.limit + top_n.offset, order.type == duckdb::OrderType::DESCENDING};
    bind->predicted_rows = top_n.limit + top_n.offset;
    return true;
  });
  if (!bind) return false;
  UseLearnedScan(get, std::move(bind));
  get.table_filters.filters.clear();  // optional only: the scan returns the first n anyway
  return true;
}

void Visit(duckdb::ClientContext& context, unique_ptr<duckdb::LogicalOperator>& op) {
  if (TryRewrite(context, op) || TryRewriteTopN(context, *op)) return;
  for (auto& child : op->children) Visit(context, child);
}

void Optimize(duckdb::OptimizerExtensionInput& input, unique_ptr<duckdb::LogicalOperator>& plan) {
  Visit(input.context, plan);
}

}  // namespace

LearnedIndexOptimizer::LearnedIndexOptimizer() { optimize_function = Optimize; }

}  // namespace augur::engine::learned_index
