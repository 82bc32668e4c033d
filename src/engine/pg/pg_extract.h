// pg_extract.h: EXTRACT(field FROM x) returns numeric in PostgreSQL 14+, with six fractional
// digits for second and epoch and three for milliseconds; DuckDB's EXTRACT is date_part, which
// gives a BIGINT for second (extract(second from '...09.25') was 9: a silently different value)
// and a double for epoch.
//
// The rewrite (pg_value_rewrite.cpp) turns EXTRACT(field FROM x) into:
//  - second:       pg_numeric_micros(date_part('microseconds', x), 6)   numeric, scale 6
//  - milliseconds: pg_numeric_micros(date_part('microseconds', x), 3)   numeric, scale 3
//  - epoch:        pg_extract_epoch(x)   scale 6 (scale 0 for a date), PostgreSQL's interval rule
//  - other fields: CAST(date_part('field', x) AS DECIMAL(38,0))          numeric, scale 0
// date_part() itself is left alone: PostgreSQL's returns double precision, as DuckDB's mostly does.
// Julian days are left to DuckDB.
#pragma once

namespace duckdb {
class ClientContext;
}

namespace augur::engine {

// Registers pg_numeric_micros(bigint, integer) and pg_extract_epoch(timestamp | timestamptz |
// date | time | interval).
void RegisterPgExtractFunctions(duckdb::ClientContext& context);

}  // namespace augur::engine
