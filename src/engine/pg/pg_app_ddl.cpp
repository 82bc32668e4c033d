// pg_app_ddl.cpp: the session's side of application DDL (pg_app_ddl_rewrite.h), where DuckDB's
// storage cannot do what PostgreSQL does directly:
//  - SET augur.ddl = '<tag>\n<statements>': the statements one rewrite made of one, run in one
//    transaction, answered with PostgreSQL's tag for the original statement;
//  - ALTER TABLE on a table with secondary indexes (DuckDB refuses: "an index depends on it"):
//    the indexes are dropped, the table altered and the indexes re-created, as PostgreSQL
//    keeps them (an index on a dropped column goes, a renamed column is renamed in it). DuckDB
//    keeps an index in storage until its drop commits, so this commits the open transaction
//    first (docs/COMPATIBILITY.md);
//  - DROP TABLE: the sequences its serial and identity columns own are dropped with it.
#include <cstring>
#include <string>
#include <vector>

#include "common/sql_quoting.h"
#include "duckdb/main/connection.hpp"
#include "duckdb/parser/parsed_data/alter_table_info.hpp"
#include "duckdb/parser/parsed_data/drop_info.hpp"
#include "duckdb/parser/statement/alter_statement.hpp"
#include "duckdb/parser/statement/drop_statement.hpp"
#include "duckdb/parser/statement/set_statement.hpp"
#include "engine/ddl/augur_foreign_keys.h"
#include "engine/ddl/foreign_key_rewrite.h"
#include "engine/pg/error_translate.h"
#include "engine/pg/pg_app_ddl_rewrite.h"
#include "engine/pg/sql_lexer.h"
#include "engine/pg/sql_tokens.h"
#include "engine/session/session_impl.h"

namespace augur::engine {
namespace {

using Answer = std::optional<Result<std::unique_ptr<Cursor>>>;

// An index's CREATE INDEX text adapted to an ALTER of its table: nullopt when PostgreSQL would
// drop the index with the column.
std::optional<std::string> AdaptIndex(const std::string& sql, const duckdb::AlterTableInfo& alter) {
  auto lexed = Lex(sql);
  if (lexed.empty()) return sql;
  const auto& tokens = lexed[0].tokens;
  std::string out;
  size_t copied = 0;
  bool in_columns = false;
  bool after_on = false;
  for (const Token& token : tokens) {
    const size_t at = static_cast<size_t>(token.text.data() - sql.data());
    bool ident = token.kind == Token::kWord || token.kind == Token::kQuotedIdent;
    if (token.kind == Token::kWord && token.upper == "ON") {
      after_on = true;
      continue;
    }
    if (after_on && ident && alter.alter_table_type == duckdb::AlterTableType::RENAME_TABLE) {
      auto& rename = alter.Cast<duckdb::RenameTableInfo>();
      out.append(sql, copied, at - copied).append(QuoteIdentifier(rename.new_table_name));
      copied = at + token.text.size();
    }
    if (token.kind == Token::kPunct && token.text[0] == '(') {
      in_columns = true;
      after_on = false;
    }
    if (!in_columns || !ident) continue;
    std::string name = IdentifierName(token).value_or("");
    if (alter.alter_table_type == duckdb::AlterTableType::REMOVE_COLUMN &&
        name == alter.Cast<duckdb::RemoveColumnInfo>().removed_column) {
      return std::nullopt;
    }
    if (alter.alter_table_type == duckdb::AlterTableType::RENAME_COLUMN) {
      auto& rename = alter.Cast<duckdb::RenameColumnInfo>();
      if (name == rename.old_name) {
        out.append(sql, copied, at - copied).append(QuoteIdentifier(rename.new_name));
        copied = at + token.text.size();
      }
    }
  }
  out.append(sql, copied);
  return out;
}

// The statement's own text (DuckDB keeps it per statement), without its ';'.
std::string StatementText(const duckdb::SQLStatement& parsed) {
  std::string text = parsed.query;
  while (!text.empty() && (text.back() == ';' || text.back() == ' ' || text.back() == '\n'))
    text.pop_back();
  return text;
}

}  // namespace

// A serial column's sequence whose name is taken gets the name PostgreSQL would choose:
// <table>_<column>_seq1, 2, ... (ChooseRelationName). `sql` is a serial rewrite's statements:
// "CREATE SEQUENCE <name>...; " and "nextval('<name>')" (pg_app_ddl_rewrite.cpp).
std::string SessionImpl::RenameTakenSequences(std::string sql) {
  static constexpr std::string_view kCreate = "SEQUENCE ";
  size_t at = 0;
  while ((at = sql.find(kCreate, at)) != std::string::npos) {
    const bool dropped = at >= 5 && sql.compare(at - 5, 5, "DROP ") == 0;  // multi-object DROP
    at += kCreate.size();
    if (dropped) continue;
    size_t end = sql.find_first_of(" ;", at);
    if (end == std::string::npos) break;
    std::string text = sql.substr(at, end - at);  // [schema.]name, quoted where needed
    std::string name = text.substr(text.rfind('.') == std::string::npos ? 0 : text.rfind('.') + 1);
    const bool quoted = name.size() >= 2 && name.front() == '"';
    if (quoted) name = name.substr(1, name.size() - 2);
    std::string prefix = text.substr(0, text.size() - (quoted ? name.size() + 2 : name.size()));
    auto taken = [&](const std::string& candidate) {
      auto found = connection_.Query(
          "SELECT 1 FROM duckdb_sequences() WHERE sequence_name = " + QuoteLiteral(candidate) +
          " UNION ALL SELECT 1 FROM duckdb_tables() WHERE table_name = " + QuoteLiteral(candidate));
      return !found->HasError() && found->RowCount() > 0;
    };
    if (!taken(name)) continue;
    std::string chosen;
    for (int n = 1; n < 1000 && chosen.empty(); ++n) {
      if (!taken(name + std::to_string(n))) chosen = name + std::to_string(n);
    }
    if (chosen.empty()) continue;
    std::string replacement = prefix + (quoted ? QuoteIdentifier(chosen) : chosen);
    sql.replace(at, text.size(), replacement);
    const std::string old_call = "nextval(" + QuoteLiteral(text) + ")";
    const std::string new_call = "nextval(" + QuoteLiteral(replacement) + ")";
    if (size_t call = sql.find(old_call); call != std::string::npos) {
      sql.replace(call, old_call.size(), new_call);
    }
    at += replacement.size();
  }
  return sql;
}

Status SessionImpl::RunInternal(const std::string& sql) {
  auto statements = Split(sql);
  if (!statements) return std::move(statements).error();
  for (auto& statement : *statements) {
    auto cursor = Execute(*statement);
    if (!cursor) return std::move(cursor).error();
    while (true) {
      auto batch = (*cursor)->Fetch(1024);
      if (!batch) return std::move(batch).error();
      if (batch->rows() == 0) break;
    }
  }
  return {};
}

std::optional<Result<std::unique_ptr<Cursor>>> SessionImpl::HandleApplicationDdl(
    const duckdb::SQLStatement& parsed) {
  struct Guard {
    bool& flag;
    explicit Guard(bool& f) : flag(f) { flag = true; }
    ~Guard() { flag = false; }
  };
  auto fixed = [this](std::string tag) {
    return Answer(std::unique_ptr<Cursor>(std::make_unique<CursorImpl>(*this, std::move(tag))));
  };
  const bool in_block = state_ == TransactionState::kInBlock;
  if (auto answered = ForeignKeyDdl(parsed)) return answered;
  if (auto answered = AddCheckConstraint(parsed)) return answered;
  if (auto answered = MaterializedViewDdl(parsed)) return answered;

  if (parsed.type == duckdb::StatementType::SET_STATEMENT) {
    auto& set = parsed.Cast<duckdb::SetStatement>();
    if (set.name != kAppDdlSetting || set.set_type != duckdb::SetType::SET) return std::nullopt;
    auto& value = *parsed.Cast<duckdb::SetVariableStatement>().value;
    std::string text = value.ToString();
    if (text.size() >= 2 && text.front() == '\'') text = text.substr(1, text.size() - 2);
    std::string unquoted;
    for (size_t i = 0; i < text.size(); ++i) {
      unquoted.push_back(text[i]);
      if (text[i] == '\'' && i + 1 < text.size() && text[i + 1] == '\'') ++i;
    }
    size_t newline = unquoted.find('\n');
    if (newline == std::string::npos) return std::nullopt;
    std::string tag = unquoted.substr(0, newline);
    std::string sql = RenameTakenSequences(unquoted.substr(newline + 1));
    // DuckDB fails to commit a sequence and a table using it created in one transaction when
    // both names were dropped while another transaction was open ("Could not commit creation
    // of dependency"). Outside a block the sequences are created and committed first, and
    // dropped again if the table cannot be created.
    std::vector<std::string> sequences;
    for (size_t at = sql.find("SEQUENCE "); at != std::string::npos;
         at = sql.find("SEQUENCE ", at + 1)) {
      // Only the ones created here (a multi-object DROP SEQUENCE comes this way too).
      if (at >= 5 && sql.compare(at - 5, 5, "DROP ") == 0) continue;
      size_t name = at + std::strlen("SEQUENCE ");
      sequences.push_back(sql.substr(name, sql.find_first_of(" ;", name) - name));
    }
    // A foreign key augur records (foreign_key_rewrite.h): the rows already in the table must
    // hold before the transaction commits.
    const bool records_foreign_key =
        sql.find(std::string("INSERT INTO ") + kAugurForeignKeys) != std::string::npos;
    const bool wrapped = !in_block && sequences.empty();
    if (wrapped) sql = "BEGIN; " + sql + (records_foreign_key ? "" : "; COMMIT");
    Status ran = RunInternal(sql);
    if (ran && sql.find("pg_augur.") != std::string::npos) NoteAugurForeignKeysCreated(connection_);
    if (ran && records_foreign_key) {
      ran = CheckRecordedForeignKeys();
      if (ran && wrapped) ran = RunInternal("COMMIT");
    }
    if (!ran) {
      if (!in_block && state_ != TransactionState::kIdle) (void)RunInternal("ROLLBACK");
      if (!in_block) {
        for (auto& sequence : sequences) (void)RunInternal("DROP SEQUENCE IF EXISTS " + sequence);
      }
      if (in_block) state_ = TransactionState::kFailed;
      return Answer(std::move(ran).error());
    }
    return fixed(tag);
  }

  if (parsed.type == duckdb::StatementType::DROP_STATEMENT) {
    auto& drop = *parsed.Cast<duckdb::DropStatement>().info;
    // Not again for the DROP TABLE this runs itself.
    if (drop.type != duckdb::CatalogType::TABLE_ENTRY || in_app_ddl_) return std::nullopt;
    // The sequences of serial and identity columns, named as those rewrites name them.
    std::string schema = drop.schema.empty() ? "" : drop.schema;
    auto owned = connection_.Query(
        "SELECT column_name, column_default FROM duckdb_columns() WHERE table_name = " +
        QuoteLiteral(drop.name) +
        (schema.empty() ? "" : " AND schema_name = " + QuoteLiteral(schema)) +
        " AND column_default LIKE 'nextval(%'");
    if (owned->HasError() || owned->RowCount() == 0) return std::nullopt;
    std::vector<std::string> sequences;
    for (size_t row = 0; row < owned->RowCount(); ++row) {
      std::string column = owned->GetValue(0, row).ToString();
      std::string def = owned->GetValue(1, row).ToString();
      std::string name = drop.name + "_" + column + "_seq";
      for (char& c : name) c = c == '"' ? '_' : c;
      if (def.find(name) == std::string::npos) continue;
      // The sequence as nextval() names it: "nextval('<name>')", maybe renamed <name>1.
      size_t open = def.find('\'');
      size_t close = def.rfind('\'');
      if (open == std::string::npos || close <= open) continue;
      sequences.push_back(def.substr(open + 1, close - open - 1));
    }
    if (sequences.empty()) return std::nullopt;
    Guard guard(in_app_ddl_);
    std::string sql = in_block ? "" : "BEGIN; ";
    sql += StatementText(parsed);
    for (auto& sequence : sequences) sql += "; DROP SEQUENCE IF EXISTS " + sequence;
    if (!in_block) sql += "; COMMIT";
    if (auto ran = RunInternal(sql); !ran) {
      if (!in_block && state_ != TransactionState::kIdle) (void)RunInternal("ROLLBACK");
      if (in_block) state_ = TransactionState::kFailed;
      return Answer(std::move(ran).error());
    }
    return fixed("DROP TABLE");
  }

  if (parsed.type != duckdb::StatementType::ALTER_STATEMENT) return std::nullopt;
  auto& info = *parsed.Cast<duckdb::AlterStatement>().info;
  if (info.type != duckdb::AlterType::ALTER_TABLE) return std::nullopt;
  auto& alter = info.Cast<duckdb::AlterTableInfo>();
  if (alter.alter_table_type == duckdb::AlterTableType::ALTER_COLUMN_TYPE) {
    // varchar(n) to varchar(m) (Django's max_length changes): DuckDB stores no length, so the
    // column already is what PostgreSQL would make of it; DuckDB would refuse it on a UNIQUE
    // column.
    auto& change = alter.Cast<duckdb::ChangeColumnTypeInfo>();
    if (change.target_type.id() == duckdb::LogicalTypeId::VARCHAR &&
        !change.target_type.HasAlias()) {
      auto current = connection_.Query(
          "SELECT data_type FROM duckdb_columns() WHERE table_name = " + QuoteLiteral(alter.name) +
          (alter.schema.empty() ? "" : " AND schema_name = " + QuoteLiteral(alter.schema)) +
          " AND column_name = " + QuoteLiteral(change.column_name));
      if (!current->HasError() && current->RowCount() == 1 &&
          current->GetValue(0, 0).ToString() == "VARCHAR") {
        return fixed("ALTER TABLE");
      }
    }
  }
  auto indexes = connection_.Query(
      "SELECT index_name, sql, schema_name FROM duckdb_indexes() WHERE table_name = " +
      QuoteLiteral(alter.name) +
      (alter.schema.empty() ? "" : " AND schema_name = " + QuoteLiteral(alter.schema)) +
      " AND sql IS NOT NULL");
  if (indexes->HasError() || indexes->RowCount() == 0) return std::nullopt;
  std::vector<std::string> recreate;
  std::string drops;
  for (size_t row = 0; row < indexes->RowCount(); ++row) {
    std::string name = QuoteIdentifier(indexes->GetValue(2, row).ToString()) + "." +
                       QuoteIdentifier(indexes->GetValue(0, row).ToString());
    drops += "DROP INDEX " + name + "; ";
    if (auto adapted = AdaptIndex(indexes->GetValue(1, row).ToString(), alter)) {
      recreate.push_back(*adapted);
    }
  }
  // DuckDB drops an index from storage only when the drop commits.
  if (in_block) {
    if (auto committed = RunInternal("COMMIT"); !committed)
      return Answer(std::move(committed).error());
  }
  Status status = RunInternal(drops);
  if (status) status = RunInternal(StatementText(parsed));
  for (auto& sql : recreate) {
    if (auto created = RunInternal(sql); !created && status) status = std::move(created);
  }
  if (in_block) (void)RunInternal("BEGIN");
  if (!status) {
    if (in_block) state_ = TransactionState::kFailed;
    return Answer(std::move(status).error());
  }
  return fixed("ALTER TABLE");
}

}  // namespace augur::engine
