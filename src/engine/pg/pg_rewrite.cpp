// pg_rewrite.cpp: the rewrite rules, on sql_lexer's tokens.
#include "engine/pg/pg_rewrite.h"

#include <cctype>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/sql_quoting.h"
#include "engine/pg/pg_app_ddl_rewrite.h"
#include "engine/pg/pg_dump_rewrite.h"
#include "engine/pg/pg_jsonb_rewrite.h"
#include "engine/pg/pg_unsupported_statements.h"
#include "engine/pg/pg_value_rewrite.h"
#include "engine/pg/search_path.h"
#include "engine/pg/sql_lexer.h"
#include "engine/pg/sql_tokens.h"
#include "engine/session/savepoint_rewrite.h"

namespace augur::engine {
namespace {

using Statement = LexedStatement;

// Comma-separated object names from token `from` to `to`, each as text.
std::vector<std::string_view> NameList(const Statement& s, size_t from, size_t to) {
  std::vector<std::string_view> names;
  size_t begin = from;
  for (size_t i = from; i <= to; ++i) {
    if (i == to || IsPunct(s.tokens, i, ',')) {
      if (i > begin) names.push_back(Span(s, begin, i));
      begin = i + 1;
    }
  }
  return names;
}

// DROP TABLE a, b: DuckDB drops one object per statement (pgbench -i, Django's flush, pg_dump
// --clean). Becomes one DROP per object, each with the original IF EXISTS and CASCADE, run as
// application DDL (pg_app_ddl_rewrite.h): in one transaction, answered with one tag as
// PostgreSQL answers the one statement.
bool RewriteMultiDrop(const Statement& s, std::string& out) {
  auto& t = s.tokens;
  if (!Is(t, 0, "DROP")) return false;
  static constexpr std::string_view kObjects[] = {"TABLE", "VIEW",   "SEQUENCE",
                                                  "INDEX", "SCHEMA", "TYPE"};
  bool object = false;
  for (auto o : kObjects) object |= Is(t, 1, o);
  if (!object) return false;
  size_t names_from = Is(t, 2, "IF") && Is(t, 3, "EXISTS") ? 4 : 2;
  size_t names_to = t.size();
  std::string suffix;
  if (names_to > names_from &&
      (Is(t, names_to - 1, "CASCADE") || Is(t, names_to - 1, "RESTRICT"))) {
    suffix = " " + t[names_to - 1].upper;
    --names_to;
  }
  auto names = NameList(s, names_from, names_to);
  if (names.size() < 2) return false;
  std::string prefix = std::string(Span(s, 0, names_from));
  std::string drops;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) drops += "; ";
    drops += prefix + " " + std::string(names[i]) + suffix;
  }
  out = AppDdl("DROP " + t[1].upper, drops);
  return true;
}

// TRUNCATE [TABLE] [ONLY] a, b [RESTART|CONTINUE IDENTITY] [CASCADE|RESTRICT]: DuckDB takes one
// table and no options (pgbench -i, test fixtures of Rails and Django).
bool RewriteTruncate(const Statement& s, std::string& out) {
  auto& t = s.tokens;
  if (!Is(t, 0, "TRUNCATE")) return false;
  size_t from = 1;
  if (Is(t, from, "TABLE")) ++from;
  const bool only = Is(t, from, "ONLY");
  if (only) ++from;
  size_t to = t.size();
  bool options = false;
  while (to > from) {
    if (Is(t, to - 1, "CASCADE") || Is(t, to - 1, "RESTRICT")) {
      --to;
      options = true;
    } else if (to >= from + 2 && Is(t, to - 1, "IDENTITY") &&
               (Is(t, to - 2, "RESTART") || Is(t, to - 2, "CONTINUE"))) {
      to -= 2;
      options = true;
    } else {
      break;
    }
  }
  auto names = NameList(s, from, to);
  if (names.size() < 2 && !options && !only) return false;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += "; ";
    out += "TRUNCATE " + std::string(names[i]);
  }
  return !names.empty();
}

// BEGIN / START TRANSACTION with ISOLATION LEVEL or other modes (pgjdbc, SQLAlchemy, Django).
// DuckDB runs every transaction with snapshot isolation; READ ONLY is kept.
bool RewriteBegin(const Statement& s, std::string& out) {
  auto& t = s.tokens;
  size_t modes = 0;
  if (Is(t, 0, "BEGIN")) {
    modes = Is(t, 1, "TRANSACTION") || Is(t, 1, "WORK") ? 2 : 1;
  } else if (Is(t, 0, "START") && Is(t, 1, "TRANSACTION")) {
    modes = 2;
  } else {
    return false;
  }
  if (modes >= t.size()) return false;  // plain BEGIN: DuckDB's own
  bool read_only = false;
  for (size_t i = modes; i + 1 < t.size(); ++i) {
    if (Is(t, i, "READ") && Is(t, i + 1, "ONLY")) read_only = true;
  }
  out += read_only ? "BEGIN TRANSACTION READ ONLY" : "BEGIN TRANSACTION";
  return true;
}

// SET TRANSACTION ... and SET SESSION CHARACTERISTICS AS TRANSACTION ... (pgjdbc's
// setTransactionIsolation, SQLAlchemy's isolation_level): accepted and recorded as a setting.
bool RewriteSetTransaction(const Statement& s, std::string& out) {
  auto& t = s.tokens;
  bool set_transaction = Is(t, 0, "SET") && Is(t, 1, "TRANSACTION");
  bool characteristics = Is(t, 0, "SET") && Is(t, 1, "SESSION") && Is(t, 2, "CHARACTERISTICS");
  if (!set_transaction && !characteristics) return false;
  std::string modes;
  for (size_t i = set_transaction ? 2 : 5; i < t.size(); ++i) {
    if (!modes.empty()) modes += ' ';
    modes += t[i].kind == Token::kWord ? t[i].upper : std::string(t[i].text);
  }
  for (char& c : modes) {
    if (c == '\'') c = ' ';
  }
  out += "SET augur.transaction_modes = '" + modes + "'";
  return true;
}

// RESET ALL and DISCARD ALL (connection pools: pgbouncer, HikariCP, SQLAlchemy's pool).
bool RewriteResetAll(const Statement& s, std::string& out) {
  auto& t = s.tokens;
  if (t.size() != 2 || !Is(t, 1, "ALL") || !(Is(t, 0, "RESET") || Is(t, 0, "DISCARD"))) {
    return false;
  }
  // DISCARD ALL also drops prepared statements and cursors, and has a tag of its own.
  out += Is(t, 0, "DISCARD") ? "SET augur.discard = 'all'" : "RESET \"all\"";
  return true;
}

// DEALLOCATE [PREPARE] name|ALL (psycopg clears its statement cache with DEALLOCATE ALL after
// DDL; asyncpg and pgbouncer deallocate by name). Protocol-level statements belong to the
// connection, so the session records the request and the protocol layer drops them.
bool RewriteDeallocate(const Statement& s, std::string& out) {
  auto& t = s.tokens;
  if (!Is(t, 0, "DEALLOCATE")) return false;
  size_t at = Is(t, 1, "PREPARE") ? 2 : 1;
  if (at + 1 != t.size()) return false;
  std::string name = t[at].kind == Token::kWord ? t[at].upper : std::string(t[at].text);
  if (t[at].kind == Token::kQuotedIdent) {
    name = name.substr(1, name.size() - 2);
  } else if (name != "ALL") {
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (name.find('\'') != std::string::npos) return false;
  out += "SET augur.deallocate = '" + name + "'";
  return true;
}

// DECLARE ... CURSOR, FETCH, MOVE and CLOSE: SQL cursors (psycopg2's named cursors). The whole
// statement travels as a string; SessionImpl::HandleCursorCommand (sql_cursors.cpp) parses it.
bool RewriteCursorCommand(const Statement& s, std::string& out) {
  auto& t = s.tokens;
  bool cursor = false;
  if (Is(t, 0, "DECLARE")) {
    for (size_t i = 2; i < t.size() && !Is(t, i, "FOR"); ++i) cursor |= Is(t, i, "CURSOR");
  } else {
    cursor = t.size() >= 2 && (Is(t, 0, "FETCH") || Is(t, 0, "MOVE") || Is(t, 0, "CLOSE"));
  }
  if (!cursor) return false;
  out += "SET augur.cursor = " + QuoteLiteral(s.text);
  return true;
}

// A channel name as PostgreSQL reads the identifier: folded to lower case unless quoted, cut to
// 63 bytes (NAMEDATALEN - 1). Nullopt when the token is no identifier.
std::optional<std::string> ChannelName(const Token& t) {
  auto name = IdentifierName(t);
  if (name && name->size() > 63) name->resize(63);
  return name;
}

// LISTEN channel, UNLISTEN channel | *, NOTIFY channel [, 'payload'] (asyncpg's add_listener,
// psycopg's notifies(), pgjdbc's getNotifications; pgbouncer's server_reset_query UNLISTEN *).
// The session answers them (notifications.h): augur.unlisten = '' stands for *, augur.notify's
// value is "<channel length>:<channel><payload>".
bool RewriteListenNotify(const Statement& s, std::string& out) {
  auto& t = s.tokens;
  if (Is(t, 0, "UNLISTEN")) {
    if (t.size() == 2 && IsPunct(t, 1, '*')) {
      out += "SET augur.unlisten = ''";
      return true;
    }
    auto channel = t.size() == 2 ? ChannelName(t[1]) : std::nullopt;
    if (!channel) return false;  // DuckDB's syntax error
    out += "SET augur.unlisten = " + QuoteLiteral(*channel);
    return true;
  }
  if (Is(t, 0, "LISTEN")) {
    auto channel = t.size() == 2 ? ChannelName(t[1]) : std::nullopt;
    if (!channel) return false;
    out += "SET augur.listen = " + QuoteLiteral(*channel);
    return true;
  }
  if (Is(t, 0, "NOTIFY")) {
    auto channel = t.size() >= 2 ? ChannelName(t[1]) : std::nullopt;
    if (!channel) return false;
    std::string payload;
    if (t.size() == 4 && IsPunct(t, 2, ',')) {
      auto value = StringConstantValue(t[3]);
      if (!value) return false;
      payload = std::move(*value);
    } else if (t.size() != 2) {
      return false;
    }
    out += "SET augur.notify = " +
           QuoteLiteral(std::to_string(channel->size()) + ":" + *channel + payload);
    return true;
  }
  return false;
}

// Removes FOR UPDATE / FOR NO KEY UPDATE / FOR SHARE / FOR KEY SHARE clauses, with their OF lists
// and NOWAIT or SKIP LOCKED, wherever they are (a job queue's "UPDATE ... WHERE id = (SELECT ...
// FOR UPDATE SKIP LOCKED)" has one in a subquery). FOR followed by those words means nothing
// else in PostgreSQL's grammar. Appends to `out` and records each clause in `locks`.
bool StripRowLocks(const Statement& s, std::string& out, size_t base,
                   std::vector<RowLockClause>& locks) {
  auto& t = s.tokens;
  auto strength = [&](size_t i) -> size_t {  // tokens in the strength after FOR at i, or 0
    if (Is(t, i + 1, "UPDATE") || Is(t, i + 1, "SHARE")) return 1;
    if (Is(t, i + 1, "NO") && Is(t, i + 2, "KEY") && Is(t, i + 3, "UPDATE")) return 3;
    if (Is(t, i + 1, "KEY") && Is(t, i + 2, "SHARE")) return 2;
    return 0;
  };
  std::string from_table;
  for (size_t i = 0; i + 1 < t.size(); ++i) {
    if (Is(t, i, "FROM") && from_table.empty()) {
      if (auto name = ChannelName(t[i + 1])) from_table = *name;
      if (i + 3 < t.size() && IsPunct(t, i + 2, '.')) {  // schema.table: the table
        if (auto name = ChannelName(t[i + 3])) from_table = *name;
      }
    }
  }
  bool changed = false;
  size_t copied = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    if (!Is(t, i, "FOR") || strength(i) == 0) continue;
    RowLockClause clause;
    size_t end = i;
    while (Is(t, end, "FOR") && strength(end) != 0) {  // one or more locking clauses
      end += 1 + strength(end);
      if (Is(t, end, "OF")) {
        ++end;
        if (end < t.size()) {
          if (auto name = ChannelName(t[end]); name && clause.relation.empty()) {
            clause.relation = *name;
          }
        }
        while (end < t.size() &&
               (t[end].kind == Token::kWord || t[end].kind == Token::kQuotedIdent ||
                IsPunct(t, end, '.') || IsPunct(t, end, ','))) {
          if (Is(t, end, "NOWAIT") || Is(t, end, "SKIP") || Is(t, end, "FOR") ||
              Is(t, end, "LIMIT") || Is(t, end, "OFFSET") || Is(t, end, "FETCH")) {
            break;
          }
          ++end;
        }
      }
      if (Is(t, end, "NOWAIT")) {
        clause.wait = RowLockClause::Wait::kNowait;
        ++end;
      } else if (Is(t, end, "SKIP") && Is(t, end + 1, "LOCKED")) {
        if (clause.wait == RowLockClause::Wait::kBlock)
          clause.wait = RowLockClause::Wait::kSkipLocked;
        end += 2;
      }
    }
    if (clause.relation.empty()) clause.relation = from_table;
    size_t at = static_cast<size_t>(t[i].text.data() - s.text.data());
    out.append(s.text.substr(copied, at - copied));
    clause.offset = base + out.size();
    out += ' ';
    copied =
        end < t.size() ? static_cast<size_t>(t[end].text.data() - s.text.data()) : s.text.size();
    locks.push_back(std::move(clause));
    changed = true;
    i = end - 1;
  }
  if (!changed) return false;
  out.append(s.text.substr(copied));
  return true;
}

// COPY options DuckDB's grammar lacks: FORMAT binary (binary is a keyword there) and FREEZE,
// which pgbench -i sends to PostgreSQL 14+ servers.
bool RewriteCopyOptions(const Statement& s, std::string& out) {
  auto& t = s.tokens;
  if (!Is(t, 0, "COPY")) return false;
  bool changed = false;
  std::string text;
  size_t copied = 0;  // offset in s.text already emitted
  auto emit_until = [&](std::string_view tok) {
    size_t at = static_cast<size_t>(tok.data() - s.text.data());
    text.append(s.text.substr(copied, at - copied));
    copied = at;
  };
  auto skip = [&](std::string_view tok) {
    copied = static_cast<size_t>(tok.data() - s.text.data()) + tok.size();
  };
  for (size_t i = 1; i < t.size(); ++i) {
    if (Is(t, i, "FORMAT") && Is(t, i + 1, "BINARY")) {
      emit_until(t[i + 1].text);
      text += "'binary'";
      skip(t[i + 1].text);
      changed = true;
    } else if (Is(t, i, "FREEZE")) {
      // Remove "FREEZE [value]" and one neighbouring comma.
      size_t last = i;
      if (i + 1 < t.size() && (t[i + 1].kind == Token::kWord || t[i + 1].kind == Token::kNumber) &&
          !IsPunct(t, i + 1, ')')) {
        std::string_view v = t[i + 1].upper;
        if (v == "ON" || v == "OFF" || v == "TRUE" || v == "FALSE" ||
            t[i + 1].kind == Token::kNumber) {
          last = i + 1;
        }
      }
      size_t first = i;
      if (IsPunct(t, last + 1, ',')) {
        ++last;
      } else if (i > 0 && IsPunct(t, i - 1, ',')) {
        --first;
      }
      emit_until(t[first].text);
      skip(t[last].text);
      changed = true;
      i = last;
    }
  }
  if (!changed) return false;
  text.append(s.text.substr(copied));
  // "WITH ()" is a syntax error: drop an option list that became empty.
  size_t open = text.rfind('(');
  if (open != std::string::npos) {
    size_t close = text.find(')', open);
    bool empty = close != std::string::npos;
    for (size_t k = open + 1; empty && k < close; ++k)
      empty = std::isspace(static_cast<unsigned char>(text[k]));
    if (empty) {
      size_t with = text.rfind("with", open);
      if (with == std::string::npos) with = text.rfind("WITH", open);
      size_t cut = (with != std::string::npos && text.find_first_not_of(" \t\n", with + 4) == open)
                       ? with
                       : open;
      text.erase(cut, close + 1 - cut);
    }
  }
  out += text;
  return true;
}

// Whether the comma at `comma` separates items of a FROM list: the nearest clause keyword
// before it at the same parenthesis depth is FROM (not SELECT, WHERE, ...).
bool InFromList(const std::vector<Token>& t, size_t comma) {
  int depth = 0;
  for (size_t k = comma; k-- > 0;) {
    if (IsPunct(t, k, ')')) ++depth;
    if (IsPunct(t, k, '(') && --depth < 0) return false;
    if (depth != 0 || t[k].kind != Token::kWord) continue;
    const std::string& w = t[k].upper;
    if (w == "FROM") return true;
    if (w == "SELECT" || w == "WHERE" || w == "GROUP" || w == "HAVING" || w == "ORDER" ||
        w == "SET" || w == "VALUES" || w == "RETURNING" || w == "ON" || w == "BY") {
      return false;
    }
  }
  return false;
}

// "FROM generate_series(1, n) AS x" names the column x too in PostgreSQL (a function returning
// one column takes the alias as its column name); in DuckDB x names only the table, and x alone
// is the whole row. pgbench -i -I G generates its data this way. Becomes "AS x(x)".
// A scalar function in FROM is a one-row table in PostgreSQL; Grafana's table list reads
// search_path with "FROM generate_series(...) AS i, string_to_array(...) s", and
// string_to_array(...) there becomes unnest([string_to_array(...)]).
bool RewriteFunctionAliases(const Statement& s, std::string& out) {
  auto& t = s.tokens;
  std::string text;
  size_t copied = 0;
  bool changed = false;
  for (size_t i = 0; i + 1 < t.size(); ++i) {
    bool scalar = Is(t, i, "STRING_TO_ARRAY");
    if (!(Is(t, i, "GENERATE_SERIES") || Is(t, i, "UNNEST") || scalar) || !IsPunct(t, i + 1, '(')) {
      continue;
    }
    // Only as a table in FROM/JOIN: in a select list "unnest(x) attnum" is already a column alias.
    if (i == 0 || !(Is(t, i - 1, "FROM") || Is(t, i - 1, "JOIN") || Is(t, i - 1, "LATERAL") ||
                    (IsPunct(t, i - 1, ',') && InFromList(t, i - 1)))) {
      continue;
    }
    size_t j = Matching(t, i + 1);
    size_t alias = j + 1;
    if (Is(t, alias, "AS")) ++alias;
    if (alias >= t.size() || IsPunct(t, alias + 1, '(')) continue;
    if (t[alias].kind != Token::kQuotedIdent &&
        (t[alias].kind != Token::kWord || Is(t, alias, "WHERE") || Is(t, alias, "JOIN") ||
         Is(t, alias, "ON") || Is(t, alias, "CROSS") || Is(t, alias, "LEFT") ||
         Is(t, alias, "INNER") || Is(t, alias, "ORDER") || Is(t, alias, "GROUP") ||
         Is(t, alias, "LIMIT") || Is(t, alias, "WITH") || Is(t, alias, "UNION"))) {
      continue;
    }
    std::string_view name = t[alias].text;
    if (scalar) {
      size_t call = static_cast<size_t>(t[i].text.data() - s.text.data());
      size_t call_end = static_cast<size_t>(t[j].text.data() - s.text.data()) + 1;
      text.append(s.text.substr(copied, call - copied));
      text += "unnest([" + std::string(s.text.substr(call, call_end - call)) + "])";
      copied = call_end;
    }
    size_t end = static_cast<size_t>(name.data() - s.text.data()) + name.size();
    text.append(s.text.substr(copied, end - copied));
    text += "(" + std::string(name) + ")";
    copied = end;
    changed = true;
  }
  if (!changed) return false;
  text.append(s.text.substr(copied));
  out += text;
  return true;
}

// A regular expression literal for PostgreSQL's "~" (a match anywhere) turned into one for
// DuckDB's "~" (the whole string must match): unanchored ends get ".*".
std::string FullMatchPattern(std::string_view literal) {
  std::string_view body = literal.substr(1, literal.size() - 2);  // inside the quotes
  std::string out = "'";
  if (!body.starts_with("^")) out += ".*";
  out.append(body);
  bool anchored_end = body.ends_with("$") && !body.ends_with("\\$");
  if (!anchored_end) out += ".*";
  return out + "'";
}

// The index of the first token not yet copied to the output (rewrites must not overlap).
size_t copied_token(const std::vector<Token>& t, const Statement& s, size_t copied) {
  size_t k = 0;
  while (k < t.size() && static_cast<size_t>(t[k].text.data() - s.text.data()) < copied) ++k;
  return k;
}

// PostgreSQL's fixed OIDs of its system catalogs. Tools name a catalog as 'pg_class'::regclass
// (Metabase, psql's \dx) or compare with the number (pg_dump), most often to pick comments of
// one kind out of pg_description, whose classoid augur fills with these numbers.
std::optional<int> PgCatalogRelationOid(std::string_view name) {
  static constexpr std::pair<std::string_view, int> kOids[] = {
      {"pg_type", 1247},      {"pg_attribute", 1249},  {"pg_proc", 1255},
      {"pg_class", 1259},     {"pg_database", 1262},   {"pg_am", 2601},
      {"pg_attrdef", 2604},   {"pg_constraint", 2606}, {"pg_description", 2609},
      {"pg_index", 2610},     {"pg_namespace", 2615},  {"pg_trigger", 2620},
      {"pg_extension", 3079}, {"pg_collation", 3456},  {"pg_enum", 3501},
      {"pg_range", 3541},     {"pg_sequence", 2224},
  };
  for (const auto& [catalog, oid] : kOids) {
    if (catalog == name) return oid;
  }
  return std::nullopt;
}

// 'name'::regclass: the relation's oid, looked up in pg_class by its (unqualified) name.
std::string RegclassOfLiteral(std::string_view literal) {
  std::string name(literal.substr(1, literal.size() - 2));
  // A number is the oid itself (psql's \d passes the oid it found as '16384'::regclass).
  if (!name.empty() && name.size() < 11 &&
      name.find_first_not_of("0123456789") == std::string::npos) {
    return name;
  }
  std::string written = name;  // for the error: PostgreSQL names the relation as written
  size_t dot = name.rfind('.');
  if (dot != std::string::npos) name = name.substr(dot + 1);
  if (name.size() >= 2 && name.front() == '"') {
    name = name.substr(1, name.size() - 2);
  } else {
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (auto catalog = PgCatalogRelationOid(name)) return std::to_string(*catalog);
  // No such relation: PostgreSQL's 42P01, not NULL.
  return "coalesce((SELECT oid FROM pg_catalog.pg_class WHERE relname = '" + name +
         "' LIMIT 1), pg_catalog.augur_undefined_relation('" + written + "'))";
}

// How PostgreSQL prints 'name'::regclass when the relation exists: unquoted parts folded to
// lower case, quoted ones kept, each quoted again where quote_ident would, and the schema
// dropped when it is public or pg_catalog (on the default search_path). A number (an oid)
// prints as its relation's name.
std::string RegclassDisplay(std::string_view literal, const std::string& oid_expr) {
  std::string written(literal.substr(1, literal.size() - 2));
  if (!written.empty() && written.size() < 11 &&
      written.find_first_not_of("0123456789") == std::string::npos) {
    return "coalesce((SELECT relname FROM pg_catalog.pg_class WHERE oid = " + written +
           " LIMIT 1), '" + written + "')";
  }
  std::vector<std::string> parts;
  std::string part;
  bool quoted = false;
  for (size_t i = 0; i < written.size(); ++i) {
    char c = written[i];
    if (c == '"') {
      if (quoted && i + 1 < written.size() && written[i + 1] == '"') {
        part += '"';
        ++i;
      } else {
        quoted = !quoted;
      }
    } else if (c == '.' && !quoted) {
      parts.push_back(part);
      part.clear();
    } else {
      part += quoted ? c : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  parts.push_back(part);
  if (parts.size() == 2 && (parts[0] == "public" || parts[0] == "pg_catalog")) {
    parts.erase(parts.begin());
  }
  std::string display;
  for (const auto& p : parts) {
    if (!display.empty()) display += '.';
    display += QuoteIdentifierIfNeeded(p);
  }
  return "pg_catalog.augur_regclass_name(" + oid_expr + ", " + QuoteLiteral(display) + ")";
}

// Whether tokens [from, to) are one (qualified) column name such as c.oid.
bool IsColumnRef(const std::vector<Token>& t, size_t from, size_t to) {
  if (from >= to || t[from].kind != Token::kWord) return false;
  for (size_t k = from + 1; k < to; k += 2) {
    if (!IsPunct(t, k, '.') || k + 1 >= to || t[k + 1].kind != Token::kWord) return false;
  }
  return true;
}

// Catalog-query idioms of psql (\d and friends), pgAdmin and drivers:
//  - OPERATOR(pg_catalog.~) is the ~ operator spelled out; COLLATE pg_catalog.default is a no-op;
//  - pg_catalog.f(...) calls functions DuckDB keeps in its main schema (pg_catalog.count,
//    pg_catalog.array_to_string); unqualified, DuckDB finds them in either schema;
//  - "x ~ 'pattern'" matches anywhere in PostgreSQL but must match the whole string in DuckDB;
//  - CAST(x AS oid | name | regclass) as the :: forms (Metabase's column comments cast
//    format('%I.%I', schema, table) to regclass, looked up by augur_regclass_oid).
std::string RewriteIdioms(const Statement& s, bool& changed) {
  auto& t = s.tokens;
  std::string out;
  size_t copied = 0;
  auto offset = [&](const Token& tok) {
    return static_cast<size_t>(tok.text.data() - s.text.data());
  };
  auto replace = [&](size_t from_token, size_t to_token, std::string_view with) {
    out.append(s.text.substr(copied, offset(t[from_token]) - copied));
    out.append(with);
    copied = offset(t[to_token]) + t[to_token].text.size();
    changed = true;
  };
  // One entry per open parenthesis: whether it opens CAST( and whether the rewrite of that
  // CAST added a call around it, which its closing parenthesis then closes.
  struct Paren {
    bool cast = false;
    bool wrapped = false;
  };
  std::vector<Paren> parens;
  bool top_select_list = false;  // between a top-level SELECT and its FROM (or what follows)
  for (size_t i = 0; i < t.size(); ++i) {
    if (parens.empty() && t[i].kind == Token::kWord) {
      if (t[i].upper == "SELECT") {
        top_select_list = true;
      } else if (t[i].upper == "FROM" || t[i].upper == "WHERE" || t[i].upper == "INTO" ||
                 t[i].upper == "GROUP" || t[i].upper == "ORDER" || t[i].upper == "LIMIT" ||
                 t[i].upper == "UNION" || t[i].upper == "HAVING" || t[i].upper == "WINDOW") {
        top_select_list = false;
      }
    }
    if (IsPunct(t, i, '(')) parens.push_back({i > 0 && Is(t, i - 1, "CAST"), false});
    if (IsPunct(t, i, ')') && !parens.empty()) {
      bool wrapped = parens.back().wrapped;
      parens.pop_back();
      if (wrapped) {
        replace(i, i, "))");
        continue;
      }
    }
    // CAST ( operand AS [pg_catalog.] REGCLASS ): a literal or a column as "::regclass" does;
    // any other text is a name to look up.
    if (Is(t, i, "CAST") && IsPunct(t, i + 1, '(') && i >= copied_token(t, s, copied)) {
      size_t close = i + 1, as = 0;
      int depth = 0;
      for (; close < t.size(); ++close) {
        if (IsPunct(t, close, '(')) ++depth;
        if (IsPunct(t, close, ')') && --depth == 0) break;
        if (depth == 1 && Is(t, close, "AS") && as == 0) as = close;
      }
      size_t type_at = as + 1;
      if (Is(t, type_at, "PG_CATALOG") && IsPunct(t, type_at + 1, '.')) type_at += 2;
      if (close < t.size() && as > i + 2 && type_at + 1 == close && Is(t, type_at, "REGCLASS")) {
        bool literal = as == i + 3 && t[i + 2].kind == Token::kString;
        if (literal || IsColumnRef(t, i + 2, as)) {
          std::string operand(Span(s, i + 2, as));
          replace(i, close,
                  literal ? RegclassOfLiteral(operand)
                          : "(SELECT relname FROM pg_catalog.pg_class WHERE oid = " + operand +
                                " LIMIT 1)");
          i = close;
          continue;
        }
        replace(i, i, "pg_catalog.augur_regclass_oid(CAST");
        parens.push_back({true, true});
        ++i;  // the parenthesis, already counted
        continue;
      }
    }
    if (Is(t, i, "AS") && !parens.empty() && parens.back().cast) {
      size_t type_at = i + 1;
      if (Is(t, type_at, "PG_CATALOG") && IsPunct(t, type_at + 1, '.')) type_at += 2;
      if (type_at < t.size() && IsPunct(t, type_at + 1, ')')) {
        const std::string& type = t[type_at].upper;
        const char* mapped = type == "OID"                               ? "BIGINT"
                             : type == "NAME" || type.starts_with("REG") ? "VARCHAR"
                                                                         : nullptr;
        if (mapped != nullptr) {
          replace(i + 1, type_at, mapped);
          i = type_at;
          continue;
        }
      }
    }
    // Casts: "::pg_catalog.T" is "::T"; the reg* and oid types DuckDB lacks become lookups.
    if (IsPunct(t, i, ':') && IsPunct(t, i + 1, ':')) {
      size_t type_at = i + 2;
      if (Is(t, type_at, "PG_CATALOG") && IsPunct(t, type_at + 1, '.')) type_at += 2;
      if (type_at >= t.size()) continue;
      const std::string& type = t[type_at].upper;
      bool reg = type == "REGCLASS" || type == "REGTYPE" || type == "REGPROC" ||
                 type == "REGPROCEDURE" || type == "REGNAMESPACE" || type == "REGROLE";
      // The operand: a string literal, or a (qualified) column name like c.oid.
      size_t operand = i;
      if (i > 0 && (t[i - 1].kind == Token::kString || t[i - 1].kind == Token::kWord)) {
        operand = i - 1;
        while (t[operand].kind == Token::kWord && operand >= 2 && IsPunct(t, operand - 1, '.') &&
               t[operand - 2].kind == Token::kWord) {
          operand -= 2;
        }
      }
      // int2vector columns of pg_index print as "1 2" in PostgreSQL; SQLAlchemy splits that text.
      bool int2vector = i > 0 && (Is(t, i - 1, "INDKEY") || Is(t, i - 1, "INDOPTION")) &&
                        (type == "VARCHAR" || type == "TEXT");
      if (int2vector && operand >= copied_token(t, s, copied)) {
        replace(operand, type_at, "array_to_string(" + std::string(Span(s, operand, i)) + ", ' ')");
        i = type_at;
        continue;
      }
      bool literal = operand + 1 == i && t[operand].kind == Token::kString;
      bool column = operand < i && !literal && operand >= copied_token(t, s, copied);
      if (reg && (literal || column)) {
        std::string expr(Span(s, operand, i));
        std::string with;
        if (type == "REGCLASS") {
          // A whole item of the top-level select list prints the name, as PostgreSQL's
          // regclass output does; elsewhere the oid compares with oid columns.
          const bool whole_item = literal && top_select_list && parens.empty() && operand > 0 &&
                                  (Is(t, operand - 1, "SELECT") || IsPunct(t, operand - 1, ',')) &&
                                  (type_at + 1 == t.size() || IsPunct(t, type_at + 1, ',') ||
                                   Is(t, type_at + 1, "AS") || Is(t, type_at + 1, "FROM") ||
                                   IsPunct(t, type_at + 1, ';'));
          if (whole_item) {
            with = RegclassDisplay(expr, RegclassOfLiteral(expr));
          } else if (literal) {
            with = RegclassOfLiteral(expr);
          } else {
            with = "(SELECT relname FROM pg_catalog.pg_class WHERE oid = " + expr + " LIMIT 1)";
          }
        } else if (type == "REGTYPE" && !literal) {
          with = "format_type(" + expr + ", NULL)";
        } else {
          with = "CAST(" + expr + " AS VARCHAR)";
        }
        replace(operand, type_at, with);
        i = type_at;
        continue;
      }
      if (type_at != i + 2 || type == "OID" || type == "NAME" || reg) {
        std::string mapped = type == "OID"             ? "BIGINT"
                             : (type == "NAME" || reg) ? "VARCHAR"
                                                       : std::string(t[type_at].text);
        replace(i, type_at, "::" + mapped);
        i = type_at;
        continue;
      }
    }
    // OPERATOR ( pg_catalog . ~ )  or  OPERATOR ( pg_catalog . ! ~ )
    if (Is(t, i, "OPERATOR") && IsPunct(t, i + 1, '(') && Is(t, i + 2, "PG_CATALOG") &&
        IsPunct(t, i + 3, '.')) {
      size_t close = i + 4;
      std::string op;
      while (close < t.size() && !IsPunct(t, close, ')')) op += std::string(t[close++].text);
      if (close < t.size()) {
        replace(i, close, op);
        i = close;
        continue;
      }
    }
    if (Is(t, i, "COLLATE") && Is(t, i + 1, "PG_CATALOG") && IsPunct(t, i + 2, '.') &&
        Is(t, i + 3, "DEFAULT")) {
      replace(i, i + 3, "");
      i += 3;
      continue;
    }
    if (Is(t, i, "PG_CATALOG") && IsPunct(t, i + 1, '.') && i + 2 < t.size() &&
        t[i + 2].kind == Token::kWord && IsPunct(t, i + 3, '(')) {
      replace(i, i + 1, "");
      ++i;
      continue;
    }
    // "x = ANY(array)" becomes list_contains(array, x): DuckDB plans ANY as a subquery, which it
    // cannot use in an outer join's condition (SQLAlchemy's get_indexes joins on it).
    if (t[i].kind == Token::kWord && !Is(t, i, "PG_CATALOG") && IsPunct(t, i + 1, '=') &&
        Is(t, i + 2, "ANY") && IsPunct(t, i + 3, '(')) {
      size_t first = i;
      while (first >= 2 && IsPunct(t, first - 1, '.') && t[first - 2].kind == Token::kWord &&
             first - 2 >= copied_token(t, s, copied)) {
        first -= 2;
      }
      size_t close = Matching(t, i + 3);
      bool subquery = Is(t, i + 4, "SELECT");
      if (close < t.size() && !subquery && first >= copied_token(t, s, copied)) {
        std::string operand(Span(s, first, i + 1));
        std::string array(Span(s, i + 4, close));
        replace(first, close, "list_contains(" + array + ", " + operand + ")");
        i = close;
        continue;
      }
    }
    // pg_typeof('text'): an untyped string literal is of type unknown in PostgreSQL; DuckDB
    // types it VARCHAR. NULL is untyped in both, and pg_typeof(NULL) answers unknown.
    if (Is(t, i, "PG_TYPEOF") && IsPunct(t, i + 1, '(') && i + 3 < t.size() &&
        t[i + 2].kind == Token::kString && t[i + 2].text.front() == '\'' &&
        IsPunct(t, i + 3, ')')) {
      replace(i + 2, i + 2, "NULL");
      i += 3;
      continue;
    }
    // ~* 'literal' and !~* 'literal': the case-insensitive match, as "~" with RE2's (?i).
    if (IsPunct(t, i, '~') && IsPunct(t, i + 1, '*') && i + 2 < t.size() &&
        t[i + 2].kind == Token::kString && t[i + 2].text.front() == '\'' &&
        !(i > 0 && IsPunct(t, i - 1, '~'))) {
      replace(i, i + 2, "~ '(?i)" + FullMatchPattern(t[i + 2].text).substr(1));
      i += 2;
      continue;
    }
    // ~ 'literal' and !~ 'literal' (the lexer reads ! and ~ as separate punctuation).
    if (IsPunct(t, i, '~') && i + 1 < t.size() && t[i + 1].kind == Token::kString &&
        t[i + 1].text.front() == '\'' && !(i > 0 && IsPunct(t, i - 1, '~'))) {
      replace(i + 1, i + 1, FullMatchPattern(t[i + 1].text));
      ++i;
      continue;
    }
  }
  if (!changed) return std::string(s.text);
  out.append(s.text.substr(copied));
  return out;
}

// SET [SESSION] search_path {TO|=} a, "B", 'c' (pg_dump, Rails, multi-tenant apps): DuckDB's
// SET takes one value. Becomes one string in the form SHOW prints, which the session reads back
// as a list (search_path.h).
bool RewriteSearchPathList(const Statement& s, std::string& out) {
  auto& t = s.tokens;
  size_t name = Is(t, 1, "SESSION") ? 2 : 1;
  if (!Is(t, 0, "SET") || !Is(t, name, "SEARCH_PATH")) return false;
  if (!Is(t, name + 1, "TO") && !IsPunct(t, name + 1, '=')) return false;
  auto items = NameList(s, name + 2, t.size());
  if (items.size() < 2) return false;  // one value: DuckDB parses it
  std::string text = SearchPathText(items);
  std::string quoted;
  for (char c : text) {
    if (c == '\'') quoted += '\'';
    quoted += c;
  }
  out += "SET search_path = '" + quoted + "'";
  return true;
}

// Whether "for" appears anywhere, in any case: the cheap test before pass 3 lexes again.
bool HasWordFor(std::string_view sql) {
  for (size_t i = 0; i + 2 < sql.size(); ++i) {
    if ((sql[i] | 0x20) == 'f' && (sql[i + 1] | 0x20) == 'o' && (sql[i + 2] | 0x20) == 'r') {
      return true;
    }
  }
  return false;
}

}  // namespace

namespace {

std::string RewriteAll(std::string_view original, std::vector<RowLockClause>* row_locks) {
  // Pass 0: values DuckDB would read differently (pg_value_rewrite.h).
  // Pass 0b: what pg_dump sends and dumps hold (pg_dump_rewrite.h), before the idioms' casts.
  std::string values = RewriteDumpStatements(RewritePgValues(original));
  std::string_view input(values);
  // Pass 1: idioms inside statements. Pass 2: whole statements DuckDB cannot parse.
  bool idioms = false;
  std::string first;
  auto lexed = Lex(input);
  for (size_t i = 0; i < lexed.size(); ++i) {
    first += RewriteIdioms(lexed[i], idioms);
    if (i + 1 < lexed.size()) first += ';';
  }
  std::string_view sql = idioms ? std::string_view(first) : input;
  auto statements = Lex(sql);
  bool any = false;
  std::string out;
  for (size_t i = 0; i < statements.size(); ++i) {
    const Statement& s = statements[i];
    std::string rewritten;
    bool changed = RewriteUnsupportedStatement(s, rewritten) || RewriteJsonb(s, rewritten) ||
                   RewriteMultiDrop(s, rewritten) || RewriteTruncate(s, rewritten) ||
                   RewriteBegin(s, rewritten) || RewriteSetTransaction(s, rewritten) ||
                   RewriteResetAll(s, rewritten) || RewriteListenNotify(s, rewritten) ||
                   RewriteDeallocate(s, rewritten) || RewriteCursorCommand(s, rewritten) ||
                   RewriteCopyOptions(s, rewritten) || RewriteFunctionAliases(s, rewritten) ||
                   RewriteSearchPathList(s, rewritten) || RewriteSavepointCommand(s, rewritten) ||
                   RewriteApplicationDdl(s, rewritten);
    any |= changed;
    out += changed ? rewritten : std::string(s.text);
    if (i + 1 < statements.size()) out += ';';
  }
  std::string result = any ? out : std::string(sql);
  // Pass 3: row-locking clauses, on the final text so that their offsets point into it.
  if (row_locks == nullptr || !HasWordFor(result)) return result;
  std::string stripped;
  bool locked = false;
  auto final_statements = Lex(result);
  for (size_t i = 0; i < final_statements.size(); ++i) {
    std::string piece;
    if (StripRowLocks(final_statements[i], piece, stripped.size(), *row_locks)) {
      locked = true;
      stripped += piece;
    } else {
      stripped += final_statements[i].text;
    }
    if (i + 1 < final_statements.size()) stripped += ';';
  }
  return locked ? stripped : result;
}

}  // namespace

std::string RewriteForDuckDB(std::string_view original, std::vector<RowLockClause>* row_locks) {
  // A rewrite rule that trips over input it did not foresee (an exception from a bounds-checked
  // access) must not take the statement's session down: the text goes to DuckDB as the client
  // sent it, and DuckDB's parser answers for it.
  try {
    return RewriteAll(original, row_locks);
  } catch (const std::exception&) {
    if (row_locks != nullptr) row_locks->clear();
    return std::string(original);
  }
}

}  // namespace augur::engine

namespace augur {

std::string CanonicalSql(std::string_view sql) {
  std::string out;
  for (const auto& statement : engine::Lex(sql)) {
    if (statement.tokens.empty()) continue;
    if (!out.empty()) out += "; ";
    const char* previous_end = nullptr;
    for (const auto& token : statement.tokens) {
      // One space wherever the text had whitespace or a comment; none where tokens touched.
      if (previous_end != nullptr && token.text.data() != previous_end) out += ' ';
      out.append(token.text);
      previous_end = token.text.data() + token.text.size();
    }
  }
  return out;
}

}  // namespace augur
