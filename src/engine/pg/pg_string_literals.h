// pg_string_literals.h: PostgreSQL's escape strings (E'...') and Unicode strings (U&'...'),
// decoded into standard strings before DuckDB parses the text.
//
// DuckDB's parser came from PostgreSQL's but stubs out the encoding checks these literals need:
// E'\x00' and every U&'...' failed with "pg_verifymbstr NOT IMPLEMENTED", and E'\101' answered
// something other than PostgreSQL's 'A'. Here each such literal becomes a plain '...' literal
// holding the same characters, with PostgreSQL's errors for what it refuses: 22021 for bytes that
// are not UTF-8 (NUL included), 42601 for an invalid Unicode escape, each with its position.
#pragma once

#include <string>
#include <string_view>

#include "augur/result.h"

namespace augur::engine {

// `sql` with every E'...' and U&'...' [UESCAPE 'c'] literal outside comments, quoted identifiers
// and dollar quotes replaced by a standard literal; unchanged when there is none.
Result<std::string> DecodeStringLiterals(std::string_view sql);

}  // namespace augur::engine
