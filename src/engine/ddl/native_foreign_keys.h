// native_foreign_keys.h: DuckDB refuses to ALTER a table that another table's foreign key
// references (2BP01, "entries that depend on it"), where PostgreSQL alters it. Before such an
// ALTER, each referencing table is rebuilt without DuckDB's foreign key (its rows copied out and
// back, its indexes re-created) and the foreign key recorded in pg_augur.foreign_keys, where
// augur enforces it (augur_foreign_keys.h) exactly as before.
#pragma once

#include <string>

namespace duckdb {
class Connection;
}

namespace augur::engine {

// The statements that hand the DuckDB foreign keys referencing `schema`.`table` (any schema when
// empty) over to augur; empty when there are none, or when a referencing table is itself
// referenced (it could not be dropped and re-created).
std::string NativeForeignKeyHandover(duckdb::Connection& connection, const std::string& schema,
                                     const std::string& table);

}  // namespace augur::engine
