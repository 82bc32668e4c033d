// pg_conversion_text_test.cpp: encode/decode formats and the to_char / to_date / to_timestamp
// templates, on plain values. Expected values were read from PostgreSQL 15 (psql, TimeZone UTC).
#include <gtest/gtest.h>

#include "engine/pg/pg_bytea_text.h"
#include "engine/pg/pg_datetime_format.h"

namespace augur::engine {
namespace {

std::string Encoded(std::string_view bytes, std::string_view format) {
  auto out = PgEncode(bytes, format);
  EXPECT_TRUE(out) << format << ": " << (out ? "" : out.error().message);
  return out ? *out : "";
}

std::string Decoded(std::string_view text, std::string_view format) {
  auto out = PgDecode(text, format);
  EXPECT_TRUE(out) << text << ": " << (out ? "" : out.error().message);
  return out ? *out : "";
}

Error DecodeError(std::string_view text, std::string_view format) {
  auto out = PgDecode(text, format);
  EXPECT_FALSE(out) << text;
  return out ? Error() : out.error();
}

TEST(PgEncode, Formats) {
  EXPECT_EQ(Encoded("\xde\xad\xbe\xef", "hex"), "deadbeef");
  EXPECT_EQ(Encoded("\xde\xad", "HEX"), "dead");
  EXPECT_EQ(Encoded("hello", "base64"), "aGVsbG8=");
  EXPECT_EQ(Encoded("hi", "base64"), "aGk=");
  EXPECT_EQ(Encoded("", "base64"), "");
  EXPECT_EQ(Encoded(std::string("\x00\xff\\A", 4), "escape"), "\\000\\377\\\\A");
  // A newline after every 76 characters, also at the very end (57 bytes make 76 characters).
  std::string a57(57, 'a');
  std::string line = "YWFh";
  std::string expected;
  for (int i = 0; i < 19; ++i) expected += line;
  EXPECT_EQ(Encoded(a57, "base64"), expected + "\n");
  EXPECT_EQ(Encoded(a57 + "a", "base64"), expected + "\nYQ==");
  auto unknown = PgEncode("x", "foo");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().sqlstate, "22023");
  EXPECT_EQ(unknown.error().message, "unrecognized encoding: \"foo\"");
}

TEST(PgDecode, Formats) {
  EXPECT_EQ(Decoded("de ad", "hex"), "\xde\xad");
  EXPECT_EQ(Decoded(" aGk= ", "base64"), "hi");
  EXPECT_EQ(Decoded("YQ==YQ==", "base64"), "aa");  // PostgreSQL reads on after padding
  EXPECT_EQ(Decoded("aG\nVs\nbG8=", "base64"), "hello");
  EXPECT_EQ(Decoded("a\\\\b\\001", "escape"), std::string("a\\b\x01"));
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (const char* format : {"hex", "base64", "escape"}) {
    EXPECT_EQ(Decoded(Encoded(all, format), format), all) << format;
  }
}

TEST(PgDecode, Errors) {
  EXPECT_EQ(DecodeError("aGk", "base64").message, "invalid base64 end sequence");
  EXPECT_EQ(DecodeError("aGk", "base64").hint,
            "Input data is missing padding, is truncated, or is otherwise corrupted.");
  EXPECT_EQ(DecodeError("aGk==", "base64").message, "invalid base64 end sequence");
  EXPECT_EQ(DecodeError("a=Gk", "base64").message,
            "unexpected \"=\" while decoding base64 sequence");
  EXPECT_EQ(DecodeError("a!", "base64").message,
            "invalid symbol \"!\" found while decoding base64 sequence");
  EXPECT_EQ(DecodeError("a!", "base64").sqlstate, "22023");
  EXPECT_EQ(DecodeError("abc", "hex").message, "invalid hexadecimal data: odd number of digits");
  EXPECT_EQ(DecodeError("zz", "hex").sqlstate, "22023");
  EXPECT_EQ(DecodeError("\\x41", "escape").sqlstate, "22P02");
  EXPECT_EQ(DecodeError("a\\9", "escape").message, "invalid input syntax for type bytea");
  EXPECT_EQ(DecodeError("x", "rot13").message, "unrecognized encoding: \"rot13\"");
}

// 2024-05-06 (a Monday, day 127, Julian day 2460437) at the given time.
PgDateTimeParts May6(int hour, int minute, int second, int micros = 0) {
  PgDateTimeParts t;
  t.year = 2024;
  t.month = 5;
  t.day = 6;
  t.hour = hour;
  t.minute = minute;
  t.second = second;
  t.micros = micros;
  t.day_of_week = 1;
  t.day_of_year = 127;
  t.julian_day = 2460437;
  return t;
}

std::string ToChar(const PgDateTimeParts& t, std::string_view format, bool zone = false) {
  auto out = PgToChar(t, format, zone);
  EXPECT_TRUE(out) << format << ": " << (out ? "" : out.error().message);
  return out ? *out : "";
}

TEST(PgToChar, Patterns) {
  EXPECT_EQ(ToChar(May6(7, 8, 9, 123456), "YYYY-MM-DD HH24:MI:SS.MS.US HH12 HH AM am P.M. p.m."),
            "2024-05-06 07:08:09.123.123456 07 07 AM am A.M. a.m.");
  EXPECT_EQ(ToChar(May6(15, 8, 9),
                   "Month|MONTH|month|Mon|MON|mon|FMMonth|Day|DAY|day|Dy|DY|dy|FMDay|D|DDD|DD|"
                   "FMDD|Q|WW|W|CC|J|YYY|YY|Y|Y,YYY|SSSS|SSSSS"),
            "May      |MAY      |may      |May|MAY|may|May|Monday   |MONDAY   |monday   |Mon|MON|"
            "mon|Monday|2|127|06|6|2|19|1|21|2460437|024|24|4|2,024|54489|54489");
  EXPECT_EQ(ToChar(May6(15, 8, 9), "DDth DDTH FMDDth \"quoted YYYY\" \\\"x X Hello"),
            "06th 06TH 6th quoted YYYY \"x X Hello");
  EXPECT_EQ(ToChar(May6(0, 8, 9), "HH12 FMHH12 HH24 FMHH24 FMMM FMMI FMSS FMYYYY tz TZ OF|"),
            "12 12 00 0 5 8 9 2024   +00|");
  EXPECT_EQ(ToChar(May6(15, 8, 9), "FF1 FF3 FF6 SP fx FX TMMonth"), "0 000 000000 SP   May");
  EXPECT_EQ(ToChar(May6(15, 8, 9), "1st 2nd Hh24 yyyy"), "1st 2n2 Hh24 2024");
}

TEST(PgToChar, UnsupportedPatternsAreRefused) {
  for (const char* format : {"IYYY", "IW", "ID", "RM", "rm"}) {
    auto out = PgToChar(May6(0, 0, 0), format, false);
    ASSERT_FALSE(out) << format;
    EXPECT_EQ(out.error().sqlstate, "0A000") << format;
    EXPECT_NE(out.error().message.find(format), std::string::npos) << out.error().message;
  }
  auto zone = PgToChar(May6(0, 0, 0), "YYYY TZ", true);
  ASSERT_FALSE(zone);
  EXPECT_EQ(zone.error().sqlstate, "0A000");
}

std::string Parsed(std::string_view text, std::string_view format) {
  auto out = PgParseDateTime(text, format);
  EXPECT_TRUE(out) << text << ": " << (out ? "" : out.error().message);
  if (!out) return "";
  char buf[64];
  snprintf(buf, sizeof buf, "%04lld-%02d-%02d %02d:%02d:%02d.%06d",
           static_cast<long long>(out->year), out->month, out->day, out->hour, out->minute,
           out->second, out->micros);
  return buf;
}

Error ParseError(std::string_view text, std::string_view format) {
  auto out = PgParseDateTime(text, format);
  EXPECT_FALSE(out) << text;
  return out ? Error() : out.error();
}

TEST(PgParseDateTime, Patterns) {
  EXPECT_EQ(Parsed("20240506", "YYYYMMDD"), "2024-05-06 00:00:00.000000");
  EXPECT_EQ(Parsed("2024-5-6", "YYYY-MM-DD"), "2024-05-06 00:00:00.000000");
  EXPECT_EQ(Parsed("2024 May 06", "YYYY Mon DD"), "2024-05-06 00:00:00.000000");
  EXPECT_EQ(Parsed("06 MAY 2024", "DD MON YYYY"), "2024-05-06 00:00:00.000000");
  EXPECT_EQ(Parsed("06 may 2024", "DD Month YYYY"), "2024-05-06 00:00:00.000000");
  EXPECT_EQ(Parsed("2024/05/06", "YYYY-MM-DD"), "2024-05-06 00:00:00.000000");
  EXPECT_EQ(Parsed("2024", "YYYY-MM-DD"), "2024-01-01 00:00:00.000000");
  EXPECT_EQ(Parsed("24-05-06", "YY-MM-DD"), "2024-05-06 00:00:00.000000");
  EXPECT_EQ(Parsed("75-05-06", "YY-MM-DD"), "1975-05-06 00:00:00.000000");
  EXPECT_EQ(Parsed("2024-05-06 03:08:09 PM", "YYYY-MM-DD HH12:MI:SS AM"),
            "2024-05-06 15:08:09.000000");
  EXPECT_EQ(Parsed("2024-05-06 12:08:09 am", "YYYY-MM-DD HH12:MI:SS AM"),
            "2024-05-06 00:08:09.000000");
  EXPECT_EQ(Parsed("2024-05-06 07:08:09.123", "YYYY-MM-DD HH24:MI:SS.MS"),
            "2024-05-06 07:08:09.123000");
  EXPECT_EQ(Parsed("2024-05-06 07:08:09.12", "YYYY-MM-DD HH24:MI:SS.MS"),
            "2024-05-06 07:08:09.120000");
  EXPECT_EQ(Parsed("2024-05-06 07:08:09.123456", "YYYY-MM-DD HH24:MI:SS.US"),
            "2024-05-06 07:08:09.123456");
  EXPECT_EQ(Parsed("2024-05-06   07:08", "YYYY-MM-DD HH24:MI"), "2024-05-06 07:08:00.000000");
  EXPECT_EQ(Parsed("05/06/2024 7:8:9", "MM/DD/YYYY HH24:MI:SS"), "2024-05-06 07:08:09.000000");
  EXPECT_EQ(Parsed("2024-05-06 extra", "YYYY-MM-DD"), "2024-05-06 00:00:00.000000");
  EXPECT_EQ(Parsed("12345-01-01", "YYYY-MM-DD"), "12345-01-01 00:00:00.000000");
  EXPECT_EQ(Parsed("2024-05-06", "YYYY-MM-DD\"T\""), "2024-05-06 00:00:00.000000");
}

TEST(PgParseDateTime, Errors) {
  EXPECT_EQ(ParseError("2024-13-06", "YYYY-MM-DD").message,
            "date/time field value out of range: \"2024-13-06\"");
  EXPECT_EQ(ParseError("2024-13-06", "YYYY-MM-DD").sqlstate, "22008");
  EXPECT_EQ(ParseError("2024-02-30", "YYYY-MM-DD").sqlstate, "22008");
  EXPECT_EQ(Parsed("2024-02-29", "YYYY-MM-DD"), "2024-02-29 00:00:00.000000");
  EXPECT_EQ(ParseError("2023-02-29", "YYYY-MM-DD").sqlstate, "22008");
  Error mm = ParseError("2024-ab-06", "YYYY-MM-DD");
  EXPECT_EQ(mm.sqlstate, "22007");
  EXPECT_EQ(mm.message, "invalid value \"ab\" for \"MM\"");
  EXPECT_EQ(mm.detail, "Value must be an integer.");
  EXPECT_EQ(ParseError("x2024-05-06", "YYYY-MM-DD").message, "invalid value \"x202\" for \"YYYY\"");
  Error h12 = ParseError("2024-05-06 13:00", "YYYY-MM-DD HH12:MI");
  EXPECT_EQ(h12.message, "hour \"13\" is invalid for the 12-hour clock");
  EXPECT_EQ(h12.sqlstate, "22007");
  EXPECT_EQ(ParseError("2024 Foo 06", "YYYY Mon DD").message, "invalid value \"Foo\" for \"Mon\"");
  EXPECT_EQ(ParseError("2024-05-06 07:08 XM", "YYYY-MM-DD HH24:MI AM").message,
            "invalid value \"XM\" for \"AM\"");
  EXPECT_EQ(ParseError("2024-05-06 07:61", "YYYY-MM-DD HH24:MI").sqlstate, "22008");
  EXPECT_EQ(ParseError("2024-05-06", "IYYY-MM-DD").sqlstate, "0A000");
  EXPECT_EQ(ParseError("05-06", "MM-DD").sqlstate, "0A000");  // PostgreSQL: year 1 BC
}

}  // namespace
}  // namespace augur::engine
