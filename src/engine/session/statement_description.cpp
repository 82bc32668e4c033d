// statement_description.cpp: classifying a statement once (see statement_description.h).
#include "engine/session/statement_description.h"

#include "duckdb/common/string_util.hpp"
#include "duckdb/parser/parsed_data/copy_info.hpp"
#include "duckdb/parser/statement/copy_statement.hpp"
#include "duckdb/parser/statement/delete_statement.hpp"
#include "duckdb/parser/statement/insert_statement.hpp"
#include "duckdb/parser/statement/update_statement.hpp"
#include "duckdb/parser/tableref/basetableref.hpp"
#include "engine/fast_path/constant_select.h"
#include "engine/fast_path/key_lookup.h"
#include "engine/session/session_impl.h"

namespace augur::engine {
namespace {

std::string Lower(std::string_view name) { return duckdb::StringUtil::Lower(std::string(name)); }

// The table a statement's target TableRef names, or "" when it is not a plain table.
std::string TargetName(const duckdb::TableRef* ref) {
  if (ref == nullptr || ref->type != duckdb::TableReferenceType::BASE_TABLE) return "";
  return Lower(ref->Cast<duckdb::BaseTableRef>().table_name);
}

// The one table an INSERT, UPDATE, DELETE or COPY FROM changes; "" for anything else (DDL may
// change any table, and the writer turn then treats every table as written).
std::string WriteTargetOf(const duckdb::SQLStatement& statement) {
  switch (statement.type) {
    case duckdb::StatementType::INSERT_STATEMENT:
      return Lower(statement.Cast<duckdb::InsertStatement>().table);
    case duckdb::StatementType::UPDATE_STATEMENT:
      return TargetName(statement.Cast<duckdb::UpdateStatement>().table.get());
    case duckdb::StatementType::DELETE_STATEMENT:
      return TargetName(statement.Cast<duckdb::DeleteStatement>().table.get());
    case duckdb::StatementType::COPY_STATEMENT: {
      auto& info = *statement.Cast<duckdb::CopyStatement>().info;
      return info.is_from ? Lower(info.table) : "";
    }
    default:
      return "";
  }
}

}  // namespace

StatementDescription Describe(duckdb::ClientContext& context, const duckdb::SQLStatement& statement,
                              std::optional<RowLockClause> row_lock) {
  StatementDescription d;
  d.verb = TransactionVerbOf(statement);
  d.tag = CommandTagFor(statement);
  d.needs_known = statement.type != duckdb::StatementType::EXECUTE_STATEMENT &&
                  statement.type != duckdb::StatementType::MULTI_STATEMENT;
  if (d.needs_known) d.needs = NeedsOf(context, statement);
  d.row_lock = std::move(row_lock);
  d.cursor_command = IsCursorCommand(statement);
  d.show_target = ShowTarget(statement.query);
  auto copy = AnalyzeClientCopy(statement);
  if (!copy) {
    d.client_copy_error = std::move(copy).error();
  } else {
    d.client_copy = std::move(*copy);
  }
  d.write_target = WriteTargetOf(statement);
  d.changes_schema = statement.type == duckdb::StatementType::CREATE_STATEMENT ||
                     statement.type == duckdb::StatementType::DROP_STATEMENT;
  // FOR UPDATE takes the writer turn and locks: the planner path does that.
  if (!d.row_lock) {
    if (auto shape = fast_path::RecognizeKeyLookup(statement)) {
      d.key_lookup = std::make_shared<fast_path::KeyLookup>(std::move(*shape));
    }
    if (auto constant = fast_path::RecognizeConstantSelect(statement)) {
      d.constant_select = std::make_shared<const fast_path::ConstantSelect>(std::move(*constant));
    }
  }
  return d;
}

}  // namespace augur::engine
