// session_search_path.cpp: gives DuckDB the schemas of the session's PostgreSQL search_path.
//
// PostgreSQL skips schemas of the path that do not exist, both for lookups and for choosing
// where CREATE puts an unqualified name, so only existing schemas are handed to DuckDB. Which
// ones exist changes with CREATE/DROP SCHEMA, hence the resync after DDL (SessionImpl::Execute).
// DuckDB still searches its "main" schema after the path, where databases made by earlier augur
// versions keep their tables.
#include "duckdb/catalog/catalog.hpp"
#include "duckdb/catalog/catalog_search_path.hpp"
#include "duckdb/main/client_data.hpp"
#include "duckdb/main/database_manager.hpp"
#include "engine/pg/search_path.h"
#include "engine/session/session_impl.h"

namespace augur::engine {

void SessionImpl::SyncSearchPath() {
  std::string value = settings_.Get("search_path").value_or("");
  if (!search_path_stale_ && value == applied_search_path_) return;
  auto& context = *connection_.context;
  try {
    context.RunFunctionInTransaction([&] {
      const std::string& catalog = duckdb::DatabaseManager::GetDefaultDatabase(context);
      duckdb::vector<duckdb::CatalogSearchEntry> entries;
      for (const SearchPathEntry& entry : ParseSearchPath(value)) {
        const std::string& schema = entry.is_user_role ? role_->name() : entry.schema;
        if (!duckdb::Catalog::GetSchema(context, catalog, schema,
                                        duckdb::OnEntryNotFound::RETURN_NULL)) {
          continue;
        }
        entries.emplace_back(catalog, schema);
      }
      duckdb::ClientData::Get(context).catalog_search_path->Set(
          std::move(entries), duckdb::CatalogSetPathType::SET_DIRECTLY);
    });
  } catch (const std::exception&) {
    return;  // an aborted transaction: the next statement after it ends tries again
  }
  applied_search_path_ = std::move(value);
  search_path_stale_ = false;
}

}  // namespace augur::engine
