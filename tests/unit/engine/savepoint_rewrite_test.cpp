// savepoint_rewrite_test.cpp: the savepoint commands and SET LOCAL as the session's SET forms, and
// the text that must reach DuckDB unchanged.
#include "engine/session/savepoint_rewrite.h"

#include <gtest/gtest.h>

#include "engine/pg/pg_rewrite.h"

namespace augur::engine {
namespace {

TEST(SavepointRewrite, Commands) {
  EXPECT_EQ(RewriteForDuckDB("SAVEPOINT a"), "SET augur.savepoint = 'a'");
  EXPECT_EQ(RewriteForDuckDB("savepoint Django_SP_1"), "SET augur.savepoint = 'django_sp_1'");
  EXPECT_EQ(RewriteForDuckDB("SAVEPOINT \"Mixed\"\"q\""), "SET augur.savepoint = 'Mixed\"q'");
  EXPECT_EQ(RewriteForDuckDB("SAVEPOINT \"it's\""), "SET augur.savepoint = 'it''s'");
  EXPECT_EQ(RewriteForDuckDB("RELEASE a"), "SET augur.release_savepoint = 'a'");
  EXPECT_EQ(RewriteForDuckDB("RELEASE SAVEPOINT a"), "SET augur.release_savepoint = 'a'");
  EXPECT_EQ(RewriteForDuckDB("release savepoint"), "SET augur.release_savepoint = 'savepoint'");
  EXPECT_EQ(RewriteForDuckDB("ROLLBACK TO a"), "SET augur.rollback_to_savepoint = 'a'");
  EXPECT_EQ(RewriteForDuckDB("rollback work to savepoint a"),
            "SET augur.rollback_to_savepoint = 'a'");
  EXPECT_EQ(RewriteForDuckDB("ROLLBACK TRANSACTION TO SAVEPOINT a; SELECT 1"),
            "SET augur.rollback_to_savepoint = 'a'; SELECT 1");
}

TEST(SavepointRewrite, NamesKeepSixtyThreeBytes) {
  EXPECT_EQ(RewriteForDuckDB("SAVEPOINT " + std::string(100, 'x')),
            "SET augur.savepoint = '" + std::string(63, 'x') + "'");
}

TEST(SavepointRewrite, SetLocal) {
  EXPECT_EQ(RewriteForDuckDB("SET LOCAL statement_timeout = '5s'"),
            "SET augur.local.statement_timeout = '5s'");
  EXPECT_EQ(RewriteForDuckDB("set local myapp.tenant to 42"), "SET augur.local.myapp.tenant to 42");
  EXPECT_EQ(RewriteForDuckDB("SET LOCAL TIME ZONE 'UTC'"), "SET augur.local.timezone = 'UTC'");
}

TEST(SavepointRewrite, LeavesOtherStatementsAlone) {
  for (const char* sql : {"ROLLBACK", "ROLLBACK TRANSACTION", "ROLLBACK WORK", "SAVEPOINT",
                          "SAVEPOINT a b", "RELEASE", "ROLLBACK TO", "SELECT 'SAVEPOINT a'",
                          "SET application_name = 'x'", "SET LOCAL", "SAVEPOINT 'a'"}) {
    EXPECT_EQ(RewriteForDuckDB(sql), sql);
  }
}

}  // namespace
}  // namespace augur::engine
