// pg_sequences.cpp: PostgreSQL's setval(). Django resets sequences after loading fixtures
// (sqlsequencereset, loaddata, TransactionTestCase.reset_sequences) with
// setval(pg_get_serial_sequence(...), max(id)). DuckDB keeps a sequence's next value in its
// catalog entry: setval moves it there and logs it as nextval does, so the WAL replays it. As in
// PostgreSQL, the change is not undone by a rollback.
#include "engine/pg/pg_sequences.h"

#include "duckdb/catalog/catalog.hpp"
#include "duckdb/catalog/catalog_entry/sequence_catalog_entry.hpp"
#include "duckdb/common/exception.hpp"
#include "duckdb/function/scalar_function.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/connection.hpp"
#include "duckdb/parser/parsed_data/create_scalar_function_info.hpp"
#include "duckdb/parser/qualified_name.hpp"
#include "duckdb/transaction/duck_transaction.hpp"
#include "duckdb/transaction/meta_transaction.hpp"
#include "engine/pg/error_translate.h"
#include "engine/pg/system_catalog.h"

namespace augur::engine {
namespace {

using duckdb::LogicalType;

void SetVal(duckdb::DataChunk& args, duckdb::ExpressionState& state, duckdb::Vector& result) {
  auto& context = state.GetContext();
  for (duckdb::idx_t row = 0; row < args.size(); ++row) {
    auto name = args.data[0].GetValue(row);
    auto value = args.data[1].GetValue(row);
    bool is_called = args.ColumnCount() < 3 || args.data[2].GetValue(row).GetValue<bool>();
    if (name.IsNull() || value.IsNull()) {
      result.SetValue(row, duckdb::Value(LogicalType::BIGINT));
      continue;
    }
    auto qualified = duckdb::QualifiedName::Parse(name.ToString());
    auto& sequence = duckdb::Catalog::GetEntry<duckdb::SequenceCatalogEntry>(
        context, qualified.catalog, qualified.schema, qualified.name);
    const int64_t v = value.GetValue<int64_t>();
    auto data = sequence.GetData();
    if (v < data.min_value || v > data.max_value) {
      throw duckdb::OutOfRangeException(
          "setval: value %lld is out of bounds for sequence \"%s\" (%lld..%lld)", v, sequence.name,
          data.min_value, data.max_value);
    }
    // A write of the sequence's database, as nextval is: a read-only transaction refuses it.
    duckdb::MetaTransaction::Get(context).ModifyDatabase(sequence.ParentCatalog().GetAttached());
    // The next nextval() returns v + increment after setval(v), v after setval(v, false).
    sequence.ReplayValue(data.usage_count + 1, is_called ? v + data.increment : v);
    if (!sequence.temporary) {
      duckdb::DuckTransaction::Get(context, sequence.ParentCatalog())
          .PushSequenceUsage(sequence, sequence.GetData());
    }
    result.SetValue(row, duckdb::Value::BIGINT(v));
  }
}

}  // namespace

Status InstallPgSequences(duckdb::Connection& connection) {
  return InstallInTransaction(*connection.context, "setval", [](duckdb::ClientContext& context) {
    duckdb::ScalarFunctionSet set("setval");
    for (auto args : {duckdb::vector<LogicalType>{LogicalType::VARCHAR, LogicalType::BIGINT},
                      duckdb::vector<LogicalType>{LogicalType::VARCHAR, LogicalType::BIGINT,
                                                  LogicalType::BOOLEAN}}) {
      duckdb::ScalarFunction fn("setval", args, LogicalType::BIGINT, SetVal);
      fn.stability = duckdb::FunctionStability::VOLATILE;
      fn.null_handling = duckdb::FunctionNullHandling::SPECIAL_HANDLING;
      set.AddFunction(std::move(fn));
    }
    ReplaceSystemScalarFunction(context, std::move(set));
  });
}

}  // namespace augur::engine
