// pg_jsonb_rewrite.h: jsonb syntax DuckDB's parser refuses or names differently, rewritten on
// tokens: the operators ? ?| ?& #> #>> #- get names DuckDB parses (pg_jsonb.h), and the jsonb
// constructors wrap DuckDB's json ones: jsonb_agg(x) is jsonb_agg(json_group_array(x)). The
// one operator here that is not jsonb's, the bitwise XOR a # b, is renamed in the same pass for
// the same reason (pg_arithmetic.h).
#pragma once

#include <string>

#include "engine/pg/sql_lexer.h"

namespace augur::engine {

// True, with the statement rewritten into `out`, when `s` uses any of them.
bool RewriteJsonb(const LexedStatement& s, std::string& out);

}  // namespace augur::engine
