// pg_app_ddl_rewrite.cpp: the rewrite rules of pg_app_ddl_rewrite.h, on sql_lexer's tokens.
#include "engine/pg/pg_app_ddl_rewrite.h"

#include <optional>
#include <vector>

#include "common/sql_quoting.h"
#include "engine/ddl/foreign_key_rewrite.h"
#include "engine/ddl/materialized_view_rewrite.h"
#include "engine/pg/sql_tokens.h"

namespace augur::engine {

std::string AppDdl(std::string_view tag, std::string_view statements) {
  return "SET " + std::string(kAppDdlSetting) + " = " +
         QuoteLiteral(std::string(tag) + "\n" + std::string(statements));
}

namespace {

using Tokens = std::vector<Token>;

// An identifier's name as PostgreSQL stores it (callers check IsIdent first).
std::string IdentName(const Token& token) { return IdentifierName(token).value_or(""); }

bool IsIdent(const Tokens& t, size_t i) {
  return i < t.size() && (t[i].kind == Token::kWord || t[i].kind == Token::kQuotedIdent);
}

// A possibly qualified name from token `i`: its parts, and the token after it.
std::vector<std::string> QualifiedName(const Tokens& t, size_t& i) {
  std::vector<std::string> parts;
  while (IsIdent(t, i)) {
    parts.push_back(IdentName(t[i]));
    if (!IsPunct(t, i + 1, '.')) {
      ++i;
      break;
    }
    i += 2;
  }
  return parts;
}

// Sequence options DuckDB's CREATE SEQUENCE lacks: CACHE n, AS type, OWNED BY x, SEQUENCE NAME.
// Returns the text of tokens [from, to) without them.
std::string SequenceOptions(const LexedStatement& s, size_t from, size_t to) {
  auto& t = s.tokens;
  std::string out;
  for (size_t i = from; i < to; ++i) {
    if (Is(t, i, "CACHE") && i + 1 < to) {
      ++i;
      continue;
    }
    if (Is(t, i, "AS") && i + 1 < to) {
      ++i;
      continue;
    }
    if ((Is(t, i, "OWNED") && Is(t, i + 1, "BY")) ||
        (Is(t, i, "SEQUENCE") && Is(t, i + 1, "NAME"))) {
      i += 2;
      while (i + 2 < to && IsPunct(t, i + 1, '.')) i += 2;
      continue;
    }
    if (!out.empty()) out += ' ';
    out += t[i].text;
  }
  return out;
}

bool RewriteCreateSequence(const LexedStatement& s, std::string& out) {
  auto& t = s.tokens;
  size_t at = 1;
  if (Is(t, at, "TEMP") || Is(t, at, "TEMPORARY") || Is(t, at, "UNLOGGED")) ++at;
  if (!Is(t, 0, "CREATE") || !Is(t, at, "SEQUENCE")) return false;
  bool needs = false;
  for (size_t i = at; i < t.size(); ++i)
    needs |= Is(t, i, "CACHE") || (Is(t, i, "OWNED") && Is(t, i + 1, "BY")) ||
             (Is(t, i, "AS") && i > at + 1);
  if (!needs) return false;
  size_t name_at = Is(t, at + 1, "IF") ? at + 4 : at + 1;
  size_t after = name_at;
  QualifiedName(t, after);
  std::string options = SequenceOptions(s, after, t.size());
  out = std::string(Span(s, 0, after)) + (options.empty() ? "" : " " + options);
  return true;
}

struct SerialType {
  std::string_view name;
  std::string_view integer;
};

constexpr SerialType kSerialTypes[] = {
    {"SERIAL", "INTEGER"}, {"SERIAL4", "INTEGER"},      {"BIGSERIAL", "BIGINT"},
    {"SERIAL8", "BIGINT"}, {"SMALLSERIAL", "SMALLINT"}, {"SERIAL2", "SMALLINT"},
};

bool IsTableConstraint(const Tokens& t, size_t i) {
  return Is(t, i, "CONSTRAINT") || Is(t, i, "PRIMARY") || Is(t, i, "UNIQUE") ||
         Is(t, i, "FOREIGN") || Is(t, i, "CHECK") || Is(t, i, "EXCLUDE") || Is(t, i, "LIKE");
}

// CREATE TABLE with serial or identity columns: the statements it becomes.
bool SerialTableStatements(const LexedStatement& s, std::string& out) {
  auto& t = s.tokens;
  if (!Is(t, 0, "CREATE")) return false;
  size_t at = 1;
  if (Is(t, at, "GLOBAL") || Is(t, at, "LOCAL")) ++at;
  const bool temporary = Is(t, at, "TEMP") || Is(t, at, "TEMPORARY");
  if (temporary || Is(t, at, "UNLOGGED")) ++at;
  if (!Is(t, at, "TABLE")) return false;
  size_t name_at =
      Is(t, at + 1, "IF") && Is(t, at + 2, "NOT") && Is(t, at + 3, "EXISTS") ? at + 4 : at + 1;
  size_t open = name_at;
  auto table = QualifiedName(t, open);
  if (table.empty() || !IsPunct(t, open, '(')) return false;
  const size_t close = Matching(t, open);
  if (close == t.size()) return false;

  std::string sequences;
  std::string always;  // records of GENERATED ALWAYS columns (foreign_key_rewrite.h)
  std::string body;    // the statement with the column definitions rewritten
  size_t copied = 0;
  auto replace = [&](size_t from, size_t to, const std::string& with) {
    body.append(s.text.substr(copied, Offset(s, from) - copied));
    body.append(with);
    copied = Offset(s, to - 1) + t[to - 1].text.size();
  };
  std::string schema_prefix;
  for (size_t p = 0; p + 1 < table.size(); ++p)
    schema_prefix += QuoteIdentifierIfNeeded(table[p]) + ".";

  size_t element = open + 1;
  while (element < close) {
    // One column definition or table constraint: [element, end).
    size_t end = element;
    int depth = 0;
    while (end < close && !(depth == 0 && IsPunct(t, end, ','))) {
      if (IsPunct(t, end, '(')) ++depth;
      if (IsPunct(t, end, ')')) --depth;
      ++end;
    }
    if (IsIdent(t, element) && !IsTableConstraint(t, element) && element + 1 < end) {
      std::string column = IdentName(t[element]);
      // DuckDB's nextval() cannot read a doubled quote inside a quoted name: '"' becomes '_'.
      std::string sequence_name = table.back() + "_" + column + "_seq";
      for (char& c : sequence_name) c = c == '"' ? '_' : c;
      std::string sequence = schema_prefix + QuoteIdentifierIfNeeded(sequence_name);
      std::string nextval = "nextval(" + QuoteLiteral(sequence) + ")";
      bool serial = false;
      for (const SerialType& type : kSerialTypes) {
        if (t[element + 1].kind == Token::kWord && t[element + 1].upper == type.name) {
          replace(element + 1, element + 2,
                  std::string(type.integer) + " NOT NULL DEFAULT " + nextval);
          sequences += "CREATE " + std::string(temporary ? "TEMPORARY " : "") + "SEQUENCE " +
                       sequence + "; ";
          serial = true;
        }
      }
      for (size_t i = element + 2; !serial && i < end; ++i) {
        // GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY [( sequence options )]
        if (!Is(t, i, "GENERATED")) continue;
        size_t as = Is(t, i + 1, "ALWAYS") ? i + 2 : Is(t, i + 1, "BY") ? i + 3 : end;
        if (!Is(t, as, "AS") || !Is(t, as + 1, "IDENTITY")) break;
        if (Is(t, i + 1, "ALWAYS") && !temporary) {
          always += "; " + IdentityAlwaysRecord(table, column);
        }
        size_t last = as + 2;
        std::string options;
        if (IsPunct(t, last, '(')) {
          size_t options_close = Matching(t, last);
          if (options_close >= end) break;
          options = " " + SequenceOptions(s, last + 1, options_close);
          last = options_close + 1;
        }
        replace(i, last, "NOT NULL DEFAULT " + nextval);
        sequences += "CREATE " + std::string(temporary ? "TEMPORARY " : "") + "SEQUENCE " +
                     sequence + options + "; ";
        break;
      }
    }
    element = end + 1;
  }
  if (sequences.empty()) return false;
  body.append(s.text.substr(copied));
  out = sequences + body;
  if (!always.empty()) out = AugurCatalogSetup() + out + always;
  return true;
}

// CREATE TABLE with serial or identity columns, or foreign keys DuckDB cannot keep
// (foreign_key_rewrite.h).
bool RewriteSerialTable(const LexedStatement& s, std::string& out) {
  std::string table_sql;
  std::string records;
  if (SplitForeignKeyActions(s, table_sql, records)) {
    auto lexed = Lex(table_sql);
    std::string statements;
    if (lexed.size() != 1 || !SerialTableStatements(lexed[0], statements)) statements = table_sql;
    out = AppDdl("CREATE TABLE", AugurCatalogSetup() + statements + records);
    return true;
  }
  std::string statements;
  if (!SerialTableStatements(s, statements)) return false;
  out = AppDdl("CREATE TABLE", statements);
  return true;
}

// ALTER TABLE [IF EXISTS] [ONLY] t ADD: the table, as name parts and as text, and the token
// after ADD.
struct AlterTableAdd {
  std::vector<std::string> table;
  std::string_view table_text;
  size_t after_add;
};

std::optional<AlterTableAdd> ParseAlterTableAdd(const LexedStatement& s) {
  auto& t = s.tokens;
  if (!Is(t, 0, "ALTER") || !Is(t, 1, "TABLE")) return std::nullopt;
  size_t at = 2;
  if (Is(t, at, "IF") && Is(t, at + 1, "EXISTS")) at += 2;
  if (Is(t, at, "ONLY")) ++at;
  size_t table_from = at;
  auto table = QualifiedName(t, at);
  if (table.empty() || !Is(t, at, "ADD")) return std::nullopt;
  return AlterTableAdd{std::move(table), Span(s, table_from, at), at + 1};
}

// What REFERENCES names, from token `at` on: r [(cols)]. The columns are "*" without a list;
// `end` is the token after it. Nullopt when no name follows or the list is not closed.
struct Reference {
  std::string table;
  std::string columns;
  size_t end;
};

std::optional<Reference> ParseReference(const LexedStatement& s, size_t at) {
  auto& t = s.tokens;
  const size_t from = at;
  if (QualifiedName(t, at).empty()) return std::nullopt;
  Reference ref{std::string(Span(s, from, at)), "*", at};
  if (IsPunct(t, at, '(')) {
    size_t close = Matching(t, at);
    if (close == t.size()) return std::nullopt;
    ref.columns = Span(s, at + 1, close);
    ref.end = close + 1;
  }
  return ref;
}

// ALTER TABLE [IF EXISTS] [ONLY] t ADD [CONSTRAINT c] {UNIQUE (cols) | FOREIGN KEY (cols)
// REFERENCES r [(cols)] ...}.
bool RewriteAddConstraint(const LexedStatement& s, std::string& out) {
  auto& t = s.tokens;
  auto alter = ParseAlterTableAdd(s);
  if (!alter) return false;
  const auto& [table, table_text, after_add] = *alter;
  size_t at = after_add;
  std::string name;
  if (Is(t, at, "CONSTRAINT") && IsIdent(t, at + 1)) {
    name = IdentName(t[at + 1]);
    at += 2;
  }
  if (Is(t, at, "CHECK") && IsPunct(t, at + 1, '(') && table.size() <= 2) {
    // DuckDB cannot add a CHECK to a table: the session rebuilds it (ddl/add_check.cpp).
    size_t close = Matching(t, at + 1);
    if (close == t.size() || close + 1 != t.size()) return false;
    out = "SET " + std::string(kAddCheckSetting) + " = " +
          QuoteLiteral((table.size() == 2 ? table[0] : "") + "\n" + table.back() + "\n" +
                       std::string(Span(s, at, close + 1)));
    return true;
  }
  if (Is(t, at, "UNIQUE") && IsPunct(t, at + 1, '(')) {
    size_t close = Matching(t, at + 1);
    if (close == t.size()) return false;
    std::string_view columns = Span(s, at + 2, close);
    if (name.empty()) {
      name = table.back();
      for (size_t i = at + 2; i < close; ++i)
        if (IsIdent(t, i)) name += "_" + IdentName(t[i]);
      name += "_key";
    }
    out = AppDdl("ALTER TABLE", "CREATE UNIQUE INDEX " + QuoteIdentifier(name) + " ON " +
                                    std::string(table_text) + " (" + std::string(columns) + ")");
    return true;
  }
  if (Is(t, at, "FOREIGN") && Is(t, at + 1, "KEY") && IsPunct(t, at + 2, '(')) {
    size_t close = Matching(t, at + 2);
    if (!Is(t, close + 1, "REFERENCES")) return false;
    std::string_view columns = Span(s, at + 3, close);
    auto ref = ParseReference(s, close + 2);
    if (!ref) return false;
    // The column lists must exist; augur records the constraint and enforces it
    // (foreign_key_rewrite.h), checking the rows already there.
    std::string record;
    if (!AddForeignKeyRecord(s, record)) return false;
    out = AppDdl("ALTER TABLE", AugurCatalogSetup() + "SELECT " + std::string(columns) + " FROM " +
                                    std::string(table_text) + " LIMIT 0; SELECT " + ref->columns +
                                    " FROM " + ref->table + " LIMIT 0; " + record);
    return true;
  }
  return false;
}

// ALTER TABLE t ADD [COLUMN] c type [DEFAULT x] {NOT NULL | NULL | UNIQUE | REFERENCES ...}:
// DuckDB adds columns without constraints only (Django adds fields with a default this way).
// The column is added with its default, then SET NOT NULL (which checks the rows, as
// PostgreSQL's does) and a unique index; REFERENCES is checked like ADD CONSTRAINT's.
bool RewriteAddColumnConstraints(const LexedStatement& s, std::string& out) {
  auto& t = s.tokens;
  auto alter = ParseAlterTableAdd(s);
  if (!alter) return false;
  const auto& [table, table_text, after_add] = *alter;
  size_t at = after_add;
  if (Is(t, at, "COLUMN")) ++at;
  if (Is(t, at, "IF") || Is(t, at, "CONSTRAINT") || !IsIdent(t, at) || IsTableConstraint(t, at)) {
    return false;
  }
  const size_t column_at = at;
  std::string column = IdentName(t[column_at]);
  std::string kept;   // the column definition without its constraints
  std::string after;  // statements that add them
  size_t copied = column_at;
  bool changed = false;
  int depth = 0;
  for (size_t i = column_at + 1; i < t.size(); ++i) {
    if (IsPunct(t, i, '(')) ++depth;
    if (IsPunct(t, i, ')')) --depth;
    if (depth > 0) continue;
    size_t skip_to = i;
    if (Is(t, i, "NOT") && Is(t, i + 1, "NULL")) {
      after += "; ALTER TABLE " + std::string(table_text) + " ALTER COLUMN " +
               QuoteIdentifier(column) + " SET NOT NULL";
      skip_to = i + 2;
    } else if (Is(t, i, "NULL") && !Is(t, i - 1, "DEFAULT")) {
      skip_to = i + 1;
    } else if (Is(t, i, "UNIQUE")) {
      after += "; CREATE UNIQUE INDEX " + QuoteIdentifier(table.back() + "_" + column + "_key") +
               " ON " + std::string(table_text) + " (" + QuoteIdentifier(column) + ")";
      skip_to = i + 1;
    } else if (Is(t, i, "REFERENCES")) {
      auto ref = ParseReference(s, i + 1);
      std::string record;
      size_t ref_at = 0;
      if (!ref || !ColumnForeignKeyRecord(s, table, column, i, record, ref_at)) return false;
      // Recorded and enforced by augur (foreign_key_rewrite.h).
      after += "; SELECT " + ref->columns + " FROM " + ref->table + " LIMIT 0; " +
               AugurCatalogSetup() + record;
      skip_to = ref_at;
    }
    if (skip_to == i) continue;
    kept += std::string(s.text.substr(Offset(s, copied), Offset(s, i) - Offset(s, copied)));
    copied = skip_to;
    changed = true;
    i = skip_to - 1;
  }
  if (!changed) return false;
  if (copied < t.size()) kept += std::string(s.text.substr(Offset(s, copied)));
  while (!kept.empty() && kept.back() == ' ') kept.pop_back();
  out = AppDdl("ALTER TABLE", std::string(Span(s, 0, column_at)) + " " + kept + after);
  return true;
}

// CREATE [UNIQUE] INDEX ... [USING btree|hash] (col [opclass] [ASC|DESC], ...).
bool RewriteIndexOptions(const LexedStatement& s, std::string& out) {
  auto& t = s.tokens;
  size_t at = 1;
  if (Is(t, at, "UNIQUE")) ++at;
  if (!Is(t, 0, "CREATE") || !Is(t, at, "INDEX")) return false;
  size_t on = at;
  while (on < t.size() && !Is(t, on, "ON")) ++on;
  size_t open = on;
  while (open < t.size() && !IsPunct(t, open, '(')) ++open;
  if (open == t.size()) return false;
  size_t close = Matching(t, open);
  std::vector<std::pair<size_t, size_t>> drop;  // token ranges to remove
  for (size_t i = on; i < open; ++i) {
    if (Is(t, i, "USING") && (Is(t, i + 1, "BTREE") || Is(t, i + 1, "HASH")))
      drop.push_back({i, i + 2});
  }
  for (size_t i = open + 1; i < close; ++i) {
    // An operator class is a word right after a column name, ending in _ops.
    if (t[i].kind == Token::kWord && t[i].upper.size() > 4 && t[i].upper.ends_with("_OPS") &&
        IsIdent(t, i - 1) && !IsPunct(t, i - 1, ',')) {
      size_t from = i;
      if (IsPunct(t, i - 1, '.')) continue;
      if (i >= 2 && IsPunct(t, i - 1, '.')) from = i - 2;
      drop.push_back({from, i + 1});
    }
  }
  if (drop.empty()) return false;
  size_t copied = 0;
  for (auto [from, to] : drop) {
    out.append(s.text.substr(copied, Offset(s, from) - copied));
    copied = Offset(s, to - 1) + t[to - 1].text.size();
  }
  out.append(s.text.substr(copied));
  return true;
}

// FROM ..., unnest(a, b) WITH ORDINALITY t(x, y, n) (Django's introspection of indexes, for
// inspectdb): DuckDB's unnest takes one list; a lateral subquery unnests them side by side.
bool RewriteMultiUnnest(const LexedStatement& s, std::string& out) {
  auto& t = s.tokens;
  for (size_t i = 1; i + 1 < t.size(); ++i) {
    if (!Is(t, i, "UNNEST") || !IsPunct(t, i + 1, '(') ||
        !(IsPunct(t, i - 1, ',') || Is(t, i - 1, "FROM") || Is(t, i - 1, "JOIN"))) {
      continue;
    }
    size_t close = Matching(t, i + 1);
    if (close >= t.size()) continue;  // unbalanced: DuckDB reports the syntax error
    std::vector<std::pair<size_t, size_t>> args;
    size_t begin = i + 2;
    int depth = 0;
    for (size_t k = i + 2; k <= close && close < t.size(); ++k) {
      if (IsPunct(t, k, '(') || IsPunct(t, k, '[')) ++depth;
      if ((IsPunct(t, k, ')') || IsPunct(t, k, ']')) && k < close) --depth;
      if (k == close || (depth == 0 && IsPunct(t, k, ','))) {
        args.emplace_back(begin, k);
        begin = k + 1;
      }
    }
    if (args.size() < 2) continue;
    size_t at = close + 1;
    const bool ordinality = Is(t, at, "WITH") && Is(t, at + 1, "ORDINALITY");
    if (ordinality) at += 2;
    if (Is(t, at, "AS")) ++at;
    if (!IsIdent(t, at) || !IsPunct(t, at + 1, '(')) continue;
    size_t names_close = Matching(t, at + 1);
    if (names_close >= t.size()) continue;
    std::vector<std::string_view> names;
    for (size_t k = at + 2; k < names_close; ++k)
      if (IsIdent(t, k)) names.push_back(t[k].text);
    if (names.size() != args.size() + (ordinality ? 1 : 0)) continue;
    std::string sub = "(SELECT ";
    for (size_t a = 0; a < args.size(); ++a) {
      if (a > 0) sub += ", ";
      sub += "unnest(" + std::string(Span(s, args[a].first, args[a].second)) + ") AS " +
             std::string(names[a]);
    }
    if (ordinality) {
      sub += ", generate_subscripts(" + std::string(Span(s, args[0].first, args[0].second)) +
             ", 1) AS " + std::string(names.back());
    }
    sub += ") " + std::string(t[at].text);
    out = std::string(s.text.substr(0, Offset(s, i))) + sub +
          std::string(s.text.substr(Offset(s, names_close) + 1));
    return true;
  }
  return false;
}

// ALTER SEQUENCE [IF EXISTS] name RESTART [[WITH] n] (Rails' and Django's fixtures, test
// suites resetting ids): DuckDB's parser refuses ALTER SEQUENCE options. The next nextval() gives
// n, or the sequence's start value, as setval(name, n, false) leaves it. Other options, or
// RESTART with them, stay refused.
bool RewriteAlterSequenceRestart(const LexedStatement& s, std::string& out) {
  auto& t = s.tokens;
  if (!Is(t, 0, "ALTER") || !Is(t, 1, "SEQUENCE")) return false;
  size_t at = 2;
  const bool if_exists = Is(t, at, "IF") && Is(t, at + 1, "EXISTS");
  if (if_exists) at += 2;
  const size_t name_from = at;
  while (at < t.size() && IsIdent(t, at) && !Is(t, at, "RESTART")) {
    ++at;
    if (!IsPunct(t, at, '.')) break;
    ++at;
  }
  if (at == name_from || !Is(t, at, "RESTART") || if_exists) return false;
  const std::string name(Span(s, name_from, at));
  ++at;
  std::string value;
  if (at == t.size()) {
    size_t dot = name.rfind('.');
    std::string bare = dot == std::string::npos ? name : name.substr(dot + 1);
    auto unquoted = IdentifierName(t[at - 2]);
    if (!unquoted) return false;
    value = "(SELECT start_value FROM duckdb_sequences() WHERE sequence_name = " +
            QuoteLiteral(*unquoted) +
            (dot == std::string::npos
                 ? std::string()
                 : " AND schema_name = " +
                       QuoteLiteral(IdentifierName(t[at - 4]).value_or(name.substr(0, dot)))) +
            ")";
  } else {
    if (Is(t, at, "WITH")) ++at;
    size_t sign = IsPunct(t, at, '-') || IsPunct(t, at, '+') ? 1 : 0;
    if (at + sign + 1 != t.size() || t[at + sign].kind != Token::kNumber) return false;
    value = std::string(Span(s, at, t.size()));
  }
  out = AppDdl("ALTER SEQUENCE", "SELECT setval(" + QuoteLiteral(name) + ", " + value + ", false)");
  return true;
}

}  // namespace

bool RewriteApplicationDdl(const LexedStatement& s, std::string& out) {
  return RewriteMaterializedView(s, out) || RewriteSerialTable(s, out) ||
         RewriteCreateSequence(s, out) || RewriteAlterSequenceRestart(s, out) ||
         RewriteAddConstraint(s, out) || RewriteAddColumnConstraints(s, out) ||
         RewriteIndexOptions(s, out) || RewriteMultiUnnest(s, out);
}

}  // namespace augur::engine
