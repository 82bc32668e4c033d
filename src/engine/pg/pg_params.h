// pg_params.h: PostgreSQL parameter values (text format) -> DuckDB values.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "augur/result.h"
#include "duckdb/common/types.hpp"
#include "duckdb/common/types/value.hpp"

namespace duckdb {
class ClientContext;
}

namespace augur::engine {

// The DuckDB type a parameter declared with PostgreSQL type `oid` is read as; UNKNOWN for OIDs
// augur does not know (the value then binds as text and DuckDB casts it where it is used).
duckdb::LogicalType LogicalTypeForPgOid(uint32_t oid);

// Parses PostgreSQL's text form of a value into `type` (bytea's \x hex form, boolean spellings,
// arrays as {a,b}). Fails with 22P02 and PostgreSQL's wording when the text does not parse.
Result<duckdb::Value> ValueFromPgText(duckdb::ClientContext& context, std::string_view text,
                                      const duckdb::LogicalType& type);

// An integer (INTEGER, or BIGINT when it does not fit) or a decimal number (DOUBLE) when `text`
// is exactly one; nullopt otherwise.
std::optional<duckdb::Value> NumberFromText(std::string_view text);

}  // namespace augur::engine
