// pg_sequence_relation.cpp: see pg_sequence_relation.h.
//
// PostgreSQL's last_value is the value nextval() last returned (is_called) or the one it returns
// next (not is_called: a fresh sequence, or after setval(s, v, false)). DuckDB keeps the next
// value (counter) and whether the sequence was ever used. A used sequence reads as
// (counter - increment, called); setval(v, false) thus reads as (v - increment, called), which a
// restore's setval() turns back into the same next value. Where counter - increment would leave
// the sequence's range it reads as (counter, not called).
#include "engine/pg/pg_sequence_relation.h"

#include <string>

#include "duckdb/catalog/catalog.hpp"
#include "duckdb/catalog/catalog_entry/sequence_catalog_entry.hpp"
#include "duckdb/function/replacement_scan.hpp"
#include "duckdb/function/table_function.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/config.hpp"
#include "duckdb/parser/expression/constant_expression.hpp"
#include "duckdb/parser/expression/function_expression.hpp"
#include "duckdb/parser/tableref/table_function_ref.hpp"
#include "engine/pg/system_catalog.h"

namespace augur::engine {
namespace {

using duckdb::LogicalType;

constexpr const char* kFunctionName = "augur_sequence_state";

struct StateBind : duckdb::TableFunctionData {
  std::string catalog, schema, name;
};

struct StateScan : duckdb::GlobalTableFunctionState {
  bool done = false;
};

duckdb::unique_ptr<duckdb::FunctionData> BindState(duckdb::ClientContext&,
                                                   duckdb::TableFunctionBindInput& input,
                                                   duckdb::vector<LogicalType>& types,
                                                   duckdb::vector<std::string>& names) {
  auto bind = duckdb::make_uniq<StateBind>();
  bind->catalog = input.inputs[0].ToString();
  bind->schema = input.inputs[1].ToString();
  bind->name = input.inputs[2].ToString();
  names = {"last_value", "log_cnt", "is_called"};
  types = {LogicalType::BIGINT, LogicalType::BIGINT, LogicalType::BOOLEAN};
  return bind;
}

duckdb::unique_ptr<duckdb::GlobalTableFunctionState> InitState(duckdb::ClientContext&,
                                                               duckdb::TableFunctionInitInput&) {
  return duckdb::make_uniq<StateScan>();
}

void ScanState(duckdb::ClientContext& context, duckdb::TableFunctionInput& input,
               duckdb::DataChunk& output) {
  auto& bind = input.bind_data->Cast<StateBind>();
  auto& state = input.global_state->Cast<StateScan>();
  if (state.done) return;
  state.done = true;
  auto& sequence = duckdb::Catalog::GetEntry<duckdb::SequenceCatalogEntry>(context, bind.catalog,
                                                                           bind.schema, bind.name);
  const duckdb::SequenceData data = sequence.GetData();
  int64_t last = data.start_value;
  bool called = false;
  if (data.usage_count > 0) {
    last = data.counter;
    // The value before counter, unless that steps out of the range (or overflows).
    int64_t previous = 0;
    if (!__builtin_sub_overflow(data.counter, data.increment, &previous) &&
        previous >= data.min_value && previous <= data.max_value) {
      last = previous;
      called = true;
    }
  }
  output.SetValue(0, 0, duckdb::Value::BIGINT(last));
  output.SetValue(1, 0, duckdb::Value::BIGINT(0));
  output.SetValue(2, 0, duckdb::Value::BOOLEAN(called));
  output.SetCardinality(1);
}

duckdb::unique_ptr<duckdb::TableRef> SequenceScan(
    duckdb::ClientContext& context, duckdb::ReplacementScanInput& input,
    duckdb::optional_ptr<duckdb::ReplacementScanData>) {
  auto entry = duckdb::Catalog::GetEntry<duckdb::SequenceCatalogEntry>(
      context, input.catalog_name, input.schema_name, input.table_name,
      duckdb::OnEntryNotFound::RETURN_NULL);
  if (!entry) return nullptr;
  duckdb::vector<duckdb::unique_ptr<duckdb::ParsedExpression>> arguments;
  arguments.push_back(duckdb::make_uniq<duckdb::ConstantExpression>(
      duckdb::Value(entry->ParentCatalog().GetName())));
  arguments.push_back(
      duckdb::make_uniq<duckdb::ConstantExpression>(duckdb::Value(entry->ParentSchema().name)));
  arguments.push_back(duckdb::make_uniq<duckdb::ConstantExpression>(duckdb::Value(entry->name)));
  auto ref = duckdb::make_uniq<duckdb::TableFunctionRef>();
  ref->function =
      duckdb::make_uniq<duckdb::FunctionExpression>(kFunctionName, std::move(arguments));
  ref->alias = input.table_name;
  return ref;
}

}  // namespace

void RegisterSequenceRelations(duckdb::DBConfig& config) {
  config.replacement_scans.emplace_back(SequenceScan);
}

void InstallSequenceStateFunction(duckdb::ClientContext& context) {
  duckdb::TableFunction function(kFunctionName,
                                 {LogicalType::VARCHAR, LogicalType::VARCHAR, LogicalType::VARCHAR},
                                 ScanState, BindState, InitState);
  RegisterSystemTableFunction(context, std::move(function));
}

}  // namespace augur::engine
