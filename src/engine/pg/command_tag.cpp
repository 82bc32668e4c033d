// command_tag.cpp: the tags follow PostgreSQL's src/backend/tcop/cmdtaglist.h. psql prints
// them, drivers parse the row counts out of them (rowcount, executeUpdate), and ORMs check
// INSERT's "0 n" shape, so they must match byte for byte.
#include "engine/pg/command_tag.h"

#include <cctype>

#include "duckdb/parser/parsed_data/alter_info.hpp"
#include "duckdb/parser/parsed_data/create_table_info.hpp"
#include "duckdb/parser/parsed_data/drop_info.hpp"
#include "duckdb/parser/parsed_data/transaction_info.hpp"
#include "duckdb/parser/statement/alter_statement.hpp"
#include "duckdb/parser/statement/create_statement.hpp"
#include "duckdb/parser/statement/drop_statement.hpp"
#include "duckdb/parser/statement/set_statement.hpp"
#include "duckdb/parser/statement/transaction_statement.hpp"
#include "engine/auth/role_statements.h"

namespace augur::engine {
namespace {

using duckdb::CatalogType;
using duckdb::StatementType;

// "TABLE", "VIEW", ... as the object word in CREATE/DROP/ALTER tags.
std::string ObjectWord(CatalogType type) {
  switch (type) {
    case CatalogType::TABLE_ENTRY:
      return "TABLE";
    case CatalogType::VIEW_ENTRY:
      return "VIEW";
    case CatalogType::SCHEMA_ENTRY:
      return "SCHEMA";
    case CatalogType::INDEX_ENTRY:
      return "INDEX";
    case CatalogType::SEQUENCE_ENTRY:
      return "SEQUENCE";
    case CatalogType::TYPE_ENTRY:
      return "TYPE";
    case CatalogType::MACRO_ENTRY:
    case CatalogType::TABLE_MACRO_ENTRY:
    case CatalogType::SCALAR_FUNCTION_ENTRY:
    case CatalogType::TABLE_FUNCTION_ENTRY:
      return "FUNCTION";
    case CatalogType::DATABASE_ENTRY:
      return "DATABASE";
    case CatalogType::SECRET_ENTRY:
      return "SECRET";
    default:
      return "OBJECT";
  }
}

CommandTag Fixed(std::string text) { return CommandTag{std::move(text), false}; }
CommandTag Counting(std::string prefix) { return CommandTag{std::move(prefix), true}; }

}  // namespace

// The first `n` words of `text`, upper case, separated by one space.
std::string LeadingWords(std::string_view text, int n) {
  std::string out;
  size_t i = 0;
  for (int w = 0; w < n; ++w) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i >= text.size() || !std::isalpha(static_cast<unsigned char>(text[i]))) break;
    if (w > 0) out += ' ';
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) {
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(text[i++])));
    }
  }
  return out;
}

CommandTag CommandTagFor(const duckdb::SQLStatement& statement) {
  // Statements DuckDB parses as something else than PostgreSQL does: CHECKPOINT is a CALL of a
  // table function there (CursorImpl drops its row: PostgreSQL sends none), TRUNCATE a DELETE.
  std::string words = LeadingWords(statement.query, 2);
  if (words == "CHECKPOINT" || words == "FORCE CHECKPOINT") return Fixed("CHECKPOINT");
  if (words.starts_with("TRUNCATE")) return Fixed("TRUNCATE TABLE");
  if (words == "START TRANSACTION") return Fixed("START TRANSACTION");
  if (words.starts_with("ANALYZE")) return Fixed("ANALYZE");  // a VACUUM statement in DuckDB
  switch (statement.type) {
    case StatementType::SELECT_STATEMENT:
    case StatementType::RELATION_STATEMENT:
    case StatementType::LOGICAL_PLAN_STATEMENT:
    case StatementType::PRAGMA_STATEMENT:
    case StatementType::CALL_STATEMENT:
      return Counting("SELECT");
    case StatementType::INSERT_STATEMENT:
      return Counting("INSERT 0");  // the 0 is the oid PostgreSQL no longer assigns
    case StatementType::UPDATE_STATEMENT:
      return Counting("UPDATE");
    case StatementType::DELETE_STATEMENT:
      return Counting("DELETE");
    case StatementType::MERGE_INTO_STATEMENT:
      return Counting("MERGE");
    case StatementType::COPY_STATEMENT:
    case StatementType::COPY_DATABASE_STATEMENT:
      return Counting("COPY");
    case StatementType::CREATE_STATEMENT: {
      auto& info = *statement.Cast<duckdb::CreateStatement>().info;
      if (info.type == CatalogType::TABLE_ENTRY &&
          info.Cast<duckdb::CreateTableInfo>().query != nullptr) {
        return Counting("SELECT");  // CREATE TABLE AS reports the rows it wrote
      }
      return Fixed("CREATE " + ObjectWord(info.type));
    }
    case StatementType::CREATE_FUNC_STATEMENT:
      return Fixed("CREATE FUNCTION");
    case StatementType::DROP_STATEMENT:
      return Fixed("DROP " + ObjectWord(statement.Cast<duckdb::DropStatement>().info->type));
    case StatementType::ALTER_STATEMENT:
      // COMMENT ON is an ALTER in DuckDB.
      if (auto type = statement.Cast<duckdb::AlterStatement>().info->type;
          type == duckdb::AlterType::SET_COMMENT || type == duckdb::AlterType::SET_COLUMN_COMMENT) {
        return Fixed("COMMENT");
      }
      return Fixed("ALTER " +
                   ObjectWord(statement.Cast<duckdb::AlterStatement>().info->GetCatalogType()));
    case StatementType::TRANSACTION_STATEMENT:
      switch (TransactionVerbOf(statement)) {
        case TransactionVerb::kBegin:
          return Fixed("BEGIN");
        case TransactionVerb::kCommit:
          return Fixed("COMMIT");
        default:
          return Fixed("ROLLBACK");
      }
    case StatementType::SET_STATEMENT:
    case StatementType::VARIABLE_SET_STATEMENT:
      return Fixed(statement.Cast<duckdb::SetStatement>().set_type == duckdb::SetType::RESET
                       ? "RESET"
                       : "SET");
    case StatementType::EXPLAIN_STATEMENT:
      return Fixed("EXPLAIN");
    case StatementType::PREPARE_STATEMENT:
      return Fixed("PREPARE");
    case StatementType::EXECUTE_STATEMENT:
      return Counting("SELECT");
    case StatementType::ANALYZE_STATEMENT:
      return Fixed("ANALYZE");
    case StatementType::VACUUM_STATEMENT:
      return Fixed("VACUUM");
    case StatementType::EXPORT_STATEMENT:
      return Fixed("EXPORT DATABASE");
    case StatementType::LOAD_STATEMENT:
      return Fixed("LOAD");
    case StatementType::ATTACH_STATEMENT:
      return Fixed("ATTACH");
    case StatementType::DETACH_STATEMENT:
      return Fixed("DETACH");
    case StatementType::EXTENSION_STATEMENT:
      return Fixed(RoleCommandTag(statement).value_or("OK"));
    default:
      return Fixed("OK");
  }
}

TransactionVerb TransactionVerbOf(const duckdb::SQLStatement& statement) {
  if (statement.type != StatementType::TRANSACTION_STATEMENT) return TransactionVerb::kNone;
  switch (statement.Cast<duckdb::TransactionStatement>().info->type) {
    case duckdb::TransactionType::BEGIN_TRANSACTION:
      return TransactionVerb::kBegin;
    case duckdb::TransactionType::COMMIT:
      return TransactionVerb::kCommit;
    case duckdb::TransactionType::ROLLBACK:
      return TransactionVerb::kRollback;
    default:
      return TransactionVerb::kNone;
  }
}

}  // namespace augur::engine
