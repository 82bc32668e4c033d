// pg_values_text_test.cpp: the pure halves of issue 17's fixes: bytea input, SIMILAR TO's pattern
// translation, format() and the token rewrites. Expected values were read from PostgreSQL 15.
#include <gtest/gtest.h>

#include "engine/pg/pg_bytea_text.h"
#include "engine/pg/pg_format.h"
#include "engine/pg/pg_numeric_div.h"
#include "engine/pg/pg_numeric_text.h"
#include "engine/pg/pg_value_rewrite.h"

namespace augur::engine {
namespace {

std::string Bytes(std::string_view text) {
  auto out = ParseByteaText(text);
  EXPECT_TRUE(out) << text << ": " << (out ? "" : out.error().message);
  return out ? *out : "";
}

Error ByteaError(std::string_view text) {
  auto out = ParseByteaText(text);
  EXPECT_FALSE(out) << text;
  return out ? Error() : out.error();
}

TEST(PgBytea, HexInput) {
  EXPECT_EQ(Bytes("\\xdeadbeef"), "\xde\xad\xbe\xef");
  EXPECT_EQ(Bytes("\\xDEAD BE\tEF\n"), "\xde\xad\xbe\xef");
  EXPECT_EQ(Bytes("\\x"), "");
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  EXPECT_EQ(Bytes(ByteaHexText(all)), all);
}

TEST(PgBytea, EscapeInput) {
  EXPECT_EQ(Bytes("abc"), "abc");
  EXPECT_EQ(Bytes("a\\\\b\\001\\377"), std::string("a\\b\x01\xff"));
  EXPECT_EQ(Bytes("\\000"), std::string(1, '\0'));
  EXPECT_EQ(ByteaError("\\X41").sqlstate, "22P02") << "\\X is not hex";
}

TEST(PgBytea, Errors) {
  EXPECT_EQ(ByteaError("\\xzz").message, "invalid hexadecimal digit: \"z\"");
  EXPECT_EQ(ByteaError("\\xzz").sqlstate, "22023");
  EXPECT_EQ(ByteaError("\\xabc").message, "invalid hexadecimal data: odd number of digits");
  EXPECT_EQ(ByteaError("\\xa b").message, "invalid hexadecimal digit: \" \"");
  EXPECT_EQ(ByteaError("\\xé").message, "invalid hexadecimal digit: \"é\"");
  EXPECT_EQ(ByteaError("a\\b").sqlstate, "22P02");
  EXPECT_EQ(ByteaError("abc\\").message, "invalid input syntax for type bytea");
  EXPECT_EQ(ByteaError("\\400").message, "invalid input syntax for type bytea");
  EXPECT_EQ(ByteaError("\\12").message, "invalid input syntax for type bytea");
}

TEST(PgBytea, HexOutput) {
  EXPECT_EQ(ByteaHexText(""), "\\x");
  EXPECT_EQ(ByteaHexText("\xde\xad"), "\\xdead");
}

std::string Similar(std::string_view pattern, std::optional<char> escape = '\\') {
  auto out = SimilarToRegex(pattern, escape);
  EXPECT_TRUE(out) << pattern;
  return out ? *out : "";
}

TEST(PgSimilar, Translation) {
  // PostgreSQL 15: SELECT similar_to_escape(p) / similar_to_escape(p, e).
  EXPECT_EQ(Similar("%b%"), "^(?:.*b.*)$");
  EXPECT_EQ(Similar("a_c"), "^(?:a.c)$");
  EXPECT_EQ(Similar("a.c$^"), "^(?:a\\.c\\$\\^)$");
  EXPECT_EQ(Similar("(a|b)*"), "^(?:(?:a|b)*)$");
  EXPECT_EQ(Similar("[%_]x"), "^(?:[%_]x)$");
  EXPECT_EQ(Similar("[]a]"), "^(?:[]a])$");
  EXPECT_EQ(Similar("a\\%"), "^(?:a\\%)$");
  EXPECT_EQ(Similar("a#%", '#'), "^(?:a\\%)$");
  EXPECT_EQ(Similar("a\\b", '#'), "^(?:a\\\\b)$");
  EXPECT_EQ(Similar("a\\%", std::nullopt), "^(?:a\\\\.*)$");
  EXPECT_EQ(Similar("abc\\"), "^(?:abc)$") << "a trailing escape is dropped";
}

std::string Formatted(std::string_view format, const std::vector<FormatArg>& args) {
  auto out = PgFormat(format, args, [](const std::string& s) { return "\"" + s + "\""; });
  EXPECT_TRUE(out) << format << ": " << (out ? "" : out.error().message);
  return out ? *out : "";
}

Error FormatError(std::string_view format, const std::vector<FormatArg>& args) {
  auto out = PgFormat(format, args, [](const std::string& s) { return s; });
  EXPECT_FALSE(out) << format;
  return out ? Error() : out.error();
}

TEST(PgFormat, Specifiers) {
  EXPECT_EQ(Formatted("%s-%s", {"1", "a"}), "1-a");
  EXPECT_EQ(Formatted("%s|%L|%L", {std::nullopt, std::nullopt, "it's"}), "|NULL|'it''s'");
  EXPECT_EQ(Formatted("%L", {"a\\b"}), "E'a\\\\b'");
  EXPECT_EQ(Formatted("%I", {"x"}), "\"x\"");
  EXPECT_EQ(Formatted("100%%", {}), "100%");
  EXPECT_EQ(Formatted("%2$s %1$s %s", {"x", "y"}), "y x y");
}

TEST(PgFormat, Widths) {
  EXPECT_EQ(Formatted("|%5s|%-5s|", {"a", "b"}), "|    a|b    |");
  EXPECT_EQ(Formatted("|%*s|%-*s|", {"3", "c", "3", "d"}), "|  c|d  |");
  EXPECT_EQ(Formatted("|%*s|", {"-3", "c"}), "|c  |");
  EXPECT_EQ(Formatted("|%*2$s|", {"x", "3", "c"}), "|  c|") << "width from arg 2, then 3";
  EXPECT_EQ(Formatted("|%3s|", {"é"}), "|  é|") << "width counts characters";
  EXPECT_EQ(Formatted("|%1s|", {"abc"}), "|abc|");
}

TEST(PgFormat, Errors) {
  EXPECT_EQ(FormatError("%s %s", {"1"}).message, "too few arguments for format()");
  EXPECT_EQ(FormatError("%*2$s", {"c", "3"}).message, "too few arguments for format()");
  EXPECT_EQ(FormatError("%x", {"1"}).message, "unrecognized format() type specifier \"x\"");
  EXPECT_EQ(FormatError("%", {}).message, "unterminated format() type specifier");
  EXPECT_EQ(FormatError("%5", {"1"}).message, "unterminated format() type specifier");
  EXPECT_EQ(FormatError("%0$s", {"1"}).sqlstate, "22023");
  EXPECT_EQ(FormatError("%99999999999s", {"1"}).sqlstate, "22003");
  EXPECT_EQ(FormatError("%2000000000s", {"1"}).sqlstate, "54000");
  EXPECT_EQ(FormatError("%I", {std::nullopt}).sqlstate, "22004");
}

TEST(PgValueRewrite, ByteaLiterals) {
  EXPECT_EQ(RewritePgValues("SELECT '\\x41'::bytea"), "SELECT '\\x41'::VARCHAR::bytea");
  EXPECT_EQ(RewritePgValues("SELECT '\\x41'::pg_catalog.bytea"),
            "SELECT '\\x41'::VARCHAR::pg_catalog.bytea");
  EXPECT_EQ(RewritePgValues("SELECT CAST('a' AS BYTEA)"), "SELECT CAST('a'::VARCHAR AS BYTEA)");
  EXPECT_EQ(RewritePgValues("SELECT bytea 'a', x"), "SELECT 'a'::VARCHAR::bytea, x");
  EXPECT_EQ(RewritePgValues("SELECT 'a'::text"), "SELECT 'a'::text");
  EXPECT_EQ(RewritePgValues("SELECT '{}'::bytea[]"), "SELECT '{}'::bytea[]");
}

TEST(PgValueRewrite, SimilarTo) {
  EXPECT_EQ(RewritePgValues("SELECT x SIMILAR TO '%b%'"), "SELECT x SIMILAR TO '^(?:.*b.*)$'");
  EXPECT_EQ(RewritePgValues("SELECT x NOT SIMILAR TO 'a#_' ESCAPE '#' FROM t"),
            "SELECT x NOT SIMILAR TO '^(?:a\\_)$' FROM t");
  EXPECT_EQ(RewritePgValues("SELECT x SIMILAR TO t.p"),
            "SELECT x SIMILAR TO pg_similar_to_regex(t.p)");
  EXPECT_EQ(RewritePgValues("SELECT x SIMILAR TO $1"),
            "SELECT x SIMILAR TO pg_similar_to_regex($1)");
  EXPECT_EQ(RewritePgValues("SELECT x SIMILAR TO 'it''s'"), "SELECT x SIMILAR TO '^(?:it''s)$'");
}

TEST(PgValueRewrite, SetReturningFunctionsInSelectList) {
  EXPECT_EQ(RewritePgValues("SELECT generate_series(1, 3)"),
            "SELECT unnest(generate_series(1, 3))");
  EXPECT_EQ(RewritePgValues("SELECT x, generate_series(1, f(x)) AS g FROM t"),
            "SELECT x, unnest(generate_series(1, f(x))) AS g FROM t");
  EXPECT_EQ(RewritePgValues("SELECT * FROM generate_series(1, 3)"),
            "SELECT * FROM generate_series(1, 3)");
  EXPECT_EQ(RewritePgValues("SELECT a FROM t JOIN generate_series(1, 3) g ON true"),
            "SELECT a FROM t JOIN generate_series(1, 3) g ON true");
  EXPECT_EQ(RewritePgValues("SELECT unnest(generate_series(1, 3))"),
            "SELECT unnest(generate_series(1, 3))");
  EXPECT_EQ(RewritePgValues("SELECT 1 FROM t WHERE x IN (SELECT generate_series(1, 3))"),
            "SELECT 1 FROM t WHERE x IN (SELECT unnest(generate_series(1, 3)))");
  EXPECT_EQ(RewritePgValues("SELECT (SELECT 1 FROM generate_series(1, 2)), generate_series(1, 2)"),
            "SELECT (SELECT 1 FROM generate_series(1, 2)), unnest(generate_series(1, 2))");
}

TEST(PgNumeric, Shape) {
  auto shape = [](std::string_view t) {
    auto s = ShapeOf(t);
    return s.ok ? std::to_string(s.integer_digits) + "/" + std::to_string(s.scale) : "bad";
  };
  EXPECT_EQ(shape("1.50"), "1/1");
  EXPECT_EQ(shape("-0012.5"), "2/1");
  EXPECT_EQ(shape("0.000001"), "0/6");
  EXPECT_EQ(shape("1e-3"), "0/3");
  EXPECT_EQ(shape("1200e-2"), "2/0");
  EXPECT_EQ(shape("12e1"), "3/0");
  EXPECT_EQ(shape("0"), "0/0");
  EXPECT_EQ(shape(" 7 "), "1/0");
  EXPECT_EQ(shape("1e999999999"), "100000/0");
  EXPECT_EQ(shape("NaN"), "bad");
  EXPECT_EQ(shape("1e"), "bad");
  EXPECT_EQ(TrimNumericZeros("1.5000000000"), "1.5");
  EXPECT_EQ(TrimNumericZeros("2.0000000000"), "2");
  EXPECT_EQ(TrimNumericZeros("-0.0000000000"), "0");
  EXPECT_EQ(TrimNumericZeros("100"), "100");
}

TEST(PgValueRewrite, UnconstrainedNumeric) {
  EXPECT_EQ(RewritePgValues("CREATE TABLE t(a numeric, b numeric(10,2), c decimal[])"),
            "CREATE TABLE t(a DECIMAL(38,10), b numeric(10,2), c DECIMAL(38,10)[])");
  EXPECT_EQ(RewritePgValues("SELECT x::NUMERIC, CAST(y AS decimal)"),
            "SELECT x::DECIMAL(38,10), CAST(y AS DECIMAL(38,10))");
}

TEST(PgValueRewrite, CharacterLengths) {
  EXPECT_EQ(RewritePgValues("CREATE TABLE t(a varchar(3), b text, c char(2) NOT NULL, "
                            "d character varying(4)[], PRIMARY KEY (b))"),
            "CREATE TABLE t(a varchar(3) CHECK (pg_varchar_fits(a, 3, 'character varying')), b "
            "text, c char(2) NOT NULL CHECK (pg_varchar_fits(c, 2, 'character')), d character "
            "varying(4)[], PRIMARY KEY (b))");
  EXPECT_EQ(RewritePgValues("SELECT 'abcd'::varchar(3), t.x::char(2), f(y)::character varying(1)"),
            "SELECT pg_varchar_cut('abcd'::VARCHAR, 3), pg_bpchar_cut(t.x::VARCHAR, 2), "
            "pg_varchar_cut(f(y)::VARCHAR, 1)");
  EXPECT_EQ(RewritePgValues("SELECT CAST(a || b AS varchar(2))"),
            "SELECT pg_varchar_cut(CAST(a || b AS VARCHAR), 2)");
  EXPECT_EQ(RewritePgValues("SELECT 'a'::varchar, CAST(x AS varchar)"),
            "SELECT 'a'::varchar, CAST(x AS varchar)");
  // A parenthesized operand after a keyword is not a function call.
  EXPECT_EQ(RewritePgValues("SELECT ('ab')::varchar(1) WHERE (x)::char(1) = 'a'"),
            "SELECT pg_varchar_cut(('ab')::VARCHAR, 1) WHERE pg_bpchar_cut((x)::VARCHAR, 1) = 'a'");
}

TEST(PgValueRewrite, ExtractIsNumeric) {
  EXPECT_EQ(RewritePgValues("SELECT EXTRACT(second FROM ts), extract('ms' from t.x), "
                            "extract(epoch from f(a, b)), extract(Hour from now())"),
            "SELECT pg_extract_seconds(ts), pg_extract_milliseconds(t.x), "
            "pg_extract_epoch(f(a, b)), pg_extract_field('hour', now())");
  // Julian days, a malformed field and another schema's extract stay as written.
  EXPECT_EQ(RewritePgValues("SELECT extract(julian from d), extract(x), s.extract(1)"),
            "SELECT extract(julian from d), extract(x), s.extract(1)");
}

TEST(PgValueRewrite, RelativeDateTimes) {
  EXPECT_EQ(RewritePgValues("SELECT 'today'::date, CAST(' Tomorrow' AS timestamp), "
                            "timestamptz 'yesterday', 'now'::timestamp with time zone"),
            "SELECT (current_date)::date, CAST((CAST((current_date + 1) AS TIMESTAMP)) AS "
            "timestamp), (CAST((current_date - 1) AS TIMESTAMPTZ)), (now())::timestamp with "
            "time zone");
  // Other strings, other types and a string that is no cast's operand stay.
  EXPECT_EQ(RewritePgValues("SELECT 'todayx'::date, 'today'::text, 'now', f('today')"),
            "SELECT 'todayx'::date, 'today'::text, 'now', f('today')");
  // A precision cast around a relative literal keeps both rewrites.
  EXPECT_EQ(RewritePgValues("SELECT 'now'::timestamp(0)"),
            "SELECT pg_round_time((CAST(now() AS TIMESTAMP))::TIMESTAMP, 0)");
}

TEST(PgValueRewrite, TimePrecisions) {
  EXPECT_EQ(RewritePgValues("SELECT x::timestamp(2), y::timestamp(0) with time zone, "
                            "z::timestamptz(3), w::time(1) without time zone"),
            "SELECT pg_round_time(x::TIMESTAMP, 2), pg_round_time(y::TIMESTAMPTZ, 0), "
            "pg_round_time(z::TIMESTAMPTZ, 3), pg_round_time(w::TIME, 1)");
  EXPECT_EQ(RewritePgValues("SELECT CAST(a AS timestamp(1)), timestamp(2) '2024-01-01 00:00:00.5'"),
            "SELECT pg_round_time(CAST(a AS TIMESTAMP), 1), "
            "pg_round_time(TIMESTAMP '2024-01-01 00:00:00.5', 2)");
  EXPECT_EQ(RewritePgValues("CREATE TABLE t(a timestamp(2), b timestamptz(6), c time(0), "
                            "d timestamp(3)[], e timestamp)"),
            "CREATE TABLE t(a TIMESTAMP CHECK (pg_time_fits(a, 2, 'timestamp(2) without time "
            "zone')), b TIMESTAMPTZ, c TIME CHECK (pg_time_fits(c, 0, 'time(0) without time "
            "zone')), d timestamp(3)[], e timestamp)");
  // A precision above 6 is 6, as PostgreSQL lowers it; timetz(p) and columns named time stay.
  EXPECT_EQ(RewritePgValues("SELECT x::timestamp(9), y::time(2) with time zone, t.time"),
            "SELECT pg_round_time(x::TIMESTAMP, 6), y::time(2) with time zone, t.time");
}

}  // namespace
}  // namespace augur::engine

namespace augur::engine {
namespace {

TEST(PgValueRewrite, LikeEscapesWithBackslashAsPostgres) {
  EXPECT_EQ(RewritePgValues("SELECT 'a_b' LIKE 'a\\_b'"), "SELECT 'a_b' LIKE 'a\\_b' ESCAPE '\\'");
  EXPECT_EQ(RewritePgValues("SELECT x NOT ILIKE '10\\%' FROM t"),
            "SELECT x NOT ILIKE '10\\%' ESCAPE '\\' FROM t");
  // No backslash, or an explicit ESCAPE: as written.
  EXPECT_EQ(RewritePgValues("SELECT 'ab' LIKE 'a%'"), "SELECT 'ab' LIKE 'a%'");
  EXPECT_EQ(RewritePgValues("SELECT 'a' LIKE 'a\\_' ESCAPE '#'"),
            "SELECT 'a' LIKE 'a\\_' ESCAPE '#'");
}

// numeric division: quotients as PostgreSQL 15 prints them (SELECT a / b), at scale 20.
__int128 Quotient(__int128 a, int sa, __int128 b, int sb) {
  auto q = PgNumericDivide({a, sa, sa}, {b, sb, sb});
  EXPECT_TRUE(q) << (q ? "" : q.error().message);
  return q ? *q : 0;
}

__int128 Scaled20(const char* digits) {  // "0.33333333333333333333" without the point
  __int128 v = 0;
  bool negative = *digits == '-';
  for (const char* p = digits; *p; ++p) {
    if (*p >= '0' && *p <= '9') v = v * 10 + (*p - '0');
  }
  return negative ? -v : v;
}

TEST(PgNumericDivide, MatchesPostgres) {
  // 1 / 3.0 = 0.33333333333333333333; 2 / 3.0 rounds up; the sign follows the operands.
  EXPECT_EQ(Quotient(1, 0, 30, 1), Scaled20("0.33333333333333333333"));
  EXPECT_EQ(Quotient(2, 0, 30, 1), Scaled20("0.66666666666666666667"));
  EXPECT_EQ(Quotient(-2, 0, 30, 1), Scaled20("-0.66666666666666666667"));
  // 7.0 / 2 = 3.5000000000000000 (scale 16, padded to 20 here).
  EXPECT_EQ(Quotient(70, 1, 2, 0), Scaled20("3.50000000000000000000"));
  // 1e15 / 7 = 142857142857142.8571: few fractional digits for a large quotient.
  EXPECT_EQ(Quotient(1000000000000000, 0, 7, 0), Scaled20("142857142857142.85710000000000000000"));
  // 1.50 / 3 = 0.50000000000000000000 (scale 20 because 1.50's first digit is below 3's).
  EXPECT_EQ(Quotient(150, 2, 3, 0), Scaled20("0.50000000000000000000"));
}

TEST(PgNumericDivide, RefusesWhatItCannotHold) {
  auto zero = PgNumericDivide({1, 0, 0}, {0, 0, 0});
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().sqlstate, "22012");
  // 1 / 30000.0 has 24 fractional digits in PostgreSQL.
  auto tiny = PgNumericDivide({1, 0, 0}, {300000, 1, 1});
  ASSERT_FALSE(tiny);
  EXPECT_EQ(tiny.error().sqlstate, "0A000");
  // 10^20 / 1: more integer digits than DECIMAL(38,20) has.
  __int128 big = 1;
  for (int i = 0; i < 20; ++i) big *= 10;
  auto wide = PgNumericDivide({big, 0, 0}, {1, 0, 0});
  ASSERT_FALSE(wide);
  EXPECT_EQ(wide.error().sqlstate, "22003");
  // A divisor beyond 37 digits is refused rather than overflowing the long division.
  auto huge = PgNumericDivide({1, 0, 0}, {big * 100000000000000000 * 4, 0, 0});  // 4e37
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().sqlstate, "0A000");
}

TEST(PgNumericDivide, TrimmedScale) {
  EXPECT_EQ(TrimmedScale(15000000000, 10), 1);  // 1.5000000000
  EXPECT_EQ(TrimmedScale(0, 10), 0);
  EXPECT_EQ(TrimmedScale(-1, 10), 10);
}

}  // namespace
}  // namespace augur::engine
