// sql_lexer.cpp
#include "engine/pg/sql_lexer.h"

#include <cctype>

namespace augur::engine {

namespace {

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
         (static_cast<unsigned char>(c) >= 0x80);
}

}  // namespace

std::vector<LexedStatement> Lex(std::string_view sql) {
  std::vector<LexedStatement> out;
  size_t start = 0;
  std::vector<Token> tokens;
  size_t i = 0;
  auto finish = [&](size_t end) {
    out.push_back(LexedStatement{sql.substr(start, end - start), std::move(tokens)});
    tokens.clear();
  };
  while (i < sql.size()) {
    char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      while (i < sql.size() && sql[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      int depth = 0;  // PostgreSQL block comments nest
      do {
        if (sql.compare(i, 2, "/*") == 0) {
          ++depth;
          i += 2;
        } else if (sql.compare(i, 2, "*/") == 0) {
          --depth;
          i += 2;
        } else {
          ++i;
        }
      } while (depth > 0 && i < sql.size());
    } else if (c == ';') {
      finish(i);
      start = ++i;
    } else if (c == '\'' || ((c == 'E' || c == 'e') && i + 1 < sql.size() && sql[i + 1] == '\'')) {
      size_t b = i;
      bool escapes = c != '\'';
      i += escapes ? 2 : 1;
      while (i < sql.size()) {
        if (escapes && sql[i] == '\\') {
          i += 2;
        } else if (sql[i] == '\'') {
          if (i + 1 < sql.size() && sql[i + 1] == '\'') {
            i += 2;
          } else {
            ++i;
            break;
          }
        } else {
          ++i;
        }
      }
      tokens.push_back({Token::kString, sql.substr(b, i - b), ""});
    } else if (c == '"') {
      size_t b = i++;
      while (i < sql.size() && !(sql[i] == '"' && (i + 1 >= sql.size() || sql[i + 1] != '"'))) {
        i += sql[i] == '"' ? 2 : 1;
      }
      ++i;
      tokens.push_back({Token::kQuotedIdent, sql.substr(b, std::min(i, sql.size()) - b), ""});
    } else if (c == '$' && i + 1 < sql.size() &&
               (sql[i + 1] == '$' || std::isalpha(static_cast<unsigned char>(sql[i + 1])))) {
      // Dollar quoting: $tag$ ... $tag$ (a $1 parameter starts with a digit and is a word).
      size_t tag_end = sql.find('$', i + 1);
      // No closing '$' (`SELECT $x`): not a dollar quote, just punctuation.
      std::string_view tag =
          tag_end == std::string_view::npos ? "" : sql.substr(i, tag_end - i + 1);
      bool valid = tag.size() >= 2;
      if (valid) {
        for (char t : tag.substr(1, tag.size() - 2)) valid &= IsWordChar(t) && t != '$';
      }
      if (valid) {
        size_t close = sql.find(tag, i + tag.size());
        size_t b = i;
        i = close == std::string_view::npos ? sql.size() : close + tag.size();
        tokens.push_back({Token::kString, sql.substr(b, i - b), ""});
      } else {
        tokens.push_back({Token::kPunct, sql.substr(i++, 1), ""});
      }
    } else if (IsWordChar(c)) {
      size_t b = i;
      while (i < sql.size() && IsWordChar(sql[i])) ++i;
      std::string_view word = sql.substr(b, i - b);
      std::string upper;
      for (char w : word)
        upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(w))));
      bool number = std::isdigit(static_cast<unsigned char>(c));
      tokens.push_back({number ? Token::kNumber : Token::kWord, word, number ? "" : upper});
    } else {
      tokens.push_back({Token::kPunct, sql.substr(i++, 1), ""});
    }
  }
  if (!tokens.empty() || start < sql.size()) finish(sql.size());
  return out;
}

}  // namespace augur::engine
