// pg_binary.h: values in PostgreSQL's binary wire format (the *_send functions), for clients that
// ask for binary results (pgjdbc after five executions of a statement, pgx always).
#pragma once

#include <cstdint>
#include <string>

#include "augur/result.h"
#include "duckdb/common/types/value.hpp"

namespace augur::engine {

// True when AppendPgBinary can write values reported as PostgreSQL type `oid`.
bool PgBinarySupported(uint32_t oid);

// Appends the binary form of `value` (not NULL) as PostgreSQL type `oid`, which must be the OID
// PgTypeFor gave the value's type.
Status AppendPgBinary(const duckdb::Value& value, uint32_t oid, std::string& out);

}  // namespace augur::engine
