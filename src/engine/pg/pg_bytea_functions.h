// pg_bytea_functions.h: PostgreSQL's encode(bytea, format) and decode(text, format) for the
// 'hex', 'base64' and 'escape' formats (pg_bytea_text.h), beside DuckDB's one-argument encode
// and decode, which convert between text and its UTF-8 bytes.
#pragma once

#include "augur/result.h"

namespace duckdb {
class Connection;
}

namespace augur::engine {

// Installs the functions in DuckDB's system catalog. Runs once per database open.
Status InstallPgByteaFunctions(duckdb::Connection& connection);

}  // namespace augur::engine
