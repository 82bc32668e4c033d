// foreign_key_session.cpp: the session's side of the foreign keys augur enforces
// (augur_foreign_keys.h): where an INSERT, UPDATE or DELETE touches a table they involve, the
// statement runs in a transaction (its own when the client has none open), their actions and
// checks follow, and a failure undoes it all; deferred checks run at COMMIT. DROP TABLE and
// ALTER TABLE keep pg_augur.foreign_keys in step with the tables.
#include "common/sql_quoting.h"
#include "duckdb/parser/parsed_data/alter_table_info.hpp"
#include "duckdb/parser/parsed_data/drop_info.hpp"
#include "duckdb/parser/statement/alter_statement.hpp"
#include "duckdb/parser/statement/copy_statement.hpp"
#include "duckdb/parser/statement/delete_statement.hpp"
#include "duckdb/parser/statement/drop_statement.hpp"
#include "duckdb/parser/statement/insert_statement.hpp"
#include "duckdb/parser/statement/update_statement.hpp"
#include "duckdb/parser/tableref/basetableref.hpp"
#include "engine/ddl/augur_foreign_keys.h"
#include "engine/ddl/foreign_key_rewrite.h"
#include "engine/ddl/identity_always.h"
#include "engine/ddl/native_foreign_keys.h"
#include "engine/pg/sql_lexer.h"
#include "engine/pg/sql_tokens.h"
#include "engine/session/session_impl.h"

namespace augur::engine {
namespace {

using Answer = std::optional<Result<std::unique_ptr<Cursor>>>;

struct FlagGuard {
  bool& flag;
  explicit FlagGuard(bool& f) : flag(f) { flag = true; }
  ~FlagGuard() { flag = false; }
};

// What an INSERT, UPDATE or DELETE changes first; nullopt for other statements.
std::optional<TableChange> FirstChange(const duckdb::SQLStatement& parsed) {
  auto base = [](const duckdb::TableRef* ref) -> const duckdb::BaseTableRef* {
    if (!ref || ref->type != duckdb::TableReferenceType::BASE_TABLE) return nullptr;
    return &ref->Cast<duckdb::BaseTableRef>();
  };
  switch (parsed.type) {
    case duckdb::StatementType::INSERT_STATEMENT: {
      auto& insert = parsed.Cast<duckdb::InsertStatement>();
      TableChange change{TableChange::kInserted, insert.schema, insert.table, {}};
      return change;
    }
    case duckdb::StatementType::UPDATE_STATEMENT: {
      auto& update = parsed.Cast<duckdb::UpdateStatement>();
      auto* table = base(update.table.get());
      if (!table) return std::nullopt;
      return TableChange{TableChange::kUpdated, table->schema_name, table->table_name,
                         update.set_info ? update.set_info->columns : std::vector<std::string>{}};
    }
    case duckdb::StatementType::DELETE_STATEMENT: {
      auto* table = base(parsed.Cast<duckdb::DeleteStatement>().table.get());
      if (!table) return std::nullopt;
      return TableChange{TableChange::kDeleted, table->schema_name, table->table_name, {}};
    }
    case duckdb::StatementType::COPY_STATEMENT: {
      auto& info = *parsed.Cast<duckdb::CopyStatement>().info;
      if (!info.is_from || info.table.empty()) return std::nullopt;
      return TableChange{TableChange::kInserted, info.schema, info.table, {}};
    }
    default:
      return std::nullopt;
  }
}

bool StartsWithWord(const std::string& text, std::string_view word) {
  size_t at = text.find_first_not_of(" \t\r\n(");
  if (at == std::string::npos || text.size() - at < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(text[at + i])) != word[i]) return false;
  }
  return true;
}

// What DROP TABLE or ALTER TABLE `parsed` changes in pg_augur.identity_always.
std::string IdentityRecordUpdates(duckdb::Connection& connection,
                                  const duckdb::SQLStatement& parsed) {
  std::string schema, table;
  if (parsed.type == duckdb::StatementType::DROP_STATEMENT) {
    auto& drop = *parsed.Cast<duckdb::DropStatement>().info;
    if (drop.type != duckdb::CatalogType::TABLE_ENTRY) return "";
    schema = drop.schema;
    table = drop.name;
  } else {
    auto& info = *parsed.Cast<duckdb::AlterStatement>().info;
    if (info.type != duckdb::AlterType::ALTER_TABLE) return "";
    schema = info.schema;
    table = info.name;
  }
  auto columns = IdentityAlwaysColumns(connection, schema, table);
  if (columns.empty()) return "";
  std::string where =
      " WHERE lower(table_name) = lower(" + QuoteLiteral(table) + ")" +
      (schema.empty() ? "" : " AND lower(table_schema) = lower(" + QuoteLiteral(schema) + ")");
  const std::string target = kAugurIdentityAlways;
  if (parsed.type == duckdb::StatementType::DROP_STATEMENT) {
    return "DELETE FROM " + target + where + "; ";
  }
  auto& alter = parsed.Cast<duckdb::AlterStatement>().info->Cast<duckdb::AlterTableInfo>();
  switch (alter.alter_table_type) {
    case duckdb::AlterTableType::RENAME_TABLE:
      return "UPDATE " + target + " SET table_name = " +
             QuoteLiteral(alter.Cast<duckdb::RenameTableInfo>().new_table_name) + where + "; ";
    case duckdb::AlterTableType::RENAME_COLUMN: {
      auto& rename = alter.Cast<duckdb::RenameColumnInfo>();
      return "UPDATE " + target + " SET column_name = " + QuoteLiteral(rename.new_name) + where +
             " AND column_name = " + QuoteLiteral(rename.old_name) + "; ";
    }
    case duckdb::AlterTableType::REMOVE_COLUMN:
      return "DELETE FROM " + target + where + " AND column_name = " +
             QuoteLiteral(alter.Cast<duckdb::RemoveColumnInfo>().removed_column) + "; ";
    default:
      return "";
  }
}

}  // namespace

Result<std::unique_ptr<Cursor>> SessionImpl::RunWithForeignKeys(const Execution& run,
                                                                bool may_write) {
  const TransactionVerb verb = run.description.verb;
  if (verb == TransactionVerb::kRollback || verb == TransactionVerb::kBegin) {
    pending_foreign_keys_.clear();
  }
  if (verb == TransactionVerb::kCommit && !pending_foreign_keys_.empty()) {
    auto pending = std::move(pending_foreign_keys_);
    pending_foreign_keys_.clear();
    if (state_ == TransactionState::kInBlock) {
      Status checked =
          CheckPendingForeignKeys(connection_, LoadAugurForeignKeys(connection_), pending);
      if (!checked) {
        (void)RunInternal("ROLLBACK");  // PostgreSQL's failed COMMIT rolls back
        OnStatementError();
        return std::move(checked).error();
      }
    }
  }
  auto change = may_write ? FirstChange(run.parsed) : std::nullopt;
  if (!change || !AugurForeignKeysMayExist(connection_)) return RunInEngine(run, may_write);
  if (auto allowed = CheckIdentityAlways(connection_, run.parsed); !allowed) {
    OnStatementError();
    return std::move(allowed).error();
  }
  auto keys = LoadAugurForeignKeys(connection_);
  bool involved = false;
  bool referenced_by_other = false;
  for (auto& fk : keys) {
    const bool child = SameTable(change->schema, change->table, fk.child_schema, fk.child_table);
    const bool parent = SameTable(change->schema, change->table, fk.parent_schema, fk.parent_table);
    involved |= child || parent;
    referenced_by_other |= parent && !child;
  }
  if (!involved) return RunInEngine(run, may_write);
  if (change->kind == TableChange::kDeleted && referenced_by_other &&
      StartsWithWord(run.parsed.query, "TRUNCATE")) {
    OnStatementError();
    return Error(sqlstate::kFeatureNotSupported,
                 "cannot truncate a table referenced in a foreign key constraint")
        .WithHint("Truncate the referencing tables at the same time: delete from them first.");
  }
  if (change->kind == TableChange::kInserted) {
    auto& insert = run.parsed.Cast<duckdb::InsertStatement>();
    // INSERT ... ON CONFLICT DO UPDATE may change a referenced key too.
    if (insert.on_conflict_info && insert.on_conflict_info->set_info) {
      change->columns = insert.on_conflict_info->set_info->columns;
    }
  }
  const bool own_transaction = state_ == TransactionState::kIdle;
  if (own_transaction) {
    if (auto begun = RunInternal("BEGIN"); !begun) return std::move(begun).error();
  }
  // The rows must be read before the actions run on the same connection.
  Execution materialized = run;
  materialized.stream = false;
  auto cursor = RunInEngine(materialized, may_write);
  auto fail = [&](Error error) -> Result<std::unique_ptr<Cursor>> {
    if (own_transaction && state_ != TransactionState::kIdle) (void)RunInternal("ROLLBACK");
    OnStatementError();
    return error;
  };
  if (!cursor) return fail(std::move(cursor).error());
  std::map<std::string, bool>& pending = pending_foreign_keys_;
  Status acted = ApplyForeignKeyActions(connection_, keys, *change, pending);
  if (acted && !change->columns.empty() && change->kind == TableChange::kInserted) {
    TableChange updated{TableChange::kUpdated, change->schema, change->table, change->columns};
    acted = ApplyForeignKeyActions(connection_, keys, updated, pending);
  }
  if (!acted) return fail(std::move(acted).error());
  if (own_transaction) {
    if (!pending.empty()) {
      auto deferred = std::move(pending);
      pending.clear();
      if (auto checked = CheckPendingForeignKeys(connection_, keys, deferred); !checked) {
        return fail(std::move(checked).error());
      }
    }
    if (auto committed = RunInternal("COMMIT"); !committed) {
      return fail(std::move(committed).error());
    }
  }
  return cursor;
}

Status SessionImpl::CheckForeignKeysAfterCopy(const std::string& quoted_table) {
  auto lexed = Lex(quoted_table);
  if (lexed.empty()) return {};
  std::vector<std::string> parts;
  for (auto& token : lexed[0].tokens) {
    if (auto name = IdentifierName(token)) parts.push_back(*name);
  }
  if (parts.empty()) return {};
  TableChange change{
      TableChange::kInserted, parts.size() > 1 ? parts[parts.size() - 2] : "", parts.back(), {}};
  auto keys = LoadAugurForeignKeys(connection_);
  std::map<std::string, bool> pending;
  if (auto checked = ApplyForeignKeyActions(connection_, keys, change, pending); !checked) {
    return checked;
  }
  if (state_ == TransactionState::kInBlock) {
    pending_foreign_keys_.insert(pending.begin(), pending.end());
    return {};
  }
  return CheckPendingForeignKeys(connection_, keys, pending);
}

Status SessionImpl::CheckRecordedForeignKeys() {
  NoteAugurForeignKeysCreated(connection_);
  auto keys = LoadAugurForeignKeys(connection_);
  for (auto& fk : keys) {
    if (auto checked = CheckForeignKeysOf(connection_, keys, fk.child_schema, fk.child_table);
        !checked) {
      return checked;
    }
  }
  return {};
}

std::optional<Result<std::unique_ptr<Cursor>>> SessionImpl::ForeignKeyDdl(
    const duckdb::SQLStatement& parsed) {
  if (in_foreign_key_ddl_) return std::nullopt;
  if (parsed.type != duckdb::StatementType::DROP_STATEMENT &&
      parsed.type != duckdb::StatementType::ALTER_STATEMENT) {
    return std::nullopt;
  }
  if (parsed.type == duckdb::StatementType::ALTER_STATEMENT) {
    auto& info = *parsed.Cast<duckdb::AlterStatement>().info;
    if (info.type == duckdb::AlterType::ALTER_TABLE) {
      // DuckDB's own foreign keys on the table would make DuckDB refuse the ALTER.
      std::string handover = NativeForeignKeyHandover(connection_, info.schema, info.name);
      if (!handover.empty()) {
        const bool in_block = state_ == TransactionState::kInBlock;
        Status handed;
        {
          FlagGuard own(in_foreign_key_ddl_);
          FlagGuard no_sequence_drops(in_app_ddl_);  // the tables are re-created, not dropped
          handed = RunInternal(in_block ? handover : "BEGIN; " + handover + "COMMIT");
        }
        if (!handed) {
          if (!in_block && state_ != TransactionState::kIdle) (void)RunInternal("ROLLBACK");
          if (in_block) state_ = TransactionState::kFailed;
          return Answer(std::move(handed).error());
        }
        NoteAugurForeignKeysCreated(connection_);
      }
    }
  }
  if (!AugurForeignKeysMayExist(connection_)) return std::nullopt;
  auto keys = LoadAugurForeignKeys(connection_);
  auto where = [](const std::string& side, const AugurForeignKey& fk) {
    const bool child = side == "child";
    return std::string(" WHERE ") + side +
           "_schema = " + QuoteLiteral(child ? fk.child_schema : fk.parent_schema) + " AND " +
           side + "_table = " + QuoteLiteral(child ? fk.child_table : fk.parent_table);
  };
  auto dependent = [](const std::string& what, const AugurForeignKey& fk) {
    return Error("2BP01", "cannot drop " + what + " because other objects depend on it")
        .WithDetail("constraint " + fk.name + " on table " + fk.child_table + " depends on " + what)
        .WithHint("Use DROP ... CASCADE to drop the dependent objects too.");
  };
  std::string updates;
  if (parsed.type == duckdb::StatementType::DROP_STATEMENT) {
    auto& drop = *parsed.Cast<duckdb::DropStatement>().info;
    if (drop.type != duckdb::CatalogType::TABLE_ENTRY) return std::nullopt;
    for (auto& fk : keys) {
      const bool child = SameTable(drop.schema, drop.name, fk.child_schema, fk.child_table);
      const bool parent = SameTable(drop.schema, drop.name, fk.parent_schema, fk.parent_table);
      if (parent && !child && !drop.cascade) {
        return Answer(dependent("table " + fk.parent_table, fk));
      }
      if (child)
        updates += std::string("DELETE FROM ") + kAugurForeignKeys + where("child", fk) +
                   " AND name = " + QuoteLiteral(fk.name) + "; ";
      if (parent && !child)
        updates += std::string("DELETE FROM ") + kAugurForeignKeys + where("parent", fk) + "; ";
    }
  } else {
    auto& info = *parsed.Cast<duckdb::AlterStatement>().info;
    if (info.type != duckdb::AlterType::ALTER_TABLE) return std::nullopt;
    auto& alter = info.Cast<duckdb::AlterTableInfo>();
    for (auto& fk : keys) {
      const bool child = SameTable(alter.schema, alter.name, fk.child_schema, fk.child_table);
      const bool parent = SameTable(alter.schema, alter.name, fk.parent_schema, fk.parent_table);
      if (!child && !parent) continue;
      auto set = [&](const std::string& side, const std::string& assignment) {
        updates += std::string("UPDATE ") + kAugurForeignKeys + " SET " + assignment +
                   where(side, fk) + "; ";
      };
      switch (alter.alter_table_type) {
        case duckdb::AlterTableType::RENAME_TABLE: {
          auto& rename = alter.Cast<duckdb::RenameTableInfo>();
          if (child) set("child", "child_table = " + QuoteLiteral(rename.new_table_name));
          if (parent) set("parent", "parent_table = " + QuoteLiteral(rename.new_table_name));
          break;
        }
        case duckdb::AlterTableType::RENAME_COLUMN: {
          auto& rename = alter.Cast<duckdb::RenameColumnInfo>();
          auto replace = [&](const std::string& list) {
            return list + " = list_transform(" + list +
                   ", c -> CASE WHEN c = " + QuoteLiteral(rename.old_name) + " THEN " +
                   QuoteLiteral(rename.new_name) + " ELSE c END)";
          };
          if (child) set("child", replace("child_columns"));
          if (parent) set("parent", replace("parent_columns"));
          break;
        }
        case duckdb::AlterTableType::REMOVE_COLUMN: {
          auto& remove = alter.Cast<duckdb::RemoveColumnInfo>();
          auto uses = [&](const std::vector<std::string>& columns) {
            for (auto& c : columns)
              if (c == remove.removed_column) return true;
            return false;
          };
          if (parent && uses(fk.parent_columns) && !(child && uses(fk.child_columns)) &&
              !remove.cascade) {
            return Answer(
                dependent("column " + remove.removed_column + " of table " + fk.parent_table, fk));
          }
          if ((child && uses(fk.child_columns)) || (parent && uses(fk.parent_columns))) {
            updates += std::string("DELETE FROM ") + kAugurForeignKeys +
                       " WHERE name = " + QuoteLiteral(fk.name) +
                       " AND child_table = " + QuoteLiteral(fk.child_table) + "; ";
          }
          break;
        }
        default:
          break;
      }
    }
  }
  updates += IdentityRecordUpdates(connection_, parsed);
  if (updates.empty()) return std::nullopt;
  const bool in_block = state_ == TransactionState::kInBlock;
  FlagGuard guard(in_foreign_key_ddl_);
  std::string statement = parsed.query;
  while (!statement.empty() &&
         (statement.back() == ';' || std::isspace(static_cast<unsigned char>(statement.back())))) {
    statement.pop_back();
  }
  std::string sql =
      (in_block ? "" : "BEGIN; ") + updates + statement + (in_block ? "" : "; COMMIT");
  if (auto ran = RunInternal(sql); !ran) {
    if (!in_block && state_ != TransactionState::kIdle) (void)RunInternal("ROLLBACK");
    if (in_block) state_ = TransactionState::kFailed;
    return Answer(std::move(ran).error());
  }
  std::string tag =
      parsed.type == duckdb::StatementType::DROP_STATEMENT ? "DROP TABLE" : "ALTER TABLE";
  return Answer(std::unique_ptr<Cursor>(std::make_unique<CursorImpl>(*this, tag)));
}

}  // namespace augur::engine
