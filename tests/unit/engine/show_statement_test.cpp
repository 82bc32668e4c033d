// show_statement_test.cpp: ShowStatementName gives what the std::regex recognizer it replaced
// gave (the fuzz target checks that on any short text), and long texts no longer exhaust the
// stack.
#include "engine/pg/show_statement.h"

#include <gtest/gtest.h>

#include <string>

namespace augur::engine {
namespace {

TEST(ShowStatementName, RecognizesTheForms) {
  EXPECT_EQ(ShowStatementName("SHOW search_path"), "search_path");
  EXPECT_EQ(ShowStatementName("  show\tMyApp.Tenant_1 ;\n"), "MyApp.Tenant_1");
  EXPECT_EQ(ShowStatementName("show all;"), "all");
  EXPECT_EQ(ShowStatementName("SHOW TRANSACTION ISOLATION LEVEL"), "transaction_isolation");
  EXPECT_EQ(ShowStatementName("show transaction\n isolation  level;"), "transaction_isolation");
  EXPECT_EQ(ShowStatementName("Show Time Zone"), "TimeZone");
  EXPECT_EQ(ShowStatementName("SHOW transaction_isolation"), "transaction_isolation");
}

TEST(ShowStatementName, RefusesEverythingElse) {
  for (const char* text : {"",
                           "SHOW",
                           "SHOW ",
                           "SHOWx",
                           "show1 x",
                           "SELECT 1",
                           "SHOW 1x",
                           "SHOW x y",
                           "SHOW x-y",
                           "SHOW x;;",
                           "SHOW x; SELECT 1",
                           "SHOW TABLES FROM s",
                           "SHOW time zones",
                           "SHOW transaction isolation",
                           "SHOW transaction isolation level x",
                           "show\"x\"",
                           "show x\xa0",
                           "\xa0show x",
                           "show x.y z",
                           "SHOW x ; y"}) {
    EXPECT_EQ(ShowStatementName(text), "") << text;
  }
}

// std::regex_match recursed once per character: "SHOW x" and a few hundred kilobytes of blanks
// (or a long name) overflowed an 8 MB worker stack and took the server down. ShowTarget ran on
// the text of every prepared statement and every SHOW.
TEST(ShowStatementName, LongTextsDoNotExhaustTheStack) {
  EXPECT_EQ(ShowStatementName("SHOW x" + std::string(4 << 20, ' ')), "x");
  EXPECT_EQ(ShowStatementName("SHOW " + std::string(4 << 20, 'a')), std::string(4 << 20, 'a'));
  EXPECT_EQ(ShowStatementName(std::string(4 << 20, '\n') + "SHOW TIME ZONE"), "TimeZone");
}

}  // namespace
}  // namespace augur::engine
