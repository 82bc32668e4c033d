// learned_index_scan.cpp: see learned_index_scan.h.
#include "engine/learned_index/learned_index_scan.h"

#include <algorithm>

#include "duckdb/catalog/catalog_entry/duck_table_entry.hpp"
#include "duckdb/catalog/dependency_list.hpp"
#include "duckdb/execution/expression_executor.hpp"
#include "duckdb/storage/data_table.hpp"
#include "duckdb/storage/statistics/node_statistics.hpp"
#include "duckdb/storage/table/row_group.hpp"
#include "duckdb/storage/table/row_group_segment_tree.hpp"
#include "duckdb/storage/table/scan_state.hpp"
#include "duckdb/transaction/duck_transaction.hpp"
#include "duckdb/transaction/local_storage.hpp"
#include "engine/learned_index/key_codec.h"
#include "engine/learned_index/key_ranges.h"
#include "engine/learned_index/learned_bound_index.h"
#include "engine/learned_index/row_id_spans.h"

namespace augur::engine::learned_index {
namespace {

struct ScanState final : duckdb::GlobalTableFunctionState {
  duckdb::vector<duckdb::StorageIndex> column_ids;
  duckdb::vector<duckdb::idx_t> projection_ids;  // empty: output = all fetched columns
  duckdb::DataChunk all_columns;                 // fetched columns, when projecting

  // What the index named, as spans read by a table scan and single rows fetched by row id.
  RowIdSpans plan;
  size_t next_span = 0;
  std::unique_ptr<duckdb::TableScanState> span_scan;  // reading plan.spans[next_span - 1]
  std::vector<duckdb::row_t> row_ids;                 // plan.singles
  size_t next_row = 0;
  duckdb::ColumnFetchState fetch_state;

  bool scan_local = false;
  duckdb::TableScanState local_scan;

  uint64_t index_candidates = 0;
};

duckdb::StorageIndex ToStorageIndex(duckdb::TableCatalogEntry& table,
                                    const duckdb::ColumnIndex& column) {
  if (column.IsRowIdColumn()) return duckdb::StorageIndex();
  return duckdb::StorageIndex(table.GetColumn(column.ToLogical()).StorageOid());
}

// Row ids of the first `ordered_limit->rows` entries in key order that this transaction can see,
// plus later entries tied with the last one's key. Entries the transaction cannot see (deleted,
// or committed after its snapshot) are skipped, asking the index for more when they run out.
std::vector<duckdb::row_t> FirstVisible(duckdb::ClientContext& context,
                                        const LearnedIndexScanBindData& bind) {
  auto& transaction = duckdb::DuckTransaction::Get(context, bind.table.catalog);
  auto& storage = bind.table.GetStorage();
  const uint64_t wanted = bind.ordered_limit->rows;
  std::vector<duckdb::row_t> row_ids;
  for (size_t ask = std::max<uint64_t>(wanted, 1);; ask *= 4) {
    auto entries = bind.index.Edge(ask, bind.ordered_limit->descending);
    row_ids.clear();
    uint64_t visible = 0;
    std::optional<uint64_t> last_key;
    for (const auto& [key, row_id] : entries) {
      if (visible >= wanted && key != last_key) return row_ids;
      auto id = static_cast<duckdb::row_t>(row_id);
      if (!storage.CanFetch(transaction, id)) continue;
      row_ids.push_back(id);
      ++visible;
      last_key = key;
    }
    if (entries.size() < ask) return row_ids;  // the index has nothing more
  }
}

// Points `scan` at rows span.begin..span.end-1 of `storage`, from the vector holding span.begin,
// as DataTable::InitializeScanWithOffset (private in DuckDB 1.4) does: a table scan started as
// usual (the checkpoint lock, the column states), then moved to the span's row group and vector.
void StartScanAt(duckdb::ClientContext& context, duckdb::DuckTransaction& transaction,
                 duckdb::DataTable& storage, const duckdb::vector<duckdb::StorageIndex>& column_ids,
                 const RowIdSpans::Span& span, duckdb::TableScanState& scan) {
  storage.InitializeScan(context, transaction, scan, column_ids);
  auto& collection = scan.table_state;
  duckdb::RowGroup* row_group = collection.row_groups->GetSegment(span.begin);
  collection.max_row = span.end;
  if (!row_group->InitializeScanWithOffset(
          collection, (span.begin - row_group->start) / STANDARD_VECTOR_SIZE)) {
    throw duckdb::InternalException("learned_index_scan: no rows at row id %llu", span.begin);
  }
}

duckdb::unique_ptr<duckdb::GlobalTableFunctionState> InitGlobal(
    duckdb::ClientContext& context, duckdb::TableFunctionInitInput& input) {
  auto& bind = input.bind_data->Cast<LearnedIndexScanBindData>();
  auto state = duckdb::make_uniq<ScanState>();
  for (const auto& column : input.column_indexes) {
    state->column_ids.push_back(ToStorageIndex(bind.table, column));
  }
  if (input.CanRemoveFilterColumns()) {
    state->projection_ids = input.projection_ids;
    duckdb::vector<duckdb::LogicalType> types;
    for (const auto& column : input.column_indexes) {
      types.push_back(column.IsRowIdColumn() ? duckdb::LogicalType::ROW_TYPE
                                             : bind.table.GetColumn(column.ToLogical()).Type());
    }
    state->all_columns.Initialize(context, types);
  }

  auto& storage = bind.table.GetStorage();
  const uint64_t table_rows = storage.GetTotalRows();
  LearnedBoundIndex::RowIdPlan plan;
  if (bind.ordered_limit && bind.index.clustered()) {
    // The optimizer does not plan this (a clustered index has no Edge()); should the index have
    // been rebuilt clustered since, read everything: the TopN above sorts and cuts.
    if (table_rows > 0) plan.windows.push_back({0, table_rows - 1});
  } else if (bind.ordered_limit) {
    for (auto row_id : FirstVisible(context, bind)) {
      plan.row_ids.push_back(static_cast<uint64_t>(row_id));
    }
    std::sort(plan.row_ids.begin(), plan.row_ids.end());
  } else {
    plan = bind.index.Plan(EvaluateKeyRanges(context, bind.index, bind.conjuncts));
  }
  // Scans start at a vector boundary inside their row group: row groups must start on one.
  const uint64_t vector_size = STANDARD_VECTOR_SIZE;
  if (storage.GetRowGroupSize() % vector_size != 0) {
    for (const auto& w : plan.windows) {
      for (uint64_t row = w.first; row <= w.last && row < table_rows; ++row) {
        plan.row_ids.push_back(row);
      }
    }
    plan.windows.clear();
    std::sort(plan.row_ids.begin(), plan.row_ids.end());
    plan.row_ids.erase(std::unique(plan.row_ids.begin(), plan.row_ids.end()), plan.row_ids.end());
  }
  state->plan = RowIdSpans::Make(plan.windows, plan.row_ids, table_rows, vector_size);
  for (uint64_t row_id : state->plan.singles) {
    state->row_ids.push_back(static_cast<duckdb::row_t>(row_id));
  }
  state->index_candidates = state->row_ids.size();
  for (const auto& span : state->plan.spans) state->index_candidates += span.end - span.begin;

  auto& local_storage = duckdb::LocalStorage::Get(context, bind.table.catalog);
  if (local_storage.Find(storage)) {
    state->scan_local = true;
    state->local_scan.Initialize(state->column_ids, context);
    local_storage.InitializeScan(storage, state->local_scan.local_state, nullptr);
  }
  return state;
}

void Execute(duckdb::ClientContext& context, duckdb::TableFunctionInput& input,
             duckdb::DataChunk& output) {
  auto& bind = input.bind_data->Cast<LearnedIndexScanBindData>();
  auto& state = input.global_state->Cast<ScanState>();
  auto& transaction = duckdb::DuckTransaction::Get(context, bind.table.catalog);
  auto& storage = bind.table.GetStorage();
  bool project = !state.projection_ids.empty();
  duckdb::DataChunk& target = project ? state.all_columns : output;
  auto emit = [&] {
    if (project) output.ReferenceColumns(state.all_columns, state.projection_ids);
  };

  // 1. Committed rows named by the index, as this transaction sees them: first the spans,
  // through DuckDB's table scan, a vector at a time.
  while (true) {
    if (!state.span_scan) {
      if (state.next_span == state.plan.spans.size()) break;
      const auto& span = state.plan.spans[state.next_span++];
      state.span_scan = std::make_unique<duckdb::TableScanState>();
      StartScanAt(context, transaction, storage, state.column_ids, span, *state.span_scan);
    }
    target.Reset();
    // The committed rows only: DataTable::Scan would go on into the transaction's local rows,
    // which step 2 reads.
    if (state.span_scan->table_state.Scan(transaction, target) && target.size() > 0) {
      return emit();
    }
    state.span_scan.reset();
  }
  // Then single rows, by row id.
  while (state.next_row < state.row_ids.size()) {
    size_t count = std::min<size_t>(STANDARD_VECTOR_SIZE, state.row_ids.size() - state.next_row);
    duckdb::Vector ids(duckdb::LogicalType::ROW_TYPE,
                       reinterpret_cast<duckdb::data_ptr_t>(&state.row_ids[state.next_row]));
    state.next_row += count;
    target.Reset();
    storage.Fetch(transaction, target, state.column_ids, ids, count, state.fetch_state);
    if (target.size() == 0) continue;  // none visible: an empty chunk would end the scan
    return emit();
  }
  // 2. Rows this transaction inserted and has not committed.
  if (state.scan_local) {
    target.Reset();
    duckdb::LocalStorage::Get(context, bind.table.catalog)
        .Scan(state.local_scan.local_state, state.column_ids, target);
    if (target.size() > 0) return emit();
    state.scan_local = false;
  }
  output.SetCardinality(0);
}

duckdb::BindInfo GetBindInfo(const duckdb::optional_ptr<duckdb::FunctionData> bind_data) {
  return duckdb::BindInfo(bind_data->Cast<LearnedIndexScanBindData>().table);
}

duckdb::unique_ptr<duckdb::BaseStatistics> Statistics(duckdb::ClientContext& context,
                                                      const duckdb::FunctionData* bind_data,
                                                      duckdb::column_t column_id) {
  auto& bind = bind_data->Cast<LearnedIndexScanBindData>();
  auto& local_storage = duckdb::LocalStorage::Get(context, bind.table.catalog);
  if (local_storage.Find(bind.table.GetStorage())) return nullptr;  // stats ignore local rows
  return bind.table.GetStatistics(context, column_id);
}

void Dependency(duckdb::LogicalDependencyList& entries, const duckdb::FunctionData* bind_data) {
  entries.AddDependency(bind_data->Cast<LearnedIndexScanBindData>().table);
}

duckdb::unique_ptr<duckdb::NodeStatistics> Cardinality(duckdb::ClientContext&,
                                                       const duckdb::FunctionData* bind_data) {
  auto& bind = bind_data->Cast<LearnedIndexScanBindData>();
  if (bind.predicted_rows) {
    return duckdb::make_uniq<duckdb::NodeStatistics>(*bind.predicted_rows, *bind.predicted_rows);
  }
  return duckdb::make_uniq<duckdb::NodeStatistics>();
}

duckdb::InsertionOrderPreservingMap<std::string> ToString(
    duckdb::TableFunctionToStringInput& input) {
  auto& bind = input.bind_data->Cast<LearnedIndexScanBindData>();
  duckdb::InsertionOrderPreservingMap<std::string> result;
  result["Table"] = bind.table.name;
  result["Index"] = bind.index.GetIndexName();
  if (bind.ordered_limit) {
    result["Order"] = bind.ordered_limit->descending ? "key descending" : "key ascending";
  }
  result["Predicted Rows"] =
      bind.predicted_rows ? std::to_string(*bind.predicted_rows) : "unknown (parameters)";
  return result;
}

// EXPLAIN ANALYZE: what the index returned, before visibility and the re-check.
duckdb::InsertionOrderPreservingMap<std::string> DynamicToString(
    duckdb::TableFunctionDynamicToStringInput& input) {
  duckdb::InsertionOrderPreservingMap<std::string> result;
  // EXPLAIN ANALYZE titles every table scan TABLE_SCAN (the operator type); say which one ran.
  result["Scan"] = "LEARNED_INDEX_SCAN";
  if (input.global_state) {
    result["Index Candidates"] =
        std::to_string(input.global_state->Cast<ScanState>().index_candidates);
  }
  return result;
}

}  // namespace

LearnedIndexScanBindData::LearnedIndexScanBindData(duckdb::TableCatalogEntry& table,
                                                   LearnedBoundIndex& index)
    : TableScanBindData(table), index(index) {}

duckdb::unique_ptr<duckdb::FunctionData> LearnedIndexScanBindData::Copy() const {
  auto copy = duckdb::make_uniq<LearnedIndexScanBindData>(table, index);
  for (const auto& conjunct : conjuncts) {
    BoundKeyUnion copied;
    for (const auto& interval : conjunct) copied.push_back(interval.Copy());
    copy->conjuncts.push_back(std::move(copied));
  }
  copy->predicted_rows = predicted_rows;
  copy->ordered_limit = ordered_limit;
  return copy;
}

bool LearnedIndexScanBindData::Equals(const duckdb::FunctionData& other_p) const {
  auto& other = other_p.Cast<LearnedIndexScanBindData>();
  if (&other.table != &table || &other.index != &index ||
      other.conjuncts.size() != conjuncts.size() ||
      other.ordered_limit.has_value() != ordered_limit.has_value() ||
      (ordered_limit && (other.ordered_limit->rows != ordered_limit->rows ||
                         other.ordered_limit->descending != ordered_limit->descending))) {
    return false;
  }
  auto same = [](const duckdb::unique_ptr<duckdb::Expression>& a,
                 const duckdb::unique_ptr<duckdb::Expression>& b) {
    return duckdb::Expression::Equals(a, b);
  };
  for (size_t i = 0; i < conjuncts.size(); ++i) {
    if (conjuncts[i].size() != other.conjuncts[i].size()) return false;
    for (size_t j = 0; j < conjuncts[i].size(); ++j) {
      if (!same(conjuncts[i][j].lo, other.conjuncts[i][j].lo) ||
          !same(conjuncts[i][j].hi, other.conjuncts[i][j].hi)) {
        return false;
      }
    }
  }
  return true;
}

duckdb::TableFunction LearnedIndexScanFunction::Get() {
  duckdb::TableFunction function(kName, {}, Execute);
  function.init_global = InitGlobal;
  function.statistics = Statistics;
  function.dependency = Dependency;
  function.cardinality = Cardinality;
  function.to_string = ToString;
  function.dynamic_to_string = DynamicToString;
  function.get_bind_info = GetBindInfo;
  function.projection_pushdown = true;
  function.filter_pushdown = false;
  return function;
}

}  // namespace augur::engine::learned_index
