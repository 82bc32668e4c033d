// sql_fuzz.cpp: libFuzzer target for the SQL text augur reads before DuckDB does (issue 16: no
// input crashes the server). The input is one query string, as a client sends it in Query or
// Parse, and goes through every pure text function that such a string reaches:
//   - Lex, DecodeStringLiterals then RewriteForDuckDB on its output (Session::Split, Prepare),
//     and CanonicalSql (the result cache's key); RewriteForDuckDB also on the raw text;
//   - ParseRoleCommand on the whole text and on each statement (the role parser extension);
//   - ShowStatementName (SHOW of a setting), checked against the std::regex it replaced;
//   - PgSettings: "name = value" split at the first '=' and SET, and ParseDuration of the text.
// Findings are crashes, sanitizer reports and exceptions: none of these callers catches any.
#include <cstddef>
#include <cstdint>
#include <regex>
#include <string>
#include <string_view>

#include "augur/engine.h"
#include "engine/auth/role_statements.h"
#include "engine/pg/pg_rewrite.h"
#include "engine/pg/pg_settings.h"
#include "engine/pg/pg_string_literals.h"
#include "engine/pg/show_statement.h"
#include "engine/pg/sql_lexer.h"

namespace {

using namespace augur;
using namespace augur::engine;

// ShowTarget's recognizer before ShowStatementName (session_settings.cpp): the reference that
// the new scanner must agree with. Only short texts: its recursion is what made it unsafe.
std::string RegexShowName(const std::string& text) {
  static const std::regex kShow(R"(^\s*show\s+([A-Za-z_][A-Za-z0-9_.]*)\s*;?\s*$)",
                                std::regex::icase);
  static const std::regex kIsolation(R"(^\s*show\s+transaction\s+isolation\s+level\s*;?\s*$)",
                                     std::regex::icase);
  static const std::regex kTimeZone(R"(^\s*show\s+time\s+zone\s*;?\s*$)", std::regex::icase);
  if (std::regex_match(text, kIsolation)) return "transaction_isolation";
  if (std::regex_match(text, kTimeZone)) return "TimeZone";
  std::smatch match;
  if (!std::regex_match(text, match, kShow)) return "";
  return match[1].str();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string sql(reinterpret_cast<const char*>(data), size);

  auto statements = Lex(sql);
  if (auto decoded = DecodeStringLiterals(sql)) {
    (void)RewriteForDuckDB(*decoded);
  }
  (void)RewriteForDuckDB(sql);
  (void)CanonicalSql(sql);

  (void)ParseRoleCommand(sql);
  for (const auto& statement : statements) (void)ParseRoleCommand(statement.text);

  std::string show = ShowStatementName(sql);
  if (size <= 512 && show != RegexShowName(sql)) __builtin_trap();

  size_t equals = sql.find('=');
  if (equals != std::string::npos) {
    std::string_view name = std::string_view(sql).substr(0, equals);
    PgSettings settings;
    if (PgSettings::Owns(name)) {
      (void)settings.Set(name, sql.substr(equals + 1));
      (void)settings.Get(name);
      (void)settings.TakeReportedChanges();
      settings.Reset(name);
    }
  }
  (void)PgSettings::ParseDuration(sql);
  return 0;
}
