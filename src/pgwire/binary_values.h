// binary_values.h: parameters sent in PostgreSQL's binary format, turned into the text format the
// engine reads. Drivers send binary for some types (pgx always; psycopg for bytea; pgjdbc for
// numbers once a statement is prepared server-side).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "augur/result.h"

namespace augur::pgwire {

// The text form of a binary parameter of PostgreSQL type `oid`. Fails with 0A000 for types
// without a binary decoder here, and 22P03 (invalid_binary_representation) for malformed bytes.
Result<std::string> BinaryParameterToText(uint32_t oid, std::string_view bytes);

}  // namespace augur::pgwire
