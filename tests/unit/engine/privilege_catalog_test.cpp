// privilege_catalog_test.cpp: every setting, table function, pragma and non-CONSISTENT scalar
// function that the engine has is classified in privilege_catalog.cpp. Fails when a DuckDB
// upgrade (or a new augur function) adds a name nobody has decided about; unclassified names are
// superuser-only at run time, so the failure is a prompt to decide, never a hole.
#include "engine/auth/privilege_catalog.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "augur/engine.h"

namespace augur::engine {
namespace {

std::vector<std::string> Names(Session& session, const std::string& sql) {
  auto batch = session.Query(sql);
  EXPECT_TRUE(batch) << sql << ": " << (batch ? "" : batch.error().message);
  std::vector<std::string> names;
  if (!batch) return names;
  for (size_t r = 0; r < batch->rows(); ++r) names.emplace_back(*batch->cell(r, 0));
  return names;
}

class PrivilegeCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open({});
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    auto session = db_->Connect();
    ASSERT_TRUE(session) << session.error().message;
    session_ = std::move(*session);
  }
  std::unique_ptr<Database> db_;
  std::unique_ptr<Session> session_;
};

TEST_F(PrivilegeCatalogTest, EverySettingIsClassified) {
  auto names = Names(*session_, "SELECT DISTINCT name FROM duckdb_settings() ORDER BY 1");
  EXPECT_GT(names.size(), 100u);
  for (const auto& name : names) EXPECT_TRUE(IsClassifiedSetting(name)) << name;
}

TEST_F(PrivilegeCatalogTest, EveryTableFunctionIsClassified) {
  auto names = Names(*session_,
                     "SELECT DISTINCT function_name FROM duckdb_functions() "
                     "WHERE function_type = 'table' ORDER BY 1");
  EXPECT_GT(names.size(), 80u);
  for (const auto& name : names) EXPECT_TRUE(IsClassifiedTableFunction(name)) << name;
}

TEST_F(PrivilegeCatalogTest, EveryPragmaIsClassified) {
  auto names = Names(*session_,
                     "SELECT DISTINCT function_name FROM duckdb_functions() "
                     "WHERE function_type = 'pragma' ORDER BY 1");
  EXPECT_GT(names.size(), 40u);
  for (const auto& name : names) EXPECT_TRUE(IsClassifiedPragma(name)) << name;
}

TEST_F(PrivilegeCatalogTest, EveryVolatileScalarIsClassified) {
  auto names = Names(*session_,
                     "SELECT DISTINCT function_name FROM duckdb_functions() "
                     "WHERE function_type = 'scalar' AND stability <> 'CONSISTENT' "
                     "AND NOT starts_with(function_name, 'augur_') "
                     "AND function_name NOT IN ('pg_cancel_backend', 'set_config', "
                     "'current_setting', 'pg_backend_pid') ORDER BY 1");
  EXPECT_GT(names.size(), 10u);
  for (const auto& name : names) EXPECT_TRUE(IsClassifiedVolatileScalar(name)) << name;
}

// The lists are allowlists: what is not in them is superuser-only and hidden.
TEST(PrivilegeCatalog, UnknownNamesAreSuperuserOnly) {
  EXPECT_EQ(TableFunctionPrivilege("a_function_duckdb_adds_next_year"), Privilege::kSuperuser);
  EXPECT_EQ(PragmaPrivilege("a_pragma_duckdb_adds_next_year"), Privilege::kSuperuser);
  auto setting = SettingPolicyFor("a_setting_duckdb_adds_next_year");
  EXPECT_EQ(setting.set, Privilege::kSuperuser);
  EXPECT_FALSE(setting.visible);
  EXPECT_EQ(TableFunctionPrivilege("range"), Privilege::kAnyRole);
  EXPECT_EQ(TableFunctionPrivilege("ENABLE_LOGGING"), Privilege::kSuperuser);
  EXPECT_EQ(SettingPolicyFor("TimeZone").set, Privilege::kAnyRole);
  EXPECT_FALSE(SettingPolicyFor("temp_directory").visible);
  EXPECT_EQ(SettingPolicyFor("profiling_output").set, Privilege::kSuperuser);
}

}  // namespace
}  // namespace augur::engine
