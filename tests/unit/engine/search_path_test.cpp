// search_path_test.cpp: search_path values read as PostgreSQL reads them, and the text SET
// stores for a list.
#include "engine/pg/search_path.h"

#include <gtest/gtest.h>

#include "engine/pg/pg_rewrite.h"

namespace augur::engine {
namespace {

std::vector<std::string> Schemas(std::string_view value) {
  std::vector<std::string> out;
  for (auto& entry : ParseSearchPath(value)) {
    out.push_back(entry.is_user_role ? "<user>" : entry.schema);
  }
  return out;
}

TEST(SearchPath, ReadsPostgresDefault) {
  EXPECT_EQ(Schemas("\"$user\", public"), (std::vector<std::string>{"<user>", "public"}));
}

TEST(SearchPath, FoldsUnquotedNamesAndKeepsQuotedOnes) {
  EXPECT_EQ(Schemas("App,  \"My Schema\" ,x"), (std::vector<std::string>{"app", "My Schema", "x"}));
  EXPECT_EQ(Schemas("\"a,b\", \"q\"\"uote\""), (std::vector<std::string>{"a,b", "q\"uote"}));
}

TEST(SearchPath, LeavesOutSchemasDuckDbSearchesItself) {
  EXPECT_EQ(Schemas("pg_catalog, public, pg_temp"), (std::vector<std::string>{"public"}));
  EXPECT_TRUE(Schemas("").empty());
  EXPECT_TRUE(Schemas("  ").empty());
}

TEST(SearchPath, MalformedValuesEndTheList) {
  EXPECT_EQ(Schemas("a, \"unterminated"), (std::vector<std::string>{"a"}));
  EXPECT_EQ(Schemas("a b, c"), (std::vector<std::string>{}));
  // "$user" unquoted is a plain (odd) name, not the role.
  EXPECT_EQ(Schemas("$user"), (std::vector<std::string>{"$user"}));
}

TEST(SearchPath, SetTextQuotesOnlyWhereNeeded) {
  EXPECT_EQ(SearchPathText({"\"$user\"", "Public", "'My Schema'", "\"plain\""}),
            "\"$user\", public, \"My Schema\", plain");
}

TEST(SearchPath, SetListBecomesOneValue) {
  EXPECT_EQ(RewriteForDuckDB("SET search_path TO \"$user\", public"),
            "SET search_path = '\"$user\", public'");
  EXPECT_EQ(RewriteForDuckDB("set session search_path = app, 'O''Brien'"),
            "SET search_path = 'app, \"O''Brien\"'");
  // One value: DuckDB's parser takes it as it is.
  EXPECT_EQ(RewriteForDuckDB("SET search_path TO app"), "SET search_path TO app");
}

}  // namespace
}  // namespace augur::engine
