// pg_unsupported_statements.h: PostgreSQL statements augur cannot run, answered with 0A000 and
// a message that names what is missing, where DuckDB's parser would answer 42601 "syntax error
// at or near RETURNS" and leave the user guessing: PL/pgSQL and SQL functions and procedures
// (CREATE FUNCTION ... RETURNS ... LANGUAGE), triggers, rules, DO blocks, and the ALTER and
// DROP forms of those objects.
//
// DuckDB's own CREATE FUNCTION name(args) AS expression (a macro) has neither RETURNS nor
// LANGUAGE, and still runs.
#pragma once

#include <string>

#include "engine/pg/sql_lexer.h"

namespace augur::engine {

// When `s` is such a statement: true, with `out` a statement that fails with 0A000 when it runs
// (so that the statements before it in a multi-statement query still run, as in PostgreSQL).
bool RewriteUnsupportedStatement(const LexedStatement& s, std::string& out);

}  // namespace augur::engine
