// pg_jsonb.h: the jsonb type, its casts and operators in DuckDB (pg_jsonb.cpp), and the names
// the rewrite gives the operators DuckDB's parser refuses (pg_jsonb_rewrite.cpp).
#pragma once

#include <string_view>

#include "augur/result.h"

namespace duckdb {
class Connection;
class LogicalType;
}  // namespace duckdb

namespace augur::engine {

inline constexpr std::string_view kJsonbTypeName = "jsonb";
// ? ?| ?& #> #>> #-: DuckDB reads ? as a parameter and # as a positional reference.
inline constexpr std::string_view kJsonbExistsOperator = "~@~";
inline constexpr std::string_view kJsonbExistsAnyOperator = "~@|";
inline constexpr std::string_view kJsonbExistsAllOperator = "~@&";
inline constexpr std::string_view kJsonbPathOperator = "~@>";
inline constexpr std::string_view kJsonbPathTextOperator = "~@>>";
inline constexpr std::string_view kJsonbDeletePathOperator = "~@-";  // #-

// VARCHAR with the alias "jsonb".
duckdb::LogicalType JsonbType();

// Installs the type, casts and operators. Runs at every open.
Status InstallPgJsonb(duckdb::Connection& connection);

}  // namespace augur::engine
