// learned_index_module.cpp
#include "engine/learned_index/learned_index_module.h"

#include <chrono>
#include <string>
#include <vector>

#include "duckdb/catalog/catalog.hpp"
#include "duckdb/catalog/catalog_entry/duck_index_entry.hpp"
#include "duckdb/catalog/catalog_entry/schema_catalog_entry.hpp"
#include "duckdb/catalog/catalog_entry/table_catalog_entry.hpp"
#include "duckdb/execution/index/index_type_set.hpp"
#include "duckdb/function/table_function.hpp"
#include "duckdb/parser/constraints/unique_constraint.hpp"
#include "duckdb/parser/parsed_data/create_table_function_info.hpp"
#include "duckdb/parser/parsed_data/create_table_info.hpp"
#include "duckdb/parser/statement/create_statement.hpp"
#include "duckdb/storage/table/data_table_info.hpp"
#include "duckdb/storage/table/table_index_list.hpp"
#include "engine/learned_index/key_codec.h"
#include "engine/learned_index/learned_bound_index.h"
#include "engine/learned_index/learned_index_optimizer.h"
#include "engine/pg/bound_rows_function.h"
#include "engine/pg/error_translate.h"
#include "engine/pg/system_catalog.h"

namespace augur::engine {
namespace {

using learned_index::LearnedBoundIndex;

constexpr const char* kPrimaryKeySetting = "augur_learned_primary_keys";

// Every LEARNED index in the database's catalogs. Runs inside a transaction.
std::vector<std::reference_wrapper<duckdb::DuckIndexEntry>> LearnedIndexEntries(
    duckdb::ClientContext& context) {
  std::vector<std::reference_wrapper<duckdb::DuckIndexEntry>> entries;
  for (auto& schema : duckdb::Catalog::GetAllSchemas(context)) {
    if (schema.get().catalog.IsSystemCatalog() ||
        schema.get().catalog.GetCatalogType() != "duckdb") {
      continue;
    }
    schema.get().Scan(context, duckdb::CatalogType::INDEX_ENTRY, [&](duckdb::CatalogEntry& entry) {
      auto& index = entry.Cast<duckdb::IndexCatalogEntry>();
      if (index.index_type == LearnedBoundIndex::kTypeName) {
        entries.push_back(entry.Cast<duckdb::DuckIndexEntry>());
      }
    });
  }
  return entries;
}

// The indexed column's name, quoted for SQL.
std::string IndexedColumn(duckdb::ClientContext& context, duckdb::DuckIndexEntry& entry) {
  auto& table = duckdb::Catalog::GetEntry<duckdb::TableCatalogEntry>(
      context, entry.catalog.GetName(), entry.GetSchemaName(), entry.GetTableName());
  auto& column = table.GetColumns().GetColumn(duckdb::PhysicalIndex(entry.column_ids.at(0)));
  return duckdb::KeywordHelper::WriteOptionallyQuoted(column.Name());
}

// The bound index behind a catalog entry, binding it first if the database just opened.
LearnedBoundIndex* FindBound(duckdb::ClientContext& context, duckdb::DuckIndexEntry& entry) {
  auto& info = entry.GetDataTableInfo();
  info.BindIndexes(context, LearnedBoundIndex::kTypeName);
  auto index = info.GetIndexes().Find(entry.name);
  return index ? &index->Cast<LearnedBoundIndex>() : nullptr;
}

// --- augur_indexes() ---

struct IndexRow {
  std::string schema, table, index, column;
  LearnedBoundIndex::Stats stats;
};

using IndexesBind = BoundRows<IndexRow>;

duckdb::unique_ptr<duckdb::FunctionData> BindIndexes(duckdb::ClientContext& context,
                                                     duckdb::TableFunctionBindInput&,
                                                     duckdb::vector<duckdb::LogicalType>& types,
                                                     duckdb::vector<std::string>& names) {
  using duckdb::LogicalType;
  auto bind = duckdb::make_uniq<IndexesBind>();
  for (duckdb::DuckIndexEntry& entry : LearnedIndexEntries(context)) {
    auto* index = FindBound(context, entry);
    if (!index) continue;
    bind->rows.push_back({entry.GetSchemaName(), entry.GetTableName(), entry.name,
                          IndexedColumn(context, entry), index->GetStats()});
  }
  names = {"schema_name", "table_name", "index_name",   "column_name", "model",
           "keys",        "segments",   "max_error",    "bytes",       "model_bytes",
           "delta",       "retrains",   "last_retrain", "layout",      "exceptions"};
  types = {LogicalType::VARCHAR,      LogicalType::VARCHAR, LogicalType::VARCHAR,
           LogicalType::VARCHAR,      LogicalType::VARCHAR, LogicalType::BIGINT,
           LogicalType::BIGINT,       LogicalType::BIGINT,  LogicalType::BIGINT,
           LogicalType::BIGINT,       LogicalType::BIGINT,  LogicalType::BIGINT,
           LogicalType::TIMESTAMP_TZ, LogicalType::VARCHAR, LogicalType::BIGINT};
  return bind;
}

void ScanIndexes(duckdb::ClientContext&, duckdb::TableFunctionInput& input,
                 duckdb::DataChunk& output) {
  ScanBoundRows<IndexesBind>(input, output, [&](const IndexRow& row, duckdb::idx_t count) {
    const auto& core = row.stats.core;
    auto big = [](auto v) { return duckdb::Value::BIGINT(static_cast<int64_t>(v)); };
    output.SetValue(0, count, duckdb::Value(row.schema));
    output.SetValue(1, count, duckdb::Value(row.table));
    output.SetValue(2, count, duckdb::Value(row.index));
    output.SetValue(3, count, duckdb::Value(row.column));
    output.SetValue(
        4, count,
        duckdb::Value(row.stats.clustered ? "piecewise linear key -> row id (monotone segments)"
                                          : "piecewise linear (radix table + PLA segments)"));
    output.SetValue(5, count, big(core.keys));
    output.SetValue(6, count, big(core.segments));
    output.SetValue(7, count, big(core.epsilon));
    output.SetValue(8, count, big(core.total_bytes));
    output.SetValue(9, count, big(core.model_bytes));
    output.SetValue(10, count, big(core.delta));
    output.SetValue(11, count, big(row.stats.retrains));
    if (row.stats.last_retrain) {
      auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
          row.stats.last_retrain->time_since_epoch());
      output.SetValue(12, count,
                      duckdb::Value::TIMESTAMPTZ(duckdb::timestamp_tz_t(micros.count())));
    } else {
      output.SetValue(12, count, duckdb::Value(duckdb::LogicalType::TIMESTAMP_TZ));
    }
    // clustered: a model from key to row id plus exceptions; entries: every (key, row id).
    output.SetValue(13, count, duckdb::Value(row.stats.clustered ? "clustered" : "entries"));
    output.SetValue(14, count, big(row.stats.exceptions));
  });
}

}  // namespace

void RegisterLearnedIndex(duckdb::DatabaseInstance& db, bool primary_keys_default) {
  auto& config = duckdb::DBConfig::GetConfig(db);
  config.AddExtensionOption(
      kPrimaryKeySetting, "give every new one-column PRIMARY KEY a LEARNED index",
      duckdb::LogicalType::BOOLEAN, duckdb::Value::BOOLEAN(primary_keys_default));
  config.GetIndexTypes().RegisterIndexType(LearnedBoundIndex::MakeIndexType());
  config.optimizer_extensions.push_back(learned_index::LearnedIndexOptimizer());
}

std::optional<std::string> LearnedPrimaryKeyIndexSql(duckdb::ClientContext& context,
                                                     const duckdb::SQLStatement& statement) {
  duckdb::Value enabled;
  if (context.TryGetCurrentSetting(kPrimaryKeySetting, enabled).GetScope() ==
          duckdb::SettingScope::INVALID ||
      enabled.IsNull() || !enabled.GetValue<bool>()) {
    return std::nullopt;
  }
  if (statement.type != duckdb::StatementType::CREATE_STATEMENT) return std::nullopt;
  auto& info = *statement.Cast<duckdb::CreateStatement>().info;
  if (info.type != duckdb::CatalogType::TABLE_ENTRY) return std::nullopt;
  auto& table = info.Cast<duckdb::CreateTableInfo>();
  for (auto& constraint : table.constraints) {
    if (constraint->type != duckdb::ConstraintType::UNIQUE) continue;
    auto& unique = constraint->Cast<duckdb::UniqueConstraint>();
    if (!unique.IsPrimaryKey()) continue;
    std::string column;
    if (unique.HasIndex()) {
      column = table.columns.GetColumn(unique.GetIndex()).Name();
    } else if (unique.GetColumnNames().size() == 1) {
      column = unique.GetColumnNames()[0];
    } else {
      return std::nullopt;  // composite keys: a LEARNED index covers one column
    }
    if (!table.columns.ColumnExists(column) ||
        !learned_index::IsSupportedKeyType(table.columns.GetColumn(column).Type())) {
      return std::nullopt;
    }
    auto quote = [](const std::string& name) {
      return duckdb::KeywordHelper::WriteOptionallyQuoted(name);
    };
    std::string qualified =
        table.schema.empty() ? quote(table.table) : quote(table.schema) + "." + quote(table.table);
    return "CREATE INDEX IF NOT EXISTS " + quote(table.table + "_" + column + "_learned") + " ON " +
           qualified + " USING LEARNED (" + quote(column) + ")";
  }
  return std::nullopt;
}

Status InstallLearnedIndexFunctions(duckdb::Connection& connection) {
  return InstallInTransaction(
      *connection.context, "augur_indexes()", [](duckdb::ClientContext& context) {
        RegisterSystemTableFunction(context, duckdb::TableFunction("augur_indexes", {}, ScanIndexes,
                                                                   BindIndexes, InitBoundRowsScan));
      });
}

Result<RebuildReport> RebuildLearnedIndexes(duckdb::Connection& connection) {
  auto start = std::chrono::steady_clock::now();
  RebuildReport report;
  auto& context = *connection.context;
  struct Target {
    std::string schema, table, column;
    LearnedBoundIndex* index;  // stays valid: nothing else runs while the database opens
  };
  std::vector<Target> targets;
  try {
    context.RunFunctionInTransaction([&] {
      for (duckdb::DuckIndexEntry& entry : LearnedIndexEntries(context)) {
        if (auto* index = FindBound(context, entry)) {
          targets.push_back(
              {entry.GetSchemaName(), entry.GetTableName(), IndexedColumn(context, entry), index});
        }
      }
    });
    for (const Target& target : targets) {
      // One streaming pass over the committed key column. At open nothing else is running, so
      // these are exactly the rows the index must cover.
      std::string sql = "SELECT " + target.column + ", rowid FROM " +
                        duckdb::KeywordHelper::WriteOptionallyQuoted(target.schema) + "." +
                        duckdb::KeywordHelper::WriteOptionallyQuoted(target.table);
      auto result = connection.SendQuery(sql);
      if (result->HasError()) return TranslateError(result->GetErrorObject(), sql);
      learned_index::KeyBuilder keys(target.index->key_type());
      while (auto chunk = result->Fetch()) {
        if (chunk->size() == 0) break;
        keys.Add(chunk->data[0], chunk->data[1], chunk->size());
      }
      if (result->HasError()) return TranslateError(result->GetErrorObject(), sql);
      report.keys += static_cast<int64_t>(keys.size());
      target.index->Rebuild(keys);
      ++report.indexes;
    }
  } catch (const std::exception& ex) {
    Error error = TranslateException(ex, "");
    error.message = "rebuilding learned indexes failed: " + error.message;
    return error;
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace augur::engine
