// pg_types_test.cpp: DuckDB values printed the way PostgreSQL 15 prints them.
//
// The expected strings were produced by a real PostgreSQL 15.18 (Debian's postgresql-15) with
// `psql -At -c "SELECT <the same literal>"`, default settings (DateStyle ISO, MDY; IntervalStyle
// postgres; extra_float_digits 1; TimeZone UTC). To re-check one: start PostgreSQL in a temp
// directory and run the literal from the table below.
#include "engine/pg/pg_types.h"

#include <gtest/gtest.h>

#include "duckdb.hpp"

namespace augur::engine {
namespace {

class PgTypesTest : public ::testing::Test {
 protected:
  PgTypesTest() : db_(nullptr), conn_(db_) { conn_.Query("SET TimeZone = 'UTC'"); }

  // The single value of `SELECT <expr>` as PostgreSQL text.
  std::string Text(const std::string& expr) {
    auto result = conn_.Query("SELECT " + expr);
    EXPECT_FALSE(result->HasError()) << expr << ": " << result->GetError();
    if (result->HasError()) return "<error>";
    auto value = result->GetValue(0, 0);
    if (value.IsNull()) return "<null>";
    std::string out;
    AppendPgText(*conn_.context, value, out);
    return out;
  }

  PgTypeInfo Type(const std::string& expr) {
    auto result = conn_.Query("SELECT " + expr);
    EXPECT_FALSE(result->HasError()) << result->GetError();
    return PgTypeFor(result->types[0]);
  }

  duckdb::DuckDB db_;
  duckdb::Connection conn_;
};

TEST_F(PgTypesTest, BooleansAndIntegers) {
  EXPECT_EQ(Text("true"), "t");
  EXPECT_EQ(Text("false"), "f");
  EXPECT_EQ(Text("(-32768)::SMALLINT"), "-32768");
  EXPECT_EQ(Text("9223372036854775807::BIGINT"), "9223372036854775807");
  EXPECT_EQ(Text("255::UTINYINT"), "255");
  EXPECT_EQ(Text("123456789012345678901234567890::HUGEINT"), "123456789012345678901234567890");
}

TEST_F(PgTypesTest, FloatsUseShortestRoundTripText) {
  // PostgreSQL: select 0.1::float8, 1.5::float8, 1e20::float8, ... (see the file comment)
  const std::pair<const char*, const char*> cases[] = {
      {"0.1::DOUBLE", "0.1"},
      {"1.5::DOUBLE", "1.5"},
      {"1e20::DOUBLE", "1e+20"},
      {"123456789012345678::DOUBLE", "1.2345678901234568e+17"},
      {"1e-05::DOUBLE", "1e-05"},
      {"0.0001::DOUBLE", "0.0001"},
      {"'-0'::DOUBLE", "-0"},
      {"'Infinity'::DOUBLE", "Infinity"},
      {"'-Infinity'::DOUBLE", "-Infinity"},
      {"'NaN'::DOUBLE", "NaN"},
      {"1e15::DOUBLE", "1e+15"},
      {"1e14::DOUBLE", "100000000000000"},
      {"123456789012345.6::DOUBLE", "123456789012345.6"},
      {"1::DOUBLE / 3", "0.3333333333333333"},
      {"0.1::FLOAT", "0.1"},
      {"3.4028235e+38::FLOAT", "3.4028235e+38"},
      {"1e6::FLOAT", "1e+06"},
      {"1234567::FLOAT", "1.234567e+06"},
      {"100000::FLOAT", "100000"},
      {"2.5e-5::FLOAT", "2.5e-05"},
  };
  for (auto& [expr, expected] : cases) EXPECT_EQ(Text(expr), expected) << expr;
}

TEST_F(PgTypesTest, NumericKeepsItsScale) {
  EXPECT_EQ(Text("1.50::DECIMAL(10,2)"), "1.50");
  EXPECT_EQ(Text("(-12.345)::DECIMAL(10,3)"), "-12.345");
  PgTypeInfo t = Type("1.50::DECIMAL(10,2)");
  EXPECT_EQ(t.oid, 1700u);
  EXPECT_EQ(t.typmod, (10 << 16 | 2) + 4);
}

TEST_F(PgTypesTest, TextByteaUuidJson) {
  EXPECT_EQ(Text("'it''s'"), "it's");
  EXPECT_EQ(Text("'\\x00\\xFF'::BLOB"), "\\x00ff");
  EXPECT_EQ(Text("'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID"),
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  EXPECT_EQ(Type("'{\"a\": 1}'::JSON").oid, 114u);
}

TEST_F(PgTypesTest, DatesTimesTimestamps) {
  EXPECT_EQ(Text("DATE '2024-01-15'"), "2024-01-15");
  EXPECT_EQ(Text("DATE '0044-03-15 (BC)'"), "0044-03-15 BC");
  EXPECT_EQ(Text("'infinity'::DATE"), "infinity");
  EXPECT_EQ(Text("TIME '13:45:00.5'"), "13:45:00.5");
  EXPECT_EQ(Text("TIMESTAMP '2024-01-15 13:45:00.123'"), "2024-01-15 13:45:00.123");
  EXPECT_EQ(Text("TIMESTAMPTZ '2024-01-15 13:45:00+05:30'"), "2024-01-15 08:15:00+00");
  EXPECT_EQ(Text("'13:45:00+02'::TIMETZ"), "13:45:00+02");
}

TEST_F(PgTypesTest, IntervalsInPostgresStyle) {
  const std::pair<const char*, const char*> cases[] = {
      {"INTERVAL '1 year 2 months 3 days 04:05:06'", "1 year 2 mons 3 days 04:05:06"},
      {"INTERVAL '-1 days'", "-1 days"},
      {"INTERVAL '0 seconds'", "00:00:00"},
      {"INTERVAL '-1 second'", "-00:00:01"},
      {"INTERVAL '1 day' - INTERVAL '1 hour'", "1 day -01:00:00"},
      {"INTERVAL '0.5 seconds'", "00:00:00.5"},
      {"INTERVAL '1 month'", "1 mon"},
      {"INTERVAL '-2 years -3 months'", "-2 years -3 mons"},
      {"INTERVAL '25 hours'", "25:00:00"},
  };
  for (auto& [expr, expected] : cases) EXPECT_EQ(Text(expr), expected) << expr;
}

TEST_F(PgTypesTest, ListsBecomeArrays) {
  EXPECT_EQ(Text("[1, 2, NULL]"), "{1,2,NULL}");
  EXPECT_EQ(Text("['a', 'b c', '', 'NULL', '\"q\"', 'x,y', 'back\\slash']"),
            "{a,\"b c\",\"\",\"NULL\",\"\\\"q\\\"\",\"x,y\",\"back\\\\slash\"}");
  EXPECT_EQ(Text("[[1, 2], [3, 4]]"), "{{1,2},{3,4}}");
  EXPECT_EQ(Text("[true, false]"), "{t,f}");
  EXPECT_EQ(Text("[DATE '2024-01-01']"), "{2024-01-01}");
  EXPECT_EQ(Type("[1, 2]").oid, 1007u);
  EXPECT_EQ(Type("['a']").oid, 1009u);
  EXPECT_EQ(Type("[[1::BIGINT]]").oid, 1016u);
}

TEST_F(PgTypesTest, TypeOidsAndLengths) {
  struct Case {
    const char* expr;
    uint32_t oid;
    int16_t typlen;
  };
  const Case cases[] = {
      {"true", 16, 1},
      {"1::SMALLINT", 21, 2},
      {"1", 23, 4},
      {"1::BIGINT", 20, 8},
      {"1::FLOAT", 700, 4},
      {"1::DOUBLE", 701, 8},
      {"'x'", 25, -1},
      {"'x'::BLOB", 17, -1},
      {"DATE '2024-01-01'", 1082, 4},
      {"TIME '01:00'", 1083, 8},
      {"TIMESTAMP '2024-01-01'", 1114, 8},
      {"TIMESTAMPTZ '2024-01-01'", 1184, 8},
      {"INTERVAL '1 day'", 1186, 16},
      {"uuid()", 2950, 16},
      {"1::UBIGINT", 1700, -1},
      {"{'a': 1}", 25, -1},
  };
  for (auto& c : cases) {
    PgTypeInfo t = Type(c.expr);
    EXPECT_EQ(t.oid, c.oid) << c.expr;
    EXPECT_EQ(t.typlen, c.typlen) << c.expr;
  }
}

}  // namespace
}  // namespace augur::engine
