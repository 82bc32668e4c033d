// pg_rewrite.h: the few PostgreSQL statement forms DuckDB's parser rejects, rewritten into forms
// it accepts before parsing. Each rewrite names the client that sends the statement.
//
// Rewrites work on tokens (quotes, dollar quotes and comments are respected) and only touch
// statements that DuckDB would refuse, so any other text reaches DuckDB byte for byte and keeps
// its error positions.
#pragma once

#include <string>
#include <string_view>

namespace augur::engine {

// Returns `sql` with every unsupported statement rewritten; unchanged when none is.
std::string RewriteForDuckDB(std::string_view sql);

// `sql` with every parameter ($1, $2, ...) outside quotes and comments replaced by
// `replacement`, e.g. NULL, so that the text binds without values.
std::string ReplaceParameters(std::string_view sql, std::string_view replacement);

}  // namespace augur::engine
