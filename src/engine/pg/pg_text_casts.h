// pg_text_casts.h: casts to text that print what PostgreSQL prints (issue 17). DuckDB's
// DOUBLE -> VARCHAR writes 100.0 where float8out writes 100, and LIST -> VARCHAR writes
// [1, 2] where array_out writes {1,2}; both reach clients through ::text, concatenation,
// format(), COPY TO and string functions. The replacements use the same text as augur's
// wire encoding (pg_types.h), so a value reads the same whichever way it leaves. Text to the
// integer types reads only what PostgreSQL's int4in reads ('1.5'::int is 22P02, not 2).
#pragma once

namespace duckdb {
class CastFunctionSet;
}

namespace augur::engine {

// Registers float4/float8 -> text, array -> text and text -> smallint/integer/bigint in the
// database's cast set.
void RegisterPgTextCasts(duckdb::CastFunctionSet& casts);

}  // namespace augur::engine
