// pg_time_precision.h: PostgreSQL's fractional-second precision, timestamp(p), timestamptz(p) and
// time(p) (issue 17). DuckDB keeps microseconds whatever the precision: it ignores the (p) of
// TIMESTAMP and refuses it on the others, so '...09.126'::timestamp(2) kept .126 where
// PostgreSQL gives .13.
//
// The rewrite (pg_value_rewrite.cpp) names the type without its precision and:
//  - rounds casts and typed literals with pg_round_time(x, p), as PostgreSQL's
//    AdjustTimestampForTypmod does (half away from zero);
//  - gives CREATE TABLE columns with p < 6 a CHECK (pg_time_fits(c, p, type)) that refuses, with
//    0A000, a value with more fractional digits than p. PostgreSQL rounds such a value on the way
//    in; augur has no hook on every write path (INSERT, UPDATE, COPY, parameters) to do the same,
//    so it says so rather than keep digits PostgreSQL would not.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/pg/sql_lexer.h"

namespace duckdb {
class ClientContext;
}

namespace augur::engine {

struct TimePrecisionType {
  int precision = 6;      // 0..6; PostgreSQL lowers a larger one to 6 with a warning
  size_t last = 0;        // the type's last token
  std::string duck_type;  // TIMESTAMP, TIMESTAMPTZ or TIME
  std::string pg_name;    // as PostgreSQL names it: "timestamp(2) without time zone"
};

// The type at token `i` when it is one of timestamp(p) [with[out] time zone], timestamptz(p),
// time(p) [without time zone]; nullopt otherwise (no precision, an array of it, another type).
std::optional<TimePrecisionType> TimePrecisionAt(const std::vector<Token>& t, size_t i);

// Registers pg_round_time(timestamp | timestamptz | time, integer) and
// pg_time_fits(timestamp | timestamptz | time, integer, varchar).
void RegisterTimePrecisionFunctions(duckdb::ClientContext& context);

}  // namespace augur::engine
