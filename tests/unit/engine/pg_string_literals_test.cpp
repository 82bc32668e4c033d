// pg_string_literals_test.cpp: E'...' and U&'...' decode as PostgreSQL 15 decodes them (the
// expected values and errors were read from a PostgreSQL 15 server).
#include "engine/pg/pg_string_literals.h"

#include <gtest/gtest.h>

namespace augur::engine {
namespace {

std::string Decoded(std::string_view sql) {
  auto out = DecodeStringLiterals(sql);
  EXPECT_TRUE(out) << sql << ": " << (out ? "" : out.error().message);
  return out ? *out : "";
}

Error Refused(std::string_view sql) {
  auto out = DecodeStringLiterals(sql);
  EXPECT_FALSE(out) << sql << " decoded to " << (out ? *out : "");
  return out ? Error() : out.error();
}

TEST(PgStringLiterals, EscapeStrings) {
  EXPECT_EQ(Decoded("SELECT E'\\x41\\101\\u0041'"), "SELECT 'AAA'");
  EXPECT_EQ(Decoded("SELECT E'a\\nb\\tc\\\\d\\'e'''"), "SELECT 'a\nb\tc\\d''e'''");
  EXPECT_EQ(Decoded("SELECT e'\\U0001F600', E'\\uD83D\\uDE00'"),
            "SELECT '\xF0\x9F\x98\x80', '\xF0\x9F\x98\x80'");
  EXPECT_EQ(Decoded("SELECT E'\\q'"), "SELECT 'q'");
}

TEST(PgStringLiterals, UnicodeStrings) {
  EXPECT_EQ(Decoded("SELECT U&'d\\0061t\\+000061'"), "SELECT 'data'");
  EXPECT_EQ(Decoded("SELECT U&'d!0061t!+000061' UESCAPE '!'"), "SELECT 'data'");
  EXPECT_EQ(Decoded("SELECT u&'a\\\\b'"), "SELECT 'a\\b'");
}

TEST(PgStringLiterals, TextWithoutThemIsUntouched) {
  for (std::string_view sql : {"SELECT 'E''\\x00'", "SELECT \"E'x'\"", "SELECT $$E'\\x00'$$",
                               "-- E'\\x00'\nSELECT 1", "SELECT 'a\\nb'", "SELECT u & 'x'"}) {
    EXPECT_EQ(Decoded(sql), sql);
  }
}

TEST(PgStringLiterals, PostgreSQLsErrors) {
  Error nul = Refused("SELECT E'\\x00'");
  EXPECT_EQ(nul.sqlstate, "22021");
  EXPECT_EQ(nul.message, "invalid byte sequence for encoding \"UTF8\": 0x00");
  EXPECT_EQ(Refused("SELECT E'\\xff'").message,
            "invalid byte sequence for encoding \"UTF8\": 0xff");
  Error zero = Refused("SELECT U&'\\0000'");
  EXPECT_EQ(zero.sqlstate, "42601");
  EXPECT_EQ(zero.message, "invalid Unicode escape value");
  EXPECT_EQ(zero.position, 11);
  Error u = Refused("SELECT E'\\u0000'");
  EXPECT_EQ(u.message, "invalid Unicode escape value");
  EXPECT_EQ(u.position, 10);
  EXPECT_EQ(Refused("SELECT U&'\\D800'").message, "invalid Unicode surrogate pair");
  EXPECT_EQ(Refused("SELECT U&'\\12'").message, "invalid Unicode escape");
  EXPECT_EQ(Refused("SELECT U&'x' UESCAPE 'a'").message, "invalid Unicode escape character");
}

// Truncated and hostile text never throws (every prefix of a few tricky inputs).
TEST(PgStringLiterals, EveryPrefixIsHandled) {
  for (std::string sql : {"SELECT E'\\uD83D\\uDE00\\x4'", "SELECT U&'\\+0000' UESCAPE '!'", "E'\\",
                          "U&'", "U&'\\", "E'\\1"}) {
    for (size_t n = 0; n <= sql.size(); ++n)
      EXPECT_NO_THROW((void)DecodeStringLiterals(sql.substr(0, n)));
  }
}

}  // namespace
}  // namespace augur::engine
