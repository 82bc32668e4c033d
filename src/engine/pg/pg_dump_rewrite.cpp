// pg_dump_rewrite.cpp: the rewrite rules of pg_dump_rewrite.h, on sql_lexer's tokens.
#include "engine/pg/pg_dump_rewrite.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/pg/pg_app_ddl_rewrite.h"
#include "engine/pg/sql_lexer.h"

namespace augur::engine {
namespace {

using Tokens = std::vector<Token>;

bool Is(const Tokens& t, size_t i, std::string_view keyword) {
  return i < t.size() && t[i].kind == Token::kWord && t[i].upper == keyword;
}

bool IsPunct(const Tokens& t, size_t i, char c) {
  return i < t.size() && t[i].kind == Token::kPunct && t[i].text[0] == c;
}

bool IsIdent(const Tokens& t, size_t i) {
  return i < t.size() && (t[i].kind == Token::kWord || t[i].kind == Token::kQuotedIdent);
}

size_t Offset(const LexedStatement& s, size_t token) {
  return static_cast<size_t>(s.tokens[token].text.data() - s.text.data());
}

std::string_view Span(const LexedStatement& s, size_t from, size_t to) {
  if (from >= to) return {};
  return s.text.substr(Offset(s, from),
                       Offset(s, to - 1) + s.tokens[to - 1].text.size() - Offset(s, from));
}

std::string QuoteLiteral(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    out.push_back(c);
    if (c == '\'') out.push_back('\'');
  }
  return out + "'";
}

std::string AppDdl(std::string_view tag, std::string_view statements) {
  return "SET " + std::string(kAppDdlSetting) + " = " +
         QuoteLiteral(std::string(tag) + "\n" + std::string(statements));
}

// An identifier as PostgreSQL stores it: unquoted words fold to lower case.
std::string IdentName(const Token& token) {
  std::string name;
  if (token.kind == Token::kQuotedIdent) {
    std::string_view body = token.text.substr(1, token.text.size() - 2);
    for (size_t i = 0; i < body.size(); ++i) {
      name.push_back(body[i]);
      if (body[i] == '"' && i + 1 < body.size() && body[i + 1] == '"') ++i;
    }
    return name;
  }
  for (char c : token.upper)
    name.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  return name;
}

// The end (one past) of a possibly qualified name starting at token `i`; `i` when there is none.
size_t NameEnd(const Tokens& t, size_t i) {
  if (!IsIdent(t, i)) return i;
  while (IsPunct(t, i + 1, '.') && IsIdent(t, i + 2)) i += 2;
  return i + 1;
}

size_t Matching(const Tokens& t, size_t open) {
  int depth = 0;
  for (size_t i = open; i < t.size(); ++i) {
    if (IsPunct(t, i, '(')) ++depth;
    if (IsPunct(t, i, ')') && --depth == 0) return i;
  }
  return t.size();
}

// SET [SESSION | LOCAL] name {= | TO} on: DuckDB's grammar takes ON for a keyword there.
bool RewriteSetOn(const LexedStatement& s, std::string& out) {
  auto& t = s.tokens;
  size_t name = Is(t, 1, "SESSION") || Is(t, 1, "LOCAL") ? 2 : 1;
  if (!Is(t, 0, "SET") || t.size() != name + 3 || !IsIdent(t, name)) return false;
  if (!(IsPunct(t, name + 1, '=') || Is(t, name + 1, "TO")) || !Is(t, name + 2, "ON")) return false;
  out = std::string(Span(s, 0, name + 2)) + " 'on'";
  return true;
}

// "SELECT * FROM x LIMIT 0" for each name: the statement fails as PostgreSQL's would when one
// does not exist (42P01), and changes nothing.
std::string ExistenceChecks(const std::vector<std::string_view>& names) {
  std::string sql;
  for (auto name : names) {
    if (!sql.empty()) sql += "; ";
    sql += "SELECT * FROM " + std::string(name) + " LIMIT 0";
  }
  return sql;
}

// ALTER {TABLE [IF EXISTS] [ONLY] | SEQUENCE | VIEW | MATERIALIZED VIEW | SCHEMA | TYPE} x
// OWNER TO role.
bool RewriteOwnerTo(const LexedStatement& s, std::string& out) {
  auto& t = s.tokens;
  if (!Is(t, 0, "ALTER") || t.size() < 5 || !Is(t, t.size() - 3, "OWNER") ||
      !Is(t, t.size() - 2, "TO") || !IsIdent(t, t.size() - 1)) {
    return false;
  }
  size_t at = 1;
  std::string tag;
  bool relation = true;
  if (Is(t, 1, "MATERIALIZED") && Is(t, 2, "VIEW")) {
    tag = "ALTER MATERIALIZED VIEW";
    at = 3;
  } else if (Is(t, 1, "TABLE") || Is(t, 1, "SEQUENCE") || Is(t, 1, "VIEW")) {
    tag = "ALTER " + t[1].upper;
    at = 2;
  } else if (Is(t, 1, "SCHEMA") || Is(t, 1, "TYPE")) {
    tag = "ALTER " + t[1].upper;
    at = 2;
    relation = false;
  } else {
    return false;
  }
  if (Is(t, at, "IF") && Is(t, at + 1, "EXISTS")) at += 2;
  if (Is(t, at, "ONLY")) ++at;
  size_t end = NameEnd(t, at);
  if (end == at || end != t.size() - 3) return false;
  out = AppDdl(tag, relation ? ExistenceChecks({Span(s, at, end)}) : "SELECT 1 LIMIT 0");
  return true;
}

// COMMENT ON SCHEMA public IS {'' | NULL | 'standard public schema'}: pg_dump writes the first
// for a public schema without a comment. DuckDB keeps no comments on schemas, and public's
// reads as PostgreSQL's standard one; other comments on schemas stay DuckDB's error.
bool RewriteSchemaComment(const LexedStatement& s, std::string& out) {
  auto& t = s.tokens;
  if (t.size() != 6 || !Is(t, 0, "COMMENT") || !Is(t, 1, "ON") || !Is(t, 2, "SCHEMA") ||
      !Is(t, 4, "IS") || IdentName(t[3]) != "public") {
    return false;
  }
  if (!Is(t, 5, "NULL") && t[5].text != "''" && t[5].text != "'standard public schema'") {
    return false;
  }
  out = AppDdl("COMMENT", "SELECT 1 LIMIT 0");
  return true;
}

// ALTER SEQUENCE [IF EXISTS] s OWNED BY {t.c | NONE}.
bool RewriteOwnedBy(const LexedStatement& s, std::string& out) {
  auto& t = s.tokens;
  if (!Is(t, 0, "ALTER") || !Is(t, 1, "SEQUENCE")) return false;
  size_t at = Is(t, 2, "IF") && Is(t, 3, "EXISTS") ? 4 : 2;
  size_t end = NameEnd(t, at);
  if (end == at || !Is(t, end, "OWNED") || !Is(t, end + 1, "BY")) return false;
  size_t owner_end = NameEnd(t, end + 2);
  if (owner_end != t.size()) return false;
  out = AppDdl("ALTER SEQUENCE", ExistenceChecks({Span(s, at, end)}));
  return true;
}

// Sequence options DuckDB's CREATE SEQUENCE lacks (AS type, CACHE n, SEQUENCE NAME x, OWNED BY)
// are dropped from tokens [from, to); the name given by SEQUENCE NAME goes to `name`.
std::string IdentityOptions(const LexedStatement& s, size_t from, size_t to, std::string& name) {
  auto& t = s.tokens;
  std::string out;
  for (size_t i = from; i < to; ++i) {
    if ((Is(t, i, "CACHE") || Is(t, i, "AS")) && i + 1 < to) {
      ++i;
      continue;
    }
    if ((Is(t, i, "SEQUENCE") && Is(t, i + 1, "NAME")) ||
        (Is(t, i, "OWNED") && Is(t, i + 1, "BY"))) {
      size_t end = NameEnd(t, i + 2);
      if (Is(t, i, "SEQUENCE")) name = Span(s, i + 2, end);
      i = end - 1;
      continue;
    }
    if (!out.empty()) out += ' ';
    out += t[i].text;
  }
  return out;
}

// ALTER TABLE [ONLY] t ALTER [COLUMN] c ADD GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY
// [( options )]: pg_dump writes identity columns this way after CREATE TABLE.
bool RewriteAddIdentity(const LexedStatement& s, std::string& out) {
  auto& t = s.tokens;
  if (!Is(t, 0, "ALTER") || !Is(t, 1, "TABLE")) return false;
  size_t at = 2;
  if (Is(t, at, "IF") && Is(t, at + 1, "EXISTS")) at += 2;
  if (Is(t, at, "ONLY")) ++at;
  size_t table_end = NameEnd(t, at);
  if (table_end == at || !Is(t, table_end, "ALTER")) return false;
  std::string_view table = Span(s, at, table_end);
  std::string table_name = IdentName(t[table_end - 1]);
  std::string schema_prefix(Span(s, at, table_end - 1));  // "schema." or empty
  size_t column = table_end + 1;
  if (Is(t, column, "COLUMN")) ++column;
  if (!IsIdent(t, column) || !Is(t, column + 1, "ADD") || !Is(t, column + 2, "GENERATED")) {
    return false;
  }
  size_t as = Is(t, column + 3, "ALWAYS") ? column + 4 : column + 5;
  if (!Is(t, as, "AS") || !Is(t, as + 1, "IDENTITY")) return false;
  std::string sequence = schema_prefix + table_name + "_" + IdentName(t[column]) + "_seq";
  std::string options;
  size_t last = as + 2;
  if (IsPunct(t, last, '(')) {
    size_t close = Matching(t, last);
    if (close == t.size()) return false;
    std::string named;
    options = IdentityOptions(s, last + 1, close, named);
    if (!named.empty()) sequence = named;
    last = close + 1;
  }
  if (last != t.size()) return false;
  out =
      AppDdl("ALTER TABLE", "CREATE SEQUENCE " + sequence + (options.empty() ? "" : " " + options) +
                                "; ALTER TABLE " + std::string(table) + " ALTER COLUMN " +
                                std::string(t[column].text) + " SET DEFAULT nextval(" +
                                QuoteLiteral(sequence) + ")");
  return true;
}

// LOCK [TABLE] [ONLY] name [*] [, ...] [IN mode MODE] [NOWAIT].
bool RewriteLock(const LexedStatement& s, std::string& out) {
  auto& t = s.tokens;
  if (!Is(t, 0, "LOCK")) return false;
  size_t at = Is(t, 1, "TABLE") ? 2 : 1;
  std::vector<std::string_view> names;
  while (true) {
    if (Is(t, at, "ONLY")) ++at;
    size_t end = NameEnd(t, at);
    if (end == at) return false;
    names.push_back(Span(s, at, end));
    at = end;
    if (IsPunct(t, at, '*')) ++at;
    if (!IsPunct(t, at, ',')) break;
    ++at;
  }
  if (Is(t, at, "IN")) {
    while (at < t.size() && !Is(t, at, "MODE")) ++at;
    if (at == t.size()) return false;
    ++at;
  }
  if (Is(t, at, "NOWAIT")) ++at;
  if (at != t.size()) return false;
  out = AppDdl("LOCK TABLE", ExistenceChecks(names));
  return true;
}

// PREPARE name ( type, ... ) AS statement: DuckDB's PREPARE takes no parameter types.
bool RewritePrepareTypes(const LexedStatement& s, std::string& out) {
  auto& t = s.tokens;
  if (!Is(t, 0, "PREPARE") || !IsIdent(t, 1) || !IsPunct(t, 2, '(')) return false;
  size_t close = Matching(t, 2);
  if (!Is(t, close + 1, "AS")) return false;
  out = std::string(Span(s, 0, 2)) + " " + std::string(s.text.substr(Offset(s, close + 1)));
  return true;
}

// PostgreSQL's fixed OIDs of the system catalogs pg_dump names with 'x'::regclass.
constexpr std::pair<std::string_view, int> kCatalogOids[] = {
    {"pg_am", 2601},
    {"pg_amop", 2602},
    {"pg_amproc", 2603},
    {"pg_attrdef", 2604},
    {"pg_attribute", 1249},
    {"pg_cast", 2605},
    {"pg_class", 1259},
    {"pg_collation", 3456},
    {"pg_constraint", 2606},
    {"pg_conversion", 2607},
    {"pg_database", 1262},
    {"pg_depend", 2608},
    {"pg_description", 2609},
    {"pg_enum", 3501},
    {"pg_event_trigger", 3466},
    {"pg_extension", 3079},
    {"pg_index", 2610},
    {"pg_language", 2612},
    {"pg_namespace", 2615},
    {"pg_opclass", 2616},
    {"pg_operator", 2617},
    {"pg_opfamily", 2753},
    {"pg_policy", 3256},
    {"pg_proc", 1255},
    {"pg_publication", 6104},
    {"pg_rewrite", 2618},
    {"pg_sequence", 2224},
    {"pg_transform", 3576},
    {"pg_trigger", 2620},
    {"pg_ts_config", 3602},
    {"pg_ts_dict", 3600},
    {"pg_ts_parser", 3601},
    {"pg_ts_template", 3764},
    {"pg_type", 1247},
    {"pg_largeobject", 2613},
    {"pg_foreign_data_wrapper", 2328},
    {"pg_foreign_server", 1417},
    {"pg_statistic_ext", 3381},
    {"pg_subscription", 6100},
};

// The OID of a system catalog named by a regclass literal ('pg_class', 'pg_catalog.pg_class').
std::optional<int> CatalogOid(std::string_view literal) {
  if (literal.size() < 2 || literal.front() != '\'') return std::nullopt;
  std::string_view name = literal.substr(1, literal.size() - 2);
  if (name.starts_with("pg_catalog.")) name.remove_prefix(std::string_view("pg_catalog.").size());
  for (auto [catalog, oid] : kCatalogOids) {
    if (catalog == name) return oid;
  }
  return std::nullopt;
}

// Casts inside any statement: 'seq'::regclass as an argument of nextval/setval/currval loses
// its cast; a system catalog's name cast to regclass becomes its OID; ::"char" becomes ::VARCHAR;
// '{1,2}'::oid[] becomes [1,2]::BIGINT[] (pg_dump lists table OIDs that way).
std::string RewriteCasts(const LexedStatement& s, bool& changed) {
  auto& t = s.tokens;
  std::string out;
  size_t copied = 0;
  auto replace = [&](size_t from, size_t to, std::string_view with) {  // tokens [from, to]
    out.append(s.text.substr(copied, Offset(s, from) - copied));
    out.append(with);
    copied = Offset(s, to) + t[to].text.size();
    changed = true;
  };
  for (size_t i = 0; i + 2 < t.size(); ++i) {
    // pg_dump's index query reads "indexdef, i.indkey" as int2vector text ("1 2"), which it
    // parses; augur's indkey is an integer list, whose text is "{1,2}".
    if (Is(t, i, "INDKEY") && i >= 4 && IsPunct(t, i - 1, '.') && Is(t, i - 2, "I") &&
        IsPunct(t, i - 3, ',') && Is(t, i - 4, "INDEXDEF") && IsPunct(t, i + 1, ',') &&
        Offset(s, i - 2) >= copied) {
      replace(i - 2, i, "array_to_string(i.indkey, ' ') AS indkey");
      continue;
    }
    if (!IsPunct(t, i, ':') || !IsPunct(t, i + 1, ':') || i == 0) continue;
    if (Offset(s, i - 1) < copied) continue;
    size_t type = i + 2;
    if (Is(t, type, "PG_CATALOG") && IsPunct(t, type + 1, '.')) type += 2;
    if (type >= t.size()) break;
    const Token& operand = t[i - 1];
    if (Is(t, type, "REGCLASS") && operand.kind == Token::kString) {
      bool sequence_argument =
          i >= 3 && IsPunct(t, i - 2, '(') &&
          (Is(t, i - 3, "NEXTVAL") || Is(t, i - 3, "SETVAL") || Is(t, i - 3, "CURRVAL"));
      if (sequence_argument) {
        replace(i - 1, type, operand.text);
      } else if (auto oid = CatalogOid(operand.text)) {
        replace(i - 1, type, std::to_string(*oid));
      }
    } else if (Is(t, type, "REGNAMESPACE") && operand.kind == Token::kString &&
               operand.text.front() == '\'') {
      replace(i - 1, type,
              operand.text == "'pg_catalog'"
                  ? std::string("11")
                  : "(SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = " +
                        std::string(operand.text) + ")");
    } else if (type == i + 2 && t[type].kind == Token::kQuotedIdent && t[type].text == "\"char\"") {
      replace(i, type, "::VARCHAR");
    } else if (Is(t, type, "OID") && IsPunct(t, type + 1, '[') && IsPunct(t, type + 2, ']') &&
               operand.kind == Token::kString && operand.text.size() >= 4 &&
               operand.text.substr(0, 2) == "'{" &&
               operand.text.substr(operand.text.size() - 2) == "}'" &&
               operand.text.find_first_not_of("0123456789,", 2) == operand.text.size() - 2) {
      std::string list(operand.text.substr(2, operand.text.size() - 4));
      replace(i - 1, type + 2, "[" + list + "]::BIGINT[]");
    }
  }
  if (!changed) return std::string(s.text);
  out.append(s.text.substr(copied));
  return out;
}

bool RewriteStatement(const LexedStatement& s, std::string& out) {
  return RewriteSetOn(s, out) || RewriteOwnerTo(s, out) || RewriteOwnedBy(s, out) ||
         RewriteAddIdentity(s, out) || RewriteLock(s, out) || RewriteSchemaComment(s, out) ||
         RewritePrepareTypes(s, out);
}

// Whether `sql` may hold a statement these rules rewrite: a cast, or one of their leading words.
// Most statements have neither and skip the lexer.
bool MayNeedRewrite(std::string_view sql) {
  if (sql.find("::") != std::string_view::npos) return true;
  static constexpr std::string_view kWords[] = {"owner",   "owned", "identity", "lock",
                                                "prepare", "set",   "comment"};
  std::string lower(sql.substr(0, 4096));
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  for (auto word : kWords) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return sql.size() > lower.size();
}

}  // namespace

std::string RewriteDumpStatements(std::string_view sql) {
  if (!MayNeedRewrite(sql)) return std::string(sql);
  auto statements = Lex(sql);
  bool any = false;
  std::string out;
  for (size_t i = 0; i < statements.size(); ++i) {
    bool changed = false;
    std::string text = RewriteCasts(statements[i], changed);
    std::string rewritten;
    if (changed) {
      auto again = Lex(text);
      if (again.size() == 1) {
        if (RewriteStatement(again[0], rewritten)) text = std::move(rewritten);
      }
    } else if (RewriteStatement(statements[i], rewritten)) {
      text = std::move(rewritten);
      changed = true;
    }
    any |= changed;
    out += text;
    if (i + 1 < statements.size()) out += ';';
  }
  return any ? out : std::string(sql);
}

}  // namespace augur::engine
