// pg_array_text.h: PostgreSQL's text form of arrays ('{1,2}', '{"a b",NULL}', '{{1},{2}}') as
// input. pg_dump's COPY data holds arrays so; DuckDB's cast from text reads only its own
// '[1, 2]' form. augur_pg_array_json(text) turns PostgreSQL's form into a JSON array of strings
// (NULL elements as null), which DuckDB casts to any list type: CAST(CAST(x AS JSON) AS INT[]).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace duckdb {
class ClientContext;
}

namespace augur::engine {

// The JSON array for PostgreSQL array text; nullopt when the text is no array literal.
std::optional<std::string> PgArrayTextToJson(std::string_view text);

// Creates augur_pg_array_json(VARCHAR) in the system catalog; malformed input fails with 22P02
// "malformed array literal". Runs inside a transaction at every open.
void InstallPgArrayText(duckdb::ClientContext& context);

}  // namespace augur::engine
