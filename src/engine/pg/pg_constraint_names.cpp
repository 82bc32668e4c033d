// pg_constraint_names.cpp
//
// DuckDB's table-function callbacks are plain function pointers, so the renaming scan keeps the
// original callback and the result's column positions in process-wide atomics (every database
// in a process has the same duckdb_constraints()).
#include "engine/pg/pg_constraint_names.h"

#include <atomic>
#include <string>

#include "duckdb/catalog/catalog.hpp"
#include "duckdb/catalog/catalog_entry/schema_catalog_entry.hpp"
#include "duckdb/catalog/catalog_entry/table_function_catalog_entry.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/connection.hpp"
#include "engine/pg/error_translate.h"

namespace augur::engine {
namespace {

struct RenamingScan {
  std::atomic<duckdb::table_function_t> original{nullptr};
  std::atomic<int> type_column{-1};
  std::atomic<int> table_column{-1};
  std::atomic<int> columns_column{-1};
  std::atomic<int> name_column{-1};
};

RenamingScan& Scan() {
  static RenamingScan scan;
  return scan;
}

// PostgreSQL's name for a primary key or foreign key of `table` on `columns`.
std::string PostgresName(const std::string& type, const std::string& table,
                         const duckdb::Value& columns) {
  if (type == "PRIMARY KEY") return table + "_pkey";
  std::string name = table;
  for (const duckdb::Value& column : duckdb::ListValue::GetChildren(columns)) {
    name += "_" + column.ToString();
  }
  return name + "_fkey";
}

void ScanWithPostgresNames(duckdb::ClientContext& context, duckdb::TableFunctionInput& input,
                           duckdb::DataChunk& output) {
  RenamingScan& scan = Scan();
  scan.original.load()(context, input, output);
  auto type_column = static_cast<duckdb::idx_t>(scan.type_column.load());
  auto table_column = static_cast<duckdb::idx_t>(scan.table_column.load());
  auto columns_column = static_cast<duckdb::idx_t>(scan.columns_column.load());
  auto name_column = static_cast<duckdb::idx_t>(scan.name_column.load());
  for (duckdb::idx_t row = 0; row < output.size(); ++row) {
    std::string type = output.GetValue(type_column, row).ToString();
    if (type != "PRIMARY KEY" && type != "FOREIGN KEY") continue;
    output.SetValue(name_column, row,
                    duckdb::Value(PostgresName(type, output.GetValue(table_column, row).ToString(),
                                               output.GetValue(columns_column, row))));
  }
}

}  // namespace

Status NameConstraintsAsPostgres(duckdb::ClientContext& context) {
  try {
    duckdb::Connection connection(*context.db);
    auto probe = connection.Query("SELECT * FROM duckdb_constraints() LIMIT 0");
    if (probe->HasError()) return TranslateError(probe->GetErrorObject(), "");
    auto column = [&](const char* name) {
      for (size_t i = 0; i < probe->names.size(); ++i) {
        if (probe->names[i] == name) return static_cast<int>(i);
      }
      return -1;
    };
    RenamingScan& scan = Scan();
    scan.type_column = column("constraint_type");
    scan.table_column = column("table_name");
    scan.columns_column = column("constraint_column_names");
    scan.name_column = column("constraint_name");
    if (scan.type_column < 0 || scan.table_column < 0 || scan.columns_column < 0 ||
        scan.name_column < 0) {
      return Error(sqlstate::kInternalError, "duckdb_constraints() lacks the expected columns");
    }
    context.RunFunctionInTransaction([&] {
      auto& schema = duckdb::Catalog::GetSystemCatalog(context).GetSchema(context, DEFAULT_SCHEMA);
      auto entry = schema.GetEntry(duckdb::CatalogTransaction::GetSystemCatalogTransaction(context),
                                   duckdb::CatalogType::TABLE_FUNCTION_ENTRY, "duckdb_constraints");
      if (!entry) return;
      for (auto& function : entry->Cast<duckdb::TableFunctionCatalogEntry>().functions.functions) {
        if (function.function == &ScanWithPostgresNames) continue;
        scan.original = function.function;
        function.function = &ScanWithPostgresNames;
      }
    });
  } catch (const std::exception& ex) {
    return TranslateException(ex, "");
  }
  return {};
}

}  // namespace augur::engine
