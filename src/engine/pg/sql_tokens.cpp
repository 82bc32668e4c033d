// sql_tokens.cpp: see sql_tokens.h.
#include "engine/pg/sql_tokens.h"

namespace augur::engine {

bool Is(const std::vector<Token>& t, size_t i, std::string_view keyword) {
  return i < t.size() && t[i].kind == Token::kWord && t[i].upper == keyword;
}

bool IsPunct(const std::vector<Token>& t, size_t i, char c) {
  return i < t.size() && t[i].kind == Token::kPunct && t[i].text[0] == c;
}

std::string_view Span(const LexedStatement& s, size_t from, size_t to) {
  if (from >= to) return {};
  const char* b = s.tokens[from].text.data();
  const char* e = s.tokens[to - 1].text.data() + s.tokens[to - 1].text.size();
  return {b, static_cast<size_t>(e - b)};
}

size_t Offset(const LexedStatement& s, size_t token) {
  return static_cast<size_t>(s.tokens[token].text.data() - s.text.data());
}

size_t Matching(const std::vector<Token>& t, size_t open) {
  int depth = 0;
  for (size_t i = open; i < t.size(); ++i) {
    if (IsPunct(t, i, '(')) ++depth;
    if (IsPunct(t, i, ')') && --depth == 0) return i;
  }
  return t.size();
}

std::optional<std::string> IdentifierName(const Token& token) {
  std::string name;
  if (token.kind == Token::kWord) {
    // ASCII only, as PostgreSQL's downcase_identifier in a multibyte encoding.
    for (char c : token.text)
      name.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    return name;
  }
  if (token.kind != Token::kQuotedIdent || token.text.size() < 2) return std::nullopt;
  std::string_view body = token.text.substr(1, token.text.size() - 2);
  for (size_t i = 0; i < body.size(); ++i) {
    name.push_back(body[i]);
    if (body[i] == '"' && i + 1 < body.size() && body[i + 1] == '"') ++i;
  }
  return name;
}

std::optional<std::string> StringConstantValue(const Token& token) {
  std::string_view text = token.text;
  if (token.kind != Token::kString || text.size() < 2) return std::nullopt;
  if (text.front() == '\'') {
    if (text.back() != '\'') return std::nullopt;
    std::string value;
    for (size_t i = 1; i + 1 < text.size(); ++i) {
      value.push_back(text[i]);
      if (text[i] == '\'') ++i;  // '' inside the literal
    }
    return value;
  }
  size_t tag_end = text.find('$', 1);
  if (text.front() != '$' || tag_end == std::string_view::npos) return std::nullopt;
  size_t tag = tag_end + 1;
  if (text.size() < 2 * tag) return std::nullopt;
  return std::string(text.substr(tag, text.size() - 2 * tag));
}

}  // namespace augur::engine
