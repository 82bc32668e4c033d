// client_copy_in.h: the DuckDB statement that loads COPY ... FROM STDIN data (spooled to a CSV
// file by the protocol layer) into its table.
#pragma once

#include <string>

#include "augur/engine.h"

namespace duckdb {
class Connection;
}

namespace augur::engine {

// DuckDB's COPY FROM for tables whose columns its CSV reader parses as PostgreSQL writes them.
// When a column is an array or jsonb (pg_dump's data has both), the file is read as text and
// each value cast, arrays from PostgreSQL's '{...}' form (pg_array_text.h).
std::string CopyInStatement(duckdb::Connection& connection, const CopyRequest& request,
                            const std::string& csv_path);

}  // namespace augur::engine
