// pg_arithmetic.h: PostgreSQL's division semantics for DuckDB's "/" and "%".
//
// The same text answers differently otherwise: in PostgreSQL 7 / 2 is 3 (integer division
// truncates) and 1 / 0 raises 22012 "division by zero"; DuckDB returns 3.5 and inf (or NULL).
// A PostgreSQL client expects PostgreSQL's answers, so the integer and floating-point overloads
// of "/" and "%" are replaced in DuckDB's system catalog; DECIMAL and INTERVAL overloads stay.
//
// PostgreSQL's bitwise XOR a # b is DuckDB's xor(a, b): DuckDB's parser reads # as a positional
// reference, so pg_jsonb_rewrite.cpp renames the operator and this installs xor under that name.
#pragma once

#include <string_view>

#include "augur/result.h"

namespace duckdb {
class Connection;
}

namespace augur::engine {

inline constexpr std::string_view kBitwiseXorOperator = "~@^";

// Replaces the overloads. Idempotent; runs once per database open.
Status InstallPgArithmetic(duckdb::Connection& connection);

}  // namespace augur::engine
