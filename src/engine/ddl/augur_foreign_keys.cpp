// augur_foreign_keys.cpp: loading pg_augur.foreign_keys and carrying out its actions
// (augur_foreign_keys.h).
#include "engine/ddl/augur_foreign_keys.h"

#include <algorithm>
#include <atomic>
#include <deque>
#include <optional>

#include "common/sql_quoting.h"
#include "duckdb/main/connection.hpp"
#include "duckdb/main/materialized_query_result.hpp"
#include "duckdb/storage/object_cache.hpp"
#include "engine/ddl/foreign_key_rewrite.h"
#include "engine/pg/error_translate.h"

namespace augur::engine {
namespace {

// Whether this database may hold augur's records (pg_augur.*), kept with the database in
// DuckDB's object cache rather than in a process-wide variable: a process may open several
// databases, and one without records must not hide another's. 0: not looked yet, 1: absent,
// 2: may exist; it only ever moves to 2 once it might exist.
struct CatalogState : duckdb::ObjectCacheEntry {
  static std::string ObjectType() { return "augur_pg_augur_catalog_state"; }
  std::string GetObjectType() override { return ObjectType(); }
  std::atomic<int> state{0};
};

std::atomic<int>& StateOf(duckdb::Connection& connection) {
  auto entry = duckdb::ObjectCache::GetObjectCache(*connection.context)
                   .GetOrCreate<CatalogState>(CatalogState::ObjectType());
  return entry->state;  // the cache keeps the entry for the database's lifetime
}

bool EqualsNoCase(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string Table(const std::string& schema, const std::string& table) {
  return QuoteIdentifier(schema) + "." + QuoteIdentifier(table);
}

// The child rows of `fk` (as augur_child) whose key is complete and matches no parent row.
std::string OrphanCondition(const AugurForeignKey& fk) {
  std::string present;
  std::string match;
  for (size_t i = 0; i < fk.child_columns.size() && i < fk.parent_columns.size(); ++i) {
    std::string child = "augur_child." + QuoteIdentifier(fk.child_columns[i]);
    present += child + " IS NOT NULL AND ";
    match += std::string(i ? " AND " : "") + "augur_parent." +
             QuoteIdentifier(fk.parent_columns[i]) + " = " + child;
  }
  return present + "NOT EXISTS (SELECT 1 FROM " + Table(fk.parent_schema, fk.parent_table) +
         " AS augur_parent WHERE " + match + ")";
}

std::string ColumnNames(const std::vector<std::string>& columns) {
  std::string out;
  for (size_t i = 0; i < columns.size(); ++i) out += (i ? ", " : "") + columns[i];
  return out;
}

Result<std::unique_ptr<duckdb::MaterializedQueryResult>> Run(duckdb::Connection& connection,
                                                             const std::string& sql) {
  auto result = connection.Query(sql);
  if (result->HasError()) return TranslateError(result->GetErrorObject(), sql);
  return result;
}

// The first orphan's key as PostgreSQL's detail prints it: "(a, b)=(1, 2)"; nullopt when the
// foreign key holds.
Result<std::optional<std::string>> FirstOrphan(duckdb::Connection& connection,
                                               const AugurForeignKey& fk,
                                               const std::vector<std::string>& print_columns) {
  std::string select;
  for (size_t i = 0; i < fk.child_columns.size(); ++i) {
    select += std::string(i ? ", " : "") + "augur_child." + QuoteIdentifier(fk.child_columns[i]) +
              "::VARCHAR";
  }
  auto found =
      Run(connection, "SELECT " + select + " FROM " + Table(fk.child_schema, fk.child_table) +
                          " AS augur_child WHERE " + OrphanCondition(fk) + " LIMIT 1");
  if (!found) return std::move(found).error();
  if ((*found)->RowCount() == 0) return std::optional<std::string>();
  std::string values;
  for (size_t i = 0; i < fk.child_columns.size(); ++i) {
    values += std::string(i ? ", " : "") + (*found)->GetValue(i, 0).ToString();
  }
  return std::optional<std::string>("(" + ColumnNames(print_columns) + ")=(" + values + ")");
}

// The child side: every complete key of the child has a parent row.
Status CheckChild(duckdb::Connection& connection, const AugurForeignKey& fk) {
  auto orphan = FirstOrphan(connection, fk, fk.child_columns);
  if (!orphan) return std::move(orphan).error();
  if (!*orphan) return {};
  return Error(sqlstate::kForeignKeyViolation, "insert or update on table \"" + fk.child_table +
                                                   "\" violates foreign key constraint \"" +
                                                   fk.name + "\"")
      .WithDetail("Key " + **orphan + " is not present in table \"" + fk.parent_table + "\".");
}

// The parent side of NO ACTION / RESTRICT: no child row lost its parent.
Status CheckParent(duckdb::Connection& connection, const AugurForeignKey& fk) {
  auto orphan = FirstOrphan(connection, fk, fk.parent_columns);
  if (!orphan) return std::move(orphan).error();
  if (!*orphan) return {};
  return Error(sqlstate::kForeignKeyViolation, "update or delete on table \"" + fk.parent_table +
                                                   "\" violates foreign key constraint \"" +
                                                   fk.name + "\" on table \"" + fk.child_table +
                                                   "\"")
      .WithDetail("Key " + **orphan + " is still referenced from table \"" + fk.child_table +
                  "\".");
}

bool Touches(const std::vector<std::string>& set, const std::vector<std::string>& columns) {
  for (auto& a : set)
    for (auto& b : columns)
      if (EqualsNoCase(a, b)) return true;
  return false;
}

}  // namespace

bool AugurForeignKeysMayExist(duckdb::Connection& connection) {
  std::atomic<int>& catalog_state = StateOf(connection);
  int state = catalog_state.load();
  if (state == 0) {
    // Any of augur's record tables counts, not only foreign_keys (identity ALWAYS columns and
    // the rest are checked on the same path).
    auto found =
        connection.Query("SELECT 1 FROM duckdb_tables() WHERE schema_name = 'pg_augur' LIMIT 1");
    state = !found->HasError() && found->RowCount() > 0 ? 2 : 1;
    int expected = 0;
    if (!catalog_state.compare_exchange_strong(expected, state)) state = expected;
  }
  return state == 2;
}

void NoteAugurForeignKeysCreated(duckdb::Connection& connection) { StateOf(connection).store(2); }

bool SameTable(const std::string& schema, const std::string& table, const std::string& a_schema,
               const std::string& a_table) {
  return EqualsNoCase(table, a_table) && (schema.empty() || EqualsNoCase(schema, a_schema));
}

std::vector<AugurForeignKey> LoadAugurForeignKeys(duckdb::Connection& connection) {
  std::vector<AugurForeignKey> keys;
  auto result = connection.Query(
      std::string("SELECT name, child_schema, child_table, child_columns, parent_schema, "
                  "parent_table, parent_columns, on_delete, on_update, deferred FROM ") +
      kAugurForeignKeys);
  if (result->HasError()) return keys;
  auto list = [](const duckdb::Value& value) {
    std::vector<std::string> out;
    if (value.IsNull()) return out;
    for (auto& item : duckdb::ListValue::GetChildren(value)) out.push_back(item.ToString());
    return out;
  };
  for (size_t row = 0; row < result->RowCount(); ++row) {
    AugurForeignKey fk;
    fk.name = result->GetValue(0, row).ToString();
    fk.child_schema = result->GetValue(1, row).ToString();
    fk.child_table = result->GetValue(2, row).ToString();
    fk.child_columns = list(result->GetValue(3, row));
    fk.parent_schema = result->GetValue(4, row).ToString();
    fk.parent_table = result->GetValue(5, row).ToString();
    fk.parent_columns = list(result->GetValue(6, row));
    fk.on_delete = result->GetValue(7, row).ToString();
    fk.on_update = result->GetValue(8, row).ToString();
    fk.deferred = result->GetValue(9, row).GetValue<bool>();
    keys.push_back(std::move(fk));
  }
  return keys;
}

Status ApplyForeignKeyActions(duckdb::Connection& connection,
                              const std::vector<AugurForeignKey>& keys, TableChange first,
                              std::map<std::string, bool>& pending) {
  std::deque<TableChange> work{std::move(first)};
  // Each round acts only on rows that lost their parent, so it ends; the bound is a backstop.
  for (int round = 0; !work.empty() && round < 100000; ++round) {
    TableChange change = std::move(work.front());
    work.pop_front();
    for (const AugurForeignKey& fk : keys) {
      const bool as_child =
          SameTable(change.schema, change.table, fk.child_schema, fk.child_table) &&
          (change.kind == TableChange::kInserted ||
           (change.kind == TableChange::kUpdated && Touches(change.columns, fk.child_columns)));
      if (as_child) {
        if (fk.deferred) {
          pending.emplace(fk.Key(), false);
        } else if (auto checked = CheckChild(connection, fk); !checked) {
          return checked;
        }
      }
      const bool as_parent =
          SameTable(change.schema, change.table, fk.parent_schema, fk.parent_table) &&
          (change.kind == TableChange::kDeleted ||
           (change.kind == TableChange::kUpdated && Touches(change.columns, fk.parent_columns)));
      if (!as_parent) continue;
      const std::string& action =
          change.kind == TableChange::kDeleted ? fk.on_delete : fk.on_update;
      const std::string child = Table(fk.child_schema, fk.child_table) + " AS augur_child";
      if (action == "NO ACTION" || action == "RESTRICT") {
        if (fk.deferred && action == "NO ACTION") {
          pending.emplace(fk.Key(), true);
        } else if (auto checked = CheckParent(connection, fk); !checked) {
          return checked;
        }
        continue;
      }
      if (action == "CASCADE" && change.kind == TableChange::kUpdated) {
        // Which new key an old one became is not known once the UPDATE has run.
        auto orphan = FirstOrphan(connection, fk, fk.parent_columns);
        if (!orphan) return std::move(orphan).error();
        if (!*orphan) continue;
        return Error(sqlstate::kFeatureNotSupported,
                     "ON UPDATE CASCADE is not supported: foreign key constraint \"" + fk.name +
                         "\" on table \"" + fk.child_table + "\" references the changed key")
            .WithHint("Update the referencing rows first, or use ON UPDATE SET NULL.");
      }
      std::string sql;
      TableChange next{TableChange::kUpdated, fk.child_schema, fk.child_table, fk.child_columns};
      if (action == "CASCADE") {
        sql = "DELETE FROM " + child + " WHERE " + OrphanCondition(fk);
        next.kind = TableChange::kDeleted;
      } else {  // SET NULL, SET DEFAULT
        const std::string value = action == "SET NULL" ? "NULL" : "DEFAULT";
        sql = "UPDATE " + child + " SET ";
        for (size_t i = 0; i < fk.child_columns.size(); ++i) {
          sql += std::string(i ? ", " : "") + QuoteIdentifier(fk.child_columns[i]) + " = " + value;
        }
        sql += " WHERE " + OrphanCondition(fk);
      }
      auto ran = Run(connection, sql);
      if (!ran) return std::move(ran).error();
      if ((*ran)->RowCount() > 0 && !(*ran)->GetValue(0, 0).IsNull() &&
          (*ran)->GetValue(0, 0).GetValue<int64_t>() > 0) {
        work.push_back(std::move(next));
      }
    }
  }
  return {};
}

Status CheckPendingForeignKeys(duckdb::Connection& connection,
                               const std::vector<AugurForeignKey>& keys,
                               const std::map<std::string, bool>& pending) {
  for (const AugurForeignKey& fk : keys) {
    auto it = pending.find(fk.Key());
    if (it == pending.end()) continue;
    Status checked = it->second ? CheckParent(connection, fk) : CheckChild(connection, fk);
    if (!checked) return checked;
  }
  return {};
}

Status CheckForeignKeysOf(duckdb::Connection& connection, const std::vector<AugurForeignKey>& keys,
                          const std::string& schema, const std::string& table) {
  for (const AugurForeignKey& fk : keys) {
    if (!SameTable(schema, table, fk.child_schema, fk.child_table)) continue;
    if (auto checked = CheckChild(connection, fk); !checked) return checked;
  }
  return {};
}

}  // namespace augur::engine
