// pg_jsonb_rewrite.cpp: the rewrites of pg_jsonb_rewrite.h.
#include "engine/pg_jsonb_rewrite.h"

#include <vector>

#include "engine/pg_jsonb.h"

namespace augur::engine {
namespace {

bool IsPunct(const std::vector<Token>& t, size_t i, char c) {
  return i < t.size() && t[i].kind == Token::kPunct && t[i].text[0] == c;
}

// Token i+1 starts right where token i ends (no space: "?|" is one operator, "? |" is not).
bool Touching(const std::vector<Token>& t, size_t i) {
  return i + 1 < t.size() && t[i].text.data() + t[i].text.size() == t[i + 1].text.data();
}

struct Constructor {
  std::string_view pg;
  std::string_view duckdb;
};

constexpr Constructor kConstructors[] = {
    {"JSONB_BUILD_OBJECT", "json_object"},
    {"JSONB_BUILD_ARRAY", "json_array"},
    {"JSONB_AGG", "json_group_array"},
    {"JSONB_OBJECT_AGG", "json_group_object"},
    {"TO_JSONB", "to_json"},
};

}  // namespace

bool RewriteJsonb(const LexedStatement& s, std::string& out) {
  auto& t = s.tokens;
  std::string text;
  size_t copied = 0;
  bool changed = false;
  auto offset = [&](size_t i) { return static_cast<size_t>(t[i].text.data() - s.text.data()); };
  auto replace = [&](size_t from, size_t to, std::string_view with) {  // tokens [from, to]
    text.append(s.text.substr(copied, offset(from) - copied));
    text.append(with);
    copied = offset(to) + t[to].text.size();
    changed = true;
  };
  // Closing parentheses still to be followed by " AS jsonb)", by token index.
  std::vector<size_t> casts;
  for (size_t i = 0; i < t.size(); ++i) {
    if (!casts.empty() && casts.back() == i) {
      replace(i, i, "))");
      casts.pop_back();
      continue;
    }
    if (IsPunct(t, i, '?')) {
      if (Touching(t, i) && IsPunct(t, i + 1, '|')) {
        replace(i, i + 1, std::string(kJsonbExistsAnyOperator));
        ++i;
      } else if (Touching(t, i) && IsPunct(t, i + 1, '&')) {
        replace(i, i + 1, std::string(kJsonbExistsAllOperator));
        ++i;
      } else {
        replace(i, i, std::string(kJsonbExistsOperator));
      }
      continue;
    }
    if (IsPunct(t, i, '#') && Touching(t, i) && IsPunct(t, i + 1, '>')) {
      if (Touching(t, i + 1) && IsPunct(t, i + 2, '>')) {
        replace(i, i + 2, std::string(kJsonbPathTextOperator));
        i += 2;
      } else {
        replace(i, i + 1, std::string(kJsonbPathOperator));
        ++i;
      }
      continue;
    }
    if (t[i].kind != Token::kWord || !IsPunct(t, i + 1, '(')) continue;
    for (const Constructor& c : kConstructors) {
      if (t[i].upper != c.pg) continue;
      int depth = 0;
      size_t close = i + 1;
      for (; close < t.size(); ++close) {
        if (IsPunct(t, close, '(')) ++depth;
        if (IsPunct(t, close, ')') && --depth == 0) break;
      }
      if (close == t.size()) break;
      if (t[i + 2].kind == Token::kWord && t[i + 2].text == c.duckdb) break;  // rewritten before
      // F(D(args)): DuckDB's json function, then pg_jsonb.cpp's F(json), which normalizes and
      // gives the column PostgreSQL's name.
      replace(i, i + 1, std::string(t[i].text) + "(" + std::string(c.duckdb) + "(");
      // Innermost first: a later close of an enclosing call sits below in the stack.
      auto at = casts.begin();
      while (at != casts.end() && *at > close) ++at;
      casts.insert(at, close);
      ++i;
      break;
    }
  }
  if (!changed) return false;
  text.append(s.text.substr(copied));
  out = std::move(text);
  return true;
}

}  // namespace augur::engine
