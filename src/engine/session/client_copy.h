// client_copy.h: recognizes COPY ... FROM STDIN / TO STDOUT, whose data travels over the client
// connection. DuckDB would read the server's own stdin or write to its stdout for these.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "augur/engine.h"

namespace duckdb {
class SQLStatement;
}

namespace augur::engine {

struct ClientCopy {
  CopyRequest request;
  // TO STDOUT: the query whose rows are copied out (the table's rows, or COPY (query)'s).
  std::string select_sql;
};

// nullopt when `statement` is not a COPY through the client; an error for options augur does not
// support (0A000) or that contradict each other (22023).
Result<std::optional<ClientCopy>> AnalyzeClientCopy(const duckdb::SQLStatement& statement);

// COPY ... TO a server file in Parquet is compressed with zstd unless the statement names a
// compression: cold data is the point of Parquet here, and zstd gives smaller files than
// DuckDB's default (snappy) at similar speed. Changes `statement` in place; other statements are
// left alone.
void ApplyCopyDefaults(duckdb::SQLStatement& statement);

// The DuckDB statement that loads a CSV file written by the protocol layer for `request`.
std::string CopyInSql(const CopyRequest& request, const std::string& csv_path);

}  // namespace augur::engine
