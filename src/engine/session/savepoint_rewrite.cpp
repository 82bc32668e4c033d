// savepoint_rewrite.cpp: the token rewrite of the savepoint commands and SET LOCAL.
#include "engine/session/savepoint_rewrite.h"

#include <fmt/format.h>

#include <vector>

#include "common/sql_quoting.h"
#include "engine/pg/sql_tokens.h"

namespace augur::engine {
namespace {

// A savepoint name as PostgreSQL keeps it: folded to lower case unless quoted, at most 63 bytes.
// Empty when the token is no identifier.
std::string NameOf(const Token& t) {
  std::string name = IdentifierName(t).value_or("");
  if (name.size() > 63) name.resize(63);
  return name;
}

bool EmitNamed(std::string_view setting, const Token& t, std::string& out) {
  std::string name = NameOf(t);
  if (name.empty()) return false;
  out += fmt::format("SET {} = {}", setting, QuoteLiteral(name));
  return true;
}

}  // namespace

bool RewriteSavepointCommand(const LexedStatement& s, std::string& out) {
  auto& t = s.tokens;
  if (Is(t, 0, "SAVEPOINT") && t.size() == 2) return EmitNamed(kSavepoint, t[1], out);
  if (Is(t, 0, "RELEASE")) {
    if (t.size() == 2) return EmitNamed(kRelease, t[1], out);
    if (t.size() == 3 && Is(t, 1, "SAVEPOINT")) return EmitNamed(kRelease, t[2], out);
    return false;
  }
  if (Is(t, 0, "ROLLBACK")) {
    size_t at = Is(t, 1, "WORK") || Is(t, 1, "TRANSACTION") ? 2 : 1;
    if (!Is(t, at, "TO")) return false;
    ++at;
    if (Is(t, at, "SAVEPOINT") && at + 2 == t.size()) ++at;
    if (at + 1 != t.size()) return false;
    return EmitNamed(kRollbackTo, t[at], out);
  }
  if (Is(t, 0, "SET") && Is(t, 1, "LOCAL") && t.size() >= 3) {
    if (Is(t, 2, "TIME") && Is(t, 3, "ZONE") && t.size() >= 5) {
      size_t from = static_cast<size_t>(t[4].text.data() - s.text.data());
      out += "SET augur.local.timezone = ";
      out += s.text.substr(from);
      return true;
    }
    if (Is(t, 2, "SESSION") || Is(t, 2, "TRANSACTION")) return false;
    size_t from = static_cast<size_t>(t[2].text.data() - s.text.data());
    out += "SET augur.local.";
    out += s.text.substr(from);
    return true;
  }
  return false;
}

}  // namespace augur::engine
