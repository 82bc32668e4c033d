// pg_array_cast.h: text -> array casts that read PostgreSQL's array text ('{1,2,3}',
// '{a,"b c",NULL}'), wherever DuckDB casts a string to a list: '...'::int[], a string inserted
// into an array column, a text parameter bound to an array. DuckDB's own cast reads only its
// '[1, 2]' form and refused PostgreSQL's; text in that form still goes to DuckDB's cast.
#pragma once

namespace duckdb {
class CastFunctionSet;
}

namespace augur::engine {

// Registers VARCHAR -> LIST casts in the database's cast set (pg_values.cpp installs it).
void RegisterPgArrayCasts(duckdb::CastFunctionSet& casts);

}  // namespace augur::engine
