// pg_function_overrides.h: DuckDB functions that exist under PostgreSQL's names but answer
// differently for the same arguments, replaced by PostgreSQL's behaviour:
//  - round(float8), round(real): half to even, as PostgreSQL's rint (DuckDB: half away from
//    zero, round(2.5::float8) 3 where PostgreSQL gives 2);
//  - sha256: bytea, not its hex digits as text;
//  - txid_current(): bigint, not an unsigned integer (pg_typeof said numeric);
//  - to_hex: lower-case digits, and a negative integer in 32 bits (DuckDB: FFFFFFFFFFFFFFFF);
//  - array_length of an empty array: NULL, not 0;
//  - percentile_cont of numeric: double precision, not numeric;
//  - text to boolean: PostgreSQL's spellings ('on', 'off', 'of', ' yes ').
#pragma once

#include "augur/result.h"

namespace duckdb {
class Connection;
}

namespace augur::engine {

// Installs the replacements in DuckDB's system catalog. Runs once per database open.
Status InstallPgFunctionOverrides(duckdb::Connection& connection);

}  // namespace augur::engine
