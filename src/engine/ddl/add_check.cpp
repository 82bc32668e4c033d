// add_check.cpp: ALTER TABLE ... ADD [CONSTRAINT c] CHECK (...), which DuckDB cannot do to an
// existing table. The table is rebuilt with the constraint in one transaction: its rows are
// copied out, it is dropped and created again from DuckDB's own definition plus the CHECK, the
// rows are copied back (a row violating the CHECK fails the whole statement with 23514, as
// PostgreSQL's validation does, and leaves the table as it was) and its indexes re-created. Its
// sequences and augur's records of it (pg_augur) stay: the table keeps its name and columns.
// DuckDB's foreign keys on the table are handed to augur first (native_foreign_keys.h), since
// DuckDB would refuse to drop a referenced table.
#include "common/sql_quoting.h"
#include "duckdb/main/connection.hpp"
#include "duckdb/main/materialized_query_result.hpp"
#include "duckdb/parser/statement/set_statement.hpp"
#include "engine/ddl/augur_foreign_keys.h"
#include "engine/ddl/native_foreign_keys.h"
#include "engine/pg/error_translate.h"
#include "engine/pg/pg_app_ddl_rewrite.h"
#include "engine/session/session_impl.h"

namespace augur::engine {

std::optional<Result<std::unique_ptr<Cursor>>> SessionImpl::AddCheckConstraint(
    const duckdb::SQLStatement& parsed) {
  if (parsed.type != duckdb::StatementType::SET_STATEMENT) return std::nullopt;
  auto& set = parsed.Cast<duckdb::SetStatement>();
  if (set.name != kAddCheckSetting || set.set_type != duckdb::SetType::SET) return std::nullopt;
  using Answer = std::optional<Result<std::unique_ptr<Cursor>>>;
  // '<schema>\n<table>\nCHECK (...)', as the rewrite wrote it.
  std::string text = parsed.Cast<duckdb::SetVariableStatement>().value->ToString();
  if (text.size() >= 2 && text.front() == '\'') text = text.substr(1, text.size() - 2);
  std::string value;
  for (size_t i = 0; i < text.size(); ++i) {
    value.push_back(text[i]);
    if (text[i] == '\'' && i + 1 < text.size() && text[i + 1] == '\'') ++i;
  }
  size_t first = value.find('\n');
  size_t second = first == std::string::npos ? first : value.find('\n', first + 1);
  if (second == std::string::npos) return std::nullopt;
  std::string schema = value.substr(0, first);
  std::string table = value.substr(first + 1, second - first - 1);
  std::string check = value.substr(second + 1);

  auto definition = connection_.Query(
      "SELECT schema_name, sql FROM duckdb_tables() WHERE table_name = " + QuoteLiteral(table) +
      (schema.empty() ? " AND schema_name = current_schema()"
                      : " AND schema_name = " + QuoteLiteral(schema)));
  if (definition->HasError() || definition->RowCount() != 1) {
    return Answer(
        Error(sqlstate::kUndefinedTable,
              "relation \"" + (schema.empty() ? "" : schema + ".") + table + "\" does not exist"));
  }
  schema = definition->GetValue(0, 0).ToString();
  std::string create = definition->GetValue(1, 0).ToString();
  size_t close = create.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  create.insert(close, ", " + check);
  auto indexes = connection_.Query(
      "SELECT sql FROM duckdb_indexes() WHERE table_name = " + QuoteLiteral(table) +
      " AND schema_name = " + QuoteLiteral(schema) + " AND sql IS NOT NULL");
  if (indexes->HasError()) return Answer(TranslateError(indexes->GetErrorObject(), ""));
  const std::string name = QuoteIdentifier(schema) + "." + QuoteIdentifier(table);
  std::string sql =
      NativeForeignKeyHandover(connection_, schema, table) +
      "CREATE TEMPORARY TABLE augur_rebuild AS SELECT * FROM " + name + "; DROP TABLE " + name +
      "; " + create + " INSERT INTO " + name +
      " OVERRIDING SYSTEM VALUE SELECT * FROM augur_rebuild; DROP TABLE augur_rebuild; ";
  for (size_t row = 0; row < indexes->RowCount(); ++row) {
    sql += indexes->GetValue(0, row).ToString() + " ";
  }
  const bool in_block = state_ == TransactionState::kInBlock;
  Status ran;
  {
    // The DROP TABLE is half of a rebuild: its sequences and pg_augur records stay.
    bool saved_app = in_app_ddl_;
    bool saved_fk = in_foreign_key_ddl_;
    in_app_ddl_ = in_foreign_key_ddl_ = true;
    ran = RunInternal(in_block ? sql : "BEGIN; " + sql + "COMMIT");
    in_app_ddl_ = saved_app;
    in_foreign_key_ddl_ = saved_fk;
  }
  if (!ran) {
    if (!in_block && state_ != TransactionState::kIdle) (void)RunInternal("ROLLBACK");
    if (in_block) state_ = TransactionState::kFailed;
    Error error = std::move(ran).error();
    if (error.sqlstate == sqlstate::kCheckViolation) {
      error.message = "check constraint on relation \"" + table + "\" is violated by some row";
    }
    return Answer(std::move(error));
  }
  NoteAugurForeignKeysCreated(connection_);
  return Answer(std::unique_ptr<Cursor>(std::make_unique<CursorImpl>(*this, "ALTER TABLE")));
}

}  // namespace augur::engine
