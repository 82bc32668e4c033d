// pg_constraint_names.h: constraints named as PostgreSQL names them.
//
// DuckDB derives a constraint's name from its columns ("orders_id_pkey", and for a foreign key
// the referenced columns too: "orders_customer_id_id_fkey"); PostgreSQL names a primary key
// "<table>_pkey" and a foreign key "<table>_<columns>_fkey". Tools show these names and
// migration tools compare them (pgjdbc's PK_NAME and FK_NAME, Alembic's autogenerate, psql's
// \d), so duckdb_constraints() reports PostgreSQL's names, and with it every catalog view built
// on it (information_schema, pg_constraint, the key indexes of pg_class).
#pragma once

#include "augur/result.h"

namespace duckdb {
class ClientContext;
}

namespace augur::engine {

// Makes duckdb_constraints() answer with PostgreSQL's names. Once per database, at open.
Status NameConstraintsAsPostgres(duckdb::ClientContext& context);

}  // namespace augur::engine
