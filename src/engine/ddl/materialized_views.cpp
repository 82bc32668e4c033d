// materialized_views.cpp: the session's side of materialized_view_rewrite.h. CREATE makes the
// table from the query and records the query (answered with CREATE TABLE AS's `SELECT n`, as
// PostgreSQL answers); REFRESH deletes the rows and inserts the query's rows again in one
// transaction; DROP drops the table and the record.
#include "common/sql_quoting.h"
#include "duckdb/main/connection.hpp"
#include "duckdb/main/materialized_query_result.hpp"
#include "duckdb/parser/statement/set_statement.hpp"
#include "engine/ddl/augur_foreign_keys.h"
#include "engine/ddl/foreign_key_rewrite.h"
#include "engine/ddl/materialized_view_rewrite.h"
#include "engine/session/session_impl.h"

namespace augur::engine {

std::optional<Result<std::unique_ptr<Cursor>>> SessionImpl::MaterializedViewDdl(
    const duckdb::SQLStatement& parsed) {
  if (parsed.type != duckdb::StatementType::SET_STATEMENT) return std::nullopt;
  auto& set = parsed.Cast<duckdb::SetStatement>();
  if (set.name != kMatviewSetting || set.set_type != duckdb::SetType::SET) return std::nullopt;
  using Answer = std::optional<Result<std::unique_ptr<Cursor>>>;
  std::string text = parsed.Cast<duckdb::SetVariableStatement>().value->ToString();
  if (text.size() >= 2 && text.front() == '\'') text = text.substr(1, text.size() - 2);
  std::string value;
  for (size_t i = 0; i < text.size(); ++i) {
    value.push_back(text[i]);
    if (text[i] == '\'' && i + 1 < text.size() && text[i + 1] == '\'') ++i;
  }
  std::vector<std::string> parts;  // verb, schema, name, flag, query
  size_t from = 0;
  for (int i = 0; i < 4; ++i) {
    size_t newline = value.find('\n', from);
    if (newline == std::string::npos) return std::nullopt;
    parts.push_back(value.substr(from, newline - from));
    from = newline + 1;
  }
  parts.push_back(value.substr(from));
  const std::string& verb = parts[0];
  const std::string& schema = parts[1];
  const std::string& name = parts[2];
  const bool flag = parts[3] == "1";
  const std::string& query = parts[4];
  const std::string qualified =
      (schema.empty() ? "" : QuoteIdentifier(schema) + ".") + QuoteIdentifier(name);
  const std::string schema_value = schema.empty() ? "current_schema()" : QuoteLiteral(schema);
  const std::string where =
      " WHERE name = " + QuoteLiteral(name) + " AND schema_name = " + schema_value;
  const bool in_block = state_ == TransactionState::kInBlock;

  // The recorded query of the view, or nullopt.
  auto recorded = [&]() -> std::optional<std::string> {
    if (!AugurForeignKeysMayExist(connection_)) return std::nullopt;
    auto found = connection_.Query(std::string("SELECT query FROM ") + kAugurMatviews + where);
    if (found->HasError() || found->RowCount() == 0) return std::nullopt;
    return found->GetValue(0, 0).ToString();
  };
  std::string sql;
  std::string tag;
  if (verb == "create") {
    auto exists = connection_.Query(
        "SELECT 1 FROM duckdb_tables() WHERE table_name = " + QuoteLiteral(name) +
        " AND schema_name = " + schema_value + " UNION ALL SELECT 1 FROM duckdb_views() WHERE " +
        "view_name = " + QuoteLiteral(name) + " AND schema_name = " + schema_value);
    if (!exists->HasError() && exists->RowCount() > 0) {
      if (flag)
        return Answer(std::unique_ptr<Cursor>(
            std::make_unique<CursorImpl>(*this, "CREATE MATERIALIZED VIEW")));
      return Answer(Error(sqlstate::kDuplicateTable, "relation \"" + name + "\" already exists"));
    }
    sql = AugurCatalogSetup() + "CREATE TABLE " + qualified + " AS " + query + "; INSERT INTO " +
          kAugurMatviews + " VALUES (" + schema_value + ", " + QuoteLiteral(name) + ", " +
          QuoteLiteral(query) + ")";
  } else if (verb == "refresh" || verb == "drop") {
    auto stored = recorded();
    if (!stored) {
      if (verb == "drop" && flag) {
        return Answer(
            std::unique_ptr<Cursor>(std::make_unique<CursorImpl>(*this, "DROP MATERIALIZED VIEW")));
      }
      return Answer(Error(
          sqlstate::kUndefinedTable,
          (verb == "drop" ? "materialized view \"" : "relation \"") + name + "\" does not exist"));
    }
    if (verb == "refresh") {
      sql = "DELETE FROM " + qualified + "; INSERT INTO " + qualified + " " + *stored;
      tag = "REFRESH MATERIALIZED VIEW";
    } else {
      sql = "DROP TABLE " + qualified + "; DELETE FROM " + kAugurMatviews + where;
      tag = "DROP MATERIALIZED VIEW";
    }
  } else {
    return std::nullopt;
  }
  // Run in one transaction; CREATE answers with its CREATE TABLE AS's tag (SELECT n).
  auto run = [&]() -> Status {
    auto statements = Split((in_block ? "" : "BEGIN; ") + sql + (in_block ? "" : "; COMMIT"));
    if (!statements) return std::move(statements).error();
    for (auto& statement : *statements) {
      auto cursor = Execute(*statement);
      if (!cursor) return std::move(cursor).error();
      while (true) {
        auto batch = (*cursor)->Fetch(1024);
        if (!batch) return std::move(batch).error();
        if (batch->rows() == 0) break;
      }
      if (tag.empty() && (*cursor)->command_tag().rfind("SELECT ", 0) == 0) {
        tag = (*cursor)->command_tag();
      }
    }
    return {};
  };
  if (auto ran = run(); !ran) {
    if (!in_block && state_ != TransactionState::kIdle) (void)RunInternal("ROLLBACK");
    if (in_block) state_ = TransactionState::kFailed;
    return Answer(std::move(ran).error());
  }
  NoteAugurForeignKeysCreated(connection_);
  if (tag.empty()) tag = "SELECT 0";
  return Answer(std::unique_ptr<Cursor>(std::make_unique<CursorImpl>(*this, tag)));
}

}  // namespace augur::engine
