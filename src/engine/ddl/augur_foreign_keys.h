// augur_foreign_keys.h: the foreign keys augur enforces itself (foreign_key_rewrite.h records
// them in pg_augur.foreign_keys), and what a change to a table means for them: after an INSERT,
// UPDATE or DELETE has run, the rows it left without a parent are found (the child's key is not
// null and matches no parent row) and PostgreSQL's action is taken on them: CASCADE deletes
// them, SET NULL / SET DEFAULT updates them, NO ACTION / RESTRICT fails with 23503 (deferred
// ones at COMMIT). Each action changes another table, whose own foreign keys are followed in turn
// until nothing changes, so cascades through several tables, cycles and self-references work.
// Everything runs in the statement's transaction, so a failure leaves nothing changed.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "augur/result.h"

namespace duckdb {
class Connection;
}

namespace augur::engine {

struct AugurForeignKey {
  std::string name;
  std::string child_schema, child_table;
  std::vector<std::string> child_columns;
  std::string parent_schema, parent_table;
  std::vector<std::string> parent_columns;
  std::string on_delete, on_update;  // NO ACTION, RESTRICT, CASCADE, SET NULL, SET DEFAULT
  bool deferred = false;

  std::string Key() const { return child_schema + "." + child_table + "." + name; }
};

// False when this database certainly has none of augur's records in pg_augur (looked up once
// per database open).
bool AugurForeignKeysMayExist(duckdb::Connection& connection);
// A statement just created one of the record tables.
void NoteAugurForeignKeysCreated(duckdb::Connection& connection);

// Every recorded foreign key, as the connection's transaction sees them; empty without any.
std::vector<AugurForeignKey> LoadAugurForeignKeys(duckdb::Connection& connection);

// True when `a` names table `schema`.`table`; an empty `schema` matches any.
bool SameTable(const std::string& schema, const std::string& table, const std::string& a_schema,
               const std::string& a_table);

// One change a statement made to a table.
struct TableChange {
  enum Kind { kInserted, kUpdated, kDeleted } kind;
  std::string schema;  // may be empty: any schema
  std::string table;
  std::vector<std::string> columns;  // kUpdated: the columns set
};

// Takes the actions of `keys` for `first` and everything they change in turn. Deferred checks
// are added to `pending` (key -> whether the parent side is checked) instead of run.
Status ApplyForeignKeyActions(duckdb::Connection& connection,
                              const std::vector<AugurForeignKey>& keys, TableChange first,
                              std::map<std::string, bool>& pending);

// The deferred checks, at COMMIT.
Status CheckPendingForeignKeys(duckdb::Connection& connection,
                               const std::vector<AugurForeignKey>& keys,
                               const std::map<std::string, bool>& pending);

// Every foreign key whose child is `schema`.`table` holds for the rows there now (ALTER TABLE
// ... ADD FOREIGN KEY checks the rows already in the table).
Status CheckForeignKeysOf(duckdb::Connection& connection, const std::vector<AugurForeignKey>& keys,
                          const std::string& schema, const std::string& table);

}  // namespace augur::engine
