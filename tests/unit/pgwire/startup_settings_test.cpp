// startup_settings_test.cpp: settings from the startup packet's parameters and its "options"
// switches, as PostgreSQL reads them.
#include "pgwire/startup_settings.h"

#include <gtest/gtest.h>

namespace augur::pgwire {
namespace {

using Settings = std::vector<std::pair<std::string, std::string>>;

StartupPacket Packet(Settings parameters) {
  StartupPacket packet;
  packet.parameters = std::move(parameters);
  return packet;
}

TEST(StartupSettings, TakesParametersAndOptionSwitches) {
  auto settings = StartupSettings(Packet({{"user", "u"},
                                          {"database", "d"},
                                          {"options",
                                           "-c search_path=app,public --statement-timeout=5s "
                                           "-cmyapp.tenant=a\\ b"},
                                          {"TimeZone", "UTC"},
                                          {"client_encoding", "UTF8"},
                                          {"application_name", "x"}}));
  ASSERT_TRUE(settings);
  EXPECT_EQ(*settings, (Settings{{"TimeZone", "UTC"},
                                 {"search_path", "app,public"},
                                 {"statement_timeout", "5s"},
                                 {"myapp.tenant", "a b"}}));
}

TEST(StartupSettings, RefusesOptionsThatAreNotSettings) {
  EXPECT_FALSE(StartupSettings(Packet({{"options", "-D /tmp"}})));
  EXPECT_FALSE(StartupSettings(Packet({{"options", "-c"}})));
  EXPECT_FALSE(StartupSettings(Packet({{"options", "-c =x"}})));
  EXPECT_EQ(StartupSettings(Packet({{"options", "-c noequals"}})).error().sqlstate, "42601");
}

TEST(StartupSettings, SetStatementQuotesValuesAndChecksNames) {
  EXPECT_EQ(*SetStatementFor("search_path", "a', b"), "SET search_path = 'a'', b'");
  EXPECT_FALSE(SetStatementFor("x; DROP TABLE t; --", "1"));
  EXPECT_FALSE(SetStatementFor("", "1"));
  EXPECT_FALSE(SetStatementFor("1x", "1"));
}

}  // namespace
}  // namespace augur::pgwire
