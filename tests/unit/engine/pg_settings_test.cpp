// pg_settings_test.cpp: the duration settings' parser, and SET's refusal of values out of
// PostgreSQL's range.
#include "engine/pg/pg_settings.h"

#include <gtest/gtest.h>

namespace augur::engine {
namespace {

using std::chrono::milliseconds;

TEST(PgSettings, ParsesDurationsInPostgresUnits) {
  EXPECT_EQ(PgSettings::ParseDuration("250"), milliseconds(250));
  EXPECT_EQ(PgSettings::ParseDuration("1.5 min"), milliseconds(90000));
  EXPECT_EQ(PgSettings::ParseDuration("2s"), milliseconds(2000));
  EXPECT_EQ(PgSettings::ParseDuration("1500us"), milliseconds(1));
  EXPECT_EQ(PgSettings::ParseDuration("24d"), milliseconds(2073600000));
  EXPECT_EQ(PgSettings::ParseDuration("2147483647"), milliseconds(2147483647));
  EXPECT_FALSE(PgSettings::ParseDuration(""));
  EXPECT_FALSE(PgSettings::ParseDuration("."));
  EXPECT_FALSE(PgSettings::ParseDuration("5 fortnights"));
}

// Found by the sql fuzz target: the milliseconds went through a double-to-int64 conversion
// whatever their size, which is undefined behaviour past 2^63 (UBSan: "1e+23 is outside the
// range of representable values of type 'long'"). PostgreSQL refuses anything over INT_MAX ms.
TEST(PgSettings, DurationsBeyondPostgresRangeAreRefused) {
  EXPECT_FALSE(PgSettings::ParseDuration("2147483648"));
  EXPECT_FALSE(PgSettings::ParseDuration("25d"));
  EXPECT_FALSE(PgSettings::ParseDuration("99999999999999999999999"));
  EXPECT_FALSE(PgSettings::ParseDuration("99999999999999999999d"));
  EXPECT_FALSE(PgSettings::ParseDuration(std::string(300, '9') + "d"));
  PgSettings settings;
  auto set = settings.Set("statement_timeout", "99999999999999999999999");
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().sqlstate, "22023");
  EXPECT_TRUE(settings.Set("statement_timeout", "5s"));
  EXPECT_EQ(settings.Duration("statement_timeout"), milliseconds(5000));
}

}  // namespace
}  // namespace augur::engine
