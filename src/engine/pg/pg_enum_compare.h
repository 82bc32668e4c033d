// pg_enum_compare.h: enum values compared with a string literal compare in the enum's
// declaration order, as in PostgreSQL (which reads the literal as the enum). DuckDB casts the
// enum to text instead, so `mood > 'sad'` compared alphabetically and returned other rows.
//
// An optimizer extension (before DuckDB's own optimizers) turns CAST(enum AS VARCHAR) <op>
// 'literal' back into enum <op> 'literal'::enum, for comparisons and BETWEEN, when the cast is
// the binder's (an explicit m::text compares as text, as in PostgreSQL); a literal that is not
// one of the enum's labels fails with PostgreSQL's 22P02, as it does there.
#pragma once

namespace duckdb {
class DatabaseInstance;
}

namespace augur::engine {

// Adds the optimizer extension to the database's configuration.
void RegisterPgEnumComparisons(duckdb::DatabaseInstance& db);

}  // namespace augur::engine
