// pg_sequence_relation.h: a sequence read as a one-row relation, as PostgreSQL allows:
// `SELECT last_value, is_called FROM s` (pg_dump reads every sequence's state this way) and
// `SELECT * FROM s` (last_value, log_cnt, is_called).
//
// DuckDB's sequences are not relations. A replacement scan, which DuckDB consults when a name in
// FROM is no table or view, turns the name of a sequence into augur_sequence_state(), a table
// function that reads the sequence when the statement runs.
#pragma once

namespace duckdb {
class ClientContext;
struct DBConfig;
}  // namespace duckdb

namespace augur::engine {

// Adds the replacement scan; before the database opens.
void RegisterSequenceRelations(duckdb::DBConfig& config);

// Creates augur_sequence_state(catalog, schema, name) in the system catalog. Runs inside a
// transaction at every open.
void InstallSequenceStateFunction(duckdb::ClientContext& context);

}  // namespace augur::engine
