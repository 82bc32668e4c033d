// sql_quoting_test.cpp: string literals and identifiers as PostgreSQL 15 writes them. Expected
// values are PostgreSQL 15's answers: quote_ident(...), and literals that read back as the
// input (SELECT 'it''s' is it's).
#include "common/sql_quoting.h"

#include <gtest/gtest.h>

#include <string>

namespace augur {
namespace {

using namespace std::string_literals;

TEST(SqlQuoting, LiteralDoublesQuotesOnly) {
  EXPECT_EQ(QuoteLiteral(""), "''");
  EXPECT_EQ(QuoteLiteral("it's"), "'it''s'");
  EXPECT_EQ(QuoteLiteral("''"), "''''''");
  // standard_conforming_strings: a backslash is an ordinary character.
  EXPECT_EQ(QuoteLiteral("a\\'b"), "'a\\''b'");
  EXPECT_EQ(QuoteLiteral("\""), "'\"'");
  EXPECT_EQ(QuoteLiteral("'; DROP TABLE t; --"), "'''; DROP TABLE t; --'");
}

TEST(SqlQuoting, KeepsNulAndNonAsciiBytes) {
  EXPECT_EQ(QuoteLiteral("a\0'b"s), "'a\0''b'"s);
  EXPECT_EQ(QuoteIdentifier("a\0\"b"s), "\"a\0\"\"b\""s);
  EXPECT_EQ(QuoteLiteral("naïve ✓"), "'naïve ✓'");
  EXPECT_EQ(QuoteLiteral("\xff\xfe'"), "'\xff\xfe'''");
}

TEST(SqlQuoting, IdentifierAlwaysQuoted) {
  EXPECT_EQ(QuoteIdentifier(""), "\"\"");
  EXPECT_EQ(QuoteIdentifier("abc"), "\"abc\"");
  EXPECT_EQ(QuoteIdentifier("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(QuoteIdentifier("\""), "\"\"\"\"");
  EXPECT_EQ(QuoteIdentifier("it's"), "\"it's\"");
}

TEST(SqlQuoting, IdentifierIfNeededAsQuoteIdent) {
  // Plain lower-case names and unreserved keywords stay as they are.
  EXPECT_EQ(QuoteIdentifierIfNeeded("ab_1"), "ab_1");
  EXPECT_EQ(QuoteIdentifierIfNeeded("_"), "_");
  EXPECT_EQ(QuoteIdentifierIfNeeded("int4"), "int4");
  EXPECT_EQ(QuoteIdentifierIfNeeded("abort"), "abort");
  // Everything else is quoted.
  EXPECT_EQ(QuoteIdentifierIfNeeded(""), "\"\"");
  EXPECT_EQ(QuoteIdentifierIfNeeded("Ab"), "\"Ab\"");
  EXPECT_EQ(QuoteIdentifierIfNeeded("1a"), "\"1a\"");
  EXPECT_EQ(QuoteIdentifierIfNeeded("a b"), "\"a b\"");
  EXPECT_EQ(QuoteIdentifierIfNeeded("a$b"), "\"a$b\"");
  EXPECT_EQ(QuoteIdentifierIfNeeded("a\\b"), "\"a\\b\"");
  EXPECT_EQ(QuoteIdentifierIfNeeded("it's"), "\"it's\"");
  EXPECT_EQ(QuoteIdentifierIfNeeded("\""), "\"\"\"\"");
  EXPECT_EQ(QuoteIdentifierIfNeeded("é"), "\"é\"");
  EXPECT_EQ(QuoteIdentifierIfNeeded("naïve"), "\"naïve\"");
  EXPECT_EQ(QuoteIdentifierIfNeeded("a\0b"s), "\"a\0b\""s);
}

TEST(SqlQuoting, IdentifierIfNeededQuotesReservedKeywords) {
  // Reserved, column-name and type/function-name keywords; the first and last of the list too.
  for (const char* keyword : {"select", "user", "left", "between", "int", "xmltable", "all"}) {
    EXPECT_EQ(QuoteIdentifierIfNeeded(keyword), "\"" + std::string(keyword) + "\"") << keyword;
  }
  // Only the keyword itself, not a name that starts or ends like one.
  EXPECT_EQ(QuoteIdentifierIfNeeded("selects"), "selects");
  EXPECT_EQ(QuoteIdentifierIfNeeded("a_all"), "a_all");
  EXPECT_EQ(QuoteIdentifierIfNeeded("xmltables"), "xmltables");
}

TEST(SqlQuoting, EncloseWithAnyQuote) {
  EXPECT_EQ(Enclose("a|b", '|'), "|a||b|");
  std::string out = "x=";
  AppendEnclosed(out, "say \"hi\"", '"');
  EXPECT_EQ(out, "x=\"say \"\"hi\"\"\"");
}

}  // namespace
}  // namespace augur
