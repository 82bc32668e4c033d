// pg_unsupported_statements.cpp: see pg_unsupported_statements.h.
#include "engine/pg/pg_unsupported_statements.h"

#include <string_view>

#include "common/sql_quoting.h"
#include "engine/pg/sql_tokens.h"

namespace augur::engine {
namespace {

// What the message names, for the statement's leading keywords; nullptr when augur runs it.
const char* UnsupportedObject(const std::vector<Token>& t) {
  size_t k = 0;
  const bool create = Is(t, 0, "CREATE");
  const bool alter_or_drop = Is(t, 0, "ALTER") || Is(t, 0, "DROP");
  if (Is(t, 0, "DO")) return "DO blocks (PL/pgSQL)";
  if (!create && !alter_or_drop) return nullptr;
  k = 1;
  if (create && Is(t, k, "OR") && Is(t, k + 1, "REPLACE")) k += 2;
  if (Is(t, k, "TRIGGER") || (Is(t, k, "CONSTRAINT") && Is(t, k + 1, "TRIGGER"))) {
    return "triggers";
  }
  if (Is(t, k, "EVENT") && Is(t, k + 1, "TRIGGER")) return "event triggers";
  if (Is(t, k, "RULE")) return "rules";
  if (Is(t, k, "PROCEDURE")) return "procedures";
  if (Is(t, k, "AGGREGATE")) return "user-defined aggregates";
  if (!Is(t, k, "FUNCTION")) return nullptr;
  // CREATE FUNCTION: PostgreSQL's form says RETURNS or LANGUAGE; DuckDB's macro form neither.
  // ALTER/DROP FUNCTION: PostgreSQL's form names argument types; DROP FUNCTION name drops a
  // macro.
  for (size_t i = k + 1; i < t.size(); ++i) {
    if (create && (Is(t, i, "RETURNS") || Is(t, i, "LANGUAGE"))) return "CREATE FUNCTION";
    if (!create && IsPunct(t, i, '(')) return "functions";
  }
  if (Is(t, 0, "ALTER")) return "functions";
  return nullptr;
}

}  // namespace

bool RewriteUnsupportedStatement(const LexedStatement& s, std::string& out) {
  const char* object = UnsupportedObject(s.tokens);
  if (object == nullptr) return false;
  std::string message;
  if (std::string_view(object) == "CREATE FUNCTION") {
    // Name the language when the statement gives one (pg_dump writes LANGUAGE plpgsql).
    std::string language;
    const auto& t = s.tokens;
    for (size_t i = 0; i + 1 < t.size(); ++i) {
      if (Is(t, i, "LANGUAGE")) {
        if (auto name = IdentifierName(t[i + 1])) language = " LANGUAGE " + *name;
        if (auto name = StringConstantValue(t[i + 1])) language = " LANGUAGE " + *name;
      }
    }
    message = "augur does not support CREATE FUNCTION with RETURNS/LANGUAGE" +
              (language.empty() ? std::string() : " (here" + language + ")") +
              ": SQL and PL/pgSQL functions; CREATE MACRO name(args) AS expression defines a "
              "function";
  } else {
    message = std::string("augur does not support ") + object;
  }
  out = "SELECT augur_not_supported(" + QuoteLiteral(message) + ")";
  return true;
}

}  // namespace augur::engine
