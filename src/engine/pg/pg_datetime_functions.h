// pg_datetime_functions.h: PostgreSQL's to_char(timestamp | timestamptz | date, text),
// to_date(text, text) and to_timestamp(text, text) (pg_datetime_format.h), beside DuckDB's
// to_timestamp(double). timestamptz values are read, and to_timestamp's results made, in the
// session's TimeZone, as PostgreSQL does.
#pragma once

#include "augur/result.h"

namespace duckdb {
class Connection;
}

namespace augur::engine {

// Installs the functions in DuckDB's system catalog. Runs once per database open.
Status InstallPgDatetimeFunctions(duckdb::Connection& connection);

}  // namespace augur::engine
