// pg_jsonb_rewrite.cpp: the rewrites of pg_jsonb_rewrite.h.
#include "engine/pg/pg_jsonb_rewrite.h"

#include <algorithm>
#include <vector>

#include "engine/pg/pg_arithmetic.h"
#include "engine/pg/pg_jsonb.h"
#include "engine/pg/sql_tokens.h"

namespace augur::engine {
namespace {

// Token i+1 starts right where token i ends (no space: "?|" is one operator, "? |" is not).
// Words after which # starts DuckDB's positional reference (SELECT #1, ORDER BY #2), not an
// operator between two operands.
bool IsKeyword(const Token& word) {
  for (std::string_view k :
       {"SELECT", "BY",   "WHERE", "AND",    "OR",       "NOT",       "ON",
        "WHEN",   "THEN", "ELSE",  "HAVING", "DISTINCT", "RETURNING", "SET",
        "IN",     "IS",   "CASE",  "AS",     "LIKE",     "BETWEEN",   "ALL",
        "ANY",    "SOME", "USING", "FROM",   "LIMIT",    "OFFSET",    "VALUES"}) {
    if (word.upper == k) return true;
  }
  return false;
}

bool Touching(const std::vector<Token>& t, size_t i) {
  return i + 1 < t.size() && t[i].text.data() + t[i].text.size() == t[i + 1].text.data();
}

struct Constructor {
  std::string_view pg;
  std::string_view duckdb;
  bool wrap_values = true;  // arguments through augur_json_value (WrapJsonbValues)
};

constexpr Constructor kConstructors[] = {
    {"JSONB_BUILD_OBJECT", "json_build_object"},
    {"JSONB_BUILD_ARRAY", "json_build_array"},
    {"JSONB_AGG", "to_json(list"},  // list, an aggregate, takes ORDER BY; json_group_array not
    {"JSONB_OBJECT_AGG", "json_group_object"},
    {"TO_JSONB", "to_json"},
    // json_agg keeps its elements' types: PostgreSQL separates rows and arrays by ", \n "
    // and everything else by ", " (pg_json_build.cpp).
    {"JSON_AGG", "pg_json_agg_text(list", false},
};

// The _text variants: strings without quotes, containers in jsonb's printed form.
#define AUGUR_JSONB_TEXT_VALUE                                                           \
  "CASE WHEN json_type(value) IN ('OBJECT', 'ARRAY') THEN CAST(CAST(value AS jsonb) AS " \
  "VARCHAR) ELSE value ->> '$' END AS value"

// The set-returning functions, in FROM: a lateral subquery over DuckDB's json_each.
struct SetReturning {
  std::string_view pg;
  std::string_view columns;  // the select list over json_each's key and value
};

constexpr SetReturning kSetReturning[] = {
    {"JSONB_EACH", "key, CAST(value AS jsonb) AS value"},
    {"JSONB_EACH_TEXT", "key, " AUGUR_JSONB_TEXT_VALUE},
    {"JSONB_ARRAY_ELEMENTS", "CAST(value AS jsonb) AS value"},
    {"JSONB_ARRAY_ELEMENTS_TEXT", AUGUR_JSONB_TEXT_VALUE},
};

// The arguments of the jsonb constructors that become JSON values: each goes through
// augur_json_value (pg_function_macros.cpp), which embeds a jsonb value as JSON where DuckDB's
// json functions would take its text for a string ({"a": "{\"x\": 1}"} for {"a": {"x": 1}}).
// jsonb_build_object's keys stay text; jsonb_agg's ORDER BY is not an argument.
bool WrapJsonbValues(const LexedStatement& s, std::string& out) {
  auto& t = s.tokens;
  std::vector<std::pair<size_t, std::string_view>> inserts;  // (offset, text)
  for (size_t i = 0; i + 1 < t.size(); ++i) {
    if (t[i].kind != Token::kWord || !IsPunct(t, i + 1, '(')) continue;
    const Constructor* c = nullptr;
    for (const Constructor& k : kConstructors)
      if (t[i].upper == k.pg) c = &k;
    if (c == nullptr || !c->wrap_values) continue;
    const size_t close = Matching(t, i + 1);
    if (close >= t.size() || close == i + 2) continue;
    std::string_view first = c->duckdb.substr(0, c->duckdb.find('('));
    if (t[i + 2].kind == Token::kWord && t[i + 2].text == first) continue;  // rewritten before
    const bool keys = c->pg == "JSONB_BUILD_OBJECT" || c->pg == "JSONB_OBJECT_AGG";
    size_t argument = 0;
    size_t begin = i + 2;
    if (Is(t, begin, "DISTINCT") || Is(t, begin, "ALL")) ++begin;
    int depth = 0;  // of ( and [ inside the call
    for (size_t j = begin; j <= close; ++j) {
      if (IsPunct(t, j, '(') || IsPunct(t, j, '[')) ++depth;
      if (j < close && (IsPunct(t, j, ')') || IsPunct(t, j, ']'))) --depth;
      if (depth > 0) continue;
      const bool order = Is(t, j, "ORDER") && Is(t, j + 1, "BY");
      if (j == close || IsPunct(t, j, ',') || order) {
        if (j > begin && (!keys || argument % 2 == 1)) {
          inserts.emplace_back(Offset(s, begin), "augur_json_value(");
          inserts.emplace_back(Offset(s, j), ")");
        }
        ++argument;
        begin = j + 1;
        if (order) break;
      }
    }
  }
  if (inserts.empty()) return false;
  // A span's ")" before another's "augur_json_value(" at the same offset.
  std::stable_sort(inserts.begin(), inserts.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return a.second == ")" && b.second != ")";
  });
  size_t copied = 0;
  for (auto& [at, text] : inserts) {
    out.append(s.text.substr(copied, at - copied));
    out.append(text);
    copied = at;
  }
  out.append(s.text.substr(copied));
  return true;
}

bool RewriteJsonbTokens(const LexedStatement& s, std::string& out);

}  // namespace

bool RewriteJsonb(const LexedStatement& s, std::string& out) {
  std::string wrapped;
  if (!WrapJsonbValues(s, wrapped)) return RewriteJsonbTokens(s, out);
  auto lexed = Lex(wrapped);
  if (lexed.size() != 1) return RewriteJsonbTokens(s, out);
  if (!RewriteJsonbTokens(lexed[0], out)) out = std::move(wrapped);
  return true;
}

namespace {

bool RewriteJsonbTokens(const LexedStatement& s, std::string& out) {
  auto& t = s.tokens;
  std::string text;
  size_t copied = 0;
  bool changed = false;
  auto offset = [&](size_t i) { return Offset(s, i); };
  auto replace = [&](size_t from, size_t to, std::string_view with) {  // tokens [from, to]
    text.append(s.text.substr(copied, offset(from) - copied));
    text.append(with);
    copied = offset(to) + t[to].text.size();
    changed = true;
  };
  // Closing parentheses still to be followed by " AS jsonb)", by token index.
  std::vector<std::pair<size_t, std::string>> casts;
  bool in_from = false;  // between FROM and the clause after it, where a ',' lists tables
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].kind == Token::kWord) {
      if (t[i].upper == "FROM") in_from = true;
      for (std::string_view end : {"WHERE", "GROUP", "ORDER", "HAVING", "LIMIT", "SELECT",
                                   "RETURNING", "UNION", "WINDOW"}) {
        if (t[i].upper == end) in_from = false;
      }
    }
    if (t[i].kind == Token::kWord && IsPunct(t, i + 1, '(') && i > 0 &&
        (Is(t, i - 1, "FROM") || Is(t, i - 1, "JOIN") || Is(t, i - 1, "LATERAL") ||
         (in_from && IsPunct(t, i - 1, ',')))) {
      const SetReturning* function = nullptr;
      for (const SetReturning& f : kSetReturning)
        if (t[i].upper == f.pg) function = &f;
      if (function != nullptr) {
        size_t close = Matching(t, i + 1);
        if (close < t.size() && close > i + 2) {
          std::string argument(s.text.substr(offset(i + 2), offset(close) - offset(i + 2)));
          replace(i, close,
                  "(SELECT " + std::string(function->columns) + " FROM json_each(CAST(" + argument +
                      " AS JSON)))");
          i = close;
          continue;
        }
      }
    }
    if (!casts.empty() && casts.back().first == i) {
      replace(i, i, casts.back().second);
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
    if (IsPunct(t, i, '#') && Touching(t, i) && IsPunct(t, i + 1, '-')) {
      replace(i, i + 1, std::string(kJsonbDeletePathOperator));
      ++i;
      continue;
    }
    // a # b, PostgreSQL's bitwise XOR, between two operands (not #1, DuckDB's positional
    // reference, which follows a comma, an opening parenthesis or a keyword).
    if (IsPunct(t, i, '#') && i > 0 && i + 1 < t.size() &&
        (t[i - 1].kind == Token::kNumber || t[i - 1].kind == Token::kQuotedIdent ||
         IsPunct(t, i - 1, ')') || (t[i - 1].kind == Token::kWord && !IsKeyword(t[i - 1])))) {
      replace(i, i, std::string(kBitwiseXorOperator));
      continue;
    }
    if (t[i].kind != Token::kWord || !IsPunct(t, i + 1, '(')) continue;
    for (const Constructor& c : kConstructors) {
      if (t[i].upper != c.pg) continue;
      size_t close = Matching(t, i + 1);
      if (close == t.size()) break;
      std::string_view first = c.duckdb.substr(0, c.duckdb.find('('));
      if (t[i + 2].kind == Token::kWord && t[i + 2].text == first) break;  // rewritten before
      // F(D(args)): DuckDB's json function, then pg_jsonb.cpp's F(json), which normalizes and
      // gives the column PostgreSQL's name.
      replace(i, i + 1, std::string(t[i].text) + "(" + std::string(c.duckdb) + "(");
      // Innermost first: a later close of an enclosing call sits below in the stack.
      auto at = casts.begin();
      while (at != casts.end() && at->first > close) ++at;
      std::string closing = "))";
      for (char ch : c.duckdb) closing += ch == '(' ? ")" : "";
      casts.insert(at, {close, closing});
      ++i;
      break;
    }
  }
  if (!changed) return false;
  text.append(s.text.substr(copied));
  out = std::move(text);
  return true;
}

}  // namespace

}  // namespace augur::engine
