// pg_json_build.h: json_build_object, json_build_array and to_json as PostgreSQL builds them
// (issue 17). DuckDB's to_json printed 1.50 as 1.5 and timestamps with a space for the T.
// They were DuckDB's json_object, which quoted a jsonb argument as a string
// (json_build_object('d', '"x"'::jsonb) gave {"d":"\"x\""}) and printed compact text where
// PostgreSQL writes {"k" : v, "k2" : v2} and [v1, v2].
//
// Each argument becomes JSON by PostgreSQL's datum_to_json rules: json verbatim, jsonb as it
// prints, numbers as they print (1.50 keeps its scale; NaN and infinities as strings), booleans,
// dates and times in ISO 8601 ("2024-01-02T03:04:05+05:30" in the session's TimeZone), arrays
// and rows compact (array_to_json, row_to_json), anything else as its text in a JSON string.
#pragma once

namespace duckdb {
class ClientContext;
}

namespace augur::engine {

// Registers json_build_object(...), json_build_array(...) and to_json(x) (which to_jsonb,
// jsonb_agg and jsonb_build_object are rewritten to, pg_jsonb_rewrite.cpp).
void RegisterPgJsonBuild(duckdb::ClientContext& context);

}  // namespace augur::engine
