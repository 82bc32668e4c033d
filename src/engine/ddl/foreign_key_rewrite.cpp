// foreign_key_rewrite.cpp: the token rewrites of foreign_key_rewrite.h.
#include "engine/ddl/foreign_key_rewrite.h"

#include <optional>
#include <vector>

#include "common/sql_quoting.h"
#include "engine/pg/sql_tokens.h"

namespace augur::engine {
namespace {

using Tokens = std::vector<Token>;

bool IsIdent(const Tokens& t, size_t i) {
  return i < t.size() && (t[i].kind == Token::kWord || t[i].kind == Token::kQuotedIdent);
}

std::string Name(const Token& token) { return IdentifierName(token).value_or(""); }

// A possibly qualified name from token `i`: its parts; `i` moves past it.
std::vector<std::string> QualifiedName(const Tokens& t, size_t& i) {
  std::vector<std::string> parts;
  while (IsIdent(t, i)) {
    parts.push_back(Name(t[i]));
    if (!IsPunct(t, i + 1, '.')) {
      ++i;
      break;
    }
    i += 2;
  }
  return parts;
}

// The identifiers of a parenthesized column list at `open`; nullopt unless it is one.
std::optional<std::vector<std::string>> ColumnList(const Tokens& t, size_t open, size_t& end) {
  if (!IsPunct(t, open, '(')) return std::nullopt;
  size_t close = Matching(t, open);
  if (close == t.size()) return std::nullopt;
  std::vector<std::string> columns;
  for (size_t i = open + 1; i < close; ++i) {
    if (IsPunct(t, i, ',')) continue;
    if (!IsIdent(t, i)) return std::nullopt;
    columns.push_back(Name(t[i]));
  }
  end = close + 1;
  return columns;
}

// One foreign key as written: REFERENCES r [(cols)] and its options.
struct ForeignKey {
  std::string name;
  std::vector<std::string> columns;
  std::vector<std::string> parent;  // [schema,] table
  std::vector<std::string> parent_columns;
  std::string on_delete = "NO ACTION";
  std::string on_update = "NO ACTION";
  bool deferred = false;
  size_t end = 0;  // the token after the options

  // DuckDB keeps NO ACTION and RESTRICT foreign keys checked immediately.
  bool NeedsAugur() const {
    auto plain = [](const std::string& a) { return a == "NO ACTION" || a == "RESTRICT"; };
    return !plain(on_delete) || !plain(on_update) || deferred;
  }
};

// REFERENCES's target and options from token `at` (the one after REFERENCES).
std::optional<ForeignKey> ParseReferences(const Tokens& t, size_t at) {
  ForeignKey fk;
  fk.parent = QualifiedName(t, at);
  if (fk.parent.empty() || fk.parent.size() > 2) return std::nullopt;
  if (IsPunct(t, at, '(')) {
    auto columns = ColumnList(t, at, at);
    if (!columns) return std::nullopt;
    fk.parent_columns = std::move(*columns);
  }
  while (at < t.size()) {
    if (Is(t, at, "MATCH") && (Is(t, at + 1, "SIMPLE") || Is(t, at + 1, "FULL"))) {
      at += 2;
    } else if (Is(t, at, "ON") && (Is(t, at + 1, "DELETE") || Is(t, at + 1, "UPDATE"))) {
      std::string& action = Is(t, at + 1, "DELETE") ? fk.on_delete : fk.on_update;
      at += 2;
      if (Is(t, at, "NO") && Is(t, at + 1, "ACTION")) {
        action = "NO ACTION";
        at += 2;
      } else if (Is(t, at, "RESTRICT") || Is(t, at, "CASCADE")) {
        action = t[at].upper;
        ++at;
      } else if (Is(t, at, "SET") && (Is(t, at + 1, "NULL") || Is(t, at + 1, "DEFAULT"))) {
        action = "SET " + t[at + 1].upper;
        at += 2;
        if (IsPunct(t, at, '(')) return std::nullopt;  // SET NULL (cols): PostgreSQL 15 only
      } else {
        return std::nullopt;
      }
    } else if (Is(t, at, "DEFERRABLE")) {
      ++at;
    } else if (Is(t, at, "NOT") && Is(t, at + 1, "DEFERRABLE")) {
      at += 2;
    } else if (Is(t, at, "INITIALLY") &&
               (Is(t, at + 1, "DEFERRED") || Is(t, at + 1, "IMMEDIATE"))) {
      fk.deferred = Is(t, at + 1, "DEFERRED");
      at += 2;
    } else {
      break;
    }
  }
  fk.end = at;
  return fk;
}

std::string TextArray(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + QuoteLiteral(items[i]);
  return out + "]::VARCHAR[]";
}

// The INSERT that records `fk` of table `child` ([schema,] table). Unqualified names are in the
// schema current when the statement runs; without a column list the parent's primary key.
std::string Record(const std::vector<std::string>& child, const ForeignKey& fk) {
  auto schema = [](const std::vector<std::string>& name) {
    return name.size() == 2 ? QuoteLiteral(name[0]) : std::string("current_schema()");
  };
  std::string parent_schema = schema(fk.parent);
  std::string parent_columns = TextArray(fk.parent_columns);
  if (fk.parent_columns.empty()) {
    parent_columns =
        "(SELECT constraint_column_names FROM duckdb_constraints() WHERE constraint_type = "
        "'PRIMARY KEY' AND table_name = " +
        QuoteLiteral(fk.parent.back()) + " AND schema_name = " + parent_schema + " LIMIT 1)";
  }
  return std::string("INSERT INTO ") + kAugurForeignKeys + " VALUES (" + QuoteLiteral(fk.name) +
         ", " + schema(child) + ", " + QuoteLiteral(child.back()) + ", " + TextArray(fk.columns) +
         ", " + parent_schema + ", " + QuoteLiteral(fk.parent.back()) + ", " + parent_columns +
         ", " + QuoteLiteral(fk.on_delete) + ", " + QuoteLiteral(fk.on_update) + ", " +
         (fk.deferred ? "true" : "false") + ")";
}

// PostgreSQL's default name: <table>_<columns>_fkey.
std::string DefaultName(const std::string& table, const std::vector<std::string>& columns) {
  std::string name = table;
  for (auto& column : columns) name += "_" + column;
  name += "_fkey";
  if (name.size() > 63) name.resize(63);
  return name;
}

}  // namespace

std::string AugurCatalogSetup() {
  return std::string("CREATE SCHEMA IF NOT EXISTS pg_augur; CREATE TABLE IF NOT EXISTS ") +
         kAugurForeignKeys +
         "(name VARCHAR, child_schema VARCHAR, child_table VARCHAR, child_columns VARCHAR[], "
         "parent_schema VARCHAR, parent_table VARCHAR, parent_columns VARCHAR[], "
         "on_delete VARCHAR, on_update VARCHAR, deferred BOOLEAN); "
         "CREATE TABLE IF NOT EXISTS " +
         kAugurIdentityAlways +
         "(table_schema VARCHAR, table_name VARCHAR, column_name VARCHAR); "
         "CREATE TABLE IF NOT EXISTS pg_augur.matviews(schema_name VARCHAR, name VARCHAR, "
         "query VARCHAR); ";
}

std::string IdentityAlwaysRecord(const std::vector<std::string>& table, const std::string& column) {
  return std::string("INSERT INTO ") + kAugurIdentityAlways + " VALUES (" +
         (table.size() == 2 ? QuoteLiteral(table[0]) : std::string("current_schema()")) + ", " +
         QuoteLiteral(table.back()) + ", " + QuoteLiteral(column) + ")";
}

bool SplitForeignKeyActions(const LexedStatement& s, std::string& table_sql, std::string& records) {
  auto& t = s.tokens;
  if (!Is(t, 0, "CREATE")) return false;
  size_t at = 1;
  if (Is(t, at, "GLOBAL") || Is(t, at, "LOCAL")) ++at;
  if (Is(t, at, "TEMP") || Is(t, at, "TEMPORARY") || Is(t, at, "UNLOGGED")) ++at;
  if (!Is(t, at, "TABLE")) return false;
  size_t open = Is(t, at + 1, "IF") && Is(t, at + 2, "NOT") ? at + 4 : at + 1;
  auto table = QualifiedName(t, open);
  if (table.empty() || table.size() > 2 || !IsPunct(t, open, '(')) return false;
  const size_t close = Matching(t, open);
  if (close == t.size()) return false;

  std::vector<std::pair<size_t, size_t>> cuts;  // token ranges to leave out
  std::vector<ForeignKey> kept;
  size_t element = open + 1;
  while (element < close) {
    size_t end = element;
    for (int depth = 0; end < close && !(depth == 0 && IsPunct(t, end, ',')); ++end) {
      if (IsPunct(t, end, '(')) ++depth;
      if (IsPunct(t, end, ')')) --depth;
    }
    size_t from = element;
    std::string name;
    if (Is(t, from, "CONSTRAINT") && IsIdent(t, from + 1)) {
      name = Name(t[from + 1]);
      from += 2;
    }
    if (Is(t, from, "FOREIGN") && Is(t, from + 1, "KEY")) {
      size_t after = from + 2;
      auto columns = ColumnList(t, after, after);
      if (!columns || !Is(t, after, "REFERENCES")) return false;
      auto fk = ParseReferences(t, after + 1);
      if (!fk || fk->end != end) return false;
      if (fk->NeedsAugur()) {
        fk->columns = std::move(*columns);
        fk->name = name.empty() ? DefaultName(table.back(), fk->columns) : name;
        kept.push_back(std::move(*fk));
        // The element and the comma before it (or after it, for the first element).
        if (element > open + 1) {
          cuts.emplace_back(element - 1, end);
        } else {
          cuts.emplace_back(element, end < close ? end + 1 : end);
        }
      }
    } else if (IsIdent(t, element) && !Is(t, element, "CONSTRAINT") && !Is(t, element, "PRIMARY") &&
               !Is(t, element, "UNIQUE") && !Is(t, element, "CHECK") &&
               !Is(t, element, "EXCLUDE") && !Is(t, element, "LIKE")) {
      // A column: its REFERENCES constraint, maybe named.
      int depth = 0;
      for (size_t i = element + 1; i < end; ++i) {
        if (IsPunct(t, i, '(')) ++depth;
        if (IsPunct(t, i, ')')) --depth;
        if (depth != 0 || !Is(t, i, "REFERENCES")) continue;
        auto fk = ParseReferences(t, i + 1);
        if (!fk) return false;
        if (!fk->NeedsAugur()) break;
        size_t cut_from = i;
        std::string constraint;
        if (i >= 2 && Is(t, i - 2, "CONSTRAINT") && IsIdent(t, i - 1)) {
          constraint = Name(t[i - 1]);
          cut_from = i - 2;
        }
        fk->columns = {Name(t[element])};
        fk->name = constraint.empty() ? DefaultName(table.back(), fk->columns) : constraint;
        cuts.emplace_back(cut_from, fk->end);
        kept.push_back(std::move(*fk));
        break;
      }
    }
    element = end + 1;
  }
  if (kept.empty()) return false;
  table_sql.clear();
  size_t copied = 0;
  for (auto [from, to] : cuts) {
    table_sql.append(s.text.substr(copied, Offset(s, from) - copied));
    copied = to < t.size() ? Offset(s, to) : s.text.size();
    table_sql += ' ';
  }
  table_sql.append(s.text.substr(copied));
  records.clear();
  for (auto& fk : kept) records += "; " + Record(table, fk);
  return true;
}

bool AddForeignKeyRecord(const LexedStatement& s, std::string& records) {
  auto& t = s.tokens;
  if (!Is(t, 0, "ALTER") || !Is(t, 1, "TABLE")) return false;
  size_t at = 2;
  if (Is(t, at, "IF") && Is(t, at + 1, "EXISTS")) at += 2;
  if (Is(t, at, "ONLY")) ++at;
  auto table = QualifiedName(t, at);
  if (table.empty() || table.size() > 2 || !Is(t, at, "ADD")) return false;
  ++at;
  std::string name;
  if (Is(t, at, "CONSTRAINT") && IsIdent(t, at + 1)) {
    name = Name(t[at + 1]);
    at += 2;
  }
  if (!Is(t, at, "FOREIGN") || !Is(t, at + 1, "KEY")) return false;
  at += 2;
  auto columns = ColumnList(t, at, at);
  if (!columns || !Is(t, at, "REFERENCES")) return false;
  auto fk = ParseReferences(t, at + 1);
  if (!fk) return false;
  // NOT VALID skips the check of existing rows, as PostgreSQL's does.
  size_t end = fk->end;
  if (Is(t, end, "NOT") && Is(t, end + 1, "VALID")) end += 2;
  if (end != t.size()) return false;
  fk->columns = std::move(*columns);
  fk->name = name.empty() ? DefaultName(table.back(), fk->columns) : name;
  records = Record(table, *fk);
  return true;
}

bool ColumnForeignKeyRecord(const LexedStatement& s, const std::vector<std::string>& table,
                            const std::string& column, size_t references_at, std::string& record,
                            size_t& end) {
  auto fk = ParseReferences(s.tokens, references_at + 1);
  if (!fk || table.empty() || table.size() > 2) return false;
  fk->columns = {column};
  fk->name = DefaultName(table.back(), fk->columns);
  record = Record(table, *fk);
  end = fk->end;
  return true;
}

}  // namespace augur::engine
