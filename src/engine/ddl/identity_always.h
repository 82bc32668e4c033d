// identity_always.h: GENERATED ALWAYS AS IDENTITY. DuckDB has no identity columns: the CREATE
// TABLE rewrite gives the column a sequence default (pg_app_ddl_rewrite.cpp) and records it in
// pg_augur.identity_always, and the session refuses what PostgreSQL refuses: an INSERT that gives
// the column a value other than DEFAULT without OVERRIDING SYSTEM VALUE, and an UPDATE setting
// it to anything but DEFAULT (428C9).
#pragma once

#include <string>
#include <vector>

#include "augur/result.h"

namespace duckdb {
class Connection;
class SQLStatement;
}  // namespace duckdb

namespace augur::engine {

// The recorded GENERATED ALWAYS columns of `schema`.`table` (any schema when it is empty).
std::vector<std::string> IdentityAlwaysColumns(duckdb::Connection& connection,
                                               const std::string& schema, const std::string& table);

// 428C9 when the INSERT or UPDATE `parsed` sets a GENERATED ALWAYS column as PostgreSQL refuses.
Status CheckIdentityAlways(duckdb::Connection& connection, const duckdb::SQLStatement& parsed);

}  // namespace augur::engine
