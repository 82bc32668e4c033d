// command_tag.h: PostgreSQL's CommandComplete tag for a DuckDB statement.
#pragma once

#include <cstdint>
#include <string>

namespace duckdb {
class SQLStatement;
}

namespace augur::engine {

// What a statement reports when it completes. Counting tags end in the number of rows
// ("SELECT 3", "INSERT 0 1", "UPDATE 2"); the rest are fixed ("CREATE TABLE", "BEGIN").
struct CommandTag {
  std::string prefix;  // "SELECT", "INSERT 0", "CREATE TABLE", ...
  bool counts_rows = false;

  std::string Format(uint64_t rows) const {
    return counts_rows ? prefix + " " + std::to_string(rows) : prefix;
  }
};

// The tag PostgreSQL 15 writes for the same statement text.
CommandTag CommandTagFor(const duckdb::SQLStatement& statement);

// Transaction control statements get PostgreSQL's lenient handling in the session.
enum class TransactionVerb { kNone, kBegin, kCommit, kRollback };
TransactionVerb TransactionVerbOf(const duckdb::SQLStatement& statement);

}  // namespace augur::engine
