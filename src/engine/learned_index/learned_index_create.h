// learned_index_create.h: the physical operator behind CREATE INDEX ... USING LEARNED.
//
// The plan is DuckDB's table scan (committed rows, including deleted ones not yet cleaned up,
// the set the index must cover) -> a projection to (key, row id) -> this sink. Threads collect
// (code, row id) pairs; Finalize builds the index in one go (sort + model fit), creates the
// catalog entry and hands the index to the table.
#pragma once

#include <mutex>
#include <vector>

#include "duckdb/execution/index/index_type.hpp"
#include "duckdb/execution/physical_operator.hpp"
#include "duckdb/parser/parsed_data/create_index_info.hpp"

namespace duckdb {
class DuckTableEntry;
}

namespace augur::engine::learned_index {

class PhysicalCreateLearnedIndex final : public duckdb::PhysicalOperator {
 public:
  static constexpr const duckdb::PhysicalOperatorType TYPE =
      duckdb::PhysicalOperatorType::EXTENSION;

  PhysicalCreateLearnedIndex(
      duckdb::PhysicalPlan& plan, const duckdb::vector<duckdb::LogicalType>& types,
      duckdb::TableCatalogEntry& table, const duckdb::vector<duckdb::column_t>& column_ids,
      duckdb::unique_ptr<duckdb::CreateIndexInfo> info,
      duckdb::vector<duckdb::unique_ptr<duckdb::Expression>> unbound_expressions,
      duckdb::idx_t estimated_cardinality);

  // IndexType::create_plan: validates the statement and plans scan -> projection -> this.
  static duckdb::PhysicalOperator& CreatePlan(duckdb::PlanIndexInput& input);

  std::string GetName() const override { return "CREATE_LEARNED_INDEX"; }

  // Source: nothing to return.
  duckdb::SourceResultType GetData(duckdb::ExecutionContext&, duckdb::DataChunk&,
                                   duckdb::OperatorSourceInput&) const override {
    return duckdb::SourceResultType::FINISHED;
  }
  bool IsSource() const override { return true; }

  // Sink
  duckdb::unique_ptr<duckdb::GlobalSinkState> GetGlobalSinkState(
      duckdb::ClientContext& context) const override;
  duckdb::unique_ptr<duckdb::LocalSinkState> GetLocalSinkState(
      duckdb::ExecutionContext& context) const override;
  duckdb::SinkResultType Sink(duckdb::ExecutionContext& context, duckdb::DataChunk& chunk,
                              duckdb::OperatorSinkInput& input) const override;
  duckdb::SinkCombineResultType Combine(duckdb::ExecutionContext& context,
                                        duckdb::OperatorSinkCombineInput& input) const override;
  duckdb::SinkFinalizeType Finalize(duckdb::Pipeline& pipeline, duckdb::Event& event,
                                    duckdb::ClientContext& context,
                                    duckdb::OperatorSinkFinalizeInput& input) const override;
  bool IsSink() const override { return true; }
  bool ParallelSink() const override { return true; }

 private:
  duckdb::DuckTableEntry& table_;
  duckdb::vector<duckdb::column_t> storage_ids_;
  duckdb::unique_ptr<duckdb::CreateIndexInfo> info_;
  duckdb::vector<duckdb::unique_ptr<duckdb::Expression>> unbound_expressions_;
};

}  // namespace augur::engine::learned_index
