// config_test.cpp: layering (defaults < file < environment < flags) and error messages that name
// the key, the source and the reason.
#include "common/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace augur {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  std::string WriteToml(const std::string& text) {
    path_ = std::filesystem::temp_directory_path() /
            ("augur-config-test-" + std::to_string(::getpid()) + ".toml");
    std::ofstream(path_) << text;
    return path_.string();
  }
  void TearDown() override {
    if (!path_.empty()) std::filesystem::remove(path_);
  }
  std::filesystem::path path_;
};

TEST_F(ConfigTest, DefaultsWhenNothingIsGiven) {
  auto config = LoadConfig("", {}, {});
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->pg_port, 5432);
  EXPECT_EQ(config->listen, "127.0.0.1");
  EXPECT_EQ(config->data_dir, "./augur-data");
  EXPECT_EQ(config->log_format, "text");
}

TEST_F(ConfigTest, LaterLayersWin) {
  std::string file =
      WriteToml("[server]\npg_port = 6000\nlisten = \"0.0.0.0\"\n[log]\nlevel = \"debug\"\n");
  auto from_file = LoadConfig(file, {}, {});
  ASSERT_TRUE(from_file.has_value()) << from_file.error().message;
  EXPECT_EQ(from_file->pg_port, 6000);
  EXPECT_EQ(from_file->listen, "0.0.0.0");
  EXPECT_EQ(from_file->log_level, "debug");

  auto from_env = LoadConfig(file, {}, {{"AUGUR_SERVER_PG_PORT", "6001"}});
  ASSERT_TRUE(from_env.has_value());
  EXPECT_EQ(from_env->pg_port, 6001);
  EXPECT_EQ(from_env->listen, "0.0.0.0");  // untouched keys keep the file's value

  auto from_flag =
      LoadConfig(file, {{"server.pg_port", "6002"}}, {{"AUGUR_SERVER_PG_PORT", "6001"}});
  ASSERT_TRUE(from_flag.has_value());
  EXPECT_EQ(from_flag->pg_port, 6002);
}

TEST_F(ConfigTest, ErrorsNameKeySourceAndReason) {
  auto bad_env = LoadConfig("", {}, {{"AUGUR_SERVER_PG_PORT", "70000"}});
  ASSERT_FALSE(bad_env.has_value());
  const std::string& m = bad_env.error().message;
  EXPECT_NE(m.find("server.pg_port"), std::string::npos) << m;
  EXPECT_NE(m.find("environment AUGUR_SERVER_PG_PORT"), std::string::npos) << m;
  EXPECT_NE(m.find("between 0 and 65535"), std::string::npos) << m;

  auto bad_flag = LoadConfig("", {{"log.format", "xml"}}, {});
  ASSERT_FALSE(bad_flag.has_value());
  EXPECT_NE(bad_flag.error().message.find("flag --log-format"), std::string::npos);
  EXPECT_NE(bad_flag.error().message.find("text, json"), std::string::npos);

  auto not_a_number = LoadConfig("", {{"server.pg_port", "54x"}}, {});
  ASSERT_FALSE(not_a_number.has_value());
  EXPECT_NE(not_a_number.error().message.find("not an integer"), std::string::npos);
}

TEST_F(ConfigTest, FileErrorsNameTheFile) {
  std::string unknown = WriteToml("[server]\nport = 1\n");
  auto r = LoadConfig(unknown, {}, {});
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("unknown setting \"server.port\""), std::string::npos);
  EXPECT_NE(r.error().message.find(unknown), std::string::npos);

  std::string broken = WriteToml("[server\n");
  auto parse = LoadConfig(broken, {}, {});
  ASSERT_FALSE(parse.has_value());
  EXPECT_NE(parse.error().message.find("line 1"), std::string::npos) << parse.error().message;

  std::string wrong_value = WriteToml("[server]\npg_port = 99999\n");
  auto range = LoadConfig(wrong_value, {}, {});
  ASSERT_FALSE(range.has_value());
  EXPECT_NE(range.error().message.find("(from file " + wrong_value + ")"), std::string::npos);
}

TEST_F(ConfigTest, HttpListsComeFromFlagsFilesAndEnvironment) {
  auto defaults = LoadConfig("", {}, {});
  ASSERT_TRUE(defaults.has_value());
  EXPECT_TRUE(defaults->http_allowed_hosts.empty());
  EXPECT_TRUE(defaults->http_allowed_origins.empty());
  EXPECT_EQ(defaults->http_export_spool_bytes, 1ull << 30);

  auto from_flag = LoadConfig(
      "", {{"http.allowed_origins", " https://App.example.com , http://x.example:8000/"}}, {});
  ASSERT_TRUE(from_flag.has_value()) << from_flag.error().message;
  EXPECT_EQ(from_flag->http_allowed_origins,
            (std::vector<std::string>{"https://app.example.com", "http://x.example:8000"}));

  std::string file = WriteToml("[http]\nallowed_hosts = [\"db.internal\", \"DB.example\"]\n");
  auto from_file = LoadConfig(file, {}, {});
  ASSERT_TRUE(from_file.has_value()) << from_file.error().message;
  EXPECT_EQ(from_file->http_allowed_hosts, (std::vector<std::string>{"db.internal", "db.example"}));

  auto from_env = LoadConfig("", {}, {{"AUGUR_HTTP_ALLOWED_HOSTS", "a.example,[::1]"}});
  ASSERT_TRUE(from_env.has_value()) << from_env.error().message;
  EXPECT_EQ(from_env->http_allowed_hosts, (std::vector<std::string>{"a.example", "[::1]"}));
}

TEST_F(ConfigTest, HttpListsRefuseWhatIsNotAHostOrAnOrigin) {
  for (const char* origin : {"*", "app.example.com", "https://app.example.com/path", "ftp://x"}) {
    auto r = LoadConfig("", {{"http.allowed_origins", origin}}, {});
    ASSERT_FALSE(r.has_value()) << origin;
    EXPECT_NE(r.error().message.find("is not an origin"), std::string::npos) << r.error().message;
  }
  for (const char* host : {"https://db.example", "db.example:8080", "db/x"}) {
    auto r = LoadConfig("", {{"http.allowed_hosts", host}}, {});
    ASSERT_FALSE(r.has_value()) << host;
    EXPECT_NE(r.error().message.find("is not a host name"), std::string::npos);
  }
}

TEST_F(ConfigTest, EnvironmentNamesDeriveFromKeys) {
  for (auto& s : Settings()) {
    std::string env = s.env();
    EXPECT_TRUE(env.starts_with("AUGUR_")) << env;
    EXPECT_EQ(env.find('.'), std::string::npos) << env;
  }
}

}  // namespace
}  // namespace augur
