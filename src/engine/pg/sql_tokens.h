// sql_tokens.h: reading sql_lexer's tokens, for the rewrites that work on them (pg_rewrite,
// pg_value_rewrite, pg_app_ddl_rewrite, savepoint_rewrite, the cursor and role commands): is a
// token this keyword or that punctuation, where it stands in the statement's text, where a
// parenthesis closes, and names and strings as PostgreSQL reads them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/pg/sql_lexer.h"

namespace augur::engine {

// Token `i` is the unquoted word `keyword` (given in upper case); false past the end.
bool Is(const std::vector<Token>& t, size_t i, std::string_view keyword);

// Token `i` is the punctuation `c`; false past the end.
bool IsPunct(const std::vector<Token>& t, size_t i, char c);

// The text from token `from` up to (not including) token `to`; empty when from >= to.
std::string_view Span(const LexedStatement& s, size_t from, size_t to);

// Where token `token` starts in s.text, in bytes.
size_t Offset(const LexedStatement& s, size_t token);

// The index of the ')' that closes the '(' at `open`, or t.size() when none does.
size_t Matching(const std::vector<Token>& t, size_t open);

// An identifier as PostgreSQL reads it: a word folded to lower case, a quoted identifier without
// its quotes and with "" as one quote. Nullopt for any other token. Not cut to NAMEDATALEN.
std::optional<std::string> IdentifierName(const Token& token);

// A string constant's value: '...' with '' as one quote, or the body of $tag$...$tag$. Nullopt
// for other tokens, E'...' (pg_string_literals.h decodes those first) and unclosed quotes.
std::optional<std::string> StringConstantValue(const Token& token);

}  // namespace augur::engine
