// system_catalog.h: replacing entries of DuckDB's system catalog, where augur puts what
// PostgreSQL clients expect (functions, macros, pg_catalog views). SQL cannot write there ("Cannot
// create entry in system catalog"), so these go through the C++ catalog API.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "augur/result.h"
#include "duckdb/common/unique_ptr.hpp"

namespace duckdb {
class ClientContext;
class ScalarFunction;
class ScalarFunctionSet;
class TableFunction;
struct CreateFunctionInfo;
struct CreateViewInfo;
}  // namespace duckdb

namespace augur::engine {

// Creates `info` (a scalar function set or a macro) in the system catalog's `schema`, first
// dropping whatever function or macro had the name: DuckDB replaces in place only an entry of
// the same kind. Run inside a transaction (ClientContext::RunFunctionInTransaction).
void ReplaceSystemFunction(duckdb::ClientContext& context, duckdb::CreateFunctionInfo& info,
                           const std::string& schema);

// ReplaceSystemFunction of a scalar function set in the main schema: augur's functions, and
// DuckDB's that augur replaces with PostgreSQL's behaviour.
void ReplaceSystemScalarFunction(duckdb::ClientContext& context, duckdb::ScalarFunctionSet set);

// Adds `added` to the main schema's scalar function `name`, keeping the overloads it has with
// other argument types (an added one replaces an existing one with the same arguments).
void AddSystemScalarOverloads(duckdb::ClientContext& context, const std::string& name,
                              std::vector<duckdb::ScalarFunction> added);

// Creates a view over `select_sql` in the system catalog's `schema`, replacing DuckDB's own view
// of that name. The view is bound here: a catalog view entry carries its column names and types.
void ReplaceSystemView(duckdb::ClientContext& context,
                       duckdb::unique_ptr<duckdb::CreateViewInfo> info,
                       const std::string& select_sql, const std::string& schema);

// Creates (or replaces) the table function `function` in the system catalog's main schema, so
// that every database and session sees it (augur_stat_activity(), augur_indexes()).
void RegisterSystemTableFunction(duckdb::ClientContext& context, duckdb::TableFunction function);

// The SELECT of "CREATE VIEW name AS <select>": the text after the first AS that stands alone
// between white space (the statement may break its line there).
std::string ViewSelectText(const std::string& create_sql);

// Creates the view or macro that `create_sql` (one CREATE VIEW or CREATE MACRO statement) defines
// in the system catalog's `schema`, replacing the entry of that name, in a transaction of its own.
// `source_sql` is what an error's position refers to (the text before augur's edits, if any). An
// exception becomes an Error whose message starts "installing <what> failed: ".
Status InstallCatalogSql(duckdb::ClientContext& context, std::string_view what,
                         const std::string& create_sql, const std::string& source_sql,
                         const std::string& schema);

// Runs `install` (which registers functions, casts or catalog entries) in one transaction of
// `context`, as the database opens. An exception becomes an Error whose message starts
// "installing <what> failed: ".
Status InstallInTransaction(duckdb::ClientContext& context, std::string_view what,
                            const std::function<void(duckdb::ClientContext&)>& install);

}  // namespace augur::engine
