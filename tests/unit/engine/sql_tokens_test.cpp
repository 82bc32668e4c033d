// sql_tokens_test.cpp: names and string constants read from sql_lexer's tokens as PostgreSQL
// reads them, including the malformed ones a client may send.
#include "engine/pg/sql_tokens.h"

#include <gtest/gtest.h>

namespace augur::engine {
namespace {

std::vector<Token> Tokens(std::string_view sql) {
  auto lexed = Lex(sql);
  return lexed.empty() ? std::vector<Token>{} : lexed[0].tokens;
}

std::optional<std::string> Name(std::string_view sql) { return IdentifierName(Tokens(sql).at(0)); }
std::optional<std::string> Constant(std::string_view sql) {
  return StringConstantValue(Tokens(sql).at(0));
}

TEST(SqlTokens, IdentifierNames) {
  EXPECT_EQ(Name("MyTable"), "mytable");
  EXPECT_EQ(Name("\"MyTable\""), "MyTable");
  EXPECT_EQ(Name("\"a\"\"b\""), "a\"b");
  EXPECT_EQ(Name("\"\""), "");
  EXPECT_EQ(Name("\"it's\""), "it's");
  EXPECT_EQ(Name("'x'"), std::nullopt);
  EXPECT_EQ(Name("("), std::nullopt);
  EXPECT_EQ(Name("42"), std::nullopt);
}

TEST(SqlTokens, StringConstants) {
  EXPECT_EQ(Constant("'it''s'"), "it's");
  EXPECT_EQ(Constant("''"), "");
  EXPECT_EQ(Constant("$$a'b$$"), "a'b");
  EXPECT_EQ(Constant("$q$x$$y$q$"), "x$$y");
  EXPECT_EQ(Constant("'a\\'"), "a\\");  // standard strings: the backslash is a character
  EXPECT_EQ(Constant("'unclosed"), std::nullopt);
  EXPECT_EQ(Constant("E'x'"), std::nullopt);
  EXPECT_EQ(Constant("\"x\""), std::nullopt);
}

TEST(SqlTokens, KeywordsPunctuationAndParentheses) {
  auto s = Lex("select f(a, (b)) from t");
  ASSERT_EQ(s.size(), 1u);
  const auto& t = s[0].tokens;
  EXPECT_TRUE(Is(t, 0, "SELECT"));
  EXPECT_FALSE(Is(t, 0, "select"));  // keywords are given in upper case
  EXPECT_FALSE(Is(t, 99, "SELECT"));
  EXPECT_TRUE(IsPunct(t, 2, '('));
  EXPECT_FALSE(IsPunct(t, 99, '('));
  size_t close = Matching(t, 2);
  ASSERT_LT(close, t.size());
  EXPECT_EQ(Span(s[0], 1, close + 1), "f(a, (b))");
  EXPECT_EQ(Offset(s[0], 1), 7u);
  EXPECT_EQ(Span(s[0], 3, 3), "");
  auto open = Lex("select f(a, (b)")[0].tokens;
  EXPECT_EQ(Matching(open, 2), open.size());
}

}  // namespace
}  // namespace augur::engine
