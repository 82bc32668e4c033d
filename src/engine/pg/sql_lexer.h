// sql_lexer.h: a small SQL lexer, enough to find statement boundaries, keywords, strings and
// identifiers. It is ours because the only parser at hand is DuckDB's, and its users (pg_rewrite,
// role_statements) handle exactly the text that DuckDB's parser rejects.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace augur::engine {

struct Token {
  enum Kind { kWord, kQuotedIdent, kString, kNumber, kPunct } kind;
  std::string_view text;
  std::string upper;  // kWord only: the keyword in upper case
};

struct LexedStatement {
  std::string_view text;  // without the terminating ';'
  std::vector<Token> tokens;
};

// Splits `sql` into statements at top-level semicolons (outside quotes, dollar quotes and
// comments) and tokenizes each.
std::vector<LexedStatement> Lex(std::string_view sql);

}  // namespace augur::engine
