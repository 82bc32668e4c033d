// learned_index_create.cpp
#include "engine/learned_index/learned_index_create.h"

#include "duckdb/catalog/catalog_entry/duck_index_entry.hpp"
#include "duckdb/catalog/catalog_entry/duck_table_entry.hpp"
#include "duckdb/common/exception/binder_exception.hpp"
#include "duckdb/common/exception/transaction_exception.hpp"
#include "duckdb/execution/operator/projection/physical_projection.hpp"
#include "duckdb/execution/physical_plan_generator.hpp"
#include "duckdb/planner/expression/bound_reference_expression.hpp"
#include "duckdb/planner/operator/logical_create_index.hpp"
#include "duckdb/storage/data_table.hpp"
#include "duckdb/storage/table_io_manager.hpp"
#include "engine/learned_index/key_codec.h"
#include "engine/learned_index/learned_bound_index.h"

namespace augur::engine::learned_index {
namespace {

struct GlobalState final : duckdb::GlobalSinkState {
  explicit GlobalState(const duckdb::LogicalType& type) : keys(type) {}
  std::mutex mu;
  KeyBuilder keys;
};

struct LocalState final : duckdb::LocalSinkState {
  explicit LocalState(const duckdb::LogicalType& type) : keys(type) {}
  KeyBuilder keys;
};

}  // namespace

PhysicalCreateLearnedIndex::PhysicalCreateLearnedIndex(
    duckdb::PhysicalPlan& plan, const duckdb::vector<duckdb::LogicalType>& types,
    duckdb::TableCatalogEntry& table, const duckdb::vector<duckdb::column_t>& column_ids,
    duckdb::unique_ptr<duckdb::CreateIndexInfo> info,
    duckdb::vector<duckdb::unique_ptr<duckdb::Expression>> unbound_expressions,
    duckdb::idx_t estimated_cardinality)
    : PhysicalOperator(plan, TYPE, types, estimated_cardinality),
      table_(table.Cast<duckdb::DuckTableEntry>()),
      info_(std::move(info)),
      unbound_expressions_(std::move(unbound_expressions)) {
  for (auto column_id : column_ids) {
    storage_ids_.push_back(
        table_.GetColumns().LogicalToPhysical(duckdb::LogicalIndex(column_id)).index);
  }
}

duckdb::PhysicalOperator& PhysicalCreateLearnedIndex::CreatePlan(duckdb::PlanIndexInput& input) {
  auto& create = input.op;
  if (create.info->constraint_type != duckdb::IndexConstraintType::NONE) {
    throw duckdb::BinderException("a LEARNED index cannot be UNIQUE; DuckDB's ART enforces keys");
  }
  if (create.expressions.size() != 1 || create.unbound_expressions.size() != 1 ||
      create.unbound_expressions[0]->type != duckdb::ExpressionType::BOUND_COLUMN_REF) {
    throw duckdb::BinderException("a LEARNED index covers exactly one column, not an expression");
  }
  const auto& key_type = create.expressions[0]->return_type;
  if (!IsSupportedKeyType(key_type)) {
    throw duckdb::BinderException(
        "a LEARNED index cannot cover a column of type %s (supported: integers, date, time, "
        "timestamp, float, double, varchar)",
        key_type.ToString());
  }
  LearnedBoundIndex::ParseOptions(create.info->options);  // reject bad options before scanning

  // scan -> (key, row id). The scan's last column is the row id.
  duckdb::vector<duckdb::LogicalType> projected_types{key_type, duckdb::LogicalType::ROW_TYPE};
  duckdb::vector<duckdb::unique_ptr<duckdb::Expression>> select_list;
  select_list.push_back(std::move(create.expressions[0]));
  select_list.push_back(duckdb::make_uniq<duckdb::BoundReferenceExpression>(
      duckdb::LogicalType::ROW_TYPE, create.info->scan_types.size() - 1));
  auto& projection = input.planner.Make<duckdb::PhysicalProjection>(
      projected_types, std::move(select_list), create.estimated_cardinality);
  projection.children.push_back(input.table_scan);

  auto& sink = input.planner.Make<PhysicalCreateLearnedIndex>(
      create.types, create.table, create.info->column_ids, std::move(create.info),
      std::move(create.unbound_expressions), create.estimated_cardinality);
  sink.children.push_back(projection);
  return sink;
}

duckdb::unique_ptr<duckdb::GlobalSinkState> PhysicalCreateLearnedIndex::GetGlobalSinkState(
    duckdb::ClientContext&) const {
  return duckdb::make_uniq<GlobalState>(unbound_expressions_[0]->return_type);
}

duckdb::unique_ptr<duckdb::LocalSinkState> PhysicalCreateLearnedIndex::GetLocalSinkState(
    duckdb::ExecutionContext&) const {
  return duckdb::make_uniq<LocalState>(unbound_expressions_[0]->return_type);
}

duckdb::SinkResultType PhysicalCreateLearnedIndex::Sink(duckdb::ExecutionContext&,
                                                        duckdb::DataChunk& chunk,
                                                        duckdb::OperatorSinkInput& input) const {
  input.local_state.Cast<LocalState>().keys.Add(chunk.data[0], chunk.data[1], chunk.size());
  return duckdb::SinkResultType::NEED_MORE_INPUT;
}

duckdb::SinkCombineResultType PhysicalCreateLearnedIndex::Combine(
    duckdb::ExecutionContext&, duckdb::OperatorSinkCombineInput& input) const {
  auto& global = input.global_state.Cast<GlobalState>();
  auto& local = input.local_state.Cast<LocalState>();
  local.keys.Sort();  // on this thread, in parallel with the others
  std::lock_guard lock(global.mu);
  global.keys.Absorb(local.keys);
  return duckdb::SinkCombineResultType::FINISHED;
}

duckdb::SinkFinalizeType PhysicalCreateLearnedIndex::Finalize(
    duckdb::Pipeline&, duckdb::Event&, duckdb::ClientContext& context,
    duckdb::OperatorSinkFinalizeInput& input) const {
  auto& global = input.global_state.Cast<GlobalState>();
  auto& storage = table_.GetStorage();
  if (!storage.IsMainTable()) {
    throw duckdb::TransactionException(
        "Transaction conflict: cannot add an index to a table that has been altered or dropped");
  }
  auto& schema = table_.schema;
  info_->column_ids = storage_ids_;
  auto transaction = schema.GetCatalogTransaction(context);
  if (schema.GetEntry(transaction, duckdb::CatalogType::INDEX_ENTRY, info_->index_name)) {
    if (info_->on_conflict != duckdb::OnCreateConflict::IGNORE_ON_CONFLICT) {
      throw duckdb::CatalogException("index \"%s\" already exists", info_->index_name);
    }
    return duckdb::SinkFinalizeType::READY;
  }
  auto index = duckdb::make_uniq<LearnedBoundIndex>(
      info_->index_name, info_->constraint_type, storage_ids_, duckdb::TableIOManager::Get(storage),
      unbound_expressions_, storage.db, LearnedBoundIndex::ParseOptions(info_->options));
  index->Rebuild(global.keys);

  auto entry = schema.CreateIndex(transaction, *info_, table_);
  entry->Cast<duckdb::DuckIndexEntry>().initial_index_size = index->BoundIndex::GetInMemorySize();
  storage.AddIndex(std::move(index));
  return duckdb::SinkFinalizeType::READY;
}

}  // namespace augur::engine::learned_index
