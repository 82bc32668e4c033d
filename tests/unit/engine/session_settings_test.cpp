// session_settings_test.cpp: ShowTarget, which runs on the text of every SHOW and every prepared
// statement, on texts long enough to have exhausted the stack when it used std::regex.
#include <gtest/gtest.h>

#include <string>

#include "engine/session/session_impl.h"

namespace augur::engine {
namespace {

TEST(ShowTarget, NamesSettingsOnly) {
  EXPECT_EQ(ShowTarget("SHOW search_path"), "search_path");
  EXPECT_EQ(ShowTarget("show timezone;"), "timezone");
  EXPECT_EQ(ShowTarget("SHOW TIME ZONE"), "TimeZone");
  EXPECT_EQ(ShowTarget("SHOW TRANSACTION ISOLATION LEVEL"), "transaction_isolation");
  EXPECT_EQ(ShowTarget("SHOW myapp.tenant"), "myapp.tenant");
  EXPECT_EQ(ShowTarget("SHOW ALL"), "ALL");
  EXPECT_EQ(ShowTarget("SHOW some_table"), "");
  EXPECT_EQ(ShowTarget("SELECT 1"), "");
}

// libstdc++'s std::regex_match recursed once per character: a statement "SHOW x" followed by
// a few hundred kilobytes of blanks overflowed the 8 MB stack of the worker running it (found by
// review while writing the sql fuzz target; the fuzzer's inputs are too short to reach it).
TEST(ShowTarget, LongStatementsDoNotExhaustTheStack) {
  EXPECT_EQ(ShowTarget("SHOW search_path" + std::string(4 << 20, ' ')), "search_path");
  EXPECT_EQ(ShowTarget("SHOW " + std::string(4 << 20, 'x')), "");
}

}  // namespace
}  // namespace augur::engine
