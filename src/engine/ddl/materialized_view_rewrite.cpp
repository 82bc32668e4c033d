// materialized_view_rewrite.cpp: the token rewrite of materialized_view_rewrite.h. The SET's
// value is '<verb>\n<schema>\n<name>\n<flag>\n<query>' (flag: IF [NOT] EXISTS given).
#include "engine/ddl/materialized_view_rewrite.h"

#include <vector>

#include "common/sql_quoting.h"
#include "engine/pg/sql_tokens.h"

namespace augur::engine {
namespace {

bool IsIdent(const std::vector<Token>& t, size_t i) {
  return i < t.size() && (t[i].kind == Token::kWord || t[i].kind == Token::kQuotedIdent);
}

// [schema.]name from token `at`; false unless one is there.
bool Name(const std::vector<Token>& t, size_t& at, std::string& schema, std::string& name) {
  if (!IsIdent(t, at)) return false;
  name = IdentifierName(t[at]).value_or("");
  ++at;
  if (IsPunct(t, at, '.') && IsIdent(t, at + 1)) {
    schema = name;
    name = IdentifierName(t[at + 1]).value_or("");
    at += 2;
  }
  return !name.empty();
}

std::string Setting(const std::string& verb, const std::string& schema, const std::string& name,
                    bool flag, std::string_view query) {
  return "SET " + std::string(kMatviewSetting) + " = " +
         QuoteLiteral(verb + "\n" + schema + "\n" + name + "\n" + (flag ? "1" : "0") + "\n" +
                      std::string(query));
}

}  // namespace

bool RewriteMaterializedView(const LexedStatement& s, std::string& out) {
  auto& t = s.tokens;
  std::string schema, name;
  if (Is(t, 0, "CREATE") && Is(t, 1, "MATERIALIZED") && Is(t, 2, "VIEW")) {
    size_t at = 3;
    bool if_not_exists = Is(t, at, "IF") && Is(t, at + 1, "NOT") && Is(t, at + 2, "EXISTS");
    if (if_not_exists) at += 3;
    if (!Name(t, at, schema, name) || !Is(t, at, "AS") || at + 1 >= t.size()) return false;
    size_t end = t.size();
    if (Is(t, end - 2, "WITH") && Is(t, end - 1, "DATA")) end -= 2;
    if (Is(t, end - 1, "DATA") && Is(t, end - 2, "NO")) return false;  // WITH NO DATA
    out = Setting("create", schema, name, if_not_exists, Span(s, at + 1, end));
    return true;
  }
  if (Is(t, 0, "REFRESH") && Is(t, 1, "MATERIALIZED") && Is(t, 2, "VIEW")) {
    size_t at = 3;
    if (Is(t, at, "CONCURRENTLY")) ++at;
    if (!Name(t, at, schema, name)) return false;
    if (Is(t, at, "WITH") && Is(t, at + 1, "DATA")) at += 2;
    if (at != t.size()) return false;
    out = Setting("refresh", schema, name, false, "");
    return true;
  }
  if (Is(t, 0, "DROP") && Is(t, 1, "MATERIALIZED") && Is(t, 2, "VIEW")) {
    size_t at = 3;
    bool if_exists = Is(t, at, "IF") && Is(t, at + 1, "EXISTS");
    if (if_exists) at += 2;
    if (!Name(t, at, schema, name)) return false;
    if (Is(t, at, "CASCADE") || Is(t, at, "RESTRICT")) ++at;
    if (at != t.size()) return false;
    out = Setting("drop", schema, name, if_exists, "");
    return true;
  }
  return false;
}

}  // namespace augur::engine
