// foreign_key_rewrite.h: foreign keys DuckDB cannot keep, taken out of the DDL before DuckDB sees
// it and recorded in augur's own catalog table, pg_augur.foreign_keys, where the session enforces
// them (foreign_key_enforcement.cpp):
//  - REFERENCES ... ON DELETE / ON UPDATE CASCADE, SET NULL or SET DEFAULT (DuckDB refuses the
//    actions) and DEFERRABLE INITIALLY DEFERRED, in CREATE TABLE as column or table constraints;
//  - ALTER TABLE ... ADD [CONSTRAINT c] FOREIGN KEY (DuckDB cannot add one to a table).
// A plain REFERENCES in CREATE TABLE stays DuckDB's own foreign key.
#pragma once

#include <string>
#include <vector>

#include "engine/pg/sql_lexer.h"

namespace augur::engine {

// The schema and table augur keeps its catalog in (PostgreSQL tools skip pg_* schemas).
inline constexpr const char* kAugurForeignKeys = "pg_augur.foreign_keys";

// GENERATED ALWAYS AS IDENTITY columns (the session refuses explicit values for them, 428C9).
inline constexpr const char* kAugurIdentityAlways = "pg_augur.identity_always";

// The statements that create augur's catalog tables when they do not exist yet.
std::string AugurCatalogSetup();

// The statement that records column `column` of `table` ([schema,] table) as GENERATED ALWAYS.
std::string IdentityAlwaysRecord(const std::vector<std::string>& table, const std::string& column);

// CREATE TABLE with foreign keys DuckDB cannot keep: true, with `table_sql` the CREATE TABLE
// without them and `records` the statements that record them (run after the table exists).
bool SplitForeignKeyActions(const LexedStatement& s, std::string& table_sql, std::string& records);

// ALTER TABLE [ONLY] t ADD [CONSTRAINT c] FOREIGN KEY (...) REFERENCES ...: true, with the
// statements that record it in `records`.
bool AddForeignKeyRecord(const LexedStatement& s, std::string& records);

// ALTER TABLE t ADD COLUMN c ... REFERENCES ...: the statement that records the reference of
// column `column` of `table` ([schema,] table) whose REFERENCES is token `references_at`, and in
// `end` the token after its options. False when it cannot be read.
bool ColumnForeignKeyRecord(const LexedStatement& s, const std::vector<std::string>& table,
                            const std::string& column, size_t references_at, std::string& record,
                            size_t& end);

}  // namespace augur::engine
