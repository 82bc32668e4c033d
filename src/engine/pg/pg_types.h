// pg_types.h: how DuckDB's types and values look to a PostgreSQL client.
//
// PgTypeFor maps a DuckDB LogicalType to the pg_type a PostgreSQL 15 client expects in
// RowDescription (oid, typlen, typmod). AppendPgText writes a value the way PostgreSQL's output
// functions print it (boolout, float8out, numeric_out, byteaout, date_out, interval_out with
// IntervalStyle=postgres, array_out, ...), because clients and tools parse that text.
#pragma once

#include <cstdint>
#include <string>

#include "duckdb/common/types.hpp"
#include "duckdb/common/types/value.hpp"

namespace duckdb {
class ClientContext;
}

namespace augur::engine {

struct PgTypeInfo {
  uint32_t oid;    // pg_type.oid
  int16_t typlen;  // pg_type.typlen: bytes for fixed-width types, -1 for varlena
  int32_t typmod;  // atttypmod: -1, or e.g. ((precision << 16) | scale) + 4 for numeric
};

// The PostgreSQL type a column of `type` is reported as. Types PostgreSQL lacks (unsigned ints,
// HUGEINT, STRUCT, MAP, UNION, ...) map to the closest type that can hold every value (int8,
// numeric) or to text.
PgTypeInfo PgTypeFor(const duckdb::LogicalType& type);

// Appends the PostgreSQL text form of `value`, which must not be NULL. `context` supplies the
// session's TimeZone for timestamptz.
// A DECIMAL's text; augur's unconstrained numeric (pg_numeric_text.h) without trailing zeros.
std::string PgNumericText(const duckdb::Value& value);

void AppendPgText(duckdb::ClientContext& context, const duckdb::Value& value, std::string& out);

// float4out / float8out: the shortest text that reads back to the same value ("100", "0.1",
// "1e+100", "NaN", "-Infinity").
void AppendPgFloat(float v, std::string& out);
void AppendPgFloat(double v, std::string& out);

}  // namespace augur::engine
